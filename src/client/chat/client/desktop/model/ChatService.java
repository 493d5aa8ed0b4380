package chat.client.desktop.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * What the windows need from the chat network, and nothing about how it is reached. The real one
 * sits on the client library ({@code LibraryService}); tests and screenshots use an in-memory one.
 *
 * <p>Every call returns at once: the work happens off the Swing event thread, and the futures
 * complete on any thread (the model hops back to the EDT). A future fails with a
 * {@link ChatFailure} whose message is fit to show to the user.
 *
 * <p>Conversations are named by {@link Conversation#key()}: a friend's name or a group's {@code !id}.
 */
public interface ChatService extends AutoCloseable {

    /**
     * Where to sign in, as typed into the login window: {@code host} one server's host, or the
     * servers of a cluster ({@code host:port,host:port}; an entry without a port takes {@code
     * port}); {@code tls}: speak TLS to it (the login window's "Use TLS").
     */
    record Server(String host, int port, boolean tls) {
        /** Plain text. */
        public Server(String host, int port) {
            this(host, port, false);
        }
    }

    /** Where events go from now on, run on {@code executor}. Called once, before signing in. */
    void listen(Executor executor, Consumer<ChatEvent> events);

    /** Signs in; completes with my account name as the server spells it. */
    CompletableFuture<String> login(Server server, String account, String password);

    /** Creates an account (then {@link #login} signs in with it). */
    CompletableFuture<Void> register(Server server, String account, String password);

    /** Signs in again with the session kept from a previous start; fails when there is none. */
    CompletableFuture<String> resume(Server server, String account);

    /** Whether a session from a previous start is kept for this account on this server. */
    boolean canResume(Server server, String account);

    CompletableFuture<Void> logout();

    /** Up to {@code limit} messages before {@code beforeId} (0: the newest), oldest first. */
    CompletableFuture<List<ChatMessage>> history(String key, long beforeId, int limit);

    /**
     * Sends my message; completes when the server stored it (with its id and time). While offline
     * it waits and goes when the link is back.
     */
    CompletableFuture<ChatMessage> send(String key, ChatMessage pending);

    CompletableFuture<Void> markRead(String key);

    /** Messages containing {@code text} in every conversation, newest first (the local store's when offline). */
    CompletableFuture<List<Found>> searchMessages(String text, int limit);

    /** Account names that contain {@code text}. */
    CompletableFuture<List<String>> searchUsers(String text);

    CompletableFuture<Void> requestFriend(String name);

    CompletableFuture<Void> answerFriend(String name, boolean accept);

    CompletableFuture<Void> setAlias(String name, String alias);

    CompletableFuture<Void> removeFriend(String name);

    /**
     * Blocks {@code name}: their messages, friend requests and invitations no longer reach me
     * (they are not told), and a friendship with them ends.
     */
    CompletableFuture<Void> block(String name);

    CompletableFuture<Void> unblock(String name);

    /** Whom I blocked, by name. */
    CompletableFuture<List<String>> blocked();

    /**
     * Answers the invitation to group {@code key} ({@link ChatEvent.Invitations}): accepting
     * joins it, declining tells the inviter.
     */
    CompletableFuture<Void> answerInvitation(String key, boolean accept);

    /** Creates a group I own; completes with its key ({@code !id}). */
    CompletableFuture<String> createGroup(String name, boolean open);

    /** Joins an open group, or asks the owner of a closed one; completes true when joined. */
    CompletableFuture<Boolean> joinGroup(String name);

    CompletableFuture<Void> leaveGroup(String key);

    CompletableFuture<Void> invite(String key, String name);

    CompletableFuture<List<Member>> members(String key);

    CompletableFuture<Void> kick(String key, String name);

    CompletableFuture<Void> renameGroup(String key, String newName);

    CompletableFuture<Void> disband(String key);

    /** Who asked to join a closed group I own. */
    CompletableFuture<List<String>> joinRequests(String key);

    CompletableFuture<Void> approve(String key, String name);

    /**
     * My file offer as stored by the server, and the upload of its bytes, which goes on by itself
     * (told by {@link ChatEvent.FileProgress}; after a cut it resumes where it stopped).
     */
    record FileSent(ChatMessage message, CompletableFuture<?> uploaded) {}

    /**
     * Offers {@code file} to {@code key}: hashes it (off the caller's thread), then completes once
     * the server stored the offer, with its ids and the file's; fails when it is refused (too
     * large, over quota, not friends...) before any byte went.
     */
    CompletableFuture<FileSent> sendFile(String key, ChatMessage pending, Path file);

    /**
     * Saves someone's file {@code fileId} into {@code dir}, never over another file; completes with
     * where it went, once its SHA-256 matched. Progress comes as {@link ChatEvent.FileProgress}.
     * A negative id is a friend's direct offer ({@link ChatEvent.PeerOffer}): fetched from their client.
     */
    CompletableFuture<Path> download(long fileId, Path dir);

    /** Stops this device's download of {@code fileId} (nothing happens when there is none). */
    void stopDownload(long fileId);

    /** Withdraws my offer: its upload stops, the server deletes its bytes and tells the recipients. */
    CompletableFuture<Void> cancelFile(long fileId);

    /** The server's state of the offers to me and from me (its newest hundred), by file id. */
    CompletableFuture<Map<Long, FileStatus.State>> files();

    /** Turns down the request of {@code name} to join a closed group I own; they are told. */
    CompletableFuture<Void> reject(String key, String name);

    /** Closes the link and the local store; no more events after it. */
    @Override
    void close();
}
