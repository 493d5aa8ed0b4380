package chat.client;

import chat.common.proto.ErrorCode;
import chat.common.proto.Line;
import chat.common.proto.Request;
import chat.common.text.Names;
import chat.common.wire.LineDecoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A text-protocol client that stays connected: the terminal client's, and the desktop client's
 * later. See docs/PROTOCOL.md, "Text protocol".
 *
 * <p>Requests go out tagged ({@code #c12:FRIENDS}); {@link #request} returns a future of the reply
 * with the items of a list reply. Lines without a tag are pushes, handed to the {@link Listener};
 * incoming messages are stored in the account's {@link History} first and acknowledged after, and
 * one whose id is stored already is acknowledged and otherwise ignored. Group messages ({@code
 * GROUP} pushes) are stored and acknowledged the same way, with the group ({@code #team}) as the
 * conversation: private and group messages share one id sequence, so one ACK covers both. The
 * lobby's lines (id 0) are shown and neither stored nor acknowledged, and what I say there is
 * sent at once or not at all: the lobby is live only.
 *
 * <p>Connection states. <b>Down</b>: no socket; the lifecycle thread tries to connect, at once the
 * first time and then after waiting 1 s, doubling up to 10 s while attempts fail (the article's
 * client retries every second). <b>Up</b>: connected; if credentials are remembered (a login
 * succeeded, or was asked for while down) the lifecycle thread logs in with them first. <b>Ready</b>:
 * up, and that login has been answered. After each login, my messages the server has not
 * confirmed are sent again with their client ids (the server stores each client id once).
 *
 * <p>Threads: the lifecycle thread connects and then reads (every listener call and every future
 * completion of a reply happen on it, in the order the lines came); callers write, under a lock,
 * from any thread; a scheduler thread PINGs when nothing was sent for {@link Options#pingAfter},
 * and drops a connection whose PONG does not come within {@link Options#pongWait}, so that a dead
 * network is noticed from this side too. Nothing polls.
 */
public final class Connection implements AutoCloseable {

    /** Timings; {@link #DEFAULT} follows docs/PROTOCOL.md (ping after 30 s; the server waits 90). */
    public record Options(Duration connectTimeout, Duration pingAfter, Duration pongWait,
            Duration retryFirst, Duration retryMax) {
        public static final Options DEFAULT = new Options(Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(10));

        public Options {
            for (Duration d : List.of(connectTimeout, pingAfter, pongWait, retryFirst, retryMax)) {
                if (d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("timings must be positive: " + d);
                }
            }
        }
    }

    /** A reply: its first line and, for a list, the item lines after it. */
    public record Reply(Line line, List<Line> items) {
        public boolean ok() {
            return line.size() > 1 && line.field(1).equals("true");
        }

        /** The failure code ({@code COMMAND:false:code:message} or {@code ERR:code:message}). */
        public ErrorCode code() {
            int i = line.command().equals("ERR") ? 1 : 2;
            return ok() || line.size() <= i ? null : ErrorCode.fromWire(line.field(i));
        }

        /** The failure's message for people. */
        public String message() {
            int i = line.command().equals("ERR") ? 2 : 3;
            return line.size() > i ? line.field(i) : line.format();
        }

        public String field(int i) {
            return i < line.size() ? line.field(i) : "";
        }
    }

    /** The connection went away before the reply came, or was not there to send on. */
    public static final class NotConnectedException extends IOException {
        private static final long serialVersionUID = 1L;

        public NotConnectedException(String message) {
            super(message);
        }
    }

    /** The server refused a message: {@link #reply} says why. */
    public static final class RefusedException extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Reply reply;

        RefusedException(Reply reply) {
            super(reply.message());
            this.reply = reply;
        }

        public Reply reply() {
            return reply;
        }
    }

    /** What happens on the connection, called on its lifecycle thread; every method optional. */
    public interface Listener {
        /** A socket is up (not logged in yet). */
        default void connected() {}

        /** The socket went; {@code reason} for people. The connection keeps trying. */
        default void disconnected(String reason) {}

        /** Logged in as {@code account} (the server's spelling); {@code again}: by itself, after a reconnect. */
        default void loggedIn(String account, boolean again) {}

        /** The remembered login no longer works (wrong password, or the account logged in elsewhere). */
        default void loginLost(Reply why) {}

        /**
         * A message for me that is new to the history: private, or in a group (its {@code to} is
         * then {@code #group}); a lobby line has server id 0 and is never stored.
         */
        default void message(History.Entry message) {}

        /** One of my messages, sent again after a reconnect, was refused. */
        default void sendFailed(History.Entry message, Reply why) {}

        /**
         * Any other push: PRESENCE, REQUEST, FRIENDS (with its items), FRIEND_ADDED,
         * FRIEND_REMOVED, GROUP_JOINED, GROUP_LEFT, GROUP_RENAMED (after the history has moved the
         * group's messages to the new name), GROUP_DELETED, JOIN_REQUEST, SYNCED, BYE ...
         */
        default void push(Line line, List<Line> items) {}
    }

    /** The lobby's key: the article's room, shared with its legacy clients. */
    private static final String LOBBY = "lobby";

    /** Longest line accepted from the server: a 16 KiB message escaped thrice over, with room. */
    static final int MAX_LINE_BYTES = 256 * 1024;
    private static final int READ_BUFFER_BYTES = 16 * 1024;

    private final String host;
    private final int port;
    private final Options options;
    private final History.Opener histories;
    private final Listener listener;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicLong tags = new AtomicLong();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService heartbeat;
    private final Thread lifecycle;

    // Guarded by lock.
    private SocketChannel channel;
    private boolean ready;
    private boolean closed;
    private Credentials credentials;
    private String account;
    private boolean loggedIn;
    private History history;
    /** The caller's future for a login asked for while down, completed when it is answered. */
    private CompletableFuture<Reply> waitingLogin;
    private long generation;

    /** Nanos of the last write; read by the heartbeat. */
    private volatile long lastWrite = System.nanoTime();

    private record Credentials(String name, String password) {}

    /** A request on the wire. {@code automatic}: the connection's own (a re-login, a resend). */
    private record Pending(Request request, CompletableFuture<Reply> future, boolean automatic, long generation) {}

    /**
     * A connection to {@code host:port}, not yet started. {@code histories} opens the history of
     * an account (by the server's spelling of its name) when it logs in.
     */
    public Connection(String host, int port, Options options, History.Opener histories, Listener listener) {
        this.host = host;
        this.port = port;
        this.options = options;
        this.histories = histories;
        this.listener = listener;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "chat-heartbeat"));
        this.lifecycle = daemon(this::live, "chat-connection");
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Starts connecting; returns at once. */
    public Connection start() {
        lifecycle.start();
        long period = Math.max(10, options.pingAfter().toMillis() / 6);
        heartbeat.scheduleWithFixedDelay(this::pingIfQuiet, period, period, TimeUnit.MILLISECONDS);
        return this;
    }

    // ---------------------------------------------------------------- what callers do

    /**
     * Sends {@code r} and returns its reply; fails with {@link NotConnectedException} when the
     * connection is not ready or goes before the reply. Use {@link #login}, {@link #logout} and
     * {@link #sendMessage} for those (group messages included); ACK is the connection's own.
     */
    public CompletableFuture<Reply> request(Request r) {
        if (r instanceof Request.Login || r instanceof Request.Logout || r instanceof Request.Msg
                || r instanceof Request.Group || r instanceof Request.Ack || r instanceof Request.Quit) {
            throw new IllegalArgumentException("not through request(): " + r.command());
        }
        return send(r, false);
    }

    /**
     * Logs in and remembers the credentials for logging in again after a reconnect. When the
     * connection is down the login waits for it: the future completes when the server answers.
     * Until then the account's history is readable if it exists on this machine.
     */
    public CompletableFuture<Reply> login(String name, String password) {
        var request = new Request.Login(name, password);
        lock.lock();
        try {
            if (ready) {
                return send(request, false); // credentials remembered once it succeeds
            }
            credentials = new Credentials(name, password);
            if (waitingLogin != null) {
                waitingLogin.completeExceptionally(new NotConnectedException("replaced by another login"));
            }
            waitingLogin = new CompletableFuture<>();
            if (history == null || !history.isAccount(name)) {
                closeHistory();
                if (histories.exists(name)) {
                    history = histories.open(name);
                }
            }
            account = name;
            return waitingLogin;
        } finally {
            lock.unlock();
        }
    }

    /** Logs out and forgets the credentials; when down, just forgets them. */
    public CompletableFuture<Reply> logout() {
        lock.lock();
        try {
            credentials = null;
            if (waitingLogin != null) {
                waitingLogin.completeExceptionally(new NotConnectedException("logged out"));
                waitingLogin = null;
            }
            if (!loggedIn || !ready) {
                loggedIn = false;
                return CompletableFuture.completedFuture(new Reply(Line.of(null, "LOGOUT", "true"), List.of()));
            }
            return send(new Request.Logout(), false);
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code conversation} is the lobby ({@code #lobby}, in any letter case). */
    public static boolean isLobby(String conversation) {
        return History.isGroup(conversation) && Names.key(conversation.substring(1)).equals(LOBBY);
    }

    /**
     * Stores a message to {@code to} (a friend, or {@code #group}) as pending, then sends it if
     * logged in. The future gives the stored entry once the server confirmed it; it fails with
     * {@link RefusedException} when the server refuses, and with {@link NotConnectedException}
     * when it cannot go now: it then stays pending and goes after the next login.
     *
     * <p>The lobby ({@code #lobby}) is the exception: nothing is stored, and a line that cannot go
     * now fails with {@link NotConnectedException} and is dropped, as a legacy client's would be.
     *
     * @throws IllegalStateException when no account is logged in (nor was before the connection went)
     */
    public CompletableFuture<History.Entry> sendMessage(String to, String text) {
        String clientId = UUID.randomUUID().toString();
        History h;
        String me;
        boolean now;
        lock.lock();
        try {
            h = history;
            me = account;
            now = loggedIn && ready;
        } finally {
            lock.unlock();
        }
        if (h == null || me == null || credentials() == null) {
            throw new IllegalStateException("not logged in");
        }
        if (isLobby(to)) {
            if (!now) {
                return CompletableFuture.failedFuture(new NotConnectedException("not connected"));
            }
            return send(new Request.Group(to, clientId, text), false).thenCompose(reply -> reply.ok()
                    ? CompletableFuture.completedFuture(new History.Entry(0, System.currentTimeMillis(), me, to, text,
                            clientId, History.State.SENT))
                    : CompletableFuture.failedFuture(new RefusedException(reply)));
        }
        h.addOutgoing(clientId, System.currentTimeMillis(), me, to, text);
        if (!now) {
            return CompletableFuture.failedFuture(new NotConnectedException("not connected; the message waits"));
        }
        return send(outgoing(to, clientId, text), false).thenCompose(reply -> reply.ok()
                ? CompletableFuture.completedFuture(h.byClientId(clientId))
                : CompletableFuture.failedFuture(new RefusedException(reply)));
    }

    /** {@code MSG} to a friend, {@code GROUP} to {@code #group}. */
    private static Request outgoing(String to, String clientId, String text) {
        return History.isGroup(to) ? new Request.Group(to, clientId, text) : new Request.Msg(to, clientId, text);
    }

    /** Waits up to {@code timeout} until the connection is ready; whether it is. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (!ready && !closed) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = changed.awaitNanos(nanos);
            }
            return ready;
        } finally {
            lock.unlock();
        }
    }

    public boolean isReady() {
        return locked(() -> ready);
    }

    /** Whether the server has this connection logged in now. */
    public boolean isLoggedIn() {
        return locked(() -> ready && loggedIn);
    }

    /** The account logged in, or to be logged in again once connected; {@code null} when none. */
    public String account() {
        return locked(() -> credentials != null ? account : null);
    }

    /**
     * The history of the account last logged in (it stays readable after a logout and while the
     * connection is down), or of the one waiting to log in if this machine has its file; may be
     * {@code null}.
     */
    public History history() {
        return locked(() -> history);
    }

    private Credentials credentials() {
        return locked(() -> credentials);
    }

    /** Says QUIT, closes the socket and stops every thread of this connection. */
    @Override
    public void close() {
        SocketChannel c;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            c = channel;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        heartbeat.shutdownNow();
        if (c != null) {
            try {
                // tagged, so that its reply (QUIT:true) goes to nobody rather than looking like a push
                write(c, new Request.Quit().toLine("c" + tags.incrementAndGet()));
            } catch (IOException e) {
                // going anyway
            }
            closeQuietly(c);
        }
        lifecycle.interrupt();
        try {
            lifecycle.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            closeHistory();
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- writing

    private CompletableFuture<Reply> send(Request r, boolean automatic) {
        SocketChannel c;
        long gen;
        lock.lock();
        try {
            c = channel;
            gen = generation;
            if (c == null || (!ready && !automatic)) {
                return CompletableFuture.failedFuture(new NotConnectedException("not connected"));
            }
        } finally {
            lock.unlock();
        }
        String tag = "c" + tags.incrementAndGet();
        var future = new CompletableFuture<Reply>();
        pending.put(tag, new Pending(r, future, automatic, gen));
        try {
            write(c, r.toLine(tag));
        } catch (IOException e) {
            pending.remove(tag);
            closeQuietly(c); // the reader notices and reconnects
            future.completeExceptionally(new NotConnectedException("connection lost: " + e.getMessage()));
        }
        return future;
    }

    private void write(SocketChannel c, Line line) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(LineDecoder.encode(line.format()));
        writeLock.lock();
        try {
            while (bytes.hasRemaining()) {
                c.write(bytes);
            }
            lastWrite = System.nanoTime();
        } finally {
            writeLock.unlock();
        }
    }

    private void pingIfQuiet() {
        if (System.nanoTime() - lastWrite < options.pingAfter().toNanos()) {
            return;
        }
        SocketChannel c = locked(() -> channel);
        if (c == null) {
            return;
        }
        send(new Request.Ping(), true)
                .orTimeout(options.pongWait().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((reply, failed) -> {
                    if (failed instanceof TimeoutException) {
                        closeQuietly(c); // no PONG: the network is gone though the socket says nothing
                    }
                });
    }

    // ---------------------------------------------------------------- the lifecycle thread

    private void live() {
        long retry = 0;
        while (!isClosed()) {
            if (retry > 0 && !sleep(retry)) {
                return;
            }
            SocketChannel c;
            try {
                c = connect();
            } catch (IOException e) {
                retry = next(retry);
                continue;
            }
            boolean heard = session(c);
            retry = heard ? options.retryFirst().toMillis() : next(retry);
        }
    }

    private long next(long retry) {
        return retry == 0 ? options.retryFirst().toMillis() : Math.min(retry * 2, options.retryMax().toMillis());
    }

    private SocketChannel connect() throws IOException {
        var address = new InetSocketAddress(host, port);
        SocketChannel c = SocketChannel.open();
        try {
            if (address.isUnresolved()) {
                throw new java.net.UnknownHostException(host);
            }
            c.socket().connect(address, (int) options.connectTimeout().toMillis());
            c.socket().setTcpNoDelay(true);
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** One connection's life: log in again if need be, read until it ends. Whether a line came. */
    private boolean session(SocketChannel c) {
        Credentials relogin;
        lock.lock();
        try {
            if (closed) {
                closeQuietly(c);
                return false;
            }
            channel = c;
            generation++;
            relogin = credentials;
            ready = relogin == null;
            if (ready) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        lastWrite = System.nanoTime();
        listener.connected();
        if (relogin != null) {
            send(new Request.Login(relogin.name(), relogin.password()), true);
        }
        boolean heard = false;
        String reason = "closed by the server";
        var reader = new Reader(c);
        try {
            Line line;
            while ((line = reader.next()) != null) {
                heard = true;
                onLine(reader, line);
            }
        } catch (IOException | LineDecoder.FrameTooLongException e) {
            reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        }
        closeQuietly(c);
        lock.lock();
        try {
            channel = null;
            ready = false;
            loggedIn = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
            var p = it.next().getValue();
            it.remove();
            p.future().completeExceptionally(new NotConnectedException("connection lost"));
        }
        if (!isClosed()) {
            listener.disconnected(reason);
        }
        return heard;
    }

    /** Lines from the socket, a list reply gathered whole. */
    private final class Reader {
        private final SocketChannel c;
        private final ByteBuffer in = ByteBuffer.allocate(READ_BUFFER_BYTES);
        private final LineDecoder decoder = new LineDecoder(MAX_LINE_BYTES);
        private ByteBuffer big; // when a line outgrows the buffer

        Reader(SocketChannel c) {
            this.c = c;
            in.flip();
        }

        /** The next non-empty line, {@code null} at the end of the stream. */
        Line next() throws IOException {
            while (true) {
                ByteBuffer b = big != null ? big : in;
                String text = decoder.next(b);
                if (text != null) {
                    if (text.isEmpty()) {
                        continue;
                    }
                    return Line.parse(text);
                }
                b.compact();
                if (!b.hasRemaining()) {
                    ByteBuffer bigger = ByteBuffer.allocate(b.capacity() * 2);
                    b.flip();
                    bigger.put(b);
                    big = bigger;
                    b = bigger;
                }
                int n = c.read(b);
                b.flip();
                if (n < 0) {
                    return null;
                }
            }
        }

        /** {@code n} more lines: a list's items. */
        List<Line> items(String count) throws IOException {
            int n;
            try {
                n = Integer.parseInt(count);
            } catch (NumberFormatException e) {
                throw new IOException("bad list length from the server: " + count);
            }
            List<Line> items = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Line item = next();
                if (item == null) {
                    throw new IOException("the connection ended inside a list");
                }
                items.add(item);
            }
            return items;
        }
    }

    private static boolean isList(Line line) {
        boolean shape = line.size() == 3 && line.field(1).equals("true");
        return shape && switch (line.command()) {
            case "FRIENDS", "FIND", "HISTORY", "SEARCH", "GROUPS", "MEMBERS", "REQUESTS", "UNREAD" -> true;
            default -> false;
        };
    }

    private void onLine(Reader reader, Line line) throws IOException {
        List<Line> items = isList(line) ? reader.items(line.field(2)) : List.of();
        if (line.tag() == null) {
            onPush(line, items);
            return;
        }
        Pending p = pending.remove(line.tag());
        if (p == null) {
            return; // a reply to a request given up on
        }
        var reply = new Reply(line, items);
        if (p.request() instanceof Request.Login login) {
            onLogin(login, reply, p);
        } else if (p.request() instanceof Request.Logout) {
            if (reply.ok()) {
                lock.lock();
                try {
                    loggedIn = false;
                } finally {
                    lock.unlock();
                }
            }
        } else if (p.request() instanceof Request.Msg msg) {
            onMessageReply(msg.clientId(), reply, p);
        } else if (p.request() instanceof Request.Group g
                && !isLobby(History.isGroup(g.group()) ? g.group() : "#" + g.group())) {
            onMessageReply(g.clientId(), reply, p);
        }
        p.future().complete(reply);
    }

    private void onLogin(Request.Login login, Reply reply, Pending p) {
        CompletableFuture<Reply> waiting;
        List<History.Entry> resend = List.of();
        boolean retryLater = false;
        lock.lock();
        try {
            waiting = waitingLogin;
            waitingLogin = null;
            boolean asked = !p.automatic() || waiting != null; // by the user, not a re-login
            if (reply.ok()) {
                String name = reply.line().size() > 3 ? reply.field(3) : login.name();
                if (history == null || !history.isAccount(name)) {
                    closeHistory();
                    history = histories.open(name);
                }
                credentials = new Credentials(login.name(), login.password());
                account = name;
                loggedIn = true;
                resend = history.pending();
            } else if (!asked && transientFailure(reply.code())) {
                retryLater = true; // throttled, or a server failure: on a new connection, after the backoff
            } else if (!loggedIn) {
                credentials = null; // (a LOGIN while logged in, refused, leaves the session as it was)
            }
            if (retryLater) {
                closeQuietly(channel);
            } else {
                ready = true;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (reply.ok()) {
            for (History.Entry e : resend) {
                send(outgoing(e.to(), e.clientId(), e.text()), true);
            }
            listener.loggedIn(account(), p.automatic() && waiting == null);
        } else if (p.automatic() && waiting == null && !retryLater) {
            listener.loginLost(reply);
        }
        if (waiting != null) {
            waiting.complete(reply);
        }
    }

    private static boolean transientFailure(ErrorCode code) {
        return code == ErrorCode.THROTTLED || code == ErrorCode.INTERNAL || code == ErrorCode.BUSY;
    }

    /** The reply to my MSG or GROUP with this client id. */
    private void onMessageReply(String clientId, Reply reply, Pending p) {
        History h = history();
        if (h == null) {
            return;
        }
        if (reply.ok()) {
            try {
                h.markSent(clientId, Long.parseLong(reply.field(2)), Long.parseLong(reply.field(3)));
            } catch (NumberFormatException e) {
                // a malformed reply: the message stays pending and goes again
            }
            return;
        }
        ErrorCode code = reply.code();
        if (code == ErrorCode.INTERNAL || code == ErrorCode.NOT_LOGGED_IN) {
            return; // stays pending: sent again after the next login
        }
        h.markFailed(clientId);
        if (p.automatic()) {
            listener.sendFailed(h.byClientId(clientId), reply);
        }
    }

    private void onPush(Line line, List<Line> items) {
        switch (line.command()) {
            case "MSG" -> onMessage(line);
            case "GROUP" -> onGroupMessage(line);
            case "GROUP_RENAMED" -> {
                History h = history();
                if (h != null && line.size() == 3) {
                    try {
                        h.renameGroup(line.field(1), line.field(2));
                    } catch (History.HistoryException e) {
                        // the old name's messages stay under it; the notice still matters
                    }
                }
                listener.push(line, items);
            }
            case "BYE" -> {
                if (line.size() > 1 && line.field(1).equals("replaced")) {
                    lock.lock();
                    try {
                        credentials = null; // logging in again would throw the other session out
                        loggedIn = false;
                    } finally {
                        lock.unlock();
                    }
                }
                listener.push(line, items);
            }
            default -> listener.push(line, items);
        }
    }

    /** {@code MSG:id:time:from:text}: stored, then acknowledged; shown only when new. */
    private void onMessage(Line line) {
        if (line.size() == 5) {
            deliver(line.field(1), line.field(2), line.field(3), null, line.field(4));
        }
    }

    /**
     * {@code GROUP:id:time:group:from:text}: as a private message, with {@code #group} as the
     * conversation; a lobby line (id 0) is only shown: the server neither stores it nor takes an
     * ACK of id 0.
     */
    private void onGroupMessage(Line line) {
        if (line.size() != 6) {
            return;
        }
        String group = "#" + line.field(3);
        if (line.field(1).equals("0")) {
            long time;
            try {
                time = Long.parseLong(line.field(2));
            } catch (NumberFormatException e) {
                time = System.currentTimeMillis();
            }
            listener.message(new History.Entry(0, time, line.field(4), group, line.field(5), null, History.State.RECEIVED));
            return;
        }
        deliver(line.field(1), line.field(2), line.field(4), group, line.field(5));
    }

    /** Stores a pushed message ({@code group} null: to me), acknowledges it, shows it when new. */
    private void deliver(String idField, String timeField, String from, String group, String text) {
        History h;
        String me;
        lock.lock();
        try {
            h = history;
            me = account;
        } finally {
            lock.unlock();
        }
        if (h == null) {
            return;
        }
        long id;
        long time;
        try {
            id = Long.parseLong(idField);
            time = Long.parseLong(timeField);
        } catch (NumberFormatException e) {
            return;
        }
        String to = group != null ? group : me;
        boolean fresh = h.addDelivered(id, time, from, to, text);
        SocketChannel c = locked(() -> channel);
        try {
            write(c, new Request.Ack(id).toLine(null));
        } catch (IOException e) {
            closeQuietly(c); // not acknowledged: it comes again after the next login
        }
        if (fresh) {
            listener.message(new History.Entry(id, time, from, to, text, null, History.State.RECEIVED));
        }
    }

    // ---------------------------------------------------------------- small things

    private boolean isClosed() {
        return locked(() -> closed);
    }

    /** Waits {@code millis} unless closed meanwhile; whether to go on. */
    private boolean sleep(long millis) {
        long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
        lock.lock();
        try {
            while (!closed && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
            return !closed;
        } catch (InterruptedException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** What {@code read} gives under {@link #lock}, which guards the fields it reads. */
    private <T> T locked(Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    private void closeHistory() {
        if (history != null) {
            history.close();
            history = null;
        }
    }

    private static void closeQuietly(SocketChannel c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            // closed is what we wanted
        }
    }
}
