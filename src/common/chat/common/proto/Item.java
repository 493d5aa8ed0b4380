package chat.common.proto;

import java.util.ArrayList;
import java.util.List;

/**
 * The lines of a list reply, after its head {@code COMMAND:true:N}: one record per item name. An
 * item's first field is an item name, never a request's or a push's (see {@link Vocabulary}), and
 * items only follow their head, with its tag.
 *
 * <p>{@link #parse} is lenient like {@link Push#parse}: an unknown item name is {@link Unknown},
 * missing trailing fields that are newer than the item take their defaults (so a 1.0 server's
 * {@code FRIEND:bob::1} reads), extra ones are ignored, and a malformed known item is
 * {@code bad-request}.
 */
public sealed interface Item {

    /** The item's name on the wire, its first field. */
    String wireName();

    /** The fields after the name. */
    List<String> arguments();

    /** The item, untagged: the list writer gives it the request's tag ({@link Reply#list}). */
    default Line toLine() {
        return toLine(null);
    }

    default Line toLine(String tag) {
        List<String> fields = new ArrayList<>(arguments().size() + 1);
        fields.add(wireName());
        fields.addAll(arguments());
        return new Line(tag, fields);
    }

    /**
     * {@code FRIEND:name:alias:online:unread:last-id:last-time:preview} (alias empty when unset;
     * last-id and last-time 0 and preview empty when we have no message yet). FRIENDS and CONTACTS
     * both write all of it.
     */
    record Friend(String name, String alias, boolean online, long unread, long lastId, long lastTime, String preview)
            implements Item {
        public static final String NAME = "FRIEND";
        public String wireName() { return NAME; }
        public List<String> arguments() {
            return List.of(name, alias, Fields.bit(online), str(unread), str(lastId), str(lastTime), preview);
        }
    }

    /**
     * {@code GROUP_INFO:id:name:owner:open-or-closed:members:unread:last-id:last-time:preview}.
     * CONTACTS writes all of it; GROUPS only the first five fields, which a {@link #brief} item
     * does (its unread, last-id, last-time are 0 and its preview empty), and a line of exactly
     * five fields reads as brief. The lobby's owner is empty.
     */
    record GroupInfo(long id, String name, String owner, boolean open, int members, long unread, long lastId,
            long lastTime, String preview, boolean brief) implements Item {
        public static final String NAME = "GROUP_INFO";

        /** The full item, as CONTACTS writes it. */
        public GroupInfo(long id, String name, String owner, boolean open, int members, long unread, long lastId,
                long lastTime, String preview) {
            this(id, name, owner, open, members, unread, lastId, lastTime, preview, false);
        }

        /** The five fields GROUPS writes. */
        public static GroupInfo brief(long id, String name, String owner, boolean open, int members) {
            return new GroupInfo(id, name, owner, open, members, 0, 0, 0, "", true);
        }

        public String wireName() { return NAME; }
        public List<String> arguments() {
            List<String> head = List.of(str(id), name, owner, open ? "open" : "closed", str(members));
            if (brief) {
                return head;
            }
            List<String> all = new ArrayList<>(head);
            all.addAll(List.of(str(unread), str(lastId), str(lastTime), preview));
            return all;
        }
    }

    /** {@code PENDING:name:in-or-out:time}: a friend request to me ({@code in}) or from me. */
    record Pending(String name, boolean incoming, long time) implements Item {
        public static final String NAME = "PENDING";
        public String wireName() { return NAME; }
        public List<String> arguments() { return List.of(name, incoming ? "in" : "out", str(time)); }
    }

    /** {@code HIST:id:time:from:to:group-id:client-id:text}: the fields of a {@code MESSAGE}. */
    record Hist(ChatMessage message) implements Item {
        public static final String NAME = "HIST";
        public String wireName() { return NAME; }
        public List<String> arguments() { return message.fields(); }
    }

    /** {@code HIST_FILE:id:time:from:to:group-id:client-id:file-id:name:size:sha256}: the fields of a {@code FILE}. */
    record HistFile(FileOffer offer) implements Item {
        public static final String NAME = "HIST_FILE";
        public String wireName() { return NAME; }
        public List<String> arguments() { return offer.fields(); }
    }

