package chat.server.store;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The server's database. Opening it creates the schema on first start, refuses an unknown schema
 * version, and clears what a previous run left of the connection table (nobody is online before
 * the server starts). Its work runs on worker threads, never on the reactor thread; each worker
 * gets a connection of its own ({@link ThreadConnections}).
 *
 * <p>The SQL is the same for SQLite and MySQL/MariaDB. Where the two would behave differently
 * the difference is kept out of SQL: substrings are found with {@code INSTR} (no LIKE, so a
 * {@code %} or {@code _} in the text is only itself), a key already taken is recognised by
 * {@link SqlErrors}, and the column lengths that MySQL enforces and SQLite ignores are checked
 * here, so that both refuse the same values.
 *
 * <p>Writes of several rows run in one transaction whose first statement writes: on SQLite a
 * transaction that starts by reading cannot always become a writer (it fails at once with
 * SQLITE_BUSY instead of waiting), so each one starts by taking the write lock.
 */
public final class JdbcStore implements Store {

    private static final System.Logger LOG = System.getLogger(Store.class.getName());

    /** The VARCHAR(64) columns: MySQL refuses longer values (strict mode), SQLite would keep them. */
    private static final int MAX_NAME = 64;
    private static final int MAX_CLIENT_ID = 64;
    private static final int MAX_IP = 64;
    private static final int MAX_PASSWORD_HASH = 255;
    /** MySQL's TEXT holds 65,535 bytes of UTF-8. */
    private static final int MAX_BODY_BYTES = 65_535;

    /**
     * The columns of a {@link Message} and the joins that name its sender, recipient and group.
     * A message has a recipient or a group, never both, so both of those joins are outer joins.
     */
    private static final String MESSAGE_SELECT = """
            SELECT m.id, m.sender_id, s.name, m.recipient_id, r.name, m.group_id, g.name,
                   m.client_id, m.body, m.sent_at
            """;
    private static final String MESSAGE_JOINS = """
            JOIN users s ON s.id = m.sender_id
            LEFT JOIN users r ON r.id = m.recipient_id
            LEFT JOIN chat_groups g ON g.id = m.group_id
            """;
    private static final String MESSAGE_COLUMNS = MESSAGE_SELECT + "FROM messages m\n" + MESSAGE_JOINS;

    /** The columns of a {@link Group}: its owner's name and how many members it has. */
    private static final String GROUP_COLUMNS = """
            SELECT g.id, g.name, g.owner_id, o.name, g.open,
                   (SELECT COUNT(*) FROM group_members c WHERE c.group_id = g.id)
            FROM chat_groups g
            JOIN users o ON o.id = g.owner_id
            """;

    private final Database database;
    private final ThreadConnections connections;

    private JdbcStore(Database database) {
        this.database = database;
        this.connections = new ThreadConnections(database);
    }

    /** Opens {@code database}, creating or checking its schema. */
    public static JdbcStore open(Database database) {
        try (Connection c = database.open()) {
            Schema.ensure(c, database.dialect());
            int stale = clearConnections(c);
            if (stale > 0) {
                LOG.log(Level.INFO, database.describe() + " - cleared " + stale + " stale connection rows");
            }
        } catch (SQLException e) {
            throw new StoreException("opening " + database.describe(), e);
        }
        return new JdbcStore(database);
    }

