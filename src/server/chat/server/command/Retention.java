package chat.server.command;

import chat.server.store.Store;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code --retention-days N}: messages and events older than N days are deleted, hourly and at
 * start, off the hot path. Each batch of {@link #BATCH} rows is one write of its own on the writer,
 * so the messages arriving meanwhile wait for one short batch at most, never for the whole round;
 * then the space is given back (SQLite) from the calling thread, outside any transaction.
 */
final class Retention {

    private static final System.Logger LOG = System.getLogger(Retention.class.getName());

    /** Rows per transaction: a few milliseconds of the writer's time. */
    static final int BATCH = 500;
    private static final long DAY_MILLIS = TimeUnit.DAYS.toMillis(1);

    private final Services services;

    Retention(Services services) {
        this.services = services;
    }

    /** One round; runs on the sweep thread and waits for the writer. Nothing when retention is off. */
    void sweep() {
        int days = services.settings().retentionDays();
        if (days == 0) {
            return;
        }
        long before = services.now() - days * DAY_MILLIS;
        long after = 0;
        long deleted = 0;
        try {
            Store.Pruned p;
            do {
                long from = after;
                var batch = new CompletableFuture<Store.Pruned>();
                services.workers().transaction("deleting old messages",
                        () -> services.store().deleteOldMessages(before, from, BATCH),
                        (pruned, failed) -> {
                            if (failed != null) {
                                batch.completeExceptionally(failed);
                            } else {
                                batch.complete(pruned);
                            }
                        });
                p = batch.get();
                deleted += p.deleted();
                after = p.lastId();
            } while (p.more());
            if (deleted > 0) {
                services.store().reclaimSpace();
                long n = deleted;
                LOG.log(Level.INFO, () -> "deleted " + n + " messages and events older than " + days + " days");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the server is stopping; the next start goes on
        } catch (ExecutionException | RuntimeException e) {
            LOG.log(Level.ERROR, "deleting old messages failed after " + deleted + " rows; again in an hour",
                    e instanceof ExecutionException ? e.getCause() : e);
        }
    }
}
