package chat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.ErrorCode;
import chat.common.proto.Line;
import chat.common.proto.Request;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connection against a server the test scripts line by line (FakeServer). */
class ConnectionTest {

    private static final Duration WAIT = Duration.ofSeconds(FakeServer.WAIT_SECONDS);

    /** Quick retries, and pings far away unless a test wants them. */
    private static final Connection.Options FAST = new Connection.Options(Duration.ofSeconds(5),
            Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofMillis(50), Duration.ofMillis(200));

    @TempDir
    Path dir;

    /** Everything the listener hears, as text. */
    private final LinkedBlockingQueue<String> heard = new LinkedBlockingQueue<>();

    private final Connection.Listener listener = new Connection.Listener() {
        @Override
        public void connected() {
            heard.add("connected");
        }

        @Override
        public void disconnected(String reason) {
            heard.add("disconnected");
        }

        @Override
        public void loggedIn(String account, boolean again) {
            heard.add((again ? "again " : "login ") + account);
        }

        @Override
        public void message(History.Entry m) {
            heard.add("[" + m.from() + "] " + m.text());
        }

        @Override
        public void push(Line line, List<Line> items) {
            heard.add(line.format() + (items.isEmpty() ? "" : " " + items));
        }
    };

    private String nextHeard() throws InterruptedException {
        String s = heard.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(s, "the listener heard nothing within " + WAIT);
        return s;
    }

    private void expectHeard(String expected) throws InterruptedException {
        assertEquals(expected, nextHeard());
    }

    private Connection connect(FakeServer server, Connection.Options options) {
        return new Connection("127.0.0.1", server.port(), options, History.under(dir, "fake"), listener).start();
    }

    @Test
    void repliesMatchTheirRequestsByTagWhilePushesGoToTheListener() throws Exception {
        try (var server = new FakeServer(); var c = connect(server, FAST); var peer = server.accept()) {
            expectHeard("connected");
            assertTrue(c.awaitReady(WAIT));
            var friends = c.request(new Request.Friends());
            var find = c.request(new Request.Find("b"));
            Line f = peer.read();
            Line g = peer.read();
            assertEquals("FRIENDS", f.command());
            assertEquals(List.of("FIND", "b"), g.fields());
            assertTrue(f.tag() != null && !f.tag().equals(g.tag()), "distinct tags: " + f + ", " + g);
            // answered in the other order, with a push in between
            peer.send(g.tag(), "FIND", "true", "2");
            peer.send(g.tag(), "USER", "bob", "1");
            peer.send(g.tag(), "USER", "bert", "0");
            peer.send(null, "PRESENCE", "bob", "1");
            peer.send(f.tag(), "FRIENDS", "false", "not-logged-in", "LOGIN first");
            var found = find.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(found.ok());
            assertEquals(List.of("bob", "bert"), found.items().stream().map(l -> l.field(1)).toList());
            var refused = friends.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(ErrorCode.NOT_LOGGED_IN, refused.code());
            assertEquals("LOGIN first", refused.message());
            expectHeard("PRESENCE:bob:1");
        }
    }

    @Test
    void everyMessageIsStoredThenAcknowledgedAndADuplicateIsNotShownTwice() throws Exception {
        try (var server = new FakeServer(); var c = connect(server, FAST); var peer = server.accept()) {
            expectHeard("connected");
            assertTrue(c.awaitReady(WAIT));
            var login = c.login("Alice", "secret123");
            peer.answerLogin();
            assertTrue(login.get(WAIT.toSeconds(), TimeUnit.SECONDS).ok());
            expectHeard("login Alice");
            expectHeard("FRIENDS:true:0");
            peer.send(null, "MSG", "5", "1000", "bob", "hi: there");
            peer.send(null, "MSG", "5", "1000", "bob", "hi: there");
            peer.send(null, "MSG", "6", "1001", "bob", "second");
            peer.send(null, "SYNCED");
            assertEquals("ACK:5", peer.read().format());
            assertEquals("ACK:5", peer.read().format(), "a duplicate is acknowledged too, or it would come back");
            assertEquals("ACK:6", peer.read().format());
            expectHeard("[bob] hi: there");
            expectHeard("[bob] second");
            expectHeard("SYNCED");
            var stored = c.history().conversation("bob", 10);
            assertEquals(List.of("hi: there", "second"), stored.stream().map(History.Entry::text).toList());
        }
    }

