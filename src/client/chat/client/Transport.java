package chat.client;

import chat.common.proto.Line;
import chat.common.proto.Reply;
import chat.common.proto.Request;
import chat.common.wire.LineDecoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The socket and nothing about chat: connects, reads lines on its own thread, pings when quiet,
 * and reconnects with backoff whenever the connection goes, until {@link #close}.
 *
 * <p>Attempts go to the servers of the list in turn ({@link ServerRotation}): the first to the
 * first server, at once; after a failed one, to the next server, at once, unless every server has
 * now failed in a row: then {@link Timings#retryFirst} first, doubling up to {@link Timings#retryMax}
 * with each round that fails; after a connection that carried lines, to the next server after
 * {@code retryFirst}. With one server that is the backoff it always was.
 *
 * <p>Heartbeat: when nothing was written for {@link Timings#pingAfter}, a {@code PING} goes out
 * under a tag of its own; if no line at all arrives within {@link Timings#pongWait} after it, the
 * network is gone though the socket says nothing, and the connection is dropped. The PING's reply
 * is swallowed here.
 *
 * <p>TLS when made with a {@link Tls}: the socket is then an {@code SSLSocket}, its handshake (and
 * a trust-on-first-use question, if any) done on the reader thread before {@code opened}.
 *
 * <p>Threads: the reader thread calls every {@link Handler} method, in the order things happened;
 * {@link #write} may be called from any thread (writes are serialized by a lock).
 */
final class Transport implements AutoCloseable {

    /** What happens on the connection; called on the reader thread. */
    interface Handler {
        /** A socket is up to {@code server}; {@code generation} counts connections from 1. */
        void opened(long generation, ServerAddress server);

        /** A non-empty line from the server. */
        void line(Line line);

        /** The socket went ({@code reason} for people); the transport tries again unless closed. */
        void closed(long generation, String reason);

        /**
         * Attempts to connect failed: to the one server, or to each of the list in turn ({@code
         * reason} for people, naming each server then); the transport tries again after the backoff.
         */
        void unreachable(String reason);
    }

    private static final System.Logger LOG = System.getLogger(Transport.class.getName());

    /** Longest line accepted from the server: a 16 KiB message escaped thrice over, with room. */
    static final int MAX_LINE_BYTES = 256 * 1024;
    private static final int READ_BUFFER_BYTES = 16 * 1024;
    /** The heartbeat's own tag: its replies never reach the handler. */
    private static final String PING_TAG = "hb";

    private final ServerRotation servers;
    private final Timings timings;
    private final Handler handler;
    /** Null: plain text. */
    private final Tls tls;
    private final Thread reader;
    private final ScheduledExecutorService heartbeat;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final ReentrantLock writeLock = new ReentrantLock();

    // Guarded by lock.
    private Link channel;
    private long generation;
    private boolean closed;

    private volatile long lastWrite = System.nanoTime();
    private volatile long lastRead = System.nanoTime();
    /** Nanos when an unanswered PING went out; 0 when none is outstanding. */
    private volatile long pingSent;

    Transport(java.util.List<ServerAddress> servers, Timings timings, Tls tls, Handler handler) {
        this.servers = new ServerRotation(servers);
        this.timings = timings;
        this.tls = tls;
        this.handler = handler;
        this.reader = new Thread(this::live, "chat-transport");
        this.reader.setDaemon(true);
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "chat-heartbeat");
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        reader.start();
        long period = Math.max(10, timings.pingAfter().toMillis() / 6);
        heartbeat.scheduleWithFixedDelay(this::beat, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Writes {@code line} on connection {@code generation}; {@code false} when that connection is
     * gone (or a newer one is up: a request must not leak to a connection that did not log in).
     */
    boolean write(long generation, Line line) {
        Link c;
        lock.lock();
        try {
            if (channel == null || generation != this.generation) {
                return false;
            }
            c = channel;
        } finally {
            lock.unlock();
        }
        ByteBuffer bytes = ByteBuffer.wrap(LineDecoder.encode(line.format()));
        writeLock.lock();
        try {
            while (bytes.hasRemaining()) {
                c.out.write(bytes);
            }
            lastWrite = System.nanoTime();
            return true;
        } catch (IOException e) {
            closeQuietly(c); // the reader notices and reconnects
            return false;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * My address on the current connection, as this machine sees it (the interface that reaches
     * the server); {@code null} when there is no connection.
     */
    java.net.InetAddress localAddress() {
        lock.lock();
        try {
            if (channel == null) {
                return null;
            }
            return channel.socket.getLocalAddress();
        } catch (RuntimeException e) {
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** The server the connection is on now, or was on last (the first of the list before any connection). */
    ServerAddress server() {
        return servers.connected();
    }

    /** Drops the current connection (the transport connects again after the backoff). */
    void drop(long generation) {
        lock.lock();
        try {
            if (generation == this.generation) {
                closeQuietly(channel);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Closes the socket, after writing {@code last} if given, and stops both threads. */
    void close(Line last) {
        Link c;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            c = channel;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        heartbeat.shutdownNow();
        if (c != null && last != null) {
            writeAfterClose(c, last);
        }
        closeQuietly(c);
        reader.interrupt();
        try {
            reader.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeAfterClose(Link c, Line last) {
        ByteBuffer bytes = ByteBuffer.wrap(LineDecoder.encode(last.format()));
        writeLock.lock();
        try {
            while (bytes.hasRemaining()) {
                c.out.write(bytes);
            }
        } catch (IOException e) {
            // leaving anyway
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void close() {
        close(null);
    }

    // ---------------------------------------------------------------- the reader thread

    private void live() {
        long backoff = 0;
        long wait = 0;
        while (!isClosed()) {
            if (wait > 0 && !sleep(wait)) {
                return;
            }
            ServerAddress to = servers.target();
            String failure;
            try {
                failure = session(connect(to), to);
            } catch (IOException e) {
                failure = reason(e);
            }
            if (failure == null) { // a connection that carried lines went: the next server, after the first wait
                servers.dropped();
                backoff = timings.retryFirst().toMillis();
                wait = backoff;
                continue;
            }
            String round = servers.failed(failure);
            if (round == null) {
                wait = 0; // another server of the list has not been tried since: at once
                continue;
            }
            if (!isClosed()) {
                handler.unreachable(round);
            }
            backoff = next(backoff);
            wait = backoff;
        }
    }

    private long next(long retry) {
        return retry == 0 ? timings.retryFirst().toMillis() : Math.min(retry * 2, timings.retryMax().toMillis());
    }

    private Link connect(ServerAddress to) throws IOException {
        var address = new InetSocketAddress(to.host(), to.port());
        if (address.isUnresolved()) {
            throw new UnknownHostException(to.host());
        }
        if (tls != null) {
            Socket s = tls.connect(to, timings.connectTimeout());
            return new Link(s, Channels.newChannel(s.getInputStream()), Channels.newChannel(s.getOutputStream()));
        }
        SocketChannel c = SocketChannel.open();
        try {
            c.socket().connect(address, (int) timings.connectTimeout().toMillis());
            c.socket().setTcpNoDelay(true);
            return new Link(c.socket(), c, c);
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /**
     * What a failed attempt says to people: a refused certificate's own words (they name the
     * server and the fingerprints), not the TLS layer's wrapping of them.
     */
    static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.security.cert.CertificateException) {
                return t.getMessage();
            }
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** A connection: its socket (to close it) and the byte channels over it, plain or TLS. */
    private record Link(Socket socket, ReadableByteChannel in, WritableByteChannel out) {}

    /**
     * One connection's life, read until it ends: null when lines came, else why it failed (closed
     * at once, or refused with an ERR before any request).
     */
    private String session(Link c, ServerAddress to) {
        long gen;
        lock.lock();
        try {
            if (closed) {
                closeQuietly(c);
                return "closed";
            }
            channel = c;
            gen = ++generation;
            servers.opened();
        } finally {
            lock.unlock();
        }
        lastWrite = lastRead = System.nanoTime();
        pingSent = 0;
        handler.opened(gen, to);
        boolean heard = false;
        String reason = "closed by the server";
        var lines = new Lines(c.in);
        try {
            Line line;
            while ((line = lines.next()) != null) {
                if (!heard && line.tag() == null && Reply.ERR.equals(line.command())) {
                    // Refused before any request (too many connections from this address): the
                    // server closes next. Its words are the reason, and the backoff keeps growing.
                    reason = line.size() > 2 ? line.field(2) : line.format();
                    continue;
                }
                heard = true;
                lastRead = System.nanoTime();
                pingSent = 0;
                if (!PING_TAG.equals(line.tag())) {
                    try {
                        handler.line(line);
                    } catch (RuntimeException e) {
                        // a bug in handling one line must not end the connection's thread
                        LOG.log(System.Logger.Level.ERROR, "handling a line from the server failed: " + line.format(), e);
                    }
                }
            }
        } catch (IOException | LineDecoder.FrameTooLongException e) {
            reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        }
        closeQuietly(c);
        lock.lock();
        try {
            channel = null;
        } finally {
            lock.unlock();
        }
        handler.closed(gen, isClosed() ? "closed" : reason);
        return heard ? null : reason;
    }

    /** Lines from the socket. */
    private static final class Lines {
        private final ReadableByteChannel c;
        private final LineDecoder decoder = new LineDecoder(MAX_LINE_BYTES);
        private ByteBuffer in = ByteBuffer.allocate(READ_BUFFER_BYTES);

        Lines(ReadableByteChannel c) {
            this.c = c;
            in.flip();
        }

        /** The next non-empty line, {@code null} at the end of the stream. */
        Line next() throws IOException {
            while (true) {
                String text = decoder.next(in);
                if (text != null) {
                    if (text.isEmpty()) {
                        continue;
                    }
                    return Line.parse(text);
                }
                in.compact();
                if (!in.hasRemaining()) { // a line longer than the buffer: grow (the decoder caps it)
                    ByteBuffer bigger = ByteBuffer.allocate(in.capacity() * 2);
                    in.flip();
                    bigger.put(in);
                    in = bigger;
                }
                int n = c.read(in);
                in.flip();
                if (n < 0) {
                    return null;
                }
            }
        }
    }

    // ---------------------------------------------------------------- the heartbeat thread

    private void beat() {
        long now = System.nanoTime();
        long gen;
        lock.lock();
        try {
            if (channel == null) {
                return;
            }
            gen = generation;
        } finally {
            lock.unlock();
        }
        long sent = pingSent;
        if (sent != 0) {
            if (now - sent > timings.pongWait().toNanos() && lastRead < sent) {
                drop(gen); // no line since the PING: the network is gone though the socket says nothing
            }
            return;
        }
        if (now - lastWrite >= timings.pingAfter().toNanos()) {
            pingSent = now;
            write(gen, new Request.Ping().toLine(PING_TAG));
        }
    }

    // ---------------------------------------------------------------- small things

    private boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Waits {@code millis} unless closed meanwhile; whether to go on. */
    private boolean sleep(long millis) {
        long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
        lock.lock();
        try {
            while (!closed && nanos > 0) {
                nanos = wake.awaitNanos(nanos);
            }
            return !closed;
        } catch (InterruptedException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }

    private static void closeQuietly(Link c) {
        if (c == null) {
            return;
        }
        try {
            c.socket.close();
            c.in.close();
            c.out.close();
        } catch (IOException e) {
            // closed is what we wanted
        }
    }
}
