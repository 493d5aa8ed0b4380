package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Line;
import chat.common.proto.Request;
import chat.common.wire.Resp;
import chat.server.config.ClusterSettings;
import chat.server.config.Settings;
import chat.testing.MariaDb;
import chat.testing.Redis;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The cluster of a {@link ClusterTest} case: a fresh MariaDB database, a Redis (the machine's,
 * under a prefix of this cluster's own, or a {@code redis-server} of its own to kill, restart or
 * hang), and the nodes and clients the case asks for, in this JVM. The factories start the usual
 * ones (nodes a and b; alice on a and bob on b, friends; root, an admin, on a). Closing it closes
 * what it opened, last first, then deletes the prefix's keys (or stops its Redis) and drops the
 * database.
 */
final class TestCluster implements AutoCloseable {

    static final Duration HEARTBEAT = Duration.ofMillis(250);
    static final Duration TTL = Duration.ofMillis(1500);

    final MariaDb db;
    /** A {@code redis-server} of this cluster's own; null on the machine's Redis. */
    final Redis.Server redis;
    /** The key and channel prefix on the machine's Redis; null on one of its own. */
    final String prefix;
    /** What the factory started; null where it started none. */
    TestServer a;
    TestServer b;
    TextClient alice;
    TextClient bob;
    TextClient root;
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    private TestCluster(boolean ownRedis) throws Exception {
        this.db = MariaDb.fresh();
        try {
            this.redis = ownRedis ? Redis.Server.start() : null;
        } catch (Exception e) {
            db.close();
            throw e;
        }
        this.prefix = ownRedis ? null : Redis.uniquePrefix("cluster");
    }

    /** A case's steps on a new cluster; should one fail, the cluster is closed. */
    @FunctionalInterface
    private interface Setup {
        void run(TestCluster c) throws Exception;
    }

    private static TestCluster with(boolean ownRedis, Setup setup) throws Exception {
        var c = new TestCluster(ownRedis);
        try {
            setup.run(c);
            return c;
        } catch (Exception | Error e) {
            try {
                c.close();
            } catch (Exception more) {
                e.addSuppressed(more);
            }
            throw e;
        }
    }

    /** The database and the machine's Redis; no node yet. */
    static TestCluster empty() throws Exception {
        return with(false, c -> {});
    }

    /** Nodes a and b, each with {@code settings} applied. */
    static TestCluster nodes(UnaryOperator<Settings.Builder> settings) throws Exception {
        return with(false, c -> c.ab(settings));
    }

    static TestCluster nodes() throws Exception {
        return nodes(s -> s);
    }

    /** Nodes a and b; alice logged in on a, bob on b, friends. */
    static TestCluster friends() throws Exception {
        return with(false, TestCluster::friendsOnAb);
    }

    /** As {@link #friends}, on a {@code redis-server} of the cluster's own ({@link #redis}). */
    static TestCluster friendsOnOwnRedis() throws Exception {
        return with(true, TestCluster::friendsOnAb);
    }

    /** Node a, whose admin is root, and node b; root logged in on a, bob on b. */
    static TestCluster withAdmin() throws Exception {
        return with(false, c -> {
            c.a = c.node("a", s -> s.admins(List.of("root")));
            c.b = c.node("b");
            c.root = c.login(c.a, "root");
            c.bob = c.login(c.b, "bob");
        });
    }

    private void ab(UnaryOperator<Settings.Builder> settings) throws IOException {
        a = node("a", settings);
        b = node("b", settings);
    }

    private void friendsOnAb() throws IOException {
        ab(s -> s);
        alice = login(a, "alice");
        bob = login(b, "bob");
        befriend(alice, bob);
    }

    /** The Redis URL of the nodes: the machine's Redis under {@link #prefix}, or the cluster's own. */
    String redisUrl() {
        return redisUrl(redis != null ? redis.port() : Redis.shared());
    }

    /** As {@link #redisUrl()}, through {@code port} (a relay's, which a test may cut). */
    String redisUrl(int port) {
        return "redis://" + Redis.HOST + ":" + port + "/" + (redis != null ? "own" : prefix);
    }

    /** A node's cluster settings: the test's heartbeat and ttl, on {@code redisUrl}. */
    static ClusterSettings settings(String redisUrl, String id) {
        return new ClusterSettings(redisUrl, id, HEARTBEAT, TTL);
    }

    /** Starts node {@code id} (its --node-id) on the cluster's database and Redis. */
    TestServer node(String id) throws IOException {
        return node(id, s -> s);
    }

    /** As {@link #node(String)}, with {@code more} applied last (it may change the cluster settings too). */
    TestServer node(String id, UnaryOperator<Settings.Builder> more) throws IOException {
        return open(TestServer.start(more.apply(TestServer.settings().dbUrl(db.url())
                .logLevel(System.getProperty("clusterLog", "WARNING")).cluster(settings(redisUrl(), id)))));
    }

    /** {@code name} registered if new and logged in on node {@code n}, its catch-up read. */
    TextClient login(TestServer n, String name) throws IOException {
        return open(TextClient.loggedIn(n.port(), name));
    }

    TextClient login(TestServer n, String name, String device) throws IOException {
        return open(TextClient.loggedIn(n.port(), name, device));
    }

    /** {@code thing}, closed with the cluster (before what was opened earlier). */
    <T extends AutoCloseable> T open(T thing) {
        opened.push(thing);
        return thing;
    }

    /** Closes {@code thing} now (a node's clean stop, a client leaving), and not again at the end. */
    void closeNow(AutoCloseable thing) throws Exception {
        opened.remove(thing);
        thing.close();
    }

    static void befriend(TextClient a, TextClient b) throws IOException {
        assertEquals("requested", a.call(new Request.Add(b.name)).field(2));
        Line request = b.awaitPush("FRIEND_REQUEST");
        b.send(new Request.Ack(Long.parseLong(request.field(1))));
        assertTrue(b.call(new Request.Accept(a.name)).ok());
        Line added = a.awaitPush("FRIEND_ADDED");
        a.send(new Request.Ack(Long.parseLong(added.field(1))));
        assertEquals(Line.of(null, "PRESENCE", b.name, "1"), a.awaitPush("PRESENCE"));
        assertEquals(Line.of(null, "PRESENCE", a.name, "1"), b.awaitPush("PRESENCE"));
    }

    @Override
    public void close() throws Exception {
        Exception failed = null;
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                failed = add(failed, e);
            }
        }
        try {
            if (redis != null) {
                redis.close();
            } else {
                deletePrefix();
            }
        } catch (Exception e) {
            failed = add(failed, e);
        }
        try {
            db.close();
        } catch (Exception e) {
            failed = add(failed, e);
        }
        if (failed != null) {
            throw failed;
        }
    }

    private static Exception add(Exception first, Exception next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    private void deletePrefix() throws IOException {
        try (var cli = new Redis.Cli(Redis.shared())) {
            if (cli.call("KEYS", prefix + ":*") instanceof Resp.Array keys && !keys.isNil()) {
                for (Resp.Value k : keys.items()) {
                    cli.call("DEL", ((Resp.Bulk) k).text());
                }
            }
        }
    }
}
