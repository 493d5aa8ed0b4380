package chat.server.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Line;
import chat.common.proto.Request;
import chat.common.wire.LegacyRecord;
import chat.common.wire.LegacyRecord.Message;
import chat.server.Backend;
import chat.server.LegacyClient;
import chat.server.TestServer;
import chat.server.TextClient;
import chat.server.TextClient.Reply;
import chat.server.reactor.Limits;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Groups, group messages, unread counts and the lobby, on both databases. */
class GroupsTest {

    private static List<String> names(Reply r, int field) {
        return r.items().stream().map(l -> l.field(field)).toList();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void createRenameAndDisband(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(Limits.DEFAULT, db.url());
                var owner = TextClient.loggedIn(server.port(), "owner");
                var other = TextClient.loggedIn(server.port(), "other")) {
            assertEquals("team", owner.call(new Request.Create("team", true)).field(2));
            assertEquals("name-taken", other.call(new Request.Create("TEAM", true)).code());
            assertEquals("bad-name", owner.call(new Request.Create("lobby", true)).code());
            assertEquals("bad-name", owner.call(new Request.Create("a b", true)).code());
            other.sendRaw("#x:CREATE:x:maybe");
            assertEquals("bad-request", new Reply(other.readLine(), List.of()).code());

            assertTrue(other.call(new Request.Join("team")).ok());
            assertEquals(Line.of(null, "GROUP_JOINED", "team", "other"), owner.awaitPush("GROUP_JOINED"));
            assertEquals("not-owner", other.call(new Request.Rename("team", "crew")).code());
            assertTrue(owner.call(new Request.Rename("team", "小组")).ok());
            assertEquals(Line.of(null, "GROUP_RENAMED", "team", "小组"), other.awaitPush("GROUP_RENAMED"));
            Reply groups = other.call(new Request.Groups());
            assertEquals(List.of(Line.of(groups.line().tag(), "GROUP_INFO", "小组", "owner", "open", "2")), groups.items());

            assertEquals("not-owner", other.call(new Request.Disband("小组")).code());
            assertTrue(owner.call(new Request.Disband("#小组")).ok(), "a leading # names a group too");
            assertEquals(Line.of(null, "GROUP_DELETED", "小组"), other.awaitPush("GROUP_DELETED"));
            assertTrue(other.call(new Request.Groups()).items().isEmpty());
            assertEquals("no-such-group", other.call(new Request.Members("小组")).code());
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void membersPostReadHistoryLeaveAndGetKicked(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(Limits.DEFAULT, db.url());
                var owner = TextClient.loggedIn(server.port(), "boss");
                var ann = TextClient.loggedIn(server.port(), "ann");
                var bob = TextClient.loggedIn(server.port(), "bob");
                var outsider = TextClient.loggedIn(server.port(), "eve")) {
            owner.call(new Request.Create("team", true));
            ann.call(new Request.Join("team"));
            bob.call(new Request.Join("team"));
            Reply members = owner.call(new Request.Members("team"));
            assertEquals(List.of("ann", "bob", "boss"), names(members, 1));
            assertEquals(List.of("0", "0", "1"), names(members, 3), "the owner is marked");
            assertEquals(List.of("1", "1", "1"), names(members, 2), "all online");

            assertEquals("not-member", outsider.call(new Request.Group("team", "e1", "let me in")).code());
            assertEquals("not-member", outsider.call(new Request.Members("team")).code());
            assertEquals("not-member", outsider.call(new Request.History("#team", 0, 10)).code());

            Reply sent = ann.call(new Request.Group("team", "a1", "大家好"));
            assertTrue(sent.ok(), sent.toString());
            for (TextClient c : List.of(owner, bob)) {
                Line push = c.awaitPush(l -> l.command().equals("GROUP"));
                assertEquals(List.of("GROUP", sent.field(2), sent.field(3), "team", "ann", "大家好"), push.fields());
            }
            assertTrue(ann.quietFor(200), "the sender gets no copy");
            assertEquals(sent.line().fields(), ann.call(new Request.Group("team", "a1", "大家好")).line().fields(),
                    "a resend is answered with the original");
            assertTrue(bob.quietFor(200), "and pushed no second time");

            for (int i = 0; i < 4; i++) {
                owner.call(new Request.Group("team", "o" + i, "news " + i));
            }
            Reply page = bob.call(new Request.History("#team", 0, 3));
            assertEquals(List.of("news 3", "news 2", "news 1"), names(page, 5));
            assertEquals("#team", page.items().get(0).field(4));
            Reply older = bob.call(new Request.History("#team", Long.parseLong(page.items().get(2).field(1)), 10));
            assertEquals(List.of("news 0", "大家好"), names(older, 5));

            assertEquals("owner-cannot-leave", owner.call(new Request.Leave("team")).code());
            assertTrue(bob.call(new Request.Leave("team")).ok());
            assertEquals(Line.of(null, "GROUP_LEFT", "team", "bob", "left"), ann.awaitPush("GROUP_LEFT"));
            assertEquals("not-member", bob.call(new Request.Group("team", "b9", "still here?")).code());
            assertTrue(owner.call(new Request.Kick("team", "ann")).ok());
            assertEquals(Line.of(null, "GROUP_LEFT", "team", "ann", "kicked"), ann.awaitPush("GROUP_LEFT"));
            assertEquals("not-member", owner.call(new Request.Kick("team", "ann")).code());
            assertEquals(List.of("boss"), names(owner.call(new Request.Members("team")), 1));
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void closedGroupsNeedTheOwner(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(Limits.DEFAULT, db.url());
                var owner = TextClient.loggedIn(server.port(), "boss");
                var member = TextClient.loggedIn(server.port(), "mia");
                var asker = TextClient.loggedIn(server.port(), "ask")) {
            owner.call(new Request.Create("vip", false));
            assertTrue(owner.call(new Request.Invite("vip", "mia")).ok());
            assertEquals(Line.of(null, "GROUP_JOINED", "vip", "mia"), member.awaitPush("GROUP_JOINED"));
            assertEquals("already-member", owner.call(new Request.Invite("vip", "mia")).code());
            assertEquals("not-owner", member.call(new Request.Invite("vip", "ask")).code());

            assertEquals("requested", asker.call(new Request.Join("vip")).field(2));
            assertEquals("ask", owner.awaitPush("JOIN_REQUEST").field(2));
            assertEquals(List.of("ask"), names(owner.call(new Request.Requests("vip")), 2));
            assertEquals("not-owner", member.call(new Request.Approve("vip", "ask")).code());
            assertEquals("no-request", owner.call(new Request.Approve("vip", "mia")).code());
            assertTrue(owner.call(new Request.Approve("vip", "ask")).ok());
            assertEquals(Line.of(null, "GROUP_JOINED", "vip", "ask"), asker.awaitPush("GROUP_JOINED"));
            assertTrue(owner.call(new Request.Requests("vip")).items().isEmpty());
            assertTrue(asker.call(new Request.Group("vip", "k1", "thanks")).ok());
            assertEquals("thanks", member.awaitPush(l -> l.command().equals("GROUP")).field(5));
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void offlineMembersCatchUpInOrderAndUnreadCountsLast(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(Limits.DEFAULT, db.url());
                var owner = TextClient.loggedIn(server.port(), "boss")) {
            try (var late = TextClient.loggedIn(server.port(), "late")) {
                FriendsTest.befriend(owner, late);
                owner.call(new Request.Create("team", true));
                late.call(new Request.Join("team"));
            }
            owner.call(new Request.Group("team", "g1", "group one"));
            owner.call(new Request.Msg("late", "p1", "private two"));
            owner.call(new Request.Group("team", "g2", "group three"));
            try (var late = new TextClient(server.port(), "late")) {
                late.login();
                List<String> got = new ArrayList<>();
                long last = 0;
                for (int i = 0; i < 3; i++) {
                    Line m = late.awaitPush(l -> l.command().equals("GROUP") || l.command().equals("MSG"));
                    got.add(m.command() + " " + m.field(m.size() - 1));
                    last = Long.parseLong(m.field(1));
                }
                assertEquals(List.of("GROUP group one", "MSG private two", "GROUP group three"), got);
                late.awaitPush("SYNCED");
                late.send(new Request.Ack(last));
                Reply unread = late.call(new Request.Unread());
                assertEquals(List.of("#team=2", "boss=1"),
                        unread.items().stream().map(l -> l.field(1) + "=" + l.field(2)).sorted().toList());
                assertTrue(late.call(new Request.Read("#team")).ok());
                assertEquals(List.of("boss=1"), late.call(new Request.Unread()).items().stream()
                        .map(l -> l.field(1) + "=" + l.field(2)).toList());
            }
            // Read marks last across logins; new messages count again.
            owner.call(new Request.Group("team", "g3", "four"));
            try (var late = new TextClient(server.port(), "late")) {
                late.login();
                late.awaitPush(l -> l.command().equals("GROUP"));
                assertEquals(List.of("#team=1", "boss=1"), late.call(new Request.Unread()).items().stream()
                        .map(l -> l.field(1) + "=" + l.field(2)).sorted().toList());
                assertTrue(late.call(new Request.Read("boss")).ok());
                assertEquals(List.of("#team=1"), late.call(new Request.Unread()).items().stream()
                        .map(l -> l.field(1) + "=" + l.field(2)).toList());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void theLobbyJoinsAccountsAndLegacyClients(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(Limits.DEFAULT, db.url());
                var legacy = LegacyClient.join(server.port(), "老王");
                var alice = TextClient.loggedIn(server.port(), "alice")) {
            assertEquals("not-member", alice.call(new Request.Group("lobby", "x", "hi")).code());
            assertEquals("joined", alice.call(new Request.Join("lobby")).field(2));
            assertEquals(new Message("alice", "", LegacyRecord.ONLINE), legacy.read());
            assertEquals(List.of("老王", "alice"), names(alice.call(new Request.Members("lobby")), 1));

            legacy.say("你好 alice");
            Line heard = alice.awaitPush(l -> l.command().equals("GROUP"));
            assertEquals(List.of("0", "lobby", "老王", "你好 alice"), List.of(heard.field(1), heard.field(3), heard.field(4), heard.field(5)));

            String longText = "长".repeat(40); // 120 bytes: two records, cut between characters
            assertTrue(alice.call(new Request.Group("lobby", "l1", longText)).ok());
            Message first = legacy.read();
            Message second = legacy.read();
            assertEquals("alice", first.name());
            assertEquals(longText, first.text() + second.text());
            assertEquals(99, first.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);

            try (var late = LegacyClient.join(server.port(), "小李")) {
                assertEquals(Line.of(null, "GROUP_JOINED", "lobby", "小李"), alice.awaitPush("GROUP_JOINED"));
            }
            assertEquals(Line.of(null, "GROUP_LEFT", "lobby", "小李", "left"), alice.awaitPush("GROUP_LEFT"));
            assertTrue(alice.call(new Request.History("#lobby", 0, 10)).code().equals("no-such-group"),
                    "lobby traffic is not stored");
            assertTrue(alice.call(new Request.Leave("lobby")).ok());
            // The legacy client saw alice's name on the records, then her leaving.
            Message m;
            do {
                m = legacy.read();
            } while (m.type() != LegacyRecord.OFFLINE || !m.name().equals("alice"));
        }
    }
}
