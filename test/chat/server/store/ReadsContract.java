package chat.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.server.store.Store.Group;
import chat.server.store.Store.Kind;
import chat.server.store.Store.Message;
import chat.server.store.Store.Unread;
import chat.server.store.Store.User;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The reads of issue 12 on each database: unread counts kept by the store equal what counting the
 * messages gives after every kind of change, SEARCH through its index finds what the scan finds,
 * and the plans read what they should.
 */
abstract class ReadsContract extends StoreFixture {

    /**
     * UNREAD as it was counted before unread_counts (schema version 3): the oracle the kept
     * counts are held to ({@link #counted(Database, long)}). Parameters: user, user.
     */
    private static final String COUNTED = """
            SELECT 1 AS is_group, g.id AS id, g.name AS name, COUNT(*) AS unread
            FROM group_members gm
            JOIN chat_groups g ON g.id = gm.group_id
            LEFT JOIN read_marks rm ON rm.user_id = gm.user_id AND rm.conversation = CONCAT('g', gm.group_id)
            JOIN messages m ON m.group_id = gm.group_id AND m.kind = 'text'
                           AND m.id > CASE WHEN rm.last_read_id > gm.first_msg_id
                                           THEN rm.last_read_id ELSE gm.first_msg_id END
            WHERE gm.user_id = ? AND m.sender_id <> gm.user_id
            GROUP BY g.id, g.name
            UNION ALL
            SELECT 0 AS is_group, u.id AS id, u.name AS name, COUNT(*) AS unread
            FROM friends f
            JOIN users u ON u.id = f.friend_id
            LEFT JOIN read_marks rm ON rm.user_id = f.user_id AND rm.conversation = CONCAT('u', f.friend_id)
            JOIN messages m ON m.sender_id = f.friend_id AND m.recipient_id = f.user_id AND m.kind = 'text'
                           AND m.id > COALESCE(rm.last_read_id, 0)
            WHERE f.user_id = ?
            GROUP BY u.id, u.name
            ORDER BY is_group DESC, name, id""";

