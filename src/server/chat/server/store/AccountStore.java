package chat.server.store;

import static chat.server.store.Sql.exists;
import static chat.server.store.Sql.first;
import static chat.server.store.Sql.insert;
import static chat.server.store.Sql.list;
import static chat.server.store.Sql.number;
import static chat.server.store.Sql.update;

import chat.common.text.Names;
import chat.server.store.Store.Device;
import chat.server.store.Store.SessionRow;
import chat.server.store.Store.User;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Accounts, the article's connection table, devices and login sessions. */
final class AccountStore {

    private static final String SESSION_COLUMNS = """
            SELECT se.token_hash, se.user_id, u.name, se.device_id, d.name, se.created_at, se.expires_at
            FROM sessions se
            JOIN users u ON u.id = se.user_id
            JOIN devices d ON d.id = se.device_id
            """;

    private final ThreadConnections connections;
    private final Sql sql;

    AccountStore(ThreadConnections connections, Sql sql) {
        this.connections = connections;
        this.sql = sql;
    }

    Optional<User> createUser(String name, String nameKey, String passwordHash, long now) {
        Sql.requireChars("name", name, Sql.MAX_NAME);
        Sql.requireChars("name key", nameKey, Sql.MAX_NAME);
        Sql.requireChars("password hash", passwordHash, Sql.MAX_PASSWORD_HASH);
        String skeleton = Names.skeleton(name);
        Sql.requireChars("name skeleton", skeleton, Sql.MAX_NAME);
        // No SELECT first: two threads may register one name at once, and only the unique keys
        // (the name's key, and its skeleton: a look-alike is taken too) decide between them.
        return connections.autoCommit("creating user " + nameKey, c -> sql.unlessTaken(
                () -> Optional.of(new User(insert(c, """
                        INSERT INTO users (name, name_key, name_skeleton, password_hash, status, acked_msg_id, created_at)
                        VALUES (?, ?, ?, ?, 0, 0, ?)""", name, nameKey, skeleton, passwordHash, now), name, passwordHash)),
                Optional.empty()));
    }

    /** Whether an account has this name in some spelling, or one that looks like it. */
    boolean nameTaken(String name) {
        return connections.autoCommit("looking up user " + Names.key(name), c -> exists(c, """
                SELECT 1 FROM users WHERE name_key = ? OR name_skeleton = ?""", Names.key(name), Names.skeleton(name)));
    }

    /** The invitation policy of a user: {@code anyone}, {@code friends} or {@code nobody}. */
    String invitePolicy(long userId) {
        return connections.autoCommit("reading the invitation policy of user " + userId,
                c -> first(c, "SELECT invites FROM users WHERE id = ?", rs -> rs.getString(1), userId)
                        .orElse("friends"));
    }

    void setInvitePolicy(long userId, String policy) {
        connections.autoCommit("setting the invitation policy of user " + userId,
                c -> update(c, "UPDATE users SET invites = ? WHERE id = ?", policy, userId));
    }

    Optional<User> userByKey(String nameKey) {
        return connections.autoCommit("looking up user " + nameKey, c -> first(c, """
                SELECT id, name, password_hash FROM users WHERE name_key = ?""", Rows::user, nameKey));
    }

    Optional<User> userById(long userId) {
        return connections.autoCommit("looking up user " + userId, c -> first(c, """
                SELECT id, name, password_hash FROM users WHERE id = ?""", Rows::user, userId));
    }

    void setPasswordHash(long userId, String passwordHash) {
        Sql.requireChars("password hash", passwordHash, Sql.MAX_PASSWORD_HASH);
        connections.autoCommit("setting the password of user " + userId, c -> update(c, """
                UPDATE users SET password_hash = ? WHERE id = ?""", passwordHash, userId));
    }

