package chat.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.server.store.Store.Friend;
import chat.server.store.Store.FriendRequest;
import chat.server.store.Store.Message;
import chat.server.store.Store.RequestOutcome;
import chat.server.store.Store.Stored;
import chat.server.store.Store.User;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Store} method promises, run against each database by the subclasses in
 * {@link StoreTest}. Each test gets an empty database.
 */
abstract class StoreContract {

    /** An empty database for one test. */
    abstract Database database() throws Exception;

    JdbcStore store;
    User alice;
    User bob;
    User carol;

    @BeforeEach
    void open() throws Exception {
        store = JdbcStore.open(database());
        alice = user("Alice");
        bob = user("Bob");
        carol = user("Carol");
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    User user(String name) {
        return store.createUser(name, name.toLowerCase(java.util.Locale.ROOT), "hash-" + name, 1000).orElseThrow();
    }

    // Accounts.

    @Test
    void createUserAssignsIdsAndIsFoundByKey() {
        assertNotEquals(alice.id(), bob.id());
        assertEquals(new User(alice.id(), "Alice", "hash-Alice"), alice);
        assertEquals(Optional.of(alice), store.userByKey("alice"));
        assertEquals(Optional.empty(), store.userByKey("Alice"), "keys are compared exactly");
        assertEquals(Optional.empty(), store.userByKey("nobody"));
    }

    @Test
    void createUserRefusesATakenKey() {
        assertEquals(Optional.empty(), store.createUser("ALICE", "alice", "other", 2000));
        assertEquals(Optional.of(alice), store.userByKey("alice"), "the first account is untouched");
        var after = store.createUser("Dave", "dave", "h", 3000);
        assertTrue(after.isPresent(), "the store still works after a refused insert");
    }

    @Test
    void chineseNamesRoundTrip() {
        User ming = store.createUser("小明😀", "小明😀", "h", 1).orElseThrow();
        assertEquals(Optional.of(ming), store.userByKey("小明😀"));
        assertEquals(List.of(ming), store.findUsers("明", 10));
    }

    @Test
    void valuesTooLongForTheColumnsAreRefusedOnBothDatabases() {
        String longName = "名".repeat(65);
        assertThrows(IllegalArgumentException.class, () -> store.createUser(longName, longName, "h", 1));
        String fits = "名".repeat(64);
        assertTrue(store.createUser(fits, fits, "h", 1).isPresent(), "64 characters fit, whatever their bytes");
        assertThrows(IllegalArgumentException.class,
                () -> store.storeMessage(alice.id(), bob.id(), "x".repeat(65), "hi", 1));
        assertThrows(IllegalArgumentException.class,
                () -> store.storeMessage(alice.id(), bob.id(), "c1", "字".repeat(21_846), 1));
        assertEquals("字".repeat(21_845), store.storeMessage(alice.id(), bob.id(), "c1", "字".repeat(21_845), 1)
                .message().body());
    }

    @Test
    void markOnlineWritesOneConnectionRowAndTheStatus() throws Exception {
        store.markOnline(alice.id(), "10.0.0.1", 5000, 7000);
        assertEquals(List.of("10.0.0.1:5000@7000"), connectionRows());
        assertEquals(1, status(alice.id()));
        assertEquals(0, status(bob.id()));

        store.markOnline(alice.id(), "10.0.0.2", 6000, 8000); // logged in again: the row is replaced
        assertEquals(List.of("10.0.0.2:6000@8000"), connectionRows());

        store.markOffline(alice.id());
        assertEquals(List.of(), connectionRows());
        assertEquals(0, status(alice.id()));
        store.markOffline(alice.id()); // twice is harmless
        assertEquals(0, status(alice.id()));
    }

    @Test
    void reopeningClearsWhoIsOnline() throws Exception {
        store.markOnline(alice.id(), "10.0.0.1", 5000, 7000);
        JdbcStore.open(store.database()).close();
        assertEquals(List.of(), connectionRows());
        assertEquals(0, status(alice.id()));
    }

    @Test
    void findUsersMatchesSubstringsOfTheKeyByName() {
        User alan = user("Alan");
        User mal = user("Mal");
        assertEquals(List.of(alan, alice, mal), store.findUsers("al", 10));
        assertEquals(List.of(alan, alice), store.findUsers("al", 2));
        assertEquals(List.of(), store.findUsers("al", 0));
        assertEquals(List.of(), store.findUsers("zz", 10));
        assertEquals(List.of(), store.findUsers("AL", 10), "the caller folds the key part");
        assertEquals(List.of(alan, alice, bob, carol, mal), store.findUsers("", 10));
    }

    @Test
    void findUsersTakesWildcardsLiterally() {
        User under = store.createUser("a_b", "a_b", "h", 1).orElseThrow();
        User percent = store.createUser("a%b", "a%b", "h", 1).orElseThrow();
        store.createUser("axb", "axb", "h", 1).orElseThrow();
        assertEquals(List.of(under), store.findUsers("_", 10));
        assertEquals(List.of(under), store.findUsers("a_b", 10));
        assertEquals(List.of(percent), store.findUsers("%", 10));
        assertEquals(List.of(percent), store.findUsers("a%", 10));
    }

    @Test
    void negativeLimitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> store.findUsers("a", -1));
        assertThrows(IllegalArgumentException.class, () -> store.undelivered(alice.id(), -1));
        assertThrows(IllegalArgumentException.class, () -> store.history(alice.id(), bob.id(), Long.MAX_VALUE, -1));
        assertThrows(IllegalArgumentException.class, () -> store.search(alice.id(), "a", -1));
    }

    // Friends.

    @Test
    void aRequestWaitsUntilAccepted() {
        assertEquals(RequestOutcome.REQUESTED, store.requestFriend(alice.id(), bob.id(), 10));
        assertEquals(RequestOutcome.ALREADY_REQUESTED, store.requestFriend(alice.id(), bob.id(), 11));
        assertEquals(List.of(new FriendRequest(alice.id(), "Alice", 10)), store.pendingRequests(bob.id()));
        assertEquals(List.of(), store.pendingRequests(alice.id()));
        assertFalse(store.areFriends(alice.id(), bob.id()));

        assertTrue(store.acceptRequest(bob.id(), alice.id(), 20));
        assertTrue(store.areFriends(alice.id(), bob.id()));
        assertTrue(store.areFriends(bob.id(), alice.id()));
        assertEquals(List.of(), store.pendingRequests(bob.id()));
        assertEquals(List.of(new Friend(bob.id(), "Bob", null)), store.friends(alice.id()));
        assertEquals(List.of(new Friend(alice.id(), "Alice", null)), store.friends(bob.id()));
        assertFalse(store.acceptRequest(bob.id(), alice.id(), 21), "the request is gone");
        assertEquals(RequestOutcome.ALREADY_FRIENDS, store.requestFriend(alice.id(), bob.id(), 30));
        assertEquals(RequestOutcome.ALREADY_FRIENDS, store.requestFriend(bob.id(), alice.id(), 30));
        assertEquals(List.of(), store.pendingRequests(alice.id()));
        assertEquals(List.of(), store.pendingRequests(bob.id()));
    }

    @Test
    void requestsCrossingMakeFriendsAndLeaveNoRequest() {
        assertEquals(RequestOutcome.REQUESTED, store.requestFriend(alice.id(), bob.id(), 10));
        assertEquals(RequestOutcome.NOW_FRIENDS, store.requestFriend(bob.id(), alice.id(), 11));
        assertTrue(store.areFriends(alice.id(), bob.id()));
        assertTrue(store.areFriends(bob.id(), alice.id()));
        assertEquals(List.of(), store.pendingRequests(alice.id()));
        assertEquals(List.of(), store.pendingRequests(bob.id()));
        assertEquals(0, count("SELECT COUNT(*) FROM friend_requests"));
        assertEquals(2, count("SELECT COUNT(*) FROM friends"));
    }

    @Test
    void acceptingDropsTheRequestBothWays() throws Exception {
        store.requestFriend(alice.id(), bob.id(), 10);
        // Both waiting at once cannot come from requestFriend; an older server might have left it.
        execute("INSERT INTO friend_requests (from_id, to_id, created_at) VALUES ("
                + bob.id() + ", " + alice.id() + ", 11)");
        assertTrue(store.acceptRequest(bob.id(), alice.id(), 20));
        assertEquals(0, count("SELECT COUNT(*) FROM friend_requests"));
        assertEquals(2, count("SELECT COUNT(*) FROM friends"));
    }

    @Test
    void pendingRequestsAreOldestFirst() {
        store.requestFriend(carol.id(), alice.id(), 20);
        store.requestFriend(bob.id(), alice.id(), 10);
        assertEquals(List.of(new FriendRequest(bob.id(), "Bob", 10), new FriendRequest(carol.id(), "Carol", 20)),
                store.pendingRequests(alice.id()));
    }

    @Test
    void acceptingWithoutARequestDoesNothing() {
        assertFalse(store.acceptRequest(bob.id(), alice.id(), 20));
        store.requestFriend(bob.id(), alice.id(), 10); // the other way round
        assertFalse(store.acceptRequest(bob.id(), alice.id(), 20));
        assertFalse(store.areFriends(alice.id(), bob.id()));
        assertEquals(1, store.pendingRequests(alice.id()).size());
    }

    @Test
    void decliningDropsOnlyThatRequest() {
        store.requestFriend(alice.id(), carol.id(), 10);
        store.requestFriend(bob.id(), carol.id(), 11);
        assertTrue(store.declineRequest(carol.id(), alice.id()));
        assertFalse(store.declineRequest(carol.id(), alice.id()));
        assertFalse(store.areFriends(alice.id(), carol.id()));
        assertEquals(List.of(new FriendRequest(bob.id(), "Bob", 11)), store.pendingRequests(carol.id()));
        assertEquals(RequestOutcome.REQUESTED, store.requestFriend(alice.id(), carol.id(), 12), "may ask again");
    }

    @Test
    void aSelfRequestIsRefusedWithoutWriting() {
        assertThrows(IllegalArgumentException.class, () -> store.requestFriend(alice.id(), alice.id(), 10));
        assertEquals(0, count("SELECT COUNT(*) FROM friend_requests"));
        assertEquals(0, count("SELECT COUNT(*) FROM friends"));
    }

    @Test
    void deletingAFriendEndsBothSidesOnly() {
        befriend(alice, bob);
        befriend(alice, carol);
        assertTrue(store.deleteFriend(bob.id(), alice.id()));
        assertFalse(store.areFriends(alice.id(), bob.id()));
        assertFalse(store.areFriends(bob.id(), alice.id()));
        assertEquals(List.of(new Friend(carol.id(), "Carol", null)), store.friends(alice.id()));
        assertEquals(List.of(new Friend(alice.id(), "Alice", null)), store.friends(carol.id()));
        assertFalse(store.deleteFriend(bob.id(), alice.id()));
        assertFalse(store.deleteFriend(bob.id(), carol.id()));
    }

    @Test
    void friendsAreByNameWithMyAliasOnly() {
        User aaron = user("Aaron");
        befriend(alice, carol);
        befriend(alice, bob);
        befriend(alice, aaron);
        assertTrue(store.setAlias(alice.id(), bob.id(), "老同学"));
        assertEquals(List.of(new Friend(aaron.id(), "Aaron", null), new Friend(bob.id(), "Bob", "老同学"),
                new Friend(carol.id(), "Carol", null)), store.friends(alice.id()));
        assertEquals(List.of(new Friend(alice.id(), "Alice", null)), store.friends(bob.id()), "Bob's side has none");
        assertTrue(store.setAlias(alice.id(), bob.id(), "老同学"), "setting the same alias again still finds the friend");
        assertTrue(store.setAlias(alice.id(), bob.id(), ""));
        assertNull(store.friends(alice.id()).get(1).alias(), "empty clears");
        store.setAlias(alice.id(), bob.id(), "B");
        assertTrue(store.setAlias(alice.id(), bob.id(), null));
        assertNull(store.friends(alice.id()).get(1).alias(), "null clears");
        assertFalse(store.setAlias(bob.id(), carol.id(), "x"), "not friends");
        assertEquals(List.of(), store.friends(user("Zed").id()));
    }

    @Test
    void aNewFriendshipStartsWithoutAnAlias() {
        befriend(alice, bob);
        store.setAlias(alice.id(), bob.id(), "B");
        store.deleteFriend(alice.id(), bob.id());
        befriend(alice, bob);
        assertNull(store.friends(alice.id()).get(0).alias(), "a new friendship starts without an alias");
    }

    void befriend(User a, User b) {
        assertEquals(RequestOutcome.REQUESTED, store.requestFriend(a.id(), b.id(), 1));
        assertEquals(RequestOutcome.NOW_FRIENDS, store.requestFriend(b.id(), a.id(), 2));
    }

    // Messages.

    @Test
    void storeMessageReturnsTheStoredRowWithNames() {
        Stored s = store.storeMessage(alice.id(), bob.id(), "c1", "你好, Bob 😀", 5000);
        assertFalse(s.duplicate());
        Message m = s.message();
        assertTrue(m.id() > 0);
        assertEquals(new Message(m.id(), alice.id(), "Alice", bob.id(), "Bob", "c1", "你好, Bob 😀", 5000), m);
        assertEquals(List.of(m), store.undelivered(bob.id(), 10));
    }

    @Test
    void aResendReturnsTheOriginal() {
        Message first = store.storeMessage(alice.id(), bob.id(), "c1", "first", 5000).message();
        Stored again = store.storeMessage(alice.id(), bob.id(), "c1", "changed", 6000);
        assertTrue(again.duplicate());
        assertEquals(first, again.message());
        assertEquals(1, count("SELECT COUNT(*) FROM messages"));

        Stored other = store.storeMessage(bob.id(), alice.id(), "c1", "same client id, other sender", 7000);
        assertFalse(other.duplicate());
        assertTrue(other.message().id() > first.id());
        Stored next = store.storeMessage(alice.id(), bob.id(), "c2", "next", 8000);
        assertFalse(next.duplicate());
        assertTrue(next.message().id() > other.message().id());
    }

    @Test
    void aMessageToNobodyIsNotKept() {
        assertThrows(StoreException.class, () -> store.storeMessage(alice.id(), 9999, "c1", "hi", 1));
        assertEquals(0, count("SELECT COUNT(*) FROM messages"));
        assertFalse(store.storeMessage(alice.id(), bob.id(), "c1", "hi", 1).duplicate(), "nothing was kept");
    }

    @Test
    void undeliveredIsWhatFollowsTheAcknowledgedIdOldestFirst() {
        List<Message> toBob = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            toBob.add(store.storeMessage(alice.id(), bob.id(), "a" + i, "m" + i, i).message());
            store.storeMessage(bob.id(), alice.id(), "b" + i, "reply" + i, i); // not to Bob
            store.storeMessage(carol.id(), alice.id(), "c" + i, "other" + i, i);
        }
        assertEquals(toBob, store.undelivered(bob.id(), 100));
        assertEquals(toBob.subList(0, 2), store.undelivered(bob.id(), 2));

        store.acknowledge(bob.id(), toBob.get(2).id());
        assertEquals(toBob.subList(3, 5), store.undelivered(bob.id(), 100));
        store.acknowledge(bob.id(), toBob.get(0).id()); // a late, older acknowledgement
        assertEquals(toBob.subList(3, 5), store.undelivered(bob.id(), 100), "never moves back");
        assertEquals(toBob.get(2).id(), count("SELECT acked_msg_id FROM users WHERE id = " + bob.id()));
        store.acknowledge(bob.id(), toBob.get(4).id());
        assertEquals(List.of(), store.undelivered(bob.id(), 100));
        assertEquals(10, store.undelivered(alice.id(), 100).size(), "Alice acknowledged nothing");
        assertEquals(List.of(), store.undelivered(9999, 100), "unknown user");
    }

    @Test
    void historyIsBothDirectionsNewestFirstPagedByBeforeId() {
        List<Message> conversation = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            boolean fromAlice = i % 2 == 0;
            conversation.add(store.storeMessage(fromAlice ? alice.id() : bob.id(), fromAlice ? bob.id() : alice.id(),
                    "h" + i, "line " + i, i).message());
            store.storeMessage(alice.id(), carol.id(), "x" + i, "elsewhere " + i, i);
        }
        List<Message> newestFirst = new ArrayList<>(conversation);
        java.util.Collections.reverse(newestFirst);

        assertEquals(newestFirst, store.history(alice.id(), bob.id(), Long.MAX_VALUE, 100));
        assertEquals(newestFirst, store.history(bob.id(), alice.id(), Long.MAX_VALUE, 100), "the same from Bob");
        List<Message> page1 = store.history(alice.id(), bob.id(), Long.MAX_VALUE, 3);
        assertEquals(newestFirst.subList(0, 3), page1);
        List<Message> page2 = store.history(alice.id(), bob.id(), page1.get(2).id(), 3);
        assertEquals(newestFirst.subList(3, 6), page2);
        List<Message> page3 = store.history(alice.id(), bob.id(), page2.get(2).id(), 3);
        assertEquals(newestFirst.subList(6, 7), page3);
        assertEquals(List.of(), store.history(alice.id(), bob.id(), page3.get(0).id(), 3));
        assertEquals(List.of(), store.history(bob.id(), carol.id(), Long.MAX_VALUE, 3));
    }

    @Test
    void searchIsCaseInsensitiveSubstringOfMyMessagesNewestFirst() {
        Message m1 = store.storeMessage(alice.id(), bob.id(), "1", "Meet at the Cafe", 1).message();
        Message m2 = store.storeMessage(bob.id(), alice.id(), "2", "which CAFÉ? cafeteria?", 2).message();
        store.storeMessage(bob.id(), carol.id(), "3", "cafe without Alice", 3);
        Message m4 = store.storeMessage(carol.id(), alice.id(), "4", "no match here", 4).message();

        assertEquals(List.of(m2, m1), store.search(alice.id(), "cAfE", 10));
        assertEquals(List.of(m2), store.search(alice.id(), "cAfE", 1));
        assertEquals(List.of(m4), store.search(alice.id(), "MATCH", 10));
        assertEquals(List.of(), store.search(alice.id(), "tea party", 10));
        assertEquals(List.of(m4, m2, m1), store.search(alice.id(), "", 10));
    }

    @Test
    void searchFindsChineseText() {
        Message m1 = store.storeMessage(alice.id(), bob.id(), "1", "我们明天去北京吧", 1).message();
        Message m2 = store.storeMessage(bob.id(), alice.id(), "2", "北京太冷了 😀", 2).message();
        store.storeMessage(alice.id(), bob.id(), "3", "上海", 3);
        assertEquals(List.of(m2, m1), store.search(alice.id(), "北京", 10));
        assertEquals(List.of(m2), store.search(bob.id(), "冷了 😀", 10));
        assertEquals(List.of(), store.search(alice.id(), "南京", 10));
    }

    @Test
    void searchTakesWildcardsLiterally() {
        Message percent = store.storeMessage(alice.id(), bob.id(), "1", "100% sure", 1).message();
        Message under = store.storeMessage(alice.id(), bob.id(), "2", "snake_case", 2).message();
        store.storeMessage(alice.id(), bob.id(), "3", "100 x sure, snakeXcase", 3);
        store.storeMessage(alice.id(), bob.id(), "4", "back\\slash", 4);
        assertEquals(List.of(percent), store.search(alice.id(), "%", 10));
        assertEquals(List.of(percent), store.search(alice.id(), "0% s", 10));
        assertEquals(List.of(under), store.search(alice.id(), "_", 10));
        assertEquals(List.of(under), store.search(alice.id(), "e_c", 10));
        assertEquals(1, store.search(alice.id(), "\\", 10).size());
    }

    // Threads.

    @Test
    void oneOfManyRacingRegistrationsWins() throws Exception {
        int threads = 8;
        List<Optional<User>> results = race(threads, i -> store.createUser("Racer" + i, "racer", "h" + i, i));
        List<User> winners = results.stream().flatMap(Optional::stream).toList();
        assertEquals(1, winners.size(), results.toString());
        assertEquals(Optional.of(winners.get(0)), store.userByKey("racer"));
        assertEquals(1, count("SELECT COUNT(*) FROM users WHERE name_key = 'racer'"));
    }

    @Test
    void messagesStoredFromManyThreadsAllArrive() throws Exception {
        int threads = 6;
        int each = 25;
        List<List<Message>> results = race(threads, t -> {
            List<Message> mine = new ArrayList<>();
            for (int i = 0; i < each; i++) {
                Stored s = store.storeMessage(alice.id(), bob.id(), t + "-" + i, "from thread " + t, i);
                assertFalse(s.duplicate());
                mine.add(s.message());
            }
            return mine;
        });
        Set<Long> ids = new HashSet<>();
        results.forEach(list -> list.forEach(m -> ids.add(m.id())));
        assertEquals(threads * each, ids.size(), "ids are distinct");

        List<Message> undelivered = store.undelivered(bob.id(), 1000);
        assertEquals(ids, new HashSet<>(undelivered.stream().map(Message::id).toList()));
        for (int i = 1; i < undelivered.size(); i++) {
            assertTrue(undelivered.get(i - 1).id() < undelivered.get(i).id(), "ascending ids");
        }
        assertTrue(store.openConnections() >= threads, "one connection per thread");
    }

    @Test
    void closeClosesEveryThreadsConnection() throws Exception {
        race(3, i -> store.userByKey("alice"));
        assertTrue(store.openConnections() >= 3);
        store.close();
        assertEquals(0, store.openConnections());
        var e = assertThrows(StoreException.class, () -> store.userByKey("alice"));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
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
