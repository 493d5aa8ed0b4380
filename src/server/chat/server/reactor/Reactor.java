package chat.server.reactor;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * The single-selector event loop: one thread does all socket I/O for every connection.
 *
 * <p>One round of {@link #run}:
 * <ol>
 *   <li>run the tasks other threads queued ({@link #execute});
 *   <li>select, and handle each ready key: accept, or read and hand the bytes to the
 *       connection's {@link Handler}, which queues output on recipients;
 *   <li>flush every connection that got output this round, once, with one gathering write;
 *   <li>close the connections that broke a limit this round; once a second, look for stalls.
 * </ol>
 *
 * <p>Other threads never touch a key or a connection: they queue a task and the selector is woken
 * at most once per select (a wakeup is a system call, so producers skip it while the loop is
 * known to be awake).
 *
 * <p>Back-pressure: each connection's pending output is capped ({@link Limits}); past the cap the
 * connection is dropped, since that client has stopped reading. When the pending output of the
 * connections that take it passes the high-water mark, the loop stops reading (a connection that
 * becomes readable has its read interest removed) so that TCP slows the senders; below the
 * low-water mark it reads again. Nothing is dropped for that.
 *
 * <p>A connection that takes no byte for {@link Limits#stuckMillis}, or that still holds more
 * than {@link #STUCK_FLOOR} that long into a pause, is <em>stuck</em>: its bytes leave that total (they are counted
 * apart, {@link Stats#stuckBytes}) until its queue is empty, so that clients that do not read can
 * hold everyone's reading for about a second and never longer (issue 13). While reading is
 * paused the loop looks for stuck connections four times a second, otherwise once. Stuck
 * connections together may hold {@link Limits#maxStuckTotal}; one given more past it is cut.
 * When reading resumes, the connections that have taken all their output are read first
 * ({@link #resumeSuspended}), so that a pause costs a client that keeps up one pause at most.
 *
 * <p>New connections go through {@link Admission}: a cap per address and a reserve of
 * descriptors. A refused one is sent the initial handler's {@link Handler#refusal} and closed.
 * Every connection gets TCP keepalive ({@link KeepAlive}), so that a peer that vanished (a machine
 * switched off, a process stopped) is found by the kernel even where the protocol never pings.
 *
 * <p>A connection fed as it drains ({@link Connection#setDrainWatch}, a download) is left out of
 * that total: its handler bounds its own queue (a download keeps about a megabyte queued whether
 * the client reads or not), so its bytes say nothing about the chat's senders, and a handful of
 * downloads to clients that stopped reading must not pause reading for everyone. They are
 * counted apart ({@link Stats#drainWatchedBytes}).
 *
 * <p>The server also opens connections of its own ({@link #connect}: its links to Redis in a
 * cluster) on the same selector, driven by a {@link Handler} like accepted ones. They pass no
 * {@link Admission}, never speak TLS, and are not clients: {@link #connections} and
 * {@link Stats#connections} leave them out ({@link Stats#links} counts them), so an operator's
 * CONNECTIONS, DISCONNECT and BAN never see them. Otherwise they are connections like the others:
 * their output counts toward the water marks, their reading is held by a pause, and they are cut
 * past their cap on queued output ({@link Connection#setMaxPending}). {@link #schedule} runs a
 * task on the loop after a delay (their reconnect backoff, a connect timeout).
 */
public final class Reactor implements Executor {

    private static final System.Logger LOG = System.getLogger(Reactor.class.getName());

    /** Chunks per gathering write: 256 KiB, more than a loopback socket buffer takes at once. */
    private static final int MAX_GATHER = 64;
    /** Largest reassembly buffer: a frame bigger than this is a protocol error before it arrives. */
    private static final int MAX_INBOUND = 1 << 20;
    /** Connections accepted per round, so that a burst of connects cannot starve the others. */
    private static final int MAX_ACCEPTS_PER_ROUND = 256;
    /** Tasks run per round, for the same reason. */
    private static final int MAX_TASKS_PER_ROUND = 4096;
    private static final long TICK_MILLIS = 1000;
    /** How often stuck connections are looked for while reading is paused. */
    private static final long STUCK_CHECK_MILLIS = 250;
    /**
     * 64 KiB: below it a connection is never called slow, nor cut for the stuck connections'
     * total. A few kilobytes waiting for a phone asleep hold nobody up, while it takes 256 such
     * connections to hold the high-water mark, which a crowd of readers then may.
     */
    static final int STUCK_FLOOR = 64 << 10;

    private final Selector selector;
    private final ServerSocketChannel listener;
    private final SelectionKey listenerKey;
    /** While set, no connection is accepted (a cluster node joining); they wait in the backlog. */
    private volatile boolean acceptsHeld;
    private final Handler initialHandler;
    private final Limits limits;
    private final Admission admission;
    final BufferPool pool;
    /** Whole-record buffers for TLS connections, made at the first one ({@link TlsTransport}). */
    private BufferPool tlsPool;
    private final HandshakeGate handshakes = new HandshakeGate();

    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean awake = new AtomicBoolean(true);
    private final ByteBuffer[] gather = new ByteBuffer[MAX_GATHER];
    private final Consumer<SelectionKey> onReady = this::onReady;
    private final CountDownLatch terminated = new CountDownLatch(1);

    private final ConnectionList all = new ConnectionList();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private long timerSeq;
    /** Connections in {@link #all} that this server opened ({@link #connect}). */
    private int outboundCount;
    private final ConnectionList dirty = new ConnectionList();
    private final ConnectionList doomed = new ConnectionList();
    private ConnectionList suspended = new ConnectionList();
    /** The connections being resumed, while {@link #suspended} takes those suspended again. */
    private ConnectionList resuming = new ConnectionList();

    private long pendingTotal;
    /** Bytes queued on drain-watched connections, apart from {@link #pendingTotal}. */
    private long drainWatchedTotal;
    /** Bytes queued on stuck connections, apart from {@link #pendingTotal}. */
    private long stuckTotal;
    private int stuckCount;
    private boolean readsPaused;
    private long pausedAt;
    private long nextStuckCheck;
    private long pauses;
    private long refused;
    private long nextId;
    private long now;
    private long nextTick;
    private volatile boolean running;
    private Thread thread;

    /**
     * Binds the listening socket at once, so that a port in use fails here, before any thread
     * starts.
     */
    public Reactor(InetSocketAddress bindAddress, Handler initialHandler, Limits limits) throws IOException {
        this(listen(bindAddress), initialHandler, limits);
    }

    /**
     * Takes a listening socket already bound by {@link #listen}: the server binds before it opens
     * its database, so that a second server on a busy port fails having touched nothing. The
     * reactor owns {@code listener} from here, and closes it if this constructor fails.
     */
    public Reactor(ServerSocketChannel listener, Handler initialHandler, Limits limits) throws IOException {
        this(listener, initialHandler, limits, Admission.Descriptors.ofProcess());
    }

    /** As above, with the descriptor figures of a test. */
    Reactor(ServerSocketChannel listener, Handler initialHandler, Limits limits, Admission.Descriptors descriptors)
            throws IOException {
        this.initialHandler = initialHandler;
        this.limits = limits;
        this.admission = new Admission(limits.maxConnectionsPerAddress(), limits.reservedDescriptors(), descriptors);
        this.pool = new BufferPool(limits.maxRetainedChunks());
        this.listener = listener;
        Selector opened = null;
        try {
            opened = Selector.open();
            listener.configureBlocking(false);
            listenerKey = listener.register(opened, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            listener.close();
            if (opened != null) {
                opened.close();
            }
            throw e;
        }
        this.selector = opened;
    }

    /** A listening socket bound to {@code address}; a port in use throws {@link java.net.BindException}. */
    public static ServerSocketChannel listen(InetSocketAddress address) throws IOException {
        var listener = ServerSocketChannel.open();
        try {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(address, 1024);
            return listener;
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    public int port() {
        return listener.socket().getLocalPort();
    }

    public Limits limits() {
        return limits;
    }

    /** Starts the loop on a new thread named {@code name}. */
    public synchronized void start(String name) {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        running = true;
        thread = new Thread(this::run, name);
        thread.start();
    }

    /** The loop's thread, for measuring it. */
    public Thread thread() {
        return thread;
    }

    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on the loop thread, soon. Any thread may call this. */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (!inLoop() && awake.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    /** Stops the loop, closes every connection and the listener, and waits for all that. */
    public void stop() throws InterruptedException {
        running = false;
        selector.wakeup();
        if (thread != null && !inLoop()) {
            terminated.await();
        }
    }

    /**
     * Closes every client connection as {@link #stop} does (each handler's shutdown first) and
     * holds accepting, while the loop goes on for the server's own outbound connections: a cluster
     * node's clean stop finishes its writes and tells the other nodes over its Redis links before
     * it stops the loop. Then runs {@code afterwards} on the loop. Any thread but the loop's;
     * returns once done, or when the loop has ended.
     */
    public void closeClients(Runnable afterwards) throws InterruptedException {
        holdAccepts(true);
        if (thread == null) {
            afterwards.run(); // never started: no client to close, and no loop to wait for
            return;
        }
        var done = new CountDownLatch(1);
        execute(() -> {
            try {
                closeEvery(false);
                afterwards.run();
            } finally {
                done.countDown();
            }
        });
        while (!done.await(100, TimeUnit.MILLISECONDS)) {
            if (terminated.getCount() == 0) {
                return;
            }
        }
    }

    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    /** A snapshot of the loop's counters, taken on the loop thread. */
    public CompletableFuture<Stats> stats() {
        var result = new CompletableFuture<Stats>();
        execute(() -> result.complete(statsNow()));
        return result;
    }

    /** The same counters, read on the loop thread itself (a handler answering a status request). */
    public Stats statsNow() {
        return new Stats(all.size() - outboundCount, pendingTotal, drainWatchedTotal, stuckCount, stuckTotal,
                pool.borrowed(), pool.created(), readsPaused, pauses, refused, ThreadAllocation.current(),
                outboundCount);
    }

    /**
     * Every client connection open now, a copy in no particular order: an operator's list
     * (CONNECTIONS) and the connections to close at once (a ban of an address). The server's own
     * outbound connections ({@link #connect}) are not in it. On the loop thread only.
     */
    public java.util.List<Connection> connections() {
        var copy = new java.util.ArrayList<Connection>(all.size());
        for (int i = 0; i < all.size(); i++) {
            if (!all.get(i).outbound) {
                copy.add(all.get(i));
            }
        }
        return copy;
    }

    /**
     * The loop's clock, in milliseconds on the monotonic scale of {@link Connection#openedAt} and
     * {@link Connection#lastReadAt}: as of this round, not this instant.
     */
    public long now() {
        return now;
    }

    /**
     * Counters: client connections open (outbound ones are {@code links}), bytes pending (what the
     * water marks count), bytes pending on drain-watched connections (downloads, not counted there), stuck connections and their bytes
     * (not counted there either), pool chunks lent and ever made, reads paused and how often,
     * connections refused at accept, and the bytes the loop thread has allocated since it started
     * ({@code -1} where the JVM cannot tell), and the outbound connections open or connecting.
     */
    public record Stats(int connections, long pendingBytes, long drainWatchedBytes, int stuck, long stuckBytes,
            int chunksBorrowed, long chunksCreated, boolean readsPaused, long pauses, long refused, long allocated,
            int links) {}

    private void run() {
        now = millis();
        nextTick = now + TICK_MILLIS;
        try {
            while (running) {
                runTasks();
                flushDirty();
                closeDoomed();
                select();
                now = millis();
                runTimers();
                flushDirty();
                closeDoomed();
                updatePause();
                if (readsPaused && now >= nextStuckCheck) {
                    findStuck();
                    nextStuckCheck = now + STUCK_CHECK_MILLIS;
                    updatePause();
                }
                if (now >= nextTick) {
                    tick();
                    nextTick = now + TICK_MILLIS;
                }
            }
        } catch (Throwable t) {
            LOG.log(Level.ERROR, "reactor loop failed; closing every connection", t);
        } finally {
            shutdown();
            terminated.countDown();
        }
    }

    private void select() throws IOException {
        awake.set(false);
        if (!tasks.isEmpty()) {
            selector.selectNow(onReady);
        } else {
            long next = readsPaused ? Math.min(nextTick, nextStuckCheck) : nextTick;
            Timer timer = timers.peek();
            if (timer != null) {
                next = Math.min(next, timer.at);
            }
            long wait = Math.max(1, next - millis());
            selector.select(onReady, wait);
        }
        awake.set(true);
    }

    private void runTasks() {
        for (int i = 0; i < MAX_TASKS_PER_ROUND; i++) {
            Runnable task = tasks.poll();
            if (task == null) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "task failed", e);
            }
        }
    }

    private void onReady(SelectionKey key) {
        Connection c = (Connection) key.attachment();
        if (c == null) {
            accept();
            return;
        }
        try {
            if (!key.isValid()) {
                doom(c, "key cancelled");
                return;
            }
            int ready = key.readyOps();
            if ((ready & SelectionKey.OP_CONNECT) != 0) {
                finishConnect(c);
                return;
            }
            if ((ready & SelectionKey.OP_WRITE) != 0) {
                markDirty(c);
            }
            if ((ready & SelectionKey.OP_READ) != 0) {
                read(c);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, c + " - failed; closing it", e);
            doom(c, "internal error: " + e);
        }
    }

    /** {@link #read}, where a handler that throws closes only its connection. */
    private void readGuarded(Connection c) {
        try {
            read(c);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, c + " - failed; closing it", e);
            doom(c, "internal error: " + e);
        }
    }

    private void accept() {
        for (int i = 0; i < MAX_ACCEPTS_PER_ROUND; i++) {
            SocketChannel ch;
            try {
                ch = listener.accept();
            } catch (IOException e) {
                // Out of file descriptors, usually. The listener stays readable, so selecting on
                // it again would spin: stop accepting until the next tick, leaving the rest in
                // the backlog.
                LOG.log(Level.WARNING, "accept failed, pausing accepts for a second: " + e.getMessage());
                listenerKey.interestOps(0);
                return;
            }
            if (ch == null) {
                return;
            }
            try {
                ch.configureBlocking(false);
                var remote = (InetSocketAddress) ch.getRemoteAddress();
                Admission.Verdict verdict = admission.admit(remote.getAddress());
                if (verdict != Admission.Verdict.ACCEPT) {
                    refuse(ch, remote, verdict);
                    continue;
                }
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                KeepAlive.apply(ch);
                int ops = readsPaused ? 0 : SelectionKey.OP_READ;
                SelectionKey key = ch.register(selector, ops);
                var c = new Connection(this, ++nextId, ch, key, remote, initialHandler, now);
                c.interest = ops;
                key.attach(c);
                c.index = all.size();
                all.add(c);
                admission.opened(remote.getAddress());
                if (readsPaused) {
                    c.readSuspended = true;
                    suspended.add(c);
                }
                opened(c);
            } catch (IOException e) {
                LOG.log(Level.DEBUG, () -> "accepted connection failed at once: " + e.getMessage());
                closeQuietly(ch);
            }
        }
    }

    // ---------------------------------------------------------------- outbound connections and timers

    /**
     * Opens a plain TCP connection to {@code address} (resolved already: a name lookup would block
     * the loop) without blocking, on this loop, driven by {@code handler}: {@link Handler#onOpen}
     * once connected (never inside this call), {@link Handler#onClose} if it fails or is not connected within
     * {@code timeoutMillis} ({@link Connection#closeReason} says why). Output written before it
     * is connected waits and goes first. It is not a client: see the class comment. On the loop
     * thread only.
     *
     * @throws IOException when no socket can be opened at all (out of descriptors, say); a refused
     *     or unreachable address is an {@link Handler#onClose} instead
     */
    public Connection connect(InetSocketAddress address, Handler handler, long timeoutMillis) throws IOException {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("resolve " + address + " before connecting: a lookup would block the loop");
        }
        if (timeoutMillis <= 0) {
            throw new IllegalArgumentException("timeoutMillis must be positive: " + timeoutMillis);
        }
        SocketChannel ch = SocketChannel.open();
        SelectionKey key;
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            KeepAlive.apply(ch);
            key = ch.register(selector, 0);
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
        var c = register(ch, key, address, handler);
        boolean connected;
        try {
            connected = ch.connect(address);
        } catch (IOException | RuntimeException e) {
            // Refused at once (loopback can), or no route: a failed connect, told by onClose.
            doom(c, "connect failed: " + e);
            return c;
        }
        if (connected) {
            // Connected at once (loopback may): onOpen still comes after connect has returned,
            // as it would from the selector, so that the caller has its Connection first.
            execute(() -> {
                if (c.connecting && c.state == Connection.State.OPEN) {
                    connected(c);
                }
            });
        } else {
            setInterest(c, SelectionKey.OP_CONNECT);
            schedule(timeoutMillis, () -> {
                if (c.connecting && !c.isGone()) {
                    doom(c, "connect timed out after " + timeoutMillis + " ms");
                }
            });
        }
        return c;
    }

    private Connection register(SocketChannel ch, SelectionKey key, InetSocketAddress address, Handler handler) {
        var c = new Connection(this, ++nextId, ch, key, address, handler, now, true);
        key.attach(c);
        c.index = all.size();
        all.add(c);
        outboundCount++;
        LOG.log(Level.DEBUG, () -> c + " - connecting");
        return c;
    }

    private void finishConnect(Connection c) {
        if (!c.connecting || c.state != Connection.State.OPEN) {
            return;
        }
        try {
            if (!c.channel.finishConnect()) {
                return;
            }
        } catch (IOException e) {
            doom(c, "connect failed: " + e.getMessage());
            return;
        }
        connected(c);
    }

    /** The TCP connect is done: read (unless everyone's reading is held), write what waits, open. */
    private void connected(Connection c) {
        c.connecting = false;
        c.lastReadAt = now;
        c.lastWriteProgress = now;
        if (readsPaused) {
            setInterest(c, 0);
            c.readSuspended = true;
            suspended.add(c);
        } else {
            setInterest(c, c.readPaused ? 0 : SelectionKey.OP_READ);
        }
        if (!c.out.isEmpty()) {
            markDirty(c);
        }
        opened(c);
    }

    /** Tells the handler of a connection accepted or connected; one that throws closes it. */
    private void opened(Connection c) {
        LOG.log(Level.DEBUG, () -> c + " - connected");
        try {
            c.handler.onOpen(c);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, c + " - open handler failed", e);
            doom(c, "internal error: " + e);
        }
    }

    /** A task {@link #schedule}d on the loop; {@link #cancel} keeps it from running. */
    public static final class Timer implements Comparable<Timer> {
        private final long at;
        private final long seq;
        private final Runnable task;
        private boolean cancelled;

        private Timer(long at, long seq, Runnable task) {
            this.at = at;
            this.seq = seq;
            this.task = task;
        }

        /** It will not run (if it has not already). On the loop thread only. */
        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Timer o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
        }
    }

    /**
     * Runs {@code task} on the loop about {@code delayMillis} from now (at the first round after
     * that, and never in this one; tasks due at the same time run in the order they were
     * scheduled). On the loop thread only; another thread goes through {@link #execute} first.
     */
    public Timer schedule(long delayMillis, Runnable task) {
        var timer = new Timer(Math.max(now + 1, millis() + delayMillis), timerSeq++, task);
        timers.add(timer);
        return timer;
    }

    private void runTimers() {
        Timer timer;
        while ((timer = timers.peek()) != null && timer.at <= now) {
            timers.poll();
            if (!timer.cancelled) {
                try {
                    timer.task.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.ERROR, "timer task failed", e);
                }
            }
        }
    }

    /**
     * Sends a connection that may not stay what the initial handler says to such (a line for the
     * text protocol) and closes it; one write, whatever the socket takes, never waited for.
     */
    private void refuse(SocketChannel ch, InetSocketAddress remote, Admission.Verdict verdict) {
        refused++;
        // Each refusal at DEBUG; at WARNING the 1st, 2nd, 4th, 8th...: a flood of connects must
        // not become a flood of log lines.
        Level level = Long.bitCount(refused) == 1 ? Level.WARNING : Level.DEBUG;
        long count = refused;
        LOG.log(level, () -> remote.getAddress().getHostAddress() + ":" + remote.getPort()
                + " - refused (" + count + " so far): " + (verdict == Admission.Verdict.TOO_MANY_FROM_ADDRESS
                        ? "the address has the most connections allowed open, " + limits.maxConnectionsPerAddress()
                        : "fewer than " + limits.reservedDescriptors() + " file descriptors left"));
        if (verdict == Admission.Verdict.TOO_MANY_FROM_ADDRESS) {
            try {
                ch.write(ByteBuffer.wrap(initialHandler.refusal()));
            } catch (IOException e) {
                // gone already: nothing to tell
            }
        }
        closeQuietly(ch);
    }

    private void read(Connection c) {
        if (c.state != Connection.State.OPEN) {
            return;
        }
        if (c.readPaused) {
            setInterest(c, c.interest & ~SelectionKey.OP_READ);
            return;
        }
        if (readsPaused || pendingTotal > limits.highWater()) {
            pauseReads();
            suspendReading(c);
            return;
        }
        if (c.tls != null) {
            readTls(c);
            return;
        }
        ByteBuffer in = c.in;
        if (in == null) {
            in = c.in = c.ownIn != null ? c.ownIn : pool.acquire();
        }
        int n = readOnce(c, in);
        if (n >= 0) {
            deliver(c, in, n);
        }
    }

    /** Hands {@code in} to the handler when {@code n} more bytes came, else gives back an empty buffer. */
    private void deliver(Connection c, ByteBuffer in, int n) {
        if (n > 0) {
            in.flip();
            try {
                c.handler.onRead(c, in);
            } finally {
                afterRead(c, in);
            }
        } else if (in.position() == 0) {
            releaseInbound(c);
        }
    }

    /**
     * One read from the socket, into {@code in}, or into the TLS layer's own buffer: the bytes
     * read, or -1 when the connection ended (at the end of the stream or an error; doomed).
     */
    private int readOnce(Connection c, ByteBuffer in) {
        int n;
        try {
            n = c.tls != null ? c.tls.readNet() : c.channel.read(in);
        } catch (IOException e) {
            doom(c, "read failed: " + e.getMessage());
            return -1;
        }
        if (n < 0) {
            doom(c, "closed by peer");
        } else if (n > 0) {
            c.lastReadAt = now;
        }
        return n;
    }

    /** Keeps a partial frame for the next read, or gives the buffer back when nothing is left. */
    private void afterRead(Connection c, ByteBuffer in) {
        if (c.in != in) {
            return; // closed meanwhile
        }
        if (!in.hasRemaining()) {
            releaseInbound(c);
            return;
        }
        in.compact();
        if (!in.hasRemaining()) {
            if (in.capacity() >= MAX_INBOUND) {
                doom(c, "frame larger than " + MAX_INBOUND + " bytes");
                return;
            }
            ByteBuffer bigger = ByteBuffer.allocateDirect(Math.min(MAX_INBOUND, in.capacity() * 2));
            in.flip();
            bigger.put(in);
            releaseInbound(c);
            c.in = bigger;
        }
    }

    private void releaseInbound(Connection c) {
        ByteBuffer in = c.in;
        c.in = null;
        if (in != null && in == c.ownIn) {
            in.clear();
        } else if (in != null && in.capacity() == BufferPool.CHUNK_SIZE) {
            pool.release(in);
        } else if (in != null && tlsPool != null && in.capacity() == tlsPool.size()) {
            tlsPool.release(in);
        }
    }

    // ---------------------------------------------------------------- TLS (see TlsTransport)

    void startTls(Connection c, SSLEngine engine, Executor tasks, ByteBuffer firstBytes) {
        if (c.tls != null) {
            throw new IllegalStateException(c + " speaks TLS already");
        }
        if (tlsPool == null) {
            tlsPool = new BufferPool(TlsTransport.bufferSize(engine), limits.maxRetainedChunks() / 4);
        }
        c.tls = new TlsTransport(engine, c.channel, tlsPool, gated(c, tasks), () -> execute(() -> tlsTasksDone(c)));
        try {
            c.tls.received(firstBytes);
        } catch (SSLException e) {
            doom(c, "TLS: " + e.getMessage());
            return;
        }
        execute(() -> unwrapTls(c)); // after the handler that called this has returned
    }

    /** {@code tasks} behind {@link #handshakes}: refused when too many handshakes wait already. */
    private Executor gated(Connection c, Executor tasks) {
        var address = c.remoteAddress().getAddress();
        return task -> {
            if (!handshakes.enter(address)) {
                throw new RejectedExecutionException("too many TLS handshakes waiting");
            }
            try {
                tasks.execute(task);
            } catch (RejectedExecutionException e) {
                handshakes.leave(address);
                throw e;
            }
        };
    }

    private void readTls(Connection c) {
        if (readOnce(c, null) >= 0) {
            unwrapTls(c);
        }
    }

    /**
     * Unwraps what the TLS layer holds into the connection's reassembly buffer and hands it to the
     * handler, as a plain read does, until nothing more comes out or reading is paused.
     */
    private void unwrapTls(Connection c) {
        try {
            unwrapTlsRecords(c);
        } finally {
            holdTlsReads(c);
        }
    }

    private void unwrapTlsRecords(Connection c) {
        TlsTransport t = c.tls;
        while (c.state == Connection.State.OPEN && !c.readPaused) {
            ByteBuffer in = c.in;
            if (in == null) {
                in = c.in = c.ownIn != null ? c.ownIn : tlsPool.acquire();
            }
            int produced;
            try {
                produced = t.unwrap(in);
            } catch (SSLException e) {
                doom(c, "TLS: " + e.getMessage());
                return;
            }
            if (t.takeJustHandshaken() || t.wantsFlush()) {
                markDirty(c);
            }
            deliver(c, in, produced);
            if (t.isInboundClosed()) {
                doom(c, "closed by peer");
                return;
            }
            if (t.overflowed() && produced == 0 && !growForRecord(c)) {
                return;
            }
            if (produced == 0 && !t.overflowed()) {
                return;
            }
        }
    }

    /**
     * Reads from a TLS connection only while its layer has room for them: with a whole record
     * waiting for a delegated task or for a handshake record to go out, a read would take nothing,
     * and OP_READ would wake the loop at once every round. {@link #tlsTasksDone} and a drained
     * {@code netOut} (see {@link #flush}) unwrap again, which gives read interest back.
     */
    private void holdTlsReads(Connection c) {
        if (c.state == Connection.State.OPEN && !c.readPaused && !c.readSuspended) {
            setInterest(c, c.tls.isInputFull() ? c.interest & ~SelectionKey.OP_READ : c.interest | SelectionKey.OP_READ);
        }
    }

    /** Room for a whole record after the partial frame in the reassembly buffer; false if too big. */
    private boolean growForRecord(Connection c) {
        ByteBuffer in = c.in;
        if (in == null) {
            return true; // the next round borrows a whole-record buffer
        }
        int wanted = in.position() + tlsPool.size();
        if (wanted > MAX_INBOUND) {
            doom(c, "frame larger than " + MAX_INBOUND + " bytes");
            return false;
        }
        // Doubling, as the plain path does: a step of one record would copy a long line over
        // and over (quadratic up to MAX_INBOUND).
        ByteBuffer bigger = ByteBuffer.allocateDirect(Math.min(MAX_INBOUND, Math.max(wanted, in.capacity() * 2)));
        in.flip();
        bigger.put(in);
        releaseInbound(c);
        c.in = bigger;
        return true;
    }

    private void tlsTasksDone(Connection c) {
        if (c.state == Connection.State.CLOSED) {
            return; // left the gate when it closed
        }
        handshakes.leave(c.remoteAddress().getAddress());
        c.tls.tasksDone();
        markDirty(c);
        unwrapTls(c);
    }

    /** Whether {@code len} more bytes may be queued on {@code c}; dooms it when over its cap. */
    boolean admit(Connection c, int len) {
        if (!c.isWritable()) {
            return false;
        }
        int pending = c.out.pending();
        int cap = c.maxPending > 0 ? c.maxPending : limits.maxPendingPerConnection();
        if (pending + (long) len > cap) {
            doom(c, "not reading: output backlog over " + cap + " bytes", Level.WARNING);
            return false;
        }
        if (c.stuck && stuckTotal + len > limits.maxStuckTotal() && pending + len > STUCK_FLOOR) {
            doom(c, "not reading: stuck connections hold over " + limits.maxStuckTotal() + " bytes", Level.WARNING);
            return false;
        }
        if (pending == 0) {
            c.lastWriteProgress = now;
            c.waitingSince = now;
        }
        count(c, len);
        return true;
    }

    /** Adds {@code bytes} (negative: taken away) to the total that {@code c}'s queue counts in. */
    private void count(Connection c, long bytes) {
        if (c.stuck) {
            stuckTotal += bytes;
        } else if (c.drainWatch) {
            drainWatchedTotal += bytes;
        } else {
            pendingTotal += bytes;
        }
    }

    /** Moves what {@code c} has queued to the total it counts in from now on. */
    void setDrainWatch(Connection c, boolean watch) {
        if (c.drainWatch != watch) {
            count(c, -c.out.pending());
            c.drainWatch = watch;
            count(c, c.out.pending());
        }
    }

    /** Moves what {@code c} has queued out of the water marks' total, or back into it. */
    private void setStuck(Connection c, boolean stuck) {
        if (c.stuck != stuck) {
            count(c, -c.out.pending());
            c.stuck = stuck;
            stuckCount += stuck ? 1 : -1;
            count(c, c.out.pending());
        }
    }

    /**
     * Marks stuck every connection with output waiting that has taken no byte for
     * {@link Limits#stuckMillis}, or, while reading is paused, that still holds more than
     * {@link #STUCK_FLOOR} that long into the pause (or since its output began, if later): it is
     * too slow to wait for (a client reading a byte at a time would otherwise hold everyone).
     * A drain-watched connection (a download, a text client far behind its replies) is already
     * out of the water marks and is fed as it drains, so only silence makes it stuck; then it
     * counts toward the stuck connections' bound like any other. One that takes the stuck
     * connections past {@link Limits#maxStuckTotal} is cut.
     */
    private void findStuck() {
        long stuckMillis = limits.stuckMillis();
        for (int i = 0; i < all.size(); i++) {
            Connection c = all.get(i);
            if (c.stuck || c.out.isEmpty() || c.isGone() || c.connecting) {
                continue;
            }
            boolean silent = now - c.lastWriteProgress >= stuckMillis;
            boolean slow = readsPaused && !c.drainWatch && c.out.pending() > STUCK_FLOOR
                    && now - Math.max(pausedAt, c.waitingSince) >= stuckMillis;
            if (silent || slow) {
                setStuck(c, true);
                if (stuckTotal > limits.maxStuckTotal() && c.out.pending() > STUCK_FLOOR) {
                    doom(c, "not reading: stuck connections hold over " + limits.maxStuckTotal() + " bytes",
                            Level.WARNING);
                } else {
                    LOG.log(Level.DEBUG, () -> c + " - stuck with " + c.out.pending() + " bytes queued: not waited for");
                }
            }
        }
    }

    void markDirty(Connection c) {
        if (!c.dirty) {
            c.dirty = true;
            dirty.add(c);
        }
    }

    private void flushDirty() {
        for (int i = 0; i < dirty.size(); i++) {
            Connection c = dirty.get(i);
            c.dirty = false;
            if (!c.isGone()) {
                flush(c);
            }
        }
        dirty.clear();
    }

    private void flush(Connection c) {
        if (c.connecting) {
            return; // written once connected
        }
        long sent = c.tls != null ? c.tls.netWritten() : 0;
        try {
            while (!c.out.isEmpty()) {
                long written = c.out.writeTo(c.tls != null ? c.tls : c.channel, gather, pool);
                count(c, -written);
                if (written > 0) {
                    c.lastWriteProgress = now;
                }
                if (written == 0 || c.out.socketFull()) {
                    break;
                }
            }
            if (c.tls != null) {
                c.tls.flushNet(); // the handshake's records, or what the socket did not take
                if (c.tls.netWritten() != sent) {
                    c.lastWriteProgress = now; // ciphertext went: progress, even if no plain byte did
                }
            }
        } catch (IOException e) {
            doom(c, "write failed: " + e.getMessage());
            return;
        }
        if (c.tls != null && c.tls.isUnwrapWaiting() && c.state == Connection.State.OPEN) {
            execute(() -> unwrapTls(c)); // a record read waited for netOut to drain
        }
        if (c.out.isEmpty()) {
            setStuck(c, false);
        }
        if (c.tls != null && !c.tls.hasPendingOutput() && (!c.out.isEmpty() || !c.tls.isHandshaken())) {
            // Nothing waits for the socket: plain bytes wait for the handshake, which the peer's
            // next record moves on. OP_WRITE now would only spin.
            setInterest(c, c.interest & ~SelectionKey.OP_WRITE);
            if (c.state == Connection.State.CLOSING && !c.tls.isHandshaken()) {
                doom(c, c.closeReason); // it reads no more, so its handshake can never end
            }
        } else if (!c.hasOutput()) {
            setInterest(c, c.interest & ~SelectionKey.OP_WRITE);
            if (c.state == Connection.State.CLOSING) {
                doom(c, c.closeReason);
            } else if (c.drainWatch && c.state == Connection.State.OPEN) {
                try {
                    c.handler.onDrained(c);
                } catch (RuntimeException e) {
                    LOG.log(Level.ERROR, c + " - drain handler failed", e);
                    doom(c, "internal error: " + e);
                }
            }
        } else {
            setInterest(c, c.interest | SelectionKey.OP_WRITE);
        }
    }

    private void setInterest(Connection c, int ops) {
        if (c.interest != ops && c.state != Connection.State.CLOSED) {
            c.key.interestOps(ops);
            c.interest = ops;
        }
    }

    private void suspendReading(Connection c) {
        if (!c.readSuspended) {
            c.readSuspended = true;
            setInterest(c, c.interest & ~SelectionKey.OP_READ);
            suspended.add(c);
        }
    }

    private void updatePause() {
        if (!readsPaused && pendingTotal > limits.highWater()) {
            pauseReads();
        } else if (readsPaused && pendingTotal < limits.lowWater()) {
            readsPaused = false;
            resumeSuspended();
        }
    }

    /**
     * Reads every connection that a pause held, at once rather than at the next select, and
     * those that have taken all their output first: a round's reads from a crowd can pass the
     * high-water mark again before a select gets to a client that keeps up, and then a PING
     * behind a hundred clients that do not read would wait pause after pause. So a connection
     * that owes nobody anything is read first after each pause, and a pause costs it one pause.
     */
    private void resumeSuspended() {
        ConnectionList held = suspended;
        suspended = resuming;
        resuming = held;
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < held.size(); i++) {
                Connection c = held.get(i);
                if (c != null && (pass == 1 || c.out.isEmpty())) {
                    held.forget(i); // a read below may suspend it again, into the other list
                    c.readSuspended = false;
                    if (c.state == Connection.State.OPEN && !c.readPaused) {
                        setInterest(c, c.interest | SelectionKey.OP_READ);
                        readGuarded(c);
                    }
                }
            }
        }
        held.clear();
    }

    void pauseReading(Connection c) {
        c.readPaused = true;
        if (c.state != Connection.State.CLOSED) {
            setInterest(c, c.interest & ~SelectionKey.OP_READ);
        }
    }

    void resumeReading(Connection c) {
        c.readPaused = false;
        if (c.state == Connection.State.OPEN && !c.readSuspended) {
            setInterest(c, c.interest | SelectionKey.OP_READ);
            if (c.tls != null) {
                execute(() -> unwrapTls(c)); // records already read wait in the TLS layer
            }
        }
    }

    private void pauseReads() {
        if (!readsPaused) {
            readsPaused = true;
            pausedAt = now;
            nextStuckCheck = now; // those stuck already leave the total at once
            pauses++;
            LOG.log(Level.DEBUG, () -> "output backlog " + pendingTotal + " bytes over the high-water mark; reading paused");
        }
    }

    void closeAfterFlush(Connection c, String reason) {
        if (c.state != Connection.State.OPEN) {
            return;
        }
        c.state = Connection.State.CLOSING;
        c.closeReason = reason;
        setInterest(c, c.interest & ~SelectionKey.OP_READ);
        markDirty(c);
    }

    void doom(Connection c, String reason) {
        doom(c, reason, Level.DEBUG);
    }

    /** Closes {@code c} at the end of the round; {@code level}: how loud the log line is. */
    private void doom(Connection c, String reason, Level level) {
        if (c.isGone()) {
            return;
        }
        c.state = Connection.State.DOOMED;
        c.closeReason = reason;
        c.closeLevel = level;
        doomed.add(c);
    }

    private void closeDoomed() {
        // onClose may doom more connections (a leave notice overflowing someone): the list grows
        // while we walk it, so the size is read on every step.
        for (int i = 0; i < doomed.size(); i++) {
            closeNow(doomed.get(i));
        }
        doomed.clear();
    }

    private void closeNow(Connection c) {
        if (c.state == Connection.State.CLOSED) {
            return;
        }
        c.state = Connection.State.CLOSED;
        c.key.cancel();
        if (c.tls != null) {
            if (c.tls.isTaskRunning()) {
                handshakes.leave(c.remoteAddress().getAddress());
            }
            c.tls.closeOutbound();
            c.tls.release();
        }
        closeQuietly(c.channel);
        setStuck(c, false);
        count(c, -c.out.pending());
        c.out.release(pool);
        releaseInbound(c);
        if (c.outbound) {
            outboundCount--;
        } else {
            admission.closed(c.remoteAddress().getAddress());
        }
        Connection moved = all.swapRemove(c.index);
        if (moved != null) {
            moved.index = c.index;
        }
        c.index = -1;
        String reason = c.closeReason != null ? c.closeReason : "closed";
        LOG.log(c.closeLevel, () -> c + " - disconnected: " + reason);
        try {
            c.handler.onClose(c);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, c + " - close handler failed", e);
        }
    }

    /**
     * Holds accepting (true) or resumes it: connections wait in the listen backlog meanwhile. A
     * cluster node holds them until it has joined. Before {@link #start}, or any thread after it.
     */
    public void holdAccepts(boolean hold) {
        acceptsHeld = hold;
        if (thread == null) {
            listenerKey.interestOps(hold ? 0 : SelectionKey.OP_ACCEPT);
        } else {
            execute(() -> {
                if (listenerKey.isValid()) {
                    listenerKey.interestOps(acceptsHeld ? 0 : SelectionKey.OP_ACCEPT);
                }
            });
        }
    }

    private void tick() {
        if (!acceptsHeld && listenerKey.isValid() && listenerKey.interestOps() == 0) {
            listenerKey.interestOps(SelectionKey.OP_ACCEPT);
        }
        admission.measure();
        findStuck();
        for (int i = 0; i < all.size(); i++) {
            Connection c = all.get(i);
            if (c.hasOutput() && now - c.lastWriteProgress > limits.stallMillis()) {
                doom(c, "stalled: no byte taken for " + limits.stallMillis() + " ms", Level.WARNING);
            } else if (c.ticking) {
                try {
                    c.handler.onTick(c, now);
                } catch (RuntimeException e) {
                    LOG.log(Level.ERROR, c + " - tick failed", e);
                    doom(c, "internal error: " + e);
                }
            }
        }
        flushDirty();
        closeDoomed();
    }

    private void shutdown() {
        running = false;
        runTasks();
        closeEvery(true);
        closeQuietly(listener);
        try {
            selector.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing the selector: " + e.getMessage());
        }
    }

    /** Closes the client connections, and the server's own outbound ones when {@code outboundToo}. */
    private void closeEvery(boolean outboundToo) {
        for (int i = 0; i < all.size(); i++) {
            Connection c = all.get(i);
            if (c.outbound && !outboundToo) {
                continue;
            }
            if (!c.isGone()) {
                try {
                    c.handler.onShutdown(c);
                } catch (RuntimeException e) {
                    LOG.log(Level.ERROR, c + " - shutdown handler failed", e);
                }
                flush(c); // best effort: one last write of what is queued
            }
            doom(c, "server shutting down");
        }
        closeDoomed();
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "close: " + e.getMessage());
        }
    }

    private static long millis() {
        return System.nanoTime() / 1_000_000;
    }
}
