package chat.server.store;

import static chat.server.store.Rows.CHAT_KINDS;
import static chat.server.store.Rows.MESSAGE_COLUMNS;
import static chat.server.store.Rows.MESSAGE_JOINS;
import static chat.server.store.Rows.MESSAGE_SELECT;

import chat.server.store.Store.Message;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * transaction; the writer runs it when idle ({@link Workers}). A search reads the index
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
 * no ngram parser), so there the index is a table of postings (schema version 5),
 * {@code search_grams}: one row per trigram and block of {@link #BLOCK} consecutive message ids,
 * its {@code bits} saying which messages of the block hold the trigram (bit {@code id % 64}). A
 * trigram is three characters of {@code LOWER(body)} as the database folds it (the indexer reads
 * the folded text from the database, and a search asks it to fold its text, so both sides fold
 * alike), kept as their UTF-8 bytes. The same mark and the same idle writer fill it, but whole
 * blocks only: a block is indexed once an id at or past its end exists, so every row is written
 * once, by a plain INSERT, and the mark always ends a block; the at most 63 messages of the
 * newest block are the scanned tail. One row per trigram and block rather than per message: the
 * messages of a block share most of their trigrams (a common word's), so the table holds a
 * fraction of the rows a posting per message would. A search ({@link #searchGrams}) asks which
 * blocks hold every one of a few of the text's trigrams, rarest first, newest first, and the
 * AND of their bits; the messages those bits name are then checked with the scan's condition, so
 * the answer is exactly the scan's. A deleted message's bits are cleared by a trigger (a row left
 * with none is deleted), when it was indexed.
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

    /**
     * MySQL: the messages with ids among {@code m.id IN (...)} that meet the condition, newest
     * first: the candidates {@link #blocks} named, checked. Parameters: user, user, user, text,
     * the ids (as many as the IN list has marks), limit.
     */
    static String checked(int ids) {
        return MESSAGE_COLUMNS + MINE_AND_HOLDING.replace("ORDER BY m.id DESC",
                "AND m.id IN (" + Sql.marks(ids) + ")\nORDER BY m.id DESC");
    }

    /** Message ids a row of search_grams covers: the bits of a BIGINT. */
    static final int BLOCK = 64;

    /** The most trigrams a search intersects: the rarest of those it estimated. */
    static final int JOINED = 4;

    /** The most trigrams whose blocks a search counts to find the rarest. */
    static final int ESTIMATED = 16;

    /** A trigram's blocks are counted up to this: past it, it is common, and which one is rarer matters little. */
    static final int COUNT_CAP = 1000;

    /**
     * MySQL: the blocks below a bound (newest first) that hold all of {@code grams} trigrams, with the
     * AND of their bits when not 0, the first trigram's rows read in key order and each other's
     * looked up by its primary key, in that order (STRAIGHT_JOIN: the first is the rarest).
     * Parameters: each trigram after the first, the first, the bound (exclusive), limit.
     */
    static String blocks(int grams) {
        var sql = new StringBuilder("SELECT STRAIGHT_JOIN g0.block, CAST(g0.bits");
        for (int i = 1; i < grams; i++) {
            sql.append(" & g").append(i).append(".bits");
        }
        sql.append(" AS SIGNED) AS hits\nFROM search_grams g0");
        for (int i = 1; i < grams; i++) {
            sql.append("\nJOIN search_grams g").append(i).append(" ON g").append(i).append(".gram = ? AND g")
                    .append(i).append(".block = g0.block");
        }
        sql.append("\nWHERE g0.gram = ? AND g0.block < ?");
        if (grams > 1) {
            sql.append(" AND (g0.bits");
            for (int i = 1; i < grams; i++) {
                sql.append(" & g").append(i).append(".bits");
            }
            sql.append(") <> 0");
        }
        return sql.append("\nORDER BY g0.block DESC\nLIMIT ?").toString();
    }

    /**
     * MySQL: how many blocks below a bound each of {@code grams} trigrams has, each counted up to
     * {@link #COUNT_CAP} (a range of the primary key). Parameters: per trigram, the trigram and the
     * bound. Rows: the trigram's place, its count.
     */
    static String counts(int grams) {
        var sql = new StringBuilder();
        for (int i = 0; i < grams; i++) {
            sql.append(i == 0 ? "" : "\nUNION ALL\n").append("SELECT ").append(i)
                    .append(", COUNT(*) FROM (SELECT 1 FROM search_grams WHERE gram = ? AND block < ? LIMIT ")
                    .append(COUNT_CAP).append(") c").append(i);
        }
        return sql.toString();
    }

    /** The version 4 step's objects, by name, for the migration's checks. */
    static final List<String> OBJECTS = List.of("messages_fts", "search_mark");

    private SearchIndex() {}

    /**
     * Whether a search for {@code text} goes through the index on {@code dialect}: three characters
     * or more. On SQLite a text with a NUL does not: FTS5's query parser ends a phrase there
     * ({@code SEARCH:\0hello} was {@code internal}), so it is scanned, as before the index. MySQL's
     * trigrams are bytes, a NUL one more character.
     */
    static boolean indexed(Database.Dialect dialect, String text) {
        return text.codePointCount(0, text.length()) >= MIN_INDEXED
                && (dialect == Database.Dialect.MYSQL || text.indexOf('\0') < 0);
    }

    /** {@code text} as one FTS5 phrase: in double quotes, each of its own doubled; nothing else is special. */
    static String phrase(String text) {
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    /** The highest message id the index has passed (on MySQL the last id of a block, or 0). */
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

    // MySQL/MariaDB: the trigram postings (schema version 5).

    /**
     * Version 5's search objects on MySQL: the postings, the mark (at 0: nothing indexed; the idle
     * writer fills the index, and searches scan what it has not reached) and the trigger that clears
     * a deleted message's bits. Nothing on SQLite (its index came with version 4). Each statement
     * only creates what is missing, so a step cut short runs again.
     */
    static void createGrams(Statement s, Database.Dialect dialect) throws SQLException {
        if (dialect != Database.Dialect.MYSQL) {
            return;
        }
        for (String sql : GRAMS_OBJECTS) {
            s.execute(sql);
        }
    }

    /** {@link #createGrams}'s statements. */
    private static final List<String> GRAMS_OBJECTS = List.of("""
            CREATE TABLE IF NOT EXISTS search_grams (
                gram  VARBINARY(12) NOT NULL,
                block BIGINT        NOT NULL,
                bits  BIGINT        NOT NULL,
                PRIMARY KEY (gram, block)
            ) ENGINE=InnoDB""", """
            CREATE TABLE IF NOT EXISTS search_mark (
                upto BIGINT NOT NULL
            ) ENGINE=InnoDB""",
            "INSERT INTO search_mark (upto) SELECT 0 FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM search_mark)",
            // A local variable named as a column would shadow it in the statements: g, i, folded.
            """
            CREATE TRIGGER IF NOT EXISTS search_grams_delete AFTER DELETE ON messages FOR EACH ROW
            BEGIN
                DECLARE folded LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
                DECLARE g VARBINARY(12);
                DECLARE i INT DEFAULT 1;
                IF OLD.kind IN %s AND OLD.id <= (SELECT upto FROM search_mark) THEN
                    SET folded = LOWER(OLD.body);
                    WHILE i <= CHAR_LENGTH(folded) - 2 DO
                        SET g = CAST(SUBSTRING(folded, i, 3) AS BINARY);
                        UPDATE search_grams SET bits = CAST(bits & ~(1 << (OLD.id & %2$d)) AS SIGNED)
                        WHERE gram = g AND block = OLD.id DIV %3$d;
                        DELETE FROM search_grams WHERE gram = g AND block = OLD.id DIV %3$d AND bits = 0;
                        SET i = i + 1;
                    END WHILE;
                END IF;
            END""".formatted(CHAT_KINDS, BLOCK - 1, BLOCK));

    /** The distinct trigrams of an already folded text, in order, as UTF-8 bytes; none under three characters. */
    static List<byte[]> grams(String folded) {
        int[] points = folded.codePoints().toArray();
        Set<String> distinct = new LinkedHashSet<>();
        for (int i = 0; i + MIN_INDEXED <= points.length; i++) {
            distinct.add(new String(points, i, MIN_INDEXED));
        }
        List<byte[]> out = new ArrayList<>(distinct.size());
        distinct.forEach(g -> out.add(g.getBytes(StandardCharsets.UTF_8)));
        return out;
    }

    /**
     * Inside a transaction on MySQL: indexes the next whole blocks past the mark, at most enough to
     * hold {@code rows} messages, and moves the mark to the last id of the last one. A block is
     * whole once an id at or past its end is stored (ids only grow). Blocks without a message are
     * skipped. The messages are read with shared locks, so that a message another connection
     * inserted in the range and has not committed is waited for rather than missed (the server's
     * own writes come on this thread, between these transactions). Returns whether more whole
     * blocks wait; false too when another writer (a cluster's other node) is indexing now.
     *
     * <p>One indexer at a time: the mark's row is taken for update, and a writer that finds it
     * taken skips this turn ({@code SKIP LOCKED}) rather than index the same blocks again (two
     * nodes' writers did, and the second's INSERT failed on the first's rows, {@code Duplicate
     * entry}, every idle tick). Not waiting for the lock: the indexer runs on the writer, whose
     * own writes would queue behind the other node's batch; not merging the bits by upserts:
     * both nodes would read, fold and write every block, and their batches, in different orders,
     * lock each other's rows.
     */
    static boolean catchUpBlocks(Connection c, int rows) throws SQLException {
        var taken = Sql.first(c, "SELECT upto FROM search_mark FOR UPDATE SKIP LOCKED", rs -> rs.getLong(1));
        if (taken.isEmpty()) {
            return false;
        }
        long mark = taken.get();
        long[] range = Sql.first(c, "SELECT MIN(id), MAX(id) FROM messages WHERE id > ?",
                rs -> new long[] {rs.getLong(1), rs.getLong(2)}, mark).orElseThrow();
        long first = range[0];
        long newest = range[1];
        if (first == 0) {
            return false;
        }
        long from = Math.max((mark + 1) / BLOCK, first / BLOCK);
        long whole = (newest + 1) / BLOCK; // the blocks below this one are whole
        long blocks = Math.min((rows + BLOCK - 1) / BLOCK, whole - from);
        if (blocks <= 0) {
            return false;
        }
        long lo = from * BLOCK;
        long hi = (from + blocks) * BLOCK - 1;
        Map<Posting, Long> bits = new HashMap<>();
        try (var ps = c.prepareStatement("SELECT id, LOWER(body) FROM messages WHERE id >= ? AND id <= ? AND kind IN "
                + CHAT_KINDS + " LOCK IN SHARE MODE")) {
            Sql.bind(ps, lo, hi);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    for (byte[] gram : grams(rs.getString(2))) {
                        bits.merge(new Posting(gram, id / BLOCK), 1L << (id % BLOCK), (a, b) -> a | b);
                    }
                }
            }
        }
        if (!bits.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO search_grams (gram, block, bits) VALUES (?, ?, ?)")) {
                for (var e : bits.entrySet()) {
                    ps.setBytes(1, e.getKey().gram());
                    ps.setLong(2, e.getKey().block());
                    ps.setLong(3, e.getValue());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        Sql.update(c, "UPDATE search_mark SET upto = ?", hi);
        return from + blocks < whole;
    }

    /** A row's key in search_grams: a trigram's bytes and a block (records compare arrays by identity). */
    private record Posting(byte[] gram, long block) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Posting p && p.block == block && Arrays.equals(p.gram, gram);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(gram) * 31 + Long.hashCode(block);
        }
    }

    /**
     * Blocks a search's first round asks for (those holding all its trigrams: each names at least
     * one candidate, so a rare text's are all in the first round); each next round four times
     * more, up to {@link #MAX_ROUND}.
     */
    private static final int FIRST_ROUND = 64;
    private static final int MAX_ROUND = 1024;
    /** Candidate ids checked by one statement. */
    private static final int CHECK_CHUNK = 256;

    /**
     * On MySQL: the messages up to {@code mark} that hold {@code text} (whose folded form is
     * {@code folded}, three characters or more) and meet the scan's condition, newest first, at most
     * {@code limit}. Finds the rarest few of the text's trigrams ({@link #counts}, at most
     * {@link #ESTIMATED} of them, evenly spread), then walks the blocks that hold them all, newest
     * first, a round of blocks at a time ({@link #blocks}), and checks the messages their bits
     * name ({@link #checked}) until the limit is reached or no block is left.
     */
    static List<Message> searchGrams(Connection c, long userId, String text, String folded, long mark, int limit)
            throws SQLException {
        List<Message> found = new ArrayList<>();
        long below = (mark + 1) / BLOCK; // the blocks below this one are indexed
        List<byte[]> grams = rarest(c, grams(folded), below);
        if (grams.isEmpty() || limit == 0) {
            return found;
        }
        String blocks = blocks(grams.size());
        int round = FIRST_ROUND;
        while (found.size() < limit && below > 0) {
            Object[] params = new Object[grams.size() + 2];
            for (int i = 1; i < grams.size(); i++) {
                params[i - 1] = grams.get(i);
            }
            params[grams.size() - 1] = grams.get(0);
            params[grams.size()] = below;
            params[grams.size() + 1] = round;
            List<long[]> hits = Sql.list(c, blocks, rs -> new long[] {rs.getLong(1), rs.getLong(2)}, params);
            List<Long> candidates = new ArrayList<>();
            for (long[] hit : hits) {
                for (int bit = BLOCK - 1; bit >= 0; bit--) {
                    if ((hit[1] & (1L << bit)) != 0) {
                        candidates.add(hit[0] * BLOCK + bit);
                    }
                }
            }
            for (int from = 0; from < candidates.size() && found.size() < limit; from += CHECK_CHUNK) {
                Object[] ids = Sql.inList(candidates.subList(from, Math.min(candidates.size(), from + CHECK_CHUNK)));
                found.addAll(Sql.list(c, checked(ids.length), Rows::message,
                        Sql.params(userId, userId, userId, text, ids, limit - found.size())));
            }
            if (hits.size() < round) {
                break;
            }
            below = hits.get(hits.size() - 1)[0];
            round = Math.min(MAX_ROUND, round * 4);
        }
        return found;
    }

    /**
     * The {@link #JOINED} trigrams of {@code grams} with the fewest blocks below {@code below}, rarest
     * first, counted for at most {@link #ESTIMATED} of them spread over the text (any of them narrows
     * the search as well as all; the check makes the answer exact).
     */
    private static List<byte[]> rarest(Connection c, List<byte[]> grams, long below) throws SQLException {
        List<byte[]> sample = new ArrayList<>();
        for (int i = 0; i < Math.min(grams.size(), ESTIMATED); i++) {
            sample.add(grams.get(grams.size() <= ESTIMATED ? i : (int) ((long) i * (grams.size() - 1) / (ESTIMATED - 1))));
        }
        if (sample.size() == 1) {
            return sample;
        }
        Object[] params = new Object[sample.size() * 2];
        for (int i = 0; i < sample.size(); i++) {
            params[2 * i] = sample.get(i);
            params[2 * i + 1] = below;
        }
        long[] counts = new long[sample.size()];
        for (long[] row : Sql.list(c, counts(sample.size()), rs -> new long[] {rs.getLong(1), rs.getLong(2)}, params)) {
            counts[(int) row[0]] = row[1];
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < sample.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingLong(i -> counts[i]));
        List<byte[]> out = new ArrayList<>();
        for (int i : order.subList(0, Math.min(JOINED, order.size()))) {
            out.add(sample.get(i));
        }
        return out;
    }
}
