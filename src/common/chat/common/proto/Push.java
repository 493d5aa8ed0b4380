package chat.common.proto;

import java.util.ArrayList;
import java.util.List;

/**
 * Every line the server sends on its own, one record each. Pushes are never tagged; a push's
 * first field is a push name, never a request's or an item's (see {@link Vocabulary}).
 *
 * <p>{@link #parse} is how a client reads them, and it is lenient where a newer server may
 * differ: a name it does not know is {@link Unknown} (to be ignored), and fields past the ones it
 * knows are ignored. A known push that is malformed (too few fields, a bad number) throws
 * {@link ProtocolException} with {@code bad-request}: that is a broken server, not a newer one,
 * and the client should log it and go on.
 */
public sealed interface Push {

    /** The push's name on the wire, its first field. */
    String wireName();

    /** The fields after the name. */
    List<String> arguments();

    /** The push as the server writes it: untagged. */
    default Line toLine() {
        List<String> fields = new ArrayList<>(arguments().size() + 1);
        fields.add(wireName());
        fields.addAll(arguments());
        return new Line(null, fields);
    }

    /**
     * A push kept in the message sequence: it comes in id order with the messages, and the client
     * acknowledges it like one ({@code ACK:id} covers everything up to id). Lobby traffic is not
     * stored and has id 0: there is nothing to acknowledge then.
     */
    sealed interface Stored extends Push {
        long id();

        /** When it happened, milliseconds since 1970 UTC. */
        long time();
    }

    // ---- stored: messages and events ----

    /** {@code MESSAGE:id:time:from:to:group-id:client-id:text}: a private or group message. */
    record Message(ChatMessage message) implements Stored {
        public static final String NAME = "MESSAGE";
        public long id() { return message.id(); }
        public long time() { return message.time(); }
        public String wireName() { return NAME; }
        public List<String> arguments() { return message.fields(); }
    }

    /** {@code FRIEND_REQUEST:id:time:from:to}: to me, or from me on another of my devices. */
    record FriendRequest(long id, long time, String from, String to) implements Stored {
        public static final String NAME = "FRIEND_REQUEST";
        public String wireName() { return NAME; }
        public List<String> arguments() { return List.of(str(id), str(time), from, to); }
    }

    /** {@code FRIEND_ADDED:id:time:name}: a friendship with {@code name} began. */
    record FriendAdded(long id, long time, String name) implements Stored {
        public static final String NAME = "FRIEND_ADDED";
        public String wireName() { return NAME; }
        public List<String> arguments() { return List.of(str(id), str(time), name); }
    }

    /** {@code FRIEND_REMOVED:id:time:name}: the friendship with {@code name} ended. */
    record FriendRemoved(long id, long time, String name) implements Stored {
        public static final String NAME = "FRIEND_REMOVED";
        public String wireName() { return NAME; }
        public List<String> arguments() { return List.of(str(id), str(time), name); }
    }

    /** {@code FRIEND_DECLINED:id:time:name}: {@code name} declined my friend request. */
    record FriendDeclined(long id, long time, String name) implements Stored {
        public static final String NAME = "FRIEND_DECLINED";
        public String wireName() { return NAME; }
        public List<String> arguments() { return List.of(str(id), str(time), name); }
    }

    /**
     * {@code GROUP_JOINED:id:time:group-id:group:who:by}: {@code who} became a member; {@code by}
     * invited or approved them, empty when they joined an open group themselves.
     */
    record GroupJoined(long id, long time, long groupId, String group, String who, String by) implements Stored {
        public static final String NAME = "GROUP_JOINED";
        public String wireName() { return NAME; }
        public List<String> arguments() { return List.of(str(id), str(time), str(groupId), group, who, by); }
    }

    /**
     * {@code GROUP_LEFT:id:time:group-id:group:who:how:by}: {@code who} left, or was kicked by
     * {@code by} (the owner; empty when they left). On the wire how is {@code left} or {@code kicked}.
     */
    record GroupLeft(long id, long time, long groupId, String group, String who, boolean kicked, String by)
            implements Stored {
        public static final String NAME = "GROUP_LEFT";
        public String wireName() { return NAME; }
        public List<String> arguments() {
            return List.of(str(id), str(time), str(groupId), group, who, kicked ? "kicked" : "left", by);
        }
    }

