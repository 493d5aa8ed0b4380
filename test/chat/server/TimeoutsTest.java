package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Line;
import chat.common.proto.Request;
import chat.common.wire.LegacyRecord;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The identify and login timeouts over real sockets, with a server whose timeouts are short (1 s
 * to identify, 2 s to log in); the test waits for the server to act, never for a clock.
 */
class TimeoutsTest {

    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(TestServer.settings()
                .identifyTimeout(Duration.ofSeconds(1))
                .loginTimeout(Duration.ofSeconds(2)));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    /** Reads until the server closes; what it sent before, as text. */
    private static String readUntilClosed(Socket s) throws Exception {
        s.setSoTimeout(15_000);
        InputStream in = s.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aConnectionThatSaysNothingIsClosedWithoutAWord() throws Exception {
        try (var silent = new Socket()) {
            silent.connect(new InetSocketAddress("127.0.0.1", server.port()));
            assertEquals("", readUntilClosed(silent));
        }
    }

    @Test
    void aConnectionWhoseFirstBytesDecideNothingIsClosedToo() throws Exception {
        try (var vague = new Socket()) {
            vague.connect(new InetSocketAddress("127.0.0.1", server.port()));
            vague.getOutputStream().write("HEL".getBytes(StandardCharsets.UTF_8)); // no newline, no NUL
            assertEquals("", readUntilClosed(vague));
        }
    }

    /** A NUL tells the router "legacy"; the room then waits for the rest of the record, not for ever. */
    @Test
    void aLegacyConnectionWhoseFirstRecordNeverCompletesIsClosed() throws Exception {
        try (var half = LegacyClient.connect(server.port(), "half")) {
            half.send(java.util.Arrays.copyOf(LegacyRecord.encode("half", "", LegacyRecord.ONLINE), 60));
            assertTrue(half.awaitClosed(15_000), "closed after the identify timeout");
        }
    }

    @Test
    void aLegacyClientThatLeavesARecordHalfSentIsClosedAndTheRoomIsTold() throws Exception {
        try (var watcher = LegacyClient.join(server.port(), "watcher");
                var half = LegacyClient.join(server.port(), "half")) {
            assertEquals(new LegacyRecord.Message("~half", "", LegacyRecord.ONLINE), watcher.read());
            half.say("a whole one");
            assertEquals(new LegacyRecord.Message("~half", "a whole one", LegacyRecord.CHAT), watcher.read());
            half.send(java.util.Arrays.copyOf(LegacyRecord.encode("half", "and half of", LegacyRecord.CHAT), 100));
            assertEquals(new LegacyRecord.Message("~half", "", LegacyRecord.OFFLINE), watcher.read());
            assertTrue(half.awaitClosed(5_000));
        }
    }

    /** Records that arrive cut across reads, as a steady sender's do, are no half record. */
    @Test
    void aLegacyClientSendingSteadilyInPiecesStays() throws Exception {
        try (var watcher = LegacyClient.join(server.port(), "watcher");
                var steady = LegacyClient.join(server.port(), "steady")) {
            assertEquals(new LegacyRecord.Message("~steady", "", LegacyRecord.ONLINE), watcher.read());
            // Every 100 ms a piece, each ending inside a record: some part of a record is always
            // waiting, for 3 s, three times the timeout, and every record completes.
            byte[] stream = new byte[0];
            for (int i = 0; i < 20; i++) {
                byte[] rec = LegacyRecord.encode("steady", "piece " + i, LegacyRecord.CHAT);
                byte[] more = java.util.Arrays.copyOf(stream, stream.length + rec.length);
                System.arraycopy(rec, 0, more, stream.length, rec.length);
                stream = more;
            }
            int piece = 100;
            for (int off = 0; off < stream.length; off += piece) {
                steady.send(java.util.Arrays.copyOfRange(stream, off, Math.min(stream.length, off + piece)));
                Thread.sleep(100);
            }
            for (int i = 0; i < 20; i++) {
                assertEquals(new LegacyRecord.Message("~steady", "piece " + i, LegacyRecord.CHAT), watcher.read());
            }
        }
    }

    @Test
    void aTextConnectionNotLoggedInIsToldAndClosed() throws Exception {
        try (var c = new TextClient(server.port(), "slow")) {
            assertTrue(c.call(new Request.Ping()).ok(), "identified as text: past the identify timeout");
            Line bye = c.awaitPush("BYE");
            assertEquals("login-timeout", bye.field(1));
            assertTrue(c.closedWithin(10_000));
        }
    }

    @Test
    void aLoggedInConnectionStaysAndALogoutStartsTheClockAgain() throws Exception {
        try (var c = TextClient.loggedIn(server.port(), "steady");
                var watch = new TextClient(server.port(), "watch")) {
            // The anonymous connection, opened after it, is closed first; the logged-in one is still
            // there afterwards.
            assertTrue(watch.call(new Request.Ping()).ok());
            assertEquals("login-timeout", watch.awaitPush("BYE").field(1));
            assertTrue(c.call(new Request.Ping()).ok());
            assertTrue(c.call(new Request.Logout()).ok());
            assertEquals("login-timeout", c.awaitPush("BYE").field(1));
            assertTrue(c.closedWithin(10_000));
        }
    }

    @Test
    void anIdentifiedLegacyClientIsNeverTimedOut() throws Exception {
        try (var legacy = LegacyClient.join(server.port(), "old");
                var anonymous = new TextClient(server.port(), "anon")) {
            // By the time the text connection is told to log in, both timeouts have passed.
            assertTrue(anonymous.call(new Request.Ping()).ok());
            assertEquals("login-timeout", anonymous.awaitPush("BYE").field(1));
            try (var other = LegacyClient.join(server.port(), "other")) {
                assertEquals(new LegacyRecord.Message("~other", "", LegacyRecord.ONLINE), legacy.read());
                other.say("still there?");
                assertEquals(new LegacyRecord.Message("~other", "still there?", LegacyRecord.CHAT), legacy.read());
            }
        }
    }
}