    void markOnline(long userId, String ip, int port, long now) {
        Sql.requireChars("ip", ip, Sql.MAX_IP);
        // Delete and insert rather than a dialect's upsert (ON CONFLICT / ON DUPLICATE KEY): one
        // statement more, the same SQL on both.
        connections.transaction("marking user " + userId + " online", c -> {
            update(c, """
                    DELETE FROM connections WHERE user_id = ?""", userId);
            update(c, """
                    INSERT INTO connections (user_id, ip, port, login_at) VALUES (?, ?, ?, ?)""",
                    userId, ip, port, now);
            setStatus(c, userId, 1);
            return null;
        });
    }

    void markOffline(long userId) {
        connections.transaction("marking user " + userId + " offline", c -> {
            update(c, """
                    DELETE FROM connections WHERE user_id = ?""", userId);
            setStatus(c, userId, 0);
            return null;
        });
    }

    private static void setStatus(Connection c, long userId, int status) throws SQLException {
        update(c, """
                UPDATE users SET status = ? WHERE id = ?""", status, userId);
    }

    List<User> findUsers(String keyPart, int limit) {
        Sql.requireLimit(limit);
        return connections.autoCommit("finding users like " + keyPart, c -> list(c, """
                SELECT id, name, password_hash FROM users
                WHERE INSTR(name_key, ?) > 0
                ORDER BY name, id
                LIMIT ?""", Rows::user, keyPart, limit));
    }

    // Devices.

    /**
     * Touches the device if it is there, else creates it; two logins of one new device at once
     * are decided by the unique key, and the loser finds the winner's row.
     */
    Device device(long userId, String name, long now) {
        Sql.requireChars("device name", name, Sql.MAX_NAME);
        return connections.transaction("finding device " + name + " of user " + userId, c -> {
            if (update(c, """
                    UPDATE devices SET last_seen = ? WHERE user_id = ? AND name = ?""", now, userId, name) == 0) {
                if (!userExists(c, userId)) {
                    throw new StoreException("finding device " + name + ": no user " + userId);
                }
                // A new device starts where the account's most advanced device is, so that it gets
                // what none has received yet; the first one where version 1 left the account.
                long start = number(c, """
                        SELECT CASE WHEN COUNT(d.id) = 0 THEN MAX(u.acked_msg_id) ELSE MAX(d.acked_msg_id) END
                        FROM users u
                        LEFT JOIN devices d ON d.user_id = u.id
                        WHERE u.id = ?""", userId);
                sql.unlessTaken(() -> insert(c, """
                        INSERT INTO devices (user_id, name, acked_msg_id, last_seen) VALUES (?, ?, ?, ?)""",
                        userId, name, start, now), 0L);
            }
            return first(c, """
                    SELECT id, user_id, name, acked_msg_id, last_seen FROM devices WHERE user_id = ? AND name = ?""",
                    AccountStore::device, userId, name).orElseThrow();
        });
    }

    List<Device> devices(long userId) {
        return connections.autoCommit("listing the devices of user " + userId, c -> list(c, """
                SELECT id, user_id, name, acked_msg_id, last_seen FROM devices WHERE user_id = ?
                ORDER BY name""", AccountStore::device, userId));
    }

    private static Device device(ResultSet rs) throws SQLException {
        return new Device(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getLong(5));
    }

    // Sessions.

    void createSession(String tokenHash, long userId, long deviceId, long now, long expiresAt) {
        requireTokenHash(tokenHash);
        connections.autoCommit("creating a session of user " + userId, c -> update(c, """
                INSERT INTO sessions (token_hash, user_id, device_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)""",
                tokenHash, userId, deviceId, now, expiresAt));
    }

    Optional<SessionRow> sessionByToken(String tokenHash, long now) {
        return connections.autoCommit("looking up a session", c -> first(c, SESSION_COLUMNS + """
                WHERE se.token_hash = ? AND se.expires_at > ?""", AccountStore::session, tokenHash, now));
    }

