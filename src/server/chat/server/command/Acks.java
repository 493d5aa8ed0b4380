package chat.server.command;

import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Acknowledgements, written in batches. Every client ACKs every message it receives: in a group
 * of 500 that is 500 writes a message, and one commit each would keep the single writer busy with
 * them while the messages wait behind (on MariaDB, whose commits wait for the disk, it fell
 * behind for good). So ACKs collect here, each device's highest id only, and go to the database in
 * one transaction, one batch at a time, and under a steady stream of them one batch every
 * {@link #EVERY_MILLIS} at most: whatever arrives meanwhile goes into the next. A device that
 * receives all the time is then written once a batch, not once each time the writer commits a
 * group (with 1,000 people chatting, a batch each group was about one UPDATE for each message
 * stored, the writer's largest cost after the messages themselves on MariaDB). After a quiet
 * spell an ACK is written at once. A mark written late costs at most a redelivery at the next
 * login, which clients ignore by id; a device that logs in again has its marks written first
 * ({@link #flush}). A batch is an unguarded write ({@link chat.server.store.Workers#writeUnguarded}):
 * only the database can fail an UPDATE of cursors, so it needs no savepoint in the writer's group.
 * Reactor thread only.
 */
final class Acks {

    private static final System.Logger LOG = System.getLogger(Acks.class.getName());

    /** Batches begin at most this often: a crash may leave devices' marks this much older. */
    static final long EVERY_MILLIS = 100;

    private final Services services;
    private Map<Long, Long> pending = new HashMap<>();
    /** A batch is being written: the next one waits for it. */
    private boolean writing;
    /** A timer will start the next batch. */
    private boolean timed;
    /** When the last batch began (System.nanoTime()). */
    private long lastBatch = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(EVERY_MILLIS);

    Acks(Services services) {
        this.services = services;
    }

    /** Device {@code deviceId} has received everything up to {@code messageId}. */
    void add(long deviceId, long messageId) {
        pending.merge(deviceId, messageId, Math::max);
        if (!writing && !timed) {
            next();
        }
    }

    /**
     * Writes what is pending now, without waiting for the batch being written or the next one's
     * time: before a catch-up is read (so that a device that comes back at once is not sent
     * again what it just acknowledged), and at shutdown. Both writes queue on the one writer, in
     * order.
     */
    void flush() {
        if (!pending.isEmpty()) {
            store(stored -> { });
        }
    }

    /** Starts the next batch now, or once {@link #EVERY_MILLIS} have passed since the last began. */
    private void next() {
        long waitMillis = TimeUnit.NANOSECONDS.toMillis(lastBatch - System.nanoTime()) + EVERY_MILLIS;
        if (waitMillis <= 0) {
            writeBatch();
            return;
        }
        timed = true;
        services.timers().schedule(waitMillis, () -> {
            timed = false;
            if (!pending.isEmpty() && !writing) {
                writeBatch();
            }
        });
    }

    private void writeBatch() {
        writing = true;
        lastBatch = System.nanoTime();
        store(stored -> {
            writing = false;
            if (stored && !pending.isEmpty() && !timed) {
                next();
            }
        });
    }

    /**
     * Hands the writer what is pending; {@code then} learns on the reactor whether it was stored.
     * A batch that failed is kept for the next one, which the next ACK starts: no retrying in a
     * loop.
     */
    private void store(java.util.function.Consumer<Boolean> then) {
        Map<Long, Long> batch = pending;
        pending = new HashMap<>();
        services.workers().writeUnguarded(() -> {
            services.store().acknowledgeDevices(batch);
            return null;
        }, (ignored, failed) -> {
            if (failed != null) {
                LOG.log(Level.ERROR, "writing " + batch.size() + " acknowledgements failed", failed);
                batch.forEach((device, id) -> pending.merge(device, id, Math::max));
            }
            then.accept(failed == null);
        });
    }
}
