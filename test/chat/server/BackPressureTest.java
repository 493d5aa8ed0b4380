package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.wire.LegacyRecord;
import chat.common.wire.LegacyRecord.Message;
import chat.server.reactor.Limits;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Floods and stuck readers: nothing lost for those who read, bounded cost for those who don't. */
class BackPressureTest {

    @Test
    void aFloodFromEveryClientAtOnceArrivesExactlyOnceEverywhere() throws Exception {
        int clients = 12;
        int perClient = 3_000;
        // A high-water mark far below the traffic, so that reading pauses and resumes many times.
        Limits limits = Limits.DEFAULT.withMaxPending(8 << 20).withWaterMarks(256 << 10, 128 << 10);
        try (var server = TestServer.start(limits)) {
            List<LegacyClient> all = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                all.add(LegacyClient.join(server.port(), "c" + i));
            }
            // Everyone has seen everyone who joined after them: the room is complete.
            for (int i = 0; i < clients; i++) {
                for (int j = i + 1; j < clients; j++) {
                    assertEquals(new Message("~c" + j, "", LegacyRecord.ONLINE), all.get(i).read());
                }
            }
            ExecutorService pool = Executors.newFixedThreadPool(2 * clients);
            try {
                List<Future<?>> sent = new ArrayList<>();
                for (LegacyClient c : all) {
                    sent.add(pool.submit(() -> {
                        sendAll(c, perClient);
                        return null;
                    }));
                }
                // The readers start once the server has paused reading: nobody reads meanwhile, so
                // the flood must pass the high-water mark (when they read from the start, a quick
                // machine kept up and never paused, and the case failed on its check below).
                awaitPause(server);
                List<Future<int[][]>> received = new ArrayList<>();
                for (LegacyClient c : all) {
                    received.add(pool.submit(() -> readAll(c, clients, perClient)));
                }
                for (Future<?> f : sent) {
                    f.get(60, TimeUnit.SECONDS);
                }
                for (int r = 0; r < clients; r++) {
                    int[][] seen = received.get(r).get(60, TimeUnit.SECONDS);
                    for (int s = 0; s < clients; s++) {
                        for (int seq = 0; seq < perClient; seq++) {
                            int expected = s == r ? 0 : 1;
                            assertEquals(expected, seen[s][seq], "client c" + r + " got c" + s + "'s #" + seq);
                        }
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            var stats = server.reactor().stats().get(5, TimeUnit.SECONDS);
            assertTrue(stats.pauses() > 0, "the flood should have paused reading: " + stats);
            assertEquals(clients, stats.connections(), "nobody was disconnected");
            for (LegacyClient c : all) {
                c.close();
            }
        }
    }

    /** Returns once the server has paused reading at least once; fails after 30 s. */
    private static void awaitPause(TestServer server) throws Exception {
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); System.nanoTime() < deadline; ) {
            if (server.reactor().stats().get(5, TimeUnit.SECONDS).pauses() > 0) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the server never paused reading while nobody read the flood");
    }

    private static void sendAll(LegacyClient c, int count) throws IOException {
        var out = new BufferedOutputStream(c.socket().getOutputStream(), 64 * 1024);
        for (int seq = 0; seq < count; seq++) {
            out.write(LegacyRecord.encode(c.name, Integer.toString(seq), LegacyRecord.CHAT));
        }
        out.flush();
    }

    /** Counts, per sender and sequence number, how often each record arrived. */
    private static int[][] readAll(LegacyClient c, int clients, int perClient) throws IOException {
        int[][] seen = new int[clients][perClient];
        int expected = (clients - 1) * perClient;
        for (int i = 0; i < expected; i++) {
            Message m = c.read();
            int sender = Integer.parseInt(m.name().substring("~c".length()));
            seen[sender][Integer.parseInt(m.text())]++;
        }
        return seen;
    }

    @Test
    void aClientThatStopsReadingIsCutWhileTheOthersKeepReceiving() throws Exception {
        Limits limits = Limits.DEFAULT.withMaxPending(1 << 20);
        try (var server = TestServer.start(limits);
                var sender = LegacyClient.join(server.port(), "sender");
                var reader = LegacyClient.join(server.port(), "reader")) {
            assertEquals("~reader", sender.read().name());
            var stuck = LegacyClient.connect(server.port(), "stuck", 4096);
            stuck.send(LegacyRecord.encode("stuck", "", LegacyRecord.ONLINE));
            assertEquals("~stuck", sender.read().name());
            assertEquals("~stuck", reader.read().name());

            // Far more than the cap plus every kernel buffer between the server and "stuck". The
            // sender stays within 1,000 records of the reader, so the reader is never far behind:
            // only the stuck client can pass the cap.
            int count = 60_000;
            var progress = new AtomicInteger();
            Thread writer = new Thread(() -> {
                try {
                    var out = new BufferedOutputStream(sender.socket().getOutputStream(), 16 * 1024);
                    for (int seq = 0; seq < count; seq++) {
                        while (seq - progress.get() > 1_000) {
                            out.flush();
                            Thread.onSpinWait();
                        }
                        out.write(LegacyRecord.encode("sender", Integer.toString(seq), LegacyRecord.CHAT));
                    }
                    out.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            writer.start();
            boolean stuckLeft = false;
            for (int seq = 0; seq < count; seq++) {
                Message m = reader.read();
                if (m.type() == LegacyRecord.OFFLINE) {
                    assertEquals("~stuck", m.name());
                    stuckLeft = true;
                    seq--;
                    continue;
                }
                assertEquals(new Message("~sender", Integer.toString(seq), LegacyRecord.CHAT), m);
                progress.set(seq);
            }
            writer.join(30_000);
            assertTrue(stuckLeft, "the others were told the stuck client left");
            assertTrue(stuck.awaitClosed(10_000), "the stuck client was disconnected");
            stuck.close();
            var stats = server.reactor().stats().get(5, TimeUnit.SECONDS);
            assertEquals(2, stats.connections());
        }
    }

    @Test
    void aClientThatAcceptsNothingForTooLongIsCutBelowTheCap() throws Exception {
        // A cap far above what is sent: only the stall rule can cut the stuck client.
        Limits limits = Limits.DEFAULT.withMaxPending(256 << 20).withStallMillis(1_500);
        try (var server = TestServer.start(limits);
                var sender = LegacyClient.join(server.port(), "sender")) {
            var stuck = LegacyClient.connect(server.port(), "stuck", 4096);
            stuck.send(LegacyRecord.encode("stuck", "", LegacyRecord.ONLINE));
            assertEquals("~stuck", sender.read().name());
            // More than the kernel buffers hold, so that output waits in the server.
            sendAll(sender, 60_000);
            assertEquals(new Message("~stuck", "", LegacyRecord.OFFLINE), sender.read());
            assertTrue(stuck.awaitClosed(5_000));
            stuck.close();
        }
    }
}