    boolean extendSession(String tokenHash, long expiresAt) {
        return connections.autoCommit("extending a session", c -> update(c, """
                UPDATE sessions SET expires_at = ? WHERE token_hash = ?""", expiresAt, tokenHash) > 0);
    }

    boolean revokeSession(String tokenHash) {
        return connections.autoCommit("revoking a session", c -> update(c, """
                DELETE FROM sessions WHERE token_hash = ?""", tokenHash) > 0);
    }

    int revokeOtherSessions(long userId, String keepHash) {
        return connections.autoCommit("revoking the other sessions of user " + userId, c -> keepHash == null
                ? update(c, "DELETE FROM sessions WHERE user_id = ?", userId)
                : update(c, "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?", userId, keepHash));
    }

    /**
     * Reads the device's other sessions, then deletes them by key, so that the DELETE locks those
     * rows and no other. A DELETE by device_id (which has no index) scanned the table and locked
     * every row it met, the other cluster nodes' logins' uncommitted ones too, and two nodes'
     * logins deadlocked (ClusterLoginRaceTest); through an index, the optimizer may still scan a
     * small table. The read takes no lock; a session another login of this very device adds
     * meanwhile, on another node, stays (the device then has two, until either is revoked).
     */
    int revokeDeviceSessions(Device device, String keepHash) {
        requireTokenHash(keepHash);
        return connections.transaction("revoking the other sessions of device " + device.id(), c -> {
            List<String> others = list(c, """
                    SELECT token_hash FROM sessions WHERE user_id = ? AND device_id = ? AND token_hash <> ?""",
                    rs -> rs.getString(1), device.userId(), device.id(), keepHash);
            if (others.isEmpty()) {
                return 0;
            }
            return update(c, "DELETE FROM sessions WHERE token_hash IN (" + Sql.marks(others.size()) + ")",
                    others.toArray());
        });
    }

    List<SessionRow> sessions(long userId, long now) {
        return connections.autoCommit("listing the sessions of user " + userId, c -> list(c, SESSION_COLUMNS + """
                WHERE se.user_id = ? AND se.expires_at > ?
                ORDER BY se.created_at DESC, se.token_hash""", AccountStore::session, userId, now));
    }

    /**
     * Reads a batch of expired hashes, then deletes them by key: a DELETE with a LIMIT is not in
     * SQLite's default build, and MySQL refuses a LIMIT in the subquery of an IN.
     */
    int purgeExpiredSessions(long now, int batch) {
        Sql.requireLimit(batch);
        return connections.transaction("purging expired sessions", c -> {
            List<String> expired = list(c, """
                    SELECT token_hash FROM sessions WHERE expires_at <= ? ORDER BY expires_at LIMIT ?""",
                    rs -> rs.getString(1), now, batch);
            if (expired.isEmpty()) {
                return 0;
            }
            return update(c, "DELETE FROM sessions WHERE expires_at <= ? AND token_hash IN ("
                    + Sql.marks(expired.size()) + ")", prepend(now, expired));
        });
    }

    private static Object[] prepend(Object first, List<String> rest) {
        Object[] all = new Object[rest.size() + 1];
        all[0] = first;
        for (int i = 0; i < rest.size(); i++) {
            all[i + 1] = rest.get(i);
        }
        return all;
    }

    private static SessionRow session(ResultSet rs) throws SQLException {
        return new SessionRow(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getString(5),
                rs.getLong(6), rs.getLong(7));
    }

    private static void requireTokenHash(String tokenHash) {
        if (tokenHash == null || tokenHash.length() != Sql.TOKEN_HASH_CHARS) {
            throw new IllegalArgumentException("a token hash is " + Sql.TOKEN_HASH_CHARS + " hex digits");
        }
    }

    private static boolean userExists(Connection c, long userId) throws SQLException {
        return exists(c, "SELECT 1 FROM users WHERE id = ?", userId);
    }
}
