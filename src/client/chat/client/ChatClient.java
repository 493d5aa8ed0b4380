package chat.client;

import chat.client.HistoryEntry.DeliveryState;
import chat.common.proto.ChatMessage;
import chat.common.proto.Conversation;
import chat.common.proto.FileOffer;
import chat.common.proto.ErrorCode;
import chat.common.proto.Item;
import chat.common.proto.Line;
import chat.common.proto.Replies;
import chat.common.proto.Request;
import chat.common.text.Names;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The chat client library: one connection to a server that stays up by itself, an account's
 * session on it, and the account's local history. Every client uses it (the terminal client, a
 * desktop client); see docs/ARCHITECTURE.md, "Client library".
 *
 * <p>Every call returns at once with a {@link CompletableFuture}; the futures complete, and the
 * {@link ChatEvent}s are delivered, on the {@link Executor} given to {@link #create}, in the order
 * things happened ({@code Runnable::run} or a single thread for a terminal,
 * {@code SwingUtilities::invokeLater} for Swing). Calls may come from any thread, the Swing event
 * thread included: their work (the local history, the socket) runs on the client's own thread,
 * one call after another in the order they came, so that two messages go in the order they were
 * sent. Never wait for a future ({@code join}, {@code get}) on that executor's thread: its
 * completion is queued behind you. {@link #localHistory} alone reads the disk on the caller's
 * thread.
 *
 * <p>What the library does by itself: reconnect with backoff; log in again with RESUME and the
 * saved token (the password only when there is none, or it was refused); store every message and
 * event before acknowledging it; tell each once; send again, by client id, what was typed while
 * offline; ping when quiet.
 *
 * <p>Conversations are {@link Conversation}s: {@code bob}, {@code #team} or {@code !42}. A group
 * named by name is looked up in the local group directory (kept from CONTACTS, GROUPS and group
 * pushes; asked of the server when unknown) and addressed by its id, so that a rename changes
 * nothing.
 *
 * <p>Failures: {@link RefusedException} when the server says no (its {@link ErrorCode}),
 * {@link NotConnectedException} when there is no connection, or it went before the reply.
 */
public final class ChatClient implements AutoCloseable {

    /** The protocol version this library speaks (HELLO). */
    public static final String PROTOCOL_VERSION = "1.4";

    /**
     * Where and how to connect. {@code servers}: one server, or the nodes of one cluster (they
     * share one database), tried in turn: the client connects to the first that answers, and when
     * an attempt fails or the connection goes it moves on to the next ({@link Transport}), logs in
     * again with its token and sends again what the server had not confirmed, as after any
     * reconnect. {@code dataDir} holds the local histories, device names and tokens, per cluster
     * and account: a cluster is named by its list's first server ({@link #server}), so keep that
     * one first. {@code clientName} goes in HELLO ({@code chat-term/1.1}); {@code devicePrefix}
     * starts the device names this installation makes ({@code term}). {@code tls}: null for plain
     * text; else TLS, with the system's trust store first and {@code tls} asked about a
     * certificate it does not vouch for (trust on first use, remembered per server in
     * {@code dataDir/known_hosts}; see {@link HostTrust}).
     */
    public record Config(List<ServerAddress> servers, Path dataDir, String clientName, String devicePrefix,
            Timings timings, HostTrust tls) {
        /** One server, plain text. */
        public Config(String host, int port, Path dataDir, String clientName, String devicePrefix, Timings timings) {
            this(List.of(new ServerAddress(host, port)), dataDir, clientName, devicePrefix, timings, null);
        }

        /** The servers of a cluster ({@link ServerAddress#list}), plain text. */
        public Config(List<ServerAddress> servers, Path dataDir, String clientName, String devicePrefix,
                Timings timings) {
            this(servers, dataDir, clientName, devicePrefix, timings, null);
        }

        /** The same over TLS, {@code trust} deciding about certificates the system does not vouch for. */
        public Config withTls(HostTrust trust) {
            return new Config(servers, dataDir, clientName, devicePrefix, timings, Objects.requireNonNull(trust));
        }

        public Config {
            Objects.requireNonNull(servers, "servers");
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(timings, "timings");
            if (servers.isEmpty()) {
                throw new IllegalArgumentException("no server to connect to");
            }
            servers = List.copyOf(servers);
            if (!Request.validDevice(devicePrefix + "-000000")) {
                throw new IllegalArgumentException("devicePrefix must be letters, digits, '-', '_' or '.': " + devicePrefix);
            }
        }

        /** The first server's host. */
        public String host() {
            return servers.get(0).host();
        }

        /** The first server's port. */
        public int port() {
            return servers.get(0).port();
        }

        /**
         * The name of this server, or cluster, in the data directory: {@code host_port} of the
         * first server, so that a server that gains a second node keeps its histories and tokens.
         */
        String server() {
            return host() + "_" + port();
        }
    }

    private final Config config;
    /** Null: plain text. */
    private final Tls tls;
    private final Transport transport;
    private final Requests requests;
    private final Events events;
    private final Session session;
    private final Outbox outbox;
    private final Profiles profiles;
    private final Delivery delivery;
    private final CompletableFuture<Void> firstConnection = new CompletableFuture<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final Friends friends;
    private final Admin admin;
    private final Groups groups;
    private final Transfers transfers;
    private final Direct direct;
    /** The server of the last connection up (reader thread): a new one is told ({@link ChatEvent.ServerChanged}). */
    private ServerAddress onServer;
    /** The thread calls run on: see {@link #work}. */
    private final ExecutorService calls = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "chat-calls");
        t.setDaemon(true);
        return t;
    });

    private ChatClient(Config config, Executor executor, Consumer<ChatEvent> listener) {
        this.events = new Events(executor, listener);
        this.config = config;
        this.tls = config.tls() == null ? null : new Tls(config.servers(), new KnownHosts(config.dataDir()),
                config.tls(), changed -> events.emit(new ChatEvent.CertificateChanged(changed.server, changed.known,
                        changed.presented, changed.file)));
        this.transport = new Transport(config.servers(), config.timings(), tls, new Transport.Handler() {
            @Override
            public void opened(long generation, ServerAddress server) {
                ServerAddress before = onServer;
                onServer = server;
                if (!server.equals(before)) {
                    events.emit(new ChatEvent.ServerChanged(server, before));
                }
                session.opened(generation);
                firstConnection.complete(null);
            }

            @Override
            public void line(Line line) {
                if (!requests.accept(line)) {
                    delivery.push(line);
                }
            }

            @Override
            public void closed(long generation, String reason) {
                requests.closed(generation);
                session.closed(generation, reason);
            }

            @Override
            public void unreachable(String reason) {
                session.unreachable(reason);
            }
        });
        this.requests = new Requests(transport);
        var profiles = new Profiles(config.dataDir(), config.server(), config.devicePrefix());
        this.outbox = new Outbox(requests, events);
        this.profiles = profiles;
        this.session = new Session(requests, profiles, events, config.clientName(), this::afterLogin);
        outbox.attach(session);
        this.transfers = new Transfers(transport::server, config.timings(), tls, requests, session, events);
        this.direct = new Direct(transfers, events, transport::localAddress);
        this.delivery = new Delivery(requests, session, events, transfers);
        this.friends = new Friends(this);
        this.admin = new Admin(this);
        this.groups = new Groups(this);
    }

    /** A client, not connected yet: {@link #connect} starts it. */
    public static ChatClient create(Config config, Executor executor, Consumer<ChatEvent> listener) {
        return new ChatClient(config, executor, listener);
    }

    // ---------------------------------------------------------------- the connection

    /**
     * Starts connecting (and keeps connecting, with backoff, until {@link #close}); completes when
     * the first connection is up.
     */
    public CompletableFuture<Void> connect() {
        if (started.compareAndSet(false, true)) {
            events.emit(new ChatEvent.ConnectionChanged(ChatEvent.ConnectionState.CONNECTING, ""));
            transport.start();
        }
        return events.relay(firstConnection);
    }

    /**
     * With TLS, connects once to each server of the list and does the handshake on the caller's
     * thread, so that a {@link HostTrust} question about a new certificate is asked there (a
     * terminal asks before it starts reading commands), then closes; returns at once for plain
     * text. Throws what the attempts met: a refused certificate ({@link CertificateChangedException}
     * among the causes when it changed), whichever server it was, else, when no server answered,
     * the first server's failure. A server down now is asked about when the client first moves to
     * it, and its certificate refused there if the {@link HostTrust} cannot ask then.
     */
    public void verifyServer() throws IOException {
        if (tls == null) {
            return;
        }
        IOException first = null;
        boolean answered = false;
        for (ServerAddress s : config.servers()) {
            try {
                tls.connect(s, config.timings().connectTimeout()).close();
                answered = true;
            } catch (IOException e) {
                if (isCertificate(e)) {
                    throw e;
                }
                first = first == null ? e : first;
            }
        }
        if (!answered) {
            throw first;
        }
    }

    private static boolean isCertificate(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.security.cert.CertificateException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The server the connection is on now, or was on last; before the first connection, the first
     * of the list. {@link ChatEvent.ServerChanged} tells when it changes.
     */
    public ServerAddress server() {
        return transport.server();
    }

    /** The servers this client connects to, in the order it tries them. */
    public List<ServerAddress> servers() {
        return config.servers();
    }

    /** Whether this client speaks TLS to its server. */
    public boolean usesTls() {
        return tls != null;
    }

    /** Completes when the connection is online: up, and logged in when an account is wanted. */
    public CompletableFuture<Void> whenOnline() {
        return events.relay(session.whenOnline());
    }

    /** What the server said to HELLO on this connection (or says on the next): its version and capabilities. */
    public CompletableFuture<Replies.HelloOk> hello() {
        return events.relay(session.hello());
    }

    // ---------------------------------------------------------------- the account

    /** Creates an account; the name as the server spells it. */
    public CompletableFuture<String> register(String name, String password) {
        return call(new Request.Register(name, password), a -> a.as(Replies.RegisterOk.class).name());
    }

    /**
     * Whether REGISTER would take {@code name}, asked before the password (CHECK_NAME, no login
     * needed): {@link NameCheck#FREE} or {@link NameCheck#TAKEN} (in any spelling: {@code Bob} is
     * {@code bob}), {@link NameCheck#UNKNOWN} from a server that does not offer it (HELLO's caps;
     * its REGISTER's {@code name-taken} tells then). A name REGISTER would refuse fails with
     * {@code bad-name} and the server's reason. While the connection is down the question waits for it.
     */
    public CompletableFuture<NameCheck> checkName(String name) {
        return work(() -> session.hello().thenComposeAsync(hello -> !hello.has(Replies.HelloOk.CHECK_NAME)
                ? CompletableFuture.completedFuture(NameCheck.UNKNOWN)
                : requests.send(session.current().generation(), new Request.CheckName(name))
                        .thenApply(a -> a.as(Replies.CheckNameOk.class).taken() ? NameCheck.TAKEN : NameCheck.FREE),
                calls));
    }

    /**
     * Logs in with a password on this installation's device for {@code name}, and keeps the
     * token the server gives, so that later connections (and later runs) log in with RESUME.
     * While the connection is down the login waits for it.
     */
    public CompletableFuture<Account> login(String name, String password) {
        return work(() -> session.login(name, password));
    }

    /** Logs in with the session saved here last (no password); {@code auth-failed} when none is saved or it is refused. */
    public CompletableFuture<Account> resume() {
        return work(() -> session.resume(null));
    }

    /** Logs in as {@code name} with its saved session. */
    public CompletableFuture<Account> resume(String name) {
        return work(() -> session.resume(name));
    }

    /** The account whose session is saved here, to be resumed without a password. */
    public Optional<String> savedAccount() {
        return session.savedAccount();
    }

    /** Whether a session of {@code name} is saved here, to be resumed without a password. */
    public boolean hasSavedSession(String name) {
        return session.hasSavedSession(name);
    }

    /**
     * Logs out: the server revokes the token, and it is forgotten here (when offline, only here).
     * Every file transfer stops, as at {@link #close}; an unfinished upload stays recorded for
     * this account and goes on at its next login (never as another account's).
     */
    public CompletableFuture<Void> logout() {
        return work(() -> {
            transfers.loggedOut();
            return session.logout();
        });
    }

    /** Changes the password; my other devices are signed out by the server. */
    public CompletableFuture<Void> passwd(String oldPassword, String newPassword) {
        return work(() -> session.passwd(oldPassword, newPassword));
    }

    /** The account logged in (or logging in again after a reconnect), with this device's name. */
    public Optional<Account> account() {
        return session.account();
    }

    /** Whether the server has this connection logged in now. */
    public boolean isLoggedIn() {
        return session.isLoggedIn();
    }

    /** My friends, groups and pending friend requests; the groups' ids are remembered here. */
    public CompletableFuture<Contacts> contacts() {
        return call(new Request.Contacts(), a -> {
            var c = new Contacts(a.items(Item.Friend.class), a.items(Item.GroupInfo.class), a.items(Item.Pending.class));
            bindGroups(c.groups());
            return c;
        });
    }

    public Friends friends() {
        return friends;
    }

    public Groups groups() {
        return groups;
    }

    /** The server's administration, for an admin account (protocol 1.4). */
    public Admin admin() {
        return admin;
    }

    // ---------------------------------------------------------------- messages

    /**
     * Sends {@code text} to a friend or a group. The entry is stored here before it goes; the
     * future gives it once the server stored it ({@code SENT}), or at once, {@code PENDING}, when
     * offline: it goes by itself after the next login ({@link ChatEvent.MessageStateChanged} tells
     * when). A refusal fails the future with {@link RefusedException} and leaves the entry
     * {@code FAILED}. The lobby stores nothing: offline, it fails with {@link NotConnectedException}.
     */
    public CompletableFuture<HistoryEntry> send(Conversation to, String text) {
        if (to.isLobby()) {
            return work(() -> outbox.send(to, Conversation.LOBBY_NAME, text));
        }
        return work(() -> resolve(to).thenCompose(c -> outbox.send(c,
                c instanceof Conversation.GroupId g ? groupName(g.id(), to) : null, text)));
    }

    /**
     * The newest {@code n} messages of a conversation, oldest first: when logged in, the server's
     * pages are merged into the local history first (messages from my other devices, or said in a
     * group before this device knew it); offline, the local history alone. A friend who does not
     * exist fails with {@code no-such-user}; a group I am no longer in shows what was kept here,
     * with the server's refusal in the page.
     */
    public CompletableFuture<HistoryPage> history(Conversation c, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be positive: " + n);
        }
        return work(() -> historyNow(c, n));
    }

    private CompletableFuture<HistoryPage> historyNow(Conversation c, int n) {
        if (c.isLobby()) {
            return CompletableFuture.completedFuture(new HistoryPage(List.of(), false, null));
        }
        return resolve(c).thenCompose(resolved -> {
            History h = session.history();
            if (h == null) {
                return CompletableFuture.failedFuture(new RefusedException(ErrorCode.NOT_LOGGED_IN, "log in first"));
            }
            if (!session.isLoggedIn()) {
                return CompletableFuture.completedFuture(new HistoryPage(local(h, resolved, n), false, null));
            }
            return fetch(h, resolved, 0, n).handle((fetched, failed) -> {
                Throwable why = failed == null ? null : Events.unwrap(failed);
                if (why instanceof RefusedException r && r.code() == ErrorCode.NO_SUCH_USER) {
                    throw new java.util.concurrent.CompletionException(r);
                }
                RefusedException refusal = why instanceof RefusedException r ? r : null;
                return new HistoryPage(local(h, resolved, n), why == null, refusal);
            });
        });
    }

    /** The local history alone: the newest {@code n} messages of {@code c}, oldest first (empty when not logged in). */
    public List<HistoryEntry> localHistory(Conversation c, int n) {
        History h = session.history();
        return h == null ? List.of() : local(h, c, n);
    }

    private List<HistoryEntry> local(History h, Conversation c, int n) {
        return h.conversation(key(h, c), n);
    }

    /** Pages of up to {@link Request#MAX_PAGE} from the server, newest first, until {@code n} or the start. */
    private CompletableFuture<Void> fetch(History h, Conversation c, long before, int n) {
        int limit = Math.min(n, Request.MAX_PAGE);
        return requests.send(session.current().generation(), new Request.History(c.format(), before, limit))
                .thenCompose(a -> {
                    List<Item.Hist> texts = a.items(Item.Hist.class);
                    List<Item.HistFile> files = a.items(Item.HistFile.class);
                    int count = texts.size() + files.size();
                    long oldest = Long.MAX_VALUE;
                    for (Item.Hist item : texts) {
                        keep(h, item);
                        oldest = Math.min(oldest, item.message().id());
                    }
                    for (Item.HistFile item : files) {
                        keep(h, item);
                        oldest = Math.min(oldest, item.offer().id());
                    }
                    if (count < limit || n - count <= 0) {
                        return CompletableFuture.completedFuture(null);
                    }
                    return fetch(h, c, oldest, n - count);
                });
    }

    private static void keep(History h, Item.Hist item) {
        if (item.message().isGroup()) {
            h.nameGroup(item.message().groupId(), item.message().groupName());
        }
        h.addDelivered(item.message());
    }

    private static void keep(History h, Item.HistFile item) {
        if (item.offer().isGroup()) {
            h.nameGroup(item.offer().groupId(), item.offer().message().groupName());
        }
        h.addFile(item.offer());
    }

    /**
     * Texts containing {@code text}, newest first: the server's answer when logged in (kept in
     * the local history too), the local history's when not.
     */
    public CompletableFuture<SearchResult> search(String text, int limit) {
        return work(() -> searchNow(text, limit));
    }

    private CompletableFuture<SearchResult> searchNow(String text, int limit) {
        History h = session.history();
        if (h == null) {
            return CompletableFuture.failedFuture(new RefusedException(ErrorCode.NOT_LOGGED_IN, "log in first"));
        }
        if (!session.isLoggedIn()) {
            return CompletableFuture.completedFuture(new SearchResult(h.search(text, limit), true));
        }
        Session.Current now = session.current();
        return requests.send(now.generation(), new Request.Search(text, Math.min(limit, Request.MAX_PAGE)))
                .thenApply(a -> {
                    List<HistoryEntry> entries = new ArrayList<>();
                    for (Item item : a.items(Item.class)) {
                        ChatMessage m;
                        FileOffer file = null;
                        if (item instanceof Item.Hist hist) {
                            keep(h, hist);
                            m = hist.message();
                        } else if (item instanceof Item.HistFile f) {
                            keep(h, f);
                            file = f.offer();
                            m = file.message();
                        } else {
                            continue;
                        }
                        boolean mine = Names.key(m.from()).equals(Names.key(now.account()));
                        entries.add(new HistoryEntry(m, mine ? DeliveryState.SENT : DeliveryState.RECEIVED, file));
                    }
                    return new SearchResult(entries, false);
                });
    }

    /**
     * Marks {@code c} read up to the newest message the local history has of it (what the user
     * was shown); the mark as the server has it now (it never moves backwards).
     */
    public CompletableFuture<Long> markRead(Conversation c) {
        return work(() -> resolve(c).thenCompose(resolved -> {
            History h = session.history();
            long upTo = h == null ? 0 : h.newestId(key(h, resolved));
            return read(resolved, upTo);
        }));
    }

    /** Marks {@code c} read up to message {@code upTo}. */
    public CompletableFuture<Long> markRead(Conversation c, long upTo) {
        return work(() -> resolve(c).thenCompose(resolved -> read(resolved, upTo)));
    }

    private CompletableFuture<Long> read(Conversation c, long upTo) {
        return requests.send(session.current().generation(), new Request.Read(c.format(), upTo))
                .thenApply(a -> a.as(Replies.ReadOk.class).upTo());
    }

    /** Unread counts per conversation, for those that have some. */
    public CompletableFuture<List<Item.UnreadCount>> unread() {
        return call(new Request.Unread(), a -> a.items(Item.UnreadCount.class));
    }

    // ---------------------------------------------------------------- files

    /**
     * Offers {@code file} to a friend or a group and uploads it, on a data connection of its own
     * (see docs/ARCHITECTURE.md, "File transfer"). The file is hashed first, off the caller's
     * thread; the future gives the transfer once the server has stored the offer (recipients are
     * told at once, or at their next login), and its {@link FileTransfer#done} once every byte is
     * there. A cut upload goes on by itself after a reconnect, and after a restart of this client
     * (at the next login). Refusals ({@code too-large}, {@code over-quota}, {@code not-friends} ...)
     * fail the future with {@link RefusedException} before any byte is sent.
     */
    public CompletableFuture<FileTransfer> sendFile(Conversation to, Path file, TransferListener listener) {
        if (to.isLobby()) {
            return CompletableFuture.failedFuture(new RefusedException(ErrorCode.BAD_REQUEST,
                    "the lobby is live only: files go to friends and groups"));
        }
        return work(() -> loggedIn().thenCompose(x -> resolve(to)).thenCompose(c -> transfers.send(c,
                c instanceof Conversation.GroupId g ? groupName(g.id(), to) : null, file, listener)));
    }

    /**
     * Downloads file {@code fileId} (offered to me, or sent by me) into {@code targetDir}: the
     * bytes go to {@code name.part} (a part left by an earlier try is resumed), the SHA-256 is
     * checked (a mismatch fails {@link FileTransfer#done} with {@link TransferException.Reason#HASH_MISMATCH}
     * and deletes the part), then the part becomes {@code name}, or {@code name (1).ext} when that
     * exists: nothing is ever overwritten. The name is cleaned of anything that is not a plain file name.
     */
    public CompletableFuture<FileTransfer> download(long fileId, Path targetDir, TransferListener listener) {
        return work(() -> loggedIn().thenCompose(x -> transfers.download(fileId, targetDir, listener)));
    }

    /** The offers to me and from me, newest first (at most 100), with their state on the server. */
    public CompletableFuture<List<FileInfo>> files() {
        return work(transfers::list);
    }

    /** Cancels an offer of mine: its upload stops, its bytes go, its recipients are told. */
    public CompletableFuture<Void> cancelFile(long fileId) {
        return work(() -> transfers.cancel(fileId));
    }

    /**
     * Sends {@code file} to {@code friend} directly, client to client (the article's
     * {@code FileTran}), when the friend's address is on my network; else, or when the friend is
     * offline, through the server as {@link #sendFile} does. {@link FileTransfer#isDirect} tells
     * which. A direct transfer's {@code done} completes when the friend has fetched every byte.
     * A friend who has not started fetching within {@link Timings#directFallback} gets it through
     * the server after all: {@link ChatEvent.DirectFellBack} tells, the transfer then speaks for
     * the upload ({@code isDirect} false), and {@code done} completes when the server has it.
     */
    public CompletableFuture<FileTransfer> sendDirect(String friend, Path file, TransferListener listener) {
        Conversation to = new Conversation.Direct(friend);
        return work(() -> loggedIn().thenCompose(x -> direct.send(friend, file, listener,
                () -> transfers.send(to, null, file, listener))));
    }

    /** {@link #sendDirect} without progress. */
    public CompletableFuture<FileTransfer> sendDirect(String friend, Path file) {
        return sendDirect(friend, file, TransferListener.NONE);
    }

    /**
     * Fetches a friend's direct offer into {@code targetDir}, connecting to the address it gave;
     * checked and saved as {@link #download} does.
     */
    public CompletableFuture<FileTransfer> acceptDirect(ChatEvent.PeerFileOffered offer, Path targetDir,
            TransferListener listener) {
        return events.relay(direct.accept(offer, targetDir, listener));
    }

    /** For tests: the next data connection to pass byte {@code at} of its file is cut there, as a network would. */
    void cutNextTransferAt(long at) {
        transfers.cutNextAt(at);
    }

    /** For tests: the cut not made yet, or -1. */
    long pendingCut() {
        return transfers.pendingCut();
    }

    private CompletableFuture<Void> loggedIn() {
        return session.current().account() == null
                ? CompletableFuture.failedFuture(new RefusedException(ErrorCode.NOT_LOGGED_IN, "log in first"))
                : CompletableFuture.completedFuture(null);
    }

    // ---------------------------------------------------------------- the rest

    /** Says QUIT, closes the connection and the local history, and stops every thread. */
    @Override
    public void close() {
        session.closing();
        transfers.close();
        calls.shutdown();
        transport.close(new Request.Quit().toLine("quit"));
        session.close();
        events.emit(new ChatEvent.ConnectionChanged(ChatEvent.ConnectionState.OFFLINE, "closed"));
    }

    /**
     * Runs {@code step} on the client's own thread (one, so that calls keep their order: two
     * messages go in the order they were sent), and relays its outcome to the caller's executor.
     * The caller's thread (Swing's, say) then does no disk or socket work at all.
     */
    private <T> CompletableFuture<T> work(Supplier<CompletableFuture<T>> step) {
        try {
            return events.relay(CompletableFuture.supplyAsync(step, calls).thenCompose(f -> f));
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new NotConnectedException("the client is closed"));
        }
    }

    /** Sends {@code r} on the current connection; {@code result} reads the answer. */
    <T> CompletableFuture<T> call(Request r, java.util.function.Function<Requests.Answer, T> result) {
        return work(() -> requests.send(session.current().generation(), r).thenApply(result));
    }

    /** Remembers the ids and names of {@code list}. */
    void bindGroups(List<Item.GroupInfo> list) {
        History h = session.history();
        if (h != null) {
            for (Item.GroupInfo g : list) {
                h.bindGroup(g.id(), g.name());
            }
        }
    }

    /**
     * After every login, before it is told: an account that joined the lobby from here enters it
     * again, then what is still pending goes out. The server keeps the lobby's members in memory
     * only (its traffic is live, like the legacy clients it serves), so an account left it when its
     * last device went or the server restarted; the client keeps the membership instead, as it
     * keeps the history. An answer of already-member (another device was first) is fine.
     */
    private void afterLogin(long generation) {
        delivery.loggedIn(generation);
        Session.Current now = session.current();
        if (now.account() != null && profiles.inLobby(now.account())) {
            requests.send(generation, new Request.Join(Conversation.LOBBY_NAME));
        }
        outbox.resend(generation);
        transfers.resumePending();
    }

    /** Remembers that I joined or left the lobby ({@code group} names it), so that later logins agree. */
    void lobby(String group, boolean in) {
        Session.Current now = session.current();
        if (now.account() != null && isLobby(group)) {
            profiles.inLobby(now.account(), in);
        }
    }

    private static boolean isLobby(String group) {
        try {
            return Conversation.group(group).isLobby();
        } catch (RuntimeException notAGroup) {
            return false;
        }
    }

    /** A group's new name, after a rename of mine (the server tells only my other devices). */
    void renamed(String group, String newName) {
        withLocalGroup(group, (h, id) -> h.bindGroup(id, newName));
    }

    /** I left group {@code group} (or disbanded it) from this device: its name no longer leads to it here. */
    void left(String group) {
        withLocalGroup(group, History::leftGroup);
    }

    /** Runs {@code action} with the local history and the id of {@code group} (`team`, `#team` or `!42`), when known. */
    private void withLocalGroup(String group, java.util.function.ObjLongConsumer<History> action) {
        History h = session.history();
        if (h == null) {
            return;
        }
        Conversation c = Conversation.group(group);
        OptionalLong id = c instanceof Conversation.GroupId g ? OptionalLong.of(g.id())
                : h.groupId(((Conversation.GroupName) c).name());
        id.ifPresent(i -> action.accept(h, i));
    }

    /**
     * {@code c} with a group named by name turned into its id: from the local directory, else
     * from GROUPS (when logged in); a group neither knows stays named by name, for the server to
     * answer (it says why not).
     */
    private CompletableFuture<Conversation> resolve(Conversation c) {
        if (!(c instanceof Conversation.GroupName g) || c.isLobby()) {
            return CompletableFuture.completedFuture(c);
        }
        History h = session.history();
        if (h == null) {
            return CompletableFuture.failedFuture(new RefusedException(ErrorCode.NOT_LOGGED_IN, "log in first"));
        }
        OptionalLong known = h.groupId(g.name());
        if (known.isPresent()) {
            return CompletableFuture.completedFuture(Conversation.of(known.getAsLong()));
        }
        if (!session.isLoggedIn()) {
            return CompletableFuture.completedFuture(c);
        }
        return requests.send(session.current().generation(), new Request.Groups()).thenApply(a -> {
            bindGroups(a.items(Item.GroupInfo.class));
            OptionalLong id = h.groupId(g.name());
            return id.isPresent() ? Conversation.of(id.getAsLong()) : c;
        });
    }

    /** The local key of {@code c}. */
    private static String key(History h, Conversation c) {
        if (c instanceof Conversation.GroupId g) {
            return History.groupKey(g.id());
        }
        if (c instanceof Conversation.GroupName g) {
            OptionalLong id = h.groupId(g.name(), false);
            return id.isPresent() ? History.groupKey(id.getAsLong()) : "#" + Names.key(g.name());
        }
        return History.personKey(((Conversation.Direct) c).name());
    }

    /** The name to store with a message to group {@code id}: as last seen, or as the user typed it. */
    private String groupName(long id, Conversation typed) {
        History h = session.history();
        String known = h == null ? null : h.groupName(id);
        if (known != null) {
            return known;
        }
        return typed instanceof Conversation.GroupName g ? g.name() : "!" + id;
    }
}