    @Test
    void keptCountsEqualCountedOnesThroughEveryChange() throws Exception {
        User dave = user("Dave");
        List<User> users = List.of(alice, bob, carol, dave);
        befriend(alice, bob);
        befriend(alice, carol);
        befriend(bob, carol);
        List<Group> groups = new ArrayList<>(List.of(group("Rust", bob), group("Go", carol)));
        store.addMember(groups.get(0).id(), alice.id(), 1);
        store.addMember(groups.get(1).id(), alice.id(), 1);
        var random = new Random(12);
        var indexing = new Random(13); // apart, so that the changes are the same on both databases
        long now = 10;
        for (int step = 0; step < 400; step++) {
            now++;
            User who = users.get(random.nextInt(users.size()));
            User other = users.get(random.nextInt(users.size()));
            Group group = groups.get(random.nextInt(groups.size()));
            String doing;
            int op = random.nextInt(100);
            if (op < 20 && who != other) {
                doing = "text " + who.name() + " -> " + other.name();
                store.storeMessage(who.id(), 0, other.id(), "c" + step, "text " + step, now);
            } else if (op < 35) {
                // MSG's batch (the writer's path): several senders and recipients, not all friends,
                // a resend of an earlier client id among them now and then
                List<Store.Outgoing> batch = new ArrayList<>();
                for (int i = random.nextInt(6); i >= 0; i--) {
                    User from = users.get(random.nextInt(users.size()));
                    User to = users.get(random.nextInt(users.size()));
                    String clientId = random.nextInt(8) == 0 ? "c" + random.nextInt(step + 1) : "b" + step + "." + i;
                    batch.add(new Store.Outgoing(from.id(), from.name(), 0, to.name().toLowerCase(Locale.ROOT),
                            clientId, "batch " + step + "." + i, now));
                }
                doing = "batch of " + batch.size();
                store.storeFriendMessages(batch);
            } else if (op < 65) {
                doing = "group text " + who.name() + " -> " + group.name();
                store.storeGroupMessage(who.id(), 0, group.id(), "c" + step, "group " + step, now);
            } else if (op < 70 && who != other) {
                doing = "file offer";
                boolean toGroup = random.nextBoolean();
                store.storeFileOffer(who.id(), 0, toGroup ? 0 : other.id(), toGroup ? group.id() : 0, "f" + step,
                        "file" + step, 10, "ab".repeat(32), false, now, now + 1000);
            } else if (op < 73) {
                doing = "event";
                store.storeEvent(Kind.GROUP_RENAMED, who.id(), 0, group.id(), List.of(other.id(), who.id()),
                        List.of(group.name()), now);
            } else if (op < 85) {
                boolean toGroup = random.nextBoolean();
                long peer = toGroup ? group.id() : other.id();
                long upTo = random.nextInt(3) == 0 ? 0 : random.nextInt((int) Math.max(1, newestId()) + 5);
                doing = "read " + who.name() + " " + (toGroup ? group.name() : other.name()) + " to " + upTo;
                if (toGroup || who != other) {
                    store.markRead(who.id(), toGroup, peer, upTo);
                }
            } else if (op < 89) {
                doing = "join " + who.name() + " " + group.name();
                store.addMember(group.id(), who.id(), now);
            } else if (op < 93) {
                doing = "leave " + who.name() + " " + group.name();
                if (group.ownerId() != who.id()) {
                    store.removeMember(group.id(), who.id());
                }
            } else if (op < 95 && who != other) {
                doing = "unfriend or befriend " + who.name() + " " + other.name();
                if (!store.deleteFriend(who.id(), other.id())) {
                    store.requestFriend(who.id(), other.id(), now);
                    store.requestFriend(other.id(), who.id(), now);
                }
            } else if (op < 98) {
                doing = "retention before " + (now - 30);
                Store.Pruned pruned;
                long after = 0;
                do {
                    pruned = store.deleteOldMessages(now - 30, after, 7);
                    after = pruned.lastId();
                } while (pruned.more());
            } else {
                doing = "disband " + group.name();
                store.deleteGroup(group.id());
                groups.remove(group);
                Group again = group(group.name() + step, other);
                store.addMember(again.id(), who.id(), now);
                groups.add(again);
            }
            for (User u : users) {
                assertEquals(counted(u), store.unread(u.id()), "after " + step + ": " + doing + ", for " + u.name());
                Map<Long, Long> byId = new HashMap<>();
                counted(u).forEach(c -> byId.put((c.group() ? -1 : 1) * c.id(), c.count()));
                var contacts = store.contacts(u.id());
                for (var f : contacts.friends()) {
                    assertEquals(byId.getOrDefault(f.id(), 0L), f.unread(), "friend " + f.name() + " of " + u.name());
                }
                for (var g : contacts.groups()) {
                    assertEquals(byId.getOrDefault(-g.group().id(), 0L), g.unread(), "group " + g.group().name());
                }
            }
            if (step % 10 == 0) {
                store.indexForSearch(1 + indexing.nextInt(40)); // the mark below, at or above deletes
            }
            assertIndexHoldsTextsUpToTheMark("after " + step + ": " + doing);
        }
    }

