package chat.server.store;

import static chat.server.store.Rows.MESSAGE_COLUMNS;
import static chat.server.store.Sql.exists;
import static chat.server.store.Sql.first;
import static chat.server.store.Sql.insert;
import static chat.server.store.Sql.list;
import static chat.server.store.Sql.number;
import static chat.server.store.Sql.update;

import chat.common.proto.FileStatus;
import chat.server.store.Store.FileRow;
import chat.server.store.Store.Kind;
import chat.server.store.Store.Message;
import chat.server.store.Store.StoredFile;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Files offered through the server (protocol 1.2): the offer's message and its {@code files} row.
 * Only rows: the bytes are {@code chat.server.files}' business, on its own threads.
 */
final class FileStore {

    private static final String FILE_SELECT = """
            SELECT f.id, f.message_id, f.sender_id, s.name, f.recipient_id, r.name, f.group_id, g.name, f.name,
                   f.size, f.sha256, f.state, f.received, f.created_at, f.expires_at
            """;
    private static final String FILE_JOINS = """
            JOIN users s ON s.id = f.sender_id
            LEFT JOIN users r ON r.id = f.recipient_id
            LEFT JOIN chat_groups g ON g.id = f.group_id
            """;
    private static final String FILE_COLUMNS = FILE_SELECT + "FROM files f\n" + FILE_JOINS;

    /** The states whose bytes are kept: what the quota counts and what may share a blob. */
    private static final String LIVE = "('uploading', 'ready', 'failed')";

    private final ThreadConnections connections;
    private final Sql sql;

    FileStore(ThreadConnections connections, Sql sql) {
        this.connections = connections;
        this.sql = sql;
    }

