package chat.server.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Line;
import chat.common.proto.Request;
import chat.server.Backend;
import chat.server.TestServer;
import chat.server.TextClient;
import chat.server.store.Store;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One connection that pipelines: its writer-bound requests are in flight together, the others
 * wait for those before them, replies come in request order, and a client that sends faster than
 * the server stores is slowed by TCP (its reading paused), never cut off.
 */
class PipeliningTest {

    /**
     * 20,000 MSGs on the wire at once from one connection, read by the test as they are answered:
     * each confirmed, in request order with rising ids, and pushed to the friend exactly once.
     * The rate goes to the log, informally.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void twentyThousandPipelinedMessagesAreConfirmedInOrderAndEachDeliveredOnce(Backend backend) throws Exception {
        int n = 20_000;
        try (var db = backend.fresh();
                var server = TestServer.start(TestServer.settings().dbUrl(db.url()));
                var alice = TextClient.loggedIn(server.port(), "alice");
                var bob = TextClient.loggedIn(server.port(), "bob")) {
            FriendsTest.befriend(alice, bob);
            var received = CompletableFuture.supplyAsync(() -> receive(bob, n));
            long start = System.nanoTime();
            var sent = CompletableFuture.runAsync(() -> send(alice, n, i -> new Request.Msg("bob", "c" + i, "hi " + i)));
            long lastId = 0;
            for (int i = 0; i < n; i++) {
                Line reply = nextReply(alice);
                assertEquals("m" + i, reply.tag(), "replies in request order");
                assertEquals(List.of("MSG", "true"), reply.fields().subList(0, 2), reply.toString());
                long id = Long.parseLong(reply.field(2));
                assertTrue(id > lastId, "ids rise in request order: " + reply);
                lastId = id;
                assertEquals("c" + i, reply.field(4));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%s: %,d pipelined messages confirmed in %.2f s (%,.0f/s)%n", backend, n, seconds,
                    n / seconds);
            sent.get(30, TimeUnit.SECONDS);
            assertNull(received.get(60, TimeUnit.SECONDS), "the friend got each message once");
        }
    }

    /**
     * A mixed pipeline: barriers (HISTORY, SEARCH, UNREAD) wait for the messages before them and
     * see them; failures found at once (an empty message, a line that is no command, not a member)
     * still answer in their place.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aMixedPipelineAnswersInRequestOrderAndReadsSeeTheWritesBeforeThem(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(TestServer.settings().dbUrl(db.url()));
                var alice = TextClient.loggedIn(server.port(), "alice");
                var bob = TextClient.loggedIn(server.port(), "bob")) {
            FriendsTest.befriend(alice, bob);
            List<Request> pipeline = new ArrayList<>();
            for (int round = 0; round < 20; round++) {
                pipeline.add(new Request.Msg("bob", "a" + round, "apple " + round));
                pipeline.add(new Request.Msg("bob", "e" + round, "")); // refused at once
                pipeline.add(new Request.Msg("bob", "b" + round, "banana " + round));
                pipeline.add(new Request.History("bob", 0, 2));
                pipeline.add(new Request.Ping());
                pipeline.add(new Request.Msg("bob", "k" + round, "kiwi " + round));
                pipeline.add(new Request.Search("kiwi " + round, 5));
                pipeline.add(new Request.Group("nowhere", "g" + round, "to no group"));
            }
            var all = new StringBuilder();
            for (int i = 0; i < pipeline.size(); i++) {
                all.append(pipeline.get(i).toLine("m" + i).format()).append('\n');
                if (i % 8 == 4) {
                    all.append(Line.of("m" + i + "x", "NO_SUCH_COMMAND").format()).append('\n');
                }
            }
            alice.sendRaw(all.substring(0, all.length() - 1));

            for (int i = 0; i < pipeline.size(); i++) {
                Request r = pipeline.get(i);
                Line reply = nextReply(alice);
                assertEquals("m" + i, reply.tag(), "in request order: " + reply);
                if (r instanceof Request.History || r instanceof Request.Search) {
                    int count = Integer.parseInt(reply.field(2));
                    List<String> clientIds = new ArrayList<>();
                    for (int k = 0; k < count; k++) {
                        Line item = alice.readLine();
                        assertEquals("m" + i, item.tag());
                        clientIds.add(item.field(6));
                    }
                    int round = i / 8;
                    String expected = r instanceof Request.History ? "b" + round : "k" + round;
                    assertTrue(clientIds.contains(expected), r + " sees the message before it: " + clientIds);
                } else if (r instanceof Request.Msg m && m.text().isEmpty()) {
                    assertEquals("bad-request", reply.field(2), reply.toString());
                } else if (r instanceof Request.Group) {
                    assertEquals("false", reply.field(1), reply.toString());
                } else {
                    assertEquals("true", reply.field(1), reply.toString());
                }
                if (i % 8 == 4) {
                    Line err = nextReply(alice);
                    assertEquals("m" + i + "x", err.tag());
                    assertEquals(List.of("ERR", "unknown-command"), err.fields().subList(0, 2));
                }
            }
        }
    }

    /**
     * While the writer is held, a client pipelines far more than the server queues (and than the
     * kernel buffers) for a connection: the server stops reading it and its sender blocks, where it
     * was cut off with {@code busy} before. Once the writer goes on, every message is confirmed.
     */
    @Test
    void aClientFasterThanTheWriterIsSlowedNotCutOff() throws Exception {
        var gate = new Semaphore(0);
        UnaryOperator<Store> held = real -> (Store) Proxy.newProxyInstance(
                Store.class.getClassLoader(), new Class<?>[] {Store.class}, (proxy, method, args) -> {
                    if (method.getName().startsWith("storeFriendMessage")) { // MSG's path
                        gate.acquire();
                        gate.release();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        int n = 60_000;
        String text = "x".repeat(200);
        try (var db = Backend.SQLITE.fresh();
                var server = TestServer.start(TestServer.settings().dbUrl(db.url()), System::currentTimeMillis, held);
                var alice = TextClient.loggedIn(server.port(), "alice");
                var bob = TextClient.loggedIn(server.port(), "bob")) {
            FriendsTest.befriend(alice, bob);
            var received = CompletableFuture.supplyAsync(() -> receive(bob, n));
            var sent = CompletableFuture.runAsync(() -> send(alice, n, i -> new Request.Msg("bob", "c" + i, text)));
            // About 12 MB: more than the connection's queue and the loopback socket buffers hold.
            assertFalse(awaitDone(sent, 2_000), "the sender is held back while the writer is");
            gate.release();
            for (int i = 0; i < n; i++) {
                Line reply = nextReply(alice);
                assertEquals("m" + i, reply.tag());
                assertEquals(List.of("MSG", "true"), reply.fields().subList(0, 2), reply.toString());
            }
            sent.get(30, TimeUnit.SECONDS);
            assertNull(received.get(60, TimeUnit.SECONDS));
        }
    }

    private static boolean awaitDone(CompletableFuture<?> f, long millis) throws Exception {
        try {
            f.get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    /** Writes requests tagged m0, m1, ... in large pieces, as a bot that pipelines does. */
    static void send(TextClient c, int n, java.util.function.IntFunction<Request> request) {
        try {
            var chunk = new StringBuilder();
            for (int i = 0; i < n; i++) {
                chunk.append(request.apply(i).toLine("m" + i).format()).append('\n');
                if (chunk.length() > 64 * 1024 || i == n - 1) {
                    c.sendRaw(chunk.substring(0, chunk.length() - 1));
                    chunk.setLength(0);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The next tagged line (a reply), pushes set aside. */
    static Line nextReply(TextClient c) throws java.io.IOException {
        while (true) {
            Line l = c.readLine();
            if (l.tag() != null) {
                return l;
            }
        }
    }

    /**
     * Reads {@code n} MESSAGE pushes, ACKing as a client does; null when each client id came once,
     * else what went wrong.
     */
    static String receive(TextClient c, int n) {
        Set<String> seen = new HashSet<>();
        try {
            while (seen.size() < n) {
                Line l = c.readLine();
                if (!l.command().equals("MESSAGE")) {
                    continue;
                }
                if (!seen.add(l.field(6))) {
                    return "twice: " + l;
                }
                if (seen.size() % 100 == 0 || seen.size() == n) {
                    c.send(new Request.Ack(Long.parseLong(l.field(1))));
                }
            }
            return c.quietFor(200) ? null : "more than " + n + ": " + c.pushes();
        } catch (java.io.IOException e) {
            return "after " + seen.size() + ": " + e;
        }
    }
}
