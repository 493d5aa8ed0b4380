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
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Groups, group messages and events, unread counts and the lobby, on both databases. */
class GroupsTest {

    private static List<String> names(Reply r, int field) {
        return r.items().stream().map(l -> l.field(field)).toList();
    }

    /** The fields of a push after its id and time (which the test cannot know). */
    static List<String> after(Line push) {
        return push.fields().subList(3, push.size());
    }

    /** The id of a group of mine, from GROUPS. */
    static String idOf(TextClient c, String group) throws IOException {
        return c.call(new Request.Groups()).items().stream().filter(l -> l.field(2).equals(group))
                .findFirst().orElseThrow().field(1);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void createRenameKeepsTheIdAndDisband(Backend backend) throws Exception {
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
            String id = idOf(owner, "team");

            assertTrue(other.call(new Request.Join("#team")).ok());
            assertEquals(List.of(id, "team", "other", ""), after(owner.awaitPush("GROUP_JOINED")), "joined by themselves");
            assertEquals("not-owner", other.call(new Request.Rename("team", "crew")).code());
            assertTrue(owner.call(new Request.Rename("!" + id, "小组")).ok());
            assertEquals(List.of(id, "team", "小组"), after(other.awaitPush("GROUP_RENAMED")));
            Reply groups = other.call(new Request.Groups());
            assertEquals(List.of(Line.of(groups.line().tag(), "GROUP_INFO", id, "小组", "owner", "open", "2")),
                    groups.items(), "the same id under the new name");
            assertEquals(List.of("other", "owner"), names(other.call(new Request.Members("!" + id)), 1));

            assertEquals("not-owner", other.call(new Request.Disband("小组")).code());
            assertTrue(owner.call(new Request.Disband("#小组")).ok(), "a leading # names a group too");
            assertEquals(List.of(id, "小组"), after(other.awaitPush("GROUP_DELETED")));
            assertTrue(other.call(new Request.Groups()).items().isEmpty());
            assertEquals("no-such-group", other.call(new Request.Members("小组")).code());
            assertEquals("no-such-group", other.call(new Request.Members("!" + id)).code());
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
            String id = idOf(owner, "team");
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
                Line push = c.awaitPush("MESSAGE");
                assertEquals(List.of("MESSAGE", sent.field(2), sent.field(3), "ann", "#team", id, "a1", "大家好"),
                        push.fields());
            }
            assertEquals(sent.line().fields(), ann.call(new Request.Group("team", "a1", "大家好")).line().fields(),
                    "a resend is answered with the original");

            for (int i = 0; i < 4; i++) {
                owner.call(new Request.Group("!" + id, "o" + i, "news " + i));
            }
            assertEquals("news 0", ann.awaitPush("MESSAGE").field(7), "the sender got no copy of its own");
            assertEquals("news 0", bob.awaitPush("MESSAGE").field(7), "and the resend was pushed no second time");
            Reply page = bob.call(new Request.History("#team", 0, 3));
            assertEquals(List.of("news 3", "news 2", "news 1"), names(page, 7));
            assertEquals(List.of("boss", "#team", id), page.items().get(0).fields().subList(3, 6));
            Reply older = bob.call(new Request.History("!" + id, Long.parseLong(page.items().get(2).field(1)), 10));
            assertEquals(List.of("news 0", "大家好"), names(older, 7));

            assertEquals("owner-cannot-leave", owner.call(new Request.Leave("team")).code());
            assertTrue(bob.call(new Request.Leave("team")).ok());
            assertEquals(List.of(id, "team", "bob", "left", ""), after(ann.awaitPush("GROUP_LEFT")));
            assertEquals("not-member", bob.call(new Request.Group("team", "b9", "still here?")).code());
            assertTrue(owner.call(new Request.Kick("team", "ann")).ok());
            assertEquals(List.of(id, "team", "ann", "kicked", "boss"), after(ann.awaitPush("GROUP_LEFT")),
                    "the kicked one hears it too");
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
            String id = idOf(owner, "vip");
            assertEquals("invited", owner.call(new Request.Invite("vip", "mia")).field(2), "mia is no friend of boss");
            assertEquals("joined", member.call(new Request.Join("vip")).field(2), "accepting the invitation");
            assertEquals(List.of(id, "vip", "mia", "boss"), after(owner.awaitPush("GROUP_JOINED")), "invited by boss");
            assertEquals("already-member", owner.call(new Request.Invite("vip", "mia")).code());
            assertEquals("not-owner", member.call(new Request.Invite("vip", "ask")).code());

            assertEquals("requested", asker.call(new Request.Join("vip")).field(2));
            assertEquals(List.of(id, "vip", "ask"), after(owner.awaitPush("GROUP_JOIN_REQUEST")));
            Reply requests = owner.call(new Request.Requests("vip"));
            assertEquals(List.of(id, "vip", "ask"), requests.items().get(0).fields().subList(1, 4));
            assertEquals("JOIN_REQUESTED", requests.items().get(0).command());
            assertEquals("not-owner", member.call(new Request.Approve("vip", "ask")).code());
            assertEquals("no-request", owner.call(new Request.Approve("vip", "mia")).code());
            assertTrue(owner.call(new Request.Approve("vip", "ask")).ok());
            assertEquals(List.of(id, "vip", "ask", "boss"), after(asker.awaitPush("GROUP_JOINED")));
            assertEquals(List.of(id, "vip", "ask", "boss"), after(member.awaitPush("GROUP_JOINED")));
            assertTrue(owner.call(new Request.Requests("vip")).items().isEmpty());
            assertTrue(asker.call(new Request.Group("vip", "k1", "thanks")).ok());
            assertEquals("thanks", member.awaitPush("MESSAGE").field(7));
        }
    }

    /**
     * REJECT drops the request; the asker learns it on every device (one that was away, at its
     * catch-up), and so do the owner's other devices; nobody else does.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void theOwnerRejectsAJoinRequest(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(Limits.DEFAULT, db.url());
                var owner = TextClient.loggedIn(server.port(), "boss");
                var ownerPhone = TextClient.loggedIn(server.port(), "boss", "phone");
                var member = TextClient.loggedIn(server.port(), "mia");
                var asker = TextClient.loggedIn(server.port(), "ask")) {
            TextClient.loggedIn(server.port(), "ask", "tablet").close(); // a device of the asker's, away
            owner.call(new Request.Create("vip", false));
            String id = idOf(owner, "vip");
            assertTrue(owner.call(new Request.Invite("vip", "mia")).ok());
            assertEquals("joined", member.call(new Request.Join("vip")).field(2), "accepting the invitation");
            assertEquals("requested", asker.call(new Request.Join("vip")).field(2));
            assertEquals(List.of(id, "vip", "ask"), after(owner.awaitPush("GROUP_JOIN_REQUEST")));

            assertEquals("no-such-group", owner.call(new Request.Reject("nope", "ask")).code());
            assertEquals("not-owner", member.call(new Request.Reject("vip", "ask")).code());
            assertEquals("no-such-user", owner.call(new Request.Reject("vip", "nobody")).code());
            assertEquals("no-request", owner.call(new Request.Reject("vip", "mia")).code());
            Reply ok = owner.call(new Request.Reject("#vip", "ASK"));
            assertEquals(List.of("REJECT", "true"), ok.line().fields());

            List<String> told = List.of(id, "vip", "boss", "ask");
            assertEquals(told, after(asker.awaitPush("GROUP_REJECTED")));
            assertEquals(told, after(ownerPhone.awaitPush("GROUP_REJECTED")), "the owner's other device");
            assertTrue(owner.call(new Request.Requests("vip")).items().isEmpty(), "the request is gone");
            assertEquals("no-request", owner.call(new Request.Reject("vip", "ask")).code(), "rejected once");
            assertEquals("no-request", owner.call(new Request.Approve("vip", "ask")).code());
            assertEquals("not-member", asker.call(new Request.Group("vip", "a1", "let me in")).code());
            member.call(new Request.Ping()); // whatever was pushed before its reply is in by now
            for (TextClient c : List.of(owner, member)) {
                assertTrue(c.pushes().stream().noneMatch(l -> l.command().equals("GROUP_REJECTED")),
                        c.name + " was told");
            }

            try (var tablet = new TextClient(server.port(), "ask", "tablet")) {
                tablet.login();
                assertEquals(List.of(told), tablet.catchUp().stream()
                        .filter(l -> l.command().equals("GROUP_REJECTED")).map(GroupsTest::after).toList(),
                        "caught up at the login of a device that was away");
            }
            assertEquals("requested", asker.call(new Request.Join("vip")).field(2), "the asker may ask again");
            assertEquals(List.of(id, "vip", "ask"), after(owner.awaitPush("GROUP_JOIN_REQUEST")));
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
                List<Line> got = late.catchUp();
                assertEquals(List.of("#team group one", "late private two", "#team group three"),
                        got.stream().map(m -> m.field(4) + " " + m.field(7)).toList());
                Reply unread = late.call(new Request.Unread());
                assertEquals(List.of("#team=2", "boss=1"),
                        unread.items().stream().map(l -> l.field(1) + "=" + l.field(2)).sorted().toList());
                assertTrue(late.call(new Request.Read("#team", 0)).ok());
                assertEquals(List.of("boss=1"), late.call(new Request.Unread()).items().stream()
                        .map(l -> l.field(1) + "=" + l.field(2)).toList());
            }
            // Read marks last across logins; new messages count again.
            owner.call(new Request.Group("team", "g3", "four"));
            try (var late = new TextClient(server.port(), "late")) {
                late.login();
                assertEquals(List.of("four"), DevicesTest.texts(late.catchUp()));
                assertEquals(List.of("#team=1", "boss=1"), late.call(new Request.Unread()).items().stream()
                        .map(l -> l.field(1) + "=" + l.field(2)).sorted().toList());
                assertTrue(late.call(new Request.Read("boss", 0)).ok());
                assertEquals(List.of("#team=1"), late.call(new Request.Unread()).items().stream()
                        .map(l -> l.field(1) + "=" + l.field(2)).toList());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aMemberKickedWhileOfflineLearnsItAtLogin(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(Limits.DEFAULT, db.url());
                var owner = TextClient.loggedIn(server.port(), "boss")) {
            owner.call(new Request.Create("team", true));
            String id = idOf(owner, "team");
            try (var ann = TextClient.loggedIn(server.port(), "ann")) {
                assertTrue(ann.call(new Request.Join("team")).ok());
            }
            assertTrue(owner.call(new Request.Group("team", "g1", "before the kick")).ok());
            assertTrue(owner.call(new Request.Kick("team", "ann")).ok());
            assertTrue(owner.call(new Request.Group("team", "g2", "after the kick")).ok());
            try (var ann = new TextClient(server.port(), "ann")) {
                ann.login();
                List<Line> got = ann.catchUp();
                // Group text reaches current members only (the store's rule), so what was said
                // before the kick is not delivered either: the kick is all ann learns.
                assertEquals(List.of("GROUP_LEFT"), got.stream().map(Line::command).toList());
                assertEquals(List.of(id, "team", "ann", "kicked", "boss"), after(got.get(0)));
                assertTrue(ann.call(new Request.Groups()).items().isEmpty());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aGroupMessageReachesEveryDeviceOfEveryMemberButTheSendingOne(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(TestServer.settings().dbUrl(db.url()));
                var phone = TextClient.loggedIn(server.port(), "ada", "phone");
                var laptop = TextClient.loggedIn(server.port(), "ada", "laptop");
                var bob = TextClient.loggedIn(server.port(), "bob")) {
            assertTrue(phone.call(new Request.Create("pair", true)).ok());
            String id = idOf(phone, "pair");
            assertEquals(List.of(id, "pair", "ada", ""), after(laptop.awaitPush("GROUP_JOINED")),
                    "my other device learns of the group I made");
            assertTrue(bob.call(new Request.Join("pair")).ok());
            assertTrue(bob.call(new Request.Group("pair", "b1", "hello both")).ok());
            assertEquals("hello both", phone.awaitPush("MESSAGE").field(7));
            assertEquals("hello both", laptop.awaitPush("MESSAGE").field(7));
            assertTrue(phone.call(new Request.Group("pair", "p1", "from the phone")).ok());
            assertEquals("from the phone", bob.awaitPush("MESSAGE").field(7));
            assertEquals("from the phone", laptop.awaitPush("MESSAGE").field(7));
            assertTrue(bob.call(new Request.Group("pair", "b2", "marker")).ok());
            assertEquals("marker", phone.awaitPush("MESSAGE").field(7), "the phone had no copy of its own");
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
            assertEquals(List.of("~老王", "alice"), names(alice.call(new Request.Members("!0")), 1));
            Reply groups = alice.call(new Request.Groups());
            assertEquals(List.of("GROUP_INFO", "0", "lobby", "", "open", "2"), groups.items().get(0).fields());

            legacy.say("你好 alice");
            Line heard = alice.awaitPush("MESSAGE");
            assertEquals(List.of("0", "~老王", "#lobby", "0", "", "你好 alice"),
                    List.of(heard.field(1), heard.field(3), heard.field(4), heard.field(5), heard.field(6), heard.field(7)));

            String longText = "长".repeat(40); // 120 bytes: two records, cut between characters
            assertTrue(alice.call(new Request.Group("#lobby", "l1", longText)).ok());
            Message first = legacy.read();
            Message second = legacy.read();
            assertEquals("alice", first.name());
            assertEquals(longText, first.text() + second.text());
            assertEquals(99, first.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);

            try (var late = LegacyClient.join(server.port(), "小李")) {
                Line joined = alice.awaitPush("GROUP_JOINED");
                assertEquals(List.of("0", "0", "lobby", "~小李", ""), List.of(joined.field(1), joined.field(3),
                        joined.field(4), joined.field(5), joined.field(6)));
            }
            Line left = alice.awaitPush("GROUP_LEFT");
            assertEquals(List.of("0", "0", "lobby", "~小李", "left", ""), List.of(left.field(1), left.field(3),
                    left.field(4), left.field(5), left.field(6), left.field(7)));
            assertEquals("no-such-group", alice.call(new Request.History("#lobby", 0, 10)).code(),
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
