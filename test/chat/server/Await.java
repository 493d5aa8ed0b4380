package chat.server;

import java.time.Duration;

/**
 * Waiting for something another thread does (a row the writer writes, a connection the reactor
 * closes): polls until it holds, and fails with what was awaited when the time is up. The time
 * is a generous bound on a broken server, not a performance assertion.
 */
public final class Await {

    /** Something that holds, or not yet; it may read a database or a socket. */
    public interface Condition {
        boolean holds() throws Exception;
    }

    public static final Duration DEFAULT = Duration.ofSeconds(10);

    private Await() {}

    public static void until(Condition condition, String description) throws Exception {
        until(condition, DEFAULT, description);
    }

    public static void until(Condition condition, Duration timeout, String description) throws Exception {
        until(condition, timeout, () -> description);
    }

    /** As above, the description made when the time is up (to say what is still missing then). */
    public static void until(Condition condition, Duration timeout, java.util.function.Supplier<String> description)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("waited " + timeout.toSeconds() + " s, in vain, until " + description.get());
            }
            Thread.sleep(10);
        }
    }
}
