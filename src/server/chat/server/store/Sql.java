package chat.server.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The few JDBC moves every part of the store makes: run a statement with parameters, read its
 * rows into values, tell a taken key from a failure, and check values against the column sizes
 * that MySQL enforces and SQLite ignores (so that both refuse the same values).
 *
 * <p>Parameters are {@code Long}, {@code Integer}, {@code String} or {@code null} (a NULL text).
 */
final class Sql {

    /** The VARCHAR(64) columns: MySQL refuses longer values (strict mode), SQLite would keep them. */
    static final int MAX_NAME = 64;
    static final int MAX_CLIENT_ID = 64;
    static final int MAX_IP = 64;
    static final int MAX_PASSWORD_HASH = 255;
    /** sessions.token_hash: a SHA-256 in hex. */
    static final int TOKEN_HASH_CHARS = 64;
    /** MySQL's TEXT holds 65,535 bytes of UTF-8. */
    static final int MAX_BODY_BYTES = 65_535;

    /** One row of a query's result as a value. */
    @FunctionalInterface
    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** A statement that may find its unique key taken. */
    @FunctionalInterface
    interface Insert<T> {
        T run() throws SQLException;
    }

    private final Database.Dialect dialect;

    Sql(Database.Dialect dialect) {
        this.dialect = dialect;
    }

    /**
     * Runs {@code insert}; {@code taken} when a unique or primary key was already taken. On SQLite
     * the failed statement alone is undone; on InnoDB too (a duplicate key does not end the
     * transaction), so the caller's transaction goes on either way.
     */
    <T> T unlessTaken(Insert<T> insert, T taken) throws SQLException {
        try {
            return insert.run();
        } catch (SQLException e) {
            if (isDuplicateKey(e)) {
                return taken;
            }
            throw e;
        }
    }

    /**
     * Whether {@code e} says a unique key is taken; for a batch, the failure of its row may be the
     * cause of the driver's {@link java.sql.BatchUpdateException}.
     */
    boolean isDuplicateKey(SQLException e) {
        return SqlErrors.isDuplicateKey(dialect, e)
                || e.getCause() instanceof SQLException cause && SqlErrors.isDuplicateKey(dialect, cause);
    }

