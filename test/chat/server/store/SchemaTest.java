package chat.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.testing.MariaDb;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schema on both databases: created once, checked after, an unknown version refused. */
class SchemaTest {

    @TempDir
    Path dir;

    @Test
    void sqlite() throws Exception {
        check(Database.sqlite(dir));
    }

    @Test
    void mariaDb() throws Exception {
        try (var db = MariaDb.fresh()) {
            check(new Database(db.url(), null, null));
        }
    }

    /** Nodes of a cluster starting at once on an empty database: each waits for the one making the schema. */
    @Test
    void mariaDbOpenedByFourAtOnce() throws Exception {
        try (var db = MariaDb.fresh()) {
            var database = new Database(db.url(), null, null);
            var start = new java.util.concurrent.CountDownLatch(1);
            var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                var opened = new java.util.ArrayList<java.util.concurrent.Future<?>>();
                for (int i = 0; i < 4; i++) {
                    opened.add(pool.submit(() -> {
                        start.await();
                        JdbcStore.open(database, true).close();
                        return null;
                    }));
                }
                start.countDown();
                for (var f : opened) {
                    f.get(); // without the schema lock: "the database has schema version 0"
                }
            } finally {
                pool.shutdownNow();
            }
            try (Connection c = database.open(); Statement s = c.createStatement()) {
                assertEquals(Schema.VERSION, count(s, "SELECT MAX(version) FROM schema_version"));
                assertEquals(1, count(s, "SELECT COUNT(*) FROM schema_version"));
            }
        }
    }

    private static void check(Database database) throws Exception {
        JdbcStore.open(database).close();
        try (Connection c = database.open(); Statement s = c.createStatement()) {
            for (String table : List.of("schema_version", "users", "connections")) {
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    assertTrue(rs.next(), table);
                }
            }
            // What a crash left behind: a user shown online with a connection row.
            s.executeUpdate("INSERT INTO users (name, name_key, password_hash, status, created_at)"
                    + " VALUES ('小明', '小明', 'x', 1, 0)");
            s.executeUpdate("INSERT INTO connections (user_id, ip, port, login_at)"
                    + " SELECT id, '127.0.0.1', 5000, 0 FROM users");
        }
        JdbcStore.open(database).close(); // the second start keeps the data and clears the ghost
        try (Connection c = database.open(); Statement s = c.createStatement()) {
            assertEquals(0, count(s, "SELECT COUNT(*) FROM connections"));
            assertEquals(1, count(s, "SELECT COUNT(*) FROM users WHERE status = 0 AND name = '小明'"));
            s.executeUpdate("UPDATE schema_version SET version = 99");
        }
        var e = assertThrows(StoreException.class, () -> JdbcStore.open(database));
        assertEquals("the database has schema version 99, but this server knows only version " + Schema.VERSION + "; refusing to use it",
                e.getMessage());
    }

    private static int count(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
