package chat.server.store;

import static chat.server.store.Sql.list;
import static chat.server.store.Sql.number;
import static chat.server.store.Sql.update;

import chat.server.store.Store.Pruned;
import java.lang.System.Logger.Level;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Retention: messages and events older than the operator's bound deleted in small batches, and
 * the space they held given back to the file system where the database can.
 *
 * <p>A batch walks the primary key from where the last one stopped and ends at the first row sent
 * after the bound: ids rise with time (one writer assigns both), so no index on {@code sent_at}
 * is needed and no batch scans the recent rows. The newest row is never deleted, so that a
 * database whose counter is rebuilt from {@code MAX(id)} at a restart (InnoDB before MariaDB
 * 10.2.4 and MySQL 8) cannot give a deleted id out again: read marks and delivery cursors point
 * past deleted ids and stay right. A file offer's row goes only once its file is expired or
 * cancelled (its bytes gone), and its {@code files} row with it.
 */
final class RetentionStore {

    private static final System.Logger LOG = System.getLogger(RetentionStore.class.getName());

    private final ThreadConnections connections;
    private final Database.Dialect dialect;

    RetentionStore(ThreadConnections connections, Database.Dialect dialect) {
        this.connections = connections;
        this.dialect = dialect;
    }

    private record Old(long id, long sentAt, boolean file, String fileState) {}

    Pruned deleteOldMessages(long sentBefore, long afterId, int batch) {
        Sql.requireLimit(batch);
        return connections.transaction("deleting messages sent before " + sentBefore, c -> {
            long newest = number(c, "SELECT COALESCE(MAX(id), 0) FROM messages");
            List<Old> rows = list(c, """
                    SELECT m.id, m.sent_at, m.kind, f.state
                    FROM messages m LEFT JOIN files f ON f.message_id = m.id
                    WHERE m.id > ? AND m.id < ?
                    ORDER BY m.id
                    LIMIT ?""", rs -> new Old(rs.getLong(1), rs.getLong(2),
                    Store.Kind.FILE.sqlName().equals(rs.getString(3)), rs.getString(4)), afterId, newest, batch);
            List<Object> gone = new ArrayList<>();
            List<Object> filesGone = new ArrayList<>();
            long last = afterId;
            boolean reachedRecent = false;
            for (Old row : rows) {
                if (row.sentAt >= sentBefore) {
                    reachedRecent = true;
                    break;
                }
                last = row.id;
                if (!row.file) {
                    gone.add(row.id);
                } else if (row.fileState == null || row.fileState.equals("expired")
                        || row.fileState.equals("cancelled")) {
                    gone.add(row.id);
                    filesGone.add(row.id);
                }
            }
            if (!filesGone.isEmpty()) {
                update(c, "DELETE FROM files WHERE message_id IN (" + Sql.marks(filesGone.size()) + ")",
                        filesGone.toArray());
            }
            if (!gone.isEmpty()) {
                update(c, "DELETE FROM messages WHERE id IN (" + Sql.marks(gone.size()) + ")", gone.toArray());
            }
            return new Pruned(gone.size(), last, !reachedRecent && rows.size() == batch);
        });
    }

    /** Tries of the truncating checkpoint, 10 ms apart, before it is left to the next round. */
    private static final int TRUNCATE_ATTEMPTS = 10;

    /**
     * SQLite: frees the pages of deleted rows (when the database was made with incremental
     * auto-vacuum) and moves the write-ahead log into the database, truncating it; a busy checkpoint
     * is left to the next round. MySQL/MariaDB: nothing; InnoDB reuses the freed pages of its
     * tablespace for new rows, and only {@code OPTIMIZE TABLE} would give them back to the disk.
     */
    void reclaimSpace() {
        if (dialect != Database.Dialect.SQLITE) {
            return;
        }
        connections.autoCommit("reclaiming the space of deleted messages", c -> {
            try (Statement s = c.createStatement()) {
                if (number(c, "PRAGMA auto_vacuum") == 2) { // incremental
                    // executeUpdate steps the pragma to its end (every free page); execute would
                    // step it once, which frees one page.
                    s.executeUpdate("PRAGMA incremental_vacuum");
                }
                // The db-checkpoint thread's checkpoint (every 200 ms, or 20 ms with the WAL nearly
                // full) makes this one busy for the moment it runs: a few tries, a little apart.
                for (int attempt = 1; ; attempt++) {
                    try (ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                        if (!rs.next() || rs.getInt(1) == 0) {
                            break;
                        }
                    }
                    if (attempt == TRUNCATE_ATTEMPTS) {
                        LOG.log(Level.DEBUG, "the checkpoint after deleting old messages was busy; next round");
                        break;
                    }
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
            return null;
        });
    }
}
