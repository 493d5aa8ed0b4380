package chat.server.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.wire.Resp;
import chat.server.reactor.Connection;
import chat.server.reactor.Handler;
import chat.server.reactor.Limits;
import chat.server.reactor.Reactor;
import chat.testing.Redis;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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

/**
 * RedisLink against real Redis: the shared one at 127.0.0.1:6379 under a prefix of this test's
 * own, and redis-server processes the tests start, kill and reconfigure themselves.
 */
class RedisLinkTest {

    private static final long WAIT_SECONDS = 20;

    /** What a link told, in order, as the test thread reads it. */
    static final class Recorder implements RedisLink.Listener {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        final BlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();

        @Override
        public void onUp(RedisLink link) {
            events.add("up");
        }

        @Override
        public void onDown(RedisLink link, String why) {
            events.add("down: " + why);
        }

        @Override
        public void onMessage(RedisLink link, String channel, byte[] payload) {
            messages.add(payload);
            events.add("message on " + channel);
        }

        String next() throws InterruptedException {
            String e = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertTrue(e != null, "an event within " + WAIT_SECONDS + " s");
            return e;
        }

        /** Skips messages until an event that is not one. */
        String nextNotMessage() throws InterruptedException {
            String e;
            do {
                e = next();
            } while (e.startsWith("message"));
            return e;
        }
    }

