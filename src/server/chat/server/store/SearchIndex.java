package chat.server.store;

import static chat.server.store.Rows.CHAT_KINDS;
import static chat.server.store.Rows.MESSAGE_COLUMNS;
import static chat.server.store.Rows.MESSAGE_JOINS;
import static chat.server.store.Rows.MESSAGE_SELECT;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * SEARCH's index: which messages may hold a text, so that a search reads those instead of every
 * message. On SQLite it is {@code messages_fts}, an FTS5 table with the trigram tokenizer over the
 * bodies of text and file offers (contentless: it holds the index only, the text stays in
 * {@code messages}). A text of three or more characters is found through it; a shorter one has no
 * trigram and is looked for as before, by reading messages newest first until the limit is reached
 * (see {@link #SCAN}).
 *
 * <p>The index follows the writer instead of riding in its transactions: tokenizing a body costs
 * about one index row per character, which inside every insert halved the writer's ceiling. The
 * one row of {@code search_mark} holds {@code upto}: every text with an id up to it is indexed,
 * none after it. {@link #catchUp} indexes the next messages past the mark and moves it, in one
 * transaction; the writer runs it when no write waits ({@link Workers}). A search reads the index
 * for the messages up to the mark and scans those after it ({@link #TAIL}, few when the writer has
 * been idle), so its answer never depends on how far the index has come. The mark never passes a
 * message that could still come: SQLite gives each new row an id above every id ever given (the
 * key is AUTOINCREMENT, so a deleted newest id never comes back) under its one write lock, and the
 * indexer's transaction takes that lock when it begins ({@code BEGIN IMMEDIATE}), so it sees every
 * message committed and none can be inserted below the newest it reads, whoever inserts (the
 * writer, or the bench by JDBC). A deleted message (retention, DISBAND) leaves the index by a
 * trigger, when it was indexed; deletes are not the hot path.
 *
 * <p>The index only narrows: every row it gives is checked with the very condition the scan uses,
 * so a search returns what the scan returns. That holds because the index never leaves out a row
 * the condition takes: the tokenizer folds case character by character (all of Unicode), which
 * makes equal every pair of characters the condition's ASCII folding makes equal, and more (it
 * also finds "é" for "É", which the condition then turns away on SQLite, as before).
 *
 * <p>MySQL/MariaDB has no trigram index (InnoDB's FULLTEXT parsers split words, and MariaDB has
 * no ngram parser), so there every search is the scan.
 */
final class SearchIndex {

    /** The fewest characters (code points) a trigram index can look up. */
    static final int MIN_INDEXED = 3;

    /**
     * The condition a message must meet, whichever way it was found: one of mine and holding the
     * text. Case is ignored for ASCII letters on both databases. SQLite's LOWER folds only ASCII,
     * while MySQL's folds all of Unicode, so "É" finds "é" on MySQL only; letters without case
     * (Chinese) match exactly on both. Parameters: user (the join), user, user, text, limit.
     */
    private static final String MINE_AND_HOLDING = """
            LEFT JOIN group_members me ON me.group_id = m.group_id AND me.user_id = ?
            WHERE m.kind IN %s
              AND (m.recipient_id = ?
                   OR (m.sender_id = ? AND m.recipient_id IS NOT NULL)
                   OR m.id > me.first_msg_id)
              AND INSTR(LOWER(m.body), LOWER(?)) > 0
            ORDER BY m.id DESC
            LIMIT ?""".formatted(CHAT_KINDS);

    /**
     * Every message read newest first (a substring has no index) until the limit: the outer join
     * on my membership costs one primary-key lookup per group message read. A common text stops
     * early; a rare one reads the whole table. Parameters: user, user, user, text, limit.
     */
    static final String SCAN = MESSAGE_COLUMNS + MINE_AND_HOLDING;

    /**
     * The scan of the messages after the mark only, newest first: a range of the primary key.
     * Parameters: user, user, user, text, the mark, limit.
     */
    static final String TAIL = MESSAGE_COLUMNS + MINE_AND_HOLDING.replace("ORDER BY m.id DESC",
            "AND m.id > ?\nORDER BY m.id DESC");

    /**
     * The rows of messages_fts up to the mark that hold every trigram of the text, newest first,
     * each checked as the scan checks a row. Parameters: user, the FTS5 phrase ({@link #phrase}),
     * user, user, text, the mark, limit.
     */
    static final String INDEXED = MESSAGE_SELECT + """
            FROM messages_fts hit
            JOIN messages m ON m.id = hit.rowid
            """ + MESSAGE_JOINS + MINE_AND_HOLDING.replace("WHERE m.kind", "WHERE hit.messages_fts MATCH ? AND m.kind")
            .replace("ORDER BY m.id DESC", "AND hit.rowid <= ?\nORDER BY hit.rowid DESC");

    /** The version 4 step's objects, by name, for the migration's checks. */
    static final List<String> OBJECTS = List.of("messages_fts", "search_mark");

    private SearchIndex() {}

    /**
     * Whether a search for {@code text} goes through the index on {@code dialect}. A text with a NUL
     * does not: FTS5's query parser ends a phrase there ({@code SEARCH:\0hello} was {@code internal}),
     * so it is scanned, as before the index.
     */
    static boolean indexed(Database.Dialect dialect, String text) {
        return dialect == Database.Dialect.SQLITE && text.codePointCount(0, text.length()) >= MIN_INDEXED
                && text.indexOf('\0') < 0;
    }

    /** {@code text} as one FTS5 phrase: in double quotes, each of its own doubled; nothing else is special. */
    static String phrase(String text) {
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    /** The highest message id the index has passed (SQLite only). */
    static long mark(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT upto FROM search_mark")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /**
     * Inside a transaction on SQLite: indexes the texts among the next {@code rows} messages past
     * the mark and moves the mark past them. Returns whether it took {@code rows} messages (more may
     * wait); false when it found none (caught up) or fewer.
     */
    static boolean catchUp(Connection c, int rows) throws SQLException {
        long from = mark(c);
        long upto;
        int taken;
        try (var ps = c.prepareStatement(
                "SELECT MAX(id), COUNT(*) FROM (SELECT id FROM messages WHERE id > ? ORDER BY id LIMIT ?)")) {
            Sql.bind(ps, from, rows);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                upto = rs.getLong(1);
                taken = rs.getInt(2);
            }
        }
        if (taken == 0) {
            return false;
        }
        try (var ps = c.prepareStatement("INSERT INTO messages_fts (rowid, body) SELECT id, body FROM messages"
                + " WHERE id > ? AND id <= ? AND kind IN " + CHAT_KINDS)) {
            Sql.bind(ps, from, upto);
            ps.executeUpdate();
        }
        try (var ps = c.prepareStatement("UPDATE search_mark SET upto = ?")) {
            Sql.bind(ps, upto);
            ps.executeUpdate();
        }
        return taken == rows;
    }

    /**
     * The index, its mark (at 0: nothing indexed) and the trigger that takes deleted messages out
     * of it (nothing on MySQL), for a new database or a migrated one.
     */
    static void create(Statement s, Database.Dialect dialect) throws SQLException {
        if (dialect != Database.Dialect.SQLITE) {
            return;
        }
        s.execute("""
                CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5(
                    body, content='', contentless_delete=1, tokenize='trigram case_sensitive 0')""");
        s.execute("CREATE TABLE IF NOT EXISTS search_mark (upto INTEGER NOT NULL)");
        s.execute("INSERT INTO search_mark (upto) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM search_mark)");
        s.execute("""
                CREATE TRIGGER IF NOT EXISTS messages_fts_delete AFTER DELETE ON messages FOR EACH ROW
                WHEN OLD.kind IN %s AND OLD.id <= (SELECT upto FROM search_mark)
                BEGIN
                    DELETE FROM messages_fts WHERE rowid = OLD.id;
                END""".formatted(CHAT_KINDS));
    }

    /**
     * Indexes the messages a database of version 3 holds and puts the mark past them, at once (in
     * the migration's one transaction with {@link #create}), so that the first searches read the
     * index rather than scan.
     */
    static void backfill(Statement s, Database.Dialect dialect) throws SQLException {
        if (dialect == Database.Dialect.SQLITE) {
            s.executeUpdate("INSERT INTO messages_fts (rowid, body) SELECT id, body FROM messages WHERE kind IN "
                    + CHAT_KINDS);
            s.executeUpdate("UPDATE search_mark SET upto = (SELECT COALESCE(MAX(id), 0) FROM messages)");
        }
    }
}
