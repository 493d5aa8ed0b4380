package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.ErrorCode;
import chat.common.proto.Line;
import chat.common.proto.Request;
import chat.common.wire.LegacyRecord;
import chat.server.reactor.Limits;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code --max-connections-per-address} over real sockets: past the cap a connection gets
 * {@code ERR:too-many-connections} and is closed at once, loopback included, and a closed
 * connection gives its place back.
 */
class ConnectionLimitsTest {

    private static final int CAP = 3;

    private static TestServer start() throws Exception {
        return TestServer.start(TestServer.settings()
                .limits(Limits.DEFAULT.withMaxConnectionsPerAddress(CAP)));
    }

    /** Everything the server sends until it closes. */
    private static String readUntilClosed(Socket s) throws Exception {
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static Socket connect(int port) throws Exception {
        var s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return s;
    }

    @Test
    void aConnectionPastTheCapIsToldWhyAndClosedAndAClosedOneGivesItsPlaceBack() throws Exception {
        try (var server = start()) {
            List<TextClient> held = new ArrayList<>();
            try {
                for (int i = 0; i < CAP; i++) {
                    held.add(new TextClient(server.port(), "c" + i));
                    assertTrue(held.get(i).call(new Request.Ping()).ok(), "connection " + i + " is within the cap");
                }
                try (var refused = connect(server.port())) {
                    String said = readUntilClosed(refused);
                    assertTrue(said.endsWith("\n"), said);
                    Line err = Line.parse(said.strip());
                    assertEquals("ERR", err.command());
                    assertEquals(ErrorCode.TOO_MANY_CONNECTIONS.wire(), err.field(1));
                }
                // The held ones are untouched.
                assertTrue(held.get(0).call(new Request.Ping()).ok());
                held.remove(0).close();
                Await.until(() -> server.reactor().stats().get(5, TimeUnit.SECONDS).connections() == CAP - 1,
                        "the closed connection is gone");
                try (var again = new TextClient(server.port(), "again")) {
                    assertTrue(again.call(new Request.Ping()).ok(), "a place was given back");
                }
                assertEquals(1, server.reactor().stats().get(5, TimeUnit.SECONDS).refused());
            } finally {
                for (TextClient c : held) {
                    c.close();
                }
            }
        }
    }

    /** The cap counts every connection of the address, whatever it speaks. */
    @Test
    void legacyConnectionsCountTooAndARefusedLegacyClientIsClosed() throws Exception {
        try (var server = start()) {
            List<LegacyClient> held = new ArrayList<>();
            try {
                for (int i = 0; i < CAP; i++) {
                    held.add(LegacyClient.join(server.port(), "old" + i));
                }
                for (int i = 1; i < CAP; i++) {
                    assertEquals("~old" + i, held.get(0).read().name(), "the room has every member within the cap");
                }
                try (var refused = LegacyClient.connect(server.port(), "one-too-many")) {
                    assertTrue(refused.awaitClosed(10_000), "closed at once");
                }
                held.get(1).say("still here");
                assertEquals(new LegacyRecord.Message("~old1", "still here", LegacyRecord.CHAT), held.get(0).read());
            } finally {
                for (LegacyClient c : held) {
                    c.close();
                }
            }
        }
    }
}
