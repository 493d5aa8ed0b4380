package chat.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.server.store.Store.Group;
import chat.server.store.Store.RequestOutcome;
import chat.server.store.Store.User;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * An open store on an empty database with three users, and the helpers the store's contracts
 * share. Each contract runs on each database through the nested classes of {@link StoreTest}.
 */
abstract class StoreFixture {

    /** An empty database for one test. */
    abstract Database database() throws Exception;

    /** Whether the store is opened as a cluster node's ({@link JdbcStore#open(Database, boolean)}). */
    boolean shared() {
        return false;
    }

    /** Closed after the store, last first: what {@link #database()} made for the test. */
    final List<AutoCloseable> cleanups = new ArrayList<>();

    JdbcStore store;
    User alice;
    User bob;
    User carol;

    @BeforeEach
    void open() throws Exception {
        store = JdbcStore.open(database(), shared());
        alice = user("Alice");
        bob = user("Bob");
        carol = user("Carol");
    }

    @AfterEach
    void closeStore() throws Exception {
        if (store != null) {
            store.close();
        }
        for (int i = cleanups.size() - 1; i >= 0; i--) {
            cleanups.get(i).close();
        }
    }

    User user(String name) {
        return store.createUser(name, name.toLowerCase(java.util.Locale.ROOT), "hash-" + name, 1000).orElseThrow();
    }

    /** The device the deprecated adapters use for {@code u}. */
    long defaultDevice(User u) {
        return store.device(u.id(), Store.DEFAULT_DEVICE, 0).id();
    }

    void befriend(User a, User b) {
        assertEquals(RequestOutcome.REQUESTED, store.requestFriend(a.id(), b.id(), 1));
        assertEquals(RequestOutcome.NOW_FRIENDS, store.requestFriend(b.id(), a.id(), 2));
    }

    Group group(String name, User owner) {
        return store.createGroup(name, name.toLowerCase(java.util.Locale.ROOT), owner.id(), true, 100).orElseThrow();
    }

    /** {@code group} as its owner's {@code groupsOf} shows it now. */
    Group reread(Group group) {
        return store.groupsOf(group.ownerId()).stream().filter(g -> g.id() == group.id()).findFirst().orElseThrow();
    }

    /** The aliases the store's queries give the messages table. */
    private static final java.util.Set<String> MESSAGES = java.util.Set.of("messages", "m", "x", "i", "o", "l", "p", "q");

    /**
     * The steps of {@code sql}'s plan (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on MySQL) that read
     * the whole of the messages table, by any of the aliases the store's queries give it.
     */
    List<String> fullScans(String sql, Object... params) throws SQLException {
        return badSteps(sql, params).stream().filter(step -> !step.contains("SORT")).toList();
    }

