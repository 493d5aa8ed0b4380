package chat.client;

import chat.common.proto.Conversation;
import chat.common.proto.FileStatus;

/**
 * What the {@link ChatClient} tells its listener, on the executor the caller chose, in the order
 * it happened. Stored events (messages, friend and group changes) are told once each, however
 * often the server delivers them (after a reconnect, say): the local history remembers their ids.
 */
public sealed interface ChatEvent {

    /**
     * A message from someone else: private, or in a group of mine (the lobby's have id 0 and are
     * not stored). {@code caughtUp}: it waited for this device and came in the catch-up after a
     * login, before {@link Synced}; not live.
     */
    record MessageReceived(HistoryEntry entry, boolean caughtUp) implements ChatEvent {
        public MessageReceived(HistoryEntry entry) {
            this(entry, false);
        }
    }

    /** A message I sent from another of my devices (stored here too); {@code caughtUp} as for {@link MessageReceived}. */
    record OwnMessage(HistoryEntry entry, boolean caughtUp) implements ChatEvent {
        public OwnMessage(HistoryEntry entry) {
            this(entry, false);
        }
    }

    /**
     * A message of mine from this device changed state: the server stored it ({@code SENT}) or
     * refused it ({@code FAILED}; {@code refusal} says why, else null). {@code resent}: it went
     * again by itself after a reconnect (typed offline, or its answer was lost), so no
     * {@link ChatClient#send} future tells of it.
     */
    record MessageStateChanged(HistoryEntry entry, RefusedException refusal, boolean resent) implements ChatEvent {}

    /**
     * A file offered to me or to a group of mine, or by me from another device ({@code SENT}):
     * stored in the local history like a message (an offer is one), told once.
     * {@link ChatClient#download} fetches it.
     */
    record FileOffered(FileOfferEntry entry) implements ChatEvent {}

    /**
     * A file I sent or was offered changed state on the server: {@code READY} (every byte is
     * there: it can be downloaded), {@code CANCELLED}, {@code EXPIRED} (the bytes are gone), or
     * {@code FAILED} (the upload's bytes did not match; it may be uploaded again).
     */
    record FileStateChanged(long fileId, FileStatus state) implements ChatEvent {}

    /**
     * A friend offers a file directly, the article's way ({@code FILE_PEER}): connect to
     * {@code ip}:{@code port} with {@link ChatClient#acceptDirect}. The file's name, size and
     * hash are empty, -1 and empty when the friend's client (the article's) gave none. Nothing is
     * stored: the offer lasts while the friend's client waits.
     */
    record PeerFileOffered(String from, String ip, int port, String fileName, long size, String sha256)
            implements ChatEvent {}

    /**
     * {@code friend} did not start fetching my direct offer within {@link Timings#directFallback}
     * (their client ignored it, or cannot reach mine): the file goes through the server instead,
     * as an offer like {@link ChatClient#sendFile}'s. {@code transfer} is the direct send's, now
     * speaking for the upload ({@link FileTransfer#isDirect} false, its file id the server's).
     */
    record DirectFellBack(String friend, FileTransfer transfer) implements ChatEvent {}

    /**
     * A device of {@code friend} received my private messages to them up to id {@code upTo}
     * (now {@code DELIVERED} in the local history); {@code newest} is that message, or null when
     * this device does not have it. Told only to my devices online at the time.
     */
    record Delivered(String friend, long upTo, HistoryEntry newest) implements ChatEvent {}

    /** A friend's first device came online, or the last went. */
    record Presence(String friend, boolean online) implements ChatEvent {}

    /** A friend request: to me, or from me on another of my devices ({@code from} is then me). */
    record FriendRequested(String from, String to, long time) implements ChatEvent {}

    /** A friendship with {@code friend} began. */
    record FriendAdded(String friend, long time) implements ChatEvent {}

    /** The friendship with {@code friend} ended. */
    record FriendRemoved(String friend, long time) implements ChatEvent {}

    /** {@code by} declined my friend request. */
    record FriendDeclined(String by, long time) implements ChatEvent {}

