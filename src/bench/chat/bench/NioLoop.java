package chat.bench;

import chat.common.proto.Line;
import chat.common.proto.ProtocolException;
import chat.common.proto.Push;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The event loop of the account scenarios ({@link Logins}, {@link GroupFanout}): one thread, one
 * selector, non-blocking sockets, for two kinds of peer at once: text-protocol clients
 * ({@link TextPeer}, one callback per line) and legacy clients ({@link RecordPeer}, one callback
 * per 151-byte record). Output is queued per peer and written once per round (so that the ACKs a
 * read provokes go out in one write), or on {@code OP_WRITE} when the socket was full.
 *
 * <p>A peer may also be connected later ({@link #connectLater}), and then keeps retrying while the
 * port refuses, every 50 to 100 ms, as the client library's backoff does while a server restarts.
 */
final class NioLoop implements AutoCloseable {

    private static final int MAX_CONNECT_ATTEMPTS = 5;
    /** A round of reads stops after this, so that the loop gets back to its clock (scheduled sends). */
    private static final long MAX_ROUND_NANOS = 20_000_000;
    /** A refused {@link #connectLater} retries after this much, plus up to as much again of jitter. */
    static final long RETRY_NANOS = 50_000_000;

    final Selector selector = Selector.open();
    private final InetSocketAddress address;
    private final ArrayDeque<Peer> toOpen = new ArrayDeque<>();
    private final List<Peer> dirty = new ArrayList<>();
    private final PriorityQueue<Peer> timed = new PriorityQueue<>(Comparator.comparingLong(p -> p.connectAt));
    private long roundDeadline = Long.MAX_VALUE;

    /** System.nanoTime() when the bytes being handled were read. */
    long now;
    int connecting;
    int connected;
    int failedForGood;
    int disconnected;
    String firstDisconnect;
    /** Connects of {@link #connectLater} peers that failed (refused, mostly) and were retried. */
    long retried;

    NioLoop(InetSocketAddress address) throws IOException {
        this.address = address;
    }

    /** One client connection; subclasses cut its bytes into lines or records. */
    abstract static class Peer {
        final int index;
        /** Where this one connects: null for the loop's address (a cluster's nodes: see {@link Common#node}). */
        InetSocketAddress node;
        SocketChannel channel;
        SelectionKey key;
        int attempts;
        boolean connected;
        boolean closed;
        boolean dirty;
        boolean writeBlocked;
        /** Retry refused connects until one succeeds ({@link #connectLater}); when the next one is due. */
        boolean retrying;
        long connectAt;
        final ByteBuffer in;
        ByteBuffer out = ByteBuffer.allocate(1024);

        Peer(int index, int inSize) {
            this.index = index;
            this.in = ByteBuffer.allocate(inSize);
        }

        /** The connection is established (called once). */
        abstract void onConnected(NioLoop loop) throws IOException;

        /** {@link #in} holds new bytes (write mode): consume the whole units, keep the rest. */
        abstract void onBytes(NioLoop loop) throws IOException;

        /** The connection was closed by the server or failed (after {@link NioLoop#lost} counted it). */
        void onClosed(NioLoop loop, String why) {}
    }

    /** A text-protocol client: {@link #onLine} for every line the server sends. */
    abstract static class TextPeer extends Peer {
        TextPeer(int index) {
            super(index, 64 * 1024);
        }

        abstract void onLine(NioLoop loop, String line) throws IOException;

        @Override
        final void onBytes(NioLoop loop) throws IOException {
            in.flip();
            byte[] a = in.array();
            int start = in.position();
            int end = in.limit();
            for (int i = start; i < end; i++) {
                if (a[i] == '\n') {
                    int len = i - start;
                    if (len > 0 && a[i - 1] == '\r') {
                        len--;
                    }
                    String line = new String(a, start, len, StandardCharsets.UTF_8);
                    start = i + 1;
                    if (!line.isEmpty()) {
                        onLine(loop, line);
                    }
                }
            }
            in.position(start);
            in.compact();
            if (!in.hasRemaining()) {
                throw new IOException("a line longer than " + in.capacity() + " bytes from the server");
            }
            afterLines(loop);
        }

        /** Called after the lines of one read were handled. */
        void afterLines(NioLoop loop) {}

        /** Queues {@code line} (a newline is added). */
        void send(NioLoop loop, String line) {
            loop.send(this, (line + "\n").getBytes(StandardCharsets.UTF_8));
        }

        void send(NioLoop loop, Line line) {
            send(loop, line.format());
        }
    }

    /**
     * A text-protocol client that reads the server's lines as the protocol sorts them: a tagged
     * line answers one of its requests, any other is a push. A push that does not parse is a broken
     * server (or bench), told to {@link #onMalformedPush} and skipped.
     */
    abstract static class ProtocolPeer extends TextPeer {
        ProtocolPeer(int index) {
            super(index);
        }

        @Override
        final void onLine(NioLoop loop, String text) throws IOException {
            Line line = Line.parse(text);
            if (line.tag() != null) {
                onReply(loop, line, text);
                return;
            }
            Push push;
            try {
                push = Push.parse(line);
            } catch (ProtocolException e) {
                onMalformedPush(loop, text);
                return;
            }
            onPush(loop, push, text);
        }

        /** A line with a tag: the reply (or one line of the list reply) to a request of this peer's. */
        abstract void onReply(NioLoop loop, Line line, String text) throws IOException;

        abstract void onPush(NioLoop loop, Push push, String text) throws IOException;

        abstract void onMalformedPush(NioLoop loop, String text);
    }

    /** A legacy client: {@link #onRecord} for every whole 151-byte record. */
    abstract static class RecordPeer extends Peer {
        static final int SIZE = chat.common.wire.LegacyRecord.SIZE;

        RecordPeer(int index) {
            super(index, SIZE * 400);
        }

        /** The record is at {@code src[base, base + SIZE)}. */
        abstract void onRecord(NioLoop loop, ByteBuffer src, int base);

        @Override
        final void onBytes(NioLoop loop) {
            in.flip();
            int p = in.position();
            while (in.limit() - p >= SIZE) {
                onRecord(loop, in, p);
                p += SIZE;
            }
            in.position(p);
            in.compact();
        }
    }

    /** Opens {@code peers}, at most {@code parallel} connects in flight, reading meanwhile. */
    void openAll(List<? extends Peer> peers, int parallel, long deadline) throws IOException {
        int target = connected + peers.size();
        toOpen.addAll(peers);
        while (connected + failedForGood < target) {
            while (connecting < parallel && !toOpen.isEmpty()) {
                open(toOpen.poll());
            }
            select(10);
            if (System.nanoTime() > deadline) {
                throw new IOException("only " + connected + " of " + target + " clients connected in time");
            }
        }
        if (failedForGood > 0) {
            throw new IOException(failedForGood + " clients could not connect: " + firstDisconnect);
        }
    }

    /**
     * Connects {@code p} at {@code at} (System.nanoTime()) on a fresh socket, and while the port
     * refuses, again every {@link #RETRY_NANOS} plus jitter; {@link #select} makes the attempts.
     */
    void connectLater(Peer p, long at) {
        p.retrying = true;
        p.connectAt = at;
        timed.add(p);
    }

    /** The pause before a retry: 50 ms and up to 50 ms more, so that retries do not come in waves. */
    static long retryDelay() {
        return RETRY_NANOS + ThreadLocalRandom.current().nextLong(RETRY_NANOS);
    }

    private void openDue() throws IOException {
        long t = System.nanoTime();
        while (!timed.isEmpty() && timed.peek().connectAt <= t) {
            open(timed.poll());
        }
    }

    private void open(Peer p) throws IOException {
        p.attempts++;
        SocketChannel ch = SocketChannel.open();
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        p.channel = ch;
        p.closed = false;
        p.connected = false;
        p.writeBlocked = false;
        p.in.clear();
        p.out.clear();
        try {
            if (ch.connect(p.node != null ? p.node : address)) {
                p.key = ch.register(selector, SelectionKey.OP_READ, p);
                established(p);
            } else {
                p.key = ch.register(selector, SelectionKey.OP_CONNECT, p);
                connecting++;
            }
        } catch (IOException e) {
            connectFailed(p, e);
        }
    }

    private void established(Peer p) throws IOException {
        p.retrying = false;
        p.connected = true;
        connected++;
        p.key.interestOps(SelectionKey.OP_READ);
        p.onConnected(this);
    }

    private void connectFailed(Peer p, IOException e) {
        try {
            p.channel.close();
        } catch (IOException ignored) {
            // nothing to do
        }
        if (p.retrying) {
            retried++;
            connectLater(p, System.nanoTime() + retryDelay());
        } else if (p.attempts < MAX_CONNECT_ATTEMPTS) {
            toOpen.add(p);
        } else {
            failedForGood++;
            if (firstDisconnect == null) {
                firstDisconnect = "client " + p.index + ": " + e.getMessage();
            }
        }
    }

    /** Queues {@code bytes} for {@code p}; they are written at the end of the round. */
    void send(Peer p, byte[] bytes) {
        send(p, bytes, 0, bytes.length);
    }

    void send(Peer p, byte[] bytes, int off, int len) {
        if (p.closed) {
            return;
        }
        if (p.out.remaining() < len) {
            var bigger = ByteBuffer.allocate(Math.max(p.out.capacity() * 2, p.out.position() + len));
            p.out.flip();
            bigger.put(p.out);
            p.out = bigger;
        }
        p.out.put(bytes, off, len);
        if (!p.dirty && !p.writeBlocked) {
            p.dirty = true;
            dirty.add(p);
        }
    }

    /** Writes what every peer has queued (what a socket does not take waits for OP_WRITE). */
    void flush() {
        for (int i = 0; i < dirty.size(); i++) {
            Peer p = dirty.get(i);
            p.dirty = false;
            write(p);
        }
        dirty.clear();
    }

    private void write(Peer p) {
        if (p.closed || p.out.position() == 0) {
            return;
        }
        p.out.flip();
        try {
            p.channel.write(p.out);
        } catch (IOException e) {
            p.out.compact();
            lost(p, "write failed: " + e.getMessage());
            return;
        }
        p.out.compact();
        boolean blocked = p.out.position() > 0;
        if (blocked != p.writeBlocked) {
            p.writeBlocked = blocked;
            p.key.interestOps(blocked ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }
    }

    /** One round: waits up to {@code millis} (0: not at all), handles what is ready, flushes. */
    void select(long millis) throws IOException {
        roundDeadline = Long.MAX_VALUE;
        openDue();
        if (!timed.isEmpty()) {
            long due = (timed.peek().connectAt - System.nanoTime() + 999_999) / 1_000_000;
            millis = Math.max(0, Math.min(millis, due));
        }
        if (millis <= 0) {
            selector.selectNow(this::onKey);
        } else {
            selector.select(this::onKey, millis);
        }
        flush();
    }

    /**
     * One round of a paced load: waits up to {@code waitNanos} (the time to the next scheduled
     * send), rounded up to whole milliseconds and at most 10 ms; not at all when it is due.
     */
    void selectWithin(long waitNanos) throws IOException {
        select(waitNanos <= 0 ? 0 : Math.max(1, Math.min(10, (waitNanos + 999_999) / 1_000_000)));
    }

    /**
     * Throws during setup: past {@code deadline} (with {@code timedOut} as the message), when the
     * server process is gone, or once a client was disconnected.
     */
    void checkSetup(ServerProbe probe, long deadline, String timedOut) throws IOException {
        if (System.nanoTime() > deadline) {
            throw new IOException(timedOut);
        }
        if (!probe.alive()) {
            throw new IOException("the server process is gone");
        }
        if (disconnected > 0) {
            throw new IOException("a client was disconnected during setup: " + firstDisconnect);
        }
    }

    /**
     * Puts disconnected, first_disconnect and first_failure (if any), then ok: no client
     * disconnected, no {@code failures}, and {@code done > 0}; and if not, error, which blames
     * in that order: nothing done ({@code noneDone}), the failures ({@code failures + " " + what
     * + " failed: " + firstFailure}), the disconnects.
     */
    void putOutcome(Result r, String firstFailure, long done, String noneDone, long failures, String what) {
        r.put("disconnected", disconnected);
        if (firstDisconnect != null) {
            r.put("first_disconnect", firstDisconnect);
        }
        if (firstFailure != null) {
            r.put("first_failure", firstFailure);
        }
        boolean ok = disconnected == 0 && failures == 0 && done > 0;
        r.put("ok", ok);
        if (!ok) {
            r.put("error", done == 0 ? noneDone
                    : failures > 0 ? failures + " " + what + " failed: " + firstFailure
                    : disconnected + " clients disconnected: " + firstDisconnect);
        }
    }

    private void onKey(SelectionKey key) {
        Peer p = (Peer) key.attachment();
        if (!key.isValid()) {
            return;
        }
        long t = System.nanoTime();
        if (roundDeadline == Long.MAX_VALUE) {
            roundDeadline = t + MAX_ROUND_NANOS;
        } else if (t > roundDeadline) {
            return;
        }
        try {
            int ready = key.readyOps();
            if ((ready & SelectionKey.OP_CONNECT) != 0) {
                connecting--;
                try {
                    p.channel.finishConnect();
                } catch (IOException e) {
                    connectFailed(p, e);
                    return;
                }
                established(p);
                return;
            }
            if ((ready & SelectionKey.OP_WRITE) != 0) {
                write(p);
            }
            if ((ready & SelectionKey.OP_READ) != 0) {
                int n = p.channel.read(p.in);
                now = System.nanoTime();
                if (n < 0) {
                    lost(p, "closed by the server");
                    return;
                }
                if (n > 0) {
                    p.onBytes(this);
                }
            }
        } catch (IOException | RuntimeException e) {
            lost(p, e.toString());
        }
    }

    /** A connection that failed or was closed by the server. */
    void lost(Peer p, String why) {
        if (p.closed) {
            return;
        }
        p.closed = true;
        disconnected++;
        if (firstDisconnect == null) {
            firstDisconnect = "client " + p.index + ": " + why;
        }
        try {
            p.channel.close();
        } catch (IOException ignored) {
            // nothing to do
        }
        p.onClosed(this, why);
    }

    @Override
    public void close() {
        if (!selector.isOpen()) {
            return;
        }
        for (SelectionKey k : selector.keys()) {
            try {
                k.channel().close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
