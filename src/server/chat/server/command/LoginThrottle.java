package chat.server.command;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Slows down password guessing, per client address and per account.
 *
 * <p>Policy: the first {@value #FREE_FAILURES} failed logins for a key cost nothing. After that,
 * each further failure locks the key for twice as long as the one before, from 1 s up to
 * {@value #MAX_LOCK_SECONDS} s; while locked, a login is refused with {@code throttled} before any
 * password is checked. A key's record is forgotten {@value #FORGET_MINUTES} minutes after its
 * last failure, and at once on a successful login. Both the address and the account are keys, so
 * that neither one address trying many accounts nor many addresses trying one account gets far.
 *
 * <p>Reactor thread only. Forgotten entries are purged once a minute, and their number is capped,
 * so that a flood of addresses cannot grow it without bound.
 */
final class LoginThrottle {

    static final int FREE_FAILURES = 3;
    static final int MAX_LOCK_SECONDS = 60;
    static final int FORGET_MINUTES = 15;
    private static final int MAX_ENTRIES = 100_000;

    private static final class Record {
        int failures;
        long lastFailure;
        long lockedUntil;
    }

    private final Map<String, Record> records = new HashMap<>();

    /** Milliseconds until {@code key} may try again; 0 when it may now. */
    long waitMillis(String key, long now) {
        Record r = records.get(key);
        return r == null ? 0 : Math.max(0, r.lockedUntil - now);
    }

    void failure(String key, long now) {
        Record r = records.get(key);
        if (r == null) {
            if (records.size() >= MAX_ENTRIES) {
                return; // under such a flood, the per-account keys still hold
            }
            r = new Record();
            records.put(key, r);
        }
        r.failures++;
        r.lastFailure = now;
        int over = r.failures - FREE_FAILURES;
        if (over > 0) {
            long seconds = Math.min(MAX_LOCK_SECONDS, 1L << Math.min(over - 1, 16));
            r.lockedUntil = now + seconds * 1000;
        }
    }

    void success(String key) {
        records.remove(key);
    }

    void purge(long now) {
        long forget = FORGET_MINUTES * 60_000L;
        for (Iterator<Record> it = records.values().iterator(); it.hasNext(); ) {
            if (now - it.next().lastFailure > forget) {
                it.remove();
            }
        }
    }
}