    @Test
    void groupMessagesAreStoredAndAcknowledgedInTheOneSequenceAndLobbyLinesAreNeither() throws Exception {
        try (var server = new FakeServer(); var c = connect(server, FAST); var peer = server.accept()) {
            expectHeard("connected");
            assertTrue(c.awaitReady(WAIT));
            var login = c.login("alice", "secret123");
            peer.answerLogin();
            assertTrue(login.get(WAIT.toSeconds(), TimeUnit.SECONDS).ok());
            expectHeard("login alice");
            expectHeard("FRIENDS:true:0");
            peer.send(null, "GROUP", "0", "999", "lobby", "oldtimer", "from the lobby");
            peer.send(null, "GROUP", "8", "1000", "team", "bob", "你好: team");
            peer.send(null, "GROUP", "8", "1000", "team", "bob", "你好: team");
            peer.send(null, "MSG", "9", "1001", "bob", "private");
            assertEquals("ACK:8", peer.read().format(), "no ACK of the lobby's id 0");
            assertEquals("ACK:8", peer.read().format());
            assertEquals("ACK:9", peer.read().format());
            expectHeard("[oldtimer] from the lobby");
            expectHeard("[bob] 你好: team");
            expectHeard("[bob] private");
            var team = c.history().conversation("#TEAM", 10);
            assertEquals(List.of("你好: team"), team.stream().map(History.Entry::text).toList());
            assertEquals("#team", team.get(0).to());
            assertEquals(List.of("private"), c.history().conversation("bob", 10).stream().map(History.Entry::text).toList());
            assertEquals(List.of(), c.history().conversation("#lobby", 10));

            // list replies of the group commands come whole, items included
            var unread = c.request(new Request.Unread());
            Line u = peer.read();
            peer.send(u.tag(), "UNREAD", "true", "2");
            peer.send(u.tag(), "UNREAD_COUNT", "#team", "1");
            peer.send(u.tag(), "UNREAD_COUNT", "bob", "1");
            assertEquals(2, unread.get(WAIT.toSeconds(), TimeUnit.SECONDS).items().size());

            // a group message goes as GROUP with a client id; the lobby's is not kept
            var sent = c.sendMessage("#team", "hi all");
            Line g = peer.read();
            assertEquals(List.of("GROUP", "#team"), g.fields().subList(0, 2));
            peer.send(g.tag(), "GROUP", "true", "10", "1002", g.field(2));
            assertEquals(10, sent.get(WAIT.toSeconds(), TimeUnit.SECONDS).serverId());
            var lobby = c.sendMessage("#lobby", "hi lobby");
            Line l = peer.read();
            assertEquals(List.of("GROUP", "#lobby"), l.fields().subList(0, 2));
            peer.send(l.tag(), "GROUP", "true", "0", "1003", l.field(2));
            assertEquals(0, lobby.get(WAIT.toSeconds(), TimeUnit.SECONDS).serverId());
            assertEquals(List.of(), c.history().conversation("#lobby", 10));
            assertEquals(List.of("你好: team", "hi all"),
                    c.history().conversation("#team", 10).stream().map(History.Entry::text).toList());
        }
    }

    @Test
    void pingsWhenItHasSentNothingForAWhile() throws Exception {
        var options = new Connection.Options(Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofSeconds(10),
                Duration.ofMillis(50), Duration.ofMillis(200));
        try (var server = new FakeServer(); var c = connect(server, options); var peer = server.accept()) {
            Line ping = peer.read();
            assertEquals("PING", ping.command());
            assertNotNull(ping.tag());
            peer.send(ping.tag(), "PONG");
            assertEquals("PING", peer.read().command(), "and again after the next quiet spell");
        }
    }

    @Test
    void noPongDropsTheConnectionAndItComesBack() throws Exception {
        var options = new Connection.Options(Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofMillis(300),
                Duration.ofMillis(50), Duration.ofMillis(200));
        try (var server = new FakeServer(); var c = connect(server, options); var peer = server.accept()) {
            assertEquals("PING", peer.read().command()); // and no answer
            try (var second = server.accept()) {
                assertEquals("PING", second.read().command());
            }
        }
    }

