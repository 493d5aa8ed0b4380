package chat.server.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Connections the server opens itself ({@link Reactor#connect}), and timers ({@link Reactor#schedule}). */
class OutboundTest {

    private static final long WAIT = 20;

    /** Tells what happens to the connections it drives. */
    private static final class Recorder implements Handler {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        @Override
        public void onOpen(Connection c) {
            events.add("open");
        }

        @Override
        public void onRead(Connection c, ByteBuffer in) {
            byte[] bytes = new byte[in.remaining()];
            in.get(bytes);
            events.add("read " + new String(bytes, StandardCharsets.US_ASCII));
        }

        @Override
        public void onClose(Connection c) {
            events.add("close: " + c.closeReason());
        }

        String next() throws InterruptedException {
            String e = events.poll(WAIT, TimeUnit.SECONDS);
            assertTrue(e != null, "an event within " + WAIT + " s");
            return e;
        }
    }

    private final Recorder clients = new Recorder();
    private Reactor reactor;

    @BeforeEach
    void start() throws Exception {
        // One client per address: the server's own connections must not count toward it.
        reactor = new Reactor(new InetSocketAddress("127.0.0.1", 0), clients,
                Limits.DEFAULT.withMaxConnectionsPerAddress(1));
        reactor.start("outbound-test");
    }

    @AfterEach
    void stop() throws Exception {
        reactor.stop();
    }

    private <T> T onLoop(Supplier<T> task) throws Exception {
        var result = new CompletableFuture<T>();
        reactor.execute(() -> {
            try {
                result.complete(task.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(WAIT, TimeUnit.SECONDS);
    }

    private Connection connect(InetSocketAddress to, Handler handler, long timeoutMillis) throws Exception {
        return onLoop(() -> {
            try {
                return reactor.connect(to, handler, timeoutMillis);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void anOutboundConnectionIsDrivenByItsHandlerAndIsNoClient() throws Exception {
        try (var peerListener = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            var to = new InetSocketAddress("127.0.0.1", peerListener.getLocalPort());
            var link = new Recorder();
            List<Connection> opened = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Connection c = connect(to, link, 5000);
                opened.add(c);
                // Written before the connect is done: waits, then goes first.
                onLoop(() -> {
                    c.write("hello".getBytes(StandardCharsets.US_ASCII));
                    return null;
                });
            }
            List<Socket> peers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Socket peer = peerListener.accept();
                peers.add(peer);
                assertEquals("open", link.next());
                byte[] got = peer.getInputStream().readNBytes(5);
                assertEquals("hello", new String(got, StandardCharsets.US_ASCII));
            }
            peers.get(0).getOutputStream().write("hi".getBytes(StandardCharsets.US_ASCII));
            assertEquals("read hi", link.next());

            // Three links from 127.0.0.1 and a limit of one client per address: a client still gets in.
            try (var client = new Socket("127.0.0.1", reactor.port())) {
                assertEquals("open", clients.next());
                Reactor.Stats stats = onLoop(reactor::statsNow);
                assertEquals(1, stats.connections(), "links are not clients");
                assertEquals(3, stats.links());
                assertEquals(1, (int) onLoop(() -> reactor.connections().size()), "CONNECTIONS lists clients only");
                assertTrue(opened.get(0).isOutbound() && !opened.get(0).isConnecting());
                assertTrue(opened.get(0).toString().contains(" to 127.0.0.1:"), opened.get(0).toString());
            }
            peers.get(1).close();
            assertEquals("close: closed by peer", link.next());
            for (Socket p : peers) {
                p.close();
            }
            assertTrue(link.next().startsWith("close: "));
            assertTrue(link.next().startsWith("close: "));
            assertEquals(0, onLoop(reactor::statsNow).links());
        }
    }

    @Test
    void aRefusedConnectIsAClose() throws Exception {
        int port;
        try (var probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        var link = new Recorder();
        connect(new InetSocketAddress("127.0.0.1", port), link, 5000);
        String e = link.next();
        assertTrue(e.startsWith("close: connect failed"), e);
        assertEquals(0, onLoop(reactor::statsNow).links());
    }

    /** A peer whose accept queue is full drops the SYN: the connect hangs until the timeout. */
    @Test
    void aConnectThatHangsTimesOut() throws Exception {
        try (var full = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    var s = new Socket();
                    try {
                        s.connect(new InetSocketAddress("127.0.0.1", full.getLocalPort()), 300);
                    } catch (java.net.SocketTimeoutException ignored) {
                        // the queue is full already
                    }
                    fillers.add(s);
                }
                var link = new Recorder();
                connect(new InetSocketAddress("127.0.0.1", full.getLocalPort()), link, 300);
                String e = link.next();
                assertEquals("close: connect timed out after 300 ms", e);
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    @Test
    void timersRunInOrderOnTheLoopAndACancelledOneNever() throws Exception {
        var ran = new LinkedBlockingQueue<String>();
        onLoop(() -> {
            reactor.schedule(200, () -> ran.add("200 " + reactor.inLoop()));
            reactor.schedule(50, () -> ran.add("50 a"));
            reactor.schedule(50, () -> ran.add("50 b"));
            Reactor.Timer cancelled = reactor.schedule(100, () -> ran.add("cancelled"));
            cancelled.cancel();
            reactor.schedule(0, () -> {
                throw new IllegalStateException("a timer that throws is logged; the loop goes on");
            });
            return null;
        });
        assertEquals("50 a", ran.poll(WAIT, TimeUnit.SECONDS));
        assertEquals("50 b", ran.poll(WAIT, TimeUnit.SECONDS));
        assertEquals("200 true", ran.poll(WAIT, TimeUnit.SECONDS));
        assertFalse(ran.poll(300, TimeUnit.MILLISECONDS) != null, "the cancelled timer never runs");
    }
}
