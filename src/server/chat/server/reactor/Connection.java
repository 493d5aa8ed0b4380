package chat.server.reactor;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLEngine;

/**
 * One socket, a client's or one the server opened ({@link Reactor#connect}), owned by the reactor
 * thread: every method here must be called on it (other threads go through {@link Reactor#execute}).
 *
 * <p>Its life is one {@link State}, and goes one way: <b>open</b> (reading, writing);
 * <b>closing</b> after {@link #closeAfterFlush} (no more reading, pending output still written,
 * then doomed); <b>doomed</b> (it broke a limit, failed, or has flushed its last words: closed by
 * the reactor at the end of the round, so that a handler iterating over recipients never sees one
 * vanish under it); <b>closed</b>. Whether reading is paused for back-pressure is apart from it.
 *
 * <p>Its transport is the socket itself, or TLS in front of it once {@link #startTls} was called
 * ({@link TlsTransport}: unwrapped after each read, wrapped at each flush). Handlers and the
 * outbound queue see plain bytes either way.
 */
public final class Connection {

    final Reactor reactor;
    final SocketChannel channel;
    final SelectionKey key;
    final Outbound out = new Outbound();
    private final long id;
    private final InetSocketAddress remote;
    private final long openedAt;

    Handler handler;
    /** Reassembly buffer, borrowed from the pool while a partial frame waits in it. */
    ByteBuffer in;
    int interest;
    boolean dirty;
    boolean readSuspended;
    /** Reading paused by the handler ({@link #pauseReading}), apart from the reactor's own back-pressure. */
    boolean readPaused;
    /** Whether the handler hears {@link Handler#onDrained}. */
    boolean drainWatch;
    /** The handler's own read buffer, used instead of pooled chunks ({@link #setInboundBuffer}). */
    ByteBuffer ownIn;
    State state = State.OPEN;
    /** Why it is closing or doomed, for the log. */
    String closeReason;
    /** How loud its close is logged: a client cut for not reading is worth a warning. */
    System.Logger.Level closeLevel = System.Logger.Level.DEBUG;
    boolean ticking;
    int index = -1;
    long lastWriteProgress;
    /** When its queue last went from empty to not empty. */
    long waitingSince;
    /** Not taking its output: its bytes are left out of the water marks (see {@link Reactor}). */
    boolean stuck;
    long lastReadAt;
    private Object attachment;
    /** TLS between the socket and the plain bytes; null for a plain connection. */
    TlsTransport tls;
    /** Opened by this server ({@link Reactor#connect}) rather than accepted from a client. */
    final boolean outbound;
    /** An outbound connection whose TCP connect has not finished: nothing is read or written yet. */
    boolean connecting;
    /** Its own cap on queued output, in place of {@link Limits#maxPendingPerConnection}; 0: none. */
    int maxPending;

    /** See the class comment; the order is the order of a connection's life. */
    enum State { OPEN, CLOSING, DOOMED, CLOSED }

    Connection(Reactor reactor, long id, SocketChannel channel, SelectionKey key, InetSocketAddress remote,
            Handler handler, long now) {
        this(reactor, id, channel, key, remote, handler, now, false);
    }

    Connection(Reactor reactor, long id, SocketChannel channel, SelectionKey key, InetSocketAddress remote,
            Handler handler, long now, boolean outbound) {
        this.outbound = outbound;
        this.connecting = outbound;
        this.reactor = reactor;
        this.id = id;
        this.channel = channel;
        this.key = key;
        this.remote = remote;
        this.handler = handler;
        this.openedAt = now;
        this.lastWriteProgress = now;
        this.lastReadAt = now;
    }

    public long id() {
        return id;
    }

    public InetSocketAddress remoteAddress() {
        return remote;
    }

    public long openedAt() {
        return openedAt;
    }

    /** When bytes last arrived, on the loop's monotonic clock in milliseconds. */
    public long lastReadAt() {
        return lastReadAt;
    }

    public Reactor reactor() {
        return reactor;
    }

    /** Hands the connection to another protocol, as the sniffer does once it has decided. */
    public void setHandler(Handler handler) {
        this.handler = handler;
    }

    public Handler handler() {
        return handler;
    }

    public Object attachment() {
        return attachment;
    }

    public void attach(Object attachment) {
        this.attachment = attachment;
    }

    /** Whether the handler's {@link Handler#onTick} runs for this connection once a second. */
    public void setTicking(boolean ticking) {
        this.ticking = ticking;
    }

    /**
     * Stops reading from the socket until {@link #resumeReading}: the handler cannot take more yet
     * (an upload whose disk writes are behind), so TCP slows the sender down.
     */
    public void pauseReading() {
        reactor.pauseReading(this);
    }