    /** Runs a query with {@code params} and reads each row into a list. */
    static <T> List<T> list(Connection c, String sql, Row<T> row, Object... params) throws SQLException {
        return with(c, sql, false, ps -> {
            bind(ps, params);
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(row.read(rs));
                }
            }
            return rows;
        });
    }

    /** The first row of a query, if any. */
    static <T> Optional<T> first(Connection c, String sql, Row<T> row, Object... params) throws SQLException {
        return with(c, sql, false, ps -> {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row.read(rs)) : Optional.empty();
            }
        });
    }

    /** The first column of a query's one row as a number; SQL NULL (as from MAX of nothing) is 0. */
    static long number(Connection c, String sql, Object... params) throws SQLException {
        return first(c, sql, rs -> rs.getLong(1), params).orElse(0L);
    }

    static boolean exists(Connection c, String sql, Object... params) throws SQLException {
        return first(c, sql, rs -> Boolean.TRUE, params).isPresent();
    }

    /** Runs an INSERT, UPDATE or DELETE with {@code params}; its row count. */
    static int update(Connection c, String sql, Object... params) throws SQLException {
        return with(c, sql, false, ps -> {
            bind(ps, params);
            return ps.executeUpdate();
        });
    }

    /** SQLite: the key of this connection's last INSERT (Database.open turns the driver's own query off). */
    private static final String LAST_KEY = "SELECT last_insert_rowid()";

    /** Runs an INSERT with {@code params}; the key the database assigned. */
    static long insert(Connection c, String sql, Object... params) throws SQLException {
        long key = insertIfAny(c, sql, params);
        if (key == 0) {
            throw new SQLException("the insert stored no row");
        }
        return key;
    }

    /**
     * Runs an INSERT of at most one row (INSERT ... SELECT) with {@code params}; the key the
     * database assigned, 0 when it stored none.
     */
    static long insertIfAny(Connection c, String sql, Object... params) throws SQLException {
        if (c instanceof org.sqlite.SQLiteConnection) {
            // The connection's own last key (Database.open turns the driver's per-INSERT query off).
            return update(c, sql, params) == 0 ? 0L : number(c, LAST_KEY);
        }
        return with(c, sql, true, ps -> {
            bind(ps, params);
            if (ps.executeUpdate() == 0) {
                return 0L;
            }
            try (ResultSet keys = ps.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("the database returned no generated key");
                }
                return keys.getLong(1);
            }
        });
    }

    /**
     * Runs an INSERT once for each of {@code rows} (each a row's parameters), in order, as one JDBC
     * batch; the keys the database assigned, in the same order. On MySQL the driver sends the batch
     * as one multi-row INSERT ({@code rewriteBatchedStatements}, set by {@link Database#open}): one
     * round trip, with consecutive keys. On SQLite {@link #insertEach}, every row stored. Call it
     * inside a transaction. When a row fails, the rows before it may be stored: the caller undoes
     * them (a savepoint).
     */
    static long[] insertAll(Connection c, String sql, List<Object[]> rows) throws SQLException {
        if (c instanceof org.sqlite.SQLiteConnection) {
            long[] keys = insertEach(c, sql, rows);
            for (long key : keys) {
                if (key == 0) {
                    throw new SQLException("the insert stored no row");
                }
            }
            return keys;
        }
        long[] keys = new long[rows.size()];
        return with(c, sql, true, ps -> {
            for (Object[] row : rows) {
                bind(ps, row);
                ps.addBatch();
            }
            ps.executeBatch();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                for (int i = 0; i < keys.length; i++) {
                    if (!rs.next()) {
                        throw new SQLException("the database returned " + i + " keys for " + keys.length + " rows");
                    }
                    keys[i] = rs.getLong(1);
                }
            }
            return keys;
        });
    }

    /**
     * SQLite only: runs an INSERT once for each of {@code rows}, in order, a statement each (there
     * is no round trip to save); the key each row got, 0 for a row the statement stored nothing for
     * (an {@code ON CONFLICT ... DO NOTHING} whose key was taken). The keys are consecutive: inside
     * a transaction (callers insert a batch in one; it begins IMMEDIATE, so it holds the write lock
     * throughout) no other connection inserts between the rows, and SQLite gives each row the next
     * key, stored or not (in a table with AUTOINCREMENT it counts the key of a row it then leaves
     * out). So the last key is read after the first row stored and after the last only (it was one
     * query a row), and a gap fails the batch. Call it inside a transaction.
     */
    static long[] insertEach(Connection c, String sql, List<Object[]> rows) throws SQLException {
        long[] keys = new long[rows.size()];
        return with(c, sql, false, ps -> with(c, LAST_KEY, false, last -> {
            long base = 0; // the key of row i is base + i
            int lastStored = -1;
            for (int i = 0; i < keys.length; i++) {
                bind(ps, rows.get(i));
                if (ps.executeUpdate() == 0) {
                    continue;
                }
                if (lastStored < 0) {
                    base = lastKey(last) - i;
                }
                keys[i] = base + i;
                lastStored = i;
            }
            if (lastStored >= 0 && lastKey(last) != keys[lastStored]) {
                throw new SQLException("the keys of " + rows.size() + " rows were not consecutive: " + lastKey(last)
                        + " where " + keys[lastStored] + " was due");
            }
            return keys;
        }));
    }

    /**
     * Runs an INSERT, UPDATE or DELETE once for each of {@code rows} (each a row's parameters), in
     * order, as one JDBC batch: on MySQL one round trip (an INSERT batch goes as one multi-row
     * statement, {@code rewriteBatchedStatements}); on SQLite, which has no round trip to save, a
     * statement each.
     */
    static void updateAll(Connection c, String sql, List<Object[]> rows) throws SQLException {
        with(c, sql, false, ps -> {
            if (c instanceof org.sqlite.SQLiteConnection) {
                for (Object[] row : rows) {
                    bind(ps, row);
                    ps.executeUpdate();
                }
                return null;
            }
            for (Object[] row : rows) {
                bind(ps, row);
                ps.addBatch();
            }
            ps.executeBatch();
            return null;
        });
    }

    private static long lastKey(PreparedStatement last) throws SQLException {
        try (ResultSet rs = last.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Work with a prepared statement. */
    @FunctionalInterface
    private interface Use<T> {
        T run(PreparedStatement ps) throws SQLException;
    }

    /**
     * The statements prepared on each connection {@link #keep kept}, by their text: the writer
     * runs the same few statements for every message, and preparing one (SQLite compiles it, with
     * its joins) cost more than running it. Each map is used by its connection's one thread.
     */
    private static final Map<Connection, Statements> KEPT = new ConcurrentHashMap<>();

    /** Statements kept per connection at most; the least recently used is closed (IN lists vary). */
    private static final int KEPT_PER_CONNECTION = 128;

    /** One connection's kept statements, least recently used first; with generated keys apart. */
    private static final class Statements extends LinkedHashMap<String, PreparedStatement> {
        private static final long serialVersionUID = 1L;
        private final transient Statements withKeys;

        Statements(boolean keys) {
            super(16, 0.75f, true);
            this.withKeys = keys ? null : new Statements(true);
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() <= KEPT_PER_CONNECTION) {
                return false;
            }
            closeQuietly(eldest.getValue());
            return true;
        }
    }

    /** From now on {@code c}'s statements are prepared once and kept until {@link #forget}. */
    static void keep(Connection c) {
        KEPT.put(c, new Statements(false));
    }

    /** Stops keeping {@code c}'s statements; closing {@code c} closes them. */
    static void forget(Connection c) {
        KEPT.remove(c);
    }

    /**
     * Runs {@code use} with {@code sql} prepared on {@code c}: the kept statement when {@code c}'s
     * are kept (one that failed is closed and prepared again next time, so no state survives an
     * error), else one prepared for this call alone.
     */
    private static <T> T with(Connection c, String sql, boolean keys, Use<T> use) throws SQLException {
        Statements kept = KEPT.get(c);
        if (kept == null) {
            try (PreparedStatement ps = prepare(c, sql, keys)) {
                return use.run(ps);
            }
        }
        Statements map = keys ? kept.withKeys : kept;
        PreparedStatement ps = map.get(sql);
        if (ps == null) {
            ps = prepare(c, sql, keys);
            map.put(sql, ps);
        }
        try {
            return use.run(ps);
        } catch (SQLException | RuntimeException e) {
            map.remove(sql);
            closeQuietly(ps);
            throw e;
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, boolean keys) throws SQLException {
        return keys ? c.prepareStatement(sql, java.sql.Statement.RETURN_GENERATED_KEYS) : c.prepareStatement(sql);
    }

    private static void closeQuietly(PreparedStatement ps) {
        try {
            ps.close();
        } catch (SQLException e) {
            // Closing the connection closes it too.
        }
    }

    /** Sets {@code params} as the statement's parameters, in order. */
    static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (p instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else if (p instanceof String s) {
                ps.setString(i + 1, s);
            } else if (p instanceof byte[] bytes) {
                ps.setBytes(i + 1, bytes);
            } else if (p == null) {
                ps.setNull(i + 1, Types.VARCHAR);
            } else {
                throw new IllegalArgumentException("unsupported parameter type: " + p.getClass());
            }
        }
    }

    /**
     * Parameters in order, where an {@code Object[]} among them stands for its elements: with
     * {@link #times} the parameters of a query whose branches repeat.
     */
    static Object[] params(Object... parts) {
        List<Object> out = new ArrayList<>();
        for (Object p : parts) {
            if (p instanceof Object[] many) {
                out.addAll(java.util.Arrays.asList(many));
            } else {
                out.add(p);
            }
        }
        return out.toArray();
    }

    /** {@code params} {@code n} times over: the parameters of {@code n} branches that are alike. */
    static Object[] times(int n, Object... params) {
        Object[] out = new Object[n * params.length];
        for (int i = 0; i < n; i++) {
            System.arraycopy(params, 0, out, i * params.length, params.length);
        }
        return out;
    }

    /** {@code n} question marks separated by commas, for an IN list. */
    static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    /**
     * {@code values} as an IN list's parameters, padded with its last value to a power of two: the
     * same few statement texts for lists of every length, so that the kept statements serve them
     * (a repeated value changes nothing in an IN).
     */
    static Object[] inList(java.util.Collection<?> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("an IN list needs a value");
        }
        Object[] out = new Object[Integer.highestOneBit(values.size() * 2 - 1)];
        int i = 0;
        for (Object v : values) {
            out[i++] = v;
        }
        java.util.Arrays.fill(out, i, out.length, out[i - 1]);
        return out;
    }

    /**
     * A row-value IN list of pairs, {@code ((?, ?), (?, ?), ...)}, padded as {@link #inList} pads:
     * its text for after {@code (a, b) IN } and its parameters in order. One primary-key lookup a
     * pair, where two IN lists or ORed pairs were not (MessageStore's friendships).
     */
    record PairList(String sql, Object[] params) {
        static PairList of(java.util.Collection<Object[]> pairs) {
            Object[] padded = inList(pairs);
            Object[] params = new Object[padded.length * 2];
            for (int i = 0; i < padded.length; i++) {
                System.arraycopy((Object[]) padded[i], 0, params, 2 * i, 2);
            }
            return new PairList("(" + String.join(", ", java.util.Collections.nCopies(padded.length, "(?, ?)")) + ")",
                    params);
        }
    }

    static void requireLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
    }

    static void requireChars(String what, String value, int max) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        int length = value.codePointCount(0, value.length());
        if (length > max) {
            throw new IllegalArgumentException(what + " must be at most " + max + " characters: " + length);
        }
    }

    static void requireBytes(String what, String value, int max) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        // Counting is cheaper than encoding, and only a long text can be too long.
        if (value.length() * 3 > max) {
            int bytes = value.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > max) {
                throw new IllegalArgumentException(what + " must be at most " + max + " bytes of UTF-8: " + bytes);
            }
        }
    }
}