    /** {@code GROUP_RENAMED:id:time:group-id:old:new}. */
    record GroupRenamed(long id, long time, long groupId, String oldName, String newName) implements Stored {
        public static final String NAME = "GROUP_RENAMED";
        public String wireName() { return NAME; }
        public List<String> arguments() { return List.of(str(id), str(time), str(groupId), oldName, newName); }
    }

    /** {@code GROUP_DELETED:id:time:group-id:group}: the owner disbanded it. */
    record GroupDeleted(long id, long time, long groupId, String group) implements Stored {
        public static final String NAME = "GROUP_DELETED";
        public String wireName() { return NAME; }
        public List<String> arguments() { return List.of(str(id), str(time), str(groupId), group); }
    }

    /** {@code GROUP_JOIN_REQUEST:id:time:group-id:group:who}: to the owner of a closed group. */
    record GroupJoinRequest(long id, long time, long groupId, String group, String who) implements Stored {
        public static final String NAME = "GROUP_JOIN_REQUEST";
        public String wireName() { return NAME; }
        public List<String> arguments() { return List.of(str(id), str(time), str(groupId), group, who); }
    }

    /** {@code FILE:id:time:from:to:group-id:client-id:file-id:name:size:sha256}: a file offered. */
    record File(FileOffer offer) implements Stored {
        public static final String NAME = "FILE";
        public long id() { return offer.id(); }
        public long time() { return offer.time(); }
        public String wireName() { return NAME; }
        public List<String> arguments() { return offer.fields(); }
    }

    /**
     * {@code GROUP_REJECTED:id:time:group-id:group:by:who}: {@code by}, the owner, turned down the
     * request of {@code who} to join. To the asker, and to the owner's other devices.
     */
    record GroupRejected(long id, long time, long groupId, String group, String by, String who) implements Stored {
        public static final String NAME = "GROUP_REJECTED";
        public String wireName() { return NAME; }
        public List<String> arguments() { return List.of(str(id), str(time), str(groupId), group, by, who); }
    }

    /**
     * {@code GROUP_INVITED:id:time:group-id:group:who:by} (1.4): {@code by} invited {@code who}, and
     * the invitation waits for their answer ({@code JOIN} accepts, {@code DECLINE_INVITE}
     * declines). To the invitee, and to the inviter's other devices.
     */
    record GroupInvited(long id, long time, long groupId, String group, String who, String by) implements Stored {
        public static final String NAME = "GROUP_INVITED";
        public String wireName() { return NAME; }
        public List<String> arguments() { return List.of(str(id), str(time), str(groupId), group, who, by); }
    }

    /**
     * {@code GROUP_INVITE_DECLINED:id:time:group-id:group:who:by} (1.4): {@code who} turned down
     * the invitation of {@code by}. To the inviter, and to the invitee's other devices.
     */
    record GroupInviteDeclined(long id, long time, long groupId, String group, String who, String by)
            implements Stored {
        public static final String NAME = "GROUP_INVITE_DECLINED";
        public String wireName() { return NAME; }
        public List<String> arguments() { return List.of(str(id), str(time), str(groupId), group, who, by); }
    }

    // ---- live only ----

    /**
     * {@code FILE_STATE:file-id:state}: a file I sent or was offered became ready, cancelled,
     * expired or failed.
     */
    record FileState(long fileId, FileStatus state) implements Push {
        public static final String NAME = "FILE_STATE";
        public String wireName() { return NAME; }
        public List<String> arguments() { return List.of(str(fileId), state.wire()); }
    }

    /**
     * {@code FILE_PEER:from:ip:port:file-name:size:sha256}: a friend's {@code FileTran}, the
     * article's direct transfer: connect to ip:port to fetch the file. The last three are empty
     * ({@code size} {@link Request.FileTran#NO_SIZE}) when the friend sent the article's short form.
     */
    record FilePeer(String from, String ip, int port, String fileName, long size, String sha256) implements Push {
        public static final String NAME = "FILE_PEER";
        public String wireName() { return NAME; }
        public List<String> arguments() {
            return List.of(from, ip, Integer.toString(port), fileName,
                    size == Request.FileTran.NO_SIZE ? "" : str(size), sha256);
        }
    }

