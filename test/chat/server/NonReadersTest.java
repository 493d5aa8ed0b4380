package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import chat.common.proto.Line;
import chat.common.proto.Request;
import chat.common.wire.LegacyRecord;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Clients that send and never read must not stall the others (issue 13): whatever they make the
 * server queue for them, another client's PING is answered before a 2 s deadline, the bound the
 * issue sets for how long anyone may be held up. Each attacker has a 4 KiB receive buffer, so
 * that its output piles up in the server rather than in the kernel. The deadline is a functional
 * bound (before the fix every PING waited out the 30 s stall cut), not a measurement.
 */
class NonReadersTest {

    /** How long anyone may be held up by clients that do not read: the issue's goal. */
    private static final int DEADLINE_MILLIS = 2_000;
    /** How long the probe keeps asking while the attack runs. */
    private static final long ATTACK_MILLIS = 6_000;
    private static final int SMALL_BUFFER = 4096;

    @ParameterizedTest(name = "{0} legacy clients")
    @ValueSource(ints = {10, 100})
    void legacyClientsThatDoNotReadStallNobody(int count) throws Exception {
        try (var server = TestServer.start(); var probe = new Probe(server.port())) {
            // Enough records that each attacker is sent more than the kernel holds for it (a
            // loopback socket's send buffer grows to 4 MiB) and then some: together they would
            // hold the 16 MiB high-water mark many times over.
            int records = 6_000_000 / ((count - 1) * LegacyRecord.SIZE);
            var attack = new Attack();
            for (int i = 0; i < count; i++) {
                var c = LegacyClient.connect(server.port(), "mute" + i, SMALL_BUFFER);
                String name = c.name;
                attack.start(c.socket(), out -> {
                    out.write(LegacyRecord.encode(name, "", LegacyRecord.ONLINE));
                    for (int r = 0; r < records; r++) {
                        out.write(LegacyRecord.encode(name, "flood " + r, LegacyRecord.CHAT));
                    }
                });
            }
            attack.probeWhileRunning(probe);
        }
    }

    @ParameterizedTest(name = "{0} text clients")
    @ValueSource(ints = {10, 100})
    void textClientsThatDoNotReadStallNobody(int count) throws Exception {
        try (var server = TestServer.start(); var probe = new Probe(server.port())) {
            // The issue's attack: lines of 60,000 bytes, each answered with an error that quotes it.
            String line = "x".repeat(60_000) + "\n";
            int lines = count <= 10 ? 110 : 20;
            var attack = new Attack();
            for (int i = 0; i < count; i++) {
                attack.start(connect(server.port()), out -> {
                    for (int l = 0; l < lines; l++) {
                        out.write(line.getBytes(StandardCharsets.UTF_8));
                    }
                });
            }
            attack.probeWhileRunning(probe);
        }
    }

    /** The issue's 225 bytes: a few HISTORY requests for a group full of 16 KB messages. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void historyRepliesToClientsThatDoNotReadStallNobody(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(TestServer.settings().dbUrl(db.url()));
                var owner = TextClient.loggedIn(server.port(), "mallory");
                var probe = new Probe(server.port())) {
            assertTrue(owner.call(new Request.Create("big", true)).ok());
            String text = "h".repeat(16 * 1024);
            for (int i = 0; i < 200; i++) {
                assertTrue(owner.call(new Request.Group("big", "m" + i, text)).ok());
            }
            int count = 6; // 6 replies of 3.3 MB: more than the 16 MiB high-water mark together
            var attack = new Attack();
            for (int i = 0; i < count; i++) {
                String requests = new Request.Login("mallory", TextClient.password("mallory"), "mute" + i)
                        .toLine(null).format() + "\n"
                        + new Request.History("#big", 0, 200).toLine(null).format() + "\n";
                attack.start(connect(server.port()), out -> out.write(requests.getBytes(StandardCharsets.UTF_8)));
            }
            attack.probeWhileRunning(probe);
        }
    }

    private static Socket connect(int port) throws IOException {
        var s = new Socket();
        s.setReceiveBufferSize(SMALL_BUFFER);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return s;
    }

    /** What an attacker writes; it never reads. */
    private interface Payload {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Attackers, each writing from a thread of its own (a write blocks once the server stops reading it). */
    private static final class Attack {
        private final List<Socket> sockets = new ArrayList<>();
        private final List<Thread> threads = new ArrayList<>();

        void start(Socket s, Payload payload) {
            sockets.add(s);
            var t = new Thread(() -> {
                try {
                    var out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
                    payload.writeTo(out);
                    out.flush();
                } catch (IOException e) {
                    // cut by the server, or closed by the test: either ends the attack
                }
            }, "attacker-" + sockets.size());
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }

        /** Pings while the attackers write and for a while after; every PING must beat the deadline. */
        void probeWhileRunning(Probe probe) throws Exception {
            try {
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ATTACK_MILLIS);
                int pings = 0;
                while (System.nanoTime() < end) {
                    probe.ping(pings++);
                    Thread.sleep(100);
                }
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
                for (Thread t : threads) {
                    t.join(10_000);
                }
            }
        }
    }

    /** A text client that only pings, with a read deadline. */
    private static final class Probe implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;

        Probe(int port) throws IOException {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(DEADLINE_MILLIS);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        }

        void ping(int n) throws IOException {
            String tag = "p" + n;
            socket.getOutputStream().write((new Request.Ping().toLine(tag).format() + "\n").getBytes(StandardCharsets.UTF_8));
            try {
                String reply = in.readLine();
                assertEquals(Line.of(tag, "PING", "true"), reply == null ? null : Line.parse(reply), "PING #" + n + "'s reply");
            } catch (SocketTimeoutException e) {
                fail("PING #" + n + " was not answered within " + DEADLINE_MILLIS + " ms: clients that do not read"
                        + " stalled the server");
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
