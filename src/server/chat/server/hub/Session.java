package chat.server.hub;

import chat.server.reactor.Connection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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

    /**
     * Live pushes held while catching up: at most this many, so that a client stuck in its
     * catch-up costs bounded memory; past it they go out at once (out of order, never lost).
     */
    static final int MAX_HELD = 1024;
    private List<byte[]> held;

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

    /** The catch-up is done: {@code synced} (the encoded SYNCED) goes out, then what was held. */
    public void synced(byte[] synced) {
        syncing = false;
        connection.write(synced);
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
