package chat.server.store;

import static chat.server.store.Rows.GROUP_COLUMNS;
import static chat.server.store.Sql.exists;
import static chat.server.store.Sql.first;
import static chat.server.store.Sql.insert;
import static chat.server.store.Sql.list;
import static chat.server.store.Sql.update;

import chat.common.text.Names;
import chat.server.store.Store.FriendRequest;
import chat.server.store.Store.Group;
import chat.server.store.Store.Member;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Groups, their members and the requests to join them. */
final class GroupStore {

    private final ThreadConnections connections;
    private final Sql sql;

    GroupStore(ThreadConnections connections, Sql sql) {
        this.connections = connections;
        this.sql = sql;
    }

    Optional<Group> createGroup(String name, String nameKey, long ownerId, boolean open, long now) {
        Sql.requireChars("group name", name, Sql.MAX_NAME);
        Sql.requireChars("group name key", nameKey, Sql.MAX_NAME);
        String skeleton = Names.skeleton(name);
        Sql.requireChars("group name skeleton", skeleton, Sql.MAX_NAME);
        // As createUser: no SELECT first, the unique keys decide between two creators of one name.
        return connections.transaction("user " + ownerId + " creating group " + nameKey, c -> {
            long id = sql.unlessTaken(() -> insert(c, """
                    INSERT INTO chat_groups (name, name_key, name_skeleton, owner_id, open, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)""", name, nameKey, skeleton, ownerId, open ? 1 : 0, now), 0L);
            if (id == 0) {
                return Optional.<Group>empty();
            }
            insertMember(c, id, ownerId, now);
            Optional<Group> created = first(c, GROUP_COLUMNS + "WHERE g.id = ?", Rows::group, id);
            if (created.isEmpty()) {
                // Rolled back by transaction(): a group owned by nobody is not kept.
                throw new StoreException("creating group " + nameKey + ": no user " + ownerId);
            }
            return created;
        });
    }

    Optional<Group> groupByKey(String nameKey) {
        return connections.autoCommit("looking up group " + nameKey,
                c -> first(c, GROUP_COLUMNS + "WHERE g.name_key = ?", Rows::group, nameKey));
    }

    Optional<Group> groupById(long groupId) {
        return connections.autoCommit("looking up group " + groupId,
                c -> first(c, GROUP_COLUMNS + "WHERE g.id = ?", Rows::group, groupId));
    }

    /**
     * The unique key decides, as in {@link #createGroup}. Changing only the letter case keeps the
     * key, which is this group's own: no conflict. The count is of rows found (see
     * {@link FriendStore#setAlias}), so a rename to the very same name is true on MySQL as on SQLite.
     */
    boolean renameGroup(long groupId, String name, String nameKey) {
        Sql.requireChars("group name", name, Sql.MAX_NAME);
        Sql.requireChars("group name key", nameKey, Sql.MAX_NAME);
        String skeleton = Names.skeleton(name);
        return connections.autoCommit("renaming group " + groupId + " to " + nameKey, c -> sql.unlessTaken(
                () -> update(c, """
                        UPDATE chat_groups SET name = ?, name_key = ?, name_skeleton = ? WHERE id = ?""",
                        name, nameKey, skeleton, groupId) > 0,
                false));
    }

    /**
     * Takes the group's row lock until the transaction ends, so that changes to one group's
     * membership happen one after another: a transaction that lists the members after it (and
     * stores an event for them) sees every change committed before, and none can slip in before it
     * commits. An UPDATE that changes nothing takes the lock on both databases (SQLite's write
     * lock is the whole database's, taken when the transaction began) with the same SQL, where
     * SELECT ... FOR UPDATE is MySQL's only.
     */
    void lockGroup(long groupId) {
        connections.transaction("locking group " + groupId, c -> lockGroup(c, groupId));
    }

    private static int lockGroup(Connection c, long groupId) throws SQLException {
        return update(c, "UPDATE chat_groups SET owner_id = owner_id WHERE id = ?", groupId);
    }

