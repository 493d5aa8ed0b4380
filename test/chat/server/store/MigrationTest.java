package chat.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.server.store.Store.Device;
import chat.server.store.Store.FriendContact;
import chat.server.store.Store.Kind;
import chat.server.store.Store.LastMessage;
import chat.server.store.Store.Message;
import chat.testing.MariaDb;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database that version 1 of the server wrote ({@code schema-v1.sql}, a copy of schema.sql as
 * it was) is migrated at start: the data stays, the old rows read as text from no device, and the
 * schema ends up as a new database's. On both databases, whole and cut short.
 */
class MigrationTest {

    @TempDir
    Path dir;

    @Test
    void sqlite() throws Exception {
        check(Database.sqlite(dir.resolve("old")), Database.sqlite(dir.resolve("new")), false);
    }

    @Test
    void sqliteCutShort() throws Exception {
        check(Database.sqlite(dir.resolve("old")), Database.sqlite(dir.resolve("new")), true);
    }

    @Test
    void mariaDb() throws Exception {
        try (var old = MariaDb.fresh(); var fresh = MariaDb.fresh()) {
            check(new Database(old.url(), null, null), new Database(fresh.url(), null, null), false);
        }
    }

    /** MySQL commits each ALTER alone: a start that stopped after the first finishes at the next. */
    @Test
    void mariaDbCutShort() throws Exception {
        try (var old = MariaDb.fresh(); var fresh = MariaDb.fresh()) {
            check(new Database(old.url(), null, null), new Database(fresh.url(), null, null), true);
        }
    }

    private static void check(Database old, Database fresh, boolean cutShort) throws Exception {
        dir(old);
        dir(fresh);
        try (Connection c = old.open(); Statement s = c.createStatement()) {
            for (String sql : Schema.statements(resource("schema-v1.sql"), old.dialect())) {
                s.execute(sql);
            }
            for (String sql : List.of(
                    "INSERT INTO schema_version (version) VALUES (1)",
                    "INSERT INTO users (id, name, name_key, password_hash, status, acked_msg_id, created_at)"
                            + " VALUES (1, 'Alice', 'alice', 'h1', 0, 2, 10), (2, 'Bob', 'bob', 'h2', 1, 0, 20)",
                    "INSERT INTO friends (user_id, friend_id, alias, since) VALUES (1, 2, '老同学', 30), (2, 1, NULL, 30)",
                    "INSERT INTO chat_groups (id, name, name_key, owner_id, open, created_at)"
                            + " VALUES (1, 'Team', 'team', 1, 1, 40)",
                    "INSERT INTO group_members (group_id, user_id, joined_at, first_msg_id) VALUES (1, 1, 40, 0), (1, 2, 40, 0)",
                    "INSERT INTO messages (id, sender_id, recipient_id, group_id, client_id, body, sent_at) VALUES"
                            + " (1, 2, 1, NULL, 'b1', 'old news', 50),"
                            + " (2, 1, 2, NULL, 'a1', 'my reply', 60),"
                            + " (3, 2, NULL, 1, 'b2', 'to the team', 70),"
                            + " (4, 2, 1, NULL, 'b3', '你好, not yet received', 80)",
                    "INSERT INTO read_marks (user_id, conversation, last_read_id) VALUES (1, 'u2', 1)")) {
                s.execute(sql);
            }
            if (cutShort) {
                s.execute("ALTER TABLE messages ADD COLUMN kind VARCHAR(24) NOT NULL DEFAULT 'text'");
            }
        }

        try (JdbcStore store = JdbcStore.open(old)) {
            assertEquals(Schema.VERSION, version(old));
            Message first = store.history(1, 2, 2, 10).get(0);
            assertEquals(new Message(1, 2, "Bob", 1, "Alice", 0, null, "b1", "old news", 50, Kind.TEXT, 0), first);
            assertEquals(List.of(4L, 2L, 1L), store.history(1, 2, Long.MAX_VALUE, 10).stream().map(Message::id).toList());

            Device phone = store.device(1, Store.DEFAULT_DEVICE, 100);
            assertEquals(2, phone.ackedMsgId(), "the first device starts where version 1 left the account");
            assertEquals(List.of(3L, 4L), store.undelivered(1, phone.id(), 10).stream().map(Message::id).toList());
            assertEquals(List.of(new FriendContact(2, "Bob", "老同学", 1,
                    new LastMessage(4, 80, "你好, not yet received"))), store.contacts(1).friends());
            Device bobs = store.device(2, Store.DEFAULT_DEVICE, 100);
            assertEquals(List.of(2L), store.undelivered(2, bobs.id(), 10).stream().map(Message::id).toList(),
                    "what Alice sent him, not what he sent himself in version 1 (his cursor is 0)");

            Message next = store.storeGroupMessage(2, 0, 1, "b4", "after the migration", 110).message();
            assertTrue(next.id() > 4, "ids go on from version 1's");
            store.storeEvent(Kind.GROUP_DELETED, 1, phone.id(), 1, List.of(1L, 2L), List.of("Team"), 120);
            store.createSession("%064x".formatted(1), 1, phone.id(), 130, 1000);
            assertEquals("Alice", store.sessionByToken("%064x".formatted(1), 130).orElseThrow().userName());
        }
        JdbcStore.open(old).close(); // a second start finds the current version and changes nothing
        assertEquals(Schema.VERSION, version(old));

        JdbcStore.open(fresh).close();
        Map<String, List<String>> migrated = shape(old);
        assertEquals(List.of("1:group_id", "2:kind", "3:id"), migrated.get("index messages.messages_group_kind"));
        assertEquals(null, migrated.get("index messages.messages_pair"), "version 1's index is gone");
        assertEquals(shape(fresh), migrated, "a migrated database has the tables, columns and indexes of a new one");
    }

