package chat.server.store;

import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ReadsContract} on an SQLite file and on a fresh MariaDB database, and there again as a
 * cluster node's store (unread counts kept for several writers: {@link UnreadCounts.SeveralWriters}).
 */
class ReadsTest {

    @TempDir
    Path dir;

    @Nested
    class OnSqlite extends ReadsContract {
        @Override
        Database database() {
            return Database.sqlite(dir);
        }
    }

    @Nested
    class OnMariaDb extends ReadsContract {
        @Override
        Database database() throws SQLException {
            return StoreTest.mariaDb(this);
        }
    }

    @Nested
    class OnMariaDbShared extends ReadsContract {
        @Override
        Database database() throws SQLException {
            return StoreTest.mariaDb(this);
        }

        @Override
        boolean shared() {
            return true;
        }
    }
}
