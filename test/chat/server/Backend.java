package chat.server;

import chat.testing.MariaDb;
import java.nio.file.Files;
import java.nio.file.Path;

/** The two databases every end-to-end account test runs on. */
public enum Backend {
    SQLITE, MARIADB;

    /** A fresh, empty database of this kind; closing it removes it. */
    public Fresh fresh() throws Exception {
        if (this == SQLITE) {
            Path dir = Files.createTempDirectory("chat-sqlite");
            return new Fresh("jdbc:sqlite:" + dir.resolve("chat.db"), dir, null);
        }
        MariaDb db = MariaDb.fresh();
        return new Fresh(db.url(), Files.createTempDirectory("chat-mariadb"), db);
    }

    /** A database URL, a data folder for the server, and what to drop afterwards. */
    public record Fresh(String url, Path data, MariaDb mariaDb) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            if (mariaDb != null) {
                mariaDb.close();
            }
            try (var files = Files.walk(data)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
