package chat.server.store;

import chat.common.text.Names;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creates the schema ({@code schema.sql}) in an empty database, migrates one of an older version
 * this server knows, and refuses any other: a database written by a newer server is never guessed
 * at.
 *
 * <p>Version 1 to 2 adds two columns to {@code messages}, replaces the message indexes by ones
 * that lead with {@code kind}, and creates what version 2 added (taken from {@code schema.sql}, so
 * that a migrated database and a new one are built by the same statements). On SQLite this is one
 * transaction. MySQL commits each ALTER and CREATE on its own, so there every step first looks
 * whether it is done already: a migration cut short runs again at the next start and finishes.
 *
 * <p>Version 2 to 3 creates the {@code files} table and its indexes, again from {@code schema.sql};
 * the message kind {@code file} it brings needs no change to {@code messages}. A version 1 database
 * goes through both steps.
 *
 * <p>Version 3 to 4 ({@link #migrateFrom3}) adds the name skeletons, the invitation
 * policy, and the {@code group_invites} and {@code blocks} tables. Old names get their skeletons
 * computed here, in Java ({@link Names#skeleton} is not SQL); two old names with one skeleton both
 * stay (a migration must not refuse a database it can read): the older one (lower id) gets the
 * skeleton, the younger keeps NULL, which a unique index allows any number of, and the older's
 * skeleton still keeps every new look-alike out. The unique indexes are made after the skeletons,
 * so a run cut short on MySQL fills what is missing and goes on.
 * The {@code bans} table (administration, 1.4) is one more object of that step.
 * <p>The same step (for reads) adds the {@code unread_counts} table from {@code schema.sql}, the triggers
 * that keep it ({@link UnreadCounts}) and SEARCH's index with its mark ({@link SearchIndex}, SQLite
 * only), which are written per database in Java (their syntax differs), then both filled from the
 * messages already stored (the index at once, its mark past the newest message, so that the first
 * searches need not scan while the writer catches up). On SQLite the step is one transaction. On MySQL each CREATE commits alone, so
 * each creates only what is missing and the counts' fill starts by emptying the table (then fills
 * and records the version in one transaction): a step cut short runs again whole at the next start.
 *
 * <p>Version 4 to 5 ({@link #migrateFrom4}), SEARCH's part: on MySQL the trigram postings
 * {@code search_grams}, their {@code search_mark} and the trigger that keeps them on deletes
 * ({@link SearchIndex#createGrams}), each created only if missing; the idle writer fills them.
 * Nothing on SQLite.
 *
 * <p>Version 5 to 6 ({@link #migrateFrom5}), on SQLite only, drops the index
 * {@code messages_sender_kind} ({@link #MYSQL_ONLY}): what a device gets of what its user sent
 * elsewhere is read from {@code messages_pair_kind} there, and the index cost every stored message
 * a page written (issue 12).
 */
public final class Schema {

    /** The version {@code schema.sql} creates. */
    public static final int VERSION = 6;

    /** The columns version 2 added to version 1's messages table. */
    private static final List<Map.Entry<String, String>> V2_COLUMNS = List.of(
            Map.entry("kind", "ALTER TABLE messages ADD COLUMN kind VARCHAR(24) NOT NULL DEFAULT 'text'"),
            Map.entry("sender_device", "ALTER TABLE messages ADD COLUMN sender_device BIGINT NOT NULL DEFAULT 0"));
    /** Version 1's indexes on messages that version 2 replaced by ones that lead with kind. */
    private static final List<String> V1_INDEXES = List.of("messages_pair", "messages_group");
    /** What version 2's schema.sql creates that version 1 lacked. */
    private static final Set<String> V2_OBJECTS = Set.of("friend_requests_to", "messages_pair_kind",
            "messages_sender_kind", "messages_group_kind", "devices", "sessions", "sessions_user", "sessions_expiry");
    /** What version 3's schema.sql creates that version 2 lacked. */
    private static final Set<String> V3_OBJECTS = Set.of("files", "files_sha", "files_sender", "files_recipient",
            "files_group", "files_expiry");
    /** The columns version 4 added, by table. */
    private static final List<Map.Entry<String, String>> V4_COLUMNS = List.of(
            Map.entry("users.name_skeleton", "ALTER TABLE users ADD COLUMN name_skeleton VARCHAR(64)"),
            Map.entry("users.invites", "ALTER TABLE users ADD COLUMN invites VARCHAR(8) NOT NULL DEFAULT 'friends'"),
            Map.entry("chat_groups.name_skeleton", "ALTER TABLE chat_groups ADD COLUMN name_skeleton VARCHAR(64)"));
    /** What version 4's schema.sql creates that version 3 lacked (for names, invitations and blocks). */
    private static final Set<String> V4_OBJECTS = Set.of("users_skeleton", "chat_groups_skeleton", "group_invites",
            "group_invites_user", "blocks", "bans");
    /**
     * What {@code schema.sql} creates on MySQL/MariaDB only. {@code messages_sender_kind}: on
     * SQLite an index that leads with a user costs every stored message a page of the commit, and
     * {@code messages_pair_kind} serves its reads there ({@link MessageStore#UNDELIVERED_SQLITE});
     * MySQL's planner cannot read that index so (one range per recipient) and keeps it.
     */
    static final Set<String> MYSQL_ONLY = Set.of("messages_sender_kind");
    private static final Pattern CREATES = Pattern.compile("^CREATE (?:UNIQUE )?(?:TABLE|INDEX) (\\w+)");

    private static final System.Logger LOG = System.getLogger(Store.class.getName());

    private Schema() {}

    /**
     * Creates the schema if the database is empty; otherwise checks its version and migrates it.
     * On MySQL/MariaDB, where every CREATE commits on its own, several servers starting at once on
     * one database (the nodes of a cluster) take turns under a named lock, so that none finds the
     * schema half made (a {@code schema_version} table without its row read as version 0).
     */
    public static void ensure(Connection c, Database.Dialect dialect) {
        if (dialect != Database.Dialect.MYSQL) {
            ensureAlone(c, dialect);
            return;
        }
        try {
            namedLock(c, "SELECT GET_LOCK(CONCAT(DATABASE(), '.chat-schema'), 120)");
            try {
                ensureAlone(c, dialect);
            } finally {
                namedLock(c, "SELECT RELEASE_LOCK(CONCAT(DATABASE(), '.chat-schema'))");
            }
        } catch (SQLException e) {
            throw new StoreException("locking the schema", e);
        }
    }

    private static void namedLock(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            if (!rs.next() || rs.getInt(1) != 1) {
                throw new StoreException("another server held the schema lock for two minutes: " + sql);
            }
        }
    }

    private static void ensureAlone(Connection c, Database.Dialect dialect) {
        try {
            if (!tableExists(c, "schema_version")) {
                create(c, dialect);
                return;
            }
            int found;
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
                found = rs.next() ? rs.getInt(1) : 0;
            }
            if (found == 1) {
                migrateFrom1(c, dialect);
                found = 2;
            }
            if (found == 2) {
                migrate(c, dialect, 2, V3_OBJECTS);
                found = 3;
            }
            if (found == 3) {
                migrateFrom3(c, dialect);
                found = 4;
            }
            if (found == 4) {
                migrateFrom4(c, dialect);
                found = 5;
            }
            if (found == 5) {
                migrateFrom5(c, dialect);
                return;
            }
            if (found != VERSION) {
                throw new StoreException("the database has schema version " + found
                        + ", but this server knows only version " + VERSION + "; refusing to use it");
            }
        } catch (SQLException e) {
            throw new StoreException("checking the schema", e);
        }
    }

    private static boolean tableExists(Connection c, String table) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        for (String name : new String[] {table, table.toUpperCase(java.util.Locale.ROOT)}) {
            try (ResultSet rs = meta.getTables(c.getCatalog(), null, name, new String[] {"TABLE"})) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * One step that only creates what {@code schema.sql} has and the database lacks ({@code objects},
     * by name), then records version {@code from + 1}.
     */
    private static void migrate(Connection c, Database.Dialect dialect, int from, Set<String> objects)
            throws SQLException {
        LOG.log(Level.INFO, "migrating the database from schema version " + from + " to " + (from + 1));
        inTransaction(c, s -> {
            createMissing(c, dialect, s, objects);
            s.executeUpdate("UPDATE schema_version SET version = " + (from + 1));
        });
    }

    /** Statements on {@code c}'s one statement object. */
    private interface Steps {
        void run(Statement s) throws SQLException;
    }

    /**
     * Runs {@code steps} in one transaction (on SQLite; MySQL commits each ALTER and CREATE on its
     * own, hence the class comment's checks), rolled back on failure, and restores the connection's
     * auto-commit mode.
     */
    private static void inTransaction(Connection c, Steps steps) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            steps.run(s);
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private static void createMissing(Connection c, Database.Dialect dialect, Statement s, Set<String> objects)
            throws SQLException {
        for (String sql : statements(dialect)) {
            String name = created(sql);
            if (objects.contains(name) && !exists(c, name)) {
                s.execute(sql);
            }
        }
    }

    /** Version 3 to 4, the reads' part; see the class comment. */
    /** What version 4 adds beyond schema.sql: the triggers and the search index, per database. */
    private static void createReads(Statement s, Database.Dialect dialect) throws SQLException {
        UnreadCounts.createTriggers(s, dialect);
        SearchIndex.create(s, dialect);
    }

    /** Version 1 to 2; see the class comment. */
    private static void migrateFrom1(Connection c, Database.Dialect dialect) throws SQLException {
        LOG.log(Level.INFO, "migrating the database from schema version 1 to 2");
        inTransaction(c, s -> {
            for (var column : V2_COLUMNS) {
                if (!columnExists(c, "messages", column.getKey())) {
                    s.execute(column.getValue());
                }
            }
            for (String index : V1_INDEXES) {
                dropMessagesIndex(c, dialect, s, index);
            }
            createMissing(c, dialect, s, V2_OBJECTS);
            s.executeUpdate("UPDATE schema_version SET version = 2");
        });
    }

    /**
     * Version 3 to 4: name skeletons, invitations, blocks and bans, then the unread counts and the
     * search index, filled from what is stored; see the class comment.
     */
    private static void migrateFrom3(Connection c, Database.Dialect dialect) throws SQLException {
        LOG.log(Level.INFO, "migrating the database from schema version 3 to 4");
        inTransaction(c, s -> {
            for (var column : V4_COLUMNS) {
                String[] at = column.getKey().split("\\.");
                if (!columnExists(c, at[0], at[1])) {
                    s.execute(column.getValue());
                }
            }
            for (String table : List.of("users", "chat_groups")) {
                int kept = fillSkeletons(c, table);
                if (kept > 0) {
                    LOG.log(Level.WARNING, kept + " names in " + table + " look like an older one's; both are kept");
                }
            }
            createMissing(c, dialect, s, V4_OBJECTS);
            createMissing(c, dialect, s, java.util.Set.copyOf(UnreadCounts.OBJECTS));
            createReads(s, dialect);
            UnreadCounts.backfill(s);
            SearchIndex.backfill(s, dialect);
            s.executeUpdate("UPDATE schema_version SET version = 4");
        });
    }

    /**
     * Version 4 to 5, SEARCH's part: MySQL's trigram postings, their mark and their trigger
     * ({@link SearchIndex#createGrams}); nothing on SQLite, whose index came with version 4. The mark
     * starts at 0: the idle writer indexes what is stored, and searches scan what it has not
     * reached, so a large database is not indexed during the start.
     */
    private static void migrateFrom4(Connection c, Database.Dialect dialect) throws SQLException {
        LOG.log(Level.INFO, "migrating the database from schema version 4 to 5");
        inTransaction(c, s -> {
            SearchIndex.createGrams(s, dialect);
            // inserted texts are counted by the store code since version 5: the triggers would count them twice
            UnreadCounts.dropInsertTriggers(s);
            s.executeUpdate("UPDATE schema_version SET version = 5");
        });
    }

    /**
     * Version 5 to 6: on SQLite, drops what {@link #MYSQL_ONLY} names ({@code messages_sender_kind},
     * whose reads {@code messages_pair_kind} serves there), so that a stored message costs one
     * page fewer; nothing else, on either database.
     */
    private static void migrateFrom5(Connection c, Database.Dialect dialect) throws SQLException {
        LOG.log(Level.INFO, "migrating the database from schema version 5 to 6");
        inTransaction(c, s -> {
            if (dialect == Database.Dialect.SQLITE) {
                for (String index : MYSQL_ONLY) {
                    dropMessagesIndex(c, dialect, s, index);
                }
            }
            s.executeUpdate("UPDATE schema_version SET version = 6");
        });
    }

    /** Drops an index of {@code messages} if it is there (on MySQL a step cut short may have dropped it). */
    private static void dropMessagesIndex(Connection c, Database.Dialect dialect, Statement s, String index)
            throws SQLException {
        if (indexExists(c, "messages", index)) {
            s.execute(switch (dialect) {
                case SQLITE -> "DROP INDEX " + index;
                case MYSQL -> "DROP INDEX " + index + " ON messages";
            });
        }
    }

    /**
     * Gives each row of {@code table} without a skeleton its name's, oldest first, unless an
     * older row has it; returns how many were left without one.
     */
    private static int fillSkeletons(Connection c, String table) throws SQLException {
        Set<String> taken = new java.util.HashSet<>();
        List<Map.Entry<Long, String>> missing = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, name, name_skeleton FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                if (rs.getString(3) != null) {
                    taken.add(rs.getString(3));
                } else {
                    missing.add(Map.entry(rs.getLong(1), rs.getString(2)));
                }
            }
        }
        int kept = 0;
        try (var ps = c.prepareStatement("UPDATE " + table + " SET name_skeleton = ? WHERE id = ?")) {
            for (var row : missing) {
                String skeleton = Names.skeleton(row.getValue());
                if (!taken.add(skeleton) || skeleton.length() > Sql.MAX_NAME) {
                    kept++;
                    continue;
                }
                ps.setString(1, skeleton);
                ps.setLong(2, row.getKey());
                ps.executeUpdate();
            }
        }
        return kept;
    }

    /** Whether a table or an index of this name exists (index names are unique in both schemas). */
    private static boolean exists(Connection c, String name) throws SQLException {
        if (tableExists(c, name)) {
            return true;
        }
        for (String table : List.of("messages", "friend_requests", "sessions", "devices", "files", "users",
                "chat_groups", "group_invites")) {
            if (tableExists(c, table) && indexExists(c, table, name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean columnExists(Connection c, String table, String column) throws SQLException {
        try (ResultSet rs = c.getMetaData().getColumns(c.getCatalog(), null, table, column)) {
            return rs.next();
        }
    }

    private static boolean indexExists(Connection c, String table, String index) throws SQLException {
        try (ResultSet rs = c.getMetaData().getIndexInfo(c.getCatalog(), null, table, false, false)) {
            while (rs.next()) {
                if (index.equalsIgnoreCase(rs.getString("INDEX_NAME"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void create(Connection c, Database.Dialect dialect) throws SQLException {
        inTransaction(c, s -> {
            for (String sql : statements(dialect)) {
                s.execute(sql);
            }
            createReads(s, dialect);
            SearchIndex.createGrams(s, dialect);
            s.execute("INSERT INTO schema_version (version) VALUES (" + VERSION + ")");
        });
    }

    /**
     * The statements of {@code schema.sql} with the placeholders filled in for {@code dialect},
     * without what {@link #MYSQL_ONLY} names on SQLite.
     */
    static List<String> statements(Database.Dialect dialect) {
        List<String> all = statements(read(), dialect);
        if (dialect == Database.Dialect.MYSQL) {
            return all;
        }
        return all.stream().filter(sql -> !MYSQL_ONLY.contains(created(sql))).toList();
    }

    /**
     * The table or index a statement of schema.sql creates; "" for any other statement (no object
     * is named that, and the immutable sets it is looked up in refuse a null).
     */
    private static String created(String sql) {
        Matcher m = CREATES.matcher(sql);
        return m.find() ? m.group(1) : "";
    }

    /** The statements of a schema text like {@code schema.sql}, for {@code dialect}. */
    static List<String> statements(String schema, Database.Dialect dialect) {
        String text = schema.replace("${ID}", switch (dialect) {
            // AUTOINCREMENT: without it SQLite gives the largest id again once its row is deleted
            // (deleteGroup deletes messages), and an acknowledged or read id would hide the new row.
            case SQLITE -> "INTEGER PRIMARY KEY AUTOINCREMENT";
            case MYSQL -> "BIGINT AUTO_INCREMENT PRIMARY KEY";
        }).replace("${TABLE}", switch (dialect) {
            case SQLITE -> "";
            case MYSQL -> "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
        });
        List<String> out = new ArrayList<>();
        var current = new StringBuilder();
        for (String line : text.split("\n")) {
            String code = line.contains("--") ? line.substring(0, line.indexOf("--")) : line;
            if (code.isBlank()) {
                continue;
            }
            current.append(code).append('\n');
            if (code.stripTrailing().endsWith(";")) {
                String sql = current.toString().strip();
                out.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        return out;
    }

    private static String read() {
        try (InputStream in = Schema.class.getResourceAsStream("schema.sql")) {
            if (in == null) {
                throw new StoreException("schema.sql is missing from the server's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StoreException("reading schema.sql", e);
        }
    }
}