    public void resumeReading() {
        reactor.resumeReading(this);
    }

    public boolean isReadingPaused() {
        return readPaused;
    }

    /**
     * Whether its bytes are left unread for now, by the handler ({@link #pauseReading}) or by the
     * reactor's back-pressure: a clock on the peer's input must not run meanwhile.
     */
    public boolean isReadingHeld() {
        return readPaused || readSuspended;
    }

    /**
     * Whether {@link Handler#onDrained} is called when this connection's output empties. A watched
     * connection bounds its own queue, so the reactor leaves it out of the total that pauses
     * reading for everyone (see {@link Reactor}).
     */
    public void setDrainWatch(boolean watch) {
        reactor.setDrainWatch(this, watch);
    }

    /** When the socket last took a byte of this connection's output, on the loop's clock. */
    public long lastWriteAt() {
        return lastWriteProgress;
    }

    /**
     * Reads into {@code buffer} (direct, the handler's) rather than into the pool's 4 KiB chunks:
     * a connection that carries bulk bytes reads them in large pieces, one system call each.
     */
    public void setInboundBuffer(ByteBuffer buffer) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("an inbound buffer must be direct");
        }
        this.ownIn = buffer;
    }

    /** True while output can still be queued: not closed, not closing, not doomed. */
    public boolean isWritable() {
        return state == State.OPEN;
    }

    /** Doomed or closed: its output will never be written. */
    boolean isGone() {
        return state.compareTo(State.DOOMED) >= 0;
    }

    /**
     * Whether this server opened the connection ({@link Reactor#connect}: a link to Redis) rather
     * than accepted it from a client.
     */
    public boolean isOutbound() {
        return outbound;
    }

    /** An outbound connection still waiting for its TCP connect; output queued meanwhile waits. */
    public boolean isConnecting() {
        return connecting;
    }

    /**
     * Caps this connection's queued output at {@code bytes} instead of the reactor's
     * {@link Limits#maxPendingPerConnection}: past it, the connection is closed as one whose peer
     * stopped reading.
     */
    public void setMaxPending(int bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("maxPending must be a positive integer: " + bytes);
        }
        this.maxPending = bytes;
    }

    /** Why it closed (or is closing), for a handler's {@link Handler#onClose}; null while open. */
    public String closeReason() {
        return closeReason;
    }

    /** Bytes queued and not yet taken by the socket. */
    public int pendingBytes() {
        return out.pending();
    }

    /** Queues bytes; they are written at the end of this loop round. */
    public void write(byte[] src, int off, int len) {
        if (reactor.admit(this, len)) {
            out.append(src, off, len, reactor.pool);
            reactor.markDirty(this);
        }
    }

    public void write(byte[] src) {
        write(src, 0, src.length);
    }

    /** Queues {@code src}'s remaining bytes, consuming them. */
    public void write(ByteBuffer src) {
        if (reactor.admit(this, src.remaining())) {
            out.append(src, reactor.pool);
            reactor.markDirty(this);
        } else {
            src.position(src.limit());
        }
    }

    /**
     * Speaks TLS from here on, as the server side of {@code engine}: {@code firstBytes} (consumed)
     * are the ones already read, the start of the peer's first record. The handler stays; it
     * hears the plain bytes once the handshake is done. {@code tasks} runs the engine's delegated
     * tasks, off the reactor.
     */
    public void startTls(SSLEngine engine, Executor tasks, ByteBuffer firstBytes) {
        reactor.startTls(this, engine, tasks, firstBytes);
    }

    /** Whether this connection speaks TLS ({@link #startTls}). */
    public boolean isTls() {
        return tls != null;
    }

    /** Whether it speaks TLS and its first handshake is done. */
    public boolean isTlsHandshaken() {
        return tls != null && tls.isHandshaken();
    }

    /** Output waits: plain bytes queued, or ciphertext the socket has not taken. */
    boolean hasOutput() {
        return !out.isEmpty() || (tls != null && tls.hasPendingOutput());
    }

    /** Stops reading, writes what is queued (an error reply, say), then closes. */
    public void closeAfterFlush(String reason) {
        reactor.closeAfterFlush(this, reason);
    }

    /** Closes at the end of this round, dropping queued output. */
    public void close(String reason) {
        reactor.doom(this, reason);
    }

    @Override
    public String toString() {
        return "#" + id + (outbound ? " to " : " ") + remote.getAddress().getHostAddress() + ":" + remote.getPort()
                + (tls != null ? " tls" : "");
    }
}
