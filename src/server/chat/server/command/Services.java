package chat.server.command;

import chat.server.config.Settings;
import chat.server.hub.Hub;
import chat.server.store.Passwords;
import chat.server.store.Store;
import chat.server.store.Workers;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What the commands work with; one of each per server. {@code clock} is the wall clock in
 * milliseconds (message times, token expiry), replaceable so that tests can move time on.
 */
public record Services(Store store, Workers workers, Passwords passwords, Hub hub, Settings settings,
        LongSupplier clock, Timers timers) {

    /** Runs work on the reactor later: the reactor's timers. */
    @FunctionalInterface
    public interface Timers {
        /** Runs {@code task} on the reactor about {@code delayMillis} from now; reactor thread only. */
        void schedule(long delayMillis, Runnable task);
    }

    long now() {
        return clock.getAsLong();
    }

    /** Database writes for a client's request: counted as in flight until {@code then} has run. */
    <T> void write(Client c, Supplier<T> work, BiConsumer<T, Throwable> then) {
        workers.write(work, c.track(then));
    }

    /**
     * As {@link #write}, all of {@code work}'s store calls in one transaction: alone, or as a
     * savepoint of the writer's group commit ({@link Workers}). Either way {@code work} may run
     * more than once (a lock conflict, a group that failed as a whole), so it must do nothing but
     * store calls and computing on their results.
     */
    <T> void transaction(Client c, String doing, Supplier<T> work, BiConsumer<T, Throwable> then) {
        workers.transaction(doing, work, c.track(then));
    }

    /**
     * As {@link #transaction}, stored together with the other writes of {@code kind} waiting next
     * to it ({@link Workers#batched}).
     */
    <I, T> void batched(Client c, String doing, Workers.Batch<I, T> kind, I item, BiConsumer<T, Throwable> then) {
        workers.batched(doing, kind, item, c.track(then));
    }

    <T> void read(Client c, Supplier<T> work, BiConsumer<T, Throwable> then) {
        workers.read(work, c.track(then));
    }
}
