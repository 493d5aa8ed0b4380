package chat.client;

import chat.common.text.Names;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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

/**
 * The article's client-side chat history: one SQLite file per server and account, holding every
 * message this client sent or received, so that a conversation can be read without a connection.
 *
 * <p>It is also the client's half of delivery. A message received is stored before it is
 * acknowledged, keyed by the server's id, so a message delivered twice is stored once
 * ({@link #addDelivered} says whether it was new). A message sent is stored, {@link
 * State#PENDING} under its client id, before it goes on the wire, and becomes {@link State#SENT}
 * with the server's id when the server confirms it; whatever is still pending after a reconnect
 * is sent again with the same client id, which the server recognises.
 *
 * <p>A group's messages form one conversation, keyed by {@code #group} (their recipient, as the
 * server's {@code HIST} lines name it); names never contain {@code #}, so no person's conversation
 * shares its key. The lobby's lines are not kept (the server keeps none either).
 *
 * <p>Thread-safe: one JDBC connection, every method synchronized (the reader thread stores what
 * arrives while the user's thread reads the history).
 */
public final class History implements AutoCloseable {

    /** Where a message stands, from this client's point of view. */
    public enum State {
        /** Written by me, not yet confirmed by the server; sent again after a reconnect. */
        PENDING,
        /** Written by me and stored by the server. */
        SENT,
        /** Written to me. */
        RECEIVED,
        /** Written by me and refused by the server (no longer friends, say); never sent again. */
        FAILED
    }

    /** Opens the history of an account; {@link #under} gives the usual one. */
    public interface Opener {
        History open(String account);

        boolean exists(String account);
    }

    /** The histories of {@code server}'s accounts under {@code dir} (see {@link #file}). */
    public static Opener under(Path dir, String server) {
        return new Opener() {
            @Override
            public History open(String account) {
                return History.open(dir, server, account);
            }

            @Override
            public boolean exists(String account) {
                return Files.exists(file(dir, server, account));
            }
        };
    }

