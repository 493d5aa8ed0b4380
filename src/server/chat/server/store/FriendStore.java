package chat.server.store;

import static chat.server.store.Sql.exists;
import static chat.server.store.Sql.list;
import static chat.server.store.Sql.update;

import chat.server.store.Store.Friend;
import chat.server.store.Store.FriendRequest;
import chat.server.store.Store.PendingRequest;
import chat.server.store.Store.RequestOutcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** Friendships (two rows, one per side) and the requests that lead to them. */
final class FriendStore {

    private final ThreadConnections connections;
    private final Sql sql;

    FriendStore(ThreadConnections connections, Sql sql) {
        this.connections = connections;
        this.sql = sql;
    }

    List<Friend> friends(long userId) {
        return connections.autoCommit("listing the friends of user " + userId, c -> list(c, """
                SELECT u.id, u.name, f.alias
                FROM friends f
                JOIN users u ON u.id = f.friend_id
                WHERE f.user_id = ?
                ORDER BY u.name, u.id""", rs -> new Friend(rs.getLong(1), rs.getString(2), rs.getString(3)), userId));
    }

    boolean areFriends(long userId, long otherId) {
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
    RequestOutcome requestFriend(long fromId, long toId, long now) {
        if (fromId == toId) {
            throw new IllegalArgumentException("a user cannot ask itself to be friends: " + fromId);
        }
        return connections.transaction("friend request from user " + fromId + " to " + toId, c -> {
            boolean theyAsked = deleteRequest(c, toId, fromId);
            if (friendRowExists(c, fromId, toId)) {
                return RequestOutcome.ALREADY_FRIENDS;
            }
            if (theyAsked) {
                deleteRequest(c, fromId, toId);
                befriend(c, fromId, toId, now);
                return RequestOutcome.NOW_FRIENDS;
            }
            return sql.unlessTaken(() -> {
                update(c, """
                        INSERT INTO friend_requests (from_id, to_id, created_at) VALUES (?, ?, ?)""",
                        fromId, toId, now);
                return RequestOutcome.REQUESTED;
            }, RequestOutcome.ALREADY_REQUESTED);
        });
    }

    List<FriendRequest> pendingRequests(long userId) {
        return connections.autoCommit("listing friend requests to user " + userId, c -> list(c, """
                SELECT r.from_id, u.name, r.created_at
                FROM friend_requests r
                JOIN users u ON u.id = r.from_id
                WHERE r.to_id = ?
                ORDER BY r.created_at, r.from_id""", Rows::friendRequest, userId));
    }

    List<PendingRequest> friendRequests(long userId) {
        return connections.autoCommit("listing friend requests of user " + userId, c -> friendRequests(c, userId));
    }

    /** To me (friend_requests_to) and from me (the primary key), oldest first. */
    static List<PendingRequest> friendRequests(Connection c, long userId) throws SQLException {
        return list(c, """
                SELECT r.from_id AS other, u.name AS name, 1 AS incoming, r.created_at AS created_at
                FROM friend_requests r
                JOIN users u ON u.id = r.from_id
                WHERE r.to_id = ?
                UNION ALL
                SELECT r.to_id AS other, u.name AS name, 0 AS incoming, r.created_at AS created_at
                FROM friend_requests r
                JOIN users u ON u.id = r.to_id
                WHERE r.from_id = ?
                ORDER BY created_at, incoming DESC, other""",
                rs -> new PendingRequest(rs.getLong(1), rs.getString(2), rs.getInt(3) == 1, rs.getLong(4)),
                userId, userId);
    }

    boolean acceptRequest(long userId, long fromId, long now) {
        return connections.transaction("user " + userId + " accepting the friend request of " + fromId, c -> {
            if (!deleteRequest(c, fromId, userId)) {
                return false;
            }
            deleteRequest(c, userId, fromId);
            befriend(c, userId, fromId, now);
            return true;
        });
    }

    boolean declineRequest(long userId, long fromId) {
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
                Sql.bind(ps, side[0], side[1], now);
                sql.unlessTaken(ps::executeUpdate, 0);
            }
        }
    }

    boolean deleteFriend(long userId, long friendId) {
        // One statement deletes both sides, so it is as atomic as a transaction would make it.
        return connections.autoCommit("user " + userId + " deleting friend " + friendId, c -> update(c, """
                DELETE FROM friends
                WHERE (user_id = ? AND friend_id = ?) OR (user_id = ? AND friend_id = ?)""",
                userId, friendId, friendId, userId) > 0);
    }

    boolean setAlias(long userId, long friendId, String alias) {
        String value = alias == null || alias.isEmpty() ? null : alias;
        if (value != null) {
            Sql.requireChars("alias", value, Sql.MAX_NAME);
        }
        // Connector/J counts the rows found, not only those changed (useAffectedRows=false), so
        // setting the same alias again is still true on MySQL as it is on SQLite.
        return connections.autoCommit("user " + userId + " setting an alias for friend " + friendId,
                c -> update(c, """
                        UPDATE friends SET alias = ? WHERE user_id = ? AND friend_id = ?""",
                        value, userId, friendId) > 0);
    }
}
