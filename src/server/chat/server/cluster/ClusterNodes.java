package chat.server.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The table {@code cluster_nodes} (MySQL/MariaDB, cluster mode only): each node's writer
 * connection, so that the node that reaps it can {@code KILL CONNECTION} it (an open transaction
 * of a stopped node then rolls back and can never commit late), and whether it was reaped (a
 * writer connection the reaped node opens afterwards is refused). Both sides lock the row
 * ({@code SELECT ... FOR UPDATE}), so a reaped node cannot slip a new connection past its reaper.
 * A row per start of a node ({@code --node-id} and a start stamp: a restart with the same
 * {@code --node-id} is a new row, not its reaped former self), until a day after the node was
 * reaped or stopped cleanly ({@link #forget}); a node finds its row gone as if reaped. Created by
 * the first node to start; the single-node schema does not have it.
 */
final class ClusterNodes {

    /**
     * How long the row of a node reaped or stopped stays: after that no KILL is owed it (its
     * reaper's came long ago), and should it wake, its missing row fences it as its mark would.
     */
    static final long FORGET_AFTER_MILLIS = java.util.concurrent.TimeUnit.DAYS.toMillis(1);

    private ClusterNodes() {}

    static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE IF NOT EXISTS cluster_nodes (
                        node_id       VARCHAR(80) NOT NULL PRIMARY KEY,
                        connection_id BIGINT      NOT NULL,
                        started_at    BIGINT      NOT NULL,
                        reaped_at     BIGINT      NOT NULL DEFAULT 0
                    ) ENGINE=InnoDB""");
        }
    }

    /**
     * A number for this start of {@code node}, never given to another start (an auto-increment in
     * {@code cluster_slots}, created here by the first node that asks): the high half of the
     * connection ids an admin sees in a cluster, so that they are unique across the nodes.
     */
    static long slot(Connection c, String node) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE IF NOT EXISTS cluster_slots (
                        slot    BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
                        node_id VARCHAR(64) NOT NULL
                    ) ENGINE=InnoDB""");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO cluster_slots (node_id) VALUES (?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, node);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("no slot was generated");
                }
                return keys.getLong(1);
            }
        }
    }

    /**
     * On the writer's new connection: records it; false when the node was reaped (the connection
     * may not write). Only the {@code first} registration of a start makes its row: a row missing
     * later was forgotten, its node long reaped.
     */
    static boolean register(Connection c, String node, long now, boolean first) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            Long reaped = null;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT reaped_at FROM cluster_nodes WHERE node_id = ? FOR UPDATE")) {
                ps.setString(1, node);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        reaped = rs.getLong(1);
                    }
                }
            }
            if (reaped == null ? !first : reaped != 0) {
                c.rollback();
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO cluster_nodes (node_id, connection_id, started_at) VALUES (?, CONNECTION_ID(), ?)
                    ON DUPLICATE KEY UPDATE connection_id = CONNECTION_ID()""")) {
                ps.setString(1, node);
                ps.setLong(2, now);
                ps.executeUpdate();
            }
            c.commit();
            return true;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /**
     * On the writer, in each write transaction just before its COMMIT: false when {@code node}
     * was reaped (the transaction must not commit). The row's shared lock, held until the commit,
     * orders the commit against {@link #reap}'s exclusive one: either the commit comes first (and
     * the survivors' {@code MAX(id)}, read after the reap, covers it) or the reap does (and this
     * says no). The reaper's KILL alone did not: a woken node was seen committing a group after it.
     * No row is no: the writer registered it before its first commit, so it was forgotten.
     */
    static boolean stillMember(Connection c, String node) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT reaped_at FROM cluster_nodes WHERE node_id = ? LOCK IN SHARE MODE")) {
            ps.setString(1, node);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getLong(1) == 0;
            }
        }
    }

    /**
     * A clean stop, after the node's last write: its row is marked as a reaped one is (unless it
     * was reaped already), so that it is forgotten in its turn, though the last node of a cluster
     * has nobody to reap it.
     */
    static void stopped(Connection c, String node, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE cluster_nodes SET reaped_at = ? WHERE node_id = ? AND reaped_at = 0")) {
            ps.setLong(1, now);
            ps.setString(2, node);
            ps.executeUpdate();
        }
    }

    /**
     * Deletes the rows of the nodes reaped or stopped before {@code before}: how many. A live
     * node's row (not reaped) stays whatever its age, for the fence and a reaper's KILL. Found by
     * a plain read, then deleted one by one by key: a DELETE that scanned the table would lock
     * every row on its way, and wait for a frozen live node's writer holding its own row's lock
     * ({@link #stillMember}) until the lock wait timed out.
     */
    static int forget(Connection c, long before) throws SQLException {
        List<String> gone = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT node_id FROM cluster_nodes WHERE reaped_at <> 0 AND reaped_at < ?")) {
            ps.setLong(1, before);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    gone.add(rs.getString(1));
                }
            }
        }
        int deleted = 0;
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM cluster_nodes WHERE node_id = ? AND reaped_at <> 0 AND reaped_at < ?")) {
            for (String node : gone) {
                ps.setString(1, node);
                ps.setLong(2, before);
                deleted += ps.executeUpdate();
            }
        }
        return deleted;
    }

    /**
     * Marks {@code node} reaped (a row of its own if it never wrote), then kills its writer's
     * connection: whatever it had not committed is rolled back, and it can never commit again.
     */
    static void reap(Connection c, String node, long now) throws SQLException {
        // First kill the connection as last registered: a node stopped inside a group holds its
        // row's shared lock ({@link #stillMember}), which the FOR UPDATE below would wait for.
        kill(c, connectionOf(c, node));
        long connection = 0;
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT connection_id FROM cluster_nodes WHERE node_id = ? FOR UPDATE")) {
                ps.setString(1, node);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        connection = rs.getLong(1);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO cluster_nodes (node_id, connection_id, started_at, reaped_at) VALUES (?, 0, 0, ?)
                    ON DUPLICATE KEY UPDATE reaped_at = ?""")) {
                ps.setString(1, node);
                ps.setLong(2, now);
                ps.setLong(3, now);
                ps.executeUpdate();
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
        kill(c, connection);
    }

    private static long connectionOf(Connection c, String node) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT connection_id FROM cluster_nodes WHERE node_id = ?")) {
            ps.setString(1, node);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private static void kill(Connection c, long connection) throws SQLException {
        if (connection != 0) {
            try (Statement s = c.createStatement()) {
                s.execute("KILL CONNECTION " + connection);
            } catch (SQLException e) {
                // Already gone (ER_NO_SUCH_THREAD, 1094): what matters is that it is not running.
                if (e.getErrorCode() != 1094) {
                    throw e;
                }
            }
        }
    }

    static boolean isReaped(Connection c, String node) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT reaped_at FROM cluster_nodes WHERE node_id = ?")) {
            ps.setString(1, node);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getLong(1) != 0;
            }
        }
    }
}