    /** One message. {@code serverId} is 0 until the server has stored it. */
    public record Entry(long serverId, long time, String from, String to, String text, String clientId, State state) {}

    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS message (
                seq       INTEGER PRIMARY KEY AUTOINCREMENT, -- local order, for messages without a server id
                server_id INTEGER UNIQUE,                    -- NULL until the server stored it
                sent_at   INTEGER NOT NULL,                  -- ms since 1970: the server's time once known
                sender    TEXT NOT NULL,
                recipient TEXT NOT NULL,
                peer_key  TEXT NOT NULL,                     -- Names.key of the other side: the conversation
                body      TEXT NOT NULL,
                client_id TEXT UNIQUE,                       -- mine, for messages I wrote on this client
                state     TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS message_peer ON message (peer_key, server_id);
            """;

    /** Newest first by server id, messages not yet on the server after all of them. */
    private static final String NEWEST_FIRST = " ORDER BY server_id IS NULL DESC, server_id DESC, seq DESC";

    private static final String COLUMNS = "server_id, sent_at, sender, recipient, body, client_id, state";

    private final Connection db;
    private final String accountKey;
    private final Path file;

    private History(Connection db, String account, Path file) {
        this.db = db;
        this.accountKey = Names.key(account);
        this.file = file;
    }

    /**
     * The file of {@code account} on {@code server}: {@code dir/SERVER/ACCOUNT.db}, with the
     * account's key (so that Alice and alice share it) and the server's name made safe for a path.
     */
    public static Path file(Path dir, String server, String account) {
        String safeServer = server.replaceAll("[^A-Za-z0-9._-]", "_");
        String key = Names.key(account);
        // A name may be "." or "..": prefixing keeps every file inside the folder.
        return dir.resolve(safeServer).resolve("user-" + key + ".db");
    }

    /** Opens, creating when missing, the history of {@code account} on {@code server} under {@code dir}. */
    public static History open(Path dir, String server, String account) {
        Path file = file(dir, server, account);
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("creating the history folder " + file.getParent(), e);
        }
        try {
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA busy_timeout = 5000"); // a second client of the same account
                for (String sql : SCHEMA.split(";")) {
                    if (!sql.isBlank()) {
                        s.execute(sql);
                    }
                }
            } catch (SQLException e) {
                db.close();
                throw e;
            }
            return new History(db, account, file);
        } catch (SQLException e) {
            throw new HistoryException("opening the history " + file, e);
        }
    }

    public Path file() {
        return file;
    }

    /** Whether {@code name} is this history's account. */
    public boolean isAccount(String name) {
        return Names.key(name).equals(accountKey);
    }

    /**
     * Stores a message the server delivered or listed (a {@code MSG} push or a {@code HIST} line);
     * {@code false} when one with that id is here already.
     */
    public synchronized boolean addDelivered(long serverId, long time, String from, String to, String text) {
        boolean mine = Names.key(from).equals(accountKey);
        String sql = "INSERT OR IGNORE INTO message (server_id, sent_at, sender, recipient, peer_key, body, state)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setLong(1, serverId);
            ps.setLong(2, time);
            ps.setString(3, from);
            ps.setString(4, to);
            ps.setString(5, conversationKey(mine ? to : from, to));
            ps.setString(6, text);
            ps.setString(7, (mine ? State.SENT : State.RECEIVED).name());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new HistoryException("storing message " + serverId, e);
        }
    }

    /**
     * The conversation a message belongs to: a group's ({@code #team}) when it went to a group,
     * whoever wrote it; otherwise the other person's.
     */
    private static String conversationKey(String peer, String to) {
        return Names.key(to.startsWith("#") ? to : peer);
    }

    /** Whether {@code conversation} names a group ({@code #team}) rather than a person. */
    public static boolean isGroup(String conversation) {
        return conversation.startsWith("#");
    }

    /**
     * A group was renamed: its messages move to the new name, pending ones included, so that they
     * are sent again to the group under the name the server now knows.
     */
    public synchronized void renameGroup(String oldName, String newName) {
        String sql = "UPDATE message SET peer_key = ?, recipient = CASE WHEN recipient LIKE '#%' THEN ? ELSE recipient END"
                + " WHERE peer_key = ?";
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setString(1, Names.key("#" + newName));
            ps.setString(2, "#" + newName);
            ps.setString(3, Names.key("#" + oldName));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new HistoryException("renaming group " + oldName, e);
        }
    }

    /** Stores a message I am about to send, as {@link State#PENDING}. */
    public synchronized Entry addOutgoing(String clientId, long time, String from, String to, String text) {
        String sql = "INSERT INTO message (sent_at, sender, recipient, peer_key, body, client_id, state)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setLong(1, time);
            ps.setString(2, from);
            ps.setString(3, to);
            ps.setString(4, conversationKey(to, to));
            ps.setString(5, text);
            ps.setString(6, clientId);
            ps.setString(7, State.PENDING.name());
            ps.executeUpdate();
            return new Entry(0, time, from, to, text, clientId, State.PENDING);
        } catch (SQLException e) {
            throw new HistoryException("storing an outgoing message", e);
        }
    }

    /**
     * Records the server's id and time for my message. A {@code HIST} line may have brought the
     * same message in already (its reply was lost, the history was fetched before the resend):
     * that copy gives way to this one.
     */
    public synchronized void markSent(String clientId, long serverId, long time) {
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
                upd.setString(3, State.SENT.name());
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
    }

    /** My message was refused for good. */
    public synchronized void markFailed(String clientId) {
        try (PreparedStatement ps = db.prepareStatement("UPDATE message SET state = ? WHERE client_id = ? AND state = ?")) {
            ps.setString(1, State.FAILED.name());
            ps.setString(2, clientId);
            ps.setString(3, State.PENDING.name());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new HistoryException("marking message " + clientId + " failed", e);
        }
    }

    /** The message with this client id, or {@code null}. */
    public synchronized Entry byClientId(String clientId) {
        List<Entry> found = query("SELECT " + COLUMNS + " FROM message WHERE client_id = ?", clientId);
        return found.isEmpty() ? null : found.get(0);
    }

    /** My messages the server has not confirmed, oldest first: what to send again. */
    public synchronized List<Entry> pending() {
        return query("SELECT " + COLUMNS + " FROM message WHERE state = ? ORDER BY seq", State.PENDING.name());
    }

    /** The newest {@code n} messages between me and {@code peer} (or in {@code #group}), oldest first. */
    public synchronized List<Entry> conversation(String peer, int n) {
        List<Entry> newest = query("SELECT " + COLUMNS + " FROM message WHERE peer_key = ?" + NEWEST_FIRST + " LIMIT ?",
                Names.key(peer), n);
        Collections.reverse(newest);
        return newest;
    }

    /**
     * The newest {@code n} of my messages containing {@code text} (ignoring the case of ASCII
     * letters), newest first as the server's SEARCH answers.
     */
    public synchronized List<Entry> search(String text, int n) {
        return query("SELECT " + COLUMNS + " FROM message WHERE instr(lower(body), ?) > 0" + NEWEST_FIRST + " LIMIT ?",
                text.toLowerCase(Locale.ROOT), n);
    }

    private List<Entry> query(String sql, Object... args) {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<Entry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), State.valueOf(rs.getString(7))));
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