    @Test
    void sqliteFrom2() throws Exception {
        checkFrom2(Database.sqlite(dir.resolve("old2")), Database.sqlite(dir.resolve("new2")));
    }

    @Test
    void mariaDbFrom2() throws Exception {
        try (var old = MariaDb.fresh(); var fresh = MariaDb.fresh()) {
            checkFrom2(new Database(old.url(), null, null), new Database(fresh.url(), null, null));
        }
    }

    /**
     * A version 2 database ({@code schema-v2.sql}, schema.sql as protocol 1.1 left it) gains the
     * files table: its messages stay, a file can be offered at once, and its shape is a new one's.
     */
    private static void checkFrom2(Database old, Database fresh) throws Exception {
        dir(old);
        dir(fresh);
        written(old, "schema-v2.sql", List.of(
                "INSERT INTO schema_version (version) VALUES (2)",
                "INSERT INTO users (id, name, name_key, password_hash, status, acked_msg_id, created_at)"
                        + " VALUES (1, 'Alice', 'alice', 'h1', 0, 0, 10), (2, 'Bob', 'bob', 'h2', 0, 0, 20)",
                "INSERT INTO friends (user_id, friend_id, alias, since) VALUES (1, 2, NULL, 30), (2, 1, NULL, 30)",
                "INSERT INTO devices (id, user_id, name, acked_msg_id, last_seen) VALUES (1, 2, 'default', 0, 30)",
                "INSERT INTO messages (id, sender_id, sender_device, recipient_id, client_id, body, sent_at, kind)"
                        + " VALUES (1, 1, 0, 2, 'a1', 'before files', 50, 'text')"));
        try (JdbcStore store = JdbcStore.open(old)) {
            assertEquals(Schema.VERSION, version(old));
            var offer = store.storeFileOffer(1, 0, 2, 0, "f1", "a.txt", 12, "ab".repeat(32), false, 60, 1000);
            assertEquals(List.of(1L, offer.message().id()),
                    store.undelivered(2, 1, 10).stream().map(Message::id).toList());
            assertEquals("a.txt", store.history(2, 1, Long.MAX_VALUE, 10).get(0).body());
        }
        JdbcStore.open(old).close();
        assertEquals(Schema.VERSION, version(old));
        JdbcStore.open(fresh).close();
        assertEquals(shape(fresh), shape(old), "a migrated database has the tables, columns and indexes of a new one");
    }

