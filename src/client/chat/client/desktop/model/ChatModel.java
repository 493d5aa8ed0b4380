package chat.client.desktop.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * What the windows show, kept on the Swing event thread: who I am, the link's state, the
 * conversation list, friend requests, and the messages loaded so far per conversation. The
 * service's events and the futures of its calls are applied here, on {@code ui} (the EDT), so
 * views read this model without locks and repaint when a listener says so.
 */
public final class ChatModel {

    /** Messages loaded per page, when a conversation opens and each time it scrolls to the top. */
    public static final int PAGE = 50;

    /** What views hear; every call comes on the EDT. */
    public interface Listener {
        default void connectionChanged() {}

        default void contactsChanged() {}

        /** Messages of {@code key} changed: appended, replaced, or an older page put in front. */
        default void messagesChanged(String key) {}

        /** Someone else's message came into {@code key} (for notifications). */
        default void messageArrived(String key, ChatMessage message) {}

        /**
         * What {@link #fileStatus} says of file {@code fileId} changed: its state, or its transfer's
         * progress (up to about ten times a second while bytes move). 0: one of my offers still on
         * its way to the server.
         */
        default void fileChanged(long fileId) {}
    }

    /** The messages of one conversation loaded so far, oldest first. */
    private static final class Thread {
        final List<ChatMessage> messages = new ArrayList<>();
        boolean loadedNewest;
        boolean hasOlder = true;
        boolean loadingOlder;
    }

    private final ChatService service;
    private final Executor ui;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Conversation> conversations = new LinkedHashMap<>();
    private final Map<String, Thread> threads = new HashMap<>();
    private final Set<String> visible = new HashSet<>();
    private List<FriendRequest> requests = List.of();
    private List<Invitation> invitations = List.of();
    private ConnectionState state = ConnectionState.OFFLINE;
    private String stateDetail = "";
    /** The server of a cluster the connection is on; empty with one server. */
    private String server = "";
    private String me = "";
    /** Files of the messages loaded, by file id: what the server said of them, and my transfers. */
    private final Map<Long, FileStatus> files = new HashMap<>();
    /**
     * Friends' direct offers, by conversation, in the order they came: not in any store, so a
     * conversation opened later gets them from here, after its newest page.
     */
    private final Map<String, List<ChatMessage>> peerOffers = new HashMap<>();
    /** My offers the server has not stored yet, by client id: the file to send, and why it failed. */
    private final Map<String, FileStatus> offering = new HashMap<>();
    /** A file list is being asked for; {@link #filesAgain}: ask once more when it comes. */
    private boolean filesLoading;
    private boolean filesAgain;
    /** The last of my offers on its way to the server: the next waits for it. */
    private CompletableFuture<?> offers = CompletableFuture.completedFuture(null);

    public ChatModel(ChatService service, Executor ui) {
        this.service = service;
        this.ui = ui;
        service.listen(ui, this::apply);
    }

