package chat.server.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The loop on its own, with a handler that knows nothing of chat. */
class ReactorTest {

    /** Echoes each byte back; the byte '!' makes it throw. */
    private static final class Echo implements Handler {
        final ConcurrentLinkedQueue<Long> closed = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Connection> opened = new ConcurrentLinkedQueue<>();

        @Override
        public void onOpen(Connection c) {
            opened.add(c);
        }

        @Override
        public void onRead(Connection c, ByteBuffer in) {
            while (in.hasRemaining()) {
                byte b = in.get();
                if (b == '!') {
                    throw new IllegalStateException("boom");
                }
                c.write(new byte[] {b});
            }
        }

        @Override
        public void onClose(Connection c) {
            closed.add(c.id());
        }
    }

    private Echo echo;
    private Reactor reactor;

    @BeforeEach
    void start() throws Exception {
        echo = new Echo();
        reactor = new Reactor(new InetSocketAddress("127.0.0.1", 0), echo, Limits.DEFAULT);
        reactor.start("test-reactor");
    }

    @AfterEach
    void stop() throws Exception {
        reactor.stop();
    }

    /**
     * A peer that vanished without a FIN (SIGSTOP, a cable pulled) cannot be made in a test, so
     * the options that find it are read back from the server's side of a connection.
     */
    @Test
    void everyConnectionHasTcpKeepaliveWithShortTimers() throws Exception {
        try (var s = new Socket("127.0.0.1", reactor.port())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (echo.opened.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Connection c = echo.opened.peek();
            assertTrue(c != null, "accepted");
            assertEquals(true, c.channel.getOption(StandardSocketOptions.SO_KEEPALIVE));
            assertEquals(KeepAlive.IDLE_SECONDS, c.channel.getOption(ExtendedSocketOptions.TCP_KEEPIDLE));
            assertEquals(KeepAlive.INTERVAL_SECONDS, c.channel.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL));
            assertEquals(KeepAlive.PROBES, c.channel.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT));
        }
    }

    @Test
    void tasksFromManyThreadsAllRunOnTheLoopThreadInOrderPerThread() throws Exception {
        int threads = 8;
        int perThread = 20_000;
        List<List<Integer>> seen = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            seen.add(new ArrayList<>());
        }
        var done = new CountDownLatch(threads * perThread);
        var wrongThread = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            producers.add(new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    int n = i;
                    reactor.execute(() -> {
                        if (!reactor.inLoop()) {
                            wrongThread.incrementAndGet();
                        }
                        seen.get(id).add(n); // unsynchronised: only the loop thread touches it
                        done.countDown();
                    });
                }
            }));
        }
        producers.forEach(Thread::start);
        assertTrue(done.await(30, TimeUnit.SECONDS), "every task ran");
        assertEquals(0, wrongThread.get());
        var result = new CountDownLatch(1);
        reactor.execute(result::countDown); // makes the lists' contents visible to this thread
        result.await();
        for (List<Integer> s : seen) {
            assertEquals(perThread, s.size());
            for (int i = 0; i < perThread; i++) {
                assertEquals(i, s.get(i));
            }
        }
    }

    @Test
    void aHandlerThatThrowsClosesOnlyItsConnection() throws Exception {
        try (var good = new Socket("127.0.0.1", reactor.port());
                var bad = new Socket("127.0.0.1", reactor.port())) {
            good.setSoTimeout(5_000);
            bad.setSoTimeout(5_000);
            bad.getOutputStream().write("!".getBytes());
            assertEquals(-1, bad.getInputStream().read(), "closed after the handler threw");
            good.getOutputStream().write("xyz".getBytes());
            InputStream goodIn = good.getInputStream();
            assertEquals('x', goodIn.read());
            assertEquals('y', goodIn.read());
            assertEquals('z', goodIn.read());
            assertEquals(1, reactor.stats().get(5, TimeUnit.SECONDS).connections());
            assertEquals(1, echo.closed.size());
        }
    }
}