    @Test
    void sqliteFrom3() throws Exception {
        checkFrom3(Database.sqlite(dir.resolve("old3")), Database.sqlite(dir.resolve("new3")));
    }

    @Test
    void mariaDbFrom3() throws Exception {
        try (var old = MariaDb.fresh(); var fresh = MariaDb.fresh()) {
            checkFrom3(new Database(old.url(), null, null), new Database(fresh.url(), null, null));
        }
    }

    /**
     * A version 3 database ({@code schema-v3.sql}, schema.sql as protocol 1.3 left it) gains the
     * unread counts and the search index, filled from what it holds: counts after read marks and
     * joining, other kinds and my own group text not counted; old messages found by SEARCH (indexed
     * at once, the index's mark past them); and both kept from then on.
     */
    private static void checkFrom3(Database old, Database fresh) throws Exception {
        dir(old);
        dir(fresh);
        written(old, "schema-v3.sql", List.of(
                "INSERT INTO schema_version (version) VALUES (3)",
                "INSERT INTO users (id, name, name_key, password_hash, status, acked_msg_id, created_at)"
                        + " VALUES (1, 'Alice', 'alice', 'h1', 0, 0, 10), (2, 'Bob', 'bob', 'h2', 0, 0, 20),"
                        + " (3, 'Carol', 'carol', 'h3', 0, 0, 20)",
                "INSERT INTO friends (user_id, friend_id, alias, since) VALUES (1, 2, NULL, 30), (2, 1, NULL, 30)",
                "INSERT INTO chat_groups (id, name, name_key, owner_id, open, created_at)"
                        + " VALUES (1, 'Team', 'team', 2, 1, 40)",
                "INSERT INTO group_members (group_id, user_id, joined_at, first_msg_id)"
                        + " VALUES (1, 2, 40, 0), (1, 1, 40, 0), (1, 3, 40, 5)",
                "INSERT INTO messages (id, sender_id, recipient_id, group_id, client_id, body, sent_at, kind) VALUES"
                        + " (1, 2, 1, NULL, 'b1', 'read already', 50, 'text'),"
                        + " (2, 2, 1, NULL, 'b2', 'Unread Needle', 60, 'text'),"
                        + " (3, 2, 1, NULL, 'b3', '未读的信息', 65, 'text'),"
                        + " (4, 2, 1, 1, '~e.0', 'group-renamed:Team', 66, 'group-renamed'),"
                        + " (5, 2, NULL, 1, 'b4', 'to the team, before Carol', 70, 'text'),"
                        + " (6, 1, NULL, 1, 'a1', 'mine, never unread to me', 80, 'text'),"
                        + " (7, 2, NULL, 1, 'b5', 'after Carol joined', 90, 'text')",
                "INSERT INTO read_marks (user_id, conversation, last_read_id) VALUES (1, 'u2', 1)"));
        try (JdbcStore store = JdbcStore.open(old)) {
            assertEquals(Schema.VERSION, version(old));
            assertEquals(List.of(new Store.Unread(true, 1, "Team", 2), new Store.Unread(false, 2, "Bob", 2)),
                    store.unread(1));
            assertEquals(List.of(new Store.Unread(true, 1, "Team", 2)), store.unread(3), "since joining: 6 and 7");
            assertEquals(List.of(new Store.Unread(true, 1, "Team", 1)), store.unread(2));
            assertEquals(List.of(2L), store.search(1, "needle", 10).stream().map(Message::id).toList());
            assertEquals(List.of(3L), store.search(1, "未读的", 10).stream().map(Message::id).toList());
            if (old.dialect() == Database.Dialect.SQLITE) {
                try (Connection c = old.open()) {
                    assertEquals(7, SearchIndex.mark(c), "indexed at once: the mark past the newest message");
                }
            }

            store.storeMessage(2, 0, 1, "b6", "another needle", 100);
            store.markRead(1, true, 1, 0);
            assertEquals(List.of(new Store.Unread(false, 2, "Bob", 3)), store.unread(1));
            assertEquals(2, store.search(1, "NEEDLE", 10).size(), "the new one after the mark, the old one indexed");
        }
        JdbcStore.open(old).close();
        assertEquals(Schema.VERSION, version(old));
        JdbcStore.open(fresh).close();
        assertEquals(shape(fresh), shape(old), "a migrated database has the tables, columns and indexes of a new one");
        assertEquals(triggers(fresh), triggers(old), "and its triggers");
        assertTrue(triggers(old).contains("unread_group_delete"), triggers(old).toString());
        // inserted texts are counted by the store code, not by triggers
        assertTrue(!triggers(old).contains("unread_group_insert") && !triggers(old).contains("unread_private_insert"),
                triggers(old).toString());
        if (old.dialect() == Database.Dialect.MYSQL) {
            assertTrue(triggers(old).contains("search_grams_delete"), "version 5: " + triggers(old));
        }
        assertEquals(old.dialect() == Database.Dialect.MYSQL, shape(old).containsKey("index messages.messages_sender_kind"),
                "version 6: messages_sender_kind (which version 3 had) on MySQL only: " + shape(old).keySet());
    }