    /**
     * Events about the group stay: they are how its members learn that it is gone. The members go
     * before the messages, so that the triggers of each message deleted find no member's unread
     * count left to change (members first: one row each; messages first: a row per member per message).
     */
    void deleteGroup(long groupId) {
        connections.transaction("deleting group " + groupId, c -> {
            lockGroup(c, groupId);
            for (String statement : List.of(
                    "DELETE FROM group_members WHERE group_id = ?",
                    "DELETE FROM messages WHERE group_id = ? AND kind IN " + Rows.CHAT_KINDS,
                    "DELETE FROM group_requests WHERE group_id = ?",
                    "DELETE FROM group_invites WHERE group_id = ?",
                    "DELETE FROM chat_groups WHERE id = ?")) {
                update(c, statement, groupId);
            }
            update(c, """
                    DELETE FROM read_marks WHERE conversation = ?""", Rows.conversation(true, groupId));
            return null;
        });
    }

    boolean addMember(long groupId, long userId, long now) {
        return connections.transaction("adding user " + userId + " to group " + groupId, c -> {
            lockGroup(c, groupId);
            update(c, """
                    DELETE FROM group_requests WHERE group_id = ? AND user_id = ?""", groupId, userId);
            update(c, """
                    DELETE FROM group_invites WHERE group_id = ? AND user_id = ?""", groupId, userId);
            return sql.unlessTaken(() -> insertMember(c, groupId, userId, now), false);
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
        long newest = MessageStore.newestId(c);
        return update(c, """
                INSERT INTO group_members (group_id, user_id, joined_at, first_msg_id)
                SELECT id, ?, ?, ? FROM chat_groups WHERE id = ?""", userId, now, newest, groupId) > 0;
    }

    boolean removeMember(long groupId, long userId) {
        return connections.transaction("removing user " + userId + " from group " + groupId, c -> {
            lockGroup(c, groupId);
            return update(c, """
                    DELETE FROM group_members WHERE group_id = ? AND user_id = ?""", groupId, userId) > 0;
        });
    }

    boolean isMember(long groupId, long userId) {
        return connections.autoCommit("checking whether user " + userId + " is in group " + groupId,
                c -> exists(c, "SELECT 1 FROM group_members WHERE group_id = ? AND user_id = ?", groupId, userId));
    }

    boolean requestJoin(long groupId, long userId, long now) {
        return connections.autoCommit("user " + userId + " asking to join group " + groupId, c -> sql.unlessTaken(
                () -> update(c, """
                        INSERT INTO group_requests (group_id, user_id, created_at) VALUES (?, ?, ?)""",
                        groupId, userId, now) > 0,
                false));
    }

    boolean hasJoinRequest(long groupId, long userId) {
        return connections.autoCommit("checking whether user " + userId + " asked to join group " + groupId,
                c -> exists(c, "SELECT 1 FROM group_requests WHERE group_id = ? AND user_id = ?", groupId, userId));
    }

    boolean rejectJoin(long groupId, long userId) {
        return connections.autoCommit("rejecting the request of user " + userId + " to join group " + groupId,
                c -> update(c, """
                        DELETE FROM group_requests WHERE group_id = ? AND user_id = ?""", groupId, userId) > 0);
    }

    List<FriendRequest> joinRequests(long groupId) {
        return connections.autoCommit("listing requests to join group " + groupId, c -> list(c, """
                SELECT r.user_id, u.name, r.created_at
                FROM group_requests r
                JOIN users u ON u.id = r.user_id
                WHERE r.group_id = ?
                ORDER BY r.created_at, r.user_id""", Rows::friendRequest, groupId));
    }

    List<Group> groupsOf(long userId) {
        return connections.autoCommit("listing the groups of user " + userId, c -> list(c, GROUP_COLUMNS + """
                JOIN group_members me ON me.group_id = g.id
                WHERE me.user_id = ?
                ORDER BY g.name, g.id""", Rows::group, userId));
    }

    List<Member> members(long groupId) {
        return connections.autoCommit("listing the members of group " + groupId, c -> list(c, """
                SELECT u.id, u.name, CASE WHEN u.id = g.owner_id THEN 1 ELSE 0 END
                FROM group_members gm
                JOIN users u ON u.id = gm.user_id
                JOIN chat_groups g ON g.id = gm.group_id
                WHERE gm.group_id = ?
                ORDER BY u.name, u.id""",
                rs -> new Member(rs.getLong(1), rs.getString(2), rs.getInt(3) == 1), groupId));
    }

    List<Long> memberIds(long groupId) {
        return connections.autoCommit("listing the member ids of group " + groupId, c -> list(c, """
                SELECT user_id FROM group_members WHERE group_id = ? ORDER BY user_id""",
                rs -> rs.getLong(1), groupId));
    }
}
