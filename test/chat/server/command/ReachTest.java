package chat.server.command;

import static chat.server.command.GroupsTest.after;
import static chat.server.command.GroupsTest.idOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Line;
import chat.common.proto.Request;
import chat.server.Backend;
import chat.server.TestServer;
import chat.server.TextClient;
import chat.server.TextClient.Reply;
import chat.server.reactor.Limits;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 13, "who may reach whom", on both databases: a stranger's invitation waits for an answer
 * (it made the invitee a member at once, and the stranger could then message them in the group),
 * the invitation policy, blocks, and names that look like others.
 */
class ReachTest {

    private static boolean saw(TextClient c, String push) throws IOException {
        c.call(new Request.Ping()); // whatever was pushed before the reply is in by now
        return c.pushes().stream().anyMatch(l -> l.command().equals(push));
    }

    private static List<String> texts(TextClient c) throws IOException {
        c.call(new Request.Ping());
        return c.pushes().stream().filter(l -> l.command().equals("MESSAGE")).map(l -> l.field(7)).toList();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aStrangersInvitationWaitsForTheAnswer(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(Limits.DEFAULT, db.url());
                var stranger = TextClient.loggedIn(server.port(), "mallory");
                var victim = TextClient.loggedIn(server.port(), "victim");
                var victimPhone = TextClient.loggedIn(server.port(), "victim", "phone")) {
            stranger.call(new Request.Create("trap", true));
            String id = idOf(stranger, "trap");
            Reply invited = stranger.call(new Request.Invite("trap", "victim"));
            assertEquals(List.of("INVITE", "true", "invited"), invited.line().fields(), "1.3 made victim a member here");
            assertEquals(List.of(id, "trap", "victim", "mallory"), after(victim.awaitPush("GROUP_INVITED")));
            assertEquals(List.of(id, "trap", "victim", "mallory"), after(victimPhone.awaitPush("GROUP_INVITED")));
            assertEquals(List.of("mallory"), stranger.call(new Request.Members("trap")).items().stream()
                    .map(l -> l.field(1)).toList(), "not a member before accepting");
            assertTrue(stranger.call(new Request.Group("trap", "s1", "click my link")).ok());
            assertEquals(List.of(), texts(victim), "the stranger cannot reach them through the group");
            assertEquals("not-member", victim.call(new Request.Group("trap", "v0", "hm")).code());

            Reply list = victim.call(new Request.Invitations());
            assertEquals(1, list.items().size());
            assertEquals(List.of("INVITATION", id, "trap", "mallory"), list.items().get(0).fields().subList(0, 4));
            assertEquals("invited", stranger.call(new Request.Invite("trap", "victim")).field(2), "asked again");
            assertTrue(victim.call(new Request.DeclineInvite("#trap")).ok());
            assertEquals(List.of(id, "trap", "victim", "mallory"), after(stranger.awaitPush("GROUP_INVITE_DECLINED")));
            assertEquals(List.of(id, "trap", "victim", "mallory"),
                    after(victimPhone.awaitPush("GROUP_INVITE_DECLINED")), "my other device");
            assertTrue(victim.call(new Request.Invitations()).items().isEmpty());
            assertEquals("no-request", victim.call(new Request.DeclineInvite("trap")).code());

            // Invited again, and this time accepted with JOIN: a member, invited by mallory.
            stranger.call(new Request.Invite("trap", "victim"));
            victim.awaitPush(l -> l.command().equals("GROUP_INVITED") && !after(l).isEmpty());
            Reply join = victim.call(new Request.Join("trap"));
            assertEquals(List.of("JOIN", "true", "joined", id), join.line().fields());
            assertEquals(List.of(id, "trap", "victim", "mallory"), after(stranger.awaitPush("GROUP_JOINED")));
            assertTrue(stranger.call(new Request.Group("trap", "s2", "welcome")).ok());
            assertEquals("welcome", victim.awaitPush("MESSAGE").field(7));
            assertTrue(victim.call(new Request.Invitations()).items().isEmpty(), "the accepted one is gone");

            // A closed group's invitation lets the invitee in past the owner's approval, once accepted.
            stranger.call(new Request.Create("vip", false));
            assertEquals("invited", stranger.call(new Request.Invite("vip", "victim")).field(2));
            assertEquals("joined", victim.call(new Request.Join("vip")).field(2));
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void theInviteesPolicyDecides(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(Limits.DEFAULT, db.url());
                var alice = TextClient.loggedIn(server.port(), "alice");
                var bob = TextClient.loggedIn(server.port(), "bob");
                var stranger = TextClient.loggedIn(server.port(), "stranger")) {
            FriendsTest.befriend(alice, bob);
            assertEquals(List.of("INVITE_POLICY", "true", "friends"), bob.call(new Request.InvitePolicy("")).line().fields(),
                    "the default");
            alice.call(new Request.Create("a1", true));
            assertEquals("joined", alice.call(new Request.Invite("a1", "bob")).field(2), "a friend's: at once");
            assertEquals(List.of(idOf(alice, "a1"), "a1", "bob", "alice"), after(bob.awaitPush("GROUP_JOINED")));

            assertEquals("nobody", bob.call(new Request.InvitePolicy("nobody")).field(2));
            alice.call(new Request.Create("a2", true));
            assertEquals("not-invitable", alice.call(new Request.Invite("a2", "bob")).code());
            stranger.call(new Request.Create("s1", true));
            assertEquals("not-invitable", stranger.call(new Request.Invite("s1", "bob")).code());

            assertEquals("anyone", bob.call(new Request.InvitePolicy("anyone")).field(2));
            assertEquals("joined", stranger.call(new Request.Invite("s1", "bob")).field(2), "bob's own choice");
            assertEquals("anyone", bob.call(new Request.InvitePolicy("")).field(2));
            bob.sendRaw("#p:INVITE_POLICY:everyone");
            assertEquals("bad-request", new Reply(bob.readLine(), List.of()).code());
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aBlockStopsMessagesRequestsInvitationsAndGroupPushes(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(Limits.DEFAULT, db.url());
                var alice = TextClient.loggedIn(server.port(), "alice");
                var bob = TextClient.loggedIn(server.port(), "bob");
                var carol = TextClient.loggedIn(server.port(), "carol")) {
            FriendsTest.befriend(alice, bob);
            FriendsTest.befriend(alice, carol);
            alice.call(new Request.Create("club", true));
            bob.call(new Request.Join("club"));
            carol.call(new Request.Join("club"));

            assertEquals("self", alice.call(new Request.Block("alice")).code());
            assertEquals("no-such-user", alice.call(new Request.Block("nobody")).code());
            assertTrue(alice.call(new Request.Block("BOB")).ok());
            assertTrue(alice.call(new Request.Block("bob")).ok(), "blocking again is fine");
            assertEquals("alice", bob.awaitPush("FRIEND_REMOVED").field(3), "the friendship ends, as with DEL");
            Reply blocks = alice.call(new Request.Blocks());
            assertEquals(List.of("BLOCKED", "bob"), blocks.items().get(0).fields().subList(0, 2));

            assertEquals("not-friends", bob.call(new Request.Msg("alice", "b1", "hello?")).code());
            assertEquals("requested", bob.call(new Request.Add("alice")).field(2), "silently dropped");
            assertTrue(alice.call(new Request.Contacts()).items().stream().noneMatch(l -> l.command().equals("PENDING")));
            bob.call(new Request.Create("bobs", true));
            assertEquals("invited", bob.call(new Request.Invite("bobs", "alice")).field(2), "silently dropped");
            assertTrue(alice.call(new Request.Invitations()).items().isEmpty());
            assertEquals("anyone", alice.call(new Request.InvitePolicy("anyone")).field(2));
            assertEquals("joined", bob.call(new Request.Invite("bobs", "alice")).field(2),
                    "what anyone else would be told under alice's policy");
            assertTrue(alice.call(new Request.Groups()).items().stream().noneMatch(l -> l.field(2).equals("bobs")),
                    "and yet alice is in no group of bob's");
            assertEquals("friends", alice.call(new Request.InvitePolicy("friends")).field(2));
            assertEquals("blocked", alice.call(new Request.Add("bob")).code());
            alice.call(new Request.Create("solo", true));
            assertEquals("blocked", alice.call(new Request.Invite("solo", "bob")).code());

            assertTrue(bob.call(new Request.Group("club", "g1", "from bob")).ok());
            assertTrue(carol.call(new Request.Group("club", "g2", "from carol")).ok());
            assertEquals("from bob", carol.awaitPush(l -> l.command().equals("MESSAGE")).field(7));
            assertEquals(List.of("from carol"), texts(alice), "bob's group message is not pushed to alice");
            assertTrue(!saw(alice, "FRIEND_REQUEST") && !saw(alice, "GROUP_INVITED"));

            // Away, then back: the catch-up leaves bob's out too.
            alice.catchUpLive();
            alice.call(new Request.Ping()); // the ACK is in before the connection goes
            alice.close();
            assertTrue(bob.call(new Request.Group("club", "g3", "bob again")).ok());
            assertTrue(carol.call(new Request.Group("club", "g4", "carol again")).ok());
            try (var back = new TextClient(server.port(), "alice")) {
                back.login();
                List<String> caught = back.catchUp().stream().filter(l -> l.command().equals("MESSAGE"))
                        .map(l -> l.field(7)).toList();
                assertEquals(List.of("carol again"), caught);

                assertTrue(back.call(new Request.Unblock("bob")).ok());
                assertTrue(back.call(new Request.Blocks()).items().isEmpty());
                assertTrue(bob.call(new Request.Group("club", "g5", "bob unblocked")).ok());
                assertEquals("bob unblocked", back.awaitPush("MESSAGE").field(7));
                assertEquals("requested", bob.call(new Request.Add("alice")).field(2));
                assertEquals("bob", back.awaitPush("FRIEND_REQUEST").field(3));
                assertEquals("not-friends", bob.call(new Request.Msg("alice", "b2", "hi")).code(),
                        "the friendship does not come back by itself");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void lookAlikeNamesAreRefused(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(Limits.DEFAULT, db.url());
                var alice = TextClient.loggedIn(server.port(), "alice");
                var c = new TextClient(server.port(), "newcomer")) {
            for (String bad : List.of("\u0430lice", "b\u03BFb", "alice\u3164", "\u3164", "\uFDFA".repeat(4))) {
                Reply r = c.call(new Request.Register(bad, "password1"));
                assertEquals("bad-name", r.code(), bad);
                assertEquals("bad-name", c.call(new Request.CheckName(bad)).code(), bad);
                assertEquals("bad-name", alice.call(new Request.Create(bad, true)).code(), bad);
            }
            for (String lookAlike : List.of("AIice", "a1ice", "ALICE")) {
                assertEquals("name-taken", c.call(new Request.Register(lookAlike, "password1")).code(), lookAlike);
                assertEquals("taken", c.call(new Request.CheckName(lookAlike)).field(2), lookAlike);
            }
            for (String good : List.of("张三", "陈明", "bob_2", "李Lee", "Amy陈")) {
                assertEquals("free", c.call(new Request.CheckName(good)).field(2), good);
                assertTrue(c.call(new Request.Register(good, "password1")).ok(), good);
            }
            assertTrue(alice.call(new Request.Create("team", true)).ok());
            assertEquals("name-taken", alice.call(new Request.Create("tearn", true)).code());
            assertEquals("name-taken", alice.call(new Request.Create("TEAM", true)).code());
            assertTrue(alice.call(new Request.Create("小组", true)).ok());
            assertEquals("bad-name", alice.call(new Request.Rename("小组", "\uFDFA".repeat(4))).code());
            assertEquals("bad-name", alice.call(new Request.Rename("小组", "tea\u043C")).code(), "a Cyrillic м");
            assertEquals("name-taken", alice.call(new Request.Rename("小组", "Tearn")).code());
            Line ok = alice.call(new Request.Rename("小组", "Team2")).line();
            assertEquals("true", ok.field(1));
        }
    }
}
