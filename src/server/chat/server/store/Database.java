package chat.server.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Where the data lives and how to open a connection to it: an SQLite file (the default) or a
 * MySQL/MariaDB server given as a JDBC URL.
 */
public record Database(String url, String user, String password, Durability durability) {

    public enum Dialect { SQLITE, MYSQL }

    /**
     * What a commit waits for (docs/ARCHITECTURE.md, "Durability", says what each can cost).
     * {@link #NORMAL}: on SQLite {@code synchronous=NORMAL} in WAL mode, the WAL is synced at each
     * checkpoint, not at each commit, so a power loss (not a crash of the server) may undo the last
     * commits; the file stays consistent. {@link #FSYNC}: {@code synchronous=FULL}, each commit is
     * synced before it returns. On MySQL/MariaDB the server's own
     * {@code innodb_flush_log_at_trx_commit} decides (1, its default, syncs each commit); the
     * store only warns at start when {@code FSYNC} is asked for and the server is set otherwise.
     */
    public enum Durability { NORMAL, FSYNC }

    public static final String SQLITE_FILE = "chat.db";

    /**
     * The page size of a new SQLite file, a quarter of SQLite's 4 KiB. A message changes a page
     * of each index of the messages table (its sender's, its recipient's, the pair's, the client
     * id's), scattered over the file, and each commit writes each page it changed whole into the
     * WAL, and a checkpoint again into the file: at 4 KiB, 20,000 MSGs a second wrote about
     * 350 MB/s, more than this machine's disk takes, and the writer fell behind for good; at
     * 1 KiB it keeps up (docs/BENCHMARKS.md, issue 12). Rows, history pages and scans read a
     * few more pages; a text longer than a page continues on overflow pages, as before.
     */
    static final int PAGE_BYTES = 1024;

    /**
     * WAL bytes after which the writer checkpoints them and the WAL starts again from its
     * beginning: between groups, once the checkpointer has found the WAL this full
     * ({@code Workers.checkpointIfFull}); inside the commit, SQLite's {@code wal_autocheckpoint},
     * on any connection but the writer's ({@link #open}), whose own is twice this
     * ({@link #forWriting}). The file stays about this large on disk, and a restart after a crash
     * replays at most this much (twice, should the writer never get between groups). The
     * checkpointer has copied most of it by then; what the writer still does (a sync of the WAL
     * and of the file) holds the MSGs behind it for 20 to 45 ms, whatever the size, so this is
     * large enough that it happens about every 1.5 s at 20,000 MSGs a second (at 40 MiB, every
     * 0.35 s).
     */
    static final long WAL_CHECKPOINT_BYTES = 160L << 20;
    /**
     * The SQLite writer's page cache, in KiB (SQLite's default is 2 MiB): a message changes a
     * page of each of the messages table's indexes, one for its sender, one for its recipient, one
     * for the pair, so a thousand people chatting at once keep about 4,000 pages (16 MiB) in use;
     * a page read back from the file costs a system call and a look through the WAL's index. The
     * cache grows to this only as pages are used.
     */
    static final int WRITER_CACHE_KIB = 64 * 1024;

    /** The default: {@code DIR/chat.db}. */
    public static Database sqlite(Path dir) {
        return new Database("jdbc:sqlite:" + dir.resolve(SQLITE_FILE), null, null);
    }

    /** With the default durability, {@link Durability#NORMAL}. */
    public Database(String url, String user, String password) {
        this(url, user, password, Durability.NORMAL);
    }

    /** The same database with commits that wait for {@code d}. */
    public Database withDurability(Durability d) {
        return new Database(url, user, password, d);
    }

    public Database {
        if (durability == null) {
            throw new IllegalArgumentException("durability must be set");
        }
        if (!url.startsWith("jdbc:sqlite:") && !url.startsWith("jdbc:mysql:") && !url.startsWith("jdbc:mariadb:")) {
            throw new IllegalArgumentException("unsupported database URL (jdbc:sqlite: or jdbc:mysql:): " + url);
        }
    }

    public Dialect dialect() {
        return url.startsWith("jdbc:sqlite:") ? Dialect.SQLITE : Dialect.MYSQL;
    }

