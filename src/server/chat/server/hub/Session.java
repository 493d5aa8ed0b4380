package chat.server.hub;

import chat.server.reactor.Connection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One logged-in device of an account, on one connection. Reactor thread only, but for the
 * immutable fields.
 *
 * <p>While {@link #syncing}, what waited for this device (past its own cursor) is being
 * delivered page by page, in order; stored pushes are not sent to it meanwhile (they are stored,
 * so the next page brings them), which keeps delivery in order and free of duplicates. Live
 * pushes (presence, read marks), which no page would bring, are held and follow {@code SYNCED}.
 */
public final class Session {

    public final long userId;
    public final String name;
    /** The device's row id, and its name as the client gave it. */
    public final long deviceId;
    public final String device;
    public final Connection connection;
    public final long since;
    /** The hash of the token this session logged in with or resumed (LOGOUT revokes it). */
    public final String tokenHash;

    /** The account this session is one device of; set when it enters the {@link Hub}. */
    public OnlineUser user;

    /** The groups whose rooms I am in (see {@link Rooms}). */
    public final Set<Long> groups = new HashSet<>();

    public boolean syncing = true;
    /** The last id pushed while syncing; an ACK of it asks for the next page. */
    public long lastPushedId = Long.MAX_VALUE;
    /**
     * The highest stored id pushed to this device, by its catch-up or live: it cannot have
     * received more, so its ACKs stop there.
     */
    public long highestPushed;
    /** True once another login took this one's place: its end is then no logout. */
    public boolean replaced;
    /** Cluster mode: this catch-up is a resync, which ends without {@code SYNCED}. */
    public boolean resyncing;
    /** Cluster mode: a resync was asked for during the catch-up: it reads once more before it ends. */
    public boolean again;
    /**
     * Cluster mode: a resync is pending (a doorbell may be lost) and this session waits for it,
     * syncing: a stored push released meanwhile must not raise {@link #highestPushed} past a lost
     * one, from which the resync reads.
     */
    public boolean awaitingResync;

    /**
     * Live pushes held while catching up: at most this many, so that a client stuck in its
     * catch-up costs bounded memory; past it they go out at once (out of order, never lost).
     */
    static final int MAX_HELD = 1024;
    private List<byte[]> held;

    /**
     * Private messages from others pushed here and not yet acknowledged, oldest first, as
     * {id, sender's user id}: the ACK that covers them sends their senders a receipt. At most
     * {@link #MAX_HELD}: past it the oldest lose their receipt (receipts are live, a courtesy;
     * the message itself is delivered all the same).
     */
    private final ArrayDeque<long[]> awaitingReceipt = new ArrayDeque<>();

    public Session(long userId, String name, long deviceId, String device, String tokenHash,
            Connection connection, long since) {
        this.userId = userId;
        this.name = name;
        this.deviceId = deviceId;
        this.device = device;
        this.tokenHash = tokenHash;
        this.connection = connection;
        this.since = since;
    }

    /** A stored push with {@code id} went out to this device. */
    public void pushed(long id) {
        if (id > highestPushed) {
            highestPushed = id;
        }
    }

    /** Private message {@code id} from user {@code senderId} went out to this device: its ACK sends a receipt. */
    public void awaitReceipt(long id, long senderId) {
        if (awaitingReceipt.size() == MAX_HELD) {
            awaitingReceipt.removeFirst();
        }
        awaitingReceipt.addLast(new long[] {id, senderId});
    }

    /** This device acknowledged up to {@code upTo}: the highest id received per sender, taken once. */
    public Map<Long, Long> receipts(long upTo) {
        Map<Long, Long> bySender = new HashMap<>();
        while (!awaitingReceipt.isEmpty() && awaitingReceipt.peekFirst()[0] <= upTo) {
            long[] m = awaitingReceipt.removeFirst();
            bySender.merge(m[1], m[0], Math::max);
        }
        return bySender;
    }

    /** A live push (an encoded line): now, or after {@code SYNCED} while catching up. */
    public void notify(byte[] line) {
        if (syncing && (held == null || held.size() < MAX_HELD)) {
            if (held == null) {
                held = new ArrayList<>();
            }
            held.add(line);
        } else {
            connection.write(line, 0, line.length);
        }
    }

    /**
     * The catch-up is done: {@code synced} (the encoded SYNCED; null after a resync) goes out,
     * then what was held.
     */
    public void synced(byte[] synced) {
        syncing = false;
        if (synced != null) {
            connection.write(synced);
        }
        if (held != null) {
            for (byte[] line : held) {
                connection.write(line);
            }
            held = null;
        }
    }

    @Override
    public String toString() {
        return name + "#" + userId + "/" + device;
    }
}
