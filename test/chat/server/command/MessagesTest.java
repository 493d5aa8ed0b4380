package chat.server.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Line;
import chat.common.proto.Request;
import chat.server.Await;
import chat.server.Backend;
import chat.server.TestServer;
import chat.server.TextClient;
import chat.server.TextClient.Reply;
import chat.server.reactor.Limits;
import chat.server.text.TextProtocol;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Private messages: live, offline, across a restart, resent, paged, searched; on both databases. */
class MessagesTest {

    @ParameterizedTest
    @EnumSource(Backend.class)
    void liveMessagesAreStoredAcknowledgedAndPushed(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(Limits.DEFAULT, db.url());
                var a = TextClient.loggedIn(server.port(), "alice");
                var b = TextClient.loggedIn(server.port(), "小明")) {
            FriendsTest.befriend(a, b);
            String text = "你好: a line\nwith a newline, a colon and 100% 🌏";
            Reply sent = a.call(new Request.Msg("小明", "c-1", text));
            assertTrue(sent.ok(), sent.toString());
            Line push = b.awaitPush("MESSAGE");
            assertEquals(sent.field(2), push.field(1), "the same id");
            assertEquals(sent.field(3), push.field(2), "the same time");
            assertEquals(List.of("alice", "小明", "", "c-1", text), push.fields().subList(3, 8),
                    "from, to, no group, the client id, the text");
            assertEquals("c-1", sent.field(4));

            // The same client id again, as after a reconnect: the original's id, no second copy.
            Reply again = a.call(new Request.Msg("小明", "c-1", text));
            assertEquals(sent.line().fields(), again.line().fields());
            assertTrue(b.quietFor(300), "no duplicate push");
            assertEquals("bad-request", a.call(new Request.Msg("小明", "c-2", "")).code());
            assertEquals("self", a.call(new Request.Msg("alice", "c-3", "me")).code());
        }
    }

    /**
     * 200 waiting messages of 16 KiB whose every character is escaped on the wire (about 10 MB)
     * come in pages cut by size, not in one page past the connection's output cap, which would
     * cut the recipient off at every login.
     */
    @org.junit.jupiter.api.Test
    void aCatchUpOfHugeMessagesComesInPagesThatFitTheOutputCap() throws Exception {
        try (var db = Backend.SQLITE.fresh();
                var server = TestServer.start(Limits.DEFAULT, db.url())) {
            String text = "%".repeat(Messages.MAX_TEXT_BYTES);
            try (var a = TextClient.loggedIn(server.port(), "alice")) {
                try (var b = TextClient.loggedIn(server.port(), "bob")) {
                    FriendsTest.befriend(a, b);
                }
                for (int i = 0; i < 200; i++) {
                    assertTrue(a.call(new Request.Msg("bob", "big" + i, text)).ok());
                }
            }
            try (var b = new TextClient(server.port(), "bob")) {
                b.login();
                List<Line> got = b.catchUp();
                assertEquals(200, got.stream().filter(l -> l.command().equals("MESSAGE")).count());
                assertTrue(got.stream().filter(l -> l.command().equals("MESSAGE")).allMatch(l -> l.field(7).equals(text)));
            }
        }
    }

    /**
     * An ACK past what was pushed to the device (a wild client: an id never stored, or one stored
     * but not yet sent here) is refused and moves nothing, so later messages still reach the
     * device's catch-up; an ACK of what it did get is recorded as ever (no reply, and that message
     * does not come again).
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void anAckBeyondWhatWasPushedIsRefusedAndSkipsNothingLater(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(Limits.DEFAULT, db.url());
                var a = TextClient.loggedIn(server.port(), "alice")) {
            try (var b = TextClient.loggedIn(server.port(), "bob")) {
                FriendsTest.befriend(a, b);
                assertTrue(a.call(new Request.Msg("bob", "first", "got this one")).ok());
                long got = Long.parseLong(b.awaitPush(l -> l.command().equals("MESSAGE")).field(1));

                Reply wild = b.call(new Request.Ack(9_000_000_000_000_000_000L));
                assertEquals(List.of("ACK", "false", "bad-request"), wild.line().fields().subList(0, 3), wild.toString());
                assertEquals("bad-request", b.call(new Request.Ack(got + 1)).code(), "one past the last pushed");

                b.send(new Request.Ack(got));
                assertTrue(b.call(new Request.Ping()).ok());
                assertTrue(b.transcript.stream().filter(t -> t.startsWith("ACK:")).findAny().isEmpty(),
                        "a good ACK has no reply: " + b.transcript);
            }
            assertTrue(a.call(new Request.Msg("bob", "later", "still for you")).ok());
            try (var b = new TextClient(server.port(), "bob")) {
                b.login();
                List<String> texts = b.catchUp().stream().filter(l -> l.command().equals("MESSAGE"))
                        .map(l -> l.field(7)).toList();
                assertEquals(List.of("still for you"), texts, "the later one, and not the one acknowledged");
            }
        }
    }

    /** Someone typing into nc does not escape a colon in a message: it stays in the text. */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void anUnescapedColonStaysInTheMessage(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(Limits.DEFAULT, db.url());
                var a = TextClient.loggedIn(server.port(), "alice");
                var b = TextClient.loggedIn(server.port(), "bob")) {
            FriendsTest.befriend(a, b);
            a.sendRaw("MSG:bob:c-1:see: this, at 10:30");
            assertEquals("see: this, at 10:30", b.awaitPush("MESSAGE").field(7));
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void messagesForTheOfflineArriveInOrderAtLoginAndSurviveARestart(Backend backend) throws Exception {
        try (var db = backend.fresh()) {
            try (var server = TestServer.start(Limits.DEFAULT, db.url(), TextProtocol.DEFAULT_IDLE_MILLIS, db.data());
                    var a = TextClient.loggedIn(server.port(), "ann")) {
                try (var b = TextClient.loggedIn(server.port(), "bob")) {
                    FriendsTest.befriend(a, b);
                }
                for (int i = 0; i < 5; i++) {
                    assertTrue(a.call(new Request.Msg("bob", "m" + i, "offline " + i)).ok());
                }
            }
            // A new server on the same database.
            try (var server = TestServer.start(Limits.DEFAULT, db.url(), TextProtocol.DEFAULT_IDLE_MILLIS, db.data());
                    var b = new TextClient(server.port(), "bob")) {
                b.login();
                List<String> texts = new ArrayList<>();
                long last = 0;
                for (int i = 0; i < 5; i++) {
                    Line m = b.awaitPush("MESSAGE");
                    texts.add(m.field(7));
                    last = Long.parseLong(m.field(1));
                }
                assertEquals(List.of("offline 0", "offline 1", "offline 2", "offline 3", "offline 4"), texts);
                b.awaitPush("SYNCED");
                // Not acknowledged: the connection dies, and the next login brings them again.
                b.close();
                try (var again = new TextClient(server.port(), "bob")) {
                    again.login();
                    for (int i = 0; i < 5; i++) {
                        assertEquals("offline " + i, again.awaitPush("MESSAGE").field(7));
                    }
                    again.awaitPush("SYNCED");
                    again.send(new Request.Ack(last));
                    again.call(new Request.Ping()); // the ACK has been handled when this is answered
                }
                awaitAcked(server, db.url());
                try (var third = new TextClient(server.port(), "bob")) {
                    third.login();
                    Line first = third.awaitPush(l -> l.command().equals("MESSAGE") || l.command().equals("SYNCED"));
                    assertEquals("SYNCED", first.command(), "acknowledged messages are not delivered again");
                }
            }
        }
    }

    /**
     * ACKs that come while a batch of them is being written are stored by the next batch, which
     * a timer starts once Acks.EVERY_MILLIS have passed since the last: no login or later ACK is
     * needed to bring it.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void anAckThatWaitsForTheNextBatchIsStoredOnItsOwn(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(Limits.DEFAULT, db.url(), TextProtocol.DEFAULT_IDLE_MILLIS, db.data());
                var a = TextClient.loggedIn(server.port(), "ann");
                var b = TextClient.loggedIn(server.port(), "bob")) {
            FriendsTest.befriend(a, b);
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                assertTrue(a.call(new Request.Msg("bob", "t" + i, "timed " + i)).ok());
                ids.add(Long.parseLong(b.awaitPush("MESSAGE").field(1)));
            }
            // The first starts a batch at once; the others come while it is written.
            for (long id : ids) {
                b.send(new Request.Ack(id));
            }
            b.call(new Request.Ping());
            long last = ids.get(2);
            Await.until(() -> ackedByBob(db.url()) == last, "the last ACK is stored");
        }
    }

    private static long ackedByBob(String url) throws Exception {
        try (var c = java.sql.DriverManager.getConnection(url); var s = c.createStatement();
                var rs = s.executeQuery("SELECT d.acked_msg_id FROM devices d JOIN users u ON u.id = d.user_id"
                        + " WHERE u.name = 'bob'")) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    /** Waits until bob's device cursor is stored (ACKs are written in the background). */
    private static void awaitAcked(TestServer server, String url) throws Exception {
        Await.until(() -> ackedByBob(url) > 0, "the ACK is stored");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aLongBacklogComesInPagesMovedOnByAcks(Backend backend) throws Exception {
        int count = Messages.PAGE * 2 + 17;
        try (var db = backend.fresh();
                var server = TestServer.start(Limits.DEFAULT, db.url());
                var a = TextClient.loggedIn(server.port(), "sender")) {
            try (var b = TextClient.loggedIn(server.port(), "reader")) {
                FriendsTest.befriend(a, b);
            }
            for (int i = 0; i < count; i++) {
                a.send(new Request.Msg("reader", "p" + i, "#" + i));
            }
            for (int i = 0; i < count; i++) {
                assertTrue(a.awaitPush(l -> "MSG".equals(l.command())).field(1).equals("true"));
            }
            try (var b = new TextClient(server.port(), "reader")) {
                b.login();
                for (int i = 0; i < count; i++) {
                    Line m = b.awaitPush(l -> l.command().equals("MESSAGE") || l.command().equals("SYNCED"));
                    assertEquals("MESSAGE", m.command(), "message " + i + " before SYNCED");
                    assertEquals("#" + i, m.field(7));
                    b.send(new Request.Ack(Long.parseLong(m.field(1))));
                }
                b.awaitPush("SYNCED");
                // Live now: a new message is pushed at once.
                a.call(new Request.Msg("reader", "live", "live one"));
                assertEquals("live one", b.awaitPush("MESSAGE").field(7));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void historyPagesBackwardsAndSearchFindsChinese(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(Limits.DEFAULT, db.url());
                var a = TextClient.loggedIn(server.port(), "ann");
                var b = TextClient.loggedIn(server.port(), "bob");
                var eve = TextClient.loggedIn(server.port(), "eve")) {
            FriendsTest.befriend(a, b);
            for (int i = 0; i < 7; i++) {
                TextClient from = i % 2 == 0 ? a : b;
                String to = i % 2 == 0 ? "bob" : "ann";
                assertTrue(from.call(new Request.Msg(to, "h" + i, i == 3 ? "今天天气很好 " + i : "line " + i)).ok());
            }
            Reply newest = a.call(new Request.History("bob", 0, 3));
            assertEquals(List.of("line 6", "line 5", "line 4"), texts(newest));
            long oldestShown = Long.parseLong(newest.items().get(2).field(1));
            Reply older = a.call(new Request.History("bob", oldestShown, 3));
            assertEquals(List.of("今天天气很好 3", "line 2", "line 1"), texts(older));
            assertEquals("ann", older.items().get(1).field(3), "from");
            assertEquals("bob", older.items().get(1).field(4), "to");
            assertEquals("", older.items().get(1).field(5), "no group");
            assertEquals("h2", older.items().get(1).field(6), "the client id");

            assertEquals(List.of("今天天气很好 3"), texts(b.call(new Request.Search("天气", 10))));
            assertEquals(List.of("line 6", "line 5"), texts(a.call(new Request.Search("LINE", 2))));
            // Nobody reads another's conversations.
            assertTrue(eve.call(new Request.History("bob", 0, 50)).items().isEmpty());
            assertTrue(eve.call(new Request.Search("line", 50)).items().isEmpty());
            assertEquals("bad-request", a.call(new Request.Search(" ", 5)).code());
            a.sendRaw("#x:HISTORY:bob:0:1000");
            assertEquals("bad-request", new Reply(a.readLine(), List.of()).code());
        }
    }

    private static List<String> texts(Reply r) {
        return r.items().stream().map(l -> l.field(7)).toList();
    }
}
