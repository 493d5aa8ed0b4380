package chat.server.hub;

import chat.common.proto.Line;
import chat.common.wire.LineDecoder;
import chat.server.reactor.Connection;
import java.util.HashSet;
import java.util.Set;

/**
 * One logged-in account on one connection. Reactor thread only, but for the immutable fields.
 *
 * <p>While {@link #syncing}, the messages that waited for the user are being delivered page by
 * page, in order; new messages are not pushed meanwhile (they are stored, so the next page brings
 * them), which keeps delivery in order and free of duplicates.
 */
public final class Session {

    public final long userId;
    public final String name;
    public final Connection connection;
    public final long since;

    /** My friends' user ids, loaded at login and kept current by friend commands. */
    public final Set<Long> friends = new HashSet<>();

    /** The groups whose rooms I am in (see {@link Rooms}). */
    public final Set<Long> groups = new HashSet<>();

    /** Whether I am in the lobby with the legacy clients. */
    public boolean inLobby;

    public boolean syncing = true;
    /** The last message id pushed while syncing; an ACK of it asks for the next page. */
    public long lastPushedId = Long.MAX_VALUE;
    /** True once another login of the same account took over: its end is then no logout. */
    public boolean replaced;

    public Session(long userId, String name, Connection connection, long since) {
        this.userId = userId;
        this.name = name;
        this.connection = connection;
        this.since = since;
    }

    /** Queues one line for this session's client. */
    public void push(Line line) {
        connection.write(LineDecoder.encode(line.format()));
    }

    @Override
    public String toString() {
        return name + "#" + userId;
    }
}
