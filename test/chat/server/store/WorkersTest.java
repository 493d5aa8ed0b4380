package chat.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.server.Backend;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The writer's group commit, on a real database: writes queued while the writer is busy share one
 * transaction, each in its savepoint, so that one that throws is undone alone; a group whose
 * transaction fails as a whole runs each write again alone.
 */
class WorkersTest {

    /** The callbacks, in the order the "reactor" (one thread here) ran them. */
    private final ExecutorService reactor = Executors.newSingleThreadExecutor();
    private final List<Object> answered = new ArrayList<>();
    private final CountDownLatch allAnswered = new CountDownLatch(WRITES);
    private Backend.Fresh db;
    private JdbcStore store;
    private Workers workers;

    private static final int WRITES = 6;
    private static final int BAD = 3;

    private void open(Backend backend) throws Exception {
        db = backend.fresh();
        store = JdbcStore.open(new Database(db.url(), null, null));
        // No time bound on a group: the first write of each test holds its group open on purpose.
        workers = new Workers(reactor, 1, store, Long.MAX_VALUE);
    }

    @AfterEach
    void close() throws Exception {
        if (workers != null) {
            workers.close();
        }
        if (store != null) {
            store.close();
        }
        reactor.shutdownNow();
        if (db != null) {
            db.close();
        }
    }

    private <T> void write(boolean transactional, Supplier<T> work) {
        java.util.function.BiConsumer<T, Throwable> then = (result, failure) -> {
            answered.add(failure != null ? failure : result);
            allAnswered.countDown();
        };
        if (transactional) {
            workers.transaction("test write", work, then);
        } else {
            workers.write(work, then);
        }
    }

    private <T> void unguarded(Supplier<T> work) {
        workers.writeUnguarded(work, (result, failure) -> {
            answered.add(failure != null ? failure : result);
            allAnswered.countDown();
        });
    }

    private <I> void batched(Workers.Batch<I, Object> kind, I item) {
        workers.batched("test batch", kind, item, (result, failure) -> {
            answered.add(failure != null ? failure : result);
            allAnswered.countDown();
        });
    }

