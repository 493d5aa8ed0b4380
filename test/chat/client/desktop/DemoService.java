package chat.client.desktop;

import chat.client.desktop.model.ChatEvent;
import chat.client.desktop.model.ChatFailure;
import chat.client.desktop.model.ChatMessage;
import chat.client.desktop.model.ChatService;
import chat.client.desktop.model.ConnectionState;
import chat.client.desktop.model.Conversation;
import chat.client.desktop.model.FileStatus;
import chat.client.desktop.model.FriendRequest;
import chat.client.desktop.model.Member;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A chat network in memory, for the windows' tests and the screenshots: what it is told is
 * recorded ({@link #calls}), and what it answers is set up by the test. Not the real protocol:
 * the full-flow test drives the real library and server.
 */
final class DemoService implements ChatService {

    final List<String> calls = new CopyOnWriteArrayList<>();
    final Map<String, Conversation> contacts = new LinkedHashMap<>();
    final List<FriendRequest> requests = new ArrayList<>();
    final Map<String, List<ChatMessage>> history = new HashMap<>();
    final List<String> users = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong(1000);
    volatile String loginError;
    volatile boolean failSends;
    volatile boolean connected = true;
    private Executor executor = Runnable::run;
    private Consumer<ChatEvent> events = e -> {};
    String me = "";

    @Override
    public void listen(Executor ex, Consumer<ChatEvent> ev) {
        executor = ex;
        events = ev;
    }

    void emit(ChatEvent e) {
        executor.execute(() -> events.accept(e));
    }

    void publishContacts() {
        emit(new ChatEvent.Contacts(List.copyOf(contacts.values()), List.copyOf(requests)));
    }

    @Override
    public CompletableFuture<String> login(Server server, String account, String password) {
        calls.add("login " + server.host() + ":" + server.port() + " " + account);
        if (loginError != null) {
            return CompletableFuture.failedFuture(new ChatFailure("auth-failed", loginError));
        }
        me = account;
        emit(new ChatEvent.Connection(ConnectionState.ONLINE, ""));
        publishContacts();
        return CompletableFuture.completedFuture(account);
    }

    @Override
    public CompletableFuture<Void> register(Server server, String account, String password) {
        calls.add("register " + account);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<String> resume(Server server, String account) {
        calls.add("resume " + account);
        return login(server, account, "");
    }

    @Override
    public boolean canResume(Server server, String account) {
        return false;
    }

    @Override
    public CompletableFuture<Void> logout() {
        calls.add("logout");
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<List<ChatMessage>> history(String key, long beforeId, int limit) {
        List<ChatMessage> all = history.getOrDefault(key, List.of());
        List<ChatMessage> older = all.stream().filter(m -> beforeId == 0 || m.id() < beforeId).toList();
        return CompletableFuture.completedFuture(
                List.copyOf(older.subList(Math.max(0, older.size() - limit), older.size())));
    }

    @Override
    public CompletableFuture<ChatMessage> send(String key, ChatMessage pending) {
        calls.add("send " + key + " " + pending.text());
        if (failSends) {
            return CompletableFuture.failedFuture(new ChatFailure("internal", "refused"));
        }
        ChatMessage stored = pending.stored(ids.incrementAndGet(), pending.time());
        history.computeIfAbsent(key, k -> new ArrayList<>()).add(stored);
        return connected ? CompletableFuture.completedFuture(stored) : new CompletableFuture<>();
    }

    /** A message from someone else arrives. */
    void receive(String key, String from, String text, long time) {
        ChatMessage m = new ChatMessage(ids.incrementAndGet(), "", time, from, text, ChatMessage.Delivery.STORED);
        history.computeIfAbsent(key, k -> new ArrayList<>()).add(m);
        emit(new ChatEvent.Message(key, m));
    }

    @Override
    public CompletableFuture<Void> markRead(String key) {
        calls.add("read " + key);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<List<chat.client.desktop.model.Found>> searchMessages(String text, int limit) {
        List<chat.client.desktop.model.Found> found = new ArrayList<>();
        history.forEach((key, list) -> list.stream().filter(m -> m.text().contains(text))
                .forEach(m -> found.add(new chat.client.desktop.model.Found(key, m))));
        found.sort((a, b) -> Long.compare(b.message().id(), a.message().id()));
        return CompletableFuture.completedFuture(found.subList(0, Math.min(limit, found.size())));
    }

    @Override
    public CompletableFuture<List<String>> searchUsers(String text) {
        return CompletableFuture.completedFuture(users.stream().filter(u -> u.contains(text)).toList());
    }

    private CompletableFuture<Void> done(String call) {
        calls.add(call);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> requestFriend(String name) {
        return done("friend " + name);
    }

    @Override
    public CompletableFuture<Void> answerFriend(String name, boolean accept) {
        return done((accept ? "accept " : "decline ") + name);
    }

    @Override
    public CompletableFuture<Void> setAlias(String name, String alias) {
        return done("alias " + name + " " + alias);
    }

    @Override
    public CompletableFuture<Void> removeFriend(String name) {
        return done("remove " + name);
    }

    @Override
    public CompletableFuture<Void> block(String name) {
        return done("block " + name);
    }

    @Override
    public CompletableFuture<Void> unblock(String name) {
        return done("unblock " + name);
    }

    @Override
    public CompletableFuture<List<String>> blocked() {
        return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public CompletableFuture<Void> answerInvitation(String key, boolean accept) {
        return done((accept ? "join " : "decline-invite ") + key);
    }

    @Override
    public CompletableFuture<String> createGroup(String name, boolean open) {
        calls.add("create " + name);
        return CompletableFuture.completedFuture("!" + ids.incrementAndGet());
    }

    @Override
    public CompletableFuture<Boolean> joinGroup(String name) {
        calls.add("join " + name);
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletableFuture<Void> leaveGroup(String key) {
        return done("leave " + key);
    }

    @Override
    public CompletableFuture<Void> invite(String key, String name) {
        return done("invite " + key + " " + name);
    }

    @Override
    public CompletableFuture<List<Member>> members(String key) {
        return CompletableFuture.completedFuture(List.of(new Member(me, true, true)));
    }

    @Override
    public CompletableFuture<Void> kick(String key, String name) {
        return done("kick " + key + " " + name);
    }

    @Override
    public CompletableFuture<Void> renameGroup(String key, String newName) {
        return done("rename " + key + " " + newName);
    }

    @Override
    public CompletableFuture<Void> disband(String key) {
        return done("disband " + key);
    }

    @Override
    public CompletableFuture<List<String>> joinRequests(String key) {
        return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public CompletableFuture<Void> approve(String key, String name) {
        return done("approve " + key + " " + name);
    }

    /** The server's states of files, as {@link #files} answers them. */
    final Map<Long, FileStatus.State> fileStates = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public CompletableFuture<FileSent> sendFile(String key, ChatMessage pending, java.nio.file.Path file) {
        calls.add("sendFile " + key + " " + file.getFileName());
        long fileId = ids.incrementAndGet();
        ChatMessage stored = pending.stored(ids.incrementAndGet(), pending.time(), fileId);
        history.computeIfAbsent(key, k -> new ArrayList<>()).add(stored);
        fileStates.put(fileId, FileStatus.State.READY);
        emit(new ChatEvent.FileProgress(fileId, stored.file().size(), stored.file().size(), 0));
        return CompletableFuture.completedFuture(new FileSent(stored, CompletableFuture.completedFuture(null)));
    }

    /** A file from someone else is offered. */
    ChatMessage offer(String key, String from, String name, long size, FileStatus.State state, long time) {
        long fileId = ids.incrementAndGet();
        ChatMessage m = new ChatMessage(ids.incrementAndGet(), "", time, from, name, ChatMessage.Delivery.STORED,
                new chat.client.desktop.model.FileRef(fileId, name, size));
        fileStates.put(fileId, state);
        history.computeIfAbsent(key, k -> new ArrayList<>()).add(m);
        return m;
    }

    @Override
    public CompletableFuture<java.nio.file.Path> download(long fileId, java.nio.file.Path dir) {
        calls.add("download " + fileId);
        return new CompletableFuture<>(); // saving is the real library's: DesktopFilesTest drives it
    }

    @Override
    public void stopDownload(long fileId) {
        calls.add("stopDownload " + fileId);
    }

    @Override
    public CompletableFuture<Void> cancelFile(long fileId) {
        fileStates.put(fileId, FileStatus.State.CANCELLED);
        return done("cancelFile " + fileId);
    }

    @Override
    public CompletableFuture<Map<Long, FileStatus.State>> files() {
        return CompletableFuture.completedFuture(Map.copyOf(fileStates));
    }

    @Override
    public CompletableFuture<Void> reject(String key, String name) {
        return done("reject " + key + " " + name);
    }

    @Override
    public void close() {
        calls.add("close");
    }
}
