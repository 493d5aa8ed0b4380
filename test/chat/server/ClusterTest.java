package chat.server;

import static chat.server.TestCluster.HEARTBEAT;
import static chat.server.TestCluster.TTL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Line;
import chat.common.proto.Request;
import chat.server.cluster.Cluster;
import chat.testing.Redis;
import java.io.IOException;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two or three servers in this JVM, each its own reactor, as the nodes of one cluster
 * ({@link TestCluster}): one MariaDB database, the machine's Redis under a prefix of the test's
 * own. Users on different nodes chat in private, in a group and in the lobby, see each other come
 * and go, and a node that stops answering is reaped and its users reported offline within the
 * ttl's bound.
 */
class ClusterTest {

    @Test
    void usersOnTwoNodesChatInPrivateInAGroupAndInTheLobbyAndSeeEachOtherGo() throws Exception {
        try (var c = TestCluster.friends()) {
            var alice = c.alice;
            var bob = c.bob;
            var sent = alice.call(new Request.Msg("bob", "c-1", "across nodes"));
            assertTrue(sent.ok(), sent.toString());
            Line got = bob.awaitPush("MESSAGE");
            assertEquals(sent.field(2), got.field(1), "the same id");
            assertEquals("across nodes", got.field(7));
            bob.send(new Request.Ack(Long.parseLong(got.field(1))));
            assertEquals(Line.of(null, "DELIVERED", "bob", sent.field(2)), alice.awaitPush("DELIVERED"),
                    "the receipt crosses back");

            assertTrue(alice.call(new Request.Create("team", true)).ok());
            assertTrue(bob.call(new Request.Join("team")).ok());
            alice.awaitPush(l -> l.command().equals("GROUP_JOINED") && l.fields().contains("bob"));
            var inGroup = alice.call(new Request.Group("team", "g-1", "hello team"));
            assertTrue(inGroup.ok(), inGroup.toString());
            Line groupMessage = bob.awaitPush(l -> l.command().equals("MESSAGE") && l.fields().contains("hello team"));
            assertEquals(inGroup.field(2), groupMessage.field(1));

            // A membership made on node a (alice invites her friend bob: a member at once) reaches
            // bob's session on node b, whose room follows.
            assertTrue(alice.call(new Request.Create("crew", false)).ok());
            assertEquals("joined", alice.call(new Request.Invite("crew", "bob")).field(2));
            bob.awaitPush(l -> l.command().equals("GROUP_JOINED") && l.fields().contains("crew"));
            var inCrew = alice.call(new Request.Group("crew", "g-2", "hello crew"));
            assertTrue(inCrew.ok(), inCrew.toString());
            bob.awaitPush(l -> l.command().equals("MESSAGE") && l.fields().contains("hello crew"));

            assertTrue(bob.call(new Request.Join("lobby")).ok());
            assertTrue(alice.call(new Request.Join("lobby")).ok());
            bob.awaitPush(l -> l.command().equals("GROUP_JOINED") && l.fields().contains("alice"));
            assertTrue(alice.call(new Request.Group("lobby", "l-1", "hi lobby")).ok());
            bob.awaitPush(l -> l.command().equals("MESSAGE") && l.fields().contains("hi lobby"));

            assertTrue(bob.call(new Request.Logout()).ok());
            assertEquals(Line.of(null, "PRESENCE", "bob", "0"), alice.awaitPush("PRESENCE"));
        }
    }

