package chat.bench;

import chat.common.wire.LegacyRecord;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The generator's event loop, shared by the scenarios: one thread, one selector, non-blocking
 * sockets. It opens the clients (a bounded number of connects in flight, so that a short accept
 * backlog is not overrun), reads every socket into one shared direct buffer, cuts the bytes into
 * 151-byte records (keeping a split record's head per client) and hands each record to the
 * scenario. Reading allocates nothing.
 */
abstract class Driver {

    static final int SIZE = LegacyRecord.SIZE;
    /** One read takes up to this much: a whole loopback receive buffer's worth, usually. */
    private static final int READ_BUFFER = 256 * 1024;
    private static final int MAX_CONNECT_ATTEMPTS = 5;
    /**
     * 20 ms: a round of reads ends after this, so that the loop gets back to its clock (phase
     * changes, scheduled sends). Against a thread-per-connection server each read can wake one of
     * its writers and lose the CPU to it, and 1,000 reads then take seconds.
     */
    private static final long MAX_ROUND_NANOS = 20_000_000;

    final InetSocketAddress address;
    final int n;
    final Conn[] conns;
    final Selector selector;
    final BenchRecord codec = new BenchRecord();
    final long origin = System.nanoTime();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER);
    private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(SIZE * 64);
    private final byte[] scratch = new byte[SIZE];
    private final Consumer<SelectionKey> onKey = this::onKey;
    private final ArrayDeque<Conn> toOpen = new ArrayDeque<>();
    /** When the current round must stop reading, so that phase changes are not held up for long. */
    private long roundDeadline = Long.MAX_VALUE;
    /** SO_RCVBUF for every client socket, 0 for the kernel's default (autotuning). */
    int receiveBuffer;

    /** System.nanoTime() when the bytes being handled were read. */
    long now;
    int connecting;
    int connected;
    int disconnected;
    int connectFailures;
    long announces;
    long offlines;
    /** Records whose type byte is not 0, 1 or 2, or chat records that fail the check. */
    long corrupted;
    String firstDisconnect;
    /** Every 151-byte unit received, whatever it holds (a misaligned relay still moves units). */
    long units;

    Driver(InetSocketAddress address, int n) throws IOException {
        if (n < 1 || n >= BenchRecord.MAX_SENDERS) {
            throw new IllegalArgumentException("client count must be in [1, " + BenchRecord.MAX_SENDERS + "): " + n);
        }
        this.address = address;
        this.n = n;
        this.conns = new Conn[n];
        for (int i = 0; i < n; i++) {
            conns[i] = new Conn(i);
            toOpen.add(conns[i]);
        }
        this.selector = Selector.open();
    }

    /**
     * The numbered chat records of a scenario whose first {@code senders} clients send: each
     * sender numbers its records from 0, and every other client expects them in that order. What
     * comes out of order, twice, or from a client that is no sender is counted.
     */
    static final class Sequences {
        final int senders;
        /** Records sent, per sender: the number its next record gets. */
        final long[] sent;
        /** Next sequence number expected, per (receiver, sender): {@code receiver * senders + sender}. */
        private final int[] expected;
        /** Records skipped over: a later one of the same sender came first. */
        long gaps;
        long duplicates;
        long unexpected;

        Sequences(int n, int senders) {
            if (senders > n) {
                throw new IllegalArgumentException("--senders (" + senders + ") must not exceed --clients (" + n + ")");
            }
            this.senders = senders;
            this.sent = new long[senders];
            this.expected = new int[n * senders];
        }

        /** Record {@code seq} of {@code sender} came to client {@code to}: whether it is new to it. */
        boolean received(int to, int sender, long seq) {
            if (sender >= senders || sender == to) {
                unexpected++;
                return false;
            }
            int pair = to * senders + sender;
            int e = expected[pair];
            if (seq == e) {
                expected[pair] = e + 1;
            } else if (seq > e) {
                gaps += seq - e;
                expected[pair] = (int) seq + 1;
            } else {
                duplicates++;
                return false;
            }
            return true;
        }

        long totalSent() {
            long total = 0;
            for (long s : sent) {
                total += s;
            }
            return total;
        }

        /**
         * Deliveries due to the {@code n} clients: each record to every client but its sender,
         * which is one of them ({@code senders <= n}).
         */
        long expectedTotal(int n) {
            return (n - 1) * totalSent();
        }

        /** Records sent that have neither arrived nor been skipped over, summed over the {@code n} clients. */
        long notArrived(int n) {
            long missing = 0;
            for (int to = 0; to < n; to++) {
                for (int s = 0; s < senders; s++) {
                    if (s != to) {
                        missing += sent[s] - expected[to * senders + s];
                    }
                }
            }
            return missing;
        }
    }

    /** Called once a client's connection is established. The default announces it (type 1). */
    void onConnected(Conn c) throws IOException {
        codec.encodeAnnounce(scratch, c.index);
        send(c, scratch, 0, SIZE);
    }

    /** A chat record for {@code to} at {@code src[base, base + SIZE)}; {@link #now} is its arrival. */
    abstract void onChat(Conn to, ByteBuffer src, int base);

    /** {@code c}'s socket can take more output. The default writes what is queued. */
    void onWritable(Conn c) {
        flush(c);
    }

    /**
     * A chat record for {@code to} at {@code src[base, base + SIZE)}, checked against {@code q}:
     * whether it is intact and new. A damaged one counts as {@link #corrupted}.
     */
    final boolean accept(Conn to, ByteBuffer src, int base, Sequences q) {
        if (!codec.verify(src, base)) {
            corrupted++;
            return false;
        }
        return q.received(to.index, codec.sender, codec.seq);
    }

    /** Opens every client and synchronises them, within {@code setupMax} seconds; puts setup_s. */
    final void setUp(Result r, int parallel, double setupMax) throws IOException {
        long t0 = System.nanoTime();
        openAll(parallel, t0 + seconds(setupMax));
        synchronise(t0 + seconds(setupMax));
        r.put("setup_s", (System.nanoTime() - t0) / 1e9);
    }

    /** Puts lost, gaps, not_arrived, corrupted, duplicated and disconnected: what the checks found. */
    final void putLosses(Result r, Sequences q) {
        long missing = q.notArrived(n);
        r.put("lost", q.gaps + missing);
        r.put("gaps", q.gaps);
        r.put("not_arrived", missing);
        r.put("corrupted", corrupted);
        r.put("duplicated", q.duplicates + q.unexpected);
        r.put("disconnected", disconnected);
    }

    /** Puts first_disconnect, if there was one, and ok: the run completed. */
    final void putEnd(Result r) {
        if (firstDisconnect != null) {
            r.put("first_disconnect", firstDisconnect);
        }
        r.put("ok", true);
    }

    /**
     * Opens every client, keeping at most {@code parallel} connects in flight, and keeps reading
     * meanwhile. Throws when they are not all open by {@code deadline} (a System.nanoTime()).
     */
    void openAll(int parallel, long deadline) throws IOException {
        while (connected + connectFailuresFinal() < n) {
            while (connecting < parallel && !toOpen.isEmpty()) {
                open(toOpen.poll());
            }
            select(10);
            if (System.nanoTime() > deadline) {
                throw new IOException("only " + connected + " of " + n + " clients connected in time ("
                        + connecting + " connecting, " + connectFailures + " failed attempts)");
            }
        }
        if (connected < n) {
            throw new IOException(n - connected + " clients could not connect after "
                    + MAX_CONNECT_ATTEMPTS + " attempts each");
        }
    }

    private int failedForGood;

    private int connectFailuresFinal() {
        return failedForGood;
    }

    private void open(Conn c) throws IOException {
        c.connectAttempts++;
        c.closed = false;
        SocketChannel ch = SocketChannel.open();
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (receiveBuffer > 0) {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
        }
        c.channel = ch;
        try {
            if (ch.connect(address)) {
                c.key = ch.register(selector, 0, c);
                established(c);
            } else {
                c.key = ch.register(selector, SelectionKey.OP_CONNECT, c);
                c.interest = SelectionKey.OP_CONNECT;
                connecting++;
            }
        } catch (IOException e) {
            connectFailed(c, e);
        }
    }

    private void established(Conn c) throws IOException {
        c.connected = true;
        connected++;
        setInterest(c, SelectionKey.OP_READ);
        onConnected(c);
    }

    private void connectFailed(Conn c, IOException e) {
        connectFailures++;
        closeQuietly(c);
        c.key = null;
        if (c.connectAttempts < MAX_CONNECT_ATTEMPTS) {
            toOpen.add(c);
        } else {
            failedForGood++;
            if (firstDisconnect == null) {
                firstDisconnect = "client " + c.index + " could not connect: " + e.getMessage();
            }
        }
    }

    /**
     * One round: waits up to {@code timeoutMillis} (0: not at all) and handles what is ready, for
     * at most {@link #MAX_ROUND_NANOS}: keys left over stay ready (the selector is level-triggered)
     * and are handled in the next round.
     */
    final void select(long timeoutMillis) throws IOException {
        roundDeadline = Long.MAX_VALUE;
        if (timeoutMillis <= 0) {
            selector.selectNow(onKey);
        } else {
            selector.select(onKey, timeoutMillis);
        }
    }

    private void onKey(SelectionKey key) {
        Conn c = (Conn) key.attachment();
        if (!key.isValid()) {
            return;
        }
        long t = System.nanoTime();
        if (roundDeadline == Long.MAX_VALUE) {
            roundDeadline = t + MAX_ROUND_NANOS;
        } else if (t > roundDeadline) {
            return;
        }
        int ready = key.readyOps();
        if ((ready & SelectionKey.OP_CONNECT) != 0) {
            connecting--;
            try {
                c.channel.finishConnect();
                established(c);
            } catch (IOException e) {
                connectFailed(c, e);
            }
            return;
        }
        if ((ready & SelectionKey.OP_READ) != 0) {
            read(c);
        }
        if ((ready & SelectionKey.OP_WRITE) != 0 && !c.closed) {
            onWritable(c);
        }
    }

    private void read(Conn c) {
        ByteBuffer buf = readBuffer;
        for (int round = 0; round < 4; round++) {
            buf.clear();
            if (c.partialLen > 0) {
                buf.put(c.partial, 0, c.partialLen);
            }
            int got;
            try {
                got = c.channel.read(buf);
            } catch (IOException e) {
                lost(c, "read failed: " + e.getMessage());
                return;
            }
            if (got < 0) {
                lost(c, "closed by the server");
                return;
            }
            now = System.nanoTime();
            int end = buf.position();
            int base = 0;
            int whole = (end / SIZE) * SIZE;
            units += whole / SIZE;
            c.units += whole / SIZE;
            for (; base + SIZE <= end; base += SIZE) {
                switch (buf.get(base + LegacyRecord.TYPE_OFFSET)) {
                    case LegacyRecord.CHAT -> onChat(c, buf, base);
                    case LegacyRecord.ONLINE -> {
                        long k = BenchRecord.syncNumber(buf, base);
                        if (k >= 0) {
                            c.sync = Math.max(c.sync, k);
                        } else {
                            announces++;
                        }
                    }
                    case LegacyRecord.OFFLINE -> offlines++;
                    default -> corrupted++;
                }
            }
            c.partialLen = end - base;
            if (c.partialLen > 0) {
                buf.get(base, c.partial, 0, c.partialLen);
            }
            if (end < buf.capacity()) {
                return; // the socket is drained
            }
        }
    }

    /** The server closed {@code c} (or it broke): counted, and it is read no more. */
    void lost(Conn c, String why) {
        if (c.closed) {
            return;
        }
        disconnected++;
        if (firstDisconnect == null) {
            firstDisconnect = "client " + c.index + ": " + why;
        }
        closeQuietly(c);
    }

    /** Writes {@code src[off, off + len)} to {@code c} now, queueing what the socket does not take. */
    void send(Conn c, byte[] src, int off, int len) {
        if (c.closed) {
            return;
        }
        if (c.hasOutput()) {
            queue(c, src, off, len);
            flush(c);
            return;
        }
        ByteBuffer w = writeBuffer;
        w.clear();
        w.put(src, off, len).flip();
        try {
            c.channel.write(w);
        } catch (IOException e) {
            lost(c, "write failed: " + e.getMessage());
            return;
        }
        if (w.hasRemaining()) {
            int rest = w.remaining();
            w.get(scratch, 0, rest);
            queue(c, scratch, 0, rest);
            blockOnWrite(c);
        }
    }

    private void queue(Conn c, byte[] src, int off, int len) {
        if (c.out == null) {
            c.out = ByteBuffer.allocateDirect(Math.max(4096, len));
        } else if (c.out.remaining() < len) {
            var bigger = ByteBuffer.allocateDirect(Math.max(c.out.capacity() * 2, c.out.position() + len));
            c.out.flip();
            bigger.put(c.out);
            c.out = bigger;
        }
        c.out.put(src, off, len);
    }

    /** Writes what is queued on {@code c}; waits for OP_WRITE when the socket is full. */
    final void flush(Conn c) {
        if (c.closed || c.out == null) {
            return;
        }
        ByteBuffer out = c.out;
        out.flip();
        try {
            c.channel.write(out);
        } catch (IOException e) {
            out.compact();
            lost(c, "write failed: " + e.getMessage());
            return;
        }
        boolean left = out.hasRemaining();
        out.compact();
        if (left) {
            blockOnWrite(c);
        } else if (c.writeBlocked) {
            c.writeBlocked = false;
            setInterest(c, c.interest & ~SelectionKey.OP_WRITE);
        }
    }

    private void blockOnWrite(Conn c) {
        if (!c.writeBlocked) {
            c.writeBlocked = true;
            setInterest(c, c.interest | SelectionKey.OP_WRITE);
        }
    }

    final void setInterest(Conn c, int ops) {
        if (c.interest != ops && c.key != null && c.key.isValid()) {
            c.key.interestOps(ops);
            c.interest = ops;
        }
    }

    /**
     * Sends synchronisation probes from client 0 until every other open client has received one:
     * then every client is in the server's room (the server relays only to members) and whatever
     * was queued to it before (the announcements) has been read. Throws past {@code deadline}.
     */
    void synchronise(long deadline) throws IOException {
        if (n < 2) {
            return;
        }
        for (long k = 1;; k++) {
            codec.encodeSync(scratch, 0, k);
            send(conns[0], scratch, 0, SIZE);
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            while (System.nanoTime() < until) {
                select(5);
                if (allSynced(k)) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                int missing = 0;
                for (int i = 1; i < n; i++) {
                    if (!conns[i].closed && conns[i].sync < k) {
                        missing++;
                    }
                }
                throw new IOException(missing + " of " + (n - 1)
                        + " clients never received a relayed record: are they in the room?");
            }
            if (conns[0].closed) {
                throw new IOException("client 0 was disconnected: " + firstDisconnect);
            }
        }
    }

    private boolean allSynced(long k) {
        for (int i = 1; i < n; i++) {
            if (!conns[i].closed && conns[i].sync < k) {
                return false;
            }
        }
        return true;
    }

    /** Closes every client; the server sees them all leave. */
    void closeAll() {
        for (Conn c : conns) {
            closeQuietly(c);
        }
        try {
            selector.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    static long seconds(double s) {
        return (long) (s * TimeUnit.SECONDS.toNanos(1));
    }

    static void closeQuietly(Conn c) {
        c.closed = true;
        if (c.key != null) {
            c.key.cancel();
        }
        if (c.channel != null) {
            try {
                c.channel.close();
            } catch (IOException e) {
                // already gone
            }
        }
    }
}
