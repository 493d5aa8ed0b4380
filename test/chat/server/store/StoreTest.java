package chat.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.testing.MariaDb;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link StoreContract} on an SQLite file and on a fresh MariaDB database. */
class StoreTest {

    @Nested
    class OnSqlite extends StoreContract {

        @TempDir
        Path dir;

        @Override
        Database database() {
            return Database.sqlite(dir);
        }
    }

    @Nested
    class OnMariaDb extends StoreContract {

        private MariaDb db;

        @Override
        Database database() throws SQLException {
            db = MariaDb.fresh();
            return new Database(db.url(), null, null);
        }

        @AfterEach
        void drop() throws SQLException {
            if (db != null) {
                store.close();
                db.close();
            }
        }

        @Test
        void aConnectionTheServerDroppedIsReplaced() throws Exception {
            assertEquals(Optional.of(alice), store.userByKey("alice")); // this thread's connection is open
            assertEquals(1, killConnections(), "the store's connection, seen by the server");
            assertEquals(Optional.of(alice), store.userByKey("alice"));
            store.storeMessage(alice.id(), bob.id(), "c1", "after a reconnect", 1);
            assertEquals(1, killConnections());
            store.storeMessage(alice.id(), bob.id(), "c2", "and again, in a transaction", 2);
            assertEquals(2, store.undelivered(bob.id(), 10).size());
            assertEquals(1, store.openConnections());
        }

        @Test
        void closeLeavesNoConnectionOnTheServer() throws Exception {
            race(3, i -> store.userByKey("alice"));
            assertTrue(serverConnections().size() >= 3);
            store.close();
            for (int i = 0; i < 50 && !serverConnections().isEmpty(); i++) {
                Thread.sleep(20); // the server notices a closed connection a moment later
            }
            assertEquals(List.of(), serverConnections());
        }

        /** Kills the server side of every connection to this test's database; how many there were. */
        private int killConnections() throws SQLException {
            List<Long> ids = serverConnections();
            try (Connection c = rootConnection(); Statement s = c.createStatement()) {
                for (long id : ids) {
                    s.execute("KILL " + id);
                }
            }
            return ids.size();
        }

        private List<Long> serverConnections() throws SQLException {
            String name = db.url().replaceAll("^.*/([^/?]+)\\?.*$", "$1");
            List<Long> ids = new ArrayList<>();
            try (Connection c = rootConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT id FROM information_schema.processlist WHERE db = '"
                            + name + "' AND id <> CONNECTION_ID()")) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        }

        private Connection rootConnection() {
            return new Database(db.url().replaceAll("/[^/?]+\\?", "/?"), null, null).open();
        }
    }
}