    private Reactor reactor;
    private final String prefix = Redis.uniquePrefix("link");
    private final List<RedisLink> links = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Handler refuseAll = new Handler() {
            @Override
            public void onRead(Connection c, ByteBuffer in) {
                c.close("no clients here");
            }

            @Override
            public void onClose(Connection c) {}
        };
        reactor = new Reactor(new InetSocketAddress("127.0.0.1", 0), refuseAll, Limits.DEFAULT);
        reactor.start("redis-link-test");
    }

    @AfterEach
    void stop() throws Exception {
        for (RedisLink link : links) {
            link.close();
        }
        reactor.stop();
    }

    private RedisLink open(int port, String name, Recorder recorder) {
        var link = RedisLink.open(reactor, new RedisAddress(Redis.HOST, port, prefix), name, recorder);
        links.add(link);
        return link;
    }

    /** Runs {@code task} on the loop and waits for its result. */
    private <T> T onLoop(Supplier<T> task) throws Exception {
        var result = new CompletableFuture<T>();
        reactor.execute(() -> {
            try {
                result.complete(task.get());
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** One call from the loop, its reply awaited by the test. */
    private Resp.Value call(RedisLink link, String... args) throws Exception {
        var reply = new CompletableFuture<Resp.Value>();
        reactor.execute(() -> link.call(reply::complete, args));
        return reply.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void tenThousandPipelinedCallsAreAnsweredInOrder() throws Exception {
        int port = Redis.shared();
        var recorder = new Recorder();
        RedisLink link = open(port, prefix + "-cmd", recorder);
        assertEquals("up", recorder.next());
        int n = 10_000;
        var replies = new LinkedBlockingQueue<Resp.Value>();
        // All written in one loop task: pipelined, none waits for the one before.
        onLoop(() -> {
            for (int i = 0; i < n; i++) {
                link.call(replies::add, "SET", prefix + ":k" + i, "v" + i, "PX", "60000");
            }
            for (int i = 0; i < n; i++) {
                link.call(replies::add, "GET", prefix + ":k" + i);
            }
            return link.pendingCalls();
        });
        for (int i = 0; i < n; i++) {
            assertEquals(new Resp.Simple("OK"), replies.poll(WAIT_SECONDS, TimeUnit.SECONDS), "SET " + i);
        }
        for (int i = 0; i < n; i++) {
            assertEquals(Resp.Bulk.of("v" + i), replies.poll(WAIT_SECONDS, TimeUnit.SECONDS), "GET " + i);
        }
        // Redis's error is a reply; the link goes on.
        Resp.Value wrong = call(link, "LPUSH", prefix + ":k0", "x");
        assertEquals("WRONGTYPE", ((Resp.Err) wrong).kind());
        assertEquals(new Resp.Int(1), call(link, "DEL", prefix + ":k0"));
        assertTrue(link.isUp());
        assertEquals(0, (int) onLoop(link::pendingCalls));
        assertEquals(1L, (long) onLoop(link::connects));
    }

    @Test
    void aSubscriberLinkGetsWhatAnotherLinkPublishes() throws Exception {
        int port = Redis.shared();
        var commands = new Recorder();
        RedisLink publisher = open(port, prefix + "-pub", commands);
        var events = new Recorder();
        RedisLink subscriber = open(port, prefix + "-sub", events);
        var subscribed = new LinkedBlockingQueue<String>();
        subscriber.subscribe(List.of(prefix + ":a", prefix + ":b"), () -> subscribed.add("a b"));
        assertEquals("a b", subscribed.poll(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals("up", commands.next());
        assertEquals("up", events.next());

        byte[] binary = {0, '\r', '\n', (byte) 0xff, '$', '*', '1'};
        var published = new CompletableFuture<Resp.Value>();
        byte[][] publish = {"PUBLISH".getBytes(StandardCharsets.US_ASCII),
                (prefix + ":b").getBytes(StandardCharsets.UTF_8), binary};
        reactor.execute(() -> publisher.call(published::complete, publish));
        assertEquals(new Resp.Int(1), published.get(WAIT_SECONDS, TimeUnit.SECONDS), "one subscriber");
        assertEquals("message on " + prefix + ":b", events.next());
        assertArrayEquals(binary, events.messages.poll());
        assertEquals(new Resp.Int(1), call(publisher, "PUBLISH", prefix + ":a", "中文"));
        assertEquals("message on " + prefix + ":a", events.next());
        assertEquals("中文", new String(events.messages.poll(), StandardCharsets.UTF_8));
        assertEquals(new Resp.Int(0), call(publisher, "PUBLISH", prefix + ":none", "x"));
    }

    @Test
    void aSubscriberKilledByRedisComesBackSubscribed() throws Exception {
        int port = Redis.shared();
        RedisLink publisher = open(port, prefix + "-pub", new Recorder());
        var events = new Recorder();
        String name = prefix + "-sub";
        RedisLink subscriber = open(port, name, events);
        var subscribed = new LinkedBlockingQueue<String>();
        subscriber.subscribe(List.of(prefix + ":in"), () -> subscribed.add("in"));
        assertEquals("in", subscribed.poll(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals("up", events.next());

        try (var cli = new Redis.Cli(port)) {
            long id = cli.clientId(name);
            assertTrue(id > 0, "CLIENT LIST shows " + name);
            // Only this test's own subscriber, by id: other tests share this Redis.
            assertEquals(new Resp.Int(1), cli.call("CLIENT", "KILL", "ID", Long.toString(id), "TYPE", "pubsub"));
            assertTrue(events.next().startsWith("down: "));
            assertEquals("up", events.next());
            assertEquals("in", subscribed.poll(WAIT_SECONDS, TimeUnit.SECONDS), "subscribed called again");
            assertTrue(cli.clientId(name) > id, "a new connection, named again");
        }
        assertEquals(new Resp.Int(1), call(publisher, "PUBLISH", prefix + ":in", "again"));
        assertEquals("message on " + prefix + ":in", events.next());
        assertEquals("again", new String(events.messages.poll(), StandardCharsets.UTF_8));
        assertEquals(2L, (long) onLoop(subscriber::connects));
    }

    @Test
    void aRedisThatIsNotThereIsTriedAgainWithoutHoldingTheLoop() throws Exception {
        int port;
        try (var probe = new ServerSocket(0)) {
            port = probe.getLocalPort(); // closed again: nothing listens there
        }
        var events = new Recorder();
        RedisLink link = open(port, prefix + "-nowhere", events);
        // The loop keeps turning while the link retries: tasks run, calls are answered at once.
        for (int i = 0; i < 5; i++) {
            Resp.Value v = call(link, "PING");
            assertEquals(RedisLink.LINK_DOWN, v);
            Thread.sleep(100);
        }
        long attempts = onLoop(link::attempts);
        assertTrue(attempts >= 2, "tried again: " + attempts);
        assertFalse(link.isUp());
        assertTrue(events.events.isEmpty(), "never up, so never down: " + events.events);
    }

    @Test
    void aRedisKilledAndRestartedIsReconnected() throws Exception {
        try (var server = Redis.Server.start()) {
            var events = new Recorder();
            RedisLink link = open(server.port(), prefix + "-restart", events);
            assertEquals("up", events.next());
            assertEquals(new Resp.Simple("OK"), call(link, "SET", "k", "v"));

            server.kill();
            assertTrue(events.next().startsWith("down: "));
            assertEquals(RedisLink.LINK_DOWN, call(link, "GET", "k"));
            Thread.sleep(700); // a few tries against nothing: the backoff grows
            server.restart();
            assertEquals("up", events.next());
            assertEquals(Resp.Bulk.NIL, call(link, "GET", "k"), "restarted empty");
            assertEquals(new Resp.Simple("OK"), call(link, "SET", "k", "w"));
            assertEquals(Resp.Bulk.of("w"), call(link, "GET", "k"));
        }
    }

    /**
     * A Redis that hangs (SIGSTOP) keeps its sockets open: the reply that never comes drops the
     * link; while it hangs the link is never up (its kernel still accepts connections, but nothing
     * answers), and once it runs again (SIGCONT) the link is.
     */
    @Test
    void aRedisThatHangsDropsTheLinkAtTheReplyTimeout() throws Exception {
        try (var server = Redis.Server.start()) {
            var events = new Recorder();
            var link = RedisLink.open(reactor, new RedisAddress(Redis.HOST, server.port(), prefix), prefix + "-hang",
                    events, RedisLink.MAX_QUEUED, 1000);
            links.add(link);
            assertEquals("up", events.next());
            server.run(false);
            try {
                assertEquals(RedisLink.LINK_DOWN, call(link, "PING"));
                String down = events.next();
                assertEquals("down: no reply from Redis for 1000 ms", down);
                Thread.sleep(2500); // connects while it hangs: TCP gets through, Redis never answers
                assertTrue(events.events.isEmpty(), "not up while Redis hangs: " + events.events);
                assertFalse(link.isUp());
            } finally {
                server.run(true);
            }
            assertEquals("up", events.next());
            assertEquals(new Resp.Simple("PONG"), call(link, "PING"));
        }
    }

    /**
     * A Redis that stops reading (SIGSTOP) while calls keep coming: once the kernel's buffers are
     * full the link's own queue grows, and past its cap the link is dropped rather than growing
     * without bound; every call waiting is answered.
     */
    @Test
    void outputQueuedForARedisThatDoesNotReadIsBounded() throws Exception {
        try (var server = Redis.Server.start()) {
            var events = new Recorder();
            int cap = 256 << 10;
            var link = RedisLink.open(reactor, new RedisAddress(Redis.HOST, server.port(), prefix), prefix + "-full",
                    events, cap, 600_000);
            links.add(link);
            assertEquals("up", events.next());
            server.run(false);
            var answered = new java.util.concurrent.atomic.AtomicInteger();
            int sent = 0;
            try {
                String value = "v".repeat(64 << 10);
                // 64 KiB a call, until the link gives up: at most 256 MiB, far past any socket buffer.
                for (int round = 0; round < 64 && link.isUp(); round++) {
                    sent += onLoop(() -> {
                        int n = 0;
                        for (; n < 64 && link.isUp(); n++) {
                            link.call(v -> answered.incrementAndGet(), "SET", "k", value);
                        }
                        return n;
                    });
                }
                String down = events.next();
                assertEquals("down: not reading: output backlog over " + cap + " bytes", down);
            } finally {
                server.run(true);
            }
            assertEquals("up", events.next());
            int total = sent;
            assertEquals(total, (int) onLoop(() -> answered.get() + link.pendingCalls()), "every call answered");
        }
    }

    /** Calls waiting when the link drops are each answered, in order, and the listener hears onDown after them. */
    @Test
    void callsWaitingWhenTheLinkDropsAreAnsweredLinkDown() throws Exception {
        try (var server = Redis.Server.start()) {
            var events = new Recorder();
            RedisLink link = open(server.port(), prefix + "-pending", events);
            assertEquals("up", events.next());
            var replies = new LinkedBlockingQueue<Resp.Value>();
            // BLPOP holds its reply; the calls behind it wait with it.
            onLoop(() -> {
                link.call(v -> {
                    replies.add(v);
                    link.call(replies::add, "PING"); // a call from a consumer, while the link drops
                }, "BLPOP", "nothing", "0");
                link.call(replies::add, "PING");
                link.call(replies::add, "PING");
                return null;
            });
            Thread.sleep(200);
            assertTrue(replies.isEmpty());
            server.kill();
            for (int i = 0; i < 4; i++) {
                assertEquals(RedisLink.LINK_DOWN, replies.poll(WAIT_SECONDS, TimeUnit.SECONDS));
            }
            assertTrue(events.next().startsWith("down: "));
        }
    }

    /**
     * A subscriber that stops reading is cut by Redis's output buffer limit (set low on a
     * redis-server of the test's own, never on the shared one); once it reads again it finds the
     * cut, reconnects, subscribes again, and messages flow again.
     */
    @Test
    void aSubscriberThatFallsBehindIsCutAndComesBack() throws Exception {
        try (var server = Redis.Server.start(); var cli = new Redis.Cli(server.port())) {
            assertEquals(new Resp.Simple("OK"),
                    cli.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 64kb 32kb 1"));
            var events = new Recorder();
            String name = prefix + "-slow";
            RedisLink subscriber = open(server.port(), name, events);
            var subscribed = new LinkedBlockingQueue<String>();
            subscriber.subscribe(List.of("ch"), () -> subscribed.add("ch"));
            assertEquals("ch", subscribed.poll(WAIT_SECONDS, TimeUnit.SECONDS));
            assertEquals("up", events.next());
            long id = cli.clientId(name);

            onLoop(() -> {
                subscriber.holdReading(true);
                return null;
            });
            String payload = "x".repeat(4096);
            for (int i = 0; i < 2000 && cli.clientId(name) == id; i++) {
                cli.call("PUBLISH", "ch", payload);
            }
            assertTrue(cli.clientId(name) != id, "Redis cut the subscriber that did not read");
            onLoop(() -> {
                subscriber.holdReading(false);
                return null;
            });
            assertTrue(events.nextNotMessage().startsWith("down: "));
            assertEquals("up", events.nextNotMessage());
            assertEquals("ch", subscribed.poll(WAIT_SECONDS, TimeUnit.SECONDS));
            events.messages.clear();
            events.events.clear();
            assertEquals(new Resp.Int(1), cli.call("PUBLISH", "ch", "after"));
            assertEquals("message on ch", events.next());
            assertEquals("after", new String(events.messages.poll(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aRedisThatSpeaksNoRespCostsOnlyItsLink() throws Exception {
        try (var fake = new ServerSocket(0)) {
            var events = new Recorder();
            RedisLink link = open(fake.getLocalPort(), prefix + "-fake", events);
            try (var peer = fake.accept()) {
                answerName(peer);
                assertEquals("up", events.next());
                peer.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                peer.getOutputStream().flush();
                String down = events.next();
                assertTrue(down.startsWith("down: not RESP"), down);
            }
            try (var again = fake.accept()) {
                answerName(again);
                assertEquals("up", events.next(), "reconnected");
            }
        }
    }

    /** Reads CLIENT SETNAME (the first command on a link) and answers it as Redis does. */
    private static void answerName(java.net.Socket peer) throws Exception {
        var decoder = new Resp.Decoder();
        ByteBuffer in = ByteBuffer.allocate(4096);
        Resp.Value command = null;
        while (command == null) {
            int n = peer.getInputStream().read(in.array(), in.position(), in.remaining());
            assertTrue(n > 0, "the link sent its name");
            in.position(in.position() + n).flip();
            command = decoder.next(in);
            in.compact();
        }
        assertEquals(Resp.Bulk.of("SETNAME"), ((Resp.Array) command).items().get(1));
        peer.getOutputStream().write("+OK\r\n".getBytes(StandardCharsets.US_ASCII));
        peer.getOutputStream().flush();
    }
}
