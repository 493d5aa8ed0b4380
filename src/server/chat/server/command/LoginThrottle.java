package chat.server.command;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Slows down password guessing without letting anyone lock a victim out (issue 13).
 *
 * <p>What it promises, whatever the number of connections or addresses an attacker has:
 * <ul>
 *   <li><b>A few guesses a minute per account.</b> A password check (LOGIN, PASSWD's old
 *       password) takes a token from its account's bucket <em>before</em> the hash runs, so a
 *       check in flight counts as a failure until it succeeds: 40 LOGINs sent at once find the
 *       bucket empty after the first few, whatever their addresses. The bucket holds
 *       {@value #ACCOUNT_BURST} and gains one every {@value #ACCOUNT_SECONDS} s; a success gives
 *       its token back, a failure keeps it.
 *   <li><b>A person at a clean address gets a check within {@value #CLEAN_SECONDS} s.</b> When the
 *       account's bucket is empty, an address with no failure on this account in the last
 *       {@value #DIRTY_MINUTES} minutes may take from a second, small bucket of the account's
 *       ({@value #CLEAN_BURST}, one every {@value #CLEAN_SECONDS} s). The attacker's own
 *       addresses are dirty after their first failure, so to keep this lane empty too he needs a
 *       fresh address every {@value #CLEAN_SECONDS} s for this one account; the two buckets
 *       together still allow at most {@value #ACCOUNT_BURST} + {@value #CLEAN_BURST} guesses at
 *       once and then four a minute.
 *   <li><b>A known device is never locked out.</b> RESUME with a session token (the device that
 *       logged in before) consults none of these buckets: it is always checked, and a good token
 *       always gets in. Bad tokens cost their address only ({@link #resumeFailed}), and a token is
 *       256 random bits, so that budget keeps the logs quiet rather than the accounts safe.
 *   <li><b>Failures on one account do not lock other accounts behind the same address.</b> An
 *       address has no failure budget of its own; it has a budget of <em>accounts</em> it may
 *       fail on ({@value #ADDRESS_ACCOUNTS}, one more every {@value #ADDRESS_ACCOUNT_SECONDS} s),
 *       charged by a failure on an account the address had not failed on lately; a check of
 *       such an account waits while it is spent. Hammering one account uses one; spraying one
 *       password over many accounts runs out. People behind a campus NAT who type their own
 *       password right never use it, however many log in at once. (It is charged after the
 *       fact, not reserved: parallel spraying from one address is already held to
 *       {@code --hash-per-address} checks at a time by the {@link HashGate}.)
 * </ul>
 *
 * <p>Device names are not proof of a known device: they are chosen by the client, {@code default}
 * for most, and sent in the clear beside the password. A device that holds a live token RESUMEs
 * (the client library does); one whose token expired or was revoked is a new device.
 *
 * <p>Reactor thread only; the clock is the server's ({@link Services#clock}), so that tests move
 * time on. Buckets that are full again and dirty marks that have expired are purged once a minute.
 */
final class LoginThrottle {

    static final int ACCOUNT_BURST = 5;
    static final int ACCOUNT_SECONDS = 30;
    static final int CLEAN_BURST = 2;
    static final int CLEAN_SECONDS = 30;
    static final int DIRTY_MINUTES = 15;
    static final int ADDRESS_ACCOUNTS = 10;
    static final int ADDRESS_ACCOUNT_SECONDS = 60;
    /** Bad RESUME tokens per address: a burst, then one every {@value #BAD_TOKEN_SECONDS} s. */
    static final int BAD_TOKENS = 10;
    static final int BAD_TOKEN_SECONDS = 6;
    /**
     * Keys held per kind at most ({@link Budgets} refuses a new key past it). An account's key is
     * made by a check and kept until its bucket is full again, at most 150 s after its last
     * failure, so filling 100,000 would take hundreds of hashes a second: far past what the
     * hashers do at the default cost.
     */
    private static final int MAX_KEYS = 100_000;
    private static final long PURGE_MILLIS = 60_000;

    private final LongSupplier clock;
    private final Budgets accounts = new Budgets(ACCOUNT_BURST, ACCOUNT_SECONDS * 1000L, MAX_KEYS);
    private final Budgets clean = new Budgets(CLEAN_BURST, CLEAN_SECONDS * 1000L, MAX_KEYS);
    private final Budgets addressAccounts = new Budgets(ADDRESS_ACCOUNTS, ADDRESS_ACCOUNT_SECONDS * 1000L, MAX_KEYS);
    private final Budgets badTokens = new Budgets(BAD_TOKENS, BAD_TOKEN_SECONDS * 1000L, MAX_KEYS);
    /** "account address" pairs with a failure, until when they count as dirty. */
    private final Map<String, Long> dirty = new HashMap<>();
    private long lastPurge;
    /** The other nodes of a cluster, told of each charge ({@link Charges#NONE} with one node). */
    private Charges others = Charges.NONE;

    LoginThrottle(LongSupplier clock) {
        this.clock = clock;
        this.lastPurge = clock.getAsLong();
    }

    /** Tells {@code others} of every charge from now on (a cluster's nodes). */
    void tell(Charges others) {
        this.others = others;
    }

    /**
     * A charge made on another node of the cluster, applied here as if made here (never told on):
     * a wrong password costs the account's lane, dirties the address for the account and, when
     * it was new to the address, costs the address one of its accounts; a bad token costs its
     * address. Other budgets are not this class's (false).
     */
    boolean chargedElsewhere(Charges.Budget budget, String key, String address, boolean newToAddress) {
        long now = now();
        switch (budget) {
            case ACCOUNT, CLEAN -> {
                (budget == Charges.Budget.ACCOUNT ? accounts : clean).charge(key, now);
                dirty(key, address, newToAddress, now);
            }
            case BAD_TOKEN -> badTokens.charge(key, now);
            default -> {
                return false;
            }
        }
        return true;
    }

    private void dirty(String account, String address, boolean newToAddress, long now) {
        if (newToAddress) {
            addressAccounts.charge(address, now);
        }
        if (dirty.size() < MAX_KEYS || dirty.containsKey(pair(account, address))) {
            dirty.put(pair(account, address), now + DIRTY_MINUTES * 60_000L);
        }
    }

    /** What {@link #reserve} answers: a check that may run, or a refusal. */
    sealed interface Reservation permits Check, Refusal {}

    /** A password check that may run: report its outcome once, exactly one of the three. */
    final class Check implements Reservation {
        private final String account;
        private final String address;
        private final boolean newToAddress;
        private final Budgets lane;
        private boolean settled;

        private Check(String account, String address, boolean newToAddress, Budgets lane) {
            this.account = account;
            this.address = address;
            this.newToAddress = newToAddress;
            this.lane = lane;
        }

        /** The password was right: the account's token comes back and the address is clean again. */
        void succeeded() {
            if (settle()) {
                lane.refund(account, clock.getAsLong());
                dirty.remove(pair(account, address));
            }
        }

        /**
         * The password was wrong: the account's token stays taken, the address is dirty for the
         * account, and a new account costs the address one of its accounts.
         */
        void failed() {
            if (settle()) {
                dirty(account, address, newToAddress, clock.getAsLong());
                others.charged(lane == accounts ? Charges.Budget.ACCOUNT : Charges.Budget.CLEAN, account, address,
                        newToAddress);
            }
        }

        /**
         * The outcome of the hash: a failure of the work itself (or {@link HashGate#DROPPED})
         * checked no password, so it cancels; otherwise {@code right} says which.
         */
        void report(boolean right, Throwable failure) {
            if (failure != null) {
                cancelled();
            } else if (right) {
                succeeded();
            } else {
                failed();
            }
        }

        /** No password was checked (the server was busy, the connection went): nothing counts. */
        void cancelled() {
            if (settle()) {
                lane.refund(account, clock.getAsLong());
            }
        }

        private boolean settle() {
            boolean first = !settled;
            settled = true;
            return first;
        }
    }

    /** A refusal: how long until a check of this account from this address could run. */
    record Refusal(long waitMillis) implements Reservation {
        /** Whole seconds, rounded up, at least 1: what the reply tells. */
        long seconds() {
            return Math.max(1, (waitMillis + 999) / 1000);
        }
    }

    /**
     * Asks to check a password of {@code account} (its name key) from {@code address}: a
     * {@link Check} to report on, or a {@link Refusal}.
     */
    Reservation reserve(String account, String address) {
        long now = now();
        boolean newToAddress = !isDirty(account, address, now);
        if (newToAddress) {
            long wait = addressAccounts.waitMillis(address, now);
            if (wait > 0) {
                return new Refusal(wait);
            }
        }
        long wait = accounts.take(account, now);
        if (wait == 0) {
            return new Check(account, address, newToAddress, accounts);
        }
        if (newToAddress) {
            long cleanWait = clean.take(account, now);
            if (cleanWait == 0) {
                return new Check(account, address, true, clean);
            }
            wait = Math.min(wait, cleanWait);
        }
        return new Refusal(wait);
    }

    /**
     * A RESUME's token was bad: counts against {@code address}; returns the refusal to answer
     * with once the address is over its budget of bad tokens, else null.
     */
    Refusal resumeFailed(String address) {
        long wait = badTokens.take(address, now());
        if (wait > 0) {
            return new Refusal(wait);
        }
        others.charged(Charges.Budget.BAD_TOKEN, address, null, false);
        return null;
    }

    private boolean isDirty(String account, String address, long now) {
        Long until = dirty.get(pair(account, address));
        return until != null && until > now;
    }

    private static String pair(String account, String address) {
        return account + ' ' + address;
    }

    private long now() {
        long now = clock.getAsLong();
        if (now - lastPurge >= PURGE_MILLIS) {
            lastPurge = now;
            for (Iterator<Long> it = dirty.values().iterator(); it.hasNext(); ) {
                if (it.next() <= now) {
                    it.remove();
                }
            }
        }
        return now;
    }
}
