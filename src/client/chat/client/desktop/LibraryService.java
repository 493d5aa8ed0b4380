package chat.client.desktop;

import chat.client.ChatClient;
import chat.client.FileOfferEntry;
import chat.client.FileTransfer;
import chat.client.HostTrust;
import chat.client.HistoryEntry;
import chat.client.NotConnectedException;
import chat.client.RefusedException;
import chat.client.ServerAddress;
import chat.client.Timings;
import chat.client.TransferException;
import chat.client.TransferListener;
import chat.client.desktop.model.ChatEvent;
import chat.client.desktop.model.ChatFailure;
import chat.client.desktop.model.ChatMessage;
import chat.client.desktop.model.ChatService;
import chat.client.desktop.model.ChatModel;
import chat.client.desktop.model.ConnectionState;
import chat.client.desktop.model.Conversation;
import chat.client.desktop.model.FileRef;
import chat.client.desktop.model.FileStatus;
import chat.client.desktop.model.Found;
import chat.client.desktop.model.FriendRequest;
import chat.client.desktop.model.Invitation;
import chat.client.desktop.model.Member;
import chat.common.proto.ErrorCode;
import chat.common.proto.Item;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The windows' {@link ChatService} on the client library ({@link ChatClient}): one client per
 * server, its events translated into the view model's and delivered on the EDT (the library's
 * executor), its refusals turned into messages in the user's language. The library keeps the
 * session token and the local history in {@code dataDir}; it reconnects and catches up by itself.
 */
public final class LibraryService implements ChatService {

    /** How long the login window waits for a server that does not answer before saying so. */
    static final Duration REACH = Duration.ofSeconds(10);