    @Test
    void sqliteNamesFrom3() throws Exception {
        checkNamesFrom3(Database.sqlite(dir.resolve("old3")), Database.sqlite(dir.resolve("new3")));
    }

    @Test
    void mariaDbNamesFrom3() throws Exception {
        try (var old = MariaDb.fresh(); var fresh = MariaDb.fresh()) {
            checkNamesFrom3(new Database(old.url(), null, null), new Database(fresh.url(), null, null));
        }
    }

    /**
     * A version 3 database ({@code schema-v3.sql}) gets name skeletons, the invitation policy and
     * the invitation and block tables. Two old names that look alike ({@code alice}, {@code a1ice})
     * both stay: the older holds the skeleton, which keeps a new look-alike out.
     */
    private static void checkNamesFrom3(Database old, Database fresh) throws Exception {
        dir(old);
        dir(fresh);
        written(old, "schema-v3.sql", List.of(
                "INSERT INTO schema_version (version) VALUES (3)",
                "INSERT INTO users (id, name, name_key, password_hash, status, acked_msg_id, created_at)"
                        + " VALUES (1, 'alice', 'alice', 'h1', 0, 0, 10), (2, 'a1ice', 'a1ice', 'h2', 0, 0, 20),"
                        + " (3, 'Bob', 'bob', 'h3', 0, 0, 30), (4, '张三', '张三', 'h4', 0, 0, 40)",
                "INSERT INTO chat_groups (id, name, name_key, owner_id, open, created_at)"
                        + " VALUES (1, 'Team', 'team', 1, 1, 40), (2, 'Tearn', 'tearn', 3, 1, 50)"));
        try (JdbcStore store = JdbcStore.open(old)) {
            assertEquals(Schema.VERSION, version(old));
            assertEquals(Map.of(1L, "allce", 3L, "bob", 4L, "张三"), skeletons(old, "users"));
            assertEquals(Map.of(1L, "team"), skeletons(old, "chat_groups"));
            assertEquals("a1ice", store.userById(2).orElseThrow().name(), "the younger look-alike stays");
            assertTrue(store.createUser("AIice", "aiice", "h5", 60).isEmpty(), "a new look-alike is refused");
            assertTrue(store.nameTaken("ALICE"));
            assertTrue(store.nameTaken("аlice"));
            assertTrue(store.createUser("carol", "carol", "h6", 70).isPresent());
            assertTrue(store.createGroup("tearn", "tearn", 1, true, 80).isEmpty(), "the old group's own key");
            assertTrue(store.createGroup("TEAM2", "team2", 1, true, 80).isPresent());
            assertEquals(Store.InvitePolicy.FRIENDS, store.invitePolicy(1));
        }
        JdbcStore.open(old).close();
        assertEquals(Schema.VERSION, version(old));
        JdbcStore.open(fresh).close();
        assertEquals(shape(fresh), shape(old), "a migrated database has the tables, columns and indexes of a new one");
    }

