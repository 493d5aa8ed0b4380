package chat.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.server.store.Store.Group;
import chat.server.store.Store.User;
import chat.testing.MariaDb;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
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
 * Unread counts with two nodes' writers on one MariaDB (two stores in cluster mode, one database),
 * in both orders of each race between a text whose transaction has its id and commits late, and
 * another node moving a read mark or adding a member past that id: every kept count must equal
 * what counting the messages gives ({@link ReadsContract#counted}).
 *
 * <p>Node A's text is held in one of two places:
 * <ul>
 *   <li><b>before it is counted</b> ({@link #insertHeld}): a third connection holds the text's
 *       client id in an open transaction, as a resend of it through a third node would. A's insert
 *       has its id and waits on that key; node B does its whole work meanwhile; then the third
 *       connection rolls back, and A counts and commits after B. Without the rule (the count tested
 *       against the mark and join point as they are when it is written, see {@link UnreadCounts})
 *       the text was counted below B's mark, or for a member who joined after it: checked, these
 *       tests failed before it;
 *   <li><b>counted, not yet committed</b> ({@link #countedHeld}): A's store call is done inside a
 *       transaction held open while node B moves the mark or adds the member; B either waits for A
 *       or does not need to, and the counts are exact either way. Without the rule a member who
 *       joined meanwhile at a point below the text never had it counted, and a mark moved below
 *       it recounted by one UPDATE that waited for A's row but read the messages as it began,
 *       without the text.
 * </ul>
 * All six cases failed before the rule (checked). Runs only where MariaDB is (the cluster's
 * database; SQLite has one writer at a time).
 */
class UnreadWritersTest {

    /** How long a step may take before the test takes it for hung (a loaded machine is slow). */
    private static final long HANG_SECONDS = 120;

    private TwoWriters nodes;
    private JdbcStore nodeA;
    private JdbcStore nodeB;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private User alice;
    private User bob;
    private User dave;
    private Group rust;
    private long now = 10;
    /** The third connection of {@link #insertHeld}, holding node A's client id. */
    private Connection holder;

    @BeforeEach
    void open() throws Exception {
        nodes = new TwoWriters();
        nodeA = nodes.nodeA;
        nodeB = nodes.nodeB;
        alice = nodes.alice;
        bob = nodes.bob;
        dave = nodeA.createUser("dave", "dave", "h", 1).orElseThrow();
        rust = nodeA.createGroup("Rust", "rust", alice.id(), true, 3).orElseThrow();
        nodeA.addMember(rust.id(), bob.id(), 4);
    }

    @AfterEach
    void close() throws Exception {
        threads.shutdownNow();
        if (holder != null) {
            holder.close();
        }
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void aTextCommittedAfterAReadMarkAboveItIsNotCounted() throws Exception {
        Future<Long> late = insertHeld(alice, "late", () -> sendPrivate(nodeA, alice, bob, "late"));
        long reply = sendPrivate(nodeB, bob, alice, "reply"); // the newest of the conversation
        nodeB.markRead(bob.id(), false, alice.id(), 0);
        release(late, reply);
        assertExact();
    }

    @Test
    void aTextCountedBeforeAReadMarkBelowItStaysCounted() throws Exception {
        long first = sendPrivate(nodeA, alice, bob, "first");
        countedHeld(() -> sendPrivate(nodeA, alice, bob, "late"), () -> nodeB.markRead(bob.id(), false, alice.id(), first));
        assertExact();
        assertEquals(1, unread(bob, false, alice.id()), "the late text is after bob's mark");
    }

    @Test
    void aGroupTextCommittedAfterAReadMarkAboveItIsNotCounted() throws Exception {
        nodeA.addMember(rust.id(), dave.id(), now++);
        Future<Long> late = insertHeld(alice, "late", () -> sendToGroup(nodeA, alice, "late"));
        long newer = sendToGroup(nodeB, dave, "newer");
        nodeB.markRead(bob.id(), true, rust.id(), 0);
        release(late, newer);
        assertExact();
    }

    @Test
    void aGroupTextCountedBeforeAReadMarkBelowItStaysCounted() throws Exception {
        nodeA.addMember(rust.id(), dave.id(), now++);
        long first = sendToGroup(nodeA, alice, "first");
        countedHeld(() -> sendToGroup(nodeA, alice, "late"), () -> nodeB.markRead(dave.id(), true, rust.id(), first));
        assertExact();
        assertEquals(1, unread(dave, true, rust.id()), "the late text is after dave's mark");
    }

    @Test
    void aGroupTextCommittedAfterAJoinAboveItIsNotCountedForTheNewMember() throws Exception {
        Future<Long> late = insertHeld(alice, "late", () -> sendToGroup(nodeA, alice, "late"));
        long newer = sendToGroup(nodeB, bob, "newer");
        nodeB.addMember(rust.id(), dave.id(), now++); // joins at "newer"
        release(late, newer);
        assertExact();
    }

    @Test
    void aGroupTextCountedBeforeAJoinIsCountedAsTheJoinPointSays() throws Exception {
        sendToGroup(nodeA, bob, "first");
        countedHeld(() -> sendToGroup(nodeA, alice, "late"), () -> nodeB.addMember(rust.id(), dave.id(), now++));
        assertExact();
    }

    /**
     * Starts {@code store} on node A with its client id already taken by an open transaction of a
     * third connection: A's insert gets its id and waits on the key. Returns A's future.
     */
    private Future<Long> insertHeld(User sender, String clientId, Callable<Long> store) throws Exception {
        holder = nodes.database().open();
        holder.setAutoCommit(false);
        Sql.update(holder, "INSERT INTO messages (sender_id, recipient_id, client_id, body, sent_at) VALUES (?, ?, ?, ?, ?)",
                sender.id(), sender.id(), clientId, "held", now);
        Future<Long> stored = threads.submit(store);
        awaitWaitingOrDone(stored);
        assertTrue(!stored.isDone(), "node A's insert waits on the held client id");
        return stored;
    }

    /** The third connection lets node A's insert go; A's text has the lower id and commits last. */
    private void release(Future<Long> late, long above) throws Exception {
        holder.rollback();
        holder.close();
        long id = late.get(HANG_SECONDS, TimeUnit.SECONDS);
        assertTrue(id < above, "the late text has the lower id: " + id + " < " + above);
    }

    /**
     * Runs {@code store} on node A in a transaction held open once it returns, and {@code other} on
     * node B meanwhile; lets A commit once B is done or waits for a lock.
     */
    private void countedHeld(Callable<Long> store, Runnable other) throws Exception {
        var counted = new CountDownLatch(1);
        var commit = new CountDownLatch(1);
        Future<Long> a = threads.submit(() -> nodeA.inTransaction("a text held open", () -> {
            try {
                long id = store.call();
                counted.countDown();
                assertTrue(commit.await(2 * HANG_SECONDS, TimeUnit.SECONDS), "released");
                return id;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
        assertTrue(counted.await(HANG_SECONDS, TimeUnit.SECONDS), "node A stored its text");
        Future<?> b = threads.submit(other);
        awaitWaitingOrDone(b);
        commit.countDown();
        a.get(HANG_SECONDS, TimeUnit.SECONDS);
        b.get(HANG_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Until {@code work} is done or a transaction on the test's database waits for a lock (read
     * from InnoDB's own tables: no sleep stands for an order).
     */
    private void awaitWaitingOrDone(Future<?> work) throws Exception {
        try (Connection c = nodes.database().open()) {
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_SECONDS);
            while (!work.isDone() && !MariaDb.lockWaitIn(c)) {
                assertTrue(System.nanoTime() < giveUp, "neither done nor waiting for a lock");
                Thread.sleep(10);
            }
        }
    }


    private long sendPrivate(Store node, User from, User to, String clientId) {
        var sent = node.storeFriendMessages(List.of(new Store.Outgoing(from.id(), from.name(), 0, to.name(), clientId,
                clientId, now++))).get(0);
        return sent.stored().message().id();
    }

    private long sendToGroup(Store node, User from, String clientId) {
        return node.storeGroupMessage(from.id(), 0, rust.id(), clientId, clientId, now++).message().id();
    }

    /** Every user's kept counts are what counting the messages gives. */
    private void assertExact() throws SQLException {
        for (User u : List.of(alice, bob, dave)) {
            assertEquals(ReadsContract.counted(nodeB.database(), u.id()), nodeB.unread(u.id()), "unread of " + u.name());
        }
    }

    private long unread(User u, boolean group, long peerId) {
        return nodeB.unread(u.id()).stream().filter(x -> x.group() == group && x.id() == peerId)
                .mapToLong(Store.Unread::count).sum();
    }
}
