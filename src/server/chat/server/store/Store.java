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

    /**
     * A message as stored: private (recipient set, {@code groupId} 0, {@code groupName} null) or
     * to a group ({@code recipientId} 0, {@code recipientName} null).
     */
    record Message(long id, long senderId, String senderName, long recipientId, String recipientName,
            long groupId, String groupName, String clientId, String body, long sentAt) {

        public boolean isGroup() {
            return groupId != 0;
        }
    }

    /** A group, with its owner and how many members it has. */
    record Group(long id, String name, long ownerId, String ownerName, boolean open, int members) {}

    /** A member of a group. */
    record Member(long id, String name, boolean owner) {}

    /**
     * Unread messages in one conversation: with a friend ({@code group} false, the friend's id and
     * name) or in a group ({@code group} true, the group's id and name).
     */
    record Unread(boolean group, long id, String name, long count) {}

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

    /**
     * Messages for {@code userId} after what it acknowledged, oldest first, at most {@code limit}:
     * private messages to it, and other members' messages in its groups sent after it joined.
     */
    List<Message> undelivered(long userId, int limit);

    /** Records that {@code userId} has received every message to it up to {@code messageId}. */
    void acknowledge(long userId, long messageId);

    /**
     * As {@link #acknowledge(long, long)} for many users at once, in one transaction: user id to
     * the message id it has received everything up to. A mark never moves backwards.
     */
    void acknowledge(java.util.Map<Long, Long> upTo);

    /**
     * The conversation between two users, newest first, with ids below {@code beforeId} (use
     * {@link Long#MAX_VALUE} for the newest), at most {@code limit}.
     */
    List<Message> history(long userId, long peerId, long beforeId, int limit);

    /**
     * My messages whose text contains {@code text}, newest first: private ones sent or received,
     * and those of my groups since I joined.
     */
    List<Message> search(long userId, String text, int limit);

    // Groups.

    /** Creates a group with its owner as the first member; empty when the name key is taken. */
    Optional<Group> createGroup(String name, String nameKey, long ownerId, boolean open, long now);

    Optional<Group> groupByKey(String nameKey);

    /** Renames a group; false when the new name key is taken by another group. */
    boolean renameGroup(long groupId, String name, String nameKey);

    /** Deletes a group with its members, requests, read marks and messages. */
    void deleteGroup(long groupId);

    /**
     * Makes {@code userId} a member, seeing messages from now on, and drops its join request if
     * any. False when it was a member already.
     */
    boolean addMember(long groupId, long userId, long now);

    /** False when it was no member. */
    boolean removeMember(long groupId, long userId);

    boolean isMember(long groupId, long userId);

    /** Asks to join a closed group; false when the same request is already waiting. */
    boolean requestJoin(long groupId, long userId, long now);

    /** Whether {@code userId} has asked to join and waits for the owner's answer. */
    boolean hasJoinRequest(long groupId, long userId);

    /** Requests to join the group, oldest first ({@code fromId}/{@code fromName}: who asks). */
    List<FriendRequest> joinRequests(long groupId);

    /** The groups {@code userId} is a member of, by name. */
    List<Group> groupsOf(long userId);

    /** A group's members, by name. */
    List<Member> members(long groupId);

    /** Stores a group message unless the sender already sent one with this client id. */
    Stored storeGroupMessage(long senderId, long groupId, String clientId, String body, long now);

    /**
     * A group's messages that {@code userId} may see (sent since it joined), newest first, ids
     * below {@code beforeId}, at most {@code limit}.
     */
    List<Message> groupHistory(long groupId, long userId, long beforeId, int limit);

    // Unread counts.

    /**
     * Marks a conversation read up to the newest message now stored: {@code group} false and a
     * friend's id, or true and a group's id.
     */
    void markRead(long userId, boolean group, long peerId);

    /**
     * Conversations with unread messages, with their counts: private messages to me after my mark,
     * and others' messages in my groups after my mark (and after I joined). Groups first, then
     * friends, each by name.
     */
    List<Unread> unread(long userId);

    @Override
    void close();
}