    /** A device that was away gets, at its login on another node, what was sent meanwhile on the first. */
    @Test
    void aCatchUpOnOneNodeBringsWhatAnotherStored() throws Exception {
        try (var c = TestCluster.friends()) {
            c.bob.catchUpLive();
            c.closeNow(c.alice);
            c.closeNow(c.bob);
            var a = c.a;
            var b = c.b;
            try (var alice = TextClient.loggedIn(a.port(), "alice")) {
                for (int i = 0; i < 30; i++) {
                    assertTrue(alice.call(new Request.Msg("bob", "m" + i, "while away " + i)).ok());
                }
            }
            try (var bob = new TextClient(b.port(), "bob")) {
                bob.login();
                // The catch-up brings what node b had released when it was read; what node a's
                // last position had not yet covered follows it live, in order.
                List<Line> got = new java.util.ArrayList<>(
                        bob.catchUp().stream().filter(l -> l.command().equals("MESSAGE")).toList());
                while (got.size() < 30) {
                    got.add(bob.awaitPush("MESSAGE"));
                }
                for (int i = 0; i < 30; i++) {
                    assertEquals("while away " + i, got.get(i).field(7));
                }
                assertTrue(bob.quietFor(300), "nothing twice");
            }
        }
    }

    /**
     * Node b stops answering (its reactor held, as SIGSTOP would: sockets and database connections
     * stay open). Node a reaps it: alice hears bob went offline within ttl + heartbeat and a
     * margin. A message to bob meanwhile is confirmed. When b runs again it finds itself reaped and
     * fences: bob gets BYE:shutdown, comes back on node a, and the message is there.
     */
    @Test
    void aNodeThatStopsIsReapedAndFencesWhenItWakes() throws Exception {
        try (var c = TestCluster.friends()) {
            var alice = c.alice;
            var bob = c.bob;
            bob.catchUpLive();
            Runnable thaw = c.b.freeze();
            long frozenAt = System.nanoTime();
            assertEquals(Line.of(null, "PRESENCE", "bob", "0"), alice.awaitPush("PRESENCE"));
            long millis = (System.nanoTime() - frozenAt) / 1_000_000;
            assertTrue(millis < TTL.plus(HEARTBEAT).toMillis() + 3_000, "reported offline after " + millis + " ms");
            var sent = alice.call(new Request.Msg("bob", "c-9", "while b was stopped"));
            assertTrue(sent.ok(), sent.toString());

            thaw.run();
            Line bye = bob.awaitPush("BYE");
            assertEquals("shutdown", bye.field(1));
            try (var again = new TextClient(c.a.port(), "bob")) {
                again.login();
                assertTrue(again.catchUp().stream().anyMatch(l -> l.fields().contains("while b was stopped")));
            }
        }
    }

    /**
     * Three nodes: bob's device logs in again on node c while its session on node b lives; the b
     * session gets BYE:replaced, alice (node a) hears of no going, and what she sends reaches c.
     */
    @Test
    void aLoginOfTheSameDeviceOnAnotherNodeReplacesTheFirst() throws Exception {
        try (var cluster = TestCluster.friends()) {
            var c = cluster.node("c");
            var alice = cluster.alice;
            var bob = cluster.bob;
            bob.catchUpLive();
            try (var again = new TextClient(c.port(), "bob")) {
                again.login();
                again.catchUp();
                Line bye = bob.awaitPush("BYE");
                assertEquals("replaced", bye.field(1));
                var sent = alice.call(new Request.Msg("bob", "c-3", "to the phone on c"));
                assertTrue(sent.ok(), sent.toString());
                assertEquals(sent.field(2), again.awaitPush("MESSAGE").field(1));
                assertTrue(alice.pushes().stream().noneMatch(l -> l.command().equals("PRESENCE")),
                        "bob never went offline: " + alice.pushes());
            }
            assertEquals(Line.of(null, "PRESENCE", "bob", "0"), alice.awaitPush("PRESENCE"), "now he did");
        }
    }

