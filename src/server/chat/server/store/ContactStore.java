package chat.server.store;

import static chat.server.store.Rows.TEXT;
import static chat.server.store.Sql.list;
import static chat.server.store.Sql.number;
import static chat.server.store.Sql.update;

import chat.server.store.Store.Contacts;
import chat.server.store.Store.FriendContact;
import chat.server.store.Store.GroupContact;
import chat.server.store.Store.LastMessage;
import chat.server.store.Store.Unread;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Read marks and what is computed from them: unread counts and the contact list. Only text
 * counts; events are neither unread nor a conversation's last message. The counts are kept in
 * unread_counts ({@link UnreadCounts}).
 *
 * <p>The read mark of a conversation is found by building its key in SQL with CONCAT, which both
 * databases have (SQLite since 3.44; MySQL's {@code ||} would be OR).
 */
final class ContactStore {

    /**
     * My friends with their unread counts and last messages: one row per friend, whose count is
     * one row of unread_counts and whose maxima are each one index lookup on messages_pair_kind
     * (the newest each way), then the newest of the two read by primary key. Only private
     * messages from friends count as unread: others cannot be answered there.
     */
    static final String FRIENDS = """
            SELECT x.id, x.name, x.alias, x.unread, m.id, m.sent_at, SUBSTR(m.body, 1, %2$d)
            FROM (
                SELECT u.id AS id, u.name AS name, f.alias AS alias,
                       COALESCE((SELECT uc.unread FROM unread_counts uc
                                 WHERE uc.user_id = f.user_id AND uc.conversation = CONCAT('u', f.friend_id)), 0)
                           AS unread,
                       COALESCE((SELECT MAX(o.id) FROM messages o
                                 WHERE o.sender_id = f.user_id AND o.recipient_id = f.friend_id
                                   AND o.kind = %1$s), 0) AS last_out,
                       COALESCE((SELECT MAX(i.id) FROM messages i
                                 WHERE i.sender_id = f.friend_id AND i.recipient_id = f.user_id
                                   AND i.kind = %1$s), 0) AS last_in
                FROM friends f
                JOIN users u ON u.id = f.friend_id
                WHERE f.user_id = ?
            ) x
            LEFT JOIN messages m ON m.id = CASE WHEN x.last_out > x.last_in THEN x.last_out ELSE x.last_in END
            ORDER BY x.name, x.id""".formatted(TEXT, Store.PREVIEW_CHARS);

    /**
     * My groups with their unread counts (a row of unread_counts) and the newest text I may see
     * (since I joined: one end of a range of messages_group_kind).
     */
    static final String GROUPS = """
            SELECT x.id, x.name, x.owner_id, x.owner_name, x.is_open, x.members, x.unread,
                   m.id, m.sent_at, SUBSTR(m.body, 1, %2$d)
            FROM (
                SELECT g.id AS id, g.name AS name, g.owner_id AS owner_id, o.name AS owner_name, g.open AS is_open,
                       (SELECT COUNT(*) FROM group_members c WHERE c.group_id = g.id) AS members,
                       COALESCE((SELECT uc.unread FROM unread_counts uc
                                 WHERE uc.user_id = me.user_id AND uc.conversation = CONCAT('g', me.group_id)), 0)
                           AS unread,
                       (SELECT MAX(l.id) FROM messages l
                        WHERE l.group_id = me.group_id AND l.kind = %1$s AND l.id > me.first_msg_id) AS last_id
                FROM group_members me
                JOIN chat_groups g ON g.id = me.group_id
                JOIN users o ON o.id = g.owner_id
                WHERE me.user_id = ?
            ) x
            LEFT JOIN messages m ON m.id = x.last_id
            ORDER BY x.name, x.id""".formatted(TEXT, Store.PREVIEW_CHARS);

    /**
     * Groups first, then friends, each by name: my rows of unread_counts above 0 (a range of its
     * key), each joined to the membership or friendship that shows it.
     */
    static final String UNREAD = """
            SELECT 1 AS is_group, g.id AS id, g.name AS name, uc.unread AS unread
            FROM group_members gm
            JOIN chat_groups g ON g.id = gm.group_id
            JOIN unread_counts uc ON uc.user_id = gm.user_id AND uc.conversation = CONCAT('g', gm.group_id)
            WHERE gm.user_id = ? AND uc.unread > 0
            UNION ALL
            SELECT 0 AS is_group, u.id AS id, u.name AS name, uc.unread AS unread
            FROM friends f
            JOIN users u ON u.id = f.friend_id
            JOIN unread_counts uc ON uc.user_id = f.user_id AND uc.conversation = CONCAT('u', f.friend_id)
            WHERE f.user_id = ? AND uc.unread > 0
            ORDER BY is_group DESC, name, id""";

    private final ThreadConnections connections;
    private final Sql sql;
    private final UnreadCounts.Keeper unread;

    ContactStore(ThreadConnections connections, Sql sql, UnreadCounts.Keeper unread) {
        this.connections = connections;
        this.sql = sql;
        this.unread = unread;
    }

    /**
     * Update, else insert, else (another thread inserted meanwhile) update again, instead of a
     * dialect's upsert (a taken key undoes only its own statement, on both databases), and the
     * mark only ever moves forward. An id
     * past the newest message is taken as the newest, so that a mark never hides a message not
     * yet sent. The conversation's unread count is counted again in the same transaction, from
     * the new mark on ({@link UnreadCounts#recount}), after the count's row is taken
     * ({@link UnreadCounts.Keeper#markMoving}: several writers order on it).
     */
    long markRead(long userId, boolean group, long peerId, long upToId) {
        if (upToId < 0) {
            throw new IllegalArgumentException("a read mark is not negative: " + upToId);
        }
        String conversation = Rows.conversation(group, peerId);
        return connections.transaction("marking conversation " + conversation + " read for user " + userId, c -> {
            unread.markMoving(c, userId, conversation);
            long newest = newestText(c, userId, group, peerId);
            long mark = upToId == 0 || upToId > newest ? newest : upToId;
            if (!advanceMark(c, userId, conversation, mark)) {
                boolean inserted = sql.unlessTaken(() -> update(c, """
                        INSERT INTO read_marks (user_id, conversation, last_read_id) VALUES (?, ?, ?)""",
                        userId, conversation, mark) > 0, false);
                if (!inserted) {
                    advanceMark(c, userId, conversation, mark);
                }
            }
            UnreadCounts.recount(c, userId, group, peerId);
            return number(c, "SELECT last_read_id FROM read_marks WHERE user_id = ? AND conversation = ?",
                    userId, conversation);
        });
    }

    /**
     * The conversation's newest text, 0 when none: one end of an index range each (messages_pair_kind
     * each way, messages_group_kind). Not the newest in the database, which may be another
     * conversation's and would mark this one read past messages it has not got yet. Only text,
     * since only text is ever unread.
     */
    private static long newestText(Connection c, long userId, boolean group, long peerId) throws SQLException {
        if (group) {
            return number(c, "SELECT COALESCE(MAX(id), 0) FROM messages WHERE group_id = ? AND kind = " + TEXT, peerId);
        }
        String oneWay = "SELECT COALESCE(MAX(id), 0) FROM messages WHERE sender_id = ? AND recipient_id = ? AND kind = " + TEXT;
        return Math.max(number(c, oneWay, userId, peerId), number(c, oneWay, peerId, userId));
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

    /** {@link #UNREAD}: one row read per conversation, whatever its unread count. */
    List<Unread> unread(long userId) {
        return connections.autoCommit("counting unread messages of user " + userId, c -> list(c, UNREAD,
                rs -> new Unread(rs.getInt(1) == 1, rs.getLong(2), rs.getString(3), rs.getLong(4)),
                userId, userId));
    }

    /** Three queries, whatever the number of friends and groups. */
    Contacts contacts(long userId) {
        return connections.autoCommit("listing the contacts of user " + userId, c -> new Contacts(
                list(c, FRIENDS, rs -> new FriendContact(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getLong(4), last(rs, 5)), userId),
                list(c, GROUPS, rs -> new GroupContact(Rows.group(rs, 1), rs.getLong(7), last(rs, 8)), userId),
                FriendStore.friendRequests(c, userId)));
    }

    /** The last message's id, time and preview from column {@code at}; none when the id is NULL. */
    private static LastMessage last(ResultSet rs, int at) throws SQLException {
        long id = rs.getLong(at);
        return id == 0 ? LastMessage.NONE : new LastMessage(id, rs.getLong(at + 1), rs.getString(at + 2));
    }
}
