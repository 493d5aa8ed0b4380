package chat.server.reactor;

import java.nio.ByteBuffer;

/**
 * What a connection's bytes mean. The reactor knows nothing of chat: it hands each connection's
 * input to its handler, and the handler answers through {@link Connection#write}.
 *
 * <p>All methods run on the reactor thread.
 */
public interface Handler {

    /**
     * A connection was accepted with this handler, or one the server opened
     * ({@link Reactor#connect}) is connected; nothing has been read from it yet.
     */
    default void onOpen(Connection c) {}

    /**
     * Bytes arrived. {@code in} is in read mode; consume every whole frame and leave a partial one
     * where it is (its bytes stay for the next call). Throwing closes only this connection.
     */
    void onRead(Connection c, ByteBuffer in);

    /** The connection is closed, for whatever reason; called once. */
    void onClose(Connection c);

    /**
     * Once a second, for connections that asked for it ({@link Connection#setTicking}).
     * {@code nowMillis} is on the loop's monotonic clock, as {@link Connection#lastReadAt} is.
     */
    default void onTick(Connection c, long nowMillis) {}

    /**
     * Every byte queued on the connection has been taken by the socket, for a connection that asked
     * ({@link Connection#setDrainWatch}): a handler that streams a file queues its next piece from
     * here, so that a download is fed as fast as its socket takes it and never queued whole.
     */
    default void onDrained(Connection c) {}

    /** The server is stopping: a last chance to queue a goodbye, written before the close. */
    default void onShutdown(Connection c) {}

    /**
     * What the initial handler sends a connection refused at accept for having too many
     * connections from its address, before it is closed: the peer has said nothing yet, so it is
     * whatever reads best to every protocol the handler speaks. Nothing by default.
     */
    default byte[] refusal() {
        return new byte[0];
    }
}
