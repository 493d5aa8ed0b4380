package chat.server.store;

import chat.server.store.Store.FriendRequest;
import chat.server.store.Store.Group;
import chat.server.store.Store.Kind;
import chat.server.store.Store.Message;
import chat.server.store.Store.User;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/** The columns and joins that read a row into one of {@link Store}'s records, shared by its parts. */
final class Rows {

    /**
     * The columns of a {@link Message} and the joins that name its sender, recipient and group.
     * A private message has a recipient, a group one a group, an event a recipient and maybe a
     * group (which may be gone), so both of those joins are outer joins.
     */
    static final String MESSAGE_SELECT = """
            SELECT m.id, m.sender_id, s.name, m.recipient_id, r.name, m.group_id, g.name,
                   m.client_id, m.body, m.sent_at, m.kind, m.sender_device, f.id, f.size, f.sha256
            """;
    static final String MESSAGE_JOINS = """
            JOIN users s ON s.id = m.sender_id
            LEFT JOIN users r ON r.id = m.recipient_id
            LEFT JOIN chat_groups g ON g.id = m.group_id
            LEFT JOIN files f ON f.message_id = m.id
            """;
    static final String MESSAGE_COLUMNS = MESSAGE_SELECT + "FROM messages m\n" + MESSAGE_JOINS;

    /** The columns of a {@link Group}: its owner's name and how many members it has. */
    static final String GROUP_SELECT = """
            SELECT g.id, g.name, g.owner_id, o.name, g.open,
                   (SELECT COUNT(*) FROM group_members c WHERE c.group_id = g.id)
            """;
    static final String GROUP_COLUMNS = GROUP_SELECT + """
            FROM chat_groups g
            JOIN users o ON o.id = g.owner_id
            """;

    /** The kind column's value for text, for SQL built from constants. */
    static final String TEXT = "'" + Kind.TEXT.sqlName() + "'";

    /** The kinds a conversation shows: text and file offers. Unread counts and previews read text only. */
    private static final List<Kind> CHAT_KIND_LIST = List.of(Kind.TEXT, Kind.FILE);

    /** {@link #CHAT_KIND_LIST} for {@code kind IN} in SQL, where no index order is wanted (search, delete). */
    static final String CHAT_KINDS = CHAT_KIND_LIST.stream().map(k -> "'" + k.sqlName() + "'")
            .collect(Collectors.joining(", ", "(", ")"));

    /** How many branches {@link #eachChatKind} writes: its parameters are given this many times. */
    static final int CHAT_KIND_COUNT = CHAT_KIND_LIST.size();

    /**
     * {@code branch} once for each kind a conversation shows, merged by UNION: {@code %1$s} in it
     * is the kind's SQL literal, {@code %2$s} a suffix that makes its aliases unique. Delivery and
     * history read an index that ends (kind, id) and want the newest or oldest few ids: with
     * {@code kind = ?} each branch is one id-ordered range cut at its LIMIT, whereas a
     * {@code kind IN} makes both databases read and sort every row of the conversation first
     * (SQLite's temp B-tree, MySQL's filesort) before the LIMIT applies.
     */
    static String eachChatKind(String branch) {
        return CHAT_KIND_LIST.stream().map(k -> branch.formatted("'" + k.sqlName() + "'", "_" + k.sqlName()))
                .collect(Collectors.joining("\nUNION\n"));
    }

    private Rows() {}

    /** A row of {@link #MESSAGE_SELECT}. getLong reads SQL NULL as 0: no recipient, or no group. */
    static Message message(ResultSet rs) throws SQLException {
        return new Message(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getString(5),
                rs.getLong(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getLong(10),
                Kind.ofSql(rs.getString(11)), rs.getLong(12),
                rs.getLong(13) == 0 ? null : new Store.FileRef(rs.getLong(13), rs.getLong(14), rs.getString(15)));
    }

    /** A row of {@link #GROUP_SELECT}, from column {@code at} on. */
    static Group group(ResultSet rs, int at) throws SQLException {
        return new Group(rs.getLong(at), rs.getString(at + 1), rs.getLong(at + 2), rs.getString(at + 3),
                rs.getInt(at + 4) != 0, rs.getInt(at + 5));
    }

    static Group group(ResultSet rs) throws SQLException {
        return group(rs, 1);
    }

    static User user(ResultSet rs) throws SQLException {
        return new User(rs.getLong(1), rs.getString(2), rs.getString(3));
    }

    static FriendRequest friendRequest(ResultSet rs) throws SQLException {
        return new FriendRequest(rs.getLong(1), rs.getString(2), rs.getLong(3));
    }

    /** The read_marks key of a conversation: 'u' and a friend's id, or 'g' and a group's id. */
    static String conversation(boolean group, long peerId) {
        return (group ? "g" : "u") + peerId;
    }
}
