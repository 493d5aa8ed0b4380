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

/** Find, request, accept, decline, delete, alias, presence and the address lookup, on both databases. */
class FriendsTest {

    /** Makes two logged-in clients friends: a asks, b accepts. */
    static void befriend(TextClient a, TextClient b) throws IOException {
        assertEquals("requested", a.call(new Request.Add(b.name)).field(2));
        assertEquals(a.name, b.awaitPush("REQUEST").field(1));
        assertTrue(b.call(new Request.Accept(a.name)).ok());
        assertEquals(b.name, a.awaitPush("FRIEND_ADDED").field(1));
        assertEquals(a.name, b.awaitPush("FRIEND_ADDED").field(1));
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
            assertEquals(List.of(Line.of(friends.line().tag(), "FRIEND", "小红", "Red: the best", "1")), friends.items());
            assertTrue(alice.call(new Request.Alias("小红", "")).ok());
            assertEquals("", alice.call(new Request.Friends()).items().get(0).field(2));

            Reply address = alice.call(new Request.ConnectClient("小红"));
            assertEquals("127.0.0.1", address.field(3));
            assertTrue(Integer.parseInt(address.field(4)) > 0);
            assertEquals("not-friends", alice.call(new Request.ConnectClient("红豆")).code());

            assertTrue(hong.call(new Request.Del("alice")).ok());
            assertEquals("小红", alice.awaitPush("FRIEND_REMOVED").field(1));
            assertTrue(alice.call(new Request.Friends()).items().isEmpty(), "deleted on both sides");
            assertTrue(hong.call(new Request.Friends()).items().isEmpty());
            assertEquals("not-friends", hong.call(new Request.Del("alice")).code());
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void declineAndMutualRequests(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(Limits.DEFAULT, db.url());
                var a = TextClient.loggedIn(server.port(), "ann");
                var b = TextClient.loggedIn(server.port(), "ben")) {
            a.call(new Request.Add("ben"));
            b.awaitPush("REQUEST");
            assertTrue(b.call(new Request.Decline("ann")).ok());
            assertEquals("no-request", b.call(new Request.Accept("ann")).code(), "a declined request is gone");
            // Both ask: friends at once, no accept needed.
            assertEquals("requested", a.call(new Request.Add("ben")).field(2));
            assertEquals("friends", b.call(new Request.Add("ann")).field(2));
            assertEquals("ann", b.awaitPush("FRIEND_ADDED").field(1));
            assertEquals("ben", a.awaitPush("FRIEND_ADDED").field(1));
            assertEquals(1, a.call(new Request.Friends()).items().size());
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
                Line request = b.awaitPush("REQUEST");
                assertEquals("amy", request.field(1));
                assertTrue(b.call(new Request.Accept("amy")).ok());
                a.awaitPush("FRIEND_ADDED");
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
}