    private static int clearConnections(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            int rows = s.executeUpdate("DELETE FROM connections");
            s.executeUpdate("UPDATE users SET status = 0 WHERE status <> 0");
            return rows;
        }
    }

    @Override
    public Database database() {
        return database;
    }

    // Accounts and the connection table.

    @Override
    public Optional<User> createUser(String name, String nameKey, String passwordHash, long now) {
        requireChars("name", name, MAX_NAME);
        requireChars("name key", nameKey, MAX_NAME);
        requireChars("password hash", passwordHash, MAX_PASSWORD_HASH);
        // No SELECT first: two threads may register one name at once, and only the unique key
        // decides between them.
        return connections.autoCommit("creating user " + nameKey, c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO users (name, name_key, password_hash, status, acked_msg_id, created_at)
                    VALUES (?, ?, ?, 0, 0, ?)""", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, name);
                ps.setString(2, nameKey);
                ps.setString(3, passwordHash);
                ps.setLong(4, now);
                ps.executeUpdate();
                return Optional.of(new User(generatedId(ps), name, passwordHash));
            } catch (SQLException e) {
                if (SqlErrors.isDuplicateKey(database.dialect(), e)) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    @Override
    public Optional<User> userByKey(String nameKey) {
        return connections.autoCommit("looking up user " + nameKey, c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT id, name, password_hash FROM users WHERE name_key = ?""")) {
                ps.setString(1, nameKey);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(user(rs)) : Optional.<User>empty();
                }
            }
        });
    }

    @Override
    public void markOnline(long userId, String ip, int port, long now) {
        requireChars("ip", ip, MAX_IP);
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

    @Override
    public void markOffline(long userId) {
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

    @Override
    public List<User> findUsers(String keyPart, int limit) {
        requireLimit(limit);
        return connections.autoCommit("finding users like " + keyPart,
                c -> list(c, """
                        SELECT id, name, password_hash FROM users
                        WHERE INSTR(name_key, ?) > 0
                        ORDER BY name, id
                        LIMIT ?""", JdbcStore::user, keyPart, limit));
    }

    private static User user(ResultSet rs) throws SQLException {
        return new User(rs.getLong(1), rs.getString(2), rs.getString(3));
    }

    // Friends.

    @Override
    public List<Friend> friends(long userId) {
        return connections.autoCommit("listing the friends of user " + userId,
                c -> list(c, """
                        SELECT u.id, u.name, f.alias
                        FROM friends f
                        JOIN users u ON u.id = f.friend_id
                        WHERE f.user_id = ?
                        ORDER BY u.name, u.id""",
                        rs -> new Friend(rs.getLong(1), rs.getString(2), rs.getString(3)), userId));
    }

    @Override
    public boolean areFriends(long userId, long otherId) {
        return connections.autoCommit("checking whether users " + userId + " and " + otherId + " are friends",
                c -> friendRowExists(c, userId, otherId));
    }

    private static boolean friendRowExists(Connection c, long userId, long friendId) throws SQLException {
        return exists(c, """
                SELECT 1 FROM friends WHERE user_id = ? AND friend_id = ?""", userId, friendId);
    }

    /**
     * Self-requests are refused by the caller; here one is an error rather than a friendship of a
     * user with itself.
     */
    @Override
    public RequestOutcome requestFriend(long fromId, long toId, long now) {
        if (fromId == toId) {
            throw new IllegalArgumentException("a user cannot ask itself to be friends: " + fromId);
        }
        return connections.transaction("friend request from user " + fromId + " to " + toId, c -> {
            // The other side's request goes first, and it is a write: see the class comment.
            boolean theyAsked = deleteRequest(c, toId, fromId);
            if (friendRowExists(c, fromId, toId)) {
                return RequestOutcome.ALREADY_FRIENDS;
            }
            if (theyAsked) {
                deleteRequest(c, fromId, toId);
                befriend(c, fromId, toId, now);
                return RequestOutcome.NOW_FRIENDS;
            }
            try {
                update(c, """
                        INSERT INTO friend_requests (from_id, to_id, created_at) VALUES (?, ?, ?)""",
                        fromId, toId, now);
                return RequestOutcome.REQUESTED;
            } catch (SQLException e) {
                if (SqlErrors.isDuplicateKey(database.dialect(), e)) {
                    return RequestOutcome.ALREADY_REQUESTED;
                }
                throw e;
            }
        });
    }

    @Override
    public List<FriendRequest> pendingRequests(long userId) {
        return connections.autoCommit("listing friend requests to user " + userId,
                c -> list(c, """
                        SELECT r.from_id, u.name, r.created_at
                        FROM friend_requests r
                        JOIN users u ON u.id = r.from_id
                        WHERE r.to_id = ?
                        ORDER BY r.created_at, r.from_id""", JdbcStore::friendRequest, userId));
    }

    @Override
    public boolean acceptRequest(long userId, long fromId, long now) {
        return connections.transaction("user " + userId + " accepting the friend request of " + fromId, c -> {
            if (!deleteRequest(c, fromId, userId)) {
                return false;
            }
            deleteRequest(c, userId, fromId);
            befriend(c, userId, fromId, now);
            return true;
        });
    }

    @Override
    public boolean declineRequest(long userId, long fromId) {
        return connections.autoCommit("user " + userId + " declining the friend request of " + fromId,
                c -> deleteRequest(c, fromId, userId));
    }

    private static boolean deleteRequest(Connection c, long fromId, long toId) throws SQLException {
        return update(c, """
                DELETE FROM friend_requests WHERE from_id = ? AND to_id = ?""", fromId, toId) > 0;
    }

    /** Both rows of a friendship; a side that is already there keeps its alias. */
    private void befriend(Connection c, long a, long b, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO friends (user_id, friend_id, alias, since) VALUES (?, ?, NULL, ?)""")) {
            for (long[] side : new long[][] {{a, b}, {b, a}}) {
                ps.setLong(1, side[0]);
                ps.setLong(2, side[1]);
                ps.setLong(3, now);
                try {
                    ps.executeUpdate();
                } catch (SQLException e) {
                    if (!SqlErrors.isDuplicateKey(database.dialect(), e)) {
                        throw e;
                    }
                }
            }
        }
    }

    @Override
    public boolean deleteFriend(long userId, long friendId) {
        // One statement deletes both sides, so it is as atomic as a transaction would make it.
        return connections.autoCommit("user " + userId + " deleting friend " + friendId,
                c -> update(c, """
                        DELETE FROM friends
                        WHERE (user_id = ? AND friend_id = ?) OR (user_id = ? AND friend_id = ?)""",
                        userId, friendId, friendId, userId) > 0);
    }

    @Override
    public boolean setAlias(long userId, long friendId, String alias) {
        String value = alias == null || alias.isEmpty() ? null : alias;
        if (value != null) {
            requireChars("alias", value, MAX_NAME);
        }
        // Connector/J counts the rows found, not only those changed (useAffectedRows=false), so
        // setting the same alias again is still true on MySQL as it is on SQLite.
        return connections.autoCommit("user " + userId + " setting an alias for friend " + friendId,
                c -> update(c, """
                        UPDATE friends SET alias = ? WHERE user_id = ? AND friend_id = ?""",
                        value, userId, friendId) > 0);
    }

    // Messages.

    @Override
    public Stored storeMessage(long senderId, long recipientId, String clientId, String body, long now) {
        return store("storing message " + clientId + " from user " + senderId + " to user " + recipientId,
                "recipient_id", senderId, recipientId, clientId, body, now);
    }

    /**
     * Stores a private message ({@code target} is {@code recipient_id}) or a group message
     * ({@code group_id}). Inserts first and looks for the earlier message only when the key is
     * taken: the common case is one statement, and a resend racing the original is decided by the
     * unique key. A duplicate is returned as it was stored, whichever kind it is.
     */
    private Stored store(String doing, String target, long senderId, long targetId, String clientId, String body,
            long now) {
        requireChars("client id", clientId, MAX_CLIENT_ID);
        requireBytes("body", body, MAX_BODY_BYTES);
        return connections.transaction(doing, c -> {
            long id;
            boolean duplicate;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO messages (sender_id, " + target
                    + ", client_id, body, sent_at) VALUES (?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setLong(1, senderId);
                ps.setLong(2, targetId);
                ps.setString(3, clientId);
                ps.setString(4, body);
                ps.setLong(5, now);
                ps.executeUpdate();
                id = generatedId(ps);
                duplicate = false;
            } catch (SQLException e) {
                if (!SqlErrors.isDuplicateKey(database.dialect(), e)) {
                    throw e;
                }
                id = messageId(c, senderId, clientId);
                duplicate = true;
            }
            List<Message> found = messages(c, MESSAGE_COLUMNS + "WHERE m.id = ?", id);
            // The recipient and the group are outer joins: a name is null when there is none.
            if (found.isEmpty() || !duplicate && (found.get(0).isGroup()
                    ? found.get(0).groupName() == null : found.get(0).recipientName() == null)) {
                // Rolled back by transaction(): a message from or to nobody is not kept.
                throw new StoreException(doing + ": no such sender, recipient or group");
            }
            return new Stored(found.get(0), duplicate);
        });
    }

    private static long messageId(Connection c, long senderId, String clientId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id FROM messages WHERE sender_id = ? AND client_id = ?""")) {
            ps.setLong(1, senderId);
            ps.setString(2, clientId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("the key (" + senderId + ", " + clientId
                            + ") was taken, but no message has it");
                }
                return rs.getLong(1);
            }
        }
    }

    /**
     * One query, ordered by id, whatever mixes the two kinds. The ids are gathered per kind so
     * that each side reads an index range of this user's messages only (messages_to from the
     * acknowledged id; group_members_user, then messages_group from the later of the acknowledged
     * id and the joining point) rather than every message anyone got since the acknowledged id.
     * A group the user has left has no group_members row, so its messages are no longer delivered.
     */
    @Override
    public List<Message> undelivered(long userId, int limit) {
        requireLimit(limit);
        return connections.autoCommit("reading undelivered messages to user " + userId,
                c -> messages(c, MESSAGE_SELECT + """
                        FROM (
                            SELECT p.id
                            FROM users me
                            JOIN messages p ON p.recipient_id = me.id AND p.id > me.acked_msg_id
                            WHERE me.id = ?
                            UNION ALL
                            SELECT q.id
                            FROM users me
                            JOIN group_members gm ON gm.user_id = me.id
                            JOIN messages q ON q.group_id = gm.group_id
                                           AND q.id > gm.first_msg_id AND q.id > me.acked_msg_id
                            WHERE me.id = ? AND q.sender_id <> me.id
                        ) mine
                        JOIN messages m ON m.id = mine.id
                        """ + MESSAGE_JOINS + """
                        ORDER BY m.id
                        LIMIT ?""", userId, userId, limit));
    }

    @Override
    public void acknowledge(long userId, long messageId) {
        // The condition keeps it from moving backwards: an old ack arriving late changes nothing.
        connections.autoCommit("acknowledging message " + messageId + " for user " + userId,
                c -> update(c, """
                        UPDATE users SET acked_msg_id = ? WHERE id = ? AND acked_msg_id < ?""",
                        messageId, userId, messageId));
    }

    @Override
    public void acknowledge(java.util.Map<Long, Long> upTo) {
        if (upTo.isEmpty()) {
            return;
        }
        connections.transaction("acknowledging messages for " + upTo.size() + " users", c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE users SET acked_msg_id = ? WHERE id = ? AND acked_msg_id < ?""")) {
                for (var e : upTo.entrySet()) {
                    bind(ps, e.getValue(), e.getKey(), e.getValue());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** Private messages only: a group message has no recipient, and the last condition says so too. */
    @Override
    public List<Message> history(long userId, long peerId, long beforeId, int limit) {
        requireLimit(limit);
        return connections.autoCommit("reading the history of users " + userId + " and " + peerId,
                c -> messages(c, MESSAGE_COLUMNS + """
                        WHERE ((m.sender_id = ? AND m.recipient_id = ?) OR (m.sender_id = ? AND m.recipient_id = ?))
                          AND m.id < ?
                          AND m.group_id IS NULL
                        ORDER BY m.id DESC
                        LIMIT ?""", userId, peerId, peerId, userId, beforeId, limit));
    }

    /**
     * Case is ignored for ASCII letters on both databases. SQLite's LOWER folds only ASCII, while
     * MySQL's folds all of Unicode, so "É" finds "é" on MySQL only; letters without case (Chinese)
     * match exactly on both. Every message is read (a substring has no index), so the outer join
     * on my membership costs one primary-key lookup per group message.
     */
    @Override
    public List<Message> search(long userId, String text, int limit) {
        requireLimit(limit);
        return connections.autoCommit("searching the messages of user " + userId,
                c -> messages(c, MESSAGE_COLUMNS + """
                        LEFT JOIN group_members me ON me.group_id = m.group_id AND me.user_id = ?
                        WHERE (m.recipient_id = ?
                               OR (m.sender_id = ? AND m.recipient_id IS NOT NULL)
                               OR m.id > me.first_msg_id)
                          AND INSTR(LOWER(m.body), LOWER(?)) > 0
                        ORDER BY m.id DESC
                        LIMIT ?""", userId, userId, userId, text, limit));
    }

    // Groups.

    @Override
    public Optional<Group> createGroup(String name, String nameKey, long ownerId, boolean open, long now) {
        requireChars("group name", name, MAX_NAME);
        requireChars("group name key", nameKey, MAX_NAME);
        // As createUser: no SELECT first, the unique key decides between two creators of one name.
        return connections.transaction("user " + ownerId + " creating group " + nameKey, c -> {
            long id;
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO chat_groups (name, name_key, owner_id, open, created_at)
                    VALUES (?, ?, ?, ?, ?)""", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, name);
                ps.setString(2, nameKey);
                ps.setLong(3, ownerId);
                ps.setInt(4, open ? 1 : 0);
                ps.setLong(5, now);
                ps.executeUpdate();
                id = generatedId(ps);
            } catch (SQLException e) {
                if (SqlErrors.isDuplicateKey(database.dialect(), e)) {
                    return Optional.<Group>empty();
                }
                throw e;
            }
            insertMember(c, id, ownerId, now);
            List<Group> created = groups(c, GROUP_COLUMNS + "WHERE g.id = ?", id);
            if (created.isEmpty()) {
                // Rolled back by transaction(): a group owned by nobody is not kept.
                throw new StoreException("creating group " + nameKey + ": no user " + ownerId);
            }
            return Optional.of(created.get(0));
        });
    }

    @Override
    public Optional<Group> groupByKey(String nameKey) {
        return connections.autoCommit("looking up group " + nameKey, c -> {
            List<Group> found = groups(c, GROUP_COLUMNS + "WHERE g.name_key = ?", nameKey);
            return found.isEmpty() ? Optional.<Group>empty() : Optional.of(found.get(0));
        });
    }

    /**
     * The unique key decides, as in {@link #createGroup}. Changing only the letter case keeps the
     * key, which is this group's own: no conflict. The count is of rows found (see
     * {@link #setAlias}), so a rename to the very same name is true on MySQL as on SQLite.
     */
    @Override
    public boolean renameGroup(long groupId, String name, String nameKey) {
        requireChars("group name", name, MAX_NAME);
        requireChars("group name key", nameKey, MAX_NAME);
        return connections.autoCommit("renaming group " + groupId + " to " + nameKey, c -> {
            try {
                return update(c, """
                        UPDATE chat_groups SET name = ?, name_key = ? WHERE id = ?""", name, nameKey, groupId) > 0;
            } catch (SQLException e) {
                if (SqlErrors.isDuplicateKey(database.dialect(), e)) {
                    return false;
                }
                throw e;
            }
        });
    }

    @Override
    public void deleteGroup(long groupId) {
        connections.transaction("deleting group " + groupId, c -> {
            for (String sql : List.of(
                    "DELETE FROM messages WHERE group_id = ?",
                    "DELETE FROM group_members WHERE group_id = ?",
                    "DELETE FROM group_requests WHERE group_id = ?",
                    "DELETE FROM chat_groups WHERE id = ?")) {
                update(c, sql, groupId);
            }
            update(c, """
                    DELETE FROM read_marks WHERE conversation = ?""", conversation(true, groupId));
            return null;
        });
    }

    @Override
    public boolean addMember(long groupId, long userId, long now) {
        return connections.transaction("adding user " + userId + " to group " + groupId, c -> {
            // The request goes first, and it is a write: see the class comment.
            update(c, """
                    DELETE FROM group_requests WHERE group_id = ? AND user_id = ?""", groupId, userId);
            try {
                return insertMember(c, groupId, userId, now);
            } catch (SQLException e) {
                if (SqlErrors.isDuplicateKey(database.dialect(), e)) {
                    return false;
                }
                throw e;
            }
        });
    }

    /**
     * A membership that sees the messages stored after it: first_msg_id is the newest id now. It
     * is read by a plain SELECT, not inside the INSERT: on InnoDB an INSERT ... SELECT locks what
     * it reads, which would hold up every message being stored meanwhile. A message stored between
     * the two statements is then seen by the new member, which is harmless. Nothing is written
     * for a group that does not exist (false).
     */
    private static boolean insertMember(Connection c, long groupId, long userId, long now) throws SQLException {
        long newest = newestMessageId(c);
        return update(c, """
                INSERT INTO group_members (group_id, user_id, joined_at, first_msg_id)
                SELECT id, ?, ?, ? FROM chat_groups WHERE id = ?""", userId, now, newest, groupId) > 0;
    }

    private static long newestMessageId(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT COALESCE(MAX(id), 0) FROM messages""");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public boolean removeMember(long groupId, long userId) {
        return connections.autoCommit("removing user " + userId + " from group " + groupId,
                c -> update(c, """
                        DELETE FROM group_members WHERE group_id = ? AND user_id = ?""", groupId, userId) > 0);
    }

    @Override
    public boolean isMember(long groupId, long userId) {
        return connections.autoCommit("checking whether user " + userId + " is in group " + groupId,
                c -> exists(c, "SELECT 1 FROM group_members WHERE group_id = ? AND user_id = ?", groupId, userId));
    }

    @Override
    public boolean requestJoin(long groupId, long userId, long now) {
        return connections.autoCommit("user " + userId + " asking to join group " + groupId, c -> {
            try {
                update(c, """
                        INSERT INTO group_requests (group_id, user_id, created_at) VALUES (?, ?, ?)""",
                        groupId, userId, now);
                return true;
            } catch (SQLException e) {
                if (SqlErrors.isDuplicateKey(database.dialect(), e)) {
                    return false;
                }
                throw e;
            }
        });
    }

    @Override
    public boolean hasJoinRequest(long groupId, long userId) {
        return connections.autoCommit("checking whether user " + userId + " asked to join group " + groupId,
                c -> exists(c, "SELECT 1 FROM group_requests WHERE group_id = ? AND user_id = ?", groupId, userId));
    }

    @Override
    public List<FriendRequest> joinRequests(long groupId) {
        return connections.autoCommit("listing requests to join group " + groupId,
                c -> list(c, """
                        SELECT r.user_id, u.name, r.created_at
                        FROM group_requests r
                        JOIN users u ON u.id = r.user_id
                        WHERE r.group_id = ?
                        ORDER BY r.created_at, r.user_id""", JdbcStore::friendRequest, groupId));
    }

    @Override
    public List<Group> groupsOf(long userId) {
        return connections.autoCommit("listing the groups of user " + userId,
                c -> groups(c, GROUP_COLUMNS + """
                        JOIN group_members me ON me.group_id = g.id
                        WHERE me.user_id = ?
                        ORDER BY g.name, g.id""", userId));
    }

    @Override
    public List<Member> members(long groupId) {
        return connections.autoCommit("listing the members of group " + groupId,
                c -> list(c, """
                        SELECT u.id, u.name, CASE WHEN u.id = g.owner_id THEN 1 ELSE 0 END
                        FROM group_members gm
                        JOIN users u ON u.id = gm.user_id
                        JOIN chat_groups g ON g.id = gm.group_id
                        WHERE gm.group_id = ?
                        ORDER BY u.name, u.id""",
                        rs -> new Member(rs.getLong(1), rs.getString(2), rs.getInt(3) == 1), groupId));
    }

    /** Membership is the caller's to check, as friendship is for {@link #storeMessage}. */
    @Override
    public Stored storeGroupMessage(long senderId, long groupId, String clientId, String body, long now) {
        return store("storing message " + clientId + " from user " + senderId + " to group " + groupId,
                "group_id", senderId, groupId, clientId, body, now);
    }

    @Override
    public List<Message> groupHistory(long groupId, long userId, long beforeId, int limit) {
        requireLimit(limit);
        return connections.autoCommit("reading the history of group " + groupId + " for user " + userId,
                c -> messages(c, MESSAGE_COLUMNS + """
                        JOIN group_members me ON me.group_id = m.group_id AND me.user_id = ?
                        WHERE m.group_id = ?
                          AND m.id > me.first_msg_id
                          AND m.id < ?
                        ORDER BY m.id DESC
                        LIMIT ?""", userId, groupId, beforeId, limit));
    }

    // Unread counts.

    /**
     * Update, else insert, else (another thread inserted meanwhile) update again, instead of a
     * dialect's upsert: each statement commits alone, and the mark only ever moves forward. The
     * newest id is read first for the reason given at {@link #insertMember}.
     */
    @Override
    public void markRead(long userId, boolean group, long peerId) {
        String conversation = conversation(group, peerId);
        connections.autoCommit("marking conversation " + conversation + " read for user " + userId, c -> {
            long newest = newestMessageId(c);
            if (advanceMark(c, userId, conversation, newest)) {
                return null;
            }
            try {
                update(c, """
                        INSERT INTO read_marks (user_id, conversation, last_read_id) VALUES (?, ?, ?)""",
                        userId, conversation, newest);
            } catch (SQLException e) {
                if (!SqlErrors.isDuplicateKey(database.dialect(), e)) {
                    throw e;
                }
                advanceMark(c, userId, conversation, newest);
            }
            return null;
        });
    }

    /**
     * Moves a mark forward to {@code id}, never back; false when there is no mark. Both drivers
     * count the rows the WHERE found, changed or not (SQLite always, Connector/J unless
     * useAffectedRows), so an unchanged mark still counts as there.
     */
    private static boolean advanceMark(Connection c, long userId, String conversation, long id) throws SQLException {
        return update(c, """
                UPDATE read_marks
                SET last_read_id = CASE WHEN last_read_id < ? THEN ? ELSE last_read_id END
                WHERE user_id = ? AND conversation = ?""", id, id, userId, conversation) > 0;
    }

    /** The read_marks key of a conversation: 'u' and a friend's id, or 'g' and a group's id. */
    private static String conversation(boolean group, long peerId) {
        return (group ? "g" : "u") + peerId;
    }

    /**
     * Groups first, then friends, each by name. The read mark is found by building its key in SQL
     * with CONCAT, which both databases have (SQLite since 3.44; MySQL's {@code ||} would be OR).
     * Each count reads an index range of the unread messages only: messages_pair (sender, me,
     * after the mark) for a friend, messages_group (group, after the later of mark and joining)
     * for a group. Only private messages from friends count: others cannot be answered there.
     */
    @Override
    public List<Unread> unread(long userId) {
        return connections.autoCommit("counting unread messages of user " + userId,
                c -> list(c, """
                    SELECT 1 AS is_group, g.id AS id, g.name AS name, COUNT(*) AS unread
                    FROM group_members gm
                    JOIN chat_groups g ON g.id = gm.group_id
                    LEFT JOIN read_marks rm ON rm.user_id = gm.user_id AND rm.conversation = CONCAT('g', gm.group_id)
                    JOIN messages m ON m.group_id = gm.group_id
                                   AND m.id > CASE WHEN rm.last_read_id > gm.first_msg_id
                                                   THEN rm.last_read_id ELSE gm.first_msg_id END
                    WHERE gm.user_id = ? AND m.sender_id <> gm.user_id
                    GROUP BY g.id, g.name
                    UNION ALL
                    SELECT 0 AS is_group, u.id AS id, u.name AS name, COUNT(*) AS unread
                    FROM friends f
                    JOIN users u ON u.id = f.friend_id
                    LEFT JOIN read_marks rm ON rm.user_id = f.user_id AND rm.conversation = CONCAT('u', f.friend_id)
                    JOIN messages m ON m.sender_id = f.friend_id AND m.recipient_id = f.user_id
                                   AND m.id > COALESCE(rm.last_read_id, 0)
                    WHERE f.user_id = ?
                    GROUP BY u.id, u.name
                    ORDER BY is_group DESC, name, id""",
                        rs -> new Unread(rs.getInt(1) == 1, rs.getLong(2), rs.getString(3), rs.getLong(4)),
                        userId, userId));
    }

    // Protocol 1.1: declared now so that callers can be written against them.

    @Override
    public <T> T inTransaction(String doing, java.util.function.Supplier<T> work) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public Optional<User> userById(long userId) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void setPasswordHash(long userId, String passwordHash) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public Device device(long userId, String name, long now) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public List<Device> devices(long userId) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void createSession(String tokenHash, long userId, long deviceId, long now, long expiresAt) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public Optional<SessionRow> sessionByToken(String tokenHash, long now) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public boolean extendSession(String tokenHash, long expiresAt) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public boolean revokeSession(String tokenHash) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public int revokeOtherSessions(long userId, String keepHash) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public List<SessionRow> sessions(long userId, long now) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public int purgeExpiredSessions(long now, int batch) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public List<PendingRequest> friendRequests(long userId) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public Stored storeMessage(long senderId, long senderDevice, long recipientId, String clientId, String body,
            long now) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public List<Message> storeEvent(Kind kind, long actorId, long actorDevice, long groupId,
            java.util.Collection<Long> recipients, List<String> fields, long now) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public List<Message> undelivered(long userId, long deviceId, int limit) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void acknowledgeDevices(java.util.Map<Long, Long> upTo) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public Optional<Group> groupById(long groupId) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public List<Long> memberIds(long groupId) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public Stored storeGroupMessage(long senderId, long senderDevice, long groupId, String clientId, String body,
            long now) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public long markRead(long userId, boolean group, long peerId, long upToId) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public Contacts contacts(long userId) {
        throw new UnsupportedOperationException("not yet");
    }

    /** One row of a query's result as a value. */
    @FunctionalInterface
    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** Runs a query with {@code params} (Long, Integer or String) and reads each row into a list. */
    private static <T> List<T> list(Connection c, String sql, Row<T> row, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(row.read(rs));
                }
            }
            return rows;
        }
    }

    /** Runs a query of {@link #MESSAGE_COLUMNS} with {@code params} (Long, Integer or String). */
    private static List<Message> messages(Connection c, String sql, Object... params) throws SQLException {
        // getLong reads SQL NULL as 0: no recipient, or no group.
        return list(c, sql, rs -> new Message(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4),
                rs.getString(5), rs.getLong(6), rs.getString(7), rs.getString(8), rs.getString(9),
                rs.getLong(10)), params);
    }

    /** Runs a query of {@link #GROUP_COLUMNS} with {@code params}. */
    private static List<Group> groups(Connection c, String sql, Object... params) throws SQLException {
        return list(c, sql, rs -> new Group(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                rs.getInt(5) != 0, rs.getInt(6)), params);
    }

    private static FriendRequest friendRequest(ResultSet rs) throws SQLException {
        return new FriendRequest(rs.getLong(1), rs.getString(2), rs.getLong(3));
    }

    private static boolean exists(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Runs an INSERT, UPDATE or DELETE with {@code params} (Long, Integer or String); its row count. */
    private static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        }
    }

    /** Sets {@code params} (Long, Integer or String) as the statement's parameters, in order. */
    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            if (params[i] instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (params[i] instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else {
                ps.setString(i + 1, (String) params[i]);
            }
        }
    }

    private static long generatedId(PreparedStatement ps) throws SQLException {
        try (ResultSet keys = ps.getGeneratedKeys()) {
            if (!keys.next()) {
                throw new SQLException("the database returned no generated key");
            }
            return keys.getLong(1);
        }
    }

    private static void requireLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
    }

    private static void requireChars(String what, String value, int max) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        int length = value.codePointCount(0, value.length());
        if (length > max) {
            throw new IllegalArgumentException(what + " must be at most " + max + " characters: " + length);
        }
    }

    private static void requireBytes(String what, String value, int max) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        // Counting is cheaper than encoding, and only a long text can be too long.
        if (value.length() * 3 > max) {
            int bytes = value.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > max) {
                throw new IllegalArgumentException(what + " must be at most " + max + " bytes of UTF-8: " + bytes);
            }
        }
    }

    /** Closes every worker's connection. Call once the workers have stopped. */
    @Override
    public void close() {
        connections.close();
    }

    /** How many per-thread connections are open, for tests. */
    int openConnections() {
        return connections.open();
    }
}
