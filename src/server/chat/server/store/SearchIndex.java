package chat.server.store;

import static chat.server.store.Rows.CHAT_KINDS;
import static chat.server.store.Rows.MESSAGE_COLUMNS;
import static chat.server.store.Rows.MESSAGE_JOINS;
import static chat.server.store.Rows.MESSAGE_SELECT;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * SEARCH's index: which messages may hold a text, so that a search reads those instead of every
 * message. On SQLite it is {@code messages_fts}, an FTS5 table with the trigram tokenizer over the
 * bodies of text and file offers (contentless: it holds the index only, the text stays in
 * {@code messages}), kept by triggers on {@code messages}. A text of three or more characters is
 * found through it; a shorter one has no trigram and is looked for as before, by reading messages
 * newest first until the limit is reached (see {@link #SCAN}).
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
     * The rows of messages_fts that hold every trigram of the text, newest first, each checked as
     * the scan checks a row. Parameters: user, the FTS5 phrase ({@link #phrase}), user, user,
     * text, limit.
     */
    static final String INDEXED = MESSAGE_SELECT + """
            FROM messages_fts hit
            JOIN messages m ON m.id = hit.rowid
            """ + MESSAGE_JOINS + MINE_AND_HOLDING.replace("WHERE m.kind", "WHERE hit.messages_fts MATCH ? AND m.kind")
            .replace("ORDER BY m.id DESC", "ORDER BY hit.rowid DESC");

    /** The version 4 step's objects, by name, for the migration's checks. */
    static final List<String> OBJECTS = List.of("messages_fts");

    private SearchIndex() {}

    /** Whether a search for {@code text} goes through the index on {@code dialect}. */
    static boolean indexed(Database.Dialect dialect, String text) {
        return dialect == Database.Dialect.SQLITE && text.codePointCount(0, text.length()) >= MIN_INDEXED;
    }

    /** {@code text} as one FTS5 phrase: in double quotes, each of its own doubled; nothing else is special. */
    static String phrase(String text) {
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    /** The index and its triggers (nothing on MySQL), for a new database or a migrated one. */
    static void create(Statement s, Database.Dialect dialect) throws SQLException {
        if (dialect != Database.Dialect.SQLITE) {
            return;
        }
        s.execute("""
                CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5(
                    body, content='', contentless_delete=1, tokenize='trigram case_sensitive 0')""");
        s.execute("""
                CREATE TRIGGER IF NOT EXISTS messages_fts_insert AFTER INSERT ON messages FOR EACH ROW
                WHEN NEW.kind IN %s
                BEGIN
                    INSERT INTO messages_fts (rowid, body) VALUES (NEW.id, NEW.body);
                END""".formatted(CHAT_KINDS));
        s.execute("""
                CREATE TRIGGER IF NOT EXISTS messages_fts_delete AFTER DELETE ON messages FOR EACH ROW
                WHEN OLD.kind IN %s
                BEGIN
                    DELETE FROM messages_fts WHERE rowid = OLD.id;
                END""".formatted(CHAT_KINDS));
    }

    /** Indexes the messages a database of version 3 holds (SQLite: one transaction with {@link #create}). */
    static void backfill(Statement s, Database.Dialect dialect) throws SQLException {
        if (dialect == Database.Dialect.SQLITE) {
            s.executeUpdate("INSERT INTO messages_fts (rowid, body) SELECT id, body FROM messages WHERE kind IN "
                    + CHAT_KINDS);
        }
    }
}
