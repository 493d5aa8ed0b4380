package chat.server.store;

import static chat.server.store.Rows.TEXT;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The unread count of each (user, conversation) kept in {@code unread_counts}, so that UNREAD and
 * the contact list read one row per conversation instead of counting every unread message (a
 * friend's 100,000 unread were an index range of 100,000 rows on each request).
 *
 * <p>A row holds exactly what the count query used to compute: for {@code 'u'} and a sender, the
 * text that sender sent the user after the user's read mark; for {@code 'g'} and a group, the
 * group's text from others after the later of the mark and the user's joining. It is kept in the
 * transaction of every change to what it counts:
 * <ul>
 *   <li>a text stored adds 1 to its recipient's row, or to the row of each member of its group but
 *       the sender: by the store code that inserts it, in Java ({@link Tally}), once per (user,
 *       conversation) for all the texts a statement or a batch of MSGs stored. The read mark and
 *       the join need no test there: one writer gives every new row an id above every id stored,
 *       a read mark never passes its conversation's newest text ({@code markRead}), and a member
 *       joins at the newest id, so a new text is after both. (A trigger did this per row until the
 *       writer's cost was measured: about 45% of an SQLite insert's CPU in the bench's loop.)
 *       Whatever else inserts text into {@code messages} (the bench's bulk insert, a hand) must
 *       count it too;
 *   <li>a text deleted takes 1 off the same rows, where it was still unread (a trigger: retention
 *       and DISBAND are not the hot path, and their deletes are counted whatever deletes);
 *   <li>a member joining gets its group's row counted afresh (nothing, at a real join: it starts
 *       at the newest message), a member leaving loses it (triggers on {@code group_members}).
 * </ul>
 * A read mark that moves is counted in Java too ({@link #recount}): only the rows after the new
 * mark are read, none when the whole conversation was read.
 */
public final class UnreadCounts {

    /** The read mark of NEW's or OLD's conversation, for a trigger; 0 when there is none. */
    private static final String MARK = """
            COALESCE((SELECT rm.last_read_id FROM read_marks rm
                      WHERE rm.user_id = %1$s.recipient_id AND rm.conversation = CONCAT('u', %1$s.sender_id)), 0)""";

    /** The members of NEW's or OLD's group to whom it is unread: not the sender, joined before it, mark below it. */
    private static final String MEMBERS = """
            SELECT gm.user_id FROM group_members gm
            LEFT JOIN read_marks rm ON rm.user_id = gm.user_id AND rm.conversation = CONCAT('g', gm.group_id)
            WHERE gm.group_id = %1$s.group_id AND gm.user_id <> %1$s.sender_id
              AND gm.first_msg_id < %1$s.id AND COALESCE(rm.last_read_id, 0) < %1$s.id""";

    /** A group's unread text for one member (user, group), counted; the join trigger's and {@link #recount}'s. */
    private static final String GROUP_COUNT = """
            SELECT COUNT(*) FROM messages m
            WHERE m.group_id = %2$s AND m.kind = %3$s AND m.sender_id <> %1$s
              AND m.id > (SELECT gm.first_msg_id FROM group_members gm WHERE gm.group_id = %2$s AND gm.user_id = %1$s)
              AND m.id > COALESCE((SELECT rm.last_read_id FROM read_marks rm
                                   WHERE rm.user_id = %1$s AND rm.conversation = CONCAT('g', %2$s)), 0)""";

    /** A friend's unread text for one user (user, sender), counted. */
    private static final String PRIVATE_COUNT = """
            SELECT COUNT(*) FROM messages m
            WHERE m.sender_id = %2$s AND m.recipient_id = %1$s AND m.kind = %3$s
              AND m.id > COALESCE((SELECT rm.last_read_id FROM read_marks rm
                                   WHERE rm.user_id = %1$s AND rm.conversation = CONCAT('u', %2$s)), 0)""";

    /**
     * The triggers that counted each inserted text until the store code did ({@link Tally}): a
     * database made before has them, and they would count every text twice.
     */
    private static final List<String> INSERT_TRIGGERS = List.of("unread_private_insert", "unread_group_insert");

    /** The version 4 step: what a database of version 3 lacks (the table comes from schema.sql). */
    static final List<String> OBJECTS = List.of("unread_counts");

    private UnreadCounts() {}

    /** The triggers, for a new database or a migrated one (after the table). */
    static void createTriggers(Statement s, Database.Dialect dialect) throws SQLException {
        for (String sql : triggers(dialect)) {
            s.execute(sql);
        }
    }

    /** Drops the insert triggers of a database made before {@link Tally} counted inserts; nothing when gone. */
    static void dropInsertTriggers(Statement s) throws SQLException {
        for (String name : INSERT_TRIGGERS) {
            s.execute("DROP TRIGGER IF EXISTS " + name);
        }
    }

    /**
     * The texts one piece of the writer's work stored, counted per (user, conversation) in Java and
     * written with one upsert each ({@link #store}), as one JDBC batch (on MySQL one multi-row
     * statement): a batch of 256 MSGs between 256 pairs is 256 rows in one statement, and 256
     * MSGs in one conversation are one row +256. Public for the bench, whose database ceiling
     * ({@code chat-bench stored}) stores its rows with the same statements.
     */
    public static final class Tally {
        private final String upsert;
        private final Map<Key, long[]> added = new LinkedHashMap<>();

        private record Key(long userId, String conversation) {}

        public Tally(Database.Dialect dialect) {
            this.upsert = "INSERT INTO unread_counts (user_id, conversation, unread) VALUES (?, ?, ?) "
                    + (dialect == Database.Dialect.SQLITE
                            ? "ON CONFLICT (user_id, conversation) DO UPDATE SET unread = unread + excluded.unread"
                            : "ON DUPLICATE KEY UPDATE unread = unread + VALUES(unread)");
        }

        /** A private text from {@code senderId} to {@code recipientId} was stored. */
        public void privateText(long recipientId, long senderId) {
            added.computeIfAbsent(new Key(recipientId, Rows.conversation(false, senderId)), k -> new long[1])[0]++;
        }

        /** Adds the counts to {@code unread_counts}, in {@code c}'s transaction, and starts again from none. */
        public void store(Connection c) throws SQLException {
            if (added.isEmpty()) {
                return;
            }
            List<Object[]> rows = new ArrayList<>(added.size());
            added.forEach((k, n) -> rows.add(new Object[] {k.userId(), k.conversation(), n[0]}));
            added.clear();
            Sql.updateAll(c, upsert, rows);
        }
    }

    /**
     * A group text from {@code senderId} was stored: adds 1 to the row of each member but the
     * sender, with one statement (see the class comment for why no mark or join is tested). The
     * sender's row gets 0 rather than being left out, so that every text of a group locks the same
     * rows in the same order (the members'): two cluster nodes' writers, each with texts of two
     * senders in one transaction, took each other's left-out row last and deadlocked
     * ({@code UnreadLockOrderTest}).
     */
    static void groupText(Connection c, Database.Dialect dialect, long groupId, long senderId) throws SQLException {
        Sql.update(c, "INSERT INTO unread_counts (user_id, conversation, unread) "
                + "SELECT gm.user_id, ?, CASE WHEN gm.user_id = ? THEN 0 ELSE 1 END FROM group_members gm "
                + "WHERE gm.group_id = ? "
                + (dialect == Database.Dialect.SQLITE
                        ? "ON CONFLICT (user_id, conversation) DO UPDATE SET unread = unread + excluded.unread"
                        // the members' order, as the primary key's scan gives it, said outright
                        : "ORDER BY gm.user_id ON DUPLICATE KEY UPDATE unread = unread + VALUES(unread)"),
                Rows.conversation(true, groupId), senderId, groupId);
    }

    /** Every count computed from the messages: a database of version 3 has none (triggers first). */
    static void backfill(Statement s) throws SQLException {
        s.executeUpdate("DELETE FROM unread_counts");
        s.executeUpdate("""
                INSERT INTO unread_counts (user_id, conversation, unread)
                SELECT m.recipient_id, CONCAT('u', m.sender_id), COUNT(*)
                FROM messages m
                LEFT JOIN read_marks rm ON rm.user_id = m.recipient_id AND rm.conversation = CONCAT('u', m.sender_id)
                WHERE m.kind = %s AND m.recipient_id IS NOT NULL AND m.id > COALESCE(rm.last_read_id, 0)
                GROUP BY m.recipient_id, m.sender_id""".formatted(TEXT));
        s.executeUpdate("""
                INSERT INTO unread_counts (user_id, conversation, unread)
                SELECT gm.user_id, CONCAT('g', gm.group_id), COUNT(m.id)
                FROM group_members gm
                LEFT JOIN read_marks rm ON rm.user_id = gm.user_id AND rm.conversation = CONCAT('g', gm.group_id)
                LEFT JOIN messages m ON m.group_id = gm.group_id AND m.kind = %s AND m.sender_id <> gm.user_id
                                    AND m.id > gm.first_msg_id AND m.id > COALESCE(rm.last_read_id, 0)
                GROUP BY gm.user_id, gm.group_id""".formatted(TEXT));
    }

    /**
     * Counts one conversation's row again after its read mark moved: the rows after the mark only.
     * A conversation with no row has had no unread message since the triggers began, so it needs none.
     */
    static void recount(Connection c, long userId, boolean group, long peerId) throws SQLException {
        String count = (group ? GROUP_COUNT : PRIVATE_COUNT).formatted("?", "?", TEXT);
        // The count's parameters in the order its %1$s (user) and %2$s (group or sender) appear.
        Object[] counted = group ? Sql.params(peerId, userId, peerId, userId, userId, peerId)
                : Sql.params(peerId, userId, userId, peerId);
        Sql.update(c, "UPDATE unread_counts SET unread = (" + count + ") WHERE user_id = ? AND conversation = ?",
                Sql.params(counted, userId, Rows.conversation(group, peerId)));
    }

    /**
     * The triggers of {@code dialect}: one statement each, run only for the rows it concerns (see
     * {@link #trigger}). MariaDB 10.2.3 and MySQL 5.7 allow several triggers per table and event.
     */
    static List<String> triggers(Database.Dialect dialect) {
        boolean sqlite = dialect == Database.Dialect.SQLITE;
        String privateText = "%1$s.kind = " + TEXT + " AND %1$s.recipient_id IS NOT NULL";
        String groupText = "%1$s.kind = " + TEXT + " AND %1$s.group_id IS NOT NULL";
        return List.of(
                trigger(sqlite, "unread_private_delete", "AFTER DELETE ON messages", privateText.formatted("OLD"), """
                        UPDATE unread_counts SET unread = unread - 1
                        WHERE user_id = OLD.recipient_id AND conversation = CONCAT('u', OLD.sender_id)
                          AND %s AND OLD.id > %s""".formatted(privateText.formatted("OLD"), MARK.formatted("OLD"))),
                trigger(sqlite, "unread_group_delete", "AFTER DELETE ON messages", groupText.formatted("OLD"), """
                        UPDATE unread_counts SET unread = unread - 1
                        WHERE conversation = CONCAT('g', OLD.group_id) AND %s
                          AND user_id IN (%s)""".formatted(groupText.formatted("OLD"), MEMBERS.formatted("OLD"))),
                trigger(sqlite, "unread_member_insert", "AFTER INSERT ON group_members", null, """
                        REPLACE INTO unread_counts (user_id, conversation, unread)
                        SELECT NEW.user_id, CONCAT('g', NEW.group_id), (%s)%s""".formatted(
                        GROUP_COUNT.formatted("NEW.user_id", "NEW.group_id", TEXT), sqlite ? "" : " FROM DUAL")),
                trigger(sqlite, "unread_member_delete", "AFTER DELETE ON group_members", null, """
                        DELETE FROM unread_counts WHERE user_id = OLD.user_id AND conversation = CONCAT('g', OLD.group_id)"""));
    }

    /**
     * One trigger whose body runs only {@code when} (null: always): SQLite's WHEN, MySQL's IF, so
     * that the event rows (a 500-member group's join stores 500) cost a test each, not a query.
     * The bodies' WHERE says it again: SQLite's upsert after a SELECT needs a WHERE to parse.
     */
    private static String trigger(boolean sqlite, String name, String event, String when, String body) {
        String head = "CREATE TRIGGER IF NOT EXISTS " + name + " " + event + " FOR EACH ROW";
        if (sqlite) {
            return head + (when == null ? "" : " WHEN " + when) + "\nBEGIN\n" + body + ";\nEND";
        }
        return when == null ? head + "\n" + body : head + "\nBEGIN\nIF " + when + " THEN\n" + body + ";\nEND IF;\nEND";
    }
}
