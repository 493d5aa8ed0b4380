package chat.server.command;

import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;

/**
 * Acknowledgements, written in batches. Every client ACKs every message it receives: in a group
 * of 500 that is 500 writes a message, and one commit each would keep the single writer busy with
 * them while the messages wait behind (on MariaDB, whose commits wait for the disk, it fell
 * behind for good). So ACKs collect here, each device's highest id only, and go to the database in
 * one transaction, one batch at a time: whatever arrives while a batch is being written goes into
 * the next. A mark written late costs at most a redelivery at the next login, which clients
 * ignore by id. A batch is an unguarded write ({@link chat.server.store.Workers#writeUnguarded}):
 * only the database can fail an UPDATE of cursors, so it needs no savepoint in the writer's group.
 * Reactor thread only.
 */
final class Acks {

    private static final System.Logger LOG = System.getLogger(Acks.class.getName());

    private final Services services;
    private Map<Long, Long> pending = new HashMap<>();
    private boolean writing;

    Acks(Services services) {
        this.services = services;
    }

    /** Device {@code deviceId} has received everything up to {@code messageId}. */
    void add(long deviceId, long messageId) {
        pending.merge(deviceId, messageId, Math::max);
        if (!writing) {
            writeBatch();
        }
    }

    /**
     * Writes what is pending now, without waiting for the batch being written: before a catch-up
     * is read (so that a device that comes back at once is not sent again what it just
     * acknowledged), and at shutdown. Both writes queue on the one writer, in order.
     */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
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
        });
    }

    private void writeBatch() {
        Map<Long, Long> batch = pending;
        pending = new HashMap<>();
        writing = true;
        services.workers().writeUnguarded(() -> {
            services.store().acknowledgeDevices(batch);
            return null;
        }, (ignored, failed) -> {
            writing = false;
            if (failed != null) {
                // Kept for the next batch, which the next ACK starts: no retrying in a loop.
                LOG.log(Level.ERROR, "writing " + batch.size() + " acknowledgements failed", failed);
                batch.forEach((device, id) -> pending.merge(device, id, Math::max));
            } else if (!pending.isEmpty()) {
                writeBatch();
            }
        });
    }
}
