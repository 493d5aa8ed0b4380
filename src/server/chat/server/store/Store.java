package chat.server.store;

import java.util.List;
import java.util.Optional;

/**
 * Everything the server keeps. Every method blocks on the database, so none may run on the
 * reactor thread: callers run them on the workers and hand the results back as reactor tasks.
 *
 * <p>Names are looked up by their key ({@code name_key}: NFKC, lower case; see
 * {@code chat.server.account.Names}), so that one account has one name in any letter case.
 * Failures of the database itself are {@link StoreException}s.
 */
public interface Store extends AutoCloseable {

    /** An account. */
    record User(long id, String name, String passwordHash) {}

    /** One of my friends, with my remark for them ({@code null} when none). */
    record Friend(long id, String name, String alias) {}

    /** A friend request waiting for my answer. */
    record FriendRequest(long fromId, String fromName, long createdAt) {}

    /** A private message as stored. */
    record Message(long id, long senderId, String senderName, long recipientId, String recipientName,
            String clientId, String body, long sentAt) {}

    /** What {@link #storeMessage} did: stored it, or found the same (sender, client id) already. */
    record Stored(Message message, boolean duplicate) {}

    enum RequestOutcome {
        /** The request waits for the other side. */
        REQUESTED,
        /** The same request was already waiting. */
        ALREADY_REQUESTED,
        /** The other side had asked too: now friends, and both requests are gone. */
        NOW_FRIENDS,
        ALREADY_FRIENDS
    }

    Database database();

    // Accounts and the connection table.

    /** Creates an account; empty when the name key is taken. */
    Optional<User> createUser(String name, String nameKey, String passwordHash, long now);

    Optional<User> userByKey(String nameKey);

    /** Writes the article's connection row for a login and sets the status to 1. */
    void markOnline(long userId, String ip, int port, long now);

    /** Removes the connection row and sets the status to 0. */
    void markOffline(long userId);

    /** Users whose name key contains {@code keyPart}, by name, at most {@code limit}. */
    List<User> findUsers(String keyPart, int limit);

    // Friends.

    /** My friends, by name. */
    List<Friend> friends(long userId);

    boolean areFriends(long userId, long otherId);

    RequestOutcome requestFriend(long fromId, long toId, long now);

    /** Friend requests waiting for {@code userId}'s answer, oldest first. */
    List<FriendRequest> pendingRequests(long userId);

    /** Accepts {@code fromId}'s request: friends both ways. False when there was no request. */
    boolean acceptRequest(long userId, long fromId, long now);

    /** Drops {@code fromId}'s request. False when there was none. */
    boolean declineRequest(long userId, long fromId);

    /** Ends a friendship on both sides. False when they were not friends. */
    boolean deleteFriend(long userId, long friendId);

    /** Sets my remark for a friend ({@code null} or empty clears it). False when not friends. */
    boolean setAlias(long userId, long friendId, String alias);

    // Messages.

    /** Stores a message unless the sender already sent one with this client id. */
    Stored storeMessage(long senderId, long recipientId, String clientId, String body, long now);

    /** Messages to {@code userId} after what it acknowledged, oldest first, at most {@code limit}. */
    List<Message> undelivered(long userId, int limit);

    /** Records that {@code userId} has received every message to it up to {@code messageId}. */
    void acknowledge(long userId, long messageId);

    /**
     * The conversation between two users, newest first, with ids below {@code beforeId} (use
     * {@link Long#MAX_VALUE} for the newest), at most {@code limit}.
     */
    List<Message> history(long userId, long peerId, long beforeId, int limit);

    /** My messages, sent or received, whose text contains {@code text}, newest first. */
    List<Message> search(long userId, String text, int limit);

    @Override
    void close();
}