    public ChatService service() {
        return service;
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    public void removeListener(Listener l) {
        listeners.remove(l);
    }

    public String me() {
        return me;
    }

    /** Set when sign-in succeeds. */
    public void signedIn(String name) {
        me = name;
        listeners.forEach(Listener::connectionChanged);
    }

    public ConnectionState state() {
        return state;
    }

    public String stateDetail() {
        return stateDetail;
    }

    /** Which of a cluster's servers the connection is on ({@code host:port}); empty with one server. */
    public String server() {
        return server;
    }

    /** Newest first, as chat applications order them; conversations without messages last, by title. */
    public List<Conversation> conversations() {
        List<Conversation> list = new ArrayList<>(conversations.values());
        list.sort(Comparator.comparingLong(Conversation::lastTime).reversed()
                .thenComparing(c -> c.title().toLowerCase(java.util.Locale.ROOT)));
        return list;
    }

    public Conversation conversation(String key) {
        return conversations.get(key);
    }

    public List<FriendRequest> requests() {
        return requests;
    }

    /** Invitations to groups waiting for my answer. */
    public List<Invitation> invitations() {
        return invitations;
    }

    public int totalUnread() {
        return conversations.values().stream().mapToInt(Conversation::unread).sum();
    }

    public List<ChatMessage> messages(String key) {
        Thread t = threads.get(key);
        return t == null ? List.of() : List.copyOf(t.messages);
    }

    public boolean hasOlder(String key) {
        Thread t = threads.get(key);
        return t == null || t.hasOlder;
    }

    /**
     * A view shows {@code key} in a focused window (or stops showing it): its new messages are read
     * as they come, and opening it loads its newest page and marks it read.
     */
    public void setVisible(String key, boolean shown) {
        if (!shown) {
            visible.remove(key);
            return;
        }
        visible.add(key);
        Thread t = threads.computeIfAbsent(key, k -> new Thread());
        if (!t.loadedNewest) {
            t.loadedNewest = true;
            loadPage(key, t, 0);
        }
        markRead(key);
    }

    /** Loads the page before the oldest message shown; completes false when there is no more. */
    public CompletableFuture<Boolean> loadOlder(String key) {
        Thread t = threads.computeIfAbsent(key, k -> new Thread());
        if (!t.hasOlder || t.loadingOlder) {
            return CompletableFuture.completedFuture(false);
        }
        long before = t.messages.stream().mapToLong(ChatMessage::id).filter(id -> id > 0).min().orElse(0);
        return loadPage(key, t, before);
    }

    private CompletableFuture<Boolean> loadPage(String key, Thread t, long before) {
        t.loadingOlder = true;
        return service.history(key, before, PAGE).handleAsync((page, error) -> {
            t.loadingOlder = false;
            if (before == 0) {
                addPeerOffers(key, t);
            }
            if (error != null) {
                listeners.forEach(l -> l.messagesChanged(key));
                return false;
            }
            t.hasOlder = page.size() >= PAGE;
            Set<Long> have = new HashSet<>();
            t.messages.forEach(m -> have.add(m.id()));
            List<ChatMessage> older = page.stream().filter(m -> !have.contains(m.id())).toList();
            t.messages.addAll(0, older);
            learnFiles(older);
            listeners.forEach(l -> l.messagesChanged(key));
            return !older.isEmpty();
        }, ui);
    }

    /** The direct offers of {@code key} that the thread does not show yet, put at its end (they are the newest). */
    private void addPeerOffers(String key, Thread t) {
        for (ChatMessage offer : peerOffers.getOrDefault(key, List.of())) {
            if (t.messages.stream().noneMatch(m -> m.clientId().equals(offer.clientId()) && m.from().equals(offer.from()))) {
                t.messages.add(offer);
            }
        }
    }

    /** Sends my text to {@code key}: shown at once as sending, then stored or failed. */
    public void send(String key, String text) {
        ChatMessage pending = new ChatMessage(0, UUID.randomUUID().toString().substring(0, 12),
                System.currentTimeMillis(), me, text, ChatMessage.Delivery.SENDING);
        put(key, pending);
        deliver(key, pending);
    }

    /** Sends a failed message again (a file too, when it is still on disk). */
    public void retry(String key, ChatMessage failed) {
        ChatMessage again = failed.sending();
        FileStatus file = offering.get(failed.clientId());
        if (failed.isFile() && (file == null || file.path() == null)) {
            return;
        }
        put(key, again);
        if (failed.isFile()) {
            offering.put(again.clientId(), file.started(FileStatus.Transfer.UPLOADING, failed.file().size(), file.path()));
            offer(key, again, file.path());
        } else {
            deliver(key, again);
        }
    }

    /**
     * Offers {@code file} to {@code key}: shown at once as being prepared (it is hashed first),
     * then as uploading with its progress once the server stored the offer, or failed with the
     * reason (too large, over quota...), which a click on it retries.
     */
    public void sendFile(String key, Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            size = 0; // the service says what is wrong with it
        }
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        ChatMessage pending = new ChatMessage(0, UUID.randomUUID().toString().substring(0, 12),
                System.currentTimeMillis(), me, name, ChatMessage.Delivery.SENDING, new FileRef(0, name, size));
        offering.put(pending.clientId(), FileStatus.UNKNOWN.started(FileStatus.Transfer.UPLOADING, size, file));
        put(key, pending);
        offer(key, pending, file);
    }

