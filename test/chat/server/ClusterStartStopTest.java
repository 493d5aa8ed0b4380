package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Line;
import chat.common.proto.Request;
import java.io.IOException;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * A node's start and its clean stop, seen from the nodes that go on ({@link TestCluster}): a start
 * leaves the others' online state alone (it once cleared every connection row, as a single
 * server clears a dead predecessor's), and a clean stop finishes its writes before it leaves (it
 * once left first, and was reaped while its writer drained: its last writes refused).
 */
class ClusterStartStopTest {

    @Test
    void aNodesStartLeavesTheOthersUsersOnline() throws Exception {
        try (var c = TestCluster.withAdmin()) {
            var alice = c.login(c.a, "alice");
            TestCluster.befriend(alice, c.bob);
            long aliceId = idOf(c, "alice");
            assertOnline(c, aliceId, "before node c starts");

            var nodeC = c.node("c");

            assertOnline(c, aliceId, "after node c started");
            var dave = c.login(nodeC, "dave");
            TestCluster.befriend(alice, dave); // dave, on node c, is told alice is online
            assertFalse(c.bob.pushes().contains(Line.of(null, "PRESENCE", "alice", "0")), c.bob.pushes().toString());
        }
    }

    @Test
    void aCleanStopFinishesWhatItAcceptedBeforeItLeaves() throws Exception {
        try (var c = TestCluster.friends(); var log = new Captured()) {
            var alice = c.alice;
            var burst = new StringBuilder();
            int sent = 2_000;
            for (int i = 0; i < sent; i++) {
                burst.append(new Request.Msg("bob", "s-" + i, "text " + i).toLine("m" + i).format()).append('\n');
            }
            alice.sendRaw(burst.substring(0, burst.length() - 1));
            Line first = alice.readLine(); // node a is busy with the burst: stop it now
            var stopping = new Thread(() -> {
                try {
                    c.closeNow(c.a);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            stopping.start();

            List<Line> replies = new ArrayList<>(List.of(first));
            try {
                while (true) {
                    replies.add(alice.readLine());
                }
            } catch (IOException closed) {
                // BYE:shutdown, then the node closed the connection
            }
            stopping.join();
            Set<Long> confirmed = new HashSet<>();
            List<Line> refused = new ArrayList<>();
            for (Line l : replies) {
                if (l.command().equals("MSG") && l.field(1).equals("true")) {
                    confirmed.add(Long.parseLong(l.field(2)));
                } else if (l.command().equals("MSG")) {
                    refused.add(l);
                }
            }
            assertTrue(refused.isEmpty(), "refused after it was accepted: " + refused);
            assertFalse(confirmed.isEmpty(), "node a confirmed some before it stopped");
            Set<Long> got = new HashSet<>();
            while (!got.containsAll(confirmed)) { // a push missing times the read out
                long id = Long.parseLong(c.bob.awaitPush("MESSAGE").field(1));
                got.add(id);
                c.bob.send(new Request.Ack(id)); // a catch-up page's last one brings the next page
            }
            assertEquals(List.of(), log.reaped(), "node a was reaped while it stopped");
        }
    }

    private static long idOf(TestCluster c, String name) throws SQLException {
        return number(c, "SELECT id FROM users WHERE name = '" + name + "'");
    }

    private static long number(TestCluster c, String sql) throws SQLException {
        try (var db = DriverManager.getConnection(c.db.url()); var s = db.createStatement(); var rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getLong(1);
        }
    }

    /** Alice's connection row and status in the database, her session in CONNECTIONS, bob's view of her. */
    private static void assertOnline(TestCluster c, long aliceId, String when) throws Exception {
        assertEquals(1, number(c, "SELECT COUNT(*) FROM connections WHERE user_id = " + aliceId), when);
        assertEquals(1, number(c, "SELECT status FROM users WHERE id = " + aliceId), when);
        assertTrue(c.root.call(new Request.Connections()).items().stream().anyMatch(l -> l.field(2).equals("alice")),
                when);
        assertTrue(c.bob.call(new Request.Friends()).items().stream()
                .anyMatch(l -> l.field(1).equals("alice") && l.field(3).equals("1")), when);
    }

    /** The server's log lines about a reaped node (the nodes log through java.util.logging). */
    private static final class Captured extends Handler implements AutoCloseable {
        private final List<String> reaped = new ArrayList<>();

        Captured() {
            Logger.getLogger("").addHandler(this);
        }

        @Override
        public synchronized void publish(LogRecord r) {
            StringBuilder text = new StringBuilder(String.valueOf(r.getMessage()));
            for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
                text.append(" / ").append(t.getMessage());
            }
            if (text.indexOf("reaped") >= 0 || text.indexOf("reaping") >= 0) {
                reaped.add(text.toString());
            }
        }

        synchronized List<String> reaped() {
            return new ArrayList<>(reaped);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {
            Logger.getLogger("").removeHandler(this);
        }
    }
}