    /**
     * The steps of {@code sql}'s plan that read the whole of messages (SQLite {@code SCAN m},
     * MySQL type {@code ALL}) or sort the rows of an index range of messages before a LIMIT can
     * cut them (SQLite {@code USE TEMP B-TREE FOR ORDER BY} in the same query as a {@code SEARCH}
     * of messages by an index, MySQL {@code Using filesort} on messages), each prefixed
     * {@code SORT} or {@code SCAN}. Sorting what bounded subqueries returned (the outer merge of
     * a few LIMITed branches, then looking each id up by the primary key) is not reported: it sorts
     * at most a few pages, whatever the table's size; nor is delivery's merge of my groups (below).
     */
    List<String> badSteps(String sql, Object... params) throws SQLException {
        List<String> found = new ArrayList<>();
        boolean sqlite = store.database().dialect() == Database.Dialect.SQLITE;
        try (Connection c = store.database().open();
                var ps = c.prepareStatement((sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + sql)) {
            Sql.bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                // SQLite: steps of one query share a parent; a sort and an index range of messages
                // among the same query's steps is a sort of that range.
                var rangeUnder = new java.util.HashSet<Integer>();
                var sortUnder = new java.util.HashMap<Integer, String>();
                // Except the merge of all my groups' ranges (delivery's part c, the only query that
                // names group_members gm) and, on SQLite, of what I sent to each person (part b, a
                // list of ranges, one per row of the CTE peers): ranges of several conversations
                // have no common index order, and each sorts only what is past the device's
                // cursor, never a whole conversation.
                var mergeOfGroups = new java.util.HashSet<Integer>();
                var parentOf = new java.util.HashMap<Integer, Integer>();
                while (rs.next()) {
                    if (sqlite) {
                        String detail = rs.getString("detail");
                        int parent = rs.getInt("parent");
                        parentOf.put(rs.getInt("id"), parent);
                        String[] words = detail.split(" ");
                        if (words[0].equals("SCAN") && MESSAGES.contains(words[1])) {
                            found.add("SCAN " + detail);
                        } else if (words[0].equals("SEARCH") && MESSAGES.contains(words[1])
                                && detail.contains("AUTOMATIC")) {
                            found.add("SCAN " + detail + " (an automatic index is built from the whole table)");
                        } else if (words[0].equals("SEARCH") && MESSAGES.contains(words[1])
                                && !detail.contains("INTEGER PRIMARY KEY")) {
                            rangeUnder.add(parent);
                        } else if (detail.startsWith("SEARCH gm ") || detail.startsWith("SCAN gm")) {
                            mergeOfGroups.add(parent);
                        } else if (detail.equals("SCAN peer")) {
                            mergeOfGroups.add(parentOf.getOrDefault(parent, -1)); // the list subquery's query
                        } else if (detail.startsWith("USE TEMP B-TREE FOR") && detail.contains("ORDER BY")) {
                            sortUnder.put(parent, detail);
                        }
                    } else if (rs.getString("table") != null && MESSAGES.contains(rs.getString("table"))) {
                        String step = rs.getString("table") + " " + rs.getString("type") + " " + rs.getString("key")
                                + " " + rs.getString("Extra");
                        if ("ALL".equals(rs.getString("type"))) {
                            found.add("SCAN " + step);
                        } else if (String.valueOf(rs.getString("Extra")).contains("filesort")) {
                            found.add("SORT " + step);
                        }
                    }
                }
                sortUnder.forEach((parent, detail) -> {
                    if (rangeUnder.contains(parent) && !mergeOfGroups.contains(parent)) {
                        found.add("SORT " + detail + " (under step " + parent + ")");
                    }
                });
            }
        }
        return found;
    }

    /** The whole plan of {@code sql}, one step a line: what a failed plan check shows. */
    String plan(String sql, Object... params) throws SQLException {
        boolean sqlite = store.database().dialect() == Database.Dialect.SQLITE;
        var out = new StringBuilder();
        try (Connection c = store.database().open();
                var ps = c.prepareStatement((sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + sql)) {
            Sql.bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= columns; i++) {
                        out.append(i == 1 ? "\n" : " | ").append(rs.getString(i));
                    }
                }
            }
        }
        return out.toString();
    }

    /** Gives MySQL's planner the statistics a database in use has; SQLite is left as a new one is. */
    void analyze() throws SQLException {
        if (store.database().dialect() == Database.Dialect.MYSQL) {
            try (Connection c = store.database().open(); Statement s = c.createStatement()) {
                for (String table : List.of("messages", "group_members", "friends", "read_marks", "devices")) {
                    s.execute("ANALYZE TABLE " + table);
                }
            }
        }
    }

    /** Gives SQLite's planner statistics, as a database that ran {@code ANALYZE} or {@code PRAGMA optimize} has. */
    void analyzeSqlite() throws SQLException {
        if (store.database().dialect() == Database.Dialect.SQLITE) {
            try (Connection c = store.database().open(); Statement s = c.createStatement()) {
                s.execute("ANALYZE");
            }
        }
    }

    interface Task<T> {
        T run(int index) throws Exception;
    }

    /** Runs {@code task} on {@code threads} threads that start together; the results in order. */
    static <T> List<T> race(int threads, Task<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            var start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                Callable<T> call = () -> {
                    start.await();
                    return task.run(index);
                };
                futures.add(pool.submit(call));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    // Looking behind the store.

    List<String> connectionRows() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = store.database().open(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT ip, port, login_at FROM connections ORDER BY user_id")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + ":" + rs.getInt(2) + "@" + rs.getLong(3));
            }
        }
        return rows;
    }

    int status(long userId) throws SQLException {
        return (int) count("SELECT status FROM users WHERE id = " + userId);
    }

    long count(String sql) {
        try (Connection c = store.database().open(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError(sql, e);
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection c = store.database().open(); Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }
}
