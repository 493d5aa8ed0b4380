package chat.server.store;

import static chat.server.store.Sql.exists;
import static chat.server.store.Sql.first;
import static chat.server.store.Sql.list;
import static chat.server.store.Sql.update;

import chat.server.store.Store.Blocked;
import chat.server.store.Store.Invitation;
import java.util.List;
import java.util.Optional;

/**
 * Who may reach whom (schema version 4): group invitations waiting for the invitee's answer, and
 * blocks. A block drops what the blocked user had waiting for the blocker (friend requests both
 * ways, invitations from them) in the same transaction, so nothing from before it arrives after.
 */
final class ReachStore {

    private static final String INVITATION_COLUMNS = """
            SELECT i.group_id, g.name, i.inviter_id, u.name, i.created_at
            FROM group_invites i
            JOIN chat_groups g ON g.id = i.group_id
            JOIN users u ON u.id = i.inviter_id
            """;

    private final ThreadConnections connections;
    private final Sql sql;

    ReachStore(ThreadConnections connections, Sql sql) {
        this.connections = connections;
        this.sql = sql;
    }

    boolean invite(long groupId, long userId, long inviterId, long now) {
        return connections.autoCommit("user " + inviterId + " inviting user " + userId + " to group " + groupId,
                c -> sql.unlessTaken(() -> update(c, """
                        INSERT INTO group_invites (group_id, user_id, inviter_id, created_at) VALUES (?, ?, ?, ?)""",
                        groupId, userId, inviterId, now) > 0, false));
    }

    Optional<Invitation> invitation(long groupId, long userId) {
        return connections.autoCommit("looking up the invitation of user " + userId + " to group " + groupId,
                c -> first(c, INVITATION_COLUMNS + "WHERE i.group_id = ? AND i.user_id = ?", ReachStore::invitation,
                        groupId, userId));
    }

    boolean dropInvitation(long groupId, long userId) {
        return connections.autoCommit("dropping the invitation of user " + userId + " to group " + groupId,
                c -> update(c, "DELETE FROM group_invites WHERE group_id = ? AND user_id = ?", groupId, userId) > 0);
    }

    List<Invitation> invitations(long userId) {
        return connections.autoCommit("listing the invitations of user " + userId, c -> list(c,
                INVITATION_COLUMNS + "WHERE i.user_id = ? ORDER BY i.created_at, i.group_id",
                ReachStore::invitation, userId));
    }

    private static Invitation invitation(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Invitation(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getLong(5));
    }

    /** False when it was blocked already. */
    boolean block(long userId, long blockedId, long now) {
        return connections.transaction("user " + userId + " blocking user " + blockedId, c -> {
            update(c, """
                    DELETE FROM friend_requests
                    WHERE (from_id = ? AND to_id = ?) OR (from_id = ? AND to_id = ?)""",
                    userId, blockedId, blockedId, userId);
            update(c, "DELETE FROM group_invites WHERE user_id = ? AND inviter_id = ?", userId, blockedId);
            return sql.unlessTaken(() -> update(c, """
                    INSERT INTO blocks (user_id, blocked_id, created_at) VALUES (?, ?, ?)""",
                    userId, blockedId, now) > 0, false);
        });
    }

    boolean unblock(long userId, long blockedId) {
        return connections.autoCommit("user " + userId + " unblocking user " + blockedId,
                c -> update(c, "DELETE FROM blocks WHERE user_id = ? AND blocked_id = ?", userId, blockedId) > 0);
    }

    boolean isBlocked(long userId, long blockedId) {
        return connections.autoCommit("checking whether user " + userId + " blocked user " + blockedId,
                c -> exists(c, "SELECT 1 FROM blocks WHERE user_id = ? AND blocked_id = ?", userId, blockedId));
    }

    List<Blocked> blocked(long userId) {
        return connections.autoCommit("listing whom user " + userId + " blocked", c -> list(c, """
                SELECT b.blocked_id, u.name, b.created_at
                FROM blocks b
                JOIN users u ON u.id = b.blocked_id
                WHERE b.user_id = ?
                ORDER BY u.name, u.id""", rs -> new Blocked(rs.getLong(1), rs.getString(2), rs.getLong(3)), userId));
    }
}