    /**
     * Redis killed and started again, empty, under two nodes: a message sent meanwhile is
     * confirmed, and delivered once the links are back (the nodes register again and resync);
     * the nodes know again where bob is, and nobody was reaped.
     */
    @Test
    void redisRestartedEmptyLosesNothing() throws Exception {
        try (var c = TestCluster.friendsOnOwnRedis()) {
            var alice = c.alice;
            var bob = c.bob;
            var a = c.a;
            bob.catchUpLive();
            c.redis.kill();
            var sent = alice.call(new Request.Msg("bob", "c-r", "while Redis was gone"));
            assertTrue(sent.ok(), "confirmed without Redis: " + sent);
            c.redis.restart();
            Line got = bob.awaitPush("MESSAGE");
            assertEquals(sent.field(2), got.field(1));
            assertTrue(bob.quietFor(500), "once");
            long bobId = c.b.hub().users().iterator().next().userId;
            long until = System.nanoTime() + 5_000_000_000L;
            while (a.reactor() != null && a.cluster().where(bobId).isEmpty() && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            assertEquals(Map.of("b", 1), a.cluster().where(bobId), "node a knows again where bob is");
            var again = alice.call(new Request.Msg("bob", "c-r2", "after"));
            assertEquals(again.field(2), bob.awaitPush("MESSAGE").field(1));
            assertTrue(alice.pushes().stream().noneMatch(l -> l.command().equals("PRESENCE")), "nobody was reaped");
        }
    }

    /**
     * More than a page (200) missed while Redis was down: the resync reads them back, the first
     * page on a reader, the next as the ACK of the page's last id asks; bob gets every one, in
     * order, once.
     */
    @Test
    void aResyncOfMoreThanAPageBringsEveryMissedMessageInOrderOnce() throws Exception {
        try (var c = TestCluster.friendsOnOwnRedis()) {
            c.bob.catchUpLive();
            c.redis.kill();
            int missed = 250;
            for (int i = 0; i < missed; i++) {
                assertTrue(c.alice.call(new Request.Msg("bob", "c-m" + i, "missed " + i)).ok());
            }
            c.redis.restart();
            for (int i = 0; i < missed; i++) {
                Line got = c.bob.awaitPush("MESSAGE");
                assertEquals("missed " + i, got.field(7));
                c.bob.send(new Request.Ack(Long.parseLong(got.field(1))));
            }
            assertTrue(c.bob.quietFor(500), "once: " + c.bob.pushes());
        }
    }

    /** The login budget charges node {@code n} has taken from the others so far (STATS's cluster_charges). */
    static long charges(TestServer n) {
        for (String field : n.cluster().stats()) {
            if (field.startsWith("cluster_charges=")) {
                return Long.parseLong(field.substring("cluster_charges=".length()));
            }
        }
        throw new AssertionError("no cluster_charges in " + n.cluster().stats());
    }

    /**
     * Wrong passwords for one account, from one address, spread over two nodes: each failure is
     * charged on both, so the sixth guess is throttled on either node, as on one server (five
     * is the account's burst; the address is dirty, so the clean lane is shut). Without the
     * charges crossing, each node would have seen two or three and checked on.
     */
    @Test
    void wrongPasswordsSpreadOverTwoNodesAreThrottledAsOnOne() throws Exception {
        try (var c = TestCluster.nodes()) {
            var a = c.a;
            var b = c.b;
            TextClient.loggedIn(a.port(), "carol").close();
            int burst = 5; // LoginThrottle.ACCOUNT_BURST
            for (int i = 0; i < burst; i++) {
                TestServer here = i % 2 == 0 ? a : b;
                TestServer there = i % 2 == 0 ? b : a;
                long before = charges(there);
                try (var guess = new TextClient(here.port(), "carol", "default", "127.0.4.1")) {
                    assertEquals("auth-failed", guess.call(new Request.Login("carol", "wrong guess " + i)).code());
                }
                Await.until(() -> charges(there) > before, "node " + there.cluster().id() + " took the charge");
            }
            for (TestServer n : List.of(a, b)) {
                try (var guess = new TextClient(n.port(), "carol", "default", "127.0.4.1")) {
                    var r = guess.call(new Request.Login("carol", TextClient.password("carol")));
                    assertEquals("throttled", r.code(), "on node " + n.cluster().id() + ": " + r);
                }
            }
            TextClient.loggedIn(new TextClient(b.port(), "dave", "default", "127.0.4.2")).close(); // others are not
        }
    }

    /**
     * The connection table across nodes: root, an admin on node a, sees bob's connection on node
     * b (ids unique across the nodes), disconnects it through node a, and bob gets the BYE.
     */
    @Test
    void anAdminOnOneNodeSeesAndDisconnectsAConnectionOnAnother() throws Exception {
        try (var c = TestCluster.withAdmin()) {
            var root = c.root;
            var bob = c.bob;
            List<Line> rows = root.call(new Request.Connections()).items();
            assertEquals(List.of("bob", "root"), rows.stream().map(l -> l.field(2)).sorted().toList(), rows.toString());
            assertEquals(2, rows.stream().map(l -> l.field(1)).distinct().count(), "ids unique: " + rows);
            long bobs = Long.parseLong(rows.stream().filter(l -> l.field(2).equals("bob")).findFirst().orElseThrow()
                    .field(1));
            long own = Long.parseLong(rows.stream().filter(l -> l.field(2).equals("root")).findFirst().orElseThrow()
                    .field(1));
            assertEquals("self", root.call(new Request.Disconnect(own)).code());

            assertTrue(root.call(new Request.Disconnect(bobs)).ok());
            assertEquals("disconnected", bob.awaitPush("BYE").field(1));
            assertTrue(bob.closedWithin(5_000));
            assertEquals("no-such-connection", root.call(new Request.Disconnect(bobs)).code(), "closed already");
            Await.until(() -> root.call(new Request.Connections()).items().size() == 1, "only root's is left");
        }
    }

    /**
     * A ban made on node a reaches node b: bob's session there gets BYE:banned, his login there
     * is refused while it holds, and an UNBAN on node a lets him in on node b again.
     */
    @Test
    void aBanOnOneNodeClosesAndKeepsOutOnAnother() throws Exception {
        try (var c = TestCluster.withAdmin()) {
            var root = c.root;
            var bob = c.bob;
            var b = c.b;
            assertTrue(root.call(new Request.Ban("bob", 60, "spam")).ok());
            assertEquals("banned", bob.awaitPush("BYE").field(1));
            assertTrue(bob.closedWithin(5_000));
            try (var again = new TextClient(b.port(), "bob")) {
                var r = again.call(new Request.Login("bob", TextClient.password("bob")));
                assertEquals("banned", r.code(), r.toString());
            }
            assertTrue(root.call(new Request.Unban("bob")).ok());
            Await.until(() -> {
                try (var again = new TextClient(b.port(), "bob")) {
                    return again.call(new Request.Login("bob", TextClient.password("bob"))).ok();
                }
            }, "bob may log in on node b again");
        }
    }

    /**
     * Multi-device pushes and the single-session option across nodes: bob's phone on node b and
     * laptop on node a both get alice's message; with --single-session, his login on node a
     * closes his session on node b (BYE:replaced) whatever its device.
     */
    @Test
    void devicesOnTwoNodesBothGetAMessageAndSingleSessionReplacesAcrossNodes() throws Exception {
        try (var c = TestCluster.friends()) {
            var a = c.a;
            var alice = c.alice;
            var phone = c.bob; // on node b
            var laptop = c.login(a, "bob", "laptop");
            long bob = a.hub().users().stream().filter(u -> u.get(0).name.equals("bob")).findFirst().orElseThrow()
                    .userId;
            Await.until(() -> a.cluster().where(bob).containsKey("b"), "node a knows bob is on node b too");
            var sent = alice.call(new Request.Msg("bob", "c-d", "to both devices"));
            assertTrue(sent.ok(), sent.toString());
            assertEquals(sent.field(2), phone.awaitPush("MESSAGE").field(1), "on node b");
            assertEquals(sent.field(2), laptop.awaitPush("MESSAGE").field(1), "on node a");
        }
        try (var c = TestCluster.nodes(s -> s.singleSession(true))) {
            var a = c.a;
            var phone = c.login(c.b, "bob", "phone");
            long bobId = c.b.hub().users().iterator().next().userId;
            Await.until(() -> !a.cluster().where(bobId).isEmpty(), "node a knows bob is on node b");
            c.login(a, "bob", "laptop");
            assertEquals("replaced", phone.awaitPush("BYE").field(1));
            assertTrue(phone.closedWithin(5_000));
        }
    }

    /**
     * A node that does not answer (its reactor held, as SIGSTOP would) costs CONNECTIONS at most
     * the answer timeout: the reply lists the nodes that answered, without the silent one's.
     */
    @Test
    void connectionsLeavesOutANodeThatDoesNotAnswer() throws Exception {
        try (var c = TestCluster.withAdmin()) {
            var root = c.root;
            Await.until(() -> root.call(new Request.Connections()).items().size() == 2, "bob's connection is listed");
            Runnable thaw = c.b.freeze();
            try {
                List<Line> rows = root.call(new Request.Connections()).items();
                assertEquals(List.of("root"), rows.stream().map(l -> l.field(2)).toList(), rows.toString());
            } finally {
                thaw.run();
            }
        }
    }

    /**
     * Redis hangs (SIGSTOP) longer than the ttl: every heartbeat key expires, though the nodes
     * live; node b is slower to come back (its reactor held until a while after Redis answers
     * again). Nobody is reaped (a node waits a ttl of working link before reaping; without it
     * node a reaped b at its first heartbeat), and a message sent meanwhile arrives after.
     */
    @Test
    void redisHungLongerThanTheTtlReapsNobody() throws Exception {
        try (var c = TestCluster.friendsOnOwnRedis()) {
            var alice = c.alice;
            var bob = c.bob;
            var redis = c.redis;
            bob.catchUpLive();
            redis.run(false);
            Runnable thaw = c.b.freeze();
            try {
                var sent = alice.call(new Request.Msg("bob", "c-h", "while Redis hung"));
                assertTrue(sent.ok(), "confirmed while Redis hangs: " + sent);
                Thread.sleep(TTL.multipliedBy(2).toMillis());
                redis.run(true);
                Thread.sleep(TTL.toMillis() / 3);
                thaw.run();
                Line got = bob.awaitPush("MESSAGE");
                assertEquals(sent.field(2), got.field(1));
            } finally {
                redis.run(true);
                thaw.run();
            }
            Thread.sleep(TTL.multipliedBy(2).toMillis());
            var again = alice.call(new Request.Msg("bob", "c-h2", "after"));
            assertEquals(again.field(2), bob.awaitPush("MESSAGE").field(1));
            assertTrue(alice.pushes().stream().noneMatch(l -> l.command().equals("PRESENCE")), "nobody was reaped");
            assertTrue(bob.pushes().stream().noneMatch(l -> l.command().equals("BYE") || l.command().equals("PRESENCE")),
                    "nobody was reaped: " + bob.pushes());
            assertEquals(List.of("b"), c.a.cluster().positions().others().keySet().stream().map(Cluster::nodeName).toList());
        }
    }

    /**
     * Node b stops cleanly and node a reaps it; b starts again with the same --node-id: it is a
     * new node (not refused as its reaped former self, its envelopes not dropped), and users on
     * the two nodes chat across.
     */
    @Test
    void aNodeRestartedWithTheSameIdJoinsAgain() throws Exception {
        try (var c = TestCluster.friends()) {
            var a = c.a;
            var alice = c.alice;
            c.bob.catchUpLive();
            c.closeNow(c.bob);
            c.closeNow(c.b);
            long until = System.nanoTime() + 10_000_000_000L;
            while (!a.cluster().positions().others().isEmpty() && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            assertTrue(a.cluster().positions().others().isEmpty(), "node a reaped b's first start");
            try (var b = c.node("b");
                    var bob = TextClient.loggedIn(b.port(), "bob")) {
                bob.catchUpLive();
                var sent = alice.call(new Request.Msg("bob", "c-b2", "to b's second start"));
                assertTrue(sent.ok(), sent.toString());
                assertEquals(sent.field(2), bob.awaitPush(l -> l.command().equals("MESSAGE")
                        && l.fields().contains("to b's second start")).field(1));
                var back = bob.call(new Request.Msg("alice", "c-a2", "from b's second start"));
                assertTrue(back.ok(), back.toString());
                assertEquals(back.field(2), alice.awaitPush(l -> l.command().equals("MESSAGE")
                        && l.fields().contains("from b's second start")).field(1));
                assertTrue(bob.pushes().stream().noneMatch(l -> l.command().equals("BYE")), bob.pushes().toString());
            }
        }
    }

    /**
     * Node b loses Redis (a partition: its links to Redis pass nothing) but writes on: bob's
     * message to alice is stored and confirmed, its doorbell lost. Node a reaps b (killing its
     * database connection) and resyncs up to MAX(id) read after the kill: alice gets the message,
     * which was above everything a knew. (bob has a phone on node a too, so that the reaping
     * writes nothing, whose MAX(id) after the group would have hidden the bug: checked, without
     * the resync's target the message never came.)
     */
    @Test
    void aReapedNodesUnannouncedMessageIsReadBack() throws Exception {
        try (var c = TestCluster.empty()) {
            var relay = c.open(new RedisRelay(Redis.shared()));
            var a = c.node("a");
            var b = c.node("b", s -> s.cluster(TestCluster.settings(relay.url(c.prefix), "b")));
            var alice = c.login(a, "alice");
            var bob = c.login(b, "bob", "pc");
            TestCluster.befriend(alice, bob);
            alice.catchUpLive();
            try (var phone = TextClient.loggedIn(a.port(), "bob", "phone")) {
                phone.catchUpLive();
                relay.stalled = true;
                var sent = bob.call(new Request.Msg("alice", "c-p", "from the cut-off node"));
                assertTrue(sent.ok(), sent.toString());
                long until = System.nanoTime() + 10_000_000_000L;
                while (!a.cluster().positions().others().isEmpty() && System.nanoTime() < until) {
                    Thread.sleep(50);
                }
                assertTrue(a.cluster().positions().others().isEmpty(), "node a reaped b");
                Line got = alice.awaitPush(l -> l.command().equals("MESSAGE"));
                assertEquals(sent.field(2), got.field(1));
            }
        }
    }

    /**
     * Node a's row in cluster_nodes says it is gone, though it lives and Redis says nothing: marked
     * reaped (as a reaper that lost its Redis would leave it), or deleted (forgotten a day after a
     * reap), maybe with its writer's connection cut first (the writer then opens another, whose
     * registration must not make the row again: only a start's first may). The writer's check
     * before its next COMMIT, or the new connection's registration, refuses it (the writer indexes
     * for SEARCH every 100 ms, so alice's message may not be the first write refused): the message
     * is not stored, and the node fences: alice gets BYE:shutdown (unless it closed before her
     * message came), and node a stops (its port refuses). Without the check run on the writer's
     * commits the message is stored and nobody fences.
     */
    @ParameterizedTest
    @ValueSource(strings = {"reaped", "forgotten", "cut off and forgotten"})
    void aNodeWhoseRowSaysItIsGoneRefusesItsNextWriteAndFences(String how) throws Exception {
        try (var c = TestCluster.friends()) {
            c.alice.catchUpLive();
            String node = c.a.cluster().id();
            if (how.equals("reaped")) {
                assertEquals(1, sql(c, "UPDATE cluster_nodes SET reaped_at = ? WHERE node_id = ?",
                        System.currentTimeMillis(), node));
            } else {
                if (how.startsWith("cut off")) {
                    sql(c, "KILL CONNECTION " + connectionOf(c, node));
                }
                assertEquals(1, sql(c, "DELETE FROM cluster_nodes WHERE node_id = ?", node));
            }
            String text = "after node a was " + how;
            try {
                var r = c.alice.call(new Request.Msg("bob", "c-f", text));
                assertFalse(r.ok(), "refused: " + r);
                assertEquals("shutdown", c.alice.awaitPush("BYE").field(1));
            } catch (IOException closed) {
                // the indexing's commit came first, and node a closed before it read the message
            }
            Await.until(() -> !accepts(c.a.port()), "node a stopped");
            assertEquals(0, sql(c, "SELECT id FROM messages WHERE body = ?", text), "stored");
        }
    }

    private static boolean accepts(int port) {
        try (var s = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Rows of nodes gone more than a day are deleted at a node's start; a recent one, and a live
     * node's however old, stay. A clean stop marks its row gone (the only node here: nobody reaps
     * it), so that it is forgotten too in its turn.
     */
    @Test
    void aNodesStartForgetsNodesGoneForADayAndACleanStopMarksItsRow() throws Exception {
        try (var c = TestCluster.empty()) {
            var a = c.node("a");
            String first = a.cluster().id();
            c.closeNow(a);
            assertTrue(rows(c).get(first) > 0, "the clean stop marked its row: " + rows(c));

            long now = System.currentTimeMillis();
            String insert = "INSERT INTO cluster_nodes (node_id, connection_id, started_at, reaped_at) VALUES (?, 0, ?, ?)";
            sql(c, insert, "reaped-two-days-ago", now - TimeUnit.DAYS.toMillis(3), now - TimeUnit.DAYS.toMillis(2));
            sql(c, insert, "reaped-an-hour-ago", now - TimeUnit.DAYS.toMillis(3), now - TimeUnit.HOURS.toMillis(1));
            sql(c, insert, "live-for-ten-days", now - TimeUnit.DAYS.toMillis(10), 0);
            var b = c.node("b");

            Map<String, Long> rows = rows(c);
            assertFalse(rows.containsKey("reaped-two-days-ago"), rows.toString());
            assertTrue(rows.containsKey("reaped-an-hour-ago"), rows.toString());
            assertEquals(0L, rows.get("live-for-ten-days"), rows.toString());
            assertEquals(0L, rows.get(b.cluster().id()), "node b is registered: " + rows);
            assertTrue(rows.containsKey(first), "stopped just now: " + rows);
        }
    }

    /** Runs {@code sql} with {@code args} on the cluster's database: the rows it changed, or the rows it found. */
    private static int sql(TestCluster c, String sql, Object... args) throws SQLException {
        try (var db = DriverManager.getConnection(c.db.url()); var ps = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            if (!ps.execute()) {
                return ps.getUpdateCount();
            }
            int n = 0;
            for (var rs = ps.getResultSet(); rs.next(); ) {
                n++;
            }
            return n;
        }
    }

    /** The writer's connection {@code node} last registered. */
    private static long connectionOf(TestCluster c, String node) throws SQLException {
        try (var db = DriverManager.getConnection(c.db.url());
                var ps = db.prepareStatement("SELECT connection_id FROM cluster_nodes WHERE node_id = ?")) {
            ps.setString(1, node);
            try (var rs = ps.executeQuery()) {
                assertTrue(rs.next(), "node " + node + " is registered");
                return rs.getLong(1);
            }
        }
    }

    /** cluster_nodes: node id to reaped_at. */
    private static Map<String, Long> rows(TestCluster c) throws SQLException {
        Map<String, Long> rows = new HashMap<>();
        try (var db = DriverManager.getConnection(c.db.url()); var s = db.createStatement();
                var rs = s.executeQuery("SELECT node_id, reaped_at FROM cluster_nodes")) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getLong(2));
            }
        }
        return rows;
    }
}
