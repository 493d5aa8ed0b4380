package chat.server.store;

import java.lang.System.Logger.Level;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The threads that may block: the reactor hands them work and gets the result back as a task on
 * its own thread, so that no handler ever waits for the database or a password hash.
 *
 * <ul>
 *   <li>one <b>writer</b>: every database write, in the order submitted. One writer gives message
 *       ids in the order they are pushed, and SQLite allows one writer at a time anyway.
 *   <li><b>readers</b>: lookups, history and search, which may run side by side.
 *   <li><b>hashers</b>: password hashing, CPU-bound; one thread fewer than the cores (at least
 *       one), so that a burst of logins leaves the reactor a core.
 * </ul>
 */
public final class Workers implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Workers.class.getName());

    private final Executor reactor;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(named("db-writer"));
    private final ExecutorService readers;
    private final ExecutorService hashers;

    /** {@code reactor} runs the callbacks (the reactor's {@code execute}). */
    public Workers(Executor reactor, int readers) {
        this.reactor = reactor;
        this.readers = Executors.newFixedThreadPool(readers, named("db-reader"));
        int cores = Runtime.getRuntime().availableProcessors();
        this.hashers = Executors.newFixedThreadPool(Math.max(1, cores - 1), named("hasher"));
    }

    /** Runs {@code work} on the writer; {@code then} gets the result or the failure on the reactor. */
    public <T> void write(Supplier<T> work, BiConsumer<T, Throwable> then) {
        submit(writer, work, then);
    }

    public <T> void read(Supplier<T> work, BiConsumer<T, Throwable> then) {
        submit(readers, work, then);
    }

    public <T> void hash(Supplier<T> work, BiConsumer<T, Throwable> then) {
        submit(hashers, work, then);
    }

    private <T> void submit(ExecutorService pool, Supplier<T> work, BiConsumer<T, Throwable> then) {
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
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.log(Level.DEBUG, "work refused: shutting down");
        }
    }

    /** Finishes the work already queued (writes must not be lost), then stops. */
    @Override
    public void close() {
        for (ExecutorService pool : new ExecutorService[] {hashers, readers, writer}) {
            pool.shutdown();
        }
        try {
            for (ExecutorService pool : new ExecutorService[] {hashers, readers, writer}) {
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