    private void offer(String key, ChatMessage pending, Path file) {
        // One offer at a time: files dropped together are hashed and offered in the order they
        // were dropped, so that every device shows them in that order (the server's ids).
        CompletableFuture<ChatService.FileSent> offered = offers.handle((v, e) -> null)
                .thenCompose(v -> service.sendFile(key, pending, file));
        offers = offered;
        offered.whenCompleteAsync((sent, error) -> {
            FileStatus mine = offering.remove(pending.clientId());
            if (error != null) {
                offering.put(pending.clientId(), mine.failed(ChatFailure.of(error).getMessage()));
                put(key, pending.failed());
                return;
            }
            ChatMessage stored = sent.message();
            long id = stored.file().fileId();
            // Progress may have come first: keep its bytes with my transfer's file.
            FileStatus told = files.get(id);
            FileStatus status = told == null ? mine : new FileStatus(told.state(), FileStatus.Transfer.UPLOADING,
                    told.bytes(), mine.total(), told.rate(), file, "");
            files.put(id, status.state() == FileStatus.State.UNKNOWN ? status.withState(FileStatus.State.UPLOADING)
                    : status);
            put(key, stored);
            sent.uploaded().whenCompleteAsync((v, failed) -> {
                FileStatus now = fileStatus(id);
                if (failed != null) {
                    ChatFailure why = ChatFailure.of(failed);
                    // Withdrawn (here or on another device): not a failure to show, the state says it.
                    boolean withdrawn = now.state().isFinal() || "CANCELLED".equals(why.code());
                    changeFile(id, withdrawn ? new FileStatus(now.state(), FileStatus.Transfer.NONE, now.bytes(),
                            now.total(), 0, file, "") : now.failed(why.getMessage()));
                } else {
                    FileStatus done = now.done(file);
                    changeFile(id, now.state().isFinal() ? done : done.withState(FileStatus.State.READY));
                }
            }, ui);
        }, ui);
    }

    /**
     * What is known of the file {@code m} offers (my offer may still be on its way: then by client
     * id; a friend's direct offer by its negative id).
     */
    public FileStatus fileStatus(ChatMessage m) {
        if (!m.isFile()) {
            return FileStatus.UNKNOWN;
        }
        return m.file().fileId() != 0 ? fileStatus(m.file().fileId())
                : offering.getOrDefault(m.clientId(), FileStatus.UNKNOWN);
    }

    public FileStatus fileStatus(long fileId) {
        return files.getOrDefault(fileId, FileStatus.UNKNOWN);
    }

    /** Saves someone's file into {@code dir}; its bubble shows the progress, then where it went. */
    public void download(FileRef file, Path dir) {
        FileStatus now = fileStatus(file.fileId());
        if (now.transfer() == FileStatus.Transfer.DOWNLOADING) {
            return;
        }
        changeFile(file.fileId(), now.started(FileStatus.Transfer.DOWNLOADING, file.size(), null));
        service.download(file.fileId(), dir).whenCompleteAsync((path, error) -> {
            FileStatus s = fileStatus(file.fileId());
            if (s.transfer() != FileStatus.Transfer.DOWNLOADING) {
                return; // stopped meanwhile
            }
            changeFile(file.fileId(), error == null ? s.done(path) : s.failed(ChatFailure.of(error).getMessage()));
        }, ui);
    }

    /** Stops my download of a file; Save starts it again (where it stopped, when the service can). */
    public void stopDownload(long fileId) {
        FileStatus s = fileStatus(fileId);
        if (s.transfer() == FileStatus.Transfer.DOWNLOADING) {
            service.stopDownload(fileId);
            changeFile(fileId, new FileStatus(s.state(), FileStatus.Transfer.NONE, 0, s.total(), 0, null, ""));
        }
    }