    StoredFile storeOffer(long senderId, long senderDevice, long recipientId, long groupId, String clientId,
            String name, long size, String sha256, boolean ready, long now, long expiresAt) {
        Sql.requireChars("client id", clientId, Sql.MAX_CLIENT_ID);
        Sql.requireChars("file name", name, 255);
        String doing = "storing file offer " + clientId + " from user " + senderId;
        return connections.transaction(doing, c -> {
            long messageId = sql.unlessTaken(() -> insert(c, """
                    INSERT INTO messages (sender_id, sender_device, recipient_id, group_id, client_id, body, sent_at, kind)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", senderId, senderDevice, recipientId == 0 ? null : recipientId,
                    groupId == 0 ? null : groupId, clientId, name, now, Kind.FILE.sqlName()), 0L);
            boolean duplicate = messageId == 0;
            if (duplicate) {
                messageId = first(c, "SELECT id FROM messages WHERE sender_id = ? AND client_id = ?",
                        rs -> rs.getLong(1), senderId, clientId)
                        .orElseThrow(() -> new SQLException("the key (" + senderId + ", " + clientId
                                + ") was taken, but no message has it"));
            } else {
                insert(c, """
                        INSERT INTO files (message_id, sender_id, recipient_id, group_id, name, size, sha256, state,
                                           received, created_at, expires_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", messageId, senderId,
                        recipientId == 0 ? null : recipientId, groupId == 0 ? null : groupId, name, size, sha256,
                        (ready ? FileStatus.READY : FileStatus.UPLOADING).wire(), ready ? size : 0, now, expiresAt);
            }
            StoredFile stored = offer(c, messageId, duplicate);
            Message m = stored.message();
            if (!duplicate && (m.isGroup() ? m.groupName() == null : m.recipientName() == null)) {
                throw new StoreException(doing + ": no such recipient or group"); // rolled back
            }
            return stored;
        });
    }

    /** The offer (or message) a sender stored with this client id: what a resend is answered from. */
    Optional<StoredFile> earlierOffer(long senderId, String clientId) {
        return connections.autoCommit("looking for offer " + clientId + " of user " + senderId, c -> {
            var id = first(c, "SELECT id FROM messages WHERE sender_id = ? AND client_id = ?",
                    rs -> rs.getLong(1), senderId, clientId);
            return id.isEmpty() ? Optional.<StoredFile>empty() : Optional.of(offer(c, id.get(), true));
        });
    }

    /** The message of this id and its file; the file is null when the message is text. */
    private static StoredFile offer(java.sql.Connection c, long messageId, boolean duplicate) throws SQLException {
        Message m = list(c, MESSAGE_COLUMNS + "WHERE m.id = ?", Rows::message, messageId).get(0);
        FileRow file = first(c, FILE_COLUMNS + "WHERE f.message_id = ?", FileStore::row, messageId).orElse(null);
        return new StoredFile(m, file, duplicate);
    }

    Optional<FileRow> file(long fileId) {
        return connections.autoCommit("reading file " + fileId,
                c -> first(c, FILE_COLUMNS + "WHERE f.id = ?", FileStore::row, fileId));
    }

    long liveBytes(long senderId) {
        return connections.autoCommit("adding up the files of user " + senderId,
                c -> number(c, "SELECT COALESCE(SUM(size), 0) FROM files WHERE sender_id = ? AND state IN " + LIVE,
                        senderId));
    }

    boolean contentReady(long senderId, String sha256, long size) {
        return connections.autoCommit("looking for content " + sha256 + " of user " + senderId,
                c -> exists(c, "SELECT 1 FROM files WHERE sender_id = ? AND sha256 = ? AND size = ? AND state = 'ready'",
                        senderId, sha256, size));
    }

    boolean contentHeld(String sha256) {
        return connections.autoCommit("looking for live offers of content " + sha256,
                c -> exists(c, "SELECT 1 FROM files WHERE sha256 = ? AND state IN " + LIVE, sha256));
    }

    /**
     * A file that is ready stays so: a progress record still on its way from an upload that ended
     * on another node of a cluster (sharing the files folder) must not take it back to uploading.
     */
    void progress(long fileId, FileStatus state, long received) {
        String from = state == FileStatus.UPLOADING ? "('uploading', 'failed')" : LIVE;
        connections.transaction("recording the progress of file " + fileId, c -> update(c,
                "UPDATE files SET state = ?, received = ? WHERE id = ? AND state IN " + from,
                state.wire(), received, fileId));
    }

    boolean cancel(long fileId) {
        return connections.transaction("cancelling file " + fileId, c -> update(c,
                "UPDATE files SET state = 'cancelled' WHERE id = ? AND state IN " + LIVE, fileId)) == 1;
    }

    List<FileRow> expire(long now, int batch) {
        Sql.requireLimit(batch);
        return connections.transaction("expiring files", c -> {
            List<FileRow> due = list(c, FILE_COLUMNS + "WHERE f.state IN " + LIVE + " AND f.expires_at <= ? ORDER BY f.id LIMIT ?",
                    FileStore::row, now, batch);
            List<FileRow> expired = new ArrayList<>(due.size());
            for (FileRow f : due) {
                // Only if still live when updated: another node's sweep may have expired it since
                // the SELECT (the UPDATE reads the row as committed, after waiting for its lock),
                // and only the node that expires a file ends its transfers and tells everyone.
                if (update(c, "UPDATE files SET state = 'expired' WHERE id = ? AND state IN " + LIVE, f.id()) == 0) {
                    continue;
                }
                expired.add(new FileRow(f.id(), f.messageId(), f.senderId(), f.senderName(), f.recipientId(),
                        f.recipientName(), f.groupId(), f.groupName(), f.name(), f.size(), f.sha256(),
                        FileStatus.EXPIRED, f.received(), f.createdAt(), f.expiresAt()));
            }
            return expired;
        });
    }

    /** Three index ranges (mine, to me, to my groups), each cut at the limit, merged newest first. */
    List<FileRow> files(long userId, int limit) {
        Sql.requireLimit(limit);
        return connections.autoCommit("listing the files of user " + userId, c -> list(c, FILE_SELECT + """
                FROM (
                    SELECT a.id FROM (SELECT id FROM files WHERE sender_id = ? ORDER BY id DESC LIMIT ?) a
                    UNION
                    SELECT b.id FROM (SELECT id FROM files WHERE recipient_id = ? ORDER BY id DESC LIMIT ?) b
                    UNION
                    SELECT x.id FROM (
                        SELECT y.id FROM files y JOIN group_members gm ON gm.group_id = y.group_id
                        WHERE gm.user_id = ? ORDER BY y.id DESC LIMIT ?) x
                ) mine
                JOIN files f ON f.id = mine.id
                """ + FILE_JOINS + """
                ORDER BY f.id DESC
                LIMIT ?""", FileStore::row, userId, limit, userId, limit, userId, limit, limit));
    }

    private static FileRow row(ResultSet rs) throws SQLException {
        return new FileRow(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getLong(5),
                rs.getString(6), rs.getLong(7), rs.getString(8), rs.getString(9), rs.getLong(10), rs.getString(11),
                FileStatus.fromWire(rs.getString(12)), rs.getLong(13), rs.getLong(14), rs.getLong(15));
    }
}
