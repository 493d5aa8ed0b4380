package chat.server.cluster;

import chat.common.wire.Resp;
import chat.server.reactor.Connection;
import chat.server.reactor.Handler;
import chat.server.reactor.Reactor;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One connection to Redis, a non-blocking channel on the reactor's selector
 * ({@link Reactor#connect}); it reconnects when it drops, after 100 ms, then 200, 400... up to
 * 2 s between tries, and back to 100 ms once connected.
 *
 * <p><b>Calls</b> are pipelined: each is written at once and its reply, matched first in first
 * out, goes to its consumer on the reactor thread. Redis's error replies ({@code -WRONGTYPE...})
 * are replies like any other ({@link Resp.Err}). A call made while the link is not up, and every
 * call still waiting when the link drops, is answered {@link #LINK_DOWN} (the former on a later
 * loop task, never inside {@code call}). So a consumer is always called exactly once.
 *
 * <p><b>Subscribing</b> ({@link #subscribe}) makes this a subscriber link, which takes no more
 * calls: Redis's pub/sub messages go to {@link Listener#onMessage}. After every reconnect the
 * link subscribes again to everything it had, and runs each {@code subscribed} callback again
 * once Redis has confirmed every channel of it; what was published meanwhile is lost (the
 * cluster reads it back from the database).
 *
 * <p><b>Bounds</b>: output queued for Redis is capped ({@link #MAX_QUEUED}): a Redis that stops
 * reading costs the link, which is dropped and reconnected, never unbounded memory. A reply
 * awaited longer than {@link #REPLY_TIMEOUT_MILLIS} (Redis stopped, a network gone silent) drops
 * it too, as does a connect that takes longer than {@link #CONNECT_TIMEOUT_MILLIS}, and bytes
 * that are not RESP or break the decoder's bounds ({@link Resp.Decoder}). Each connection names
 * itself first ({@code CLIENT SETNAME}) with the link's name, for {@code CLIENT LIST}; the link
 * is up once Redis has answered that (a stopped Redis's kernel still accepts connections), and
 * {@link Listener#onDown} follows only an {@link Listener#onUp}.
 *
 * <p>Reactor thread only: a method called from another thread is handed to the loop
 * ({@link Reactor#execute}) and runs there, in the order of such calls.
 */
public final class RedisLink implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RedisLink.class.getName());

    /** What every call gets that the link could not carry. */
    public static final Resp.Err LINK_DOWN = new Resp.Err("ERR link down");
    static final long FIRST_BACKOFF_MILLIS = 100;
    static final long MAX_BACKOFF_MILLIS = 2_000;
    static final long CONNECT_TIMEOUT_MILLIS = 3_000;
    /**
     * 10 s without the reply awaited: Redis answers in microseconds, and takes seconds only for a
     * command that blocks it (a big KEYS), which the cluster never sends.
     */
    static final long REPLY_TIMEOUT_MILLIS = 10_000;
    /**
     * 16 MiB queued for Redis at most: many seconds of a busy node's publishes, while Redis on a
     * healthy network takes them as fast as they come. One that stops reading is dropped at it.
     */
    static final int MAX_QUEUED = 16 << 20;

    /** What a link tells its owner, on the reactor thread. A listener that throws is logged, and the link goes on. */
    public interface Listener {
        /** Connected (again): re-register what Redis may have lost. A subscriber link has re-sent its SUBSCRIBEs. */
        default void onUp(RedisLink link) {}

        /** Dropped (it was up); every pending call has had {@link #LINK_DOWN}. Reconnecting follows. */
        default void onDown(RedisLink link, String why) {}

        /** A pub/sub message on a subscriber link. */
        default void onMessage(RedisLink link, String channel, byte[] payload) {}
    }

    private enum State { CONNECTING, UP, DOWN, CLOSED }

    /** One {@link #subscribe} call, sent again after each reconnect. */
    private record Subscription(List<String> channels, Runnable subscribed) {}

    /** A SUBSCRIBE sent on this connection, with the confirmations it still awaits. */
    private static final class Confirming {
        final Subscription subscription;
        int left;

        Confirming(Subscription subscription) {
            this.subscription = subscription;
            this.left = subscription.channels().size();
        }
    }

    private final Reactor reactor;
    private final RedisAddress address;
    private final String name;
    private final Listener listener;
    private final int maxQueued;
    private final long replyTimeoutMillis;
    private final Handler handler = new LinkHandler();
    private final Resp.Decoder decoder = new Resp.Decoder();
    private final ArrayDeque<Consumer<Resp.Value>> replies = new ArrayDeque<>();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final ArrayDeque<Confirming> confirming = new ArrayDeque<>();
    /** Where commands are encoded before they are queued on the connection; grows to the largest. */
    private ByteBuffer scratch = ByteBuffer.allocate(4096);

    private State state = State.CONNECTING;
    private volatile boolean up;
    private Connection connection;
    private long backoff = FIRST_BACKOFF_MILLIS;
    private Reactor.Timer retry;
    /** Since when the oldest unanswered call or SUBSCRIBE has waited with no reply coming. */
    private long waitingSince;
    /** The test hook {@link #holdReading}. */
    private boolean readingHeld;
    private long connects;
    /** CLIENT SETNAME's reply, the first on each connection, is still to come. */
    private boolean awaitingName;
    private long attempts;
    /** Tries that failed since the link was last up. */
    private long failures;

    private RedisLink(Reactor reactor, RedisAddress address, String name, Listener listener, int maxQueued,
            long replyTimeoutMillis) {
        this.reactor = reactor;
        this.address = address;
        this.name = name;
        this.listener = listener;
        this.maxQueued = maxQueued;
        this.replyTimeoutMillis = replyTimeoutMillis;
    }

    /**
     * A link to {@code address}, connecting at once (on the loop). {@code name} names it in logs
     * and in Redis's {@code CLIENT LIST} (spaces and control characters become '_'). Any thread.
     */
    public static RedisLink open(Reactor reactor, RedisAddress address, String name, Listener listener) {
        return open(reactor, address, name, listener, MAX_QUEUED, REPLY_TIMEOUT_MILLIS);
    }

    /** As {@link #open(Reactor, RedisAddress, String, Listener)}, with other bounds (tests). */
    static RedisLink open(Reactor reactor, RedisAddress address, String name, Listener listener, int maxQueued,
            long replyTimeoutMillis) {
        var link = new RedisLink(reactor, address, clientName(name), listener, maxQueued, replyTimeoutMillis);
        link.onLoop(link::connect);
        return link;
    }

    public RedisAddress address() {
        return address;
    }

    public String name() {
        return name;
    }

    /** Connected, and not closed. Any thread. */
    public boolean isUp() {
        return up;
    }

    /** How many times it has connected so far (1 after the first). Reactor thread. */
    public long connects() {
        return connects;
    }

    /** How many times it has tried to connect so far. Reactor thread. */
    long attempts() {
        return attempts;
    }

    /** Calls sent and not yet answered. Reactor thread. */
    public int pendingCalls() {
        return replies.size();
    }

    /** Sends a command; {@code reply} gets Redis's answer, or {@link #LINK_DOWN}. */
    public void call(Consumer<Resp.Value> reply, byte[]... args) {
        if (!reactor.inLoop()) {
            reactor.execute(() -> call(reply, args));
            return;
        }
        if (args.length == 0) {
            throw new IllegalArgumentException("a Redis command needs at least its name");
        }
        if (!subscriptions.isEmpty()) {
            throw new IllegalStateException(name + " is a subscriber link: it takes no calls");
        }
        if (state != State.UP || !connection.isWritable()) {
            reactor.execute(() -> answer(reply, LINK_DOWN));
            return;
        }
        send(reply, args);
    }

    /** As {@link #call(Consumer, byte[]...)}, each argument in UTF-8. */
    public void call(Consumer<Resp.Value> reply, String... args) {
        call(reply, Resp.utf8All(args));
    }

    /**
     * Subscribes to {@code channels} and makes this a subscriber link (it takes no more calls);
     * {@code subscribed} runs once Redis has confirmed all of them, and again after each
     * reconnect has subscribed again. May be called more than once; each call is kept and
     * repeated in order.
     */
    public void subscribe(List<String> channels, Runnable subscribed) {
        if (!reactor.inLoop()) {
            reactor.execute(() -> subscribe(channels, subscribed));
            return;
        }
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("subscribe to at least one channel");
        }
        if (!replies.isEmpty()) {
            throw new IllegalStateException(name + " has calls waiting: a subscriber link must be one of its own");
        }
        var subscription = new Subscription(List.copyOf(channels), subscribed);
        subscriptions.add(subscription);
        if (state == State.UP && connection.isWritable()) {
            sendSubscribe(subscription);
        }
    }

    /** Closes the link for good: no more reconnects; calls still waiting get {@link #LINK_DOWN}. */
    @Override
    public void close() {
        if (!reactor.inLoop()) {
            reactor.execute(this::close);
            return;
        }
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        up = false;
        if (retry != null) {
            retry.cancel();
        }
        if (connection != null) {
            connection.close("link closed");
        }
    }

    /**
     * Test hook: stops reading from Redis ({@code true}) or reads again, so that Redis's output
     * for this link piles up as for a node that falls behind. Reactor thread.
     */
    void holdReading(boolean hold) {
        readingHeld = hold;
        if (connection != null && connection.isWritable()) {
            if (hold) {
                connection.pauseReading();
            } else {
                connection.resumeReading();
            }
        }
    }

    @Override
    public String toString() {
        return "redis link " + name + " to " + address.host() + ":" + address.port();
    }

    // ---------------------------------------------------------------- connecting

    private void onLoop(Runnable task) {
        if (reactor.inLoop()) {
            task.run();
        } else {
            reactor.execute(task);
        }
    }

    private void connect() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CONNECTING;
        retry = null;
        attempts++;
        if (isLiteral(address.host())) {
            connectTo(new InetSocketAddress(address.host(), address.port()));
            return;
        }
        // A name lookup blocks: it runs off the loop, and the connect goes on back on it.
        CompletableFuture.supplyAsync(() -> new InetSocketAddress(address.host(), address.port()))
                .whenComplete((resolved, failure) -> reactor.execute(() -> {
                    if (failure != null || resolved.isUnresolved()) {
                        failed("cannot resolve " + address.host());
                    } else {
                        connectTo(resolved);
                    }
                }));
    }

    private void connectTo(InetSocketAddress to) {
        if (state != State.CONNECTING) {
            return; // closed meanwhile
        }
        try {
            connection = reactor.connect(to, handler, CONNECT_TIMEOUT_MILLIS);
            connection.setMaxPending(maxQueued);
        } catch (IOException e) {
            failed("cannot open a socket: " + e.getMessage());
        }
    }

    /** A try that never came up: try again after the backoff. */
    private void failed(String why) {
        if (state == State.CLOSED) {
            return;
        }
        failures++;
        // The 1st, 2nd, 4th, 8th... failure in a row at WARNING: Redis down for an hour is a
        // dozen lines, not 1,800.
        Level level = Long.bitCount(failures) == 1 ? Level.WARNING : Level.DEBUG;
        long count = failures;
        long delay = backoff;
        LOG.log(level, () -> this + " - " + why + " (" + count + " tries failed in a row); next try in "
                + delay + " ms");
        retryLater();
    }

    /** Down: connect again after the backoff, which doubles for the next time. */
    private void retryLater() {
        state = State.DOWN;
        long delay = backoff;
        backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
        retry = reactor.schedule(delay, this::connect);
    }

    /**
     * TCP is connected: name the connection. The link is up once Redis has answered that, not
     * before: a Redis process that is stopped still has its kernel accept connections.
     */
    private void opened(Connection c) {
        decoder.reset();
        c.setTicking(true);
        startWaiting();
        awaitingName = true;
        write(Resp.utf8All("CLIENT", "SETNAME", name));
        if (readingHeld) {
            c.pauseReading();
        }
    }

    /** Redis has answered: the link is up; subscribe again, and tell the listener. */
    private void answered(Connection c, Resp.Value nameReply) {
        awaitingName = false;
        if (nameReply instanceof Resp.Err e) {
            LOG.log(Level.WARNING, () -> this + " - CLIENT SETNAME refused: " + e.message());
        }
        state = State.UP;
        up = true;
        connects++;
        backoff = FIRST_BACKOFF_MILLIS;
        failures = 0;
        LOG.log(connects == 1 ? Level.INFO : Level.WARNING, () -> this + " - connected"
                + (connects == 1 ? "" : " again"));
        for (Subscription s : subscriptions) {
            sendSubscribe(s);
        }
        try {
            listener.onUp(this);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, this + " - onUp failed", e);
        }
    }

    private void closed(Connection c) {
        connection = null;
        boolean wasUp = state == State.UP;
        if (state != State.CLOSED) {
            state = State.DOWN; // before any consumer runs: a call from one is answered LINK_DOWN
        }
        up = false;
        awaitingName = false;
        confirming.clear();
        String why = c.closeReason() != null ? c.closeReason() : "closed";
        // Answered in order, as the replies would have come.
        Consumer<Resp.Value> reply;
        while ((reply = replies.poll()) != null) {
            answer(reply, LINK_DOWN);
        }
        if (state == State.CLOSED) {
            return;
        }
        if (!wasUp) {
            failed(why);
            return;
        }
        LOG.log(Level.WARNING, () -> this + " - dropped: " + why + "; reconnecting in " + backoff + " ms");
        try {
            listener.onDown(this, why);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, this + " - onDown failed", e);
        }
        if (state == State.DOWN) { // not closed by onDown
            retryLater();
        }
    }

    // ---------------------------------------------------------------- sending and receiving

    private void send(Consumer<Resp.Value> reply, byte[][] args) {
        startWaiting();
        replies.add(reply);
        write(args);
    }

    private void sendSubscribe(Subscription s) {
        List<String> channels = s.channels();
        byte[][] args = new byte[channels.size() + 1][];
        args[0] = SUBSCRIBE;
        for (int i = 0; i < channels.size(); i++) {
            args[i + 1] = channels.get(i).getBytes(StandardCharsets.UTF_8);
        }
        startWaiting();
        confirming.add(new Confirming(s));
        write(args);
    }

    private static final byte[] SUBSCRIBE = "SUBSCRIBE".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE = "message".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SUBSCRIBE_CONFIRM = "subscribe".getBytes(StandardCharsets.US_ASCII);

    /** A reply is awaited from now, if none was. */
    private void startWaiting() {
        if (replies.isEmpty() && confirming.isEmpty() && !awaitingName) {
            waitingSince = reactor.now();
        }
    }

    /** Encodes into the scratch buffer and queues the bytes (the connection copies them). */
    private void write(byte[][] args) {
        int len = Resp.commandLength(args);
        if (scratch.capacity() < len) {
            scratch = ByteBuffer.allocate(Math.max(len, scratch.capacity() * 2));
        }
        scratch.clear();
        Resp.writeCommand(scratch, args);
        scratch.flip();
        connection.write(scratch); // past maxQueued this dooms the connection: closed() answers
    }

    private void received(Connection c, Resp.Value v) {
        waitingSince = reactor.now();
        if (awaitingName) {
            answered(c, v);
            return;
        }
        if (!subscriptions.isEmpty() && v instanceof Resp.Array a && !a.isNil() && !a.items().isEmpty()
                && a.items().get(0) instanceof Resp.Bulk kind && !kind.isNil()) {
            byte[] k = kind.bytes();
            if (java.util.Arrays.equals(k, MESSAGE) && a.items().size() == 3) {
                message(c, a.items());
                return;
            }
            if (java.util.Arrays.equals(k, SUBSCRIBE_CONFIRM)) {
                confirmed(c);
                return;
            }
        }
        Consumer<Resp.Value> reply = replies.poll();
        if (reply == null) {
            c.close("a reply to no call: " + v);
            return;
        }
        answer(reply, v);
    }

    private void message(Connection c, List<Resp.Value> items) {
        if (!(items.get(1) instanceof Resp.Bulk channel) || channel.isNil()
                || !(items.get(2) instanceof Resp.Bulk payload) || payload.isNil()) {
            c.close("a malformed pub/sub message: " + items);
            return;
        }
        try {
            listener.onMessage(this, channel.text(), payload.bytes());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, this + " - onMessage failed", e);
        }
    }

    private void confirmed(Connection c) {
        Confirming head = confirming.peek();
        if (head == null) {
            c.close("a subscribe confirmation for no SUBSCRIBE");
            return;
        }
        if (--head.left == 0) {
            confirming.poll();
            try {
                head.subscription.subscribed().run();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, this + " - subscribed callback failed", e);
            }
        }
    }

    private void answer(Consumer<Resp.Value> reply, Resp.Value v) {
        try {
            reply.accept(v);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, this + " - reply consumer failed", e);
        }
    }

    /** The reactor's view of the link: its connection's events. */
    private final class LinkHandler implements Handler {
        @Override
        public void onOpen(Connection c) {
            if (c == connection && state == State.CONNECTING) {
                opened(c);
            }
        }

        @Override
        public void onRead(Connection c, ByteBuffer in) {
            if (c != connection) {
                in.position(in.limit());
                return;
            }
            try {
                Resp.Value v;
                while (c.isWritable() && (v = decoder.next(in)) != null) {
                    received(c, v);
                }
            } catch (Resp.ProtocolException e) {
                c.close("not RESP: " + e.getMessage());
            }
            if (!c.isWritable()) {
                in.position(in.limit());
            }
        }

        @Override
        public void onClose(Connection c) {
            if (c == connection) {
                closed(c);
            }
        }

        @Override
        public void onShutdown(Connection c) {
            state = State.CLOSED; // the server stops: no reconnecting, no onDown
            up = false;
        }

        @Override
        public void onTick(Connection c, long nowMillis) {
            if (c == connection && (!replies.isEmpty() || !confirming.isEmpty() || awaitingName)
                    && nowMillis - waitingSince > replyTimeoutMillis && !readingHeld) {
                c.close("no reply from Redis for " + replyTimeoutMillis + " ms");
            }
        }
    }

    /** {@code name} fit for CLIENT SETNAME, which takes no spaces. */
    private static String clientName(String name) {
        var sb = new StringBuilder(name.length());
        name.codePoints().forEach(cp -> sb.appendCodePoint(cp <= ' ' || cp == 0x7f ? '_' : cp));
        return sb.length() == 0 ? "chat" : sb.toString();
    }

    /** An IP address written out, which {@link InetSocketAddress} takes without a lookup. */
    private static boolean isLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(ch -> ch >= '0' && ch <= '9' || ch == '.');
    }
}