    @Test
    void afterAReconnectItLogsInAgainAndResendsWhatWasNotConfirmedWithTheSameClientId() throws Exception {
        try (var server = new FakeServer(); var c = connect(server, FAST)) {
            String clientId;
            try (var peer = server.accept()) {
                assertTrue(c.awaitReady(WAIT));
                var login = c.login("alice", "secret123");
                peer.answerLogin();
                assertTrue(login.get(WAIT.toSeconds(), TimeUnit.SECONDS).ok());
                var sent = c.sendMessage("bob", "are you there?");
                Line msg = peer.readSkippingPings();
                assertEquals(List.of("MSG", "bob"), msg.fields().subList(0, 2));
                assertEquals("are you there?", msg.field(3));
                clientId = msg.field(2);
                // the connection dies before the reply
                peer.close();
                var e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                        () -> sent.get(WAIT.toSeconds(), TimeUnit.SECONDS));
                assertInstanceOf(Connection.NotConnectedException.class, e.getCause());
            }
            assertEquals(History.State.PENDING, c.history().byClientId(clientId).state());
            try (var peer = server.accept()) {
                Line login = peer.answerLogin();
                assertEquals(List.of("LOGIN", "alice", "secret123"), login.fields());
                Line again = peer.readSkippingPings();
                assertEquals(List.of("MSG", "bob", clientId, "are you there?"), again.fields());
                peer.send(again.tag(), "MSG", "true", "77", "5000", clientId);
                // a later message goes after the resent one
                var later = c.sendMessage("bob", "later");
                Line next = peer.readSkippingPings();
                assertEquals("later", next.field(3));
                peer.send(next.tag(), "MSG", "true", "78", "5001", next.field(2));
                assertEquals(78, later.get(WAIT.toSeconds(), TimeUnit.SECONDS).serverId());
                var entry = c.history().byClientId(clientId);
                assertEquals(77, entry.serverId());
                assertEquals(History.State.SENT, entry.state());
                assertEquals(List.of(), c.history().pending());
            }
        }
    }

    @Test
    void replacedByAnotherLoginItDoesNotLogInAgain() throws Exception {
        try (var server = new FakeServer(); var c = connect(server, FAST)) {
            try (var peer = server.accept()) {
                assertTrue(c.awaitReady(WAIT));
                var login = c.login("alice", "secret123");
                peer.answerLogin();
                assertTrue(login.get(WAIT.toSeconds(), TimeUnit.SECONDS).ok());
                peer.send(null, "BYE", "replaced", "logged in again from 10.0.0.2:5555");
            }
            try (var peer = server.accept()) {
                assertTrue(c.awaitReady(WAIT));
                assertNull(c.account());
                var ping = c.request(new Request.Ping());
                Line first = peer.read();
                assertEquals("PING", first.command(), "no LOGIN before it");
                peer.send(first.tag(), "PONG");
                assertEquals("PONG", ping.get(WAIT.toSeconds(), TimeUnit.SECONDS).line().command());
            }
        }
    }

    @Test
    void aLoginAskedForWhileDownHappensOnceConnected() throws Exception {
        try (var server = new FakeServer()) {
            int port = server.port();
            server.close(); // nobody listens: connecting fails, and is retried
            var c = new Connection("127.0.0.1", port, FAST, History.under(dir, "fake"), listener).start();
            try (c) {
                var login = c.login("alice", "secret123");
                assertEquals("alice", c.account());
                assertTrue(!c.isReady());
                var request = c.request(new Request.Friends());
                var e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                        () -> request.get(WAIT.toSeconds(), TimeUnit.SECONDS));
                assertInstanceOf(Connection.NotConnectedException.class, e.getCause());
                assertTrue(!login.isDone());
                try (var back = new FakeServer(port); var peer = back.accept()) {
                    Line sent = peer.answerLogin();
                    assertEquals(List.of("LOGIN", "alice", "secret123"), sent.fields());
                    assertTrue(login.get(WAIT.toSeconds(), TimeUnit.SECONDS).ok());
                    assertTrue(c.isLoggedIn());
                }
            }
        }
    }
}