    /** The URL without credentials that may sit in its query string, for logs. */
    public String describe() {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    /**
     * A new SQLite file (not one page written yet: the switch to WAL writes the first) is made
     * with pages of {@link #PAGE_BYTES} and incremental auto-vacuum, so that retention can give
     * the pages of deleted rows back ({@code RetentionStore.reclaimSpace}). An older database
     * keeps what it has: both change only with a VACUUM, which rewrites the whole file; its freed
     * pages stay on its free list and are reused by new rows. Reading the page count takes no
     * lock in WAL mode, so this never waits for the writer.
     */
    private static void newDatabase(Statement s) throws SQLException {
        try (var rs = s.executeQuery("PRAGMA page_count")) {
            if (!rs.next() || rs.getLong(1) != 0) {
                return;
            }
        }
        s.execute("PRAGMA page_size=" + PAGE_BYTES); // before auto_vacuum, which would fix the size at 4 KiB
        s.execute("PRAGMA auto_vacuum=INCREMENTAL");
    }

    private static long pageSize(Statement s) throws SQLException {
        try (var rs = s.executeQuery("PRAGMA page_size")) {
            return rs.next() ? rs.getLong(1) : PAGE_BYTES;
        }
    }

    /**
     * Sets up the one connection that writes (ThreadConnections opens it on the writer's thread).
     * On SQLite: a larger page cache ({@link #WRITER_CACHE_KIB}; readers keep the default, since
     * SQLite empties a reader's cache whenever the writer has committed since its last read), and
     * savepoints that keep their copies of the pages they change in memory rather than in a
     * temporary file each, written and deleted (with a savepoint open, that was a write of every
     * page a group of MSGs changed). Readers' sorts, which may be large, still spill to files.
     */
    public void forWriting(Connection c) throws SQLException {
        if (dialect() == Dialect.SQLITE) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA cache_size=-" + WRITER_CACHE_KIB);
                s.execute("PRAGMA temp_store=MEMORY");
                // The writer checkpoints a full log between groups (Workers.checkpointIfFull);
                // SQLite's own checkpoint inside a commit is left for a log twice as full.
                s.execute("PRAGMA wal_autocheckpoint=" + 2 * WAL_CHECKPOINT_BYTES / pageSize(s));
            }
        }
    }

    /**
     * Copies what the WAL holds into the SQLite file, as far as no reader still needs the WAL, and
     * never waits for the writer (a passive checkpoint): the {@code db-checkpoint} thread's work,
     * on a connection of its own, so that the writer's commits find little left to copy when the
     * WAL reaches {@link #WAL_CHECKPOINT_BYTES} (copying, with its syncs, was about a tenth of the
     * writer's time at 20,000 MSGs a second). SQLite only ({@link JdbcStore#checkpoint} answers
     * for MySQL, whose server does its own). Returns the WAL's size afterwards as a share of that
     * (see {@link Store#checkpoint}): NaN when another checkpoint held the WAL, -1 when there is
     * none (a file not in WAL mode).
     */
    double checkpoint(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            boolean busy;
            long frames;
            try (var rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                rs.next();
                busy = rs.getInt(1) != 0;
                frames = rs.getLong(2); // frames in the WAL, copied or not; -1 (with the third) when busy or no WAL
            }
            if (frames < 0) {
                return busy ? Double.NaN : -1;
            }
            return frames / (double) (WAL_CHECKPOINT_BYTES / pageSize(s));
        }
    }

    /**
     * Opens a new connection, set up for this project's use. On MySQL: READ COMMITTED. On SQLite: WAL, a busy timeout, and
     * transactions that take the write lock when they begin ({@code BEGIN IMMEDIATE}). A
     * transaction that starts by reading and writes later could otherwise not always become a
     * writer: SQLite fails it at once (SQLITE_BUSY, without waiting) when another connection wrote
     * in between. The store's transactions are all there to write, so waiting for the lock at the
     * start costs nothing, and a transaction may read before it writes.
     */
    public Connection open() {
        try {
            Connection c;
            if (dialect() == Dialect.SQLITE) {
                var config = new org.sqlite.SQLiteConfig();
                config.setTransactionMode(org.sqlite.SQLiteConfig.TransactionMode.IMMEDIATE);
                // Else the driver runs SELECT last_insert_rowid() after every INSERT, with a
                // statement prepared for it each time: Sql.insert asks for the key itself, and
                // only when it wants one.
                config.setGetGeneratedKeys(false);
                c = DriverManager.getConnection(url, config.toProperties());
                try (Statement s = c.createStatement()) {
                    newDatabase(s);
                    s.execute("PRAGMA journal_mode=WAL");
                    s.execute(durability == Durability.FSYNC ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
                    s.execute("PRAGMA foreign_keys=ON");
                    s.execute("PRAGMA busy_timeout=10000");
                    // The commit that takes the WAL past WAL_CHECKPOINT_BYTES copies what the
                    // checkpointer has not yet copied (checkpoint, above) into the database, syncs
                    // both, and the WAL starts again from its beginning: at SQLite's 1,000 pages that
                    // was every few hundred MSGs (each dirties a page of each index), about a fifth
                    // of the writer's CPU.
                    s.execute("PRAGMA wal_autocheckpoint=" + WAL_CHECKPOINT_BYTES / pageSize(s));
                }
            } else {
                var props = new Properties();
                if (user != null) {
                    props.setProperty("user", user);
                }
                if (password != null) {
                    props.setProperty("password", password);
                }
                props.setProperty("characterEncoding", "UTF-8");
                props.setProperty("connectionCollation", "utf8mb4_bin");
                // A JDBC batch of INSERTs goes as one multi-row INSERT (and of other statements
                // as one multi-statement request): one round trip for the writer's batch of MSGs
                // (Sql.insertAll) or of unread counts, where each statement was one.
                props.setProperty("rewriteBatchedStatements", "true");
                // The driver knows the session's auto-commit mode and isolation from its own calls
                // (nothing else changes them), so a setAutoCommit that changes nothing sends nothing:
                // without this each one was a SET round trip (ThreadConnections.endTransaction).
                props.setProperty("useLocalSessionState", "true");
                c = DriverManager.getConnection(url.replace("jdbc:mariadb:", "jdbc:mysql:"), props);
                // Each statement sees what is committed when it runs, as on SQLite, rather than a
                // snapshot taken at the transaction's first read (InnoDB's default): a transaction
                // that locks a group and then lists its members must see every member that
                // committed before it got the lock (GroupStore.lockGroup).
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
            return c;
        } catch (SQLException e) {
            throw new StoreException("opening " + describe(), e);
        }
    }
}
