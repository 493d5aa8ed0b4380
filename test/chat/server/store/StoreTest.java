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
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each store contract on an SQLite file and on a fresh MariaDB database. */
class StoreTest {

    @TempDir
    Path dir;

    /** A fresh MariaDB database, dropped after the test. */
    static Database mariaDb(StoreFixture test) throws SQLException {
        MariaDb db = MariaDb.fresh();
        test.cleanups.add(db);
        return new Database(db.url(), null, null);
    }

    @Nested
    class OnSqlite extends StoreContract {
        @Override
        Database database() {
            return Database.sqlite(dir);
        }
    }

    @Nested
    class DeliveryOnSqlite extends DeliveryContract {
        @Override
        Database database() {
            return Database.sqlite(dir);
        }
    }

    @Nested
    class DeliveryOnMariaDb extends DeliveryContract {
        @Override
        Database database() throws SQLException {
            return mariaDb(this);
        }
    }

    @Nested
    class SessionsOnSqlite extends SessionContract {
        @Override
        Database database() {
            return Database.sqlite(dir);
        }
    }

    @Nested
    class SessionsOnMariaDb extends SessionContract {
        @Override
        Database database() throws SQLException {
            return mariaDb(this);
        }
    }

    @Nested
    class ContactsOnSqlite extends ContactsContract {
        @Override
        Database database() {
            return Database.sqlite(dir);
        }
    }

    @Nested
    class ContactsOnMariaDb extends ContactsContract {
        @Override
        Database database() throws SQLException {
            return mariaDb(this);
        }
    }

    @Nested
    class OnMariaDb extends StoreContract {

        @Override
        Database database() throws SQLException {
            return mariaDb(this);
        }

        /** The name of this test's database, from its URL. */
        private String name() {
            return store.database().url().replaceAll("^.*/([^/?]+)\\?.*$", "$1");
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
            String name = name();
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
            return new Database(store.database().url().replaceAll("/[^/?]+\\?", "/?"), null, null).open();
        }
    }
}
