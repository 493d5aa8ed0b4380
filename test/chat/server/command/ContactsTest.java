package chat.server.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Item;
import chat.common.proto.Line;
import chat.common.proto.Push;
import chat.common.proto.Request;
import chat.common.proto.Vocabulary;
import chat.server.Backend;
import chat.server.TestServer;
import chat.server.TextClient;
import chat.server.TextClient.Reply;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** CONTACTS, and what a real session's lines are (replies, items, pushes); on both databases. */
class ContactsTest {

    @ParameterizedTest
    @EnumSource(Backend.class)
    void contactsListFriendsGroupsAndRequestsWithUnreadAndTheLastMessage(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(TestServer.settings().dbUrl(db.url()));
                var alice = TextClient.loggedIn(server.port(), "alice")) {
            TextClient.loggedIn(server.port(), "dave").close();
            String longText = "一二三四五六七八九十".repeat(7); // 70 characters
            long lastId;
            long lastTime;
            String teamId;
            try (var bob = TextClient.loggedIn(server.port(), "bob");
                    var carol = TextClient.loggedIn(server.port(), "carol")) {
                FriendsTest.befriend(bob, alice);
                assertTrue(alice.call(new Request.Alias("bob", "B")).ok());
                assertTrue(alice.call(new Request.Create("team", true)).ok());
                teamId = GroupsTest.idOf(alice, "team");
                assertTrue(bob.call(new Request.Join("team")).ok());
                assertTrue(bob.call(new Request.Msg("alice", "m1", "first")).ok());
                var last = bob.call(new Request.Msg("alice", "m2", longText));
                lastId = Long.parseLong(last.field(2));
                lastTime = Long.parseLong(last.field(3));
                assertTrue(bob.call(new Request.Group("team", "g1", "to the team")).ok());
                assertTrue(carol.call(new Request.Add("alice")).ok());
            }
            assertTrue(alice.call(new Request.Add("dave")).ok());
            assertTrue(alice.call(new Request.Join("lobby")).ok());

            Reply contacts = alice.call(new Request.Contacts());
            List<List<String>> items = contacts.items().stream().map(Line::fields).toList();
            assertEquals(List.of("FRIEND", "bob", "B", "0", "2", Long.toString(lastId), Long.toString(lastTime),
                    longText.substring(0, 64)), items.get(0), "bob is offline now; two unread; the preview cut at 64");
            assertEquals(List.of("GROUP_INFO", "0", "lobby", "", "open", "1", "0", "0", "0", ""), items.get(1),
                    "the lobby first among the groups");
            List<String> team = items.get(2);
            assertEquals(List.of("GROUP_INFO", teamId, "team", "alice", "open", "2", "1"), team.subList(0, 7));
            assertEquals("to the team", team.get(9));
            assertEquals(List.of("PENDING", "carol", "in"), items.get(3).subList(0, 3));
            assertEquals(List.of("PENDING", "dave", "out"), items.get(4).subList(0, 3));
            assertEquals(5, items.size());

            try (var bob = new TextClient(server.port(), "bob")) {
                bob.login();
                alice.awaitPush(l -> l.command().equals("PRESENCE") && l.field(2).equals("1"));
                assertEquals("1", alice.call(new Request.Contacts()).items().get(0).field(3),
                        "online as of the reply, after the PRESENCE before it");
            }
            assertTrue(alice.call(new Request.Read("bob", 0)).ok());
            assertEquals("0", alice.call(new Request.Friends()).items().get(0).field(4), "FRIENDS has the same lines");
        }
    }

    /**
     * Every line of a busy session, read with the protocol's own parsers: a tagged line is a reply
     * or an item of a list reply, an untagged one is a push this version knows, and none of them
     * has a name from another of the three vocabularies.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aRealSessionsRepliesItemsAndPushesAreToldApartByTheirFirstField(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(TestServer.settings().dbUrl(db.url()));
                var phone = TextClient.loggedIn(server.port(), "ivy", "phone");
                var laptop = TextClient.loggedIn(server.port(), "ivy", "laptop");
                var jon = TextClient.loggedIn(server.port(), "jon")) {
            FriendsTest.befriend(jon, phone);
            phone.call(new Request.Hello("test", "1.1"));
            phone.call(new Request.Create("club", false));
            jon.call(new Request.Join("club"));
            phone.call(new Request.Approve("club", "jon"));
            jon.call(new Request.Group("club", "g1", "hi club"));
            jon.call(new Request.Msg("ivy", "m1", "hi ivy"));
            phone.call(new Request.Read("jon", 0));
            phone.call(new Request.Rename("club", "club2"));
            phone.call(new Request.Contacts());
            phone.call(new Request.History("jon", 0, 10));
            phone.call(new Request.Requests("club2"));
            phone.call(new Request.Kick("club2", "jon"));
            phone.call(new Request.Join("lobby"));
            phone.call(new Request.Groups());
            phone.call(new Request.Members("lobby"));
            phone.call(new Request.Unread());
            phone.call(new Request.Search("hi", 10));
            phone.call(new Request.Del("jon"));
            phone.call(new Request.Msg("jon", "m2", "not friends now"));
            for (TextClient c : List.of(phone, laptop, jon)) {
                c.call(new Request.Ping());
                check(c);
            }
            assertTrue(laptop.transcript.stream().anyMatch(l -> l.startsWith("READ_MARK:")));
        }
    }

    private static void check(TextClient c) {
        int items = 0;
        List<String> pushes = new ArrayList<>();
        for (String text : c.transcript) {
            Line line = Line.parse(text);
            Vocabulary.Kind kind = Vocabulary.kindOf(line);
            if (items > 0) {
                assertEquals(Vocabulary.Kind.ITEM, kind, c.name + ": an item after its head: " + text);
                assertTrue(!(Item.parse(line) instanceof Item.Unknown), text);
                items--;
            } else if (line.tag() != null) {
                assertEquals(Vocabulary.Kind.REPLY, kind, c.name + ": a tagged line is a reply: " + text);
                if (chat.common.proto.Reply.parse(line) instanceof chat.common.proto.Reply.ListHead head) {
                    items = head.count();
                }
            } else {
                assertEquals(Vocabulary.Kind.PUSH, kind, c.name + ": an untagged line is a push: " + text);
                assertTrue(!(Push.parse(line) instanceof Push.Unknown), c.name + ": a known push: " + text);
                pushes.add(line.command());
            }
        }
        assertEquals(0, items, "every list complete");
        assertTrue(pushes.contains("SYNCED"), c.name + " " + pushes);
    }
}