    /**
     * The search index holds exactly the texts and offers up to its mark, none deleted, none after
     * it (a leftover row would not change a search's answer, so searches cannot tell). SQLite: the
     * rows of messages_fts. MySQL: the mark ends a block, and search_grams holds a row for each
     * trigram of each block up to it, its bits those of the messages holding the trigram, and no
     * other row (the trigger cleared the deleted messages' bits and deleted the rows it emptied).
     */
    private void assertIndexHoldsTextsUpToTheMark(String when) throws Exception {
        try (Connection c = store.database().open()) {
            long mark = SearchIndex.mark(c);
            if (store.database().dialect() == Database.Dialect.SQLITE) {
                assertEquals(ids(c, "SELECT id FROM messages WHERE kind IN " + Rows.CHAT_KINDS + " AND id <= " + mark
                        + " ORDER BY id"), ids(c, "SELECT rowid FROM messages_fts ORDER BY rowid"), when);
                return;
            }
            assertTrue(mark == 0 || (mark + 1) % SearchIndex.BLOCK == 0, "the mark ends a block: " + mark + ", " + when);
            Map<String, Long> want = new TreeMap<>();
            try (var s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, LOWER(body) FROM messages"
                    + " WHERE kind IN " + Rows.CHAT_KINDS + " AND id <= " + mark)) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    for (byte[] gram : SearchIndex.grams(rs.getString(2))) {
                        want.merge(HexFormat.of().formatHex(gram) + "/" + id / SearchIndex.BLOCK,
                                1L << (id % SearchIndex.BLOCK), (a, b) -> a | b);
                    }
                }
            }
            Map<String, Long> got = new TreeMap<>();
            try (var s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT gram, block, bits FROM search_grams")) {
                while (rs.next()) {
                    got.put(HexFormat.of().formatHex(rs.getBytes(1)) + "/" + rs.getLong(2), rs.getLong(3));
                }
            }
            assertEquals(want, got, when);
        }
    }

    private static List<Long> ids(Connection c, String sql) throws Exception {
        List<Long> ids = new ArrayList<>();
        try (var s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    @Test
    void unreadReadsNoMessageAndContactsNoWholeTable() throws Exception {
        befriend(alice, bob);
        Group rust = group("Rust", bob);
        store.addMember(rust.id(), alice.id(), 1);
        for (int i = 0; i < 50; i++) {
            store.storeMessage(bob.id(), 0, alice.id(), "c" + i, "hi " + i, i);
            store.storeGroupMessage(bob.id(), 0, rust.id(), "g" + i, "all " + i, i);
        }
        analyze();
        String unreadPlan = plan(ContactStore.UNREAD, alice.id(), alice.id());
        assertTrue(!java.util.regex.Pattern.compile("\\b(messages|m|i|x)\\b").matcher(unreadPlan).find(),
                "UNREAD reads no message, by any name:" + unreadPlan);
        assertEquals(List.of(), fullScans(ContactStore.FRIENDS, alice.id()), plan(ContactStore.FRIENDS, alice.id()));
        assertEquals(List.of(), fullScans(ContactStore.GROUPS, alice.id()), plan(ContactStore.GROUPS, alice.id()));
        assertEquals(List.of(new Unread(true, rust.id(), "Rust", 50), new Unread(false, bob.id(), "Bob", 50)),
                store.unread(alice.id()));
    }

    /** Bodies and queries where a search could go wrong: case, Chinese, emoji, LIKE's wildcards, quotes, NUL. */
    private static final List<String> BODIES = List.of("Hello World", "hello world", "HELLO", "你好世界", "世界你好啊",
            "100% sure", "a_b_c", "a%b", "x_y%z", "emoji 😀😁😂 here", "😀 alone", "école", "ÉCOLE", "Ecole",
            "say \"hi\" now", "it's", "back\\slash", "KELVIN \u212A", "needle in a haystack", "NeEdLe", "Ünïcödé",
            "ǅemal", "ß straße", "İstanbul", "mixed 中文 and English 123", "  spaces  ", "a", "ab", "abc");

    private static final List<String> QUERIES = List.of("%", "_", "a%b", "%_%", "100%", "\"", "\"hi\"", "'", "é",
            "É", "ÉCOLE", "école", "ecole", "你好", "你", "你好世界", "世界你", "😀", "😀😁", "😁😂 h", "KELVIN", "kelvin",
            "\u212A", "k", "needle", "NEEDLE", "eed", "\\", "back\\s", "ß", "STRASSE", "straße", "İ", "i", "ǅ", "ǆemal",
            "hello world", "HELLO WORLD", "lo w", "  ", "abc", "ab", "xyz", "NOT THERE AT ALL", "中文 and", "123",
            "\0hello", "hel\0lo");

    @Test
    void searchFindsWhatTheScanFinds() throws Exception {
        User dave = user("Dave");
        befriend(alice, bob);
        befriend(bob, carol);
        Group rust = group("Rust", bob);
        store.addMember(rust.id(), alice.id(), 1);
        var random = new Random(7);
        int n = 0;
        for (int round = 0; round < 5; round++) {
            for (String body : BODIES) {
                n++;
                switch (random.nextInt(4)) {
                    case 0 -> store.storeMessage(bob.id(), 0, alice.id(), "c" + n, body, n);
                    case 1 -> store.storeMessage(alice.id(), 0, bob.id(), "c" + n, body, n);
                    case 2 -> store.storeGroupMessage(carol.id(), 0, rust.id(), "c" + n, body, n);
                    default -> store.storeMessage(carol.id(), 0, dave.id(), "c" + n, body, n); // not Alice's
                }
            }
            if (round == 1) {
                store.storeFileOffer(bob.id(), 0, alice.id(), 0, "f", "Hello World.pdf", 10, "ab".repeat(32), false, n, n + 100);
                store.addMember(rust.id(), carol.id(), n); // Carol joins her own group's later messages
            }
        }
        List<String> queries = new ArrayList<>(QUERIES);
        for (int i = 0; i < 150; i++) {
            String body = BODIES.get(random.nextInt(BODIES.size()));
            int[] points = body.codePoints().toArray();
            int from = random.nextInt(points.length);
            int to = Math.min(points.length, from + 1 + random.nextInt(6));
            String part = new String(points, from, to - from);
            queries.add(switch (random.nextInt(3)) {
                case 0 -> part.toUpperCase(Locale.ROOT);
                case 1 -> part.toLowerCase(Locale.ROOT);
                default -> part;
            });
        }
        // Behind (nothing indexed: all scanned past the mark), half way, caught up.
        int found = sameAsTheScan(queries, dave);
        assertTrue(store.indexForSearch(SearchIndex.BLOCK), "more waits"); // MariaDB: the first of two whole blocks
        long newest = newestId();
        try (Connection c = store.database().open()) {
            long mark = SearchIndex.mark(c);
            assertTrue(mark > 0 && mark < newest, "half way: " + mark + " of " + newest);
        }
        assertIndexHoldsTextsUpToTheMark("half way");
        assertEquals(found, sameAsTheScan(queries, dave), "half way");
        while (store.indexForSearch(7)) {
            // to the newest
        }
        try (Connection c = store.database().open()) {
            long mark = SearchIndex.mark(c);
            if (store.database().dialect() == Database.Dialect.SQLITE) {
                assertEquals(newest, mark, "caught up");
            } else {
                // Whole blocks only: the newest block's messages stay after the mark until it is whole.
                assertEquals((newest + 1) / SearchIndex.BLOCK * SearchIndex.BLOCK - 1, mark, "caught up");
            }
        }
        assertIndexHoldsTextsUpToTheMark("caught up");
        assertEquals(found, sameAsTheScan(queries, dave), "caught up");
        assertTrue(found > 500, "the queries find things: " + found);
    }

    /** Asserts that SEARCH finds what the scan finds for each query, user and two limits; how many it found. */
    private int sameAsTheScan(List<String> queries, User dave) throws Exception {
        int found = 0;
        for (String q : queries) {
            for (User u : List.of(alice, bob, carol, dave)) {
                for (int limit : List.of(50, 2)) {
                    List<Long> scanned = scan(u, q, limit);
                    assertEquals(scanned, store.search(u.id(), q, limit).stream().map(Message::id).toList(),
                            "search for [" + q + "] by " + u.name() + ", at most " + limit);
                    found += scanned.size();
                }
            }
        }
        return found;
    }

    @Test
    void searchReadsTheIndexNewestFirstWhereItCan() throws Exception {
        befriend(alice, bob);
        for (int i = 0; i < 200; i++) {
            store.storeMessage(bob.id(), 0, alice.id(), "c" + i, "message " + i + (i % 50 == 0 ? " needle" : ""), i);
        }
        store.indexForSearch(120); // half of them indexed, the newest 80 after the mark
        assertEquals(4, store.search(alice.id(), "needle", 50).size());
        if (store.database().dialect() == Database.Dialect.SQLITE) {
            long mark;
            try (Connection c = store.database().open()) {
                mark = SearchIndex.mark(c);
            }
            assertTrue(mark > 0 && mark < newestId(), "half way: " + mark);
            analyzeSqlite();
            Object[] params = {alice.id(), SearchIndex.phrase("needle"), alice.id(), alice.id(), "needle", mark, 50};
            String plan = plan(SearchIndex.INDEXED, params);
            assertEquals(List.of(), badSteps(SearchIndex.INDEXED, params), plan);
            assertTrue(plan.contains("SCAN hit VIRTUAL TABLE"), "the trigram index is read" + plan);
            assertTrue(!plan.contains("TEMP B-TREE"), "in its own order, newest first, nothing sorted" + plan);
            Object[] tailParams = {alice.id(), alice.id(), alice.id(), "needle", mark, 50};
            String tail = plan(SearchIndex.TAIL, tailParams);
            assertTrue(tail.contains("SEARCH m USING INTEGER PRIMARY KEY (rowid>?)"),
                    "the messages after the mark only, a range of the key" + tail);
            assertTrue(!tail.contains("TEMP B-TREE"), "newest first in the key's order" + tail);
            assertTrue(SearchIndex.indexed(Database.Dialect.SQLITE, "😀😁😂"), "three characters, six UTF-16 units");
            assertTrue(!SearchIndex.indexed(Database.Dialect.SQLITE, "😀😁"), "two characters, four UTF-16 units");
        } else {
            long mark;
            try (Connection c = store.database().open()) {
                mark = SearchIndex.mark(c);
            }
            assertEquals(2 * SearchIndex.BLOCK - 1, mark, "two whole blocks for 120 messages");
            analyze();
            try (Connection c = store.database().open(); var s = c.createStatement()) {
                s.execute("ANALYZE TABLE search_grams");
            }
            List<byte[]> grams = SearchIndex.grams("needle");
            Object[] blockParams = {grams.get(1), grams.get(2), grams.get(3), grams.get(0), (mark + 1) / SearchIndex.BLOCK,
                16};
            String blocks = SearchIndex.blocks(4);
            List<String[]> steps = explain(blocks, blockParams);
            String plan = plan(blocks, blockParams);
            assertEquals(4, steps.size(), plan);
            assertEquals(List.of("g0", "g1", "g2", "g3"), steps.stream().map(r -> r[0]).toList(),
                    "the rarest trigram's rows first, in the order given" + plan);
            for (String[] step : steps) {
                assertEquals("PRIMARY", step[2], "every trigram read by the primary key" + plan);
                assertTrue(!step[3].contains("filesort") && !step[3].contains("temporary"), "nothing sorted" + plan);
            }
            assertTrue(steps.get(0)[1].equals("range") || steps.get(0)[1].equals("ref"), "a range of one trigram" + plan);
            for (String[] step : steps.subList(1, 4)) {
                assertEquals("eq_ref", step[1], "the others looked up, block by block" + plan);
            }
            Object[] countParams = {grams.get(0), 2L, grams.get(1), 2L};
            for (String[] step : explain(SearchIndex.counts(2), countParams)) {
                if (step[0].startsWith("search_grams")) {
                    assertEquals("PRIMARY", step[2], "counted in a range of the key" + plan(SearchIndex.counts(2), countParams));
                }
            }
            String checked = SearchIndex.checked(4);
            Object[] checkParams = {alice.id(), alice.id(), alice.id(), "needle", 50L, 100L, 101L, 102L, 50};
            // Sorting the candidates found (at most a few hundred ids) is allowed; reading messages whole is not.
            assertEquals(List.of(), fullScans(checked, checkParams), plan(checked, checkParams));
            assertTrue(explain(checked, checkParams).stream().anyMatch(r -> r[0].equals("m") && r[2].equals("PRIMARY")),
                    "the candidates by the primary key" + plan(checked, checkParams));
            Object[] tailParams = {alice.id(), alice.id(), alice.id(), "needle", mark, 50};
            assertEquals(List.of(), fullScans(SearchIndex.TAIL, tailParams), plan(SearchIndex.TAIL, tailParams));
            assertTrue(SearchIndex.indexed(Database.Dialect.MYSQL, "\0ab"), "a NUL is a character on MariaDB");
            assertTrue(!SearchIndex.indexed(Database.Dialect.MYSQL, "😀😁"), "two characters");
        }
    }

    /** MySQL's EXPLAIN of {@code sql}: per step its table, type, key and Extra ("" for none). */
    private List<String[]> explain(String sql, Object... params) throws Exception {
        List<String[]> steps = new ArrayList<>();
        try (Connection c = store.database().open(); var ps = c.prepareStatement("EXPLAIN " + sql)) {
            Sql.bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    steps.add(new String[] {String.valueOf(rs.getString("table")), String.valueOf(rs.getString("type")),
                        String.valueOf(rs.getString("key")), rs.getString("Extra") == null ? "" : rs.getString("Extra")});
                }
            }
        }
        return steps;
    }

    @Test
    void theWriterIndexesWhenNoWriteWaits() throws Exception {
        befriend(alice, bob);
        var answered = new java.util.concurrent.CountDownLatch(300);
        try (Workers workers = new Workers(Runnable::run, 1, store)) {
            for (int i = 0; i < 300; i++) {
                String body = "written " + i + (i % 100 == 0 ? " needle" : "");
                long at = i;
                workers.write(() -> store.storeMessage(bob.id(), 0, alice.id(), "w" + at, body, at),
                        (stored, failure) -> answered.countDown());
            }
            assertTrue(answered.await(60, java.util.concurrent.TimeUnit.SECONDS), "the writes are answered");
            long newest = newestId();
            // SQLite indexes every message; MySQL whole blocks, the newest one once it is whole.
            long want = store.database().dialect() == Database.Dialect.SQLITE ? newest
                    : (newest + 1) / SearchIndex.BLOCK * SearchIndex.BLOCK - 1;
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            long mark = 0;
            while (mark < want && System.nanoTime() < deadline) {
                Thread.sleep(20);
                try (Connection c = store.database().open()) {
                    mark = SearchIndex.mark(c);
                }
            }
            assertEquals(want, mark, "the index catches up with no write waiting");
            assertIndexHoldsTextsUpToTheMark("caught up by the writer");
        }
        assertEquals(scan(alice, "needle", 50), store.search(alice.id(), "needle", 50).stream().map(Message::id).toList());
        assertEquals(3, store.search(alice.id(), "needle", 50).size());
    }

    /**
     * A version 4 database, made while triggers counted each inserted text (before the store did it
     * in Java), loses them in its move to version 5, so that no text counts twice.
     */
    @Test
    void theOldInsertTriggersAreDroppedByTheMoveToVersion5() throws Exception {
        befriend(alice, bob);
        boolean sqlite = store.database().dialect() == Database.Dialect.SQLITE;
        try (Connection c = store.database().open(); var s = c.createStatement()) {
            // What the old trigger did, in short: one more for the recipient of each private text.
            s.execute("CREATE TRIGGER unread_private_insert AFTER INSERT ON messages FOR EACH ROW "
                    + (sqlite ? "WHEN NEW.recipient_id IS NOT NULL BEGIN UPDATE unread_counts SET unread = unread + 1 "
                            + "WHERE user_id = NEW.recipient_id; END"
                            : "UPDATE unread_counts SET unread = unread + 1 WHERE user_id = NEW.recipient_id"));
            s.executeUpdate("UPDATE schema_version SET version = 4"); // as a version 4 database had it
        }
        store.storeMessage(alice.id(), 0, bob.id(), "before", "counted twice while the trigger is there", 1);
        store.close();
        store = JdbcStore.open(store.database());
        try (Connection c = store.database().open(); var s = c.createStatement();
                ResultSet rs = s.executeQuery(sqlite ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' "
                        + "AND name = 'unread_private_insert'" : "SELECT COUNT(*) FROM information_schema.TRIGGERS "
                        + "WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME = 'unread_private_insert'")) {
            rs.next();
            assertEquals(0, rs.getInt(1));
        }
        store.markRead(bob.id(), false, alice.id(), 0);
        store.storeMessage(alice.id(), 0, bob.id(), "after", "counted once", 2);
        assertEquals(counted(bob), store.unread(bob.id()));
        assertEquals(List.of(new Unread(false, alice.id(), "Alice", 1)), store.unread(bob.id()));
    }

    /** What the scan, every message read, finds. */
    private List<Long> scan(User u, String q, int limit) throws Exception {
        List<Long> ids = new ArrayList<>();
        try (Connection c = store.database().open(); var ps = c.prepareStatement(SearchIndex.SCAN)) {
            Sql.bind(ps, u.id(), u.id(), u.id(), q, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    private List<Unread> counted(User u) throws Exception {
        return counted(store.database(), u.id());
    }

    /** {@link #COUNTED}: a user's unread counts as counting the messages gives them. */
    static List<Unread> counted(Database database, long userId) throws SQLException {
        List<Unread> out = new ArrayList<>();
        try (Connection c = database.open(); var ps = c.prepareStatement(COUNTED)) {
            Sql.bind(ps, userId, userId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Unread(rs.getInt(1) == 1, rs.getLong(2), rs.getString(3), rs.getLong(4)));
                }
            }
        }
        return out;
    }

    private long newestId() throws Exception {
        try (Connection c = store.database().open()) {
            return MessageStore.newestId(c);
        }
    }
}