    /** {@code PRESENCE:name:1|0}: a friend's first device came, or last went. */
    record Presence(String name, boolean online) implements Push {
        public static final String NAME = "PRESENCE";
        public String wireName() { return NAME; }
        public List<String> arguments() { return List.of(name, Fields.bit(online)); }
    }

    /**
     * {@code DELIVERED:conversation:up-to-id}: a device of {@code conversation} (the friend I
     * wrote to) has received my private messages to them up to that id. Live, to my online
     * devices; a receipt that finds none of them is not kept.
     */
    record Delivered(Conversation conversation, long upTo) implements Push {
        public static final String NAME = "DELIVERED";
        public String wireName() { return NAME; }
        public List<String> arguments() { return List.of(conversation.format(), str(upTo)); }
    }

    /** {@code READ_MARK:conversation:up-to-id}: another of my devices marked a conversation read. */
    record ReadMark(Conversation conversation, long upTo) implements Push {
        public static final String NAME = "READ_MARK";
        public String wireName() { return NAME; }
        public List<String> arguments() { return List.of(conversation.format(), str(upTo)); }
    }

    /** {@code SYNCED}: the catch-up after LOGIN or RESUME is done; live pushes follow. */
    record Synced() implements Push {
        public static final String NAME = "SYNCED";
        public String wireName() { return NAME; }
        public List<String> arguments() { return List.of(); }
    }

    /**
     * {@code BYE:reason:message}: the server is about to close the connection. A client must not
     * reconnect by itself after {@link #REPLACED} or {@link #PASSWORD_CHANGED}, or after
     * {@link #LOGGED_OUT}, nor after {@link #BANNED} (it would be refused until the ban ends) or
     * {@link #DISCONNECTED} (coming back would undo an admin's act); other reasons may be newer than
     * this list.
     */
    record Bye(String reason, String message) implements Push {
        public static final String NAME = "BYE";
        public static final String REPLACED = "replaced";
        public static final String IDLE_TIMEOUT = "idle-timeout";
        public static final String LOGIN_TIMEOUT = "login-timeout";
        public static final String SHUTDOWN = "shutdown";
        public static final String PASSWORD_CHANGED = "password-changed";
        public static final String LOGGED_OUT = "logged-out";
        /** An admin banned the account or the address (1.4): logging in again is refused until the ban ends. */
        public static final String BANNED = "banned";
        /** An admin closed this connection (1.4). */
        public static final String DISCONNECTED = "disconnected";

        public String wireName() { return NAME; }
        public List<String> arguments() { return List.of(reason, message); }
    }

    /** A push this version does not know, from a newer server: clients ignore it. Its line is untagged. */
    record Unknown(Line line) implements Push {
        public String wireName() { return line.command(); }
        public List<String> arguments() { return line.fields().subList(1, line.size()); }
        @Override public Line toLine() { return line; }
    }