    /**
     * Batched writes of one kind that wait next to each other go to their kind in one call, in
     * queue order; any other write between them starts a new batch; each gets its own result.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void batchedWritesNextToEachOtherRunInOneCall(Backend backend) throws Exception {
        open(backend);
        var release = new CountDownLatch(1);
        List<List<String>> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        Workers.Batch<String, Object> users = names -> {
            calls.add(List.copyOf(names));
            return names.stream().map(n -> (Object) createUser(n).orElseThrow().name()).toList();
        };
        write(true, () -> {
            await(release);
            return createUser("u0").orElseThrow().name();
        });
        batched(users, "u1");
        batched(users, "u2");
        write(true, () -> createUser("u3").orElseThrow().name());
        batched(users, "u4");
        batched(users, "u5");
        release.countDown();
        assertTrue(allAnswered.await(30, TimeUnit.SECONDS));

        assertEquals(List.of(List.of("u1", "u2"), List.of("u4", "u5")), calls);
        assertEquals(List.of("u0", "u1", "u2", "u3", "u4", "u5"), answered);
        assertEquals(WRITES, committedUsers());
    }

    /**
     * A batch that fails ends its group: what came before commits, then each of its writes runs
     * alone, in order (so that one bad write fails alone and ids still rise in queue order), and
     * the writes after it follow.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aBatchThatFailsRunsEachOfItsWritesAloneInOrder(Backend backend) throws Exception {
        open(backend);
        var release = new CountDownLatch(1);
        var refused = new IllegalStateException("bad");
        Workers.Batch<String, Object> users = names -> {
            List<Object> out = new ArrayList<>();
            for (String n : names) {
                out.add(createUser(n).orElseThrow().name());
                if (n.equals("bad")) {
                    throw refused;
                }
            }
            return out;
        };
        write(true, () -> {
            await(release);
            return createUser("u0").orElseThrow().name();
        });
        batched(users, "u1");
        batched(users, "bad");
        batched(users, "u3");
        write(true, () -> createUser("u4").orElseThrow().name());
        batched(users, "u5");
        release.countDown();
        assertTrue(allAnswered.await(30, TimeUnit.SECONDS));

        assertEquals(List.of("u0", "u1", refused, "u3", "u4", "u5"), answered);
        assertTrue(store.userByKey("bad").isEmpty(), "undone");
        long previous = 0;
        for (String n : List.of("u0", "u1", "u3", "u4", "u5")) {
            long id = store.userByKey(n).orElseThrow().id();
            assertTrue(id > previous, n + " after the writes queued before it");
            previous = id;
        }
    }

    /**
     * An unguarded write waits for the end of its group's batch: the batch goes on past it (one
     * call), and it runs before the next write that is no batch, which may read it; a guarded
     * write that fails after it is undone alone while the unguarded writes still commit with the
     * rest. Each is answered once, in the order they ran.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void unguardedWritesRunAtTheEndOfTheirGroup(Backend backend) throws Exception {
        open(backend);
        var release = new CountDownLatch(1);
        List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<List<String>> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        Workers.Batch<String, Object> users = names -> {
            calls.add(List.copyOf(names));
            ran.addAll(names);
            return names.stream().map(n -> (Object) createUser(n).orElseThrow().name()).toList();
        };
        // Holds the writer while the rest queue, so that they make one group.
        workers.write(() -> {
            await(release);
            return null;
        }, (r, f) -> { });
        var refused = new IllegalStateException("refused");
        unguarded(() -> {
            ran.add("u0");
            return createUser("u0").orElseThrow().name();
        });
        batched(users, "u1");
        unguarded(() -> {
            ran.add("u3");
            return createUser("u3").orElseThrow().name();
        });
        batched(users, "u2");
        write(true, () -> {
            ran.add("bad");
            createUser("u4").orElseThrow();
            throw refused;
        });
        write(true, () -> {
            ran.add("u5");
            return createUser("u5").orElseThrow().name();
        });
        release.countDown();
        assertTrue(allAnswered.await(30, TimeUnit.SECONDS));

        assertEquals(List.of(List.of("u1", "u2")), calls, "the batch went on past the unguarded write");
        assertEquals(List.of("u1", "u2", "u0", "u3", "bad", "u5"), ran, "the unguarded ones after the batch");
        assertEquals(List.of("u1", "u2", "u0", "u3", refused, "u5"), answered, "each once, as they ran");
        for (String name : List.of("u0", "u1", "u2", "u3", "u5")) {
            assertTrue(store.userByKey(name).isPresent(), name);
        }
        assertTrue(store.userByKey("u4").isEmpty(), "the failed write undone");
    }

    /**
     * A write that is no batch sees the unguarded writes queued before it in its group (a login's
     * catch-up reads the ACKs that Acks.flush wrote for it just before), though a batch of MSGs
     * between them runs first.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aWriteSeesTheUnguardedWritesBeforeIt(Backend backend) throws Exception {
        open(backend);
        var release = new CountDownLatch(1);
        workers.write(() -> {
            await(release);
            return null;
        }, (r, f) -> { });
        for (int i = 0; i < WRITES; i++) {
            String name = "u" + i;
            if (i % 2 == 0) {
                unguarded(() -> createUser(name).orElseThrow().name());
            } else {
                String before = "u" + (i - 1);
                write(true, () -> store.userByKey(before).isPresent() ? name : "missed " + before);
            }
        }
        release.countDown();
        assertTrue(allAnswered.await(30, TimeUnit.SECONDS));
        assertEquals(List.of("u0", "u1", "u2", "u3", "u4", "u5"), answered);
    }

    /**
     * On SQLite the db-checkpoint thread copies committed writes from the WAL into the database
     * file while the writer does nothing more: the writer's own checkpoint comes only at
     * {@link Database#WAL_CHECKPOINT_BYTES}, far beyond these few rows, so without the thread the
     * file would stay as the schema left it until the store closes.
     */
    @Test
    void theCheckpointerCopiesTheWalIntoTheFile() throws Exception {
        open(Backend.SQLITE);
        java.nio.file.Path file = db.data().resolve("chat.db");
        long before = java.nio.file.Files.size(file);
        for (int i = 0; i < WRITES; i++) {
            String name = "u" + i + "x".repeat(40);
            write(true, () -> {
                for (int k = 0; k < 200; k++) {
                    createUser(name + k).orElseThrow();
                }
                return name;
            });
        }
        assertTrue(allAnswered.await(30, TimeUnit.SECONDS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (java.nio.file.Files.size(file) <= before && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(java.nio.file.Files.size(file) > before, "the file grew from " + before + " bytes");
        try (Connection c = store.database().open(); Statement s = c.createStatement();
                var rs = s.executeQuery("PRAGMA page_size")) {
            rs.next();
            assertEquals(1024, rs.getLong(1), "a new file's pages: Database.PAGE_BYTES");
        }
    }

    /**
     * The checkpoint reports how full the WAL is, as a share of the size at which the writer's
     * own commit copies the rest: it holds what was written until a write starts it again, after
     * a checkpoint that copied all of it. MariaDB needs none (-1).
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void theCheckpointSaysHowFullTheLogIs(Backend backend) throws Exception {
        open(backend);
        workers.close(); // its own checkpointer would run beside this test's
        workers = null;
        if (backend != Backend.SQLITE) {
            assertEquals(-1, store.checkpoint());
            return;
        }
        store.inTransaction("test write", () -> {
            for (int k = 0; k < 2000; k++) {
                createUser("w" + "x".repeat(40) + k).orElseThrow();
            }
            return null;
        });
        double pages = Database.WAL_CHECKPOINT_BYTES / (double) Database.PAGE_BYTES;
        double full = store.checkpoint();
        assertTrue(full > 100 / pages && full < 1, "the WAL holds the writes: " + full * pages + " pages");
        store.inTransaction("test write", () -> createUser("after").orElseThrow()); // starts the WAL again
        double after = store.checkpoint();
        assertTrue(after < 20 / pages, "the WAL started again: " + after * pages + " pages");
    }

    /** The checkpointer keeps a next run scheduled on SQLite, and none on MariaDB once it has heard -1. */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void theCheckpointerRunsOnlyWhereItIsNeeded(Backend backend) throws Exception {
        open(backend);
        Thread.sleep(3 * Workers.CHECKPOINT_EVERY_MILLIS); // its first run has come
        int scheduled = 0;
        for (int i = 0; i < 5; i++) { // the run under way has taken its task off the queue for a moment
            scheduled = Math.max(scheduled, workers.checkpointsPending());
            Thread.sleep(30);
        }
        assertEquals(backend == Backend.SQLITE ? 1 : 0, scheduled);
    }

    /** The checkpointer hurries once the log is three quarters full, so that the writer finds little left. */
    @Test
    void theCheckpointerHurriesAsTheLogFills() {
        assertEquals(Workers.CHECKPOINT_EVERY_MILLIS, Workers.nextCheckpointMillis(0));
        assertEquals(Workers.CHECKPOINT_EVERY_MILLIS, Workers.nextCheckpointMillis(0.5));
        assertEquals(Workers.CHECKPOINT_SOON_MILLIS, Workers.nextCheckpointMillis(0.75));
        assertEquals(Workers.CHECKPOINT_SOON_MILLIS, Workers.nextCheckpointMillis(1.2));
        assertEquals(Workers.CHECKPOINT_SOON_MILLIS, Workers.nextCheckpointMillis(Double.NaN)); // another held the log
        assertTrue(Workers.CHECKPOINT_SOON_MILLIS < Workers.CHECKPOINT_EVERY_MILLIS);
    }

    /**
     * Once the checkpointer finds the log full, the writer checkpoints it itself, between groups
     * and after the group's answers went to the reactor, on its own connection: SQLite's own
     * checkpoint would have run inside that group's commit, its syncs holding every answer. Then
     * not again until the checkpointer has seen the log start again: until the writer's next
     * write it still reads as full.
     */
    @Test
    void theWriterCheckpointsAFullLogAfterItsGroupIsAnswered() throws Exception {
        open(Backend.SQLITE);
        workers.close(); // the test's own Workers, on a store whose checkpointer finds the log as the test says
        var events = java.util.Collections.synchronizedList(new ArrayList<String>());
        var writerCheckpointed = new CountDownLatch(1);
        var fill = new java.util.concurrent.atomic.AtomicReference<>(1.5);
        var checkpointerRan = new java.util.concurrent.atomic.AtomicInteger();
        Store real = store;
        Store full = (Store) java.lang.reflect.Proxy.newProxyInstance(Store.class.getClassLoader(),
                new Class<?>[] {Store.class}, (proxy, method, args) -> {
                    if (method.getName().equals("checkpoint")) {
                        if (Thread.currentThread().getName().startsWith("db-checkpoint")) {
                            checkpointerRan.incrementAndGet();
                            return fill.get();
                        }
                        events.add("checkpoint on " + Thread.currentThread().getName().replaceAll("-\\d+$", ""));
                        writerCheckpointed.countDown();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Executor recording = task -> {
            events.add("answer queued");
            reactor.execute(task);
        };
        workers = new Workers(recording, 1, full);
        Thread.sleep(2 * Workers.CHECKPOINT_EVERY_MILLIS); // the checkpointer has found the log full
        var answeredUser = new CountDownLatch(1);
        workers.write(() -> createUser("u1").orElseThrow(), (user, failure) -> answeredUser.countDown());
        await(answeredUser);
        await(writerCheckpointed);
        assertEquals(List.of("answer queued", "checkpoint on db-writer"), events.subList(0, 2), events.toString());

        writeAndWait(() -> createUser("u2"));
        writeAndWait(() -> createUser("u3")); // the writer has been between groups once since u2's
        assertEquals(1, events.stream().filter(e -> e.startsWith("checkpoint")).count(), "still full: " + events);

        fill.set(0.1); // the log started again
        awaitCheckpointerRuns(checkpointerRan, 2);
        fill.set(1.2); // and is full again
        awaitCheckpointerRuns(checkpointerRan, 2);
        writeAndWait(() -> createUser("u4"));
        for (int i = 0; i < 500 && events.stream().filter(e -> e.startsWith("checkpoint")).count() < 2; i++) {
            Thread.sleep(10); // the writer checkpoints after the answer has gone
        }
        assertEquals(2, events.stream().filter(e -> e.startsWith("checkpoint")).count(), events.toString());
    }

    private void writeAndWait(Supplier<?> work) {
        var done = new CountDownLatch(1);
        workers.write(work, (result, failure) -> done.countDown());
        await(done);
    }

    private static void awaitCheckpointerRuns(java.util.concurrent.atomic.AtomicInteger runs, int more)
            throws InterruptedException {
        int until = runs.get() + more;
        for (int i = 0; i < 500 && runs.get() < until; i++) {
            Thread.sleep(10);
        }
        assertTrue(runs.get() >= until, "the checkpointer ran " + runs.get() + " times");
    }

    private Optional<Store.User> createUser(String name) {
        return store.createUser(name, name, "hash", 1000);
    }

    /** How many users another connection sees: only what is committed. */
    private long committedUsers() {
        try (Connection c = store.database().open(); Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT COUNT(*) FROM users")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aWriteThatThrowsInAGroupIsUndoneAloneAndTheOthersCommit(Backend backend) throws Exception {
        open(backend);
        var release = new CountDownLatch(1);
        var seenFromOutside = new AtomicInteger(-1);
        // The first write holds the writer until the others are queued: they then form one group.
        write(true, () -> {
            await(release);
            return createUser("u0").orElseThrow().name();
        });
        var refused = new IllegalStateException("refused after writing");
        for (int i = 1; i < WRITES; i++) {
            String name = "u" + i;
            if (i == BAD) {
                write(true, () -> {
                    createUser(name);
                    throw refused;
                });
            } else if (i == BAD + 1) {
                write(false, () -> { // a plain write joins the group too
                    seenFromOutside.set((int) committedUsers());
                    return createUser(name).orElseThrow().name();
                });
            } else {
                write(true, () -> createUser(name).orElseThrow().name());
            }
        }
        release.countDown();
        assertTrue(allAnswered.await(30, TimeUnit.SECONDS));

        assertEquals(List.of("u0", "u1", "u2", refused, "u4", "u5"), answered, "each its own answer, in order");
        assertEquals(0, seenFromOutside.get(), "u0 to u2 were not committed yet: one transaction");
        for (int i = 0; i < WRITES; i++) {
            assertEquals(i != BAD, store.userByKey("u" + i).isPresent(), "u" + i);
        }
    }

    /**
     * An unguarded write (ACK batches) has no savepoint: when it throws after other writes of its
     * group, the whole group is undone and each write runs again alone (this one too, and fails
     * again), so that the others are still stored once, in order, and only it fails.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void anUnguardedWriteThatThrowsInAGroupRunsEachWriteAgainAlone(Backend backend) throws Exception {
        open(backend);
        var release = new CountDownLatch(1);
        var runs = new AtomicInteger();
        var seenFromOutside = new AtomicInteger(-1);
        write(true, () -> {
            await(release);
            runs.incrementAndGet();
            return createUser("u0").orElseThrow().name();
        });
        var refused = new IllegalStateException("refused after writing");
        for (int i = 1; i < WRITES; i++) {
            String name = "u" + i;
            if (i == BAD) {
                workers.writeUnguarded(() -> {
                    seenFromOutside.compareAndSet(-1, (int) committedUsers());
                    throw refused;
                }, (result, failure) -> {
                    answered.add(failure != null ? failure : result);
                    allAnswered.countDown();
                });
            } else {
                write(true, () -> createUser(name).orElseThrow().name());
            }
        }
        release.countDown();
        assertTrue(allAnswered.await(30, TimeUnit.SECONDS));

        assertEquals(0, seenFromOutside.get(), "it ran in the group first: u0 to u2 not committed yet");
        assertEquals(2, runs.get(), "the first write ran in the group, then again alone");
        assertEquals(List.of("u0", "u1", "u2", refused, "u4", "u5"), answered, "each its own answer, in order");
        for (int i = 0; i < WRITES; i++) {
            assertEquals(i != BAD, store.userByKey("u" + i).isPresent(), "u" + i);
        }
        assertEquals(WRITES - 1, committedUsers(), "each stored once");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aStatementThatFailsInAGroupFailsItsWriteOnly(Backend backend) throws Exception {
        open(backend);
        String token = "ab".repeat(32);
        store.createSession(token, 1, 1, 1000, 2000);
        var release = new CountDownLatch(1);
        write(true, () -> {
            await(release);
            return createUser("u0").orElseThrow().name();
        });
        for (int i = 1; i < WRITES; i++) {
            String name = "u" + i;
            if (i == BAD) {
                // The same token hash again: the primary key refuses the row, a failure of the
                // database (a taken key that the store does not expect).
                write(true, () -> {
                    createUser(name);
                    store.createSession(token, 1, 1, 1000, 2000);
                    return "not reached";
                });
            } else {
                write(i % 2 == 0, () -> createUser(name).orElseThrow().name());
            }
        }
        release.countDown();
        assertTrue(allAnswered.await(30, TimeUnit.SECONDS));

        assertEquals(List.of("u0", "u1", "u2"), answered.subList(0, BAD));
        assertEquals(List.of("u4", "u5"), answered.subList(BAD + 1, WRITES));
        StoreException failure = assertInstanceOf(StoreException.class, answered.get(BAD));
        assertTrue(failure.getMessage().startsWith("test write: "), failure.getMessage());
        for (int i = 0; i < WRITES; i++) {
            assertEquals(i != BAD, store.userByKey("u" + i).isPresent(), "u" + i);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aFirstWriteThatThrowsIsUndoneAndTheGroupGoesOn(Backend backend) throws Exception {
        open(backend);
        var release = new CountDownLatch(1);
        var refused = new IllegalStateException("refused after writing");
        // First in its group, so without a savepoint: its failure rolls back the transaction.
        write(true, () -> {
            await(release);
            createUser("u0");
            throw refused;
        });
        for (int i = 1; i < WRITES; i++) {
            String name = "u" + i;
            write(i % 2 == 0, () -> createUser(name).orElseThrow().name());
        }
        release.countDown();
        assertTrue(allAnswered.await(30, TimeUnit.SECONDS));

        assertEquals(List.of(refused, "u1", "u2", "u3", "u4", "u5"), answered);
        assertEquals(WRITES - 1, committedUsers(), "all but u0");
        assertTrue(store.userByKey("u0").isEmpty());
    }

    /**
     * The group's connection is killed under it (as a server restart or a network failure would):
     * its commit fails, nothing of the group is stored, and each write runs again alone, on a new
     * connection, so that each is stored once and answered once. MariaDB only: SQLite has no
     * connection to lose.
     */
    @Test
    void aGroupWhoseCommitFailsRunsEachWriteAgainAlone() throws Exception {
        open(Backend.MARIADB);
        var release = new CountDownLatch(1);
        var runs = new AtomicInteger();
        var killed = new AtomicBoolean();
        write(true, () -> {
            await(release);
            runs.incrementAndGet();
            return createUser("u0").orElseThrow().name();
        });
        for (int i = 1; i < WRITES; i++) {
            String name = "u" + i;
            boolean last = i == WRITES - 1;
            write(true, () -> {
                Store.User u = createUser(name).orElseThrow();
                if (last && killed.compareAndSet(false, true)) {
                    killWriterConnection(); // the group's commit, next, finds it gone
                }
                return u.name();
            });
        }
        release.countDown();
        assertTrue(allAnswered.await(30, TimeUnit.SECONDS));

        assertTrue(killed.get());
        assertEquals(2, runs.get(), "the first write ran in the group, then again alone");
        assertEquals(List.of("u0", "u1", "u2", "u3", "u4", "u5"), answered);
        assertEquals(WRITES, committedUsers(), "each stored once");
    }

    /**
     * Kills, from another connection, the connection whose transaction has written (the writer's).
     * InnoDB refreshes {@code innodb_trx} at most every 0.1 s, so a transaction that wrote a moment
     * ago may not be listed yet: it is looked for again for up to 10 s (a busy machine).
     */
    private void killWriterConnection() {
        try (Connection c = store.database().open(); Statement s = c.createStatement()) {
            long id = 0;
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); id == 0 && System.nanoTime() < deadline; ) {
                // This database's only: other tests may be writing in theirs on the same server.
                try (var rs = s.executeQuery("SELECT t.trx_mysql_thread_id FROM information_schema.innodb_trx t"
                        + " JOIN information_schema.processlist p ON p.id = t.trx_mysql_thread_id"
                        + " WHERE p.db = DATABASE() AND t.trx_rows_modified > 0")) {
                    if (rs.next()) {
                        id = rs.getLong(1);
                    } else {
                        Thread.sleep(50);
                    }
                }
            }
            assertTrue(id != 0, "the group's transaction is open");
            s.execute("KILL " + id);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aWriteAloneCommitsAtOnce(Backend backend) throws Exception {
        open(backend);
        var result = new java.util.concurrent.CompletableFuture<Object>();
        workers.transaction("one write", () -> createUser("solo").orElseThrow().name(), (r, f) -> {
            assertNull(f);
            result.complete(r);
        });
        assertSame("solo", result.get(30, TimeUnit.SECONDS));
        assertEquals(1, committedUsers());
    }

    /**
     * The writer's hooks run on the writer's connection and on no other, whatever the threads are
     * named: {@code opened} before its first use under them (it was opened before they were set,
     * as a cluster node's writer may have been for indexing), {@code beforeCommit} before its
     * commits; a transaction that writes on a reader passes neither. A {@code beforeCommit} that
     * throws fails the write, and nothing of it is stored.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void theWriterHooksRunOnTheWritersConnectionOnly(Backend backend) throws Exception {
        open(backend);
        assertEquals("u0", writeNow(() -> createUser("u0").orElseThrow().name()));
        List<Connection> opened = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Connection> checked = new java.util.concurrent.CopyOnWriteArrayList<>();
        var refuse = new AtomicBoolean();
        store.writerHooks(new Store.WriterHooks() {
            @Override
            public void opened(Connection c) {
                opened.add(c);
            }

            @Override
            public void beforeCommit(Connection c) throws SQLException {
                checked.add(c);
                if (refuse.get()) {
                    throw new SQLException("refused by the hook");
                }
            }
        });

        var onReader = new java.util.concurrent.CompletableFuture<Object>();
        workers.read(() -> store.inTransaction("a write on a reader", () -> createUser("r1").orElseThrow().name()),
                (r, f) -> onReader.complete(f != null ? f : r));
        assertEquals("r1", onReader.get(30, TimeUnit.SECONDS));
        assertTrue(opened.isEmpty() && checked.isEmpty(), "a reader's connection: " + opened + ", " + checked);

        assertEquals("u1", writeNow(() -> createUser("u1").orElseThrow().name()));
        assertEquals(1, opened.size(), "the writer's connection, once: " + opened);
        assertTrue(checked.contains(opened.get(0)), "its commit was checked: " + checked);

        refuse.set(true);
        assertInstanceOf(StoreException.class, writeNow(() -> createUser("u2").orElseThrow().name()));
        assertTrue(store.userByKey("u2").isEmpty(), "not stored");
    }

    /** A write in a transaction of its own, on the writer: its result or its failure. */
    private Object writeNow(Supplier<Object> work) throws Exception {
        var answer = new java.util.concurrent.CompletableFuture<Object>();
        workers.transaction("test write", work, (r, f) -> answer.complete(f != null ? f : r));
        return answer.get(30, TimeUnit.SECONDS);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(30, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
