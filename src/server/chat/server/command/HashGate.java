package chat.server.command;

import chat.server.store.Workers;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The way to the password hashers: a bounded waiting line kept on the reactor, so that a hash
 * is spent only on a connection that is still there to hear its answer (issue 13: 100 connections
 * that each sent REGISTER and closed made a real login wait 18 s behind their hashes).
 *
 * <ul>
 *   <li>At most {@link Workers#hashers()} hashes run; the rest wait here, at most
 *       {@code maxWaiting} of them. One more is refused at once: the caller answers {@code busy}.
 *   <li>One check per connection at a time (LOGIN and REGISTER wait for the requests before them
 *       anyway; this holds even if that changes), and {@code perAddress} per client address,
 *       waiting or running, so that one address cannot fill the line for everyone else.
 *   <li>A waiting check whose connection closes is dropped at once (its place is free again),
 *       and the connection is looked at once more when the check would start; only a hash
 *       already running is finished. A dropped check's callback gets {@link #DROPPED}.
 * </ul>
 *
 * <p>Reactor thread only: the waiting line, the counts and the callbacks all live there, and a
 * hash goes to the pool only when a hasher is free, so the pool's own queue stays empty.
 */
final class HashGate {

    /** What a dropped check's callback gets: the connection closed before its hash started. */
    static final CancellationException DROPPED = new CancellationException("the connection closed before its hash ran");

    private final Workers workers;
    private final int threads;
    private final int maxWaiting;
    private final int perAddress;
    private final ArrayDeque<Job<?>> waiting = new ArrayDeque<>();
    private final Map<String, Integer> byAddress = new HashMap<>();
    private final Map<Client, Job<?>> byClient = new IdentityHashMap<>();
    private int running;
    private long started;
    private long dropped;
    private long refused;

    HashGate(Workers workers, int maxWaiting, int perAddress) {
        this.workers = workers;
        this.threads = workers.hashers();
        this.maxWaiting = maxWaiting;
        this.perAddress = perAddress;
    }

    private record Job<T>(Client client, String address, Supplier<T> work, BiConsumer<T, Throwable> then) {
        void answer(T result, Throwable failure) {
            then.accept(result, failure);
        }
    }

    /**
     * Runs {@code work} on a hasher when one is free and {@code c} is still open; {@code then}
     * gets the result on the reactor (or {@link #DROPPED}). False when the check is refused (the
     * line is full, or this connection or address has its share): nothing runs, and the caller
     * answers {@code busy}.
     */
    <T> boolean submit(Client c, String address, Supplier<T> work, BiConsumer<T, Throwable> then) {
        boolean full = running >= threads && waiting.size() >= maxWaiting;
        if (full || byClient.containsKey(c) || byAddress.getOrDefault(address, 0) >= perAddress) {
            refused++;
            return false;
        }
        var job = new Job<>(c, address, work, c.track(then));
        byClient.put(c, job);
        byAddress.merge(address, 1, Integer::sum);
        if (running < threads) {
            start(job);
        } else {
            waiting.add(job);
        }
        return true;
    }

    /** {@code c} has closed: its waiting check, if any, is dropped now. */
    void closed(Client c) {
        Job<?> job = byClient.get(c);
        if (job != null && waiting.remove(job)) {
            drop(job);
        }
    }

    /**
     * What STATS shows: the hashers, and the checks started, dropped (connection gone), refused
     * ({@code busy}) and waiting now.
     */
    List<String> stats() {
        return List.of("hashers=" + threads, "hashes_started=" + started, "hashes_dropped=" + dropped,
                "hashes_refused=" + refused, "hashes_waiting=" + waiting.size());
    }

    private <T> void start(Job<T> job) {
        running++;
        started++;
        workers.hash(job.work(), (result, failure) -> {
            running--;
            release(job);
            try {
                job.answer(result, failure);
            } finally {
                startWaiting();
            }
        });
    }

    private void startWaiting() {
        Job<?> job;
        while (running < threads && (job = waiting.poll()) != null) {
            if (job.client().isOpen()) {
                start(job);
            } else {
                drop(job);
            }
        }
    }

    private void drop(Job<?> job) {
        dropped++;
        release(job);
        job.answer(null, DROPPED);
    }

    private void release(Job<?> job) {
        byClient.remove(job.client());
        byAddress.computeIfPresent(job.address(), (a, n) -> n == 1 ? null : n - 1);
    }
}
