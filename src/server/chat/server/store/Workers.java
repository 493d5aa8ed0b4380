package chat.server.store;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The threads that may block: the reactor hands them work and gets the result back as a task on
 * its own thread, so that no handler ever waits for the database or a password hash.
 *
 * <ul>
 *   <li>one <b>writer</b>: every database write, in the order submitted. One writer gives message
 *       ids in the order they are pushed, and SQLite allows one writer at a time anyway. The
 *       writer commits in groups ({@link Store#inBatch}): it takes every write waiting when it
 *       is free, up to {@link #MAX_BATCH} of them or {@link #MAX_BATCH_NANOS} of work (sized by
 *       what a write has cost lately, {@link #nanosPerWrite}), and runs them in one transaction,
 *       each in a savepoint of its own but the first, so that a burst pays for one commit (one
 *       log flush) instead of one each. Writes of one {@link Batch} kind that follow each other in
 *       the queue (MSGs) run as one piece, with one call for all of them, which stores them with a
 *       few statements instead of a few each. An unguarded write ({@link #writeUnguarded}, an ACK
 *       batch) needs no savepoint and waits: a batch goes on past it, and it runs before the
 *       next write that is no batch, or at the group's end. Under light load a write finds
 *       nothing waiting and commits alone at once: the writer never waits for company. Each write's
 *       callback goes to the reactor only after the commit, in the order they ran, so nothing is
 *       answered before it is stored. When the group's transaction fails as a whole, each write of
 *       it runs again alone, in queue order, in a transaction of its own, so that one bad write cannot fail others;
 *       when a batch fails, the group ends with it (what came before commits) and each write of
 *       the batch runs alone, in order, so that ids still rise in the order of the queue.
 *       <br>When the writer is idle, it brings SEARCH's index forward
 *       ({@link Store#indexForSearch}): every {@link #INDEX_EVERY_MILLIS} a small <b>ticker</b>
 *       thread queues one indexing task behind the writes, only when no write has been taken
 *       since the tick before (and none is queued already), and that task indexes
 *       {@link #INDEX_BATCH} messages a transaction for as long as no write arrives and some are
 *       left. Not at the first empty moment: under a steady load that the writer keeps up with, the
 *       queue is empty for a moment between many groups, and an index batch started there made
 *       the next group wait for it (MariaDB, 10,000 MSGs a second: a batch of 128 messages'
 *       trigrams in the middle of the load, tens of milliseconds on a busy machine). A write that arrives waits at most for the
 *       batch under way; under a load that never leaves the writer idle for a tick the index
 *       falls behind, and searches scan the messages it has not reached (still exact), until the
 *       load drops.
 *   <li>on SQLite a <b>checkpointer</b> ({@link Store#checkpoint}): it copies the WAL into the
 *       database file beside the writer, every {@link #CHECKPOINT_EVERY_MILLIS}, and every
 *       {@link #CHECKPOINT_SOON_MILLIS} once the WAL is {@link #CHECKPOINT_SOON_FILL} full, so
 *       that the writer's own checkpoint (when the WAL is full) finds little to do. The writer
 *       runs that one between groups, once the checkpointer has found the WAL full and after the
 *       group's answers have gone to the reactor ({@link #checkpointIfFull}), not inside the commit
 *       that fills it as SQLite would: its syncs stall the writer for tens of milliseconds, and the
 *       group that filled the WAL is no longer held by them.
 *   <li><b>readers</b>: lookups, history and search, which may run side by side.
 *   <li><b>hashers</b>: password hashing, CPU-bound; one thread fewer than the cores (at least
 *       one), so that a burst of logins leaves the reactor a core.
 * </ul>
 */
public final class Workers implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Workers.class.getName());

    /**
     * Writes in one transaction at most. A group commits more cheaply per write the larger it is
     * (on SQLite each message changes a page of each index of the messages table, and a page
     * changed twice in a group is written once): a writer that falls behind catches up on
     * larger groups, as far as {@link #MAX_BATCH_NANOS} allows. Public for the bench, whose
     * database ceiling ({@code chat-bench stored}) commits this many rows at a time.
     */
    public static final int MAX_BATCH = 1024;
    /**
     * Work in one transaction at most: no more is added once a group has run this long, so that
     * the first write of a group waits for its commit no more than about this (and a commit on
     * MariaDB, a log flush, costs about as much). A batch of MSGs is taken whole before it runs,
     * so the writer sizes it by what a write has cost lately ({@link #nanosPerWrite}).
     */
    static final long MAX_BATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** Writes a group may take however costly writes have been: a burst still shares its commits. */
    static final int MIN_BATCH = 64;

    /**
     * How often the ticker looks for an idle writer to index for SEARCH: a search scans at most
     * about this long's worth of messages past the index once the writer is idle, and an idle
     * server pays one small query this often.
     */
    static final long INDEX_EVERY_MILLIS = 100;
    /**
     * Messages indexed for SEARCH in one transaction: about what a group of writes costs
     * ({@link #MAX_BATCH_NANOS}) at the 100 to 200 µs a row that tokenizing costs on a loaded
     * machine, so that a write arriving meanwhile waits no longer than behind a group.
     */
    static final int INDEX_BATCH = 100;

    /**
     * How often the {@code db-checkpoint} thread copies the log of commits into the database
     * ({@link Store#checkpoint}) while the log is less than {@link #CHECKPOINT_SOON_FILL} full:
     * rarely enough that a page written again and again (each sender's last index pages, under a
     * steady load) is copied once for many writes. At 20 ms the checkpointer copied each page the
     * writer wrote and took a fifth of a core at 15,000 MSGs a second on SQLite; at 200 ms, under
     * a tenth.
     */
    public static final long CHECKPOINT_EVERY_MILLIS = 200;
    /**
     * ... and how often once it is fuller: often enough that the writer's own checkpoint, once the
     * log is full ({@link #checkpointIfFull}), finds little left to copy while the messages behind
     * it wait.
     */
    static final long CHECKPOINT_SOON_MILLIS = 20;
    /** How full the log must be ({@link Store#checkpoint}) for the checkpointer to hurry. */
    static final double CHECKPOINT_SOON_FILL = 0.75;

    private final Executor reactor;
    private final Store store;
    private final long maxBatchNanos;
    /** Writes submitted and not yet taken by the writer, oldest first. */
    private final Queue<Write<?>> writes = new ConcurrentLinkedQueue<>();
    /**
     * Runs {@link #drain}, once for each write submitted: a drain that finds none does nothing.
     * Its thread tells the store it is the writer ({@link Store#serveAsWriter}).
     */
    private final ExecutorService writer;
    private final ExecutorService readers;
    private final ExecutorService hashers;
    private final int hasherThreads;
    /** Queues {@link #index} on the writer every {@link #INDEX_EVERY_MILLIS} (see the class comment). */
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(named("db-index-tick"));
    /**
     * Runs {@link Store#checkpoint}, each time scheduling the next; none after a -1 (a database
     * that needs none). At close the next one waiting is dropped, not run.
     */
    private final ScheduledThreadPoolExecutor checkpointer = new ScheduledThreadPoolExecutor(1, named("db-checkpoint"));
    /**
     * How full the checkpointer last found the log ({@link Store#checkpoint}); the writer
     * checkpoints between groups when it is 1 or more and {@link #logRestarted}.
     */
    private volatile double logFill;
    /**
     * False from the writer's checkpoint of a full log until the checkpointer finds it less than
     * full: the log starts again only at the writer's next write, and until then it still reads
     * as full, which must not make the writer checkpoint (and sync) it again.
     */
    private volatile boolean logRestarted = true;
    /** When the checkpointer last logged a failure (System.nanoTime()); its own. */
    private long lastCheckpointWarning = System.nanoTime() - TimeUnit.MINUTES.toNanos(2);
    /** Set while an {@link #index} task is queued or running, so that ticks do not pile them up. */
    private final AtomicBoolean indexing = new AtomicBoolean();
    /**
     * Drains run so far (one a write submitted): the ticker indexes only when it has not moved for
     * a tick. Written by the writer only; volatile for the ticker.
     */
    private volatile long drains;
    /** {@link #drains} at the last tick; the ticker's own. */
    private long drainsAtTick;
    /**
     * What a write of a group of {@link #MIN_BATCH} or more has cost lately, in nanoseconds (a
     * moving average, the commit included; 0 before the first): a group takes at most
     * {@link #MAX_BATCH_NANOS} worth. The writer's own.
     */
    private long nanosPerWrite;
    /** Cluster mode: told of each group ({@link WriteHooks}); null, and never looked at past that, otherwise. */
    private volatile WriteHooks hooks;

    /** {@code reactor} runs the callbacks (the reactor's {@code execute}); writes go to {@code store}. */
    public Workers(Executor reactor, int readers, Store store) {
        this(reactor, readers, store, MAX_BATCH_NANOS);
    }

    /** With groups that may run {@code maxBatchNanos}: tests that hold a group open wait without a bound. */
    Workers(Executor reactor, int readers, Store store, long maxBatchNanos) {
        this.reactor = reactor;
        this.store = store;
        this.maxBatchNanos = maxBatchNanos;
        ThreadFactory writerThread = named("db-writer");
        this.writer = Executors.newSingleThreadExecutor(r -> writerThread.newThread(() -> {
            store.serveAsWriter();
            r.run();
        }));
        this.readers = Executors.newFixedThreadPool(readers, named("db-reader"));
        int cores = Runtime.getRuntime().availableProcessors();
        this.hasherThreads = Math.max(1, cores - 1);
        this.hashers = Executors.newFixedThreadPool(hasherThreads, named("hasher"));
        ticker.scheduleWithFixedDelay(this::offerIndexing, INDEX_EVERY_MILLIS, INDEX_EVERY_MILLIS,
                TimeUnit.MILLISECONDS);
        checkpointer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        checkpointer.schedule(this::checkpoint, CHECKPOINT_EVERY_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * On the checkpointer; see {@link Store#checkpoint}: schedules the next one, sooner when the
     * log is fuller, none when the database needs no help. A failure is tried again later and
     * logged once a minute at most (a full disk would fail every call).
     */
    private void checkpoint() {
        long next = CHECKPOINT_EVERY_MILLIS;
        try {
            double fill = store.checkpoint();
            if (fill < 0) {
                return;
            }
            if (!Double.isNaN(fill)) {
                logFill = fill;
                if (fill < 1) {
                    logRestarted = true;
                }
            }
            next = nextCheckpointMillis(fill);
        } catch (RuntimeException e) {
            long now = System.nanoTime();
            if (now - lastCheckpointWarning > TimeUnit.MINUTES.toNanos(1)) {
                lastCheckpointWarning = now;
                LOG.log(Level.WARNING, "checkpointing the database's log failed; trying again every "
                        + CHECKPOINT_EVERY_MILLIS + " ms: " + e.getMessage());
            }
        }
        try {
            checkpointer.schedule(this::checkpoint, next, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    /**
     * When the checkpointer runs next, after leaving the log {@code fill} full; soon when that is
     * not known (NaN: another checkpoint held the log, most likely the writer's own, at a full log).
     */
    static long nextCheckpointMillis(double fill) {
        return Double.isNaN(fill) || fill >= CHECKPOINT_SOON_FILL ? CHECKPOINT_SOON_MILLIS : CHECKPOINT_EVERY_MILLIS;
    }

    /** Checkpoints scheduled and not yet run: one while the checkpointer works, none once it stopped. */
    int checkpointsPending() {
        return checkpointer.getQueue().size();
    }

    /** Cluster mode: the node's positions learn of each group of writes; set before the first write. */
    public void hooks(WriteHooks hooks) {
        this.hooks = hooks;
    }

    /**
     * Runs {@code work} on the writer; {@code then} gets the result or the failure on the reactor.
     * Alone, each of its store calls commits on its own; in a group, they join the group's
     * transaction (in a savepoint, so that its failure undoes all of them). False when the
     * workers are closed: the work is refused and {@code then} is never called.
     */
    public <T> boolean write(Supplier<T> work, BiConsumer<T, Throwable> then) {
        return queue(new Write<>(null, work, then, null, null, true));
    }

    /**
     * As {@link #write}, for work that only the database can fail (ACK batches): in a group it
     * has no savepoint of its own (on MariaDB one round trip less), so its failure there fails
     * the whole group, whose writes then run each alone. It waits in its group for a batch taken
     * after it (see the class comment), never for a write that is no batch.
     */
    public <T> boolean writeUnguarded(Supplier<T> work, BiConsumer<T, Throwable> then) {
        return queue(new Write<>(null, work, then, null, null, false));
    }

    /** As {@link #write}, all of {@code work}'s store calls in one transaction ({@link Store#inTransaction}). */
    public <T> void transaction(String doing, Supplier<T> work, BiConsumer<T, Throwable> then) {
        queue(new Write<>(doing, work, then, null, null, true));
    }

    /**
     * Writes that are stored best together: {@link #batched} writes of the same kind (the same
     * object) that wait next to each other in the queue are handed to {@link #run} in one call,
     * inside the group's transaction; like any write it may run more than once.
     */
    @FunctionalInterface
    public interface Batch<I, T> {
        /** One result for each item, in order; a failure fails all of them (each then runs alone). */
        List<T> run(List<I> items);
    }

    /**
     * Stores {@code item} with its neighbours of the same {@code kind} in the queue (see
     * {@link Batch}); {@code then} gets its result on the reactor, after the commit.
     */
    public <I, T> void batched(String doing, Batch<I, T> kind, I item, BiConsumer<T, Throwable> then) {
        queue(new Write<>(doing, () -> kind.run(List.of(item)).get(0), then, kind, item, true));
    }

    /** Runs {@code work} on a reader; as {@link #write}, false when refused (closed), {@code then} never called. */
    public <T> boolean read(Supplier<T> work, BiConsumer<T, Throwable> then) {
        return submit(readers, work, then);
    }

    /**
     * Runs {@code work} on a hasher. The pool's own queue has no bound: callers hand it no more
     * than {@link #hashers()} tasks at a time and keep the rest waiting themselves (the command
     * layer's {@code HashGate}), where they can still be dropped when their connection goes.
     */
    public <T> void hash(Supplier<T> work, BiConsumer<T, Throwable> then) {
        submit(hashers, work, then);
    }

    /** How many hashes run at once: one thread fewer than the cores, at least one. */
    public int hashers() {
        return hasherThreads;
    }

    private <T> boolean submit(ExecutorService pool, Supplier<T> work, BiConsumer<T, Throwable> then) {
        try {
            pool.execute(() -> {
                T result = null;
                Throwable failure = null;
                try {
                    result = work.get();
                } catch (RuntimeException | Error e) {
                    failure = e;
                }
                T r = result;
                Throwable f = failure;
                reactor.execute(() -> then.accept(r, f));
            });
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.log(Level.DEBUG, "work refused: shutting down");
            return false;
        }
    }

    /**
     * A write waiting for the writer; {@code doing} null when it needs no transaction of its own.
     * A {@link #batched} one has its {@code kind} and {@code item}, and {@code work} stores it alone;
     * an unguarded one ({@link #writeUnguarded}) runs in a group without a savepoint.
     */
    private record Write<T>(String doing, Supplier<T> work, BiConsumer<T, Throwable> then, Batch<?, ?> kind,
            Object item, boolean guarded) {

        /** The write in a transaction of its own (or none), as when it is not in a group. */
        T alone(Store store) {
            return doing == null ? work.get() : store.inTransaction(doing, work);
        }

        @SuppressWarnings("unchecked")
        void answer(Executor reactor, Object result, Throwable failure) {
            T r = (T) result;
            reactor.execute(() -> then.accept(r, failure));
        }
    }

    /** One piece of a group: a write, or a batch of writes of one kind; {@code failed} once it threw. */
    private static final class Piece {
        final List<Write<?>> writes = new ArrayList<>(1);
        boolean failed;

        Piece(Write<?> first) {
            writes.add(first);
        }

        boolean isBatch() {
            return writes.get(0).kind() != null;
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        Store.Piece toStore() {
            Write<?> first = writes.get(0);
            if (!isBatch()) {
                return new Store.Piece(first.doing(), first.work(), first.guarded());
            }
            return new Store.Piece(first.doing(), () -> {
                List<Object> items = new ArrayList<>(writes.size());
                writes.forEach(w -> items.add(w.item()));
                try {
                    List<?> results = ((Batch) first.kind()).run(items);
                    if (results.size() != items.size()) {
                        throw new IllegalStateException(results.size() + " results for " + items.size() + " writes");
                    }
                    return results;
                } catch (RuntimeException | Error e) {
                    failed = true;
                    throw e;
                }
            });
        }
    }

    private boolean queue(Write<?> w) {
        writes.add(w);
        try {
            writer.execute(this::drain);
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            writes.remove(w);
            LOG.log(Level.DEBUG, "work refused: shutting down");
            return false;
        }
    }

    /** On the writer: the writes waiting now, as one group; see the class comment. */
    private void drain() {
        WriteHooks h = hooks;
        if (h == null) {
            drainGroup();
        } else if (!writes.isEmpty()) { // else an earlier drain took this one's write
            drainTold(h);
        }
        checkpointIfFull();
    }

    /** Cluster mode: a group between {@code h}'s begin and end, which learns the newest id stored. */
    private void drainTold(WriteHooks h) {
        h.beginWrite();
        long newest = 0;
        try {
            drainGroup();
        } finally {
            try {
                newest = store.newestMessageId();
            } catch (RuntimeException e) {
                // The position stays where it was; the next group's end moves it on.
                LOG.log(Level.WARNING, "reading the newest message id: " + e.getMessage());
            }
            long n = newest;
            reactor.execute(() -> h.endWrite(n)); // after the group's callbacks, queued before it
        }
    }

    /**
     * On the writer, between groups (the last one's answers are on their way): checkpoints the
     * log on the writer's own connection once the checkpointer has found it full, so that the
     * next write starts it again from its beginning. SQLite does this inside the commit that
     * fills the log ({@code wal_autocheckpoint}, which the writer's connection sets to twice the
     * size, for a writer that never gets here: {@link Database#forWriting}); its two syncs stall
     * the writer for 20 to 45 ms on this project's machine, and there they held that commit's whole
     * group. A checkpoint the checkpointer holds at that moment returns at once; the writer tries
     * again after a later group.
     */
    private void checkpointIfFull() {
        if (!(logFill >= 1) || !logRestarted) {
            return;
        }
        try {
            long start = System.nanoTime();
            if (!Double.isNaN(store.checkpoint())) {
                logRestarted = false;
                LOG.log(Level.DEBUG, () -> "checkpointed the full log in "
                        + TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start) + " µs");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "checkpointing the full log on the writer failed: " + e.getMessage());
        }
    }

    private void drainGroup() {
        drains++;
        List<Piece> pieces = new ArrayList<>();
        List<Write<?>> unguarded = new ArrayList<>(1);
        List<Write<?>> inOrder = new ArrayList<>(); // as taken from the queue, for running them again
        boolean[] complete = {false}; // takes no more: full, out of time, the queue empty, or a batch failed
        Write<?>[] held = {null}; // a write that runs once the unguarded ones taken before it have run
        long start = System.nanoTime();
        int most = nanosPerWrite == 0 ? MAX_BATCH
                : (int) Math.max(MIN_BATCH, Math.min(MAX_BATCH, maxBatchNanos / nanosPerWrite));
        List<Store.Outcome> outcomes;
        try {
            outcomes = store.inBatch(() -> {
                Piece last = pieces.isEmpty() ? null : pieces.get(pieces.size() - 1);
                complete[0] |= System.nanoTime() - start > maxBatchNanos || last != null && last.failed;
                Write<?> w = null;
                while (held[0] == null && !complete[0]) {
                    Write<?> next = inOrder.size() < most ? writes.poll() : null;
                    if (next == null) {
                        complete[0] = true; // the rest waits for the next group, already queued behind this one
                        break;
                    }
                    inOrder.add(next);
                    if (!next.guarded()) {
                        unguarded.add(next); // see below
                    } else if (next.kind() == null && !unguarded.isEmpty()) {
                        held[0] = next; // after the unguarded ones before it, which it may read
                    } else {
                        w = next;
                        break;
                    }
                }
                if (w == null) {
                    // Unguarded writes wait until the group ends, or until a write that is no
                    // batch comes: run first, one would be kept, and each guarded piece after it
                    // would need a savepoint, which on SQLite copies every page the piece writes;
                    // MSGs go on past them (they commit together, and only the database can fail
                    // them), while any other write sees them (a login reads the ACKs written for
                    // it just before: Acks.flush).
                    if (!unguarded.isEmpty()) {
                        w = unguarded.remove(0);
                    } else if (held[0] != null) {
                        w = held[0];
                        held[0] = null;
                    } else {
                        return null;
                    }
                }
                var piece = new Piece(w);
                Write<?> more;
                while (w.kind() != null && inOrder.size() < most && (more = writes.peek()) != null) {
                    if (more.kind() == w.kind()) {
                        piece.writes.add(more);
                    } else if (!more.guarded()) {
                        unguarded.add(more); // the batch goes on past it
                    } else {
                        break;
                    }
                    writes.poll();
                    inOrder.add(more);
                }
                pieces.add(piece);
                return piece.toStore();
            });
        } catch (RuntimeException | Error e) {
            LOG.log(Level.WARNING, "a group of " + inOrder.size() + " writes failed as a whole; running each alone: "
                    + e.getMessage());
            inOrder.forEach(this::alone);
            return;
        }
        long took = System.nanoTime() - start;
        if (inOrder.size() >= MIN_BATCH) {
            long perWrite = took / inOrder.size();
            nanosPerWrite = nanosPerWrite == 0 ? perWrite : (7 * nanosPerWrite + perWrite) / 8;
        }
        if (inOrder.size() > 1 && LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "committed a group of " + inOrder.size() + " writes in " + pieces.size()
                    + " pieces in " + TimeUnit.NANOSECONDS.toMicros(took) + " µs");
        }
        for (int i = 0; i < pieces.size(); i++) {
            answer(pieces.get(i), outcomes.get(i));
        }
    }

    /** Answers a piece's writes; a batch that failed runs each of its writes alone instead. */
    private void answer(Piece piece, Store.Outcome outcome) {
        if (!piece.isBatch()) {
            piece.writes.get(0).answer(reactor, outcome.result(), outcome.failure());
        } else if (outcome.failure() == null) {
            List<?> results = (List<?>) outcome.result();
            for (int i = 0; i < piece.writes.size(); i++) {
                piece.writes.get(i).answer(reactor, results.get(i), null);
            }
        } else if (piece.writes.size() == 1) {
            piece.writes.get(0).answer(reactor, null, outcome.failure());
        } else {
            LOG.log(Level.WARNING, "a batch of " + piece.writes.size() + " writes failed; running each alone: "
                    + outcome.failure().getMessage());
            piece.writes.forEach(this::alone);
        }
    }

    /**
     * On the ticker: queues {@link #index} behind the writes when the writer took none since the
     * last tick, none waits and none is queued.
     */
    private void offerIndexing() {
        long seen = drains;
        boolean idle = seen == drainsAtTick;
        drainsAtTick = seen;
        if (idle && writes.isEmpty() && indexing.compareAndSet(false, true)) {
            try {
                writer.execute(this::index);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                indexing.set(false);
            }
        }
    }

    /** On the writer: indexes for SEARCH, a batch a transaction, while no write waits and more is left. */
    private void index() {
        try {
            while (writes.isEmpty() && store.indexForSearch(INDEX_BATCH)) {
                // the next batch, unless a write came meanwhile: it goes first
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "indexing messages for search failed; the next tick tries again: "
                    + e.getMessage());
        } finally {
            indexing.set(false);
        }
    }

    /** A write run in a transaction of its own, as before group commit. */
    private void alone(Write<?> w) {
        Object result = null;
        Throwable failure = null;
        try {
            result = w.alone(store);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        w.answer(reactor, result, failure);
    }

    /** Finishes the work already queued (writes must not be lost), then stops. */
    @Override
    public void close() {
        ticker.shutdownNow();
        checkpointer.shutdown(); // one under way ends, the next is dropped; closing the store's last connection checkpoints the rest
        for (ExecutorService pool : new ExecutorService[] {hashers, readers, writer}) {
            pool.shutdown();
        }
        try {
            for (ExecutorService pool : new ExecutorService[] {hashers, readers, writer, checkpointer}) {
                if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                    LOG.log(Level.WARNING, "workers still busy after 30 s; stopping them");
                    pool.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory named(String prefix) {
        var n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