    /**
     * The push on a line (its tag, if any, is ignored).
     *
     * @throws ProtocolException {@code bad-request} for a known push with too few or malformed fields
     */
    static Push parse(Line line) {
        return switch (line.command()) {
            case Message.NAME -> new Message(ChatMessage.read(shape(line, 7, ChatMessage.SHAPE), 0));
            case FriendRequest.NAME -> {
                Fields f = shape(line, 4, "id:time:from:to");
                yield new FriendRequest(id(f), time(f), f.text(2), f.text(3));
            }
            case FriendAdded.NAME -> {
                Fields f = shape(line, 3, "id:time:name");
                yield new FriendAdded(id(f), time(f), f.text(2));
            }
            case FriendRemoved.NAME -> {
                Fields f = shape(line, 3, "id:time:name");
                yield new FriendRemoved(id(f), time(f), f.text(2));
            }
            case FriendDeclined.NAME -> {
                Fields f = shape(line, 3, "id:time:name");
                yield new FriendDeclined(id(f), time(f), f.text(2));
            }
            case GroupJoined.NAME -> {
                Fields f = shape(line, 6, "id:time:group-id:group:who:by");
                yield new GroupJoined(id(f), time(f), f.number(2, "group-id"), f.text(3), f.text(4), f.text(5));
            }
            case GroupLeft.NAME -> {
                Fields f = shape(line, 7, "id:time:group-id:group:who:how:by");
                yield new GroupLeft(id(f), time(f), f.number(2, "group-id"), f.text(3), f.text(4),
                        f.text(5).equals("kicked"), f.text(6)); // a newer way to go reads as left
            }
            case GroupRenamed.NAME -> {
                Fields f = shape(line, 5, "id:time:group-id:old:new");
                yield new GroupRenamed(id(f), time(f), f.number(2, "group-id"), f.text(3), f.text(4));
            }
            case GroupDeleted.NAME -> {
                Fields f = shape(line, 4, "id:time:group-id:group");
                yield new GroupDeleted(id(f), time(f), f.number(2, "group-id"), f.text(3));
            }
            case GroupJoinRequest.NAME -> {
                Fields f = shape(line, 5, "id:time:group-id:group:who");
                yield new GroupJoinRequest(id(f), time(f), f.number(2, "group-id"), f.text(3), f.text(4));
            }
            case GroupRejected.NAME -> {
                Fields f = shape(line, 6, "id:time:group-id:group:by:who");
                yield new GroupRejected(id(f), time(f), f.number(2, "group-id"), f.text(3), f.text(4), f.text(5));
            }
            case GroupInvited.NAME -> {
                Fields f = shape(line, 6, "id:time:group-id:group:who:by");
                yield new GroupInvited(id(f), time(f), f.number(2, "group-id"), f.text(3), f.text(4), f.text(5));
            }
            case GroupInviteDeclined.NAME -> {
                Fields f = shape(line, 6, "id:time:group-id:group:who:by");
                yield new GroupInviteDeclined(id(f), time(f), f.number(2, "group-id"), f.text(3), f.text(4),
                        f.text(5));
            }
            case Presence.NAME -> {
                Fields f = shape(line, 2, "name:online");
                yield new Presence(f.text(0), f.bit(1, "online"));
            }
            case ReadMark.NAME -> {
                Fields f = shape(line, 2, "conversation:up-to-id");
                yield new ReadMark(Conversation.parse(f.text(0)), f.number(1, "up-to-id"));
            }
            case File.NAME -> new File(FileOffer.read(shape(line, 10, FileOffer.SHAPE)));
            case FileState.NAME -> {
                Fields f = shape(line, 2, "file-id:state");
                yield new FileState(f.number(0, "file-id"), FileStatus.fromWire(f.text(1)));
            }
            case FilePeer.NAME -> {
                Fields f = shape(line, 3, "from:ip:port[:file-name:size:sha256]");
                String size = f.text(4, "");
                yield new FilePeer(f.text(0), f.text(1), f.count(2, "port"), f.text(3, ""),
                        size.isEmpty() ? Request.FileTran.NO_SIZE : Fields.number(size, "size"), f.text(5, ""));
            }
            case Delivered.NAME -> {
                Fields f = shape(line, 2, "conversation:up-to-id");
                yield new Delivered(Conversation.parse(f.text(0)), f.number(1, "up-to-id"));
            }
            case Synced.NAME -> new Synced();
            case Bye.NAME -> {
                // A BYE is the last word: read it even when a server leaves the message out.
                Fields f = shape(line, 1, "reason:message");
                yield new Bye(f.text(0), f.text(1, ""));
            }
            default -> new Unknown(Fields.untagged(line));
        };
    }

    private static Fields shape(Line line, int required, String shape) {
        return Fields.of(line, 1, required, line.command() + ":" + shape);
    }

    private static long id(Fields f) {
        return f.number(0, "id");
    }

    private static long time(Fields f) {
        return f.number(1, "time");
    }

    private static String str(long n) {
        return Long.toString(n);
    }
}