    /**
     * {@code FILE_INFO:file-id:msg-id:time:from:to:name:size:sha256:state:received:expires-at}: a
     * FILES result. {@code received} is how many bytes the server holds, {@code expiresAt} when the
     * offer and its bytes go (ms since 1970 UTC).
     */
    record FileInfo(long fileId, long messageId, long time, String from, String to, String name, long size,
            String sha256, FileStatus state, long received, long expiresAt) implements Item {
        public static final String NAME = "FILE_INFO";
        public String wireName() { return NAME; }
        public List<String> arguments() {
            return List.of(str(fileId), str(messageId), str(time), from, to, name, str(size), sha256, state.wire(),
                    str(received), str(expiresAt));
        }
    }

    /** {@code USER:name:friend}: a FIND result. */
    record User(String name, boolean friend) implements Item {
        public static final String NAME = "USER";
        public String wireName() { return NAME; }
        public List<String> arguments() { return List.of(name, Fields.bit(friend)); }
    }

    /** {@code MEMBER:name:online:owner}. */
    record Member(String name, boolean online, boolean owner) implements Item {
        public static final String NAME = "MEMBER";
        public String wireName() { return NAME; }
        public List<String> arguments() { return List.of(name, Fields.bit(online), Fields.bit(owner)); }
    }

    /** {@code JOIN_REQUESTED:group-id:group:name:time}: someone waiting for the owner's approval. */
    record JoinRequested(long groupId, String group, String name, long time) implements Item {
        public static final String NAME = "JOIN_REQUESTED";
        public String wireName() { return NAME; }
        public List<String> arguments() { return List.of(str(groupId), group, name, str(time)); }
    }

    /** {@code INVITATION:group-id:group:by:time}: an invitation waiting for my answer (1.4). */
    record Invitation(long groupId, String group, String by, long time) implements Item {
        public static final String NAME = "INVITATION";
        public String wireName() { return NAME; }
        public List<String> arguments() { return List.of(str(groupId), group, by, str(time)); }
    }

    /** {@code BLOCKED:name:since}: a user I blocked (1.4). */
    record Blocked(String name, long since) implements Item {
        public static final String NAME = "BLOCKED";
        public String wireName() { return NAME; }
        public List<String> arguments() { return List.of(name, str(since)); }
    }

    /** {@code UNREAD_COUNT:conversation:count}: a friend's name, or a group ({@code !42} or {@code #team}). */
    record UnreadCount(Conversation conversation, long count) implements Item {
        public static final String NAME = "UNREAD_COUNT";
        public String wireName() { return NAME; }
        public List<String> arguments() { return List.of(conversation.format(), str(count)); }
    }

    /**
     * {@code CONNECTION_INFO:id:user:address:protocol:since:idle:backlog}, a CONNECTIONS result
     * (1.4): the connection's number (what DISCONNECT takes); who is on it: an account's name, a
     * legacy client's marked name ({@code ~bob}), or {@code -} for nobody yet; its peer's address
     * and port; {@code text}, {@code legacy}, {@code data} or {@code new} (not identified yet);
     * since when (ms since 1970 UTC); seconds since it last sent a byte; bytes waiting to be
     * written to it.
     */
    record ConnectionInfo(long id, String user, String address, String protocol, long since, long idleSeconds,
            long backlog) implements Item {
        public static final String NAME = "CONNECTION_INFO";
        /** The user of a connection nobody has logged in on. */
        public static final String NOBODY = "-";
        public String wireName() { return NAME; }
        public List<String> arguments() {
            return List.of(str(id), user, address, protocol, str(since), str(idleSeconds), str(backlog));
        }
    }

    /**
     * {@code BAN_INFO:kind:target:until:reason:by:at}, a BANS result (1.4): {@code account} (target
     * a name) or {@code address} (target an IP address); until when (ms since 1970 UTC, 0: for
     * good); why; the admin who banned; when.
     */
    record BanInfo(String kind, String target, long until, String reason, String by, long at) implements Item {
        public static final String NAME = "BAN_INFO";
        public static final String ACCOUNT = "account";
        public static final String ADDRESS = "address";
        public String wireName() { return NAME; }
        public List<String> arguments() { return List.of(kind, target, str(until), reason, by, str(at)); }

        /** Whether the ban lasts for good. */
        public boolean forGood() {
            return until == 0;
        }
    }

