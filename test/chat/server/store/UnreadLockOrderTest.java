package chat.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.testing.MariaDb;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The unread counts of one group's texts, written by two writers at once as two cluster nodes'
 * do, each with texts of several senders in one transaction (a group of writes): they lock the
 * members' rows in one order, so that the second waits for the first and neither deadlocks. They
 * did when each text left its sender's row out: writer 1, with the owner's text, held every row
 * but the owner's; writer 2's text locked the owner's row, then waited for the next; writer 1's
 * second text then wanted the owner's row (the bench's two-node group: a deadlock, a group of
 * writes rolled back and run again alone). Both ways of counting: one writer's (a single server on
 * MariaDB, whose rows still lock) and several writers' ({@code shared}: cluster nodes), which
 * kept leaving the sender out after the first was mended.
 */
class UnreadLockOrderTest {

    @ParameterizedTest(name = "shared {0}")
    @ValueSource(booleans = {false, true})
    void twoWritersCountingOneGroupsTextsWaitForEachOtherAndNeitherDeadlocks(boolean shared) throws Exception {
        var keeper = UnreadCounts.forWriters(Database.Dialect.MYSQL, shared);
        try (var db = MariaDb.fresh()) {
            var database = new Database(db.url(), null, null);
            long group;
            long owner;
            long second;
            long third;
            try (var store = JdbcStore.open(database)) {
                owner = store.createUser("owner", "owner", "h", 1).orElseThrow().id(); // the lowest id
                second = store.createUser("second", "second", "h", 1).orElseThrow().id();
                third = store.createUser("third", "third", "h", 1).orElseThrow().id();
                group = store.createGroup("team", "team", owner, true, 1).orElseThrow().id();
                assertTrue(store.addMember(group, second, 2));
                assertTrue(store.addMember(group, third, 2));
            }
            try (Connection one = database.open(); Connection two = database.open()) {
                one.setAutoCommit(false);
                two.setAutoCommit(false);
                long twosThread = number(two, "SELECT CONNECTION_ID()"); // asked before it is busy
                keeper.groupText(one, group, owner, 100);
                var twos = CompletableFuture.runAsync(() -> {
                    try {
                        keeper.groupText(two, group, second, 101);
                        two.commit();
                    } catch (SQLException e) {
                        throw new CompletionException(e);
                    }
                });
                awaitLockWait(one, twosThread);
                keeper.groupText(one, group, third, 102); // writer 1's next text
                one.commit();
                twos.get(30, TimeUnit.SECONDS); // throws when writer 2 was the deadlock's victim
            }
            try (Connection c = database.open()) {
                assertEquals(2, unread(c, owner, group), "the texts of second and third");
                assertEquals(2, unread(c, second, group), "the owner's and third's");
                assertEquals(2, unread(c, third, group), "the owner's and second's");
            }
        }
    }

    /** Returns once the transaction of connection {@code id} waits for a lock (the other's); asked on {@code asker}. */
    private static void awaitLockWait(Connection asker, long id) throws Exception {
        for (int i = 0; i < 3000; i++) {
            if (MariaDb.lockWaiting(asker).contains(id)) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("writer 2 never waited for writer 1's rows");
    }

    private static long unread(Connection c, long user, long group) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT unread FROM unread_counts WHERE user_id = ? AND conversation = ?")) {
            s.setLong(1, user);
            s.setString(2, Rows.conversation(true, group));
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next(), "a row for user " + user);
                return rs.getLong(1);
            }
        }
    }

    private static long number(Connection c, String sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