    /** {@code who} became a member of a group; {@code by} invited or approved them (empty: joined an open group). */
    record GroupJoined(long groupId, String group, String who, String by, long time) implements ChatEvent {}

    /** {@code who} left a group, or was kicked by {@code by}. */
    record GroupLeft(long groupId, String group, String who, boolean kicked, String by, long time)
            implements ChatEvent {}

    /** A group was renamed; its local history stays (it is kept by the group's id). */
    record GroupRenamed(long groupId, String oldName, String newName, long time) implements ChatEvent {}

    /** A group was disbanded; its local history stays. */
    record GroupDeleted(long groupId, String group, long time) implements ChatEvent {}

    /** {@code who} asks to join my closed group. */
    record GroupJoinRequested(long groupId, String group, String who, long time) implements ChatEvent {}

    /**
     * {@code by}, the owner, turned down the request of {@code who} to join a closed group: told
     * to the asker, and to the owner's other devices ({@code by} is then me).
     */
    record GroupRejected(long groupId, String group, String by, String who, long time) implements ChatEvent {}

    /**
     * {@code by} invited {@code who} to a group, and the invitation waits for their answer: told
     * to the invitee ({@link Groups#join} accepts, {@link Groups#declineInvite} declines), and to
     * the inviter's other devices ({@code by} is then me).
     */
    record GroupInvited(long groupId, String group, String who, String by, long time) implements ChatEvent {}

    /**
     * {@code who} turned down the invitation of {@code by}: told to the inviter, and to the
     * invitee's other devices ({@code who} is then me).
     */
    record GroupInviteDeclined(long groupId, String group, String who, String by, long time) implements ChatEvent {}

    /** Another of my devices read {@code conversation} up to message {@code upTo}. */
    record ReadMark(Conversation conversation, long upTo) implements ChatEvent {}

    /**
     * The server presented a certificate other than the one remembered for it (trust on first
     * use): the connection was refused, and will be at every attempt until the user removes the
     * server's line from {@code file}. Fingerprints are SHA-256, {@code AB:CD:...}. Told at each
     * refused attempt: a client shows it loudly, once.
     */
    record CertificateChanged(String server, String known, String presented, java.nio.file.Path file)
            implements ChatEvent {}

    /**
     * A connection is up to {@code server}, another than the last one ({@code previous}; null for
     * the client's first connection): with a list of servers, the client moved to the next after
     * the one it was on failed. Told when the socket is up, before the login (ONLINE follows).
     */
    record ServerChanged(ServerAddress server, ServerAddress previous) implements ChatEvent {}

    /** The connection's state changed; {@code reason} says why for people (may be empty). */
    record ConnectionChanged(ConnectionState state, String reason) implements ChatEvent {}

    /**
     * Logged in as {@code account} on this {@code device}; {@code automatic}: by the client itself
     * (RESUME after a reconnect or at start), not by a {@link ChatClient#login} call.
     */
    record LoggedIn(String account, String device, boolean automatic) implements ChatEvent {}

    /**
     * The session ended without a {@link ChatClient#logout}: the saved token was refused (and no
     * password is known), the password was changed on another device, or another connection of
     * this device took over ({@code reason} is the BYE reason or the refusal's message).
     */
    record LoggedOut(String reason, String message) implements ChatEvent {}

    /**
     * The catch-up after a login is done: what waited for this device has been delivered, of it
     * {@code caughtUp} messages (those told with {@code caughtUp} set; each once, so after a
     * reconnect only what is new here).
     */
    record Synced(int caughtUp) implements ChatEvent {
        public Synced() {
            this(0);
        }
    }

    /** The server is closing the connection ({@code reason}: replaced, idle-timeout, shutdown ...). */
    record Bye(String reason, String message) implements ChatEvent {}

    /** The connection's states. */
    enum ConnectionState {
        /** Trying the first connection. */
        CONNECTING,
        /** Connected, and logged in when an account is wanted. */
        ONLINE,
        /**
         * The connection went, or an attempt to connect failed (told once until the connection is
         * online again); trying again with backoff.
         */
        RECONNECTING,
        /** Closed by {@link ChatClient#close}. */
        OFFLINE
    }
}
