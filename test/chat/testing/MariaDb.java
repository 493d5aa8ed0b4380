package chat.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A database of its own on the MariaDB server that runs beside the tests (127.0.0.1:3306, user
 * root, no password; override with CHAT_TEST_MYSQL_URL), created for one test and dropped after.
 * Without a reachable server the test is skipped, or fails under CI=true ({@link Needs}).
 */
public final class MariaDb implements AutoCloseable {

    private static final String SERVER_URL = System.getenv().getOrDefault(
            "CHAT_TEST_MYSQL_URL", "jdbc:mysql://127.0.0.1:3306/?user=root&password=");

    private final String name;

    private MariaDb(String name) {
        this.name = name;
    }

    /** In InnoDB's status, a transaction waiting for a lock: {@code LOCK WAIT ...}, then its thread id. */
    private static final Pattern LOCK_WAIT = Pattern.compile("LOCK WAIT[^\\n]*\\n[^\\n]*thread id (\\d+),");

    /**
     * The connection (thread) ids of the transactions waiting for a lock, read from InnoDB's own
     * status ({@code SHOW ENGINE INNODB STATUS}): {@code information_schema.INNODB_TRX} was seen
     * leaving out a waiting transaction for the whole of a 50 s wait, and the tests that order two
     * writers by a lock wait then failed, alone, every time.
     */
    public static Set<Long> lockWaiting(Connection c) throws SQLException {
        Set<Long> ids = new HashSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW ENGINE INNODB STATUS")) {
            if (rs.next()) {
                Matcher m = LOCK_WAIT.matcher(rs.getString("Status"));
                while (m.find()) {
                    ids.add(Long.parseLong(m.group(1)));
                }
            }
        }
        return ids;
    }

    /** Whether a transaction on {@code c}'s database (another test's are not counted) waits for a lock. */
    public static boolean lockWaitIn(Connection c) throws SQLException {
        Set<Long> waiting = lockWaiting(c);
        if (waiting.isEmpty()) {
            return false;
        }
        try (PreparedStatement s = c.prepareStatement("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = DATABASE()");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                if (waiting.contains(rs.getLong(1))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Creates an empty database with a fresh name. */
    public static MariaDb fresh() throws SQLException {
        String name = "chat_test_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        Needs.require(reachable(), "MariaDB or MySQL at " + SERVER_URL.replaceAll("\\?.*", "")
                + " (user root, empty password; set CHAT_TEST_MYSQL_URL to use another)");
        try (Connection c = DriverManager.getConnection(SERVER_URL);
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        }
        return new MariaDb(name);
    }

    private static boolean reachable() {
        try (Connection c = DriverManager.getConnection(SERVER_URL)) {
            return c.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    /** The JDBC URL of this database, credentials included. */
    public String url() {
        int q = SERVER_URL.indexOf('?');
        String base = SERVER_URL.substring(0, q).replaceAll("/$", "");
        return base + "/" + name + SERVER_URL.substring(q);
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER_URL);
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
        }
    }
}