    private final Path dataDir;
    private final Timings timings;
    /** Asks about a server certificate the system does not trust: a dialog, or a test's answer. */
    private HostTrust trust = CertificateDialogs::trustFirstSight;
    private Executor executor = Runnable::run;
    private Consumer<ChatEvent> events = e -> {};
    private volatile ChatClient client;
    private volatile Server server;
    private volatile boolean started;
    /** My messages that went out while offline, by the library's client id: completed when stored. */
    private final Map<String, CompletableFuture<HistoryEntry>> waiting = new ConcurrentHashMap<>();
    /** How many of each conversation's newest messages the windows have asked for so far. */
    private final Map<String, Integer> served = new ConcurrentHashMap<>();
    /**
     * Friends' direct offers, by the negative id the windows know them by: Save fetches them with
     * {@link ChatClient#acceptDirect}. Kept for the run (they are small); a stale one fails to
     * connect and says so.
     */
    private final Map<Long, chat.client.ChatEvent.PeerFileOffered> peers = new ConcurrentHashMap<>();
    private final AtomicLong peerIds = new AtomicLong();
    /** Downloads running here, by file id: {@link #stopDownload} cancels them. */
    private final Map<Long, FileTransfer> downloads = new ConcurrentHashMap<>();
    /** Reads of the local store, which the windows must not wait for on the EDT. */
    private final java.util.concurrent.ExecutorService io = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "desktop-store");
        t.setDaemon(true);
        return t;
    });

    private final Duration reach;

    public LibraryService(Path dataDir, Timings timings) {
        this(dataDir, timings, REACH);
    }

    /** @param reach how long a first connection may take before the login window says it failed */
    public LibraryService(Path dataDir, Timings timings, Duration reach) {
        this.dataDir = dataDir;
        this.timings = timings;
        this.reach = reach;
    }

    /** Who decides about a certificate the system does not trust, instead of the dialog (tests). */
    LibraryService trusting(HostTrust decides) {
        this.trust = decides;
        return this;
    }

    /** The library client in use (for tests that look at its local store). */
    public ChatClient client() {
        return client;
    }

    @Override
    public void listen(Executor ex, Consumer<ChatEvent> ev) {
        executor = ex;
        events = ev;
    }

    private synchronized ChatClient clientFor(Server s) {
        if (client != null && s.equals(server)) {
            return client;
        }
        if (client != null) {
            client.close();
        }
        server = s;
        started = false;
        var config = new ChatClient.Config(addresses(s), dataDir, "chat-desktop/" + ChatClient.PROTOCOL_VERSION, "desk",
                timings);
        client = ChatClient.create(s.tls() ? config.withTls(trust) : config, executor, this::translate);
        return client;
    }

    /**
     * The servers of {@code s}: its host field may list a cluster's, {@code host:port,host:port},
     * an entry without a port taking the port field's. The login window checks the field first.
     */
    static List<ServerAddress> addresses(Server s) {
        return ServerAddress.list(s.host(), s.port());
    }

    /** {@code s} as people read it: {@code host port} for one server, the list for several. */
    private static String[] named(Server s) {
        List<ServerAddress> list = addresses(s);
        return list.size() == 1 ? new String[] {list.get(0).host(), Integer.toString(list.get(0).port())}
                : new String[] {ServerAddress.format(list)};
    }

    /**
     * Connects once per client; fails when the server cannot be reached in time. With TLS the
     * certificate is settled first, without that time limit (the user may be reading its
     * fingerprint in the dialog), and a refused one fails with its own words.
     */
    private CompletableFuture<ChatClient> connected(Server s) {
        ChatClient c = clientFor(s);
        synchronized (this) {
            if (started) {
                return CompletableFuture.completedFuture(c);
            }
            started = true;
        }
        CompletableFuture<Void> trusted = s.tls() ? CompletableFuture.runAsync(() -> settleCertificate(c, s), io)
                : CompletableFuture.completedFuture(null);
        return trusted.thenCompose(v -> c.connect().orTimeout(reach.toMillis(), TimeUnit.MILLISECONDS)).handle((v, error) -> {
            if (error == null) {
                return c;
            }
            synchronized (this) {
                started = false;
                if (client == c) {
                    client = null;
                    server = null;
                }
            }
            c.close();
            if (ChatFailure.of(error).code().equals(CERTIFICATE_REFUSED)) {
                throw new CompletionException(ChatFailure.of(error));
            }
            String[] named = named(s);
            throw new CompletionException(new ChatFailure("unreachable", named.length == 1
                    ? Text.get("error.code.unreachableList", named[0])
                    : Text.get("error.code.unreachable", named[0], named[1])));
        });
    }

    /** The code of a sign-in that failed on the server's certificate (no protocol code: a local one). */
    static final String CERTIFICATE_REFUSED = "certificate-refused";

    /** One handshake, the HostTrust dialog included; a refused certificate fails the sign-in. */
    private static void settleCertificate(ChatClient c, Server s) {
        try {
            c.verifyServer();
        } catch (java.io.IOException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.security.cert.CertificateException) {
                    String server = t instanceof chat.client.CertificateChangedException changed ? changed.server
                            : String.join(":", named(s));
                    throw new ChatFailure(CERTIFICATE_REFUSED, Text.get("tls.notTrusted", server));
                }
            }
            // not reached: the connection's own attempts say so, within the time limit
        }
    }

    @Override
    public CompletableFuture<String> login(Server s, String account, String password) {
        return failures(connected(s).thenCompose(c -> c.login(account, password))
                .thenApply(a -> {
                    refreshContacts();
                    return a.name();
                }));
    }

    @Override
    public CompletableFuture<Void> register(Server s, String account, String password) {
        return failures(connected(s).thenCompose(c -> c.register(account, password)).thenApply(n -> null));
    }

    @Override
    public CompletableFuture<String> resume(Server s, String account) {
        return failures(connected(s).thenCompose(c -> c.resume(account)).thenApply(a -> {
            refreshContacts();
            return a.name();
        }));
    }

    @Override
    public boolean canResume(Server s, String account) {
        return clientFor(s).hasSavedSession(account);
    }

    @Override
    public CompletableFuture<Void> logout() {
        ChatClient c = client;
        return c == null ? CompletableFuture.completedFuture(null) : failures(c.logout());
    }

    private ChatClient live() {
        ChatClient c = client;
        if (c == null) {
            throw new ChatFailure("not-logged-in", Text.get("error.code.not-logged-in"));
        }
        return c;
    }

    /** Asks for the contact list again and hands it to the windows. */
    private void refreshContacts() {
        ChatClient c = client;
        if (c == null || !c.isLoggedIn()) {
            return;
        }
        c.contacts().thenAccept(contacts -> {
            List<Conversation> list = new ArrayList<>();
            for (Item.Friend f : contacts.friends()) {
                list.add(Conversation.friend(f.name(), f.alias(), f.online(), (int) f.unread(), f.preview(), f.lastTime()));
            }
            for (Item.GroupInfo g : contacts.groups()) {
                list.add(Conversation.group(g.id(), g.name(), g.owner(), g.members(), (int) g.unread(), g.preview(),
                        g.lastTime()));
            }
            List<FriendRequest> pending = contacts.pending().stream()
                    .map(p -> new FriendRequest(p.name(), p.incoming(), p.time())).toList();
            events.accept(new ChatEvent.Contacts(list, pending));
        });
        c.groups().invitations().thenAccept(list -> events.accept(new ChatEvent.Invitations(list.stream()
                .map(i -> new Invitation("!" + i.groupId(), i.group(), i.by(), i.time())).toList())));
        // (a 1.3 server has no invitations to list: the call fails, and none are shown)
    }

    @Override
    public CompletableFuture<List<ChatMessage>> history(String key, long beforeId, int limit) {
        ChatClient c = live();
        chat.common.proto.Conversation conv = chat.common.proto.Conversation.parse(key);
        if (beforeId == 0) {
            served.put(key, limit);
            return newest(c, conv, key, limit);
        }
        // The library pages from the newest only: an older page is the newest (served + limit),
        // cut before beforeId. Counting what was served here keeps the local store off the EDT; one
        // page of slack covers messages that arrived since (they are newer, and take places).
        int want = beforeId == 0 ? limit : served.merge(key, limit, Integer::sum) + limit;
        return failures(c.history(conv, want).thenApply(page -> {
            List<ChatMessage> out = new ArrayList<>();
            for (HistoryEntry e : page.entries()) {
                if (beforeId == 0 || (e.id() > 0 && e.id() < beforeId)) {
                    out.add(message(e));
                }
            }
            return out.subList(Math.max(0, out.size() - limit), out.size());
        }));
    }

    /**
     * The newest page: from the local store at once (off the EDT) when it has a full page, and the
     * server's page, merged by the library, after it as a {@link ChatEvent.Backfill}; from the
     * server alone when the store has less (a new device), so that "older" stays right.
     */
    private CompletableFuture<List<ChatMessage>> newest(ChatClient c, chat.common.proto.Conversation conv, String key,
            int limit) {
        CompletableFuture<List<ChatMessage>> local = CompletableFuture.supplyAsync(
                () -> c.localHistory(conv, limit).stream().map(LibraryService::message).toList(), io);
        return failures(local.thenCompose(page -> {
            CompletableFuture<List<ChatMessage>> server = c.history(conv, limit)
                    .thenApply(p -> p.entries().stream().map(LibraryService::message).toList());
            if (page.size() < limit) {
                return server;
            }
            server.thenAccept(merged -> executor.execute(() -> events.accept(new ChatEvent.Backfill(key, merged))));
            return CompletableFuture.completedFuture(page);
        }));
    }

    @Override
    public CompletableFuture<ChatMessage> send(String key, ChatMessage pending) {
        ChatClient c = live();
        CompletableFuture<HistoryEntry> sent = c.send(chat.common.proto.Conversation.parse(key), pending.text())
                .thenCompose(entry -> {
                    if (entry.state() != HistoryEntry.DeliveryState.PENDING) {
                        return CompletableFuture.completedFuture(entry);
                    }
                    // Offline: it goes after the next login; MessageStateChanged tells when.
                    return waiting.computeIfAbsent(entry.message().clientId(), id -> new CompletableFuture<>());
                });
        return failures(sent.thenApply(entry -> {
            if (entry.state() == HistoryEntry.DeliveryState.FAILED) {
                throw new ChatFailure("refused", Text.get("conv.failed"));
            }
            return pending.stored(entry.id(), entry.time());
        }));
    }

    @Override
    public CompletableFuture<FileSent> sendFile(String key, ChatMessage pending, Path file) {
        ChatClient c = live();
        chat.common.proto.Conversation conv = chat.common.proto.Conversation.parse(key);
        AtomicLong fileId = new AtomicLong();
        TransferListener progress = (bytes, total, rate) -> {
            long id = fileId.get();
            if (id > 0) {
                events.accept(new ChatEvent.FileProgress(id, bytes, total, rate));
            }
        };
        return fileFailures(c.sendFile(conv, file, progress).thenApply(t -> {
            fileId.set(t.fileId());
            return new FileSent(pending.stored(t.messageId(), t.time(), t.fileId()), fileFailures(t.done()));
        }));
    }

    @Override
    public CompletableFuture<Path> download(long fileId, Path dir) {
        ChatClient c = live();
        TransferListener progress = (bytes, total, rate) -> events.accept(new ChatEvent.FileProgress(fileId, bytes,
                total, rate));
        CompletableFuture<Path> ready = CompletableFuture.runAsync(() -> {
            try {
                java.nio.file.Files.createDirectories(dir);
            } catch (java.io.IOException e) {
                throw new CompletionException(new ChatFailure("io", e.getMessage()));
            }
        }, io).thenCompose(v -> fetch(c, fileId, dir, progress)).thenCompose(t -> {
            downloads.put(fileId, t);
            return t.done();
        });
        ready.whenComplete((path, error) -> downloads.remove(fileId));
        return fileFailures(ready);
    }

    /** A file from the server, or a friend's direct offer (a negative id) from their client. */
    private CompletableFuture<FileTransfer> fetch(ChatClient c, long fileId, Path dir, TransferListener progress) {
        if (fileId > 0) {
            return c.download(fileId, dir, progress);
        }
        chat.client.ChatEvent.PeerFileOffered offer = peers.get(fileId);
        return offer == null ? CompletableFuture.failedFuture(new ChatFailure("no-such-file", Text.get("error.code.no-such-file")))
                : c.acceptDirect(offer, dir, progress);
    }

    @Override
    public void stopDownload(long fileId) {
        FileTransfer t = downloads.remove(fileId);
        if (t != null) {
            t.cancel();
        }
    }

    @Override
    public CompletableFuture<Void> cancelFile(long fileId) {
        return fileFailures(live().cancelFile(fileId));
    }

    @Override
    public CompletableFuture<Map<Long, FileStatus.State>> files() {
        ChatClient c = client;
        if (c == null || !c.isLoggedIn()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        return failures(c.files().thenApply(list -> {
            Map<Long, FileStatus.State> states = new java.util.HashMap<>();
            list.forEach(f -> states.put(f.fileId(), FileStatus.State.parse(f.state().name())));
            return states;
        }));
    }

    /**
     * A file's failures in the user's words: a refusal worded for files first ({@code bad-name}
     * is about the file's name here, not an account's), a transfer's reason.
     */
    private static <T> CompletableFuture<T> fileFailures(CompletableFuture<T> f) {
        return f.handle((v, error) -> {
            if (error == null) {
                return v;
            }
            Throwable t = error;
            while (t instanceof CompletionException && t.getCause() != null) {
                t = t.getCause();
            }
            if (t instanceof RefusedException r) {
                String key = "file.error." + r.code().wire();
                String text = Text.get(key);
                if (!text.equals(key)) {
                    throw new CompletionException(new ChatFailure(r.code().wire(), text));
                }
            }
            if (t instanceof TransferException x) {
                String key = "file.error." + x.reason().name();
                String text = Text.get(key);
                throw new CompletionException(new ChatFailure(x.reason().name(), text.equals(key) ? x.getMessage() : text));
            }
            throw new CompletionException(failure(error));
        });
    }

    @Override
    public CompletableFuture<Void> markRead(String key) {
        ChatClient c = client;
        if (c == null || !c.isLoggedIn()) {
            return CompletableFuture.completedFuture(null);
        }
        return c.markRead(chat.common.proto.Conversation.parse(key)).handle((v, e) -> null);
    }

    @Override
    public CompletableFuture<List<Found>> searchMessages(String text, int limit) {
        ChatClient c = live();
        String me = c.account().map(chat.client.Account::name).orElse("");
        return failures(c.search(text, limit).thenApply(result -> result.entries().stream()
                .map(e -> new Found(keyOf(e, e.from().equals(me)), message(e))).toList()));
    }

    @Override
    public CompletableFuture<List<String>> searchUsers(String text) {
        return failures(live().friends().find(text).thenApply(users -> users.stream().map(Item.User::name).toList()));
    }

    @Override
    public CompletableFuture<Void> requestFriend(String name) {
        return failures(live().friends().add(name).thenApply(b -> {
            refreshContacts();
            return null;
        }));
    }

    @Override
    public CompletableFuture<Void> answerFriend(String name, boolean accept) {
        var friends = live().friends();
        return refreshing(accept ? friends.accept(name) : friends.decline(name));
    }

    @Override
    public CompletableFuture<Void> setAlias(String name, String alias) {
        return refreshing(live().friends().alias(name, alias));
    }

    @Override
    public CompletableFuture<Void> removeFriend(String name) {
        return refreshing(live().friends().delete(name));
    }

    @Override
    public CompletableFuture<Void> block(String name) {
        return refreshing(live().friends().block(name));
    }

    @Override
    public CompletableFuture<Void> unblock(String name) {
        return refreshing(live().friends().unblock(name));
    }

    @Override
    public CompletableFuture<List<String>> blocked() {
        return failures(live().friends().blocks().thenApply(list -> list.stream().map(Item.Blocked::name).toList()));
    }

    @Override
    public CompletableFuture<Void> answerInvitation(String key, boolean accept) {
        var groups = live().groups();
        return refreshing(accept ? groups.join(key).<Void>thenApply(joined -> null) : groups.declineInvite(key));
    }

    @Override
    public CompletableFuture<String> createGroup(String name, boolean open) {
        ChatClient c = live();
        return failures(c.groups().create(name, open).thenCompose(created -> c.contacts().thenApply(contacts -> {
            refreshContacts();
            return contacts.groups().stream().filter(g -> g.name().equalsIgnoreCase(created)).findFirst()
                    .map(g -> "!" + g.id()).orElseThrow(() -> new ChatFailure("no-such-group", created));
        })));
    }

    @Override
    public CompletableFuture<Boolean> joinGroup(String name) {
        return failures(live().groups().join(name).thenApply(joined -> {
            refreshContacts();
            return joined;
        }));
    }

    @Override
    public CompletableFuture<Void> leaveGroup(String key) {
        return refreshing(live().groups().leave(key));
    }

    @Override
    public CompletableFuture<Void> invite(String key, String name) {
        return refreshing(live().groups().invite(key, name));
    }

    @Override
    public CompletableFuture<List<Member>> members(String key) {
        return failures(live().groups().members(key).thenApply(list -> list.stream()
                .map(m -> new Member(m.name(), m.online(), m.owner())).toList()));
    }

    @Override
    public CompletableFuture<Void> kick(String key, String name) {
        return refreshing(live().groups().kick(key, name));
    }

    @Override
    public CompletableFuture<Void> renameGroup(String key, String newName) {
        return refreshing(live().groups().rename(key, newName).thenApply(n -> null));
    }

    @Override
    public CompletableFuture<Void> disband(String key) {
        return refreshing(live().groups().disband(key));
    }

    @Override
    public CompletableFuture<List<String>> joinRequests(String key) {
        return failures(live().groups().requests(key).thenApply(list -> list.stream()
                .map(Item.JoinRequested::name).toList()));
    }

    @Override
    public CompletableFuture<Void> approve(String key, String name) {
        return refreshing(live().groups().approve(key, name));
    }

    @Override
    public CompletableFuture<Void> reject(String key, String name) {
        return refreshing(live().groups().reject(key, name));
    }

    @Override
    public synchronized void close() {
        io.shutdown();
        if (client != null) {
            client.close();
            client = null;
        }
    }

    private <T> CompletableFuture<Void> refreshing(CompletableFuture<T> request) {
        return failures(request.thenApply(v -> {
            refreshContacts();
            return null;
        }));
    }

    /** The library's failures as {@link ChatFailure}s with a message in the user's language. */
    private static <T> CompletableFuture<T> failures(CompletableFuture<T> f) {
        return f.handle((v, error) -> {
            if (error == null) {
                return v;
            }
            throw new CompletionException(failure(error));
        });
    }

    static ChatFailure failure(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof ChatFailure f) {
            return f;
        }
        if (t instanceof RefusedException r) {
            String key = "error.code." + r.code().wire();
            // Only throttled's text takes an argument (the seconds): the others are no MessageFormat.
            String text = r.code() == ErrorCode.THROTTLED ? Text.get(key, r.retryAfterSeconds()) : Text.get(key);
            return new ChatFailure(r.code().wire(), text.equals(key) ? r.getMessage() : text);
        }
        if (t instanceof NotConnectedException || t instanceof TimeoutException) {
            return new ChatFailure("offline", Text.get("error.code.offline"));
        }
        return ChatFailure.of(t);
    }

    private static ChatMessage message(HistoryEntry e) {
        ChatMessage.Delivery d = switch (e.state()) {
            case PENDING -> ChatMessage.Delivery.SENDING;
            case FAILED -> ChatMessage.Delivery.FAILED;
            case SENT, DELIVERED, RECEIVED -> ChatMessage.Delivery.STORED;
        };
        FileRef file = e.isFile() ? new FileRef(e.file().fileId(), e.file().name(), e.file().size()) : null;
        return new ChatMessage(e.id(), e.message().clientId(), e.time(), e.from(), e.text(), d, file);
    }

    /** The conversation a message belongs to, from my side: the group, or the other person. */
    private static String keyOf(HistoryEntry e, boolean mine) {
        if (e.isGroup()) {
            return "!" + e.message().groupId();
        }
        return mine ? e.to() : e.from();
    }

    /** The library's events, as the view model's; runs on the EDT (the library's executor). */
    private void translate(chat.client.ChatEvent event) {
        if (event instanceof chat.client.ChatEvent.CertificateChanged c) {
            CertificateDialogs.changed(c);
        } else if (event instanceof chat.client.ChatEvent.MessageReceived m) {
            events.accept(new ChatEvent.Message(keyOf(m.entry(), false), message(m.entry())));
        } else if (event instanceof chat.client.ChatEvent.OwnMessage m) {
            events.accept(new ChatEvent.Message(keyOf(m.entry(), true), message(m.entry())));
        } else if (event instanceof chat.client.ChatEvent.MessageStateChanged m) {
            CompletableFuture<HistoryEntry> w = waiting.remove(m.entry().message().clientId());
            if (w != null) {
                w.complete(m.entry());
            }
        } else if (event instanceof chat.client.ChatEvent.FileOffered f) {
            FileOfferEntry e = f.entry();
            boolean mine = e.state() == HistoryEntry.DeliveryState.SENT;
            String key = e.isGroup() ? "!" + e.offer().groupId() : mine ? e.to() : e.from();
            events.accept(new ChatEvent.Message(key, new ChatMessage(e.messageId(), e.offer().clientId(), e.time(),
                    e.from(), e.name(), ChatMessage.Delivery.STORED, new FileRef(e.fileId(), e.name(), e.size()))));
        } else if (event instanceof chat.client.ChatEvent.PeerFileOffered p) {
            if (p.fileName().isEmpty() || p.size() < 0) {
                return; // the article's bare FileTran: no name, size or hash to fetch it by
            }
            long id = -peerIds.incrementAndGet();
            peers.put(id, p);
            String name = p.fileName(); // shown only: the library cleans it again when it saves
            events.accept(new ChatEvent.PeerOffer(p.from(), new ChatMessage(0, "peer" + -id, System.currentTimeMillis(),
                    p.from(), name, ChatMessage.Delivery.STORED, new FileRef(id, name, p.size()))));
        } else if (event instanceof chat.client.ChatEvent.FileStateChanged f) {
            events.accept(new ChatEvent.FileChanged(f.fileId(), FileStatus.State.parse(f.state().name())));
        } else if (event instanceof chat.client.ChatEvent.Presence p) {
            events.accept(new ChatEvent.Presence(p.friend(), p.online()));
        } else if (event instanceof chat.client.ChatEvent.ReadMark r) {
            events.accept(new ChatEvent.Read(r.conversation().format()));
        } else if (event instanceof chat.client.ChatEvent.ServerChanged s) {
            ChatClient c = client;
            if (c != null && c.servers().size() > 1) {
                events.accept(new ChatEvent.OnServer(s.server().toString()));
            }
        } else if (event instanceof chat.client.ChatEvent.ConnectionChanged c) {
            events.accept(new ChatEvent.Connection(switch (c.state()) {
                case CONNECTING -> ConnectionState.CONNECTING;
                case ONLINE -> ConnectionState.ONLINE;
                case RECONNECTING -> ConnectionState.RECONNECTING;
                case OFFLINE -> ConnectionState.OFFLINE;
            }, c.reason()));
        } else if (event instanceof chat.client.ChatEvent.LoggedOut o) {
            events.accept(new ChatEvent.Connection(ConnectionState.OFFLINE, o.message()));
        } else if (event instanceof chat.client.ChatEvent.Synced) {
            refreshContacts();
        } else if (event instanceof chat.client.ChatEvent.FriendRequested || event instanceof chat.client.ChatEvent.FriendAdded
                || event instanceof chat.client.ChatEvent.FriendRemoved || event instanceof chat.client.ChatEvent.FriendDeclined
                || event instanceof chat.client.ChatEvent.GroupJoined || event instanceof chat.client.ChatEvent.GroupLeft
                || event instanceof chat.client.ChatEvent.GroupRenamed || event instanceof chat.client.ChatEvent.GroupDeleted
                || event instanceof chat.client.ChatEvent.GroupJoinRequested
                || event instanceof chat.client.ChatEvent.GroupRejected
                || event instanceof chat.client.ChatEvent.GroupInvited
                || event instanceof chat.client.ChatEvent.GroupInviteDeclined) {
            refreshContacts();
        }
    }
}