    /** A database as an older server left it: {@code schema}'s statements, then {@code rows}. */
    private static void written(Database old, String schema, List<String> rows) throws Exception {
        try (Connection c = old.open(); Statement s = c.createStatement()) {
            for (String sql : Schema.statements(resource(schema), old.dialect())) {
                s.execute(sql);
            }
            for (String sql : rows) {
                s.execute(sql);
            }
        }
    }

    /** The names of the database's triggers, sorted. */
    private static List<String> triggers(Database database) throws SQLException {
        String sql = database.dialect() == Database.Dialect.SQLITE
                ? "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
                : "SELECT trigger_name FROM information_schema.triggers WHERE trigger_schema = DATABASE()"
                        + " ORDER BY trigger_name";
        List<String> names = new java.util.ArrayList<>();
        try (Connection c = database.open(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                names.add(rs.getString(1).toLowerCase(java.util.Locale.ROOT));
            }
        }
        return names;
    }

    private static void dir(Database database) throws Exception {
        if (database.dialect() == Database.Dialect.SQLITE) {
            java.nio.file.Files.createDirectories(Path.of(database.url().substring("jdbc:sqlite:".length())).getParent());
        }
    }

    private static int version(Database database) throws SQLException {
        try (Connection c = database.open(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version FROM schema_version")) {
            assertTrue(rs.next());
            int version = rs.getInt(1);
            assertTrue(!rs.next(), "one version row");
            return version;
        }
    }

    /** Each table's columns, and each index's table and columns, in order. */
    private static Map<String, List<String>> shape(Database database) throws SQLException {
        Map<String, List<String>> shape = new TreeMap<>();
        try (Connection c = database.open()) {
            DatabaseMetaData meta = c.getMetaData();
            var tables = new TreeSet<String>();
            try (ResultSet rs = meta.getTables(c.getCatalog(), null, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    String table = rs.getString("TABLE_NAME").toLowerCase(java.util.Locale.ROOT);
                    if (!table.startsWith("sqlite_")) {
                        tables.add(table);
                    }
                }
            }
            for (String table : tables) {
                var columns = new java.util.ArrayList<String>();
                try (ResultSet rs = meta.getColumns(c.getCatalog(), null, table, "%")) {
                    while (rs.next()) {
                        columns.add(rs.getString("COLUMN_NAME") + " " + rs.getString("TYPE_NAME")
                                + " " + rs.getString("IS_NULLABLE") + " " + rs.getString("COLUMN_DEF"));
                    }
                }
                shape.put(table, columns);
                try (ResultSet rs = meta.getIndexInfo(c.getCatalog(), null, table, false, false)) {
                    while (rs.next()) {
                        String index = rs.getString("INDEX_NAME");
                        if (index != null) {
                            shape.computeIfAbsent("index " + table + "." + index, k -> new java.util.ArrayList<>())
                                    .add(rs.getShort("ORDINAL_POSITION") + ":" + rs.getString("COLUMN_NAME"));
                        }
                    }
                }
            }
        }
        return shape;
    }

    private static String resource(String name) throws Exception {
        try (InputStream in = MigrationTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Map<Long, String> skeletons(Database database, String table) throws SQLException {
        Map<Long, String> out = new TreeMap<>();
        try (Connection c = database.open(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, name_skeleton FROM " + table + " WHERE id < 5")) {
            while (rs.next()) {
                if (rs.getString(2) != null) {
                    out.put(rs.getLong(1), rs.getString(2));
                }
            }
        }
        return out;
    }
}
