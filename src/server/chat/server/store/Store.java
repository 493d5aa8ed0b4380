package chat.server.store;

import chat.common.proto.FileStatus;
import chat.common.proto.Line;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Everything the server keeps. Every method blocks on the database, so none may run on the
 * reactor thread: callers run them on the workers and hand the results back as reactor tasks.
 *
 * <p>Names are looked up by their key ({@code name_key}: NFKC, lower case; see
 * {@code chat.common.text.Names}), so that one account has one name in any letter case.
 * Failures of the database itself are {@link StoreException}s.
 *
 * <p>One id sequence orders everything a device receives: text messages and events alike are
 * rows of {@code messages}, told apart by their {@link Kind}. What device D of user U receives
 * ({@link #undelivered(long, long, int)}) is every row after D's cursor that D did not send
 * itself and that is (a) addressed to U (private messages to U, every event for U), (b) text U
 * sent from another device, or (c) text in a group U is a member of, sent since U joined.
 */
public interface Store extends AutoCloseable {

    /** An account. */
    record User(long id, String name, String passwordHash) {}

    /** One of my friends, with my remark for them ({@code null} when none). */
    record Friend(long id, String name, String alias) {}

    /** A friend request waiting for my answer, or a request to join a group. */
    record FriendRequest(long fromId, String fromName, long createdAt) {}

    /**
     * What a row of {@code messages} is: a text message, or one of the events the server stores
     * so that a device that was away learns of it at its catch-up. {@link #sqlName} is the value of
     * the {@code kind} column.
     */
    enum Kind {
        TEXT("text"),
        FRIEND_REQUEST("friend-request"),
        FRIEND_ADDED("friend-added"),
        FRIEND_REMOVED("friend-removed"),
        FRIEND_DECLINED("friend-declined"),
        GROUP_JOINED("group-joined"),
        GROUP_LEFT("group-left"),
        GROUP_RENAMED("group-renamed"),
        GROUP_DELETED("group-deleted"),
        GROUP_JOIN_REQUEST("group-join-request"),
        /** A file offered (protocol 1.2): addressed as text is, its body the file's name, its file in {@code files}. */
        FILE("file"),
        GROUP_REJECTED("group-rejected"),
        /** An invitation waiting for the invitee's answer (protocol 1.4). */
        GROUP_INVITED("group-invited"),
        GROUP_INVITE_DECLINED("group-invite-declined");

        private final String sqlName;

        Kind(String sqlName) {
            this.sqlName = sqlName;
        }

        /** The value of the {@code kind} column. */
        public String sqlName() {
            return sqlName;
        }

        /** The kind a {@code kind} column holds. */
        public static Kind ofSql(String value) {
            for (Kind k : values()) {
                if (k.sqlName.equals(value)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown message kind: " + value);
        }
    }

    /**
     * A row of {@code messages} as stored. Text: private (recipient set, {@code groupId} 0,
     * {@code groupName} null) or to a group ({@code recipientId} 0, {@code recipientName} null).
     * An event: sender = the actor, recipient = the user it is for, {@code groupId} the group it is
     * about (0 when none; {@code groupName} null once the group is deleted), and its other fields
     * in the body ({@link #eventFields}). {@code senderDevice} is the device it came from (0: none
     * known, as for rows written before devices existed).
     */
    record Message(long id, long senderId, String senderName, long recipientId, String recipientName,
            long groupId, String groupName, String clientId, String body, long sentAt,
            Kind kind, long senderDevice, FileRef file) {

        /** A row that offers no file: every kind but {@link Kind#FILE}. */
        public Message(long id, long senderId, String senderName, long recipientId, String recipientName,
                long groupId, String groupName, String clientId, String body, long sentAt, Kind kind,
                long senderDevice) {
            this(id, senderId, senderName, recipientId, recipientName, groupId, groupName, clientId, body, sentAt,
                    kind, senderDevice, null);
        }

        /** A text message from no known device: the shape before protocol 1.1. */
        @Deprecated
        public Message(long id, long senderId, String senderName, long recipientId, String recipientName,
                long groupId, String groupName, String clientId, String body, long sentAt) {
            this(id, senderId, senderName, recipientId, recipientName, groupId, groupName, clientId, body, sentAt,
                    Kind.TEXT, 0);
        }

        /** Whether the row concerns a group: a group text message, or an event about a group. */
        public boolean isGroup() {
            return groupId != 0;
        }

        public boolean isEvent() {
            return kind != Kind.TEXT && kind != Kind.FILE;
        }

        /** An event's fields that are not columns, as given to {@link Store#storeEvent}. */
        public List<String> eventFields() {
            if (!isEvent()) {
                throw new IllegalStateException("message " + id + " is text, not an event");
            }
            return decodeEventFields(body);
        }

        /**
         * An event's body: a {@link Line} whose first field is the kind (so that it never reads
         * as a tag, and a row read by hand says what it is), then the fields.
         */
        static String encodeEventFields(Kind kind, List<String> fields) {
            var all = new java.util.ArrayList<String>(fields.size() + 1);
            all.add(kind.sqlName());
            all.addAll(fields);
            return new Line(null, all).format();
        }

        static List<String> decodeEventFields(String body) {
            List<String> all = Line.parse(body).fields();
            return all.subList(1, all.size());
        }
    }

    /** The file a {@link Kind#FILE} row offers: its id in {@code files}, size and hash. */
    record FileRef(long id, long size, String sha256) {}

    /**
     * A row of {@code files}: an offer's file, with the names of its sender and recipient or group
     * ({@code recipientId} 0 for a group's, {@code groupId} 0 for a private one).
     */
    record FileRow(long id, long messageId, long senderId, String senderName, long recipientId, String recipientName,
            long groupId, String groupName, String name, long size, String sha256, FileStatus state, long received,
            long createdAt, long expiresAt) {

        public boolean isGroup() {
            return groupId != 0;
        }

        /** Neither cancelled nor expired: its bytes are (or are to be) kept. */
        public boolean isLive() {
            return !state.isFinal();
        }
    }

    /** What {@link #storeFileOffer} did: stored the offer, or found the same (sender, client id) already. */
    record StoredFile(Message message, FileRow file, boolean duplicate) {}

    /** A group, with its owner and how many members it has. The lobby is not one. */
    record Group(long id, String name, long ownerId, String ownerName, boolean open, int members) {}

    /** A member of a group. */
    record Member(long id, String name, boolean owner) {}

    /** An invitation to a group waiting for my answer: which group, who invited me, when. */
    record Invitation(long groupId, String group, long inviterId, String inviter, long createdAt) {}

    /** A user I blocked, and since when. */
    record Blocked(long id, String name, long since) {}

    /** Whose group invitations make me a member at once (schema version 4, {@code users.invites}). */
    enum InvitePolicy {
        /** Anyone's: the behaviour before protocol 1.4, by choice. */
        ANYONE,
        /** My friends'; anyone else's waits for my answer. The default. */
        FRIENDS,
        /** Nobody may invite me. */
        NOBODY;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The policy spelled {@code word}, or null. */
        public static InvitePolicy of(String word) {
            for (InvitePolicy p : values()) {
                if (p.wire().equals(word)) {
                    return p;
                }
            }
            return null;
        }
    }

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

    /** One device of an account, with its delivery cursor ({@code ackedMsgId}). */
    record Device(long id, long userId, String name, long ackedMsgId, long lastSeen) {}

    /** A login session: whose, on which device, until when. The token itself is never stored. */
    record SessionRow(String tokenHash, long userId, String userName, long deviceId, String deviceName,
            long createdAt, long expiresAt) {}

    /** The newest text message of a conversation; {@link #NONE} when there is none. */
    record LastMessage(long id, long sentAt, String preview) {
        public static final LastMessage NONE = new LastMessage(0, 0, "");
    }

    /** A friend in my contact list: my remark ({@code null} when none), unread count, newest message. */
    record FriendContact(long id, String name, String alias, long unread, LastMessage last) {}

    /** A group in my contact list. */
    record GroupContact(Group group, long unread, LastMessage last) {}

    /** A friend request waiting: to me ({@code incoming}, from {@code name}) or from me (to {@code name}). */
    record PendingRequest(long userId, String name, boolean incoming, long createdAt) {}

    /**
     * Everything the contact list shows: friends by name, my groups by name, then waiting friend
     * requests, oldest first. Unread counts and previews see text messages only.
     */
    record Contacts(List<FriendContact> friends, List<GroupContact> groups, List<PendingRequest> pending) {}

    /** How many characters of a message a {@link LastMessage#preview} keeps. */
    int PREVIEW_CHARS = 64;

    Database database();

    /**
     * Runs {@code work} in one transaction: every store call it makes on this thread joins it, and
     * all of them commit together when it returns, or none when it throws. When the database
     * reports a lock conflict the whole of {@code work} runs again from the start, so it must do
     * nothing but store calls and computing on their results (no pushes, no other side effects).
     * A call inside another's work simply joins the outer transaction.
     */
    <T> T inTransaction(String doing, Supplier<T> work);

    /**
     * One piece of work of a {@link #inBatch batch}: {@code work} as it would run in
     * {@link #inTransaction}, and what it is doing for its failure's message ({@code null}: what
     * the store call that failed was doing, as a write outside a transaction reports).
     * {@code guarded}: in a savepoint of its own when pieces before it are kept, so that its
     * failure undoes it alone; unguarded, it costs no savepoint (on MariaDB a round trip) and its
     * failure there fails the whole batch, each piece then running alone (for writes that only
     * the database can fail, such as ACK batches).
     */
    record Piece(String doing, Supplier<?> work, boolean guarded) {

        /** A guarded piece. */
        public Piece(String doing, Supplier<?> work) {
            this(doing, work, true);
        }
    }

    /** What one piece of a batch came to: its result, or its failure (then none of it is stored). */
    record Outcome(Object result, Throwable failure) {}

    /**
     * Group commit: runs each piece {@code next} gives (asked again as each one ends, until it
     * gives null) in one transaction, each inside a savepoint of its own, so that a piece that
     * throws is undone alone and gets its own failure, as in a transaction of its own; then one
     * commit for all. Later pieces see what earlier ones wrote. Returns the outcomes in order.
     * Throws {@link StoreException} when the transaction as a whole failed (its commit, a lock
     * conflict, a lost connection): then none of it is stored, and the caller runs each piece
     * again alone.
     */
    List<Outcome> inBatch(Supplier<Piece> next);

    // Accounts and the connection table.

    /** Creates an account; empty when the name key, or its look ({@code Names.skeleton}), is taken. */
    Optional<User> createUser(String name, String nameKey, String passwordHash, long now);

    Optional<User> userByKey(String nameKey);

    Optional<User> userById(long userId);

    /** Whether an account has this name in some spelling, or a name that looks like it (its skeleton). */
    boolean nameTaken(String name);

    InvitePolicy invitePolicy(long userId);

    void setInvitePolicy(long userId, InvitePolicy policy);

    // Who may reach whom (schema version 4).

    /** Keeps an invitation for the invitee's answer; false when one to this group waits already. */
    boolean invite(long groupId, long userId, long inviterId, long now);

    Optional<Invitation> invitation(long groupId, long userId);

    /** False when there was none. */
    boolean dropInvitation(long groupId, long userId);

    /** The invitations waiting for my answer, oldest first. */
    List<Invitation> invitations(long userId);

    /**
     * Blocks {@code blockedId} for {@code userId}, dropping the friend requests between them and
     * the blocked user's invitations to me; false when it was blocked already. The friendship is
     * the caller's to end.
     */
    boolean block(long userId, long blockedId, long now);

    /** False when it was not blocked. */
    boolean unblock(long userId, long blockedId);

    boolean isBlocked(long userId, long blockedId);

    /** Whom {@code userId} blocked, by name. */
    List<Blocked> blocked(long userId);

    /** Replaces an account's password hash (the caller revokes sessions as it sees fit). */
    void setPasswordHash(long userId, String passwordHash);

    /** Writes the article's connection row for a login and sets the status to 1. */
    void markOnline(long userId, String ip, int port, long now);

    /** Removes the connection row and sets the status to 0. */
    void markOffline(long userId);

    /** Users whose name key contains {@code keyPart}, by name, at most {@code limit}. */
    List<User> findUsers(String keyPart, int limit);

    // Devices and sessions.

    /**
     * The account's device of this name, created when it is new, and its last_seen set to
     * {@code now}. A new device's cursor starts at the highest cursor of the account's other
     * devices, or at the account's v1 cursor ({@code users.acked_msg_id}, 0 for a new account)
     * when it is the first: it gets what no device has received yet, not all history.
     */
    Device device(long userId, String name, long now);

    /** The account's devices, by name. */
    List<Device> devices(long userId);

    /** Records a new session; {@code tokenHash} is the SHA-256 of the token, 64 hex digits. */
    void createSession(String tokenHash, long userId, long deviceId, long now, long expiresAt);

    /** The session of this token hash, when it exists and {@code expiresAt > now}. */
    Optional<SessionRow> sessionByToken(String tokenHash, long now);

    /** Moves a session's expiry (sliding expiry); false when there is no such session. */
    boolean extendSession(String tokenHash, long expiresAt);

    /** Deletes a session; false when there was none. */
    boolean revokeSession(String tokenHash);

    /** Deletes every session of the account but {@code keepHash} ({@code null}: all); how many. */
    int revokeOtherSessions(long userId, String keepHash);

    /**
     * Deletes every session of the device but {@code keepHash}; how many. A new password login of
     * a device replaces the token it had, so that a device holds one live token at a time.
     */
    int revokeDeviceSessions(Device device, String keepHash);

    /** The account's unexpired sessions, newest first. */
    List<SessionRow> sessions(long userId, long now);

    /**
     * Deletes at most {@code batch} sessions that expired at or before {@code now}; how many. Small
     * batches keep each statement short; call it periodically until it returns less than
     * {@code batch}.
     */
    int purgeExpiredSessions(long now, int batch);

    // Retention.

    /**
     * One batch of retention: how many rows it deleted, the last id it looked at (where the next
     * batch starts), and whether rows older than the bound may remain after it.
     */
    record Pruned(int deleted, long lastId, boolean more) {}

    /**
     * Deletes messages and events sent before {@code sentBefore} among the next {@code batch} ids
     * after {@code afterId}, in one transaction; a file offer only once its file is expired or
     * cancelled, and its file row with it. The newest row is always kept (ids are never given out
     * twice). Call it again from {@link Pruned#lastId} while {@link Pruned#more}.
     */
    Pruned deleteOldMessages(long sentBefore, long afterId, int batch);

    /**
     * After a round of deletions, gives the space back where the database can (SQLite: incremental
     * vacuum, then a truncating WAL checkpoint); outside any transaction, so not on the writer.
     */
    void reclaimSpace();

    // Friends.

    /** My friends, by name. */
    List<Friend> friends(long userId);

    boolean areFriends(long userId, long otherId);

    RequestOutcome requestFriend(long fromId, long toId, long now);

    /** Friend requests waiting for {@code userId}'s answer, oldest first. */
    List<FriendRequest> pendingRequests(long userId);

    /** Friend requests to and from {@code userId}, oldest first. */
    List<PendingRequest> friendRequests(long userId);

    /** Accepts {@code fromId}'s request: friends both ways. False when there was no request. */
    boolean acceptRequest(long userId, long fromId, long now);

    /** Drops {@code fromId}'s request. False when there was none. */
    boolean declineRequest(long userId, long fromId);

    /** Ends a friendship on both sides. False when they were not friends. */
    boolean deleteFriend(long userId, long friendId);

    /** Sets my remark for a friend ({@code null} or empty clears it). False when not friends. */
    boolean setAlias(long userId, long friendId, String alias);

    // Messages and events.

    /**
     * Stores a private text message from device {@code senderDevice} unless the sender already
     * sent one with this client id.
     */
    Stored storeMessage(long senderId, long senderDevice, long recipientId, String clientId, String body, long now);

    /** As the six-argument form, from the account's {@code default} device. */
    @Deprecated
    Stored storeMessage(long senderId, long recipientId, String clientId, String body, long now);

    /**
     * As {@link #storeMessage}, between friends only: empty, and nothing stored, when the two are
     * not friends. One statement checks the friendship and stores, and the names given (those of
     * the two accounts, which never change) go into the message instead of reading it back. MSG
     * stores through {@link #storeFriendMessages}, which does this for many at once.
     */
    Optional<Stored> storeFriendMessage(long senderId, String senderName, long senderDevice, long recipientId,
            String recipientName, String clientId, String body, long now);

    /**
     * A private message to a friend named by its key ({@code Names.key}), one of those MSG hands
     * to {@link #storeFriendMessages}: who sends it, from which device, and what.
     */
    record Outgoing(long senderId, String senderName, long senderDevice, String recipientKey, String clientId,
            String body, long now) {}

    /** Why an {@link Outgoing} was not stored. */
    enum Refusal {
        /** No account has the recipient's name. */
        NO_SUCH_USER,
        /** The recipient is the sender. */
        SELF,
        /** The two are not friends. */
        NOT_FRIENDS
    }

    /** What became of an {@link Outgoing}: stored (or a resend's earlier message), or refused. */
    record Sent(Stored stored, Refusal refusal) {
        static Sent refused(Refusal why) {
            return new Sent(null, why);
        }
    }

    /**
     * {@link #storeFriendMessage} for many messages at once, in order: each stored, found as the
     * resend of an earlier one, or refused, as if each were stored alone one after the other (ids
     * rise in list order). The writer's batch of MSGs: the recipients and friendships are read
     * with one statement each for the whole list, and the rows go in as one JDBC batch, which
     * MySQL's driver sends as one multi-row INSERT (a round trip for all of them instead of
     * three for each). A value the columns cannot hold fails the whole list (MSG checks its limits,
     * which are smaller, before).
     */
    List<Sent> storeFriendMessages(List<Outgoing> messages);

    /**
     * Stores an event: one row per recipient (each once, in the order given; the actor may be one,
     * for its other devices), all in one transaction, with ascending ids. {@code groupId} is the
     * group it is about, 0 when none. {@code fields} (at least one) are the event's fields that
     * are not columns; {@link Message#eventFields} gives them back. The rows outlive the group.
     */
    List<Message> storeEvent(Kind kind, long actorId, long actorDevice, long groupId, Collection<Long> recipients,
            List<String> fields, long now);

    /**
     * What device {@code deviceId} of {@code userId} has not acknowledged, oldest first, at most
     * {@code limit}: the rule in this interface's comment.
     */
    List<Message> undelivered(long userId, long deviceId, int limit);

    /** As the three-argument form, for the account's {@code default} device. */
    @Deprecated
    List<Message> undelivered(long userId, int limit);

    /**
     * Cluster mode: as {@link #undelivered(long, long, int)}, but after {@code after} when that is
     * past the device's cursor (a resync starts at the highest id pushed, not at the last ACK),
     * and only ids up to {@code upTo} (the node's released position): a short list means
     * everything up to {@code upTo} has been read.
     */
    default List<Message> undelivered(long userId, long deviceId, int limit, long after, long upTo) {
        throw new UnsupportedOperationException("undelivered with bounds");
    }

    /** The highest message id committed now, 0 when none (cluster mode: a node's position). */
    default long newestMessageId() {
        throw new UnsupportedOperationException("newestMessageId");
    }

    /**
     * Checks on the writer's connection and on no other (cluster mode: the node's fence,
     * {@code cluster.ClusterNodes}): the writer is the thread {@link #serveAsWriter} marked, not a
     * thread of some name. Either check throws to refuse.
     */
    interface WriterHooks {
        /**
         * Before the first use of each writer connection under these hooks: a new one, or one
         * opened before they were set. Throwing refuses the connection (it is closed).
         */
        void opened(java.sql.Connection c) throws java.sql.SQLException;

        /**
         * Just before each COMMIT of a writer transaction that may have written, on a connection
         * {@link #opened} has passed. Throwing rolls the transaction back instead.
         */
        void beforeCommit(java.sql.Connection c) throws java.sql.SQLException;
    }

    /** Sets the {@link WriterHooks}; cluster mode only. */
    default void writerHooks(WriterHooks hooks) {
        throw new UnsupportedOperationException("writerHooks");
    }

    /**
     * The calling thread is the store's writer ({@link Workers} marks its writer thread so as it
     * starts): its connection is the one the {@link WriterHooks} run on.
     */
    default void serveAsWriter() {}

    /**
     * Runs {@code work} on the calling thread's own connection (cluster mode: the node's row in
     * {@code cluster_nodes}, and the reaper's KILL CONNECTION), in auto-commit mode.
     */
    default <T> T onConnection(String doing, SqlWork<T> work) {
        throw new UnsupportedOperationException("onConnection");
    }

    /** JDBC work that may throw {@link java.sql.SQLException}. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(java.sql.Connection c) throws java.sql.SQLException;
    }

    /**
     * Records, in one transaction, that each device (key) has received everything up to the
     * message id (value). A cursor never moves backwards.
     */
    void acknowledgeDevices(Map<Long, Long> upTo);

    /** As {@link #acknowledgeDevices} for the account's {@code default} device. */
    @Deprecated
    void acknowledge(long userId, long messageId);

    /** As {@link #acknowledgeDevices}, keyed by user id, for each account's {@code default} device. */
    @Deprecated
    void acknowledge(Map<Long, Long> upTo);

    /**
     * The text conversation between two users, newest first, with ids below {@code beforeId}
     * (use {@link Long#MAX_VALUE} for the newest), at most {@code limit}.
     */
    List<Message> history(long userId, long peerId, long beforeId, int limit);

    /**
     * My text messages whose text contains {@code text}, newest first: private ones sent or
     * received, and those of my groups since I joined.
     */
    List<Message> search(long userId, String text, int limit);

    /**
     * Brings SEARCH's index forward by at most {@code rows} stored messages, in one transaction;
     * true when more may wait. The writer calls it when idle ({@link Workers}): the index
     * follows the writes instead of slowing them, and a search is exact however far behind it is.
     */
    boolean indexForSearch(int rows);

    /**
     * Copies the log of committed writes into the database file, without waiting for the writer
     * and as far as no reader still needs it (SQLite's WAL). Returns how full the log is
     * afterwards, as a share of the size at which the writer copies the rest itself: the log's
     * frames, copied or not, which go back near 0 only when a write starts the log again after
     * all of it was copied (under a steady load it grows until the writer's own checkpoint); NaN
     * when another checkpoint held the log; -1 when this database needs no such help
     * (MySQL/MariaDB, whose server checkpoints on its own). {@link Workers} calls it on a thread
     * of its own, more often as the log fills, so that the writer finds little left to copy, and
     * on the writer between groups once the log is full.
     */
    double checkpoint();

    // Groups.

    /** Creates a group with its owner as the first member; empty when the name key or its skeleton is taken. */
    Optional<Group> createGroup(String name, String nameKey, long ownerId, boolean open, long now);

    Optional<Group> groupByKey(String nameKey);

    Optional<Group> groupById(long groupId);

    /**
     * Inside {@link #inTransaction}: holds off every other change to this group's membership
     * (addMember, removeMember, deleteGroup, and other lockGroup callers) until the transaction
     * ends. Call it first when the work reads the members to write an event for them, so that the
     * list is the members at that moment. addMember, removeMember and deleteGroup take the same
     * lock themselves.
     */
    void lockGroup(long groupId);

    /** Renames a group; false when the new name key is taken by another group. */
    boolean renameGroup(long groupId, String name, String nameKey);

    /**
     * Deletes a group with its members, requests, read marks and text messages; events about it
     * stay (they tell the members it is gone).
     */
    void deleteGroup(long groupId);

    /**
     * Makes {@code userId} a member, seeing messages from now on, and drops its join request and
     * invitation if any. False when it was a member already.
     */
    boolean addMember(long groupId, long userId, long now);

    /** False when it was no member. */
    boolean removeMember(long groupId, long userId);

    boolean isMember(long groupId, long userId);

    /** Asks to join a closed group; false when the same request is already waiting. */
    boolean requestJoin(long groupId, long userId, long now);

    /** Whether {@code userId} has asked to join and waits for the owner's answer. */
    boolean hasJoinRequest(long groupId, long userId);

    /** Drops the request of {@code userId} to join, the owner having turned it down; false when there was none. */
    boolean rejectJoin(long groupId, long userId);

    /** Requests to join the group, oldest first ({@code fromId}/{@code fromName}: who asks). */
    List<FriendRequest> joinRequests(long groupId);

    /** The groups {@code userId} is a member of, by name. */
    List<Group> groupsOf(long userId);

    /** A group's members, by name. */
    List<Member> members(long groupId);

    /** The ids of a group's members, ascending. */
    List<Long> memberIds(long groupId);

    /**
     * Stores a group text message from device {@code senderDevice} unless the sender already sent
     * one with this client id. Membership is the caller's to check.
     */
    Stored storeGroupMessage(long senderId, long senderDevice, long groupId, String clientId, String body, long now);

    /** As the six-argument form, from the account's {@code default} device. */
    @Deprecated
    Stored storeGroupMessage(long senderId, long groupId, String clientId, String body, long now);

    /**
     * A group's text messages that {@code userId} may see (sent since it joined), newest first,
     * ids below {@code beforeId}, at most {@code limit}.
     */
    List<Message> groupHistory(long groupId, long userId, long beforeId, int limit);

    // Read marks, unread counts and the contact list.

    /**
     * Marks a conversation read up to {@code upToId} ({@code 0}: the conversation's newest text
     * message now stored; an id past it counts as it): {@code group} false and a friend's id, or true
     * and a group's id. The mark never moves backwards; returns it as it is now.
     */
    long markRead(long userId, boolean group, long peerId, long upToId);

    /** As {@link #markRead(long, boolean, long, long)} up to the newest message. */
    @Deprecated
    void markRead(long userId, boolean group, long peerId);

    /**
     * Conversations with unread text messages, with their counts: private messages to me after my
     * mark, and others' messages in my groups after my mark (and after I joined). Groups first,
     * then friends, each by name.
     */
    List<Unread> unread(long userId);

    /** My contact list, in a few queries whatever the number of friends. */
    Contacts contacts(long userId);

    @Override
    void close();

    /** The default device name: the one clients before protocol 1.1 are taken to use. */
    String DEFAULT_DEVICE = "default";

    // ---- files (protocol 1.2) ----

    /**
     * Stores a file offer: a message of kind {@link Kind#FILE} to a user ({@code recipientId}, and
     * {@code groupId} 0) or a group, and its {@code files} row, in one transaction; {@code ready}
     * when a complete copy of the content is stored already. A resend with the same client id
     * returns the original, unchanged. Friendship and membership are the caller's to check.
     */
    StoredFile storeFileOffer(long senderId, long senderDevice, long recipientId, long groupId, String clientId,
            String name, long size, String sha256, boolean ready, long now, long expiresAt);

    /**
     * What this sender stored with this client id, as {@link #storeFileOffer} returns a duplicate
     * (its file null when the client id was a text message's); empty when nothing has it. A resend
     * is answered from it before any limit is checked: the offer counts against them once.
     */
    Optional<StoredFile> earlierFileOffer(long senderId, String clientId);

    Optional<FileRow> file(long fileId);

    /** The bytes of a sender's offers that are neither cancelled nor expired: what the quota counts. */
    long liveFileBytes(long senderId);

    /**
     * Whether a ready file of this sender has this content and size: its blob is stored and the
     * sender has shown that it has the bytes. Only the sender's own files count, so that an offer
     * tells nobody whether someone else stored a given content.
     */
    boolean contentReady(long senderId, String sha256, long size);

    /**
     * Whether a live file (uploading, ready or failed) has this content: its blob must stay. An
     * uploading one counts because its upload may have moved its bytes to the blob already (or
     * dropped them, finding the blob there) before its row says ready.
     */
    boolean contentHeld(String sha256);

    /** Records a file's state and the bytes held; a cancelled or expired file is left as it is. */
    void fileProgress(long fileId, FileStatus state, long received);

    /** Cancels a live file; false when it was cancelled or expired already. */
    boolean cancelFile(long fileId);

    /** Marks up to {@code batch} live files whose time is past {@code now} expired, and returns them. */
    List<FileRow> expireFiles(long now, int batch);

    /** The newest files offered to me, to my groups, or by me. */
    List<FileRow> files(long userId, int limit);

    // Bans (administration, 1.4).

    /**
     * A ban: {@code kind} {@link #BAN_ACCOUNT} (target an account's name) or {@link #BAN_ADDRESS}
     * (target an IP address as {@code InetAddress.getHostAddress} writes it); {@code until} in ms
     * since 1970, 0 for good; {@code by} the admin's name, {@code at} when.
     */
    record Ban(String kind, String target, long until, String reason, String by, long at) {
        /** Whether it still holds at {@code now}. */
        public boolean holds(long now) {
            return until == 0 || until > now;
        }
    }

    String BAN_ACCOUNT = "account";
    String BAN_ADDRESS = "address";

    /** Stores {@code ban}, in place of any ban of the same kind and target. */
    void putBan(Ban ban);

    /** Lifts the ban of that kind and target; false when there was none. */
    boolean removeBan(String kind, String target);

    /** The bans that hold at {@code now}, oldest first. */
    List<Ban> bans(long now);

    /** Deletes the bans that ended at or before {@code now}; how many. */
    int purgeExpiredBans(long now);
}