    /** Withdraws my offer; completes when the server did (the window reports a refusal). */
    public CompletableFuture<Void> cancelFile(long fileId) {
        return service.cancelFile(fileId).thenRunAsync(() -> {
            FileStatus s = fileStatus(fileId).withState(FileStatus.State.CANCELLED);
            changeFile(fileId, s.transfer() == FileStatus.Transfer.UPLOADING
                    ? new FileStatus(s.state(), FileStatus.Transfer.NONE, s.bytes(), s.total(), 0, s.path(), "") : s);
        }, ui);
    }

    private void changeFile(long fileId, FileStatus status) {
        files.put(fileId, status);
        listeners.forEach(l -> l.fileChanged(fileId));
    }

    /** Asks the server for the state of files it has not told of yet (coalesced: one request at a time). */
    private void learnFiles(List<ChatMessage> messages) {
        boolean unknown = false;
        for (ChatMessage m : messages) {
            if (m.isFile() && m.file().fileId() > 0 && !files.containsKey(m.file().fileId())) {
                files.put(m.file().fileId(), FileStatus.UNKNOWN);
                unknown = true;
            }
        }
        if (unknown) {
            refreshFiles();
        }
    }

    private void refreshFiles() {
        if (filesLoading) {
            filesAgain = true;
            return;
        }
        filesLoading = true;
        service.files().whenCompleteAsync((states, error) -> {
            filesLoading = false;
            if (states != null) {
                states.forEach((id, state) -> {
                    FileStatus s = files.get(id);
                    if (s != null && s.state() != state) {
                        changeFile(id, s.withState(state));
                    }
                });
            }
            if (filesAgain) {
                filesAgain = false;
                refreshFiles();
            }
        }, ui);
    }

    private void deliver(String key, ChatMessage pending) {
        service.send(key, pending).whenCompleteAsync((stored, error) ->
                put(key, error == null ? stored : pending.failed()), ui);
    }

    private void markRead(String key) {
        Conversation c = conversations.get(key);
        if (c != null && c.unread() > 0) {
            conversations.put(key, c.withUnread(0));
            listeners.forEach(Listener::contactsChanged);
        }
        service.markRead(key);
    }

    /** Applies what the service told; runs on the EDT. */
    void apply(ChatEvent event) {
        if (event instanceof ChatEvent.OnServer s) {
            server = s.server();
            listeners.forEach(Listener::connectionChanged);
        } else if (event instanceof ChatEvent.Connection c) {
            state = c.state();
            stateDetail = c.detail() == null ? "" : c.detail();
            listeners.forEach(Listener::connectionChanged);
            if (state == ConnectionState.ONLINE && !files.isEmpty()) {
                refreshFiles(); // what changed while I was away was told to nobody here
            }
        } else if (event instanceof ChatEvent.Contacts c) {
            conversations.clear();
            c.conversations().forEach(conv -> conversations.put(conv.key(), visible.contains(conv.key())
                    ? conv.withUnread(0) : conv));
            requests = List.copyOf(c.requests());
            listeners.forEach(Listener::contactsChanged);
        } else if (event instanceof ChatEvent.Invitations i) {
            invitations = List.copyOf(i.invitations());
            listeners.forEach(Listener::contactsChanged);
        } else if (event instanceof ChatEvent.Message m) {
            put(m.key(), m.message());
        } else if (event instanceof ChatEvent.Backfill b) {
            backfill(b.key(), b.messages());
        } else if (event instanceof ChatEvent.Presence p) {
            update(p.name(), c -> c.withOnline(p.online()));
        } else if (event instanceof ChatEvent.Read r) {
            update(r.key(), c -> c.withUnread(0));
        } else if (event instanceof ChatEvent.FileChanged f) {
            changeFile(f.fileId(), fileStatus(f.fileId()).withState(f.state()));
        } else if (event instanceof ChatEvent.PeerOffer p) {
            peerOffers.computeIfAbsent(p.key(), k -> new ArrayList<>()).add(p.message());
            files.put(p.message().file().fileId(), FileStatus.UNKNOWN.withState(FileStatus.State.READY));
            put(p.key(), p.message());
        } else if (event instanceof ChatEvent.FileProgress p) {
            FileStatus s = fileStatus(p.fileId());
            if (s.transfer() != FileStatus.Transfer.DONE) {
                changeFile(p.fileId(), s.progress(p.bytes(), p.total(), p.bytesPerSecond()));
            }
        }
    }

