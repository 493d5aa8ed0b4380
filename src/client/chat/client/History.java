package chat.client;

import chat.client.HistoryEntry.DeliveryState;
import chat.common.io.PrivateFiles;
import chat.common.proto.ChatMessage;
import chat.common.proto.FileOffer;
import chat.common.text.Names;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The local chat history of one account on one device: a SQLite file holding every message this
 * device sent or received, so that a conversation can be read without a connection.
 *
 * <p>It is also the device's half of delivery. A message received is stored before it is
 * acknowledged, keyed by the server's id, so a message delivered twice is stored once
 * ({@link #addDelivered} says whether it was new); stored events are remembered by id the same
 * way ({@link #firstSeen}). A message sent is stored {@link DeliveryState#PENDING} under its
 * client id before it goes on the wire, and becomes {@link DeliveryState#SENT} with the server's
 * id when the server confirms it (or when a HIST item with its client id shows it stored);
 * whatever is still pending after a reconnect is sent again with the same client id, which the
 * server recognises.
 *
 * <p>Conversations are keyed by the other person's {@link Names#key} or, for a group, by
 * {@code !id}: a rename keeps the history, and the {@code groups} table gives the current name.
 * A file from before group ids keyed groups by {@code #name}; {@link #bindGroup} moves those rows
 * to the id the first time the pair is seen. The lobby's lines are not kept (the server keeps none
 * either).
 *
 * <p>Thread-safe: one JDBC connection, every method synchronized (the reader thread stores what
 * arrives while the caller's thread reads).
 */
final class History implements AutoCloseable {

    /**
     * {@code PRAGMA user_version}: 2 adds group ids, the groups table and seen events; 3 file
     * offers and pending uploads (new tables only: an older file just gains them).
     */
    private static final int VERSION = 3;

    /**
     * A file of mine offered from this device whose bytes are not all on the server yet: the
     * upload goes on after a reconnect, or the next start, while the file is unchanged
     * ({@code modified} is its time when offered).
     */
    record PendingUpload(long fileId, Path path, String name, long size, String sha256, long modified) {}

    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS message (
                seq       INTEGER PRIMARY KEY AUTOINCREMENT, -- local order, for messages without a server id
                server_id INTEGER UNIQUE,                    -- NULL until the server stored it
                sent_at   INTEGER NOT NULL,                  -- ms since 1970: the server's time once known
                sender    TEXT NOT NULL,
                recipient TEXT NOT NULL,                     -- a name, or #group as it was named then
                peer_key  TEXT NOT NULL,                     -- the conversation: Names.key of the other side, or !group-id
                body      TEXT NOT NULL,
                client_id TEXT UNIQUE,                       -- the sender's id for it, when known
                state     TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS message_peer ON message (peer_key, server_id);
            CREATE TABLE IF NOT EXISTS chat_group (
                id     INTEGER PRIMARY KEY,                  -- the server's group id
                name   TEXT NOT NULL,                        -- its current name, as last seen
                member INTEGER NOT NULL                      -- 1 while I am in it: only then does its name lead to it
            );
            CREATE TABLE IF NOT EXISTS seen_event (
                id INTEGER PRIMARY KEY                       -- a stored event's id: told once
            );
            CREATE TABLE IF NOT EXISTS file_offer (
                message_id INTEGER PRIMARY KEY,              -- the offer's message (message.server_id), whose body is the file name
                file_id    INTEGER NOT NULL,
                size       INTEGER NOT NULL,
                sha256     TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS pending_upload (
                file_id  INTEGER PRIMARY KEY,                -- offered from here, bytes not all on the server yet
                path     TEXT NOT NULL,
                name     TEXT NOT NULL,
                size     INTEGER NOT NULL,
                sha256   TEXT NOT NULL,
                modified INTEGER NOT NULL                    -- the file's time when offered: a changed file is not sent
            )
            """;

    /** Newest first by server id, messages not yet on the server after all of them. */
    private static final String NEWEST_FIRST = " ORDER BY m.server_id IS NULL DESC, m.server_id DESC, m.seq DESC";

    /** A group message shows its group's current name. */
    private static final String SELECT = "SELECT m.server_id, m.sent_at, m.sender,"
            + " CASE WHEN g.name IS NULL THEN m.recipient ELSE '#' || g.name END,"
            + " CASE WHEN m.peer_key LIKE '!%' THEN CAST(substr(m.peer_key, 2) AS INTEGER) ELSE NULL END,"
            + " m.client_id, m.body, m.state, f.file_id, f.size, f.sha256"
            + " FROM message m LEFT JOIN chat_group g ON m.peer_key = '!' || g.id"
            + " LEFT JOIN file_offer f ON f.message_id = m.server_id";

    private final Connection db;
    private final String accountKey;

    private History(Connection db, String account) {
        this.db = db;
        this.accountKey = Names.key(account);
    }

    /** Opens, creating when missing, the history in {@code file} of {@code account}. */
    static History open(Path file, String account) {
        try {
            // 0700 and 0600 when made here: a history is someone's private messages. SQLite gives
            // its journal the database file's mode, so the file is made (empty) before it opens.
            PrivateFiles.createFolders(file.getParent());
            PrivateFiles.createFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException("creating the history " + file, e);
        }
        try {
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA busy_timeout = 5000"); // a second client of the same account
                for (String sql : SCHEMA.split(";")) {
                    s.execute(sql);
                }
                s.execute("PRAGMA user_version = " + VERSION);
            } catch (SQLException e) {
                db.close();
                throw e;
            }
            return new History(db, account);
        } catch (SQLException e) {
            throw new HistoryException("opening the history " + file, e);
        }
    }

    /** Whether {@code name} is this history's account. */
    boolean isAccount(String name) {
        return Names.key(name).equals(accountKey);
    }

    private boolean isMe(String name) {
        return Names.key(name).equals(accountKey);
    }

    /** The key of {@code m}'s conversation. */
    private String keyOf(ChatMessage m) {
        if (m.isGroup()) {
            return "!" + m.groupId();
        }
        return Names.key(isMe(m.from()) ? m.to() : m.from());
    }

    /** The key of a private conversation with {@code name}. */
    static String personKey(String name) {
        return Names.key(name);
    }

    static String groupKey(long groupId) {
        return "!" + groupId;
    }

    /**
     * Stores a message the server delivered or listed (a {@code MESSAGE} push or a {@code HIST}
     * item); {@code false} when it is here already. A message of mine from this device whose
     * reply never came (it is pending here) becomes sent instead.
     */
    synchronized boolean addDelivered(ChatMessage m) {
        try {
            if (!m.clientId().isEmpty() && isMe(m.from())) {
                try (PreparedStatement ps = db.prepareStatement("UPDATE message SET server_id = ?, sent_at = ?,"
                        + " state = ? WHERE client_id = ? AND server_id IS NULL")) {
                    ps.setLong(1, m.id());
                    ps.setLong(2, m.time());
                    ps.setString(3, DeliveryState.SENT.name());
                    ps.setString(4, m.clientId());
                    if (ps.executeUpdate() == 1) {
                        return false;
                    }
                }
            }
            String sql = "INSERT OR IGNORE INTO message (server_id, sent_at, sender, recipient, peer_key, body,"
                    + " client_id, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
            try (PreparedStatement ps = db.prepareStatement(sql)) {
                ps.setLong(1, m.id());
                ps.setLong(2, m.time());
                ps.setString(3, m.from());
                ps.setString(4, m.to());
                ps.setString(5, keyOf(m));
                ps.setString(6, m.text());
                ps.setString(7, m.clientId().isEmpty() ? null : m.clientId());
                ps.setString(8, (isMe(m.from()) ? DeliveryState.SENT : DeliveryState.RECEIVED).name());
                return ps.executeUpdate() == 1;
            }
        } catch (SQLException e) {
            throw new HistoryException("storing message " + m.id(), e);
        }
    }

    /**
     * Stores a file offer (a {@code FILE} push, a {@code HIST_FILE} item, or mine from this
     * device once the server took it) as a message whose text is the file's name; {@code false}
     * when it is here already.
     */
    synchronized boolean addFile(FileOffer offer) {
        boolean fresh = addDelivered(offer.message());
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT OR IGNORE INTO file_offer (message_id, file_id, size, sha256) VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, offer.id());
            ps.setLong(2, offer.fileId());
            ps.setLong(3, offer.size());
            ps.setString(4, offer.sha256());
            ps.executeUpdate();
            return fresh;
        } catch (SQLException e) {
            throw new HistoryException("storing file offer " + offer.id(), e);
        }
    }

    /** Remembers an upload from here until its bytes are all on the server. */
    synchronized void addPendingUpload(PendingUpload u) {
        try (PreparedStatement ps = db.prepareStatement("INSERT OR REPLACE INTO pending_upload"
                + " (file_id, path, name, size, sha256, modified) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, u.fileId());
            ps.setString(2, u.path().toString());
            ps.setString(3, u.name());
            ps.setLong(4, u.size());
            ps.setString(5, u.sha256());
            ps.setLong(6, u.modified());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new HistoryException("remembering upload " + u.fileId(), e);
        }
    }

    /** The uploads from here not finished yet, oldest offer first. */
    synchronized List<PendingUpload> pendingUploads() {
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT file_id, path, name, size, sha256, modified FROM pending_upload ORDER BY file_id");
                ResultSet rs = ps.executeQuery()) {
            List<PendingUpload> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new PendingUpload(rs.getLong(1), Path.of(rs.getString(2)), rs.getString(3), rs.getLong(4),
                        rs.getString(5), rs.getLong(6)));
            }
            return out;
        } catch (SQLException e) {
            throw new HistoryException("reading the pending uploads", e);
        }
    }

    /** The upload of {@code fileId} is over: done, cancelled, or no longer possible. */
    synchronized void removePendingUpload(long fileId) {
        try (PreparedStatement ps = db.prepareStatement("DELETE FROM pending_upload WHERE file_id = ?")) {
            ps.setLong(1, fileId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new HistoryException("forgetting upload " + fileId, e);
        }
    }

    /** Stores a message I am about to send ({@code m} has id 0 and a client id) as pending. */
    synchronized HistoryEntry addOutgoing(ChatMessage m) {
        String sql = "INSERT INTO message (sent_at, sender, recipient, peer_key, body, client_id, state)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setLong(1, m.time());
            ps.setString(2, m.from());
            ps.setString(3, m.to());
            ps.setString(4, keyOf(m));
            ps.setString(5, m.text());
            ps.setString(6, m.clientId());
            ps.setString(7, DeliveryState.PENDING.name());
            ps.executeUpdate();
            return new HistoryEntry(m, DeliveryState.PENDING);
        } catch (SQLException e) {
            throw new HistoryException("storing an outgoing message", e);
        }
    }

    /**
     * Records the server's id and time for my message. A {@code HIST} item without the client id
     * may have brought the same message in already: that copy gives way to this one.
     */
    synchronized HistoryEntry markSent(String clientId, long serverId, long time) {
        try {
            db.setAutoCommit(false);
            try (PreparedStatement del = db.prepareStatement(
                            "DELETE FROM message WHERE server_id = ? AND (client_id IS NULL OR client_id <> ?)");
                    PreparedStatement upd = db.prepareStatement(
                            "UPDATE message SET server_id = ?, sent_at = ?, state = ? WHERE client_id = ?")) {
                del.setLong(1, serverId);
                del.setString(2, clientId);
                del.executeUpdate();
                upd.setLong(1, serverId);
                upd.setLong(2, time);
                upd.setString(3, DeliveryState.SENT.name());
                upd.setString(4, clientId);
                upd.executeUpdate();
                db.commit();
            } catch (SQLException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new HistoryException("marking message " + clientId + " sent", e);
        }
        return byClientId(clientId);
    }

    /**
     * A device of {@code friend} has my messages to them up to {@code upTo}: those stored are now
     * delivered. The message {@code upTo} as it is now, or {@code null} when it is not here.
     */
    synchronized HistoryEntry markDelivered(String friend, long upTo) {
        try (PreparedStatement ps = db.prepareStatement(
                "UPDATE message SET state = ? WHERE peer_key = ? AND server_id <= ? AND state = ?")) {
            ps.setString(1, DeliveryState.DELIVERED.name());
            ps.setString(2, personKey(friend));
            ps.setLong(3, upTo);
            ps.setString(4, DeliveryState.SENT.name());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new HistoryException("marking messages to " + friend + " delivered", e);
        }
        List<HistoryEntry> found = query(SELECT + " WHERE m.server_id = ?", upTo);
        return found.isEmpty() ? null : found.get(0);
    }

    /** My message was refused for good. */
    synchronized HistoryEntry markFailed(String clientId) {
        try (PreparedStatement ps = db.prepareStatement(
                "UPDATE message SET state = ? WHERE client_id = ? AND state = ?")) {
            ps.setString(1, DeliveryState.FAILED.name());
            ps.setString(2, clientId);
            ps.setString(3, DeliveryState.PENDING.name());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new HistoryException("marking message " + clientId + " failed", e);
        }
        return byClientId(clientId);
    }

    /** The message with this client id, or {@code null}. */
    synchronized HistoryEntry byClientId(String clientId) {
        List<HistoryEntry> found = query(SELECT + " WHERE m.client_id = ?", clientId);
        return found.isEmpty() ? null : found.get(0);
    }

    /** My messages the server has not confirmed, oldest first: what to send again. */
    synchronized List<HistoryEntry> pending() {
        return query(SELECT + " WHERE m.state = ? ORDER BY m.seq", DeliveryState.PENDING.name());
    }

    /** The newest {@code n} messages of the conversation with key {@code key}, oldest first. */
    synchronized List<HistoryEntry> conversation(String key, int n) {
        List<HistoryEntry> newest = query(SELECT + " WHERE m.peer_key = ?" + NEWEST_FIRST + " LIMIT ?", key, n);
        Collections.reverse(newest);
        return newest;
    }

    /** The highest server id in the conversation with key {@code key}; 0 when none. */
    synchronized long newestId(String key) {
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT COALESCE(MAX(server_id), 0) FROM message WHERE peer_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new HistoryException("reading the history", e);
        }
    }

    /**
     * The newest {@code n} messages containing {@code text} (ignoring the case of ASCII letters),
     * newest first as the server's SEARCH answers.
     */
    synchronized List<HistoryEntry> search(String text, int n) {
        return query(SELECT + " WHERE instr(lower(m.body), ?) > 0" + NEWEST_FIRST + " LIMIT ?",
                text.toLowerCase(Locale.ROOT), n);
    }

    /**
     * I am in group {@code id}, called {@code name} now: remembered, and rows of a version-1 file
     * kept under {@code #name} move to the id.
     */
    synchronized void bindGroup(long id, String name) {
        remember(id, name, true);
    }

    /** Group {@code id} is called {@code name} (seen in a search, say); my membership is not known from this. */
    synchronized void nameGroup(long id, String name) {
        remember(id, name, false);
    }

    private void remember(long id, String name, boolean member) {
        if (id <= 0 || name.isEmpty()) {
            return; // the lobby keeps nothing
        }
        String upsert = member
                ? "INSERT INTO chat_group (id, name, member) VALUES (?, ?, 1)"
                        + " ON CONFLICT (id) DO UPDATE SET name = excluded.name, member = 1"
                : "INSERT INTO chat_group (id, name, member) VALUES (?, ?, 0)"
                        + " ON CONFLICT (id) DO UPDATE SET name = excluded.name";
        try (PreparedStatement up = db.prepareStatement(upsert);
                PreparedStatement move = db.prepareStatement("UPDATE message SET peer_key = ? WHERE peer_key = ?")) {
            up.setLong(1, id);
            up.setString(2, name);
            up.executeUpdate();
            move.setString(1, groupKey(id));
            move.setString(2, "#" + Names.key(name));
            move.executeUpdate();
        } catch (SQLException e) {
            throw new HistoryException("remembering group " + id, e);
        }
    }

    /**
     * I am no longer in group {@code id} (I left, was removed, or it was disbanded): its history
     * stays, but its name no longer leads to it (another group may take the name).
     */
    synchronized void leftGroup(long id) {
        try (PreparedStatement ps = db.prepareStatement("UPDATE chat_group SET member = 0 WHERE id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new HistoryException("forgetting group " + id, e);
        }
    }

    /** The id of my group called {@code name}, as last seen. */
    synchronized OptionalLong groupId(String name) {
        return groupId(name, true);
    }

    /**
     * The id of the group called {@code name} as last seen; {@code memberOnly} false also finds
     * one I left (for reading its history), the one I am in first, then the newest.
     */
    synchronized OptionalLong groupId(String name, boolean memberOnly) {
        String sql = "SELECT id FROM chat_group WHERE name = ? COLLATE NOCASE"
                + (memberOnly ? " AND member = 1" : "") + " ORDER BY member DESC, id DESC LIMIT 1";
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        } catch (SQLException e) {
            throw new HistoryException("looking up group " + name, e);
        }
    }

    /** The name of group {@code id} as last seen, or {@code null}. */
    synchronized String groupName(long id) {
        try (PreparedStatement ps = db.prepareStatement("SELECT name FROM chat_group WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new HistoryException("looking up group " + id, e);
        }
    }

    /** Whether stored event {@code id} is new here; remembers it. */
    synchronized boolean firstSeen(long id) {
        try (PreparedStatement ps = db.prepareStatement("INSERT OR IGNORE INTO seen_event (id) VALUES (?)")) {
            ps.setLong(1, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new HistoryException("remembering event " + id, e);
        }
    }

    private List<HistoryEntry> query(String sql, Object... args) {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<HistoryEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long groupId = rs.getLong(5);
                    if (rs.wasNull()) {
                        // a version-1 group row not bound to its id yet: 0 says "a group" (the lobby is never stored)
                        groupId = rs.getString(4).startsWith("#") ? 0 : ChatMessage.PRIVATE;
                    }
                    String clientId = rs.getString(6);
                    var m = new ChatMessage(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), groupId,
                            clientId == null ? "" : clientId, rs.getString(7));
                    long fileId = rs.getLong(9);
                    FileOffer file = rs.wasNull() ? null : new FileOffer(m.id(), m.time(), m.from(), m.to(),
                            m.groupId(), m.clientId(), fileId, m.text(), rs.getLong(10), rs.getString(11));
                    out.add(new HistoryEntry(m, DeliveryState.valueOf(rs.getString(8)), file));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new HistoryException("reading the history", e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            // closing: nothing was pending
        }
    }

    /** A failure of the local history file; says what was being done. */
    public static final class HistoryException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HistoryException(String doing, Throwable cause) {
            super(doing + ": " + cause.getMessage(), cause);
        }
    }
}
