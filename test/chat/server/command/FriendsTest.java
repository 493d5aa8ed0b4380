package chat.server.command;

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
 * Find, request, accept, decline, delete, alias, presence and the address lookup, and the friend
 * events (stored, pushed live, caught up), on both databases.
 */
public class FriendsTest {

    /**
     * Makes two logged-in clients friends: a asks (b gets {@code FRIEND_REQUEST}), b accepts (a
     * gets {@code FRIEND_ADDED}; b has its reply). Both are online, so each hears the other's
     * presence. Each ACKs its event, as a client does.
     */
    public static void befriend(TextClient a, TextClient b) throws IOException {
        assertEquals("requested", a.call(new Request.Add(b.name)).field(2));
        Line request = b.awaitPush("FRIEND_REQUEST");
        assertEquals(List.of(a.name, b.name), request.fields().subList(3, 5), "from, to");
        b.send(new Request.Ack(Long.parseLong(request.field(1))));
        assertTrue(b.call(new Request.Accept(a.name)).ok());
        Line added = a.awaitPush("FRIEND_ADDED");
        assertEquals(b.name, added.field(3));
        a.send(new Request.Ack(Long.parseLong(added.field(1))));
        assertEquals(Line.of(null, "PRESENCE", b.name, "1"), a.awaitPush("PRESENCE"));
        assertEquals(Line.of(null, "PRESENCE", a.name, "1"), b.awaitPush("PRESENCE"));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void findRequestAcceptAliasAndDelete(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(Limits.DEFAULT, db.url());
                var alice = TextClient.loggedIn(server.port(), "alice");
                var hong = TextClient.loggedIn(server.port(), "小红")) {
            TextClient.loggedIn(server.port(), "红豆").close();

            Reply found = alice.call(new Request.Find("红"));
            assertEquals(List.of("小红", "红豆"), found.items().stream().map(l -> l.field(1)).toList());
            assertEquals("self", alice.call(new Request.Add("alice")).code());
            assertEquals("no-such-user", alice.call(new Request.Add("nobody")).code());
            assertEquals("not-friends", alice.call(new Request.Msg("小红", "m1", "hi")).code());

            befriend(alice, hong);
            assertEquals("already-friends", alice.call(new Request.Add("小红")).code());
            assertEquals("1", alice.call(new Request.Find("小红")).items().get(0).field(2), "FIND marks friends");

            assertTrue(alice.call(new Request.Alias("小红", "Red: the best")).ok());
            Reply friends = alice.call(new Request.Friends());
            assertEquals(List.of("FRIEND", "小红", "Red: the best", "1", "0", "0", "0", ""),
                    friends.items().get(0).fields(), "no message yet: unread 0, last id and time 0, no preview");
            assertTrue(alice.call(new Request.Alias("小红", "")).ok());
            assertEquals("", alice.call(new Request.Friends()).items().get(0).field(2));

            Reply address = alice.call(new Request.ConnectClient("小红"));
            assertEquals("127.0.0.1", address.field(3));
            assertTrue(Integer.parseInt(address.field(4)) > 0);
            assertEquals("not-friends", alice.call(new Request.ConnectClient("红豆")).code());

            assertTrue(hong.call(new Request.Del("alice")).ok());
            assertEquals("小红", alice.awaitPush("FRIEND_REMOVED").field(3));
            assertTrue(alice.call(new Request.Friends()).items().isEmpty(), "deleted on both sides");
            assertTrue(hong.call(new Request.Friends()).items().isEmpty());
            assertEquals("not-friends", hong.call(new Request.Del("alice")).code());
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void declineIsToldAndMutualRequestsMakeFriends(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(Limits.DEFAULT, db.url());
                var a = TextClient.loggedIn(server.port(), "ann");
                var b = TextClient.loggedIn(server.port(), "ben")) {
            a.call(new Request.Add("ben"));
            b.awaitPush("FRIEND_REQUEST");
            assertTrue(b.call(new Request.Decline("ann")).ok());
            assertEquals("ben", a.awaitPush("FRIEND_DECLINED").field(3), "the asker learns it");
            assertEquals("no-request", b.call(new Request.Accept("ann")).code(), "a declined request is gone");
            // Both ask: friends at once, no accept needed.
            assertEquals("requested", a.call(new Request.Add("ben")).field(2));
            b.awaitPush("FRIEND_REQUEST");
            assertEquals("friends", b.call(new Request.Add("ann")).field(2));
            assertEquals("ben", a.awaitPush("FRIEND_ADDED").field(3));
            assertEquals(1, a.call(new Request.Friends()).items().size());
            assertTrue(b.pushes().stream().noneMatch(l -> l.command().equals("FRIEND_ADDED")),
                    "the device that did it has its reply, not a push");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void requestsWaitForTheOfflineAndPresenceIsPushed(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(Limits.DEFAULT, db.url());
                var a = TextClient.loggedIn(server.port(), "amy")) {
            TextClient.loggedIn(server.port(), "bo").close();
            assertEquals("requested", a.call(new Request.Add("bo")).field(2));
            try (var b = new TextClient(server.port(), "bo")) {
                b.login();
                List<Line> waiting = b.catchUp();
                assertEquals(1, waiting.size(), waiting.toString());
                assertEquals(List.of("FRIEND_REQUEST", "amy", "bo"), List.of(waiting.get(0).field(0),
                        waiting.get(0).field(3), waiting.get(0).field(4)));
                Reply contacts = b.call(new Request.Contacts());
                assertEquals("PENDING", contacts.items().get(0).command());
                assertEquals(List.of("amy", "in"), contacts.items().get(0).fields().subList(1, 3));
                assertTrue(b.call(new Request.Accept("amy")).ok());
                a.awaitPush("FRIEND_ADDED");
                assertEquals(Line.of(null, "PRESENCE", "bo", "1"), a.awaitPush("PRESENCE"));
            }
            assertEquals(Line.of(null, "PRESENCE", "bo", "0"), a.awaitPush("PRESENCE"));
            assertEquals("offline", a.call(new Request.ConnectClient("bo")).code());
            try (var b = new TextClient(server.port(), "bo")) {
                b.login();
                assertEquals(Line.of(null, "PRESENCE", "bo", "1"), a.awaitPush("PRESENCE"));
                Reply friends = b.call(new Request.Friends());
                assertEquals("1", friends.items().get(0).field(3), "amy is online");
                assertTrue(b.call(new Request.Logout()).ok());
                assertEquals(Line.of(null, "PRESENCE", "bo", "0"), a.awaitPush("PRESENCE"));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void eventsAreCaughtUpInOrderWithMessagesAndOnceAcknowledgedNotAgain(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(Limits.DEFAULT, db.url());
                var a = TextClient.loggedIn(server.port(), "abe")) {
            try (var b = TextClient.loggedIn(server.port(), "bea")) {
                befriend(a, b);
            }
            assertTrue(a.call(new Request.Msg("bea", "m1", "before")).ok());
            assertTrue(a.call(new Request.Del("bea")).ok());
            assertEquals("requested", a.call(new Request.Add("bea")).field(2));
            try (var b = new TextClient(server.port(), "bea")) {
                b.login();
                List<Line> waiting = b.catchUp();
                assertEquals(List.of("MESSAGE", "FRIEND_REMOVED", "FRIEND_REQUEST"),
                        waiting.stream().map(Line::command).toList(), "in the order they happened");
                assertEquals("before", waiting.get(0).field(7));
                assertEquals("abe", waiting.get(1).field(3));
                List<Long> ids = waiting.stream().map(l -> Long.parseLong(l.field(1))).toList();
                assertEquals(ids.stream().sorted().toList(), ids, "in id order");
                b.call(new Request.Ping()); // the ACKs before it have been handled
            }
            // ACKs still waiting for their batch are written before the next catch-up is read.
            try (var b = new TextClient(server.port(), "bea")) {
                b.login();
                assertEquals(List.of(), b.catchUp(), "acknowledged events do not come again");
            }
        }
    }
}