    /** An item this version does not know, from a newer server: clients skip it. Its line is untagged. */
    record Unknown(Line line) implements Item {
        public String wireName() { return line.command(); }
        public List<String> arguments() { return line.fields().subList(1, line.size()); }
        @Override public Line toLine(String tag) { return new Line(tag, line.fields()); }
    }

    /**
     * The item on a line (its tag is ignored).
     *
     * @throws ProtocolException {@code bad-request} for a known item with too few or malformed fields
     */
    static Item parse(Line line) {
        return switch (line.command()) {
            case Friend.NAME -> {
                Fields f = shape(line, 3, "name:alias:online[:unread:last-id:last-time:preview]");
                yield new Friend(f.text(0), f.text(1), f.bit(2, "online"), f.number(3, "unread", 0),
                        f.number(4, "last-id", 0), f.number(5, "last-time", 0), f.text(6, ""));
            }
            case GroupInfo.NAME -> {
                Fields f = shape(line, 5, "id:name:owner:open-or-closed:members[:unread:last-id:last-time:preview]");
                yield new GroupInfo(f.number(0, "id"), f.text(1), f.text(2), f.word(3, "open", "closed", "open-or-closed"),
                        f.count(4, "members"), f.number(5, "unread", 0), f.number(6, "last-id", 0),
                        f.number(7, "last-time", 0), f.text(8, ""), f.size() == 5);
            }
            case Pending.NAME -> {
                Fields f = shape(line, 3, "name:in-or-out:time");
                yield new Pending(f.text(0), f.word(1, "in", "out", "in-or-out"), f.number(2, "time"));
            }
            case Hist.NAME -> new Hist(ChatMessage.read(shape(line, 7, ChatMessage.SHAPE), 0));
            case HistFile.NAME -> new HistFile(FileOffer.read(shape(line, 10, FileOffer.SHAPE)));
            case FileInfo.NAME -> {
                Fields f = shape(line, 11, "file-id:msg-id:time:from:to:name:size:sha256:state:received:expires-at");
                yield new FileInfo(f.number(0, "file-id"), f.number(1, "msg-id"), f.number(2, "time"), f.text(3),
                        f.text(4), f.text(5), f.number(6, "size"), f.text(7), FileStatus.fromWire(f.text(8)),
                        f.number(9, "received"), f.number(10, "expires-at"));
            }
            case User.NAME -> {
                Fields f = shape(line, 2, "name:friend");
                yield new User(f.text(0), f.bit(1, "friend"));
            }
            case Member.NAME -> {
                Fields f = shape(line, 3, "name:online:owner");
                yield new Member(f.text(0), f.bit(1, "online"), f.bit(2, "owner"));
            }
            case JoinRequested.NAME -> {
                Fields f = shape(line, 4, "group-id:group:name:time");
                yield new JoinRequested(f.number(0, "group-id"), f.text(1), f.text(2), f.number(3, "time"));
            }
            case Invitation.NAME -> {
                Fields f = shape(line, 4, "group-id:group:by:time");
                yield new Invitation(f.number(0, "group-id"), f.text(1), f.text(2), f.number(3, "time"));
            }
            case Blocked.NAME -> {
                Fields f = shape(line, 2, "name:since");
                yield new Blocked(f.text(0), f.number(1, "since"));
            }
            case UnreadCount.NAME -> {
                Fields f = shape(line, 2, "conversation:count");
                yield new UnreadCount(Conversation.parse(f.text(0)), f.number(1, "count"));
            }
            case ConnectionInfo.NAME -> {
                Fields f = shape(line, 7, "id:user:address:protocol:since:idle:backlog");
                yield new ConnectionInfo(f.number(0, "id"), f.text(1), f.text(2), f.text(3), f.number(4, "since"),
                        f.number(5, "idle"), f.number(6, "backlog"));
            }
            case BanInfo.NAME -> {
                Fields f = shape(line, 6, "kind:target:until:reason:by:at");
                yield new BanInfo(f.text(0), f.text(1), f.number(2, "until"), f.text(3), f.text(4), f.number(5, "at"));
            }
            default -> new Unknown(Fields.untagged(line));
        };
    }

    private static Fields shape(Line line, int required, String shape) {
        return Fields.of(line, 1, required, line.command() + ":" + shape);
    }

    private static String str(long n) {
        return Long.toString(n);
    }
}
