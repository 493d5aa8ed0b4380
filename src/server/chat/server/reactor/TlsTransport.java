package chat.server.reactor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * TLS between a connection's socket and its plain bytes: the layer inside a {@link Connection}
 * that unwraps after each read and wraps at each flush, so that neither handlers nor
 * {@link Outbound} know it is there. Reactor thread only, except the engine's delegated tasks.
 *
 * <p>Inbound: the socket's bytes go into {@code netIn}; {@link #unwrap} turns whole records into
 * plain bytes in the connection's reassembly buffer, the one its handler reads, and runs the
 * handshake meanwhile. Outbound: the connection's queue of plain chunks stays as it is, shared
 * encodes included (a fan-out still encodes its message once); {@link #write} is the sink that
 * {@link Outbound#writeTo} writes it to, and wraps it into this connection's own {@code netOut},
 * so the encryption is done once per connection per flush. Only ciphertext that the socket did
 * not take waits in {@code netOut}; while it does, {@link #write} takes no more plain bytes.
 *
 * <p>The engine's delegated tasks (certificate and key work, the slow part of a handshake) run on
 * {@code tasks}, never on the reactor; while they run the transport neither reads nor writes, and
 * {@code resume} is called on the reactor when they are done.
 *
 * <p>Buffers: {@code netIn} and {@code netOut} are direct, of the session's packet size (about
 * 17 KiB), borrowed from the reactor's TLS pool only while bytes are in them, so an idle TLS
 * connection holds none, like an idle plain one.
 */
final class TlsTransport implements GatheringByteChannel {

    private final SSLEngine engine;
    private final SocketChannel channel;
    private final BufferPool pool;
    private final Executor tasks;
    private final Runnable resume;
    /** Ciphertext read, not yet unwrapped; write mode. Null while empty. */
    private ByteBuffer netIn;
    /** Ciphertext wrapped, not yet written; read mode. Null while empty. */
    private ByteBuffer netOut;
    private final ByteBuffer[] one = new ByteBuffer[1];
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private boolean taskRunning;
    /** Set when the connection closed: its delegated tasks still waiting are skipped (read by the task thread). */
    private volatile boolean closed;
    /** Ciphertext bytes the socket has taken, in all. */
    private long netWritten;
    private boolean handshaken;
    private boolean justHandshaken;
    private boolean inboundClosed;
    private boolean overflow;
    private boolean unwrapWaiting;

    TlsTransport(SSLEngine engine, SocketChannel channel, BufferPool pool, Executor tasks, Runnable resume) {
        this.engine = engine;
        this.channel = channel;
        this.pool = pool;
        this.tasks = tasks;
        this.resume = resume;
    }

    /** The size of the buffers the reactor's TLS pool lends: a whole record, wrapped or not. */
    static int bufferSize(SSLEngine engine) {
        var s = engine.getSession();
        return Math.max(s.getPacketBufferSize(), s.getApplicationBufferSize());
    }

    /** Bytes that were read before TLS was known (the start of the ClientHello). */
    void received(ByteBuffer bytes) throws SSLException {
        while (bytes.hasRemaining()) {
            ByteBuffer in = netIn();
            if (!in.hasRemaining()) {
                throw new SSLException("a TLS record larger than " + in.capacity() + " bytes");
            }
            int n = Math.min(in.remaining(), bytes.remaining());
            in.put(in.position(), bytes, bytes.position(), n);
            in.position(in.position() + n);
            bytes.position(bytes.position() + n);
        }
    }

    /** One read from the socket into {@code netIn}: the bytes read, -1 at the end of the stream. */
    int readNet() throws IOException {
        ByteBuffer in = netIn();
        if (!in.hasRemaining()) {
            return 0; // a whole record waits; unwrap makes room
        }
        int n = channel.read(in);
        releaseEmpty();
        return n;
    }

    /**
     * Runs the handshake as far as it goes and unwraps what has arrived into {@code app} (write
     * mode), returning the plain bytes produced. Stops when it needs more bytes from the socket,
     * when a delegated task runs, when {@code app} has no room for the next record
     * ({@link #overflowed}), or when the peer closed ({@link #isInboundClosed}).
     */
    int unwrap(ByteBuffer app) throws SSLException {
        int produced = 0;
        overflow = false;
        unwrapWaiting = false;
        while (!taskRunning && !inboundClosed) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_TASK) {
                runTasks();
                break;
            }
            if (hs == HandshakeStatus.NEED_WRAP) {
                if (!wrapHandshake()) {
                    unwrapWaiting = netOut != null;
                    break;
                }
                continue;
            }
            if (netIn == null || netIn.position() == 0) {
                break;
            }
            netIn.flip();
            SSLEngineResult r;
            try {
                r = engine.unwrap(netIn, app);
            } finally {
                netIn.compact();
                releaseEmpty();
            }
            produced += r.bytesProduced();
            noteFinished(r);
            switch (r.getStatus()) {
                case OK -> {
                    if (r.bytesConsumed() == 0 && r.bytesProduced() == 0
                            && engine.getHandshakeStatus() == hs) {
                        return produced;
                    }
                }
                case BUFFER_UNDERFLOW -> {
                    if (netIn != null && !netIn.hasRemaining()) {
                        throw new SSLException("a TLS record larger than " + netIn.capacity() + " bytes");
                    }
                    return produced;
                }
                case BUFFER_OVERFLOW -> {
                    overflow = true;
                    return produced;
                }
                case CLOSED -> inboundClosed = true;
            }
        }
        return produced;
    }

    /** The last {@link #unwrap} stopped because the plain buffer had no room for a record. */
    boolean overflowed() {
        return overflow;
    }

    /** The peer sent its close_notify: as good as the end of the stream. */
    boolean isInboundClosed() {
        return inboundClosed;
    }

    /** Whether the first handshake is done: plain bytes can flow. */
    boolean isHandshaken() {
        return handshaken;
    }

    /**
     * Whether the handshake finished since the last call: plain output queued before it may go
     * now (the reactor flushes the connection).
     */
    boolean takeJustHandshaken() {
        boolean was = justHandshaken;
        justHandshaken = false;
        return was;
    }

    /**
     * Whether the last {@link #unwrap} stopped because a handshake record had to wait behind the
     * ciphertext in {@code netOut}: once that has drained the reactor unwraps again, since a
     * record may wait in {@code netIn} and the peer may send nothing more until it is answered.
     */
    boolean isUnwrapWaiting() {
        return unwrapWaiting && netOut == null;
    }

    /**
     * Whether {@code netIn} is full (a whole record waits for a delegated task or for room to
     * answer it): reading more is impossible, so the reactor drops read interest meanwhile rather
     * than be woken for it every round.
     */
    boolean isInputFull() {
        return netIn != null && !netIn.hasRemaining();
    }

    /** Whether a delegated task runs: the reactor counts the handshakes waiting for one. */
    boolean isTaskRunning() {
        return taskRunning;
    }

    /**
     * Ciphertext bytes the socket has taken, in all: a change is write progress for the stall
     * and stuck clocks even when no plain byte was taken (the rest of a record went).
     */
    long netWritten() {
        return netWritten;
    }

    /** Ciphertext waits for the socket: the reactor keeps OP_WRITE until it has gone. */
    boolean hasPendingOutput() {
        return netOut != null;
    }

    /** Wrapped bytes wait, or the handshake has something to say: worth a flush. */
    boolean wantsFlush() {
        return netOut != null || (!taskRunning && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP);
    }

    /** What the protocol the peer and this side agreed on, for the log and STATS. */
    String protocol() {
        return engine.getSession().getProtocol();
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        one[0] = src;
        try {
            return (int) write(one, 0, 1);
        } finally {
            one[0] = null;
        }
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    /**
     * Wraps plain bytes from {@code srcs} and writes the records to the socket, returning the plain
     * bytes taken. Takes none while earlier ciphertext still waits for the socket, while the
     * handshake is not done, or while a delegated task runs.
     */
    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (!flushNet() || !handshaken || taskRunning) {
            return 0;
        }
        long taken = 0;
        while (remaining(srcs, offset, length) > 0) {
            ByteBuffer out = netOutForWrap();
            SSLEngineResult r;
            try {
                r = engine.wrap(srcs, offset, length, out);
            } finally {
                out.flip();
                keepNetOut(out);
            }
            taken += r.bytesConsumed();
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new ClosedChannelException();
            }
            if (!flushNet() || r.bytesConsumed() == 0) {
                break;
            }
        }
        return taken;
    }

    /**
     * Writes the handshake's own records and the ciphertext that waits; whether everything went
     * (false: the socket is full, OP_WRITE is wanted).
     */
    boolean flushNet() throws IOException {
        while (true) {
            if (netOut != null) {
                netWritten += channel.write(netOut);
                if (netOut.hasRemaining()) {
                    return false;
                }
                pool.release(netOut);
                netOut = null;
            }
            if (taskRunning) {
                return true;
            }
            HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_TASK) {
                runTasks();
                return true;
            }
            if (hs != HandshakeStatus.NEED_WRAP || !wrapHandshake()) {
                return true;
            }
        }
    }

    /** A best-effort close_notify, for a connection being closed: one write, no waiting. */
    void closeOutbound() {
        try {
            engine.closeOutbound();
            if (netOut == null && !taskRunning) {
                ByteBuffer out = netOutForWrap();
                engine.wrap(EMPTY, out);
                out.flip();
                keepNetOut(out);
            }
            if (netOut != null) {
                channel.write(netOut);
            }
        } catch (IOException | RuntimeException e) {
            // closing anyway: the peer sees the end of the stream instead
        }
    }

    /** Gives the buffers back; the connection is closed, so its waiting delegated tasks are skipped. */
    void release() {
        closed = true;
        if (netIn != null) {
            pool.release(netIn);
            netIn = null;
        }
        if (netOut != null) {
            pool.release(netOut);
            netOut = null;
        }
        engine.closeOutbound();
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Wraps one handshake record into {@code netOut}; false when there is no room for it now. */
    private boolean wrapHandshake() throws SSLException {
        if (netOut != null) {
            return false; // the last record first: order matters
        }
        ByteBuffer out = netOutForWrap();
        SSLEngineResult r;
        try {
            r = engine.wrap(EMPTY, out);
        } finally {
            out.flip();
            keepNetOut(out);
        }
        noteFinished(r);
        if (r.getStatus() == SSLEngineResult.Status.CLOSED && r.bytesProduced() == 0) {
            inboundClosed = true; // the handshake failed and said so (an alert went out)
        }
        return r.bytesProduced() > 0 || r.getHandshakeStatus() != HandshakeStatus.NEED_WRAP;
    }

    private void noteFinished(SSLEngineResult r) {
        if (r.getHandshakeStatus() == HandshakeStatus.FINISHED && !handshaken) {
            handshaken = true;
            justHandshaken = true;
        }
    }

    /**
     * Hands the delegated tasks to {@code tasks}. A task whose connection closed while it waited
     * is skipped: a crowd of ClientHellos that hang up at once must not make a real client wait
     * behind their signatures. Refused (too many handshakes waiting, or the server is stopping):
     * the connection ends.
     */
    private void runTasks() throws SSLException {
        try {
            tasks.execute(() -> {
                Runnable task;
                while (!closed && (task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
                resume.run();
            });
        } catch (RejectedExecutionException e) {
            throw new SSLException("handshake refused: " + e.getMessage());
        }
        taskRunning = true;
    }

    /** On the reactor, after the delegated tasks ran ({@code resume} calls it first). */
    void tasksDone() {
        taskRunning = false;
    }

    private ByteBuffer netIn() {
        if (netIn == null) {
            netIn = pool.acquire();
        }
        return netIn;
    }

    private ByteBuffer netOutForWrap() {
        return pool.acquire();
    }

    private void keepNetOut(ByteBuffer out) {
        if (out.hasRemaining()) {
            netOut = out;
        } else {
            pool.release(out);
        }
    }

    private void releaseEmpty() {
        if (netIn != null && netIn.position() == 0) {
            pool.release(netIn);
            netIn = null;
        }
    }

    private static long remaining(ByteBuffer[] srcs, int offset, int length) {
        long n = 0;
        for (int i = offset; i < offset + length; i++) {
            n += srcs[i].remaining();
        }
        return n;
    }
}