    private void backfill(String key, List<ChatMessage> page) {
        Thread t = threads.get(key);
        if (t == null || !t.loadedNewest) {
            return;
        }
        Set<Long> have = new HashSet<>();
        t.messages.forEach(m -> have.add(m.id()));
        boolean added = false;
        for (ChatMessage m : page) {
            if (m.id() > 0 && have.add(m.id())) {
                int i = t.messages.size();
                while (i > 0 && (t.messages.get(i - 1).id() == 0 || t.messages.get(i - 1).id() > m.id())) {
                    i--;
                }
                t.messages.add(i, m);
                learnFiles(List.of(m));
                added = true;
            }
        }
        if (added) {
            listeners.forEach(l -> l.messagesChanged(key));
        }
    }

    private void update(String key, java.util.function.UnaryOperator<Conversation> change) {
        Conversation c = conversations.get(key);
        if (c != null) {
            conversations.put(key, change.apply(c));
            listeners.forEach(Listener::contactsChanged);
        }
    }

    /**
     * Puts a message into its conversation: replaces my pending copy (same client id) or a copy
     * with the same server id, so a catch-up after a reconnect shows nothing twice; otherwise adds
     * it in id order (pending ones stay at the end).
     */
    private void put(String key, ChatMessage m) {
        Thread t = threads.computeIfAbsent(key, k -> new Thread());
        if (!t.loadedNewest && m.delivery() != ChatMessage.Delivery.SENDING) {
            // Never opened: only its row changes; opening it loads its newest page from the store.
            changeRow(key, m, true);
            return;
        }
        int at = -1;
        for (int i = t.messages.size() - 1; i >= 0; i--) {
            ChatMessage old = t.messages.get(i);
            if ((m.id() > 0 && old.id() == m.id()) || (!m.clientId().isEmpty() && m.clientId().equals(old.clientId())
                    && m.from().equals(old.from()))) {
                at = i;
                break;
            }
        }
        boolean isNew = at < 0;
        learnFiles(List.of(m));
        if (isNew) {
            int i = t.messages.size();
            while (m.id() > 0 && i > 0 && (t.messages.get(i - 1).id() == 0 || t.messages.get(i - 1).id() > m.id())) {
                i--;
            }
            t.messages.add(i, m);
        } else {
            t.messages.set(at, m);
        }
        changeRow(key, m, isNew);
        listeners.forEach(l -> l.messagesChanged(key));
    }

    /** A new message moves its conversation's row up, with its preview, and counts as unread unless shown. */
    private void changeRow(String key, ChatMessage m, boolean isNew) {
        Conversation c = conversations.get(key);
        boolean mine = m.from().equals(me);
        if (c != null && isNew) {
            int unread = c.unread() + (mine || visible.contains(key) ? 0 : 1);
            conversations.put(key, c.withLast(m.text(), Math.max(c.lastTime(), m.time()), unread));
            if (visible.contains(key) && !mine) {
                service.markRead(key);
            }
            listeners.forEach(Listener::contactsChanged);
        }
        if (isNew && !mine) {
            listeners.forEach(l -> l.messageArrived(key, m));
        }
    }

    /** Drops what was loaded of {@code key} (it loads again when shown); for measurements and memory. */
    public void forget(String key) {
        if (!visible.contains(key)) {
            threads.remove(key);
        }
    }

    /** Adds or updates a conversation row at once (a group I created), before the next contact list. */
    public void upsert(Conversation c) {
        conversations.put(c.key(), c);
        listeners.forEach(Listener::contactsChanged);
    }
}
