package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.wire.LegacyRecord;
import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 10,000 connections of every kind, opened and closed, leave nothing behind: no connection object,
 * no borrowed buffer, no online entry, no file descriptor.
 */
class ConnectionChurnTest {

    private static final int CONNECTIONS = 10_000;
    private static final int BATCH = 200;

    @Test
    void tenThousandConnectionsOpenedAndClosedLeaveNothingBehind() throws Exception {
        var os = (UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (var server = TestServer.start();
                var watcher = LegacyClient.join(server.port(), "watcher")) {
            awaitOnline(server, 1);
            long fdsBefore = -1;
            var random = new Random(42);
            int legacy = 0;
            for (int done = 0; done < CONNECTIONS; done += BATCH) {
                List<Socket> batch = new ArrayList<>();
                for (int i = 0; i < BATCH; i++) {
                    var s = new Socket();
                    s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
                    batch.add(s);
                }
                for (int i = 0; i < batch.size(); i++) {
                    if (behave(batch.get(i), done + i, random)) {
                        legacy++;
                    }
                }
                for (Socket s : batch) {
                    s.close();
                }
                if (fdsBefore < 0) {
                    // Counted after a first batch: what the server opens once, whenever it first needs
                    // it (a jar a class is first loaded from, a worker's first database connection, the
                    // start-up sweeps), is open by then; a leak grows with the thousands that follow.
                    awaitQuiet(server);
                    fdsBefore = os.getOpenFileDescriptorCount();
                }
            }
            // Every legacy client that announced was announced, and then its leave was. (Garbage
            // that happens to look like records is relayed too, under names of its own.)
            int joins = 0;
            int leaves = 0;
            while (joins + leaves < 2 * legacy) {
                var m = watcher.read();
                if (!m.name().matches("~u[0-9]+")) {
                    continue;
                }
                if (m.type() == LegacyRecord.ONLINE) {
                    joins++;
                } else if (m.type() == LegacyRecord.OFFLINE) {
                    leaves++;
                }
            }
            assertEquals(legacy, joins);
            assertEquals(legacy, leaves);

            Reactor_Stats stats = awaitQuiet(server);
            assertEquals(1, stats.connections, "only the watcher is left");
            assertEquals(0, stats.chunksBorrowed, "every buffer went back to the pool");
            assertEquals(1, server.online().size());
            long fdsAfter = os.getOpenFileDescriptorCount();
            assertTrue(fdsAfter <= fdsBefore + 2, "file descriptors: " + fdsBefore + " before, " + fdsAfter + " after");
        }
    }

    /** One of several ways a client can come and go; true if it joined the legacy room. */
    private static boolean behave(Socket s, int n, Random random) throws IOException {
        OutputStream out = s.getOutputStream();
        switch (n % 5) {
            case 0 -> { } // connects and says nothing
            case 1 -> {   // announces, as the C client does
                out.write(LegacyRecord.encode("u" + n, "", LegacyRecord.ONLINE));
                return true;
            }
            case 2 -> {   // a record cut off by the disconnect
                out.write(Arrays.copyOf(LegacyRecord.encode("u" + n, "", LegacyRecord.ONLINE), LegacyRecord.SIZE));
                out.write(Arrays.copyOf(LegacyRecord.encode("u" + n, "cut", LegacyRecord.CHAT), 70));
                return true;
            }
            case 3 -> out.write("PING\nPI".getBytes(StandardCharsets.UTF_8)); // text, then half a line
            default -> {  // garbage
                byte[] junk = new byte[1 + random.nextInt(400)];
                random.nextBytes(junk);
                junk[0] = 1; // neither NUL nor newline first, so sniffing needs more bytes
                out.write(junk);
            }
        }
        out.flush();
        return false;
    }

    private record Reactor_Stats(int connections, int chunksBorrowed) {}

    private static Reactor_Stats awaitQuiet(TestServer server) throws Exception {
        Reactor_Stats last = null;
        for (int i = 0; i < 500; i++) {
            var s = server.reactor().stats().get(5, TimeUnit.SECONDS);
            last = new Reactor_Stats(s.connections(), s.chunksBorrowed());
            if (last.connections == 1 && last.chunksBorrowed == 0) {
                return last;
            }
            Thread.sleep(20);
        }
        return last;
    }

    private static void awaitOnline(TestServer server, int n) throws Exception {
        Await.until(() -> server.online().size() == n, n + " online");
    }
}
