package chat.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Line;
import chat.common.proto.Request;
import chat.common.wire.LegacyRecord;
import chat.common.wire.Resp;
import chat.server.Await;
import chat.server.LegacyClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's failure tests: real server processes as cluster nodes on one MariaDB and one
 * redis-server of the test's own ({@link Cluster}), users pinned to nodes by connecting to them,
 * traffic flowing while a node is killed (-9) or frozen (SIGSTOP, then SIGCONT), Redis killed and
 * restarted empty, the subscriber connections cut ({@code CLIENT KILL TYPE pubsub}) or cut by
 * Redis's output buffer limit. In each: every message a sender saw confirmed reaches each
 * recipient under its one id (none lost, none stored twice), a connection never gets an id twice
 * or out of order ({@link Peer}), and presence is right within 10 s.
 */
class ClusterFailureTest {

    /** The issue's bound for presence after a failure. */
    private static final Duration PRESENCE = Duration.ofSeconds(10);
    /** A generous bound on everything confirmed arriving (a broken cluster, not a slow one, misses it). */
    private static final Duration ALL = Duration.ofSeconds(30);

    /**
     * Sends {@code count} messages from {@code from} to {@code to} (a name, or {@code #group}),
     * client ids {@code prefix0}, {@code prefix1}, ..., one every {@code gapMillis}, on a thread of
     * its own; stops at the first that cannot be sent (its connection gone). Completes when every
     * reply came or failed.
     */
    static CompletableFuture<Void> flow(Peer from, String to, String prefix, int count, long gapMillis) {
        return async(() -> {
            List<CompletableFuture<Line>> replies = new ArrayList<>();
            try {
                for (int i = 0; i < count; i++) {
                    String text = prefix + i + " from " + from.name;
                    replies.add(to.startsWith("#") ? from.group(to.substring(1), prefix + i, text)
                            : from.msg(to, prefix + i, text));
                    if (gapMillis > 0) {
                        Thread.sleep(gapMillis);
                    }
                }
            } catch (IOException cut) {
                // the connection went: what was not confirmed does not count
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (var r : replies) {
                r.handle((ok, failed) -> null).join();
            }
        });
    }

    /**
     * {@code task} on a thread of its own: the common pool has one thread on a two-core machine,
     * which would run the flows one after the other instead of together.
     */
    static CompletableFuture<Void> async(Runnable task) {
        var done = new CompletableFuture<Void>();
        var t = new Thread(() -> {
            try {
                task.run();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "flow");
        t.setDaemon(true);
        t.start();
        return done;
    }

    private static void await(CompletableFuture<?>... flows) throws Exception {
        CompletableFuture.allOf(flows).get(ALL.toSeconds() * 2, TimeUnit.SECONDS);
    }

    private static long confirmed(Peer p, String prefix) {
        return p.confirmed.keySet().stream().filter(c -> c.startsWith(prefix)).count();
    }

    private static void ok(Line reply) {
        assertEquals("true", reply.field(1), reply.toString());
    }

    private static void awaitLobby(Peer p, String line) throws Exception {
        Await.until(() -> p.lobby.contains(line), Peer.WAIT, () -> p.name + " gets \"" + line + "\" in the lobby: " + p.lobby);
    }

    /** The next lobby record to {@code c} that matches, passing over others. */
    private static LegacyRecord.Message record(LegacyClient c, Predicate<LegacyRecord.Message> match, String what)
            throws IOException {
        long deadline = System.nanoTime() + Peer.WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            var m = c.read();
            if (match.test(m)) {
                return m;
            }
        }
        throw new AssertionError(c.name + " got no " + what);
    }

    @Test
    void twoNodesCarryPrivateGroupAndLobbyTrafficAndPresence() throws Exception {
        try (var cluster = Cluster.start(2); var ann = new Peer("ann"); var ben = new Peer("ben")) {
            int n1 = cluster.node(1).port();
            int n2 = cluster.node(2).port();
            ann.login(n1);
            ben.login(n2);
            ann.befriend(ben); // presence across nodes, both ways
            ok(ann.call(new Request.Create("crew", true)));
            ok(ben.call(new Request.Join("crew")));

            await(flow(ann, "ben", "p", 100, 0), flow(ben, "ann", "p", 100, 0),
                    flow(ann, "#crew", "g", 50, 0), flow(ben, "#crew", "g", 50, 0));
            ben.awaitAll(ann, "p", ALL);
            ben.awaitAll(ann, "g", ALL);
            ann.awaitAll(ben, "p", ALL);
            ann.awaitAll(ben, "g", ALL);

            // The lobby: a legacy client on each node, an account on each node. Each arrival is
            // awaited where it is seen first, so that the next step does not race it.
            ok(ben.call(new Request.Join("lobby")));
            try (var old1 = LegacyClient.join(n1, "old1")) {
                awaitLobby(ben, "+~old1");
                try (var old2 = LegacyClient.join(n2, "old2")) {
                    awaitLobby(ben, "+~old2");
                    record(old1, m -> m.type() == LegacyRecord.ONLINE && m.name().endsWith("old2"), "old2's arrival from n2");
                    ok(ann.call(new Request.Join("lobby")));
                    record(old2, m -> m.type() == LegacyRecord.ONLINE && m.name().equals("ann"), "ann's arrival from n1");
                    awaitLobby(ben, "+ann");
                    old2.say("hi from n2");
                    record(old1, m -> m.text().equals("hi from n2"), "old2's line from n2");
                    awaitLobby(ann, "~old2:hi from n2");
                    ok(ann.send(new Request.Group("lobby", "l1", "hi from ann")).get(Peer.WAIT.toSeconds(), TimeUnit.SECONDS));
                    record(old2, m -> m.name().equals("ann") && m.text().equals("hi from ann"), "ann's line from n1");
                    awaitLobby(ben, "ann:hi from ann");
                    ok(ben.send(new Request.Group("lobby", "l2", "hi from ben")).get(Peer.WAIT.toSeconds(), TimeUnit.SECONDS));
                    awaitLobby(ann, "ben:hi from ben");
                    record(old1, m -> m.name().equals("ben") && m.text().equals("hi from ben"), "ben's line from n2");
                }
            }

            ben.close();
            ann.awaitPresence("ben", false, PRESENCE);
            assertEquals(List.of(), ann.storedTwice());
        }
    }

    /**
     * Three nodes, a user on each and two more on n1; n1 is killed (-9) while messages flow. Its
     * friends see the user who does not come back go offline within 10 s. The one on the client
     * library, with the cluster's server list, moves to the next node by itself, resumes, and
     * gets everything confirmed to her; what she typed meanwhile goes out once; the one on the
     * raw protocol moves likewise (RESUME on n2).
     */
    @Test
    void aKilledNodesUsersMoveOnAndLoseNothing() throws Exception {
        try (var cluster = Cluster.start(3); var alice = new Peer("alice"); var dora = new Peer("dora");
                var bob = new Peer("bob"); var carol = new Peer("carol");
                var eve = new Roamer("eve", cluster.servers(), cluster.dir.resolve("eve"))) {
            var n1 = cluster.node(1);
            alice.login(n1.port());
            dora.login(n1.port());
            eve.signUp(); // on n1, the first of her list
            bob.login(cluster.node(2).port());
            carol.login(cluster.node(3).port());
            bob.befriend(alice);
            bob.befriend(dora);
            carol.befriend(alice);
            ok(bob.call(new Request.Add("eve")));
            eve.client.friends().accept("bob").get(Peer.WAIT.toSeconds(), TimeUnit.SECONDS);
            bob.awaitPresence("eve", true, PRESENCE);
            ok(alice.call(new Request.Create("crew", true)));
            ok(bob.call(new Request.Join("crew")));
            ok(carol.call(new Request.Join("crew")));

            var flows = new CompletableFuture<?>[] {
                flow(bob, "alice", "p", 400, 5), flow(carol, "#crew", "g", 400, 5), flow(alice, "bob", "a", 400, 5),
                flow(bob, "eve", "e", 400, 5), async(() -> typing(eve, "bob", 300))};
            Await.until(() -> confirmed(bob, "p") >= 100 && confirmed(alice, "a") >= 50 && eve.confirmed.size() >= 50, ALL,
                    "traffic before the kill");
            long killed = System.nanoTime();
            n1.server().process.destroyForcibly();
            assertTrue(n1.server().process.waitFor(30, TimeUnit.SECONDS));

            Await.until(() -> !alice.connected(), "alice's connection to n1 drops");
            alice.resume(cluster.node(2).port()); // the next server of her list
            await(flows);

            alice.awaitAll(bob, "p", ALL);
            alice.awaitAll(carol, "g", ALL);
            bob.awaitAll(alice, "a", ALL);
            bob.awaitAll(carol, "g", ALL);
            Await.until(() -> eve.confirmed.size() == 300, ALL, () -> "all 300 of eve's messages stored, "
                    + eve.confirmed.size() + " so far");
            Peer.awaitAll("bob", bob.received, "eve", eve.confirmed, "", ALL);
            Peer.awaitAll("eve", eve.received, "bob", bob.confirmed, "e", ALL);
            assertFalse(eve.moves.isEmpty() || eve.moves.get(eve.moves.size() - 1).port() == n1.port(),
                    "eve's library moved off n1: " + eve.moves);
            for (var p : List.of(alice, bob, carol)) {
                assertEquals(List.of(), p.storedTwice(), p.name);
            }
            // presence last, so that a failure here leaves the delivery checked
            assertTrue(bob.wentOffline("dora", killed, PRESENCE), "bob (n2) told dora (n1) went offline within "
                    + PRESENCE.toSeconds() + " s of n1's death: " + bob.presenceLog);
            bob.awaitPresence("alice", true, PRESENCE);
            bob.awaitPresence("eve", true, PRESENCE);
            carol.awaitPresence("alice", true, PRESENCE);
            assertEquals(false, bob.presence.get("dora"), "dora stays offline");
        }
    }

    /** {@code count} messages typed into the library, one every 5 ms, online or not. */
    private static void typing(Roamer from, String to, int count) {
        try {
            for (int i = 0; i < count; i++) {
                from.send(to, "typed " + i + " by " + from.name);
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A node frozen (SIGSTOP) is reaped by the other: its users are offline to their friends
     * within 10 s. Woken (SIGCONT), it finds itself fenced, says BYE to its clients and exits
     * non-zero; its user moves to the other node and gets everything confirmed to him.
     */
    @Test
    void aFrozenNodeIsReapedAndFencedWhenItWakes() throws Exception {
        try (var cluster = Cluster.start(2); var ann = new Peer("ann"); var ben = new Peer("ben");
                var cy = new Peer("cy")) {
            var n2 = cluster.node(2);
            ann.login(cluster.node(1).port());
            ben.login(n2.port());
            cy.login(n2.port());
            ann.befriend(ben);
            ann.befriend(cy);

            // What the reaper will KILL: before, the search indexer could open the writer's
            // connection before the hook that registers it was set, and the woken node committed.
            assertEquals("open", cluster.writerRegistration(n2), "n2's writer connection, as registered");

            var flows = new CompletableFuture<?>[] {flow(ann, "ben", "p", 400, 5), flow(ben, "ann", "b", 400, 5)};
            Await.until(() -> confirmed(ann, "p") >= 50 && confirmed(ben, "b") >= 50, ALL, "traffic before the freeze");
            long frozen = System.nanoTime();
            n2.server().pause();
            try {
                // frozen until its users are offline to ann (n1 reaped it), 10 s at most
                ann.wentOffline("ben", frozen, PRESENCE);
                ann.wentOffline("cy", frozen, PRESENCE);
            } finally {
                n2.server().resume();
            }
            boolean exited = n2.server().process.waitFor(PRESENCE.toSeconds(), TimeUnit.SECONDS);
            if (exited) {
                Await.until(() -> !ben.connected(), "ben's connection to n2 closes");
                ben.resume(cluster.node(1).port());
            }
            await(flows);
            ben.awaitAll(ann, "p", ALL);
            ann.awaitAll(ben, "b", ALL);
            assertEquals(List.of(), ann.storedTwice());
            assertEquals(List.of(), ben.storedTwice());

            // presence and fencing last, so that a failure here leaves the delivery checked
            assertTrue(ann.wentOffline("ben", frozen, PRESENCE) && ann.wentOffline("cy", frozen, PRESENCE),
                    "ann (n1) told ben and cy (n2) went offline within " + PRESENCE.toSeconds() + " s of n2's freeze: "
                            + ann.presenceLog);
            assertTrue(exited, "n2, woken after it was reaped, exits");
            assertNotEquals(0, n2.server().process.exitValue(), "a fenced node exits non-zero");
            assertTrue(ben.byes.contains("shutdown"), "n2 told ben BYE:shutdown: " + ben.byes);
            ann.awaitPresence("ben", true, PRESENCE);
            assertEquals(false, ann.presence.get("cy"), "cy stays offline");
        }
    }

    /**
     * Redis killed (-9) while messages flow, and restarted empty: the nodes go on confirming
     * writes meanwhile, nobody is fenced, every confirmed message arrives once, and presence
     * works again (the nodes registered themselves and their sessions anew).
     */
    @Test
    void redisKilledAndRestartedEmptyLosesNothing() throws Exception {
        try (var cluster = Cluster.start(2); var ann = new Peer("ann"); var ben = new Peer("ben");
                var cy = new Peer("cy")) {
            ann.login(cluster.node(1).port());
            ben.login(cluster.node(2).port());
            cy.login(cluster.node(2).port());
            ann.befriend(ben);
            ann.befriend(cy);
            cy.close();
            ann.awaitPresence("cy", false, PRESENCE);

            var flows = new CompletableFuture<?>[] {flow(ann, "ben", "p", 600, 5), flow(ben, "ann", "b", 600, 5)};
            Await.until(() -> confirmed(ann, "p") >= 100, ALL, "traffic before Redis dies");
            cluster.redis.kill();
            long atKill = confirmed(ann, "p") + confirmed(ben, "b");
            Await.until(() -> confirmed(ann, "p") + confirmed(ben, "b") >= atKill + 40, ALL,
                    "writes confirmed while Redis is down");
            cluster.redis.restart();
            await(flows);

            ben.awaitAll(ann, "p", ALL);
            ann.awaitAll(ben, "b", ALL);
            assertTrue(cluster.node(1).alive() && cluster.node(2).alive(), "Redis down for everyone is nobody's death");

            cy.login(cluster.node(2).port());
            ann.awaitPresence("cy", true, PRESENCE);
            ben.close();
            ann.awaitPresence("ben", false, PRESENCE);
            assertEquals(List.of(), ann.storedTwice());
            assertEquals(List.of(), ben.storedTwice());
        }
    }

    /** The subscriber connections cut by Redis while messages flow: the nodes subscribe again and catch up. */
    @Test
    void subscribersCutByClientKillCatchUp() throws Exception {
        try (var cluster = Cluster.start(2); var ann = new Peer("ann"); var ben = new Peer("ben")) {
            ann.login(cluster.node(1).port());
            ben.login(cluster.node(2).port());
            ann.befriend(ben);

            var flows = new CompletableFuture<?>[] {flow(ann, "ben", "p", 600, 3), flow(ben, "ann", "b", 600, 3)};
            Await.until(() -> confirmed(ann, "p") >= 100, ALL, "traffic before the cut");
            var killed = cluster.redis("CLIENT", "KILL", "TYPE", "pubsub");
            assertTrue(killed instanceof Resp.Int n && n.value() >= 2, "a subscriber per node cut: " + killed);
            await(flows);

            ben.awaitAll(ann, "p", ALL);
            ann.awaitAll(ben, "b", ALL);
            Await.until(() -> subscribers(cluster) >= 2, PRESENCE, "both nodes subscribed again");
            ben.close();
            ann.awaitPresence("ben", false, PRESENCE);
            assertEquals(List.of(), ann.storedTwice());
            assertEquals(List.of(), ben.storedTwice());
        }
    }

    private static long subscribers(Cluster cluster) throws IOException {
        return ((Resp.Bulk) cluster.redis("CLIENT", "LIST", "TYPE", "pubsub")).text().lines()
                .filter(l -> !l.isBlank()).count();
    }

    /**
     * A subscriber that falls behind is cut by Redis (output buffer limit for pub/sub squeezed to
     * 64 kB; n2 frozen for a moment while n1 publishes a burst of large messages to it): n2
     * subscribes again and catches up; nothing is lost or doubled.
     */
    @Test
    void aSlowSubscriberCutByTheOutputBufferLimitCatchesUp() throws Exception {
        // a TTL long enough that the freeze below is not taken for a death (the freeze is what makes
        // n2's subscriber slow: the kernel's socket buffers fill, then Redis's output buffer)
        try (var cluster = Cluster.start(2, "--cluster-ttl", "10s"); var ann = new Peer("ann"); var ben = new Peer("ben")) {
            var n2 = cluster.node(2);
            ann.login(cluster.node(1).port());
            ben.login(n2.port());
            ann.befriend(ben);
            ok(ann.msg("ben", "warm", "before the burst").get(Peer.WAIT.toSeconds(), TimeUnit.SECONDS));
            assertEquals(new Resp.Simple("OK"),
                    cluster.redis("CONFIG", "SET", "client-output-buffer-limit", "pubsub 64kb 32kb 1"));

            String big = "x".repeat(15_000);
            List<CompletableFuture<Line>> burst = new ArrayList<>();
            n2.server().pause();
            try {
                // rounds of 1.5 MB for n2 until Redis cuts it, 6 s at most (well within the TTL),
                // each after the last one's replies, awaited no longer than that either: on a
                // busy machine they may be slow, and n2 frozen past the TTL would be reaped
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(6_000);
                for (int round = 0; !cut(cluster) && System.nanoTime() < until; round++) {
                    for (int i = 0; i < 100; i++) {
                        burst.add(ann.msg("ben", "b" + round + "-" + i, big));
                    }
                    for (var r : burst) {
                        r.get(Math.max(1, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                    }
                    Thread.sleep(100);
                }
            } catch (java.util.concurrent.TimeoutException slow) {
                // the 6 s are over: n2 wakes, and the replies are awaited below
            } finally {
                n2.server().resume();
            }
            for (var r : burst) {
                r.get(Peer.WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            assertTrue(cut(cluster), "Redis cut n2's subscriber for its output buffer");
            ok(ann.msg("ben", "after", "after the burst").get(Peer.WAIT.toSeconds(), TimeUnit.SECONDS));

            ben.awaitAll(ann, "b", ALL);
            ben.awaitAll(ann, "after", ALL);
            assertTrue(n2.alive(), "n2 was slow, not dead");
            ben.close();
            ann.awaitPresence("ben", false, PRESENCE);
            assertEquals(List.of(), ben.storedTwice());
            assertFalse(ben.received.isEmpty());
        }
    }

    private static boolean cut(Cluster cluster) {
        return cluster.redisLog().contains("output buffer limits");
    }
}
