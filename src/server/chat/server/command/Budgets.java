package chat.server.command;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Token buckets, one per key (an address, an account): each allows a burst of {@code burst}
 * takes, then one every {@code intervalMillis}. A take that the bucket cannot give is refused with
 * the time until it could, so that a refusal can say when to try again.
 *
 * <p>A bucket is kept as one number, the time at which it will be full again (the "theoretical
 * arrival time" of the generic cell rate algorithm, RFC 2697's token bucket without floating
 * point): a take moves it one interval later, a refund one interval earlier, and a take is
 * refused when it would move it more than {@code burst} intervals past now. A bucket that is full
 * again tells nothing, so it is forgotten: a take or a charge first purges the full buckets, at
 * most once every {@value #PURGE_MILLIS} ms, and the map holds only the keys in use (a map
 * nobody purged would fill with every key that ever came, and then refuse every new one).
 *
 * <p>At most {@code maxKeys} keys are held, so that a flood of addresses cannot grow it without
 * bound; a new key beyond that is refused (the caller decides what a refusal means). Reactor
 * thread only.
 */
final class Budgets {

    static final long PURGE_MILLIS = 60_000;

    private final int burst;
    private final long intervalMillis;
    private final int maxKeys;
    /** Per key, when its bucket is full again (milliseconds, the server's clock). */
    private final Map<String, Long> fullAt = new HashMap<>();
    /** When {@link #purge} last ran. */
    private long lastPurge;

    Budgets(int burst, long intervalMillis, int maxKeys) {
        if (burst < 1 || intervalMillis < 1 || maxKeys < 1) {
            throw new IllegalArgumentException("burst, interval and key count must be positive: " + burst + ", "
                    + intervalMillis + ", " + maxKeys);
        }
        this.burst = burst;
        this.intervalMillis = intervalMillis;
        this.maxKeys = maxKeys;
    }

    /** Takes one from {@code key}'s bucket: 0 when taken, else the milliseconds until one could be. */
    long take(String key, long now) {
        purge(now);
        Long full = fullAt.get(key);
        if (full == null && fullAt.size() >= maxKeys) {
            return intervalMillis;
        }
        long next = Math.max(full == null ? now : full, now) + intervalMillis;
        long over = next - now - (long) burst * intervalMillis;
        if (over > 0) {
            return over;
        }
        fullAt.put(key, next);
        return 0;
    }

    /** Milliseconds until {@code key} could take one; 0 when it can now. */
    long waitMillis(String key, long now) {
        Long full = fullAt.get(key);
        return full == null ? 0 : Math.max(0, full + intervalMillis - now - (long) burst * intervalMillis);
    }

    /**
     * Takes one from {@code key}'s bucket after the fact, even past empty (the debt is waited
     * off before the next take): for what is counted when it has happened rather than before.
     * A new key beyond {@code maxKeys} is not counted.
     */
    void charge(String key, long now) {
        purge(now);
        Long full = fullAt.get(key);
        if (full != null || fullAt.size() < maxKeys) {
            fullAt.put(key, Math.max(full == null ? now : full, now) + intervalMillis);
        }
    }

    /** Gives back one take that did not count (its work was dropped, or it proved harmless). */
    void refund(String key, long now) {
        Long full = fullAt.get(key);
        if (full == null) {
            return;
        }
        long earlier = full - intervalMillis;
        if (earlier <= now) {
            fullAt.remove(key);
        } else {
            fullAt.put(key, earlier);
        }
    }

    /** Forgets the buckets that are full again, unless it did less than {@value #PURGE_MILLIS} ms ago. */
    private void purge(long now) {
        if (now - lastPurge < PURGE_MILLIS) {
            return;
        }
        lastPurge = now;
        for (Iterator<Long> it = fullAt.values().iterator(); it.hasNext(); ) {
            if (it.next() <= now) {
                it.remove();
            }
        }
    }
}
