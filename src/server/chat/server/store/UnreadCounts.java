package chat.server.store;

import static chat.server.store.Rows.TEXT;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
 *
 * <p>That is for one writer ({@link #forWriters}: SQLite, whose one write lock makes every writer
 * the one, or a single server on MySQL). Several writers on one MySQL database (cluster nodes)
 * break the argument: a transaction can hold a lower id and commit after another node committed a
 * higher one and moved a read mark or a join point above it. Their counts follow
 * {@link SeveralWriters}'s rule instead.
 */
public final class UnreadCounts {

    /** The read mark of NEW's or OLD's conversation, for a trigger; 0 when there is none. */
    private static final String MARK = """
            COALESCE((SELECT rm.last_read_id FROM read_marks rm
                      WHERE rm.user_id = %1$s.recipient_id AND rm.conversation = CONCAT('u', %1$s.sender_id)), 0)""";

    /** The members of a text's group (NEW, OLD, or a row of its own) to whom it is unread: not the sender, joined before it, mark below it. */
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

    /** A row of {@code unread_counts}: its key. */
    private record Key(long userId, String conversation) {}

    /** The private texts one piece of the writer's work stored, counted by {@link #store}. */
    interface Texts {
        /** Text {@code id} from {@code senderId} to {@code recipientId} was stored. */
        void privateText(long recipientId, long senderId, long id);

        /** Adds what the texts count to {@code unread_counts}, in {@code c}'s transaction. */
        void store(Connection c) throws SQLException;
    }

    /** What the store code does to the counts when it stores a text or moves a read mark. */
    interface Keeper {
        /** Counts private texts, one piece of work's at a time. */
        Texts texts();

        /** Group text {@code id} from {@code senderId} was stored: counts it for the members. */
        void groupText(Connection c, long groupId, long senderId, long id) throws SQLException;

        /** First in the transaction that moves a read mark, before it reads anything. */
        void markMoving(Connection c, long userId, String conversation) throws SQLException;
    }

    /**
     * The store code's counting for one writer (see the class comment), or for several: cluster
     * mode ({@code shared}) on MySQL. SQLite's writers are always one at a time.
     */
    static Keeper forWriters(Database.Dialect dialect, boolean shared) {
        return shared && dialect == Database.Dialect.MYSQL ? new SeveralWriters(dialect) : new Keeper() {
            @Override
            public Texts texts() {
                return new Tally(dialect);
            }

            @Override
            public void groupText(Connection c, long groupId, long senderId, long id) throws SQLException {
                UnreadCounts.groupText(c, dialect, groupId, senderId);
            }

            @Override
            public void markMoving(Connection c, long userId, String conversation) {
                // one writer: nothing stored meanwhile
            }
        };
    }

    /**
     * The texts one piece of the writer's work stored, counted per (user, conversation) in Java and
     * written with one upsert each ({@link #store}), as one JDBC batch (on MySQL one multi-row
     * statement): a batch of 256 MSGs between 256 pairs is 256 rows in one statement, and 256
     * MSGs in one conversation are one row +256. Public for the bench, whose database ceiling
     * ({@code chat-bench stored}) stores its rows with the same statements.
     */
    public static final class Tally implements Texts {
        private final String upsert;
        private final Map<Key, long[]> added = new LinkedHashMap<>();

        public Tally(Database.Dialect dialect) {
            this.upsert = "INSERT INTO unread_counts (user_id, conversation, unread) VALUES (?, ?, ?) "
                    + (dialect == Database.Dialect.SQLITE
                            ? "ON CONFLICT (user_id, conversation) DO UPDATE SET unread = unread + excluded.unread"
                            : "ON DUPLICATE KEY UPDATE unread = unread + VALUES(unread)");
        }

        /** A private text from {@code senderId} to {@code recipientId} was stored. */
        public void privateText(long recipientId, long senderId) {
            add(new Key(recipientId, Rows.conversation(false, senderId)), 1);
        }

        /** One writer: every new id is above the read mark, so the id is not looked at. */
        @Override
        public void privateText(long recipientId, long senderId, long id) {
            privateText(recipientId, senderId);
        }

        private void add(Key key, long n) {
            if (n > 0) {
                added.computeIfAbsent(key, k -> new long[1])[0] += n;
            }
        }

        /** Adds the counts to {@code unread_counts}, in {@code c}'s transaction, and starts again from none. */
        @Override
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

    /**
     * The counts with several writers (cluster nodes on one MySQL database). A text counts where
     * its id is above the read mark and, in a group, above the member's join point, as they are
     * when the count is written: the old insert triggers' conditions ({@link #MARK}, {@link
     * #MEMBERS}). What orders a count against a mark is the (user, conversation)'s row of
     * {@code unread_counts}, taken as a lock:
     * <ul>
     *   <li>a text's transaction locks its rows (creating a missing one at 0) before it reads any
     *       mark, and reads the marks in a statement after that one (READ COMMITTED: each statement
     *       sees what is committed when it begins);
     *   <li>a read mark moves only in a transaction that locked its row first ({@link
     *       #markMoving}), and counts the row again ({@link #recount}) in a statement after.
     * </ul>
     * So whichever comes second sees the first's work whole. A text counted after a mark moved is
     * tested against the new mark: a lower id that commits late, below a mark another node set
     * above it, is not counted. A mark that moves after a text was counted waits for the text's
     * commit and counts it again with it. The lock is a statement of its own, before the reads:
     * a statement that waits for a row lock may have read the other tables as it began, before
     * the lock was let go (the recount by one UPDATE did: it left out a text committed while it
     * waited, {@code UnreadWritersTest}), and an upsert that read the mark in the same statement
     * could test against a mark already moved.
     *
     * <p>A group's members are ordered by the group's row: a join, a leave and DISBAND lock it
     * ({@code GroupStore.lockGroup}), and a group text takes it shared before it reads who the
     * members are. A join that came first is seen with its join point (the newest id committed
     * when it joined: the text counts for the member if its id is above); a join that comes
     * second waits for the text's commit, so that its join point is at or above the text's id,
     * and its count (the join trigger's) has it. Locking the members' rows alone would not do:
     * READ COMMITTED locks no gap, so a member inserted meanwhile would not be waited for.
     *
     * <p>What it costs the cluster's writers (one writer pays nothing): a private piece of work
     * is three statements where it was one (lock the rows, read the marks, add), a group text
     * three (lock the group, lock the rows, add) where it was one, and a read mark one more.
     */
    static final class SeveralWriters implements Keeper {
        /** Locks a row, creating it at 0 when there is none: an upsert that changes nothing. */
        private static final String LOCK_ROW = """
                INSERT INTO unread_counts (user_id, conversation, unread) VALUES (?, ?, 0)
                ON DUPLICATE KEY UPDATE unread = unread""";

        /**
         * The rows of a group text's members, its sender's too, in key order, as {@link #LOCK_ROW}:
         * every text of the group locks the same rows in the same order, so that two writers wait
         * for each other and never deadlock ({@code UnreadLockOrderTest}; the sender is left out of
         * the count by {@link #COUNT_GROUP_TEXT}).
         */
        private static final String LOCK_MEMBER_ROWS = """
                INSERT INTO unread_counts (user_id, conversation, unread)
                SELECT gm.user_id, ?, 0 FROM group_members gm WHERE gm.group_id = ?
                ORDER BY gm.user_id
                ON DUPLICATE KEY UPDATE unread = unread""";

        /** Adds a group text to the members' rows where it is unread: the text is {@code t} (id, group, sender). */
        private static final String COUNT_GROUP_TEXT = """
                UPDATE unread_counts uc
                JOIN (SELECT ? AS id, ? AS group_id, ? AS sender_id) t ON uc.conversation = CONCAT('g', t.group_id)
                SET uc.unread = uc.unread + 1
                WHERE uc.user_id IN (%s)""".formatted(MEMBERS.formatted("t"));

        /** Rows locked in one order by every writer, so that two nodes' pieces do not deadlock on them. */
        private static final Comparator<Key> KEY_ORDER = Comparator.comparingLong(Key::userId)
                .thenComparing(Key::conversation);

        private final Database.Dialect dialect;

        SeveralWriters(Database.Dialect dialect) {
            this.dialect = dialect;
        }

        @Override
        public Texts texts() {
            return new Texts() {
                private final Map<Key, List<Long>> ids = new TreeMap<>(KEY_ORDER);

                @Override
                public void privateText(long recipientId, long senderId, long id) {
                    ids.computeIfAbsent(new Key(recipientId, Rows.conversation(false, senderId)), k -> new ArrayList<>())
                            .add(id);
                }

                @Override
                public void store(Connection c) throws SQLException {
                    if (ids.isEmpty()) {
                        return;
                    }
                    List<Object[]> keys = new ArrayList<>(ids.size());
                    ids.keySet().forEach(k -> keys.add(new Object[] {k.userId(), k.conversation()}));
                    Sql.updateAll(c, LOCK_ROW, keys);
                    Map<Key, Long> marks = marks(c, keys);
                    var tally = new Tally(dialect);
                    ids.forEach((k, texts) -> {
                        long mark = marks.getOrDefault(k, 0L);
                        tally.add(k, texts.stream().filter(id -> id > mark).count());
                    });
                    ids.clear();
                    tally.store(c);
                }
            };
        }

        @Override
        public void groupText(Connection c, long groupId, long senderId, long id) throws SQLException {
            // Each its own statement, in this order: the members read after the group's lock, the
            // marks and join points after the rows' (see above).
            Sql.exists(c, "SELECT 1 FROM chat_groups WHERE id = ? LOCK IN SHARE MODE", groupId);
            Sql.update(c, LOCK_MEMBER_ROWS, Rows.conversation(true, groupId), groupId);
            Sql.update(c, COUNT_GROUP_TEXT, id, groupId, senderId);
        }

        @Override
        public void markMoving(Connection c, long userId, String conversation) throws SQLException {
            Sql.update(c, LOCK_ROW, userId, conversation);
        }

        /** The read marks of these (user, conversation) keys that have one: one SELECT. */
        private static Map<Key, Long> marks(Connection c, List<Object[]> keys) throws SQLException {
            var in = Sql.PairList.of(keys);
            Map<Key, Long> marks = new HashMap<>();
            for (Object[] m : Sql.list(c, "SELECT user_id, conversation, last_read_id FROM read_marks "
                    + "WHERE (user_id, conversation) IN " + in.sql(),
                    rs -> new Object[] {rs.getLong(1), rs.getString(2), rs.getLong(3)}, in.params())) {
                marks.put(new Key((Long) m[0], (String) m[1]), (Long) m[2]);
            }
            return marks;
        }
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
