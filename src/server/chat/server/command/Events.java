package chat.server.command;

import chat.common.proto.ChatMessage;
import chat.common.proto.FileOffer;
import chat.common.proto.Item;
import chat.common.proto.Push;
import chat.server.hub.Hub;
import chat.server.hub.Session;
import chat.server.store.Store;
import chat.server.store.Store.Kind;
import java.util.List;

/**
 * The stored pushes: how each event's fields go into a row ({@link Store#storeEvent} keeps the
 * fields that are not columns) and how a row, text or event, comes back out as its push. The one
 * place that knows both sides, so that a live push and the same row caught up later are the same
 * line.
 */
final class Events {

    private Events() {}

    /** FRIEND_REQUEST: the sender is the actor; the row keeps whom it is to. */
    static List<String> friendRequest(String to) {
        return List.of(to);
    }

    /** FRIEND_ADDED, FRIEND_REMOVED, FRIEND_DECLINED: the other side's name, as its recipient sees it. */
    static List<String> other(String name) {
        return List.of(name);
    }

    static List<String> groupJoined(String group, String who, String by) {
        return List.of(group, who, by);
    }

    static final String KICKED = "kicked";

    /** GROUP_LEFT: how is {@code left} or {@link #KICKED}; by is the owner who kicked. */
    static List<String> groupLeft(String group, String who, boolean kicked, String by) {
        return List.of(group, who, kicked ? KICKED : "left", by);
    }

    static List<String> groupRenamed(String oldName, String newName) {
        return List.of(oldName, newName);
    }

    static List<String> groupDeleted(String group) {
        return List.of(group);
    }

    static List<String> joinRequest(String group, String who) {
        return List.of(group, who);
    }

    /** GROUP_REJECTED: the owner who turned the request down, and whose it was. */
    static List<String> groupRejected(String group, String by, String who) {
        return List.of(group, by, who);
    }

    /** GROUP_INVITED and GROUP_INVITE_DECLINED: the invitee, and who invited them. */
    static List<String> invitation(String group, String who, String by) {
        return List.of(group, who, by);
    }

    /** The message of a stored text row, as {@code MESSAGE} and {@code HIST} carry it. */
    static ChatMessage message(Store.Message m) {
        String clientId = m.clientId() == null ? "" : m.clientId();
        return m.isGroup()
                ? ChatMessage.inGroup(m.id(), m.sentAt(), m.senderName(), m.groupId(), m.groupName(), clientId, m.body())
                : ChatMessage.direct(m.id(), m.sentAt(), m.senderName(), m.recipientName(), clientId, m.body());
    }

    /** The file offer of a {@link Kind#FILE} row, as {@code FILE} and {@code HIST_FILE} carry it. */
    static FileOffer offer(Store.Message m) {
        ChatMessage c = message(m);
        Store.FileRef f = m.file();
        return new FileOffer(c.id(), c.time(), c.from(), c.to(), c.groupId(), c.clientId(), f.id(), m.body(), f.size(),
                f.sha256());
    }

    /** The history item of a stored row: {@code HIST}, or {@code HIST_FILE} for a file offer. */
    static Item item(Store.Message m) {
        return m.kind() == Kind.FILE ? new Item.HistFile(offer(m)) : new Item.Hist(message(m));
    }

    /** The push of a stored row: {@code MESSAGE} for text, {@code FILE} for a file, the event's own push otherwise. */
    static Push.Stored push(Store.Message m) {
        if (m.kind() == Kind.TEXT) {
            return new Push.Message(message(m));
        }
        if (m.kind() == Kind.FILE) {
            return new Push.File(offer(m));
        }
        List<String> f = m.eventFields();
        long id = m.id();
        long time = m.sentAt();
        long group = m.groupId();
        return switch (m.kind()) {
            case FRIEND_REQUEST -> new Push.FriendRequest(id, time, m.senderName(), at(f, 0));
            case FRIEND_ADDED -> new Push.FriendAdded(id, time, at(f, 0));
            case FRIEND_REMOVED -> new Push.FriendRemoved(id, time, at(f, 0));
            case FRIEND_DECLINED -> new Push.FriendDeclined(id, time, at(f, 0));
            case GROUP_JOINED -> new Push.GroupJoined(id, time, group, at(f, 0), at(f, 1), at(f, 2));
            case GROUP_LEFT -> new Push.GroupLeft(id, time, group, at(f, 0), at(f, 1), at(f, 2).equals(KICKED), at(f, 3));
            case GROUP_RENAMED -> new Push.GroupRenamed(id, time, group, at(f, 0), at(f, 1));
            case GROUP_DELETED -> new Push.GroupDeleted(id, time, group, at(f, 0));
            case GROUP_JOIN_REQUEST -> new Push.GroupJoinRequest(id, time, group, at(f, 0), at(f, 1));
            case GROUP_REJECTED -> new Push.GroupRejected(id, time, group, at(f, 0), at(f, 1), at(f, 2));
            case GROUP_INVITED -> new Push.GroupInvited(id, time, group, at(f, 0), at(f, 1), at(f, 2));
            case GROUP_INVITE_DECLINED -> new Push.GroupInviteDeclined(id, time, group, at(f, 0), at(f, 1), at(f, 2));
            case TEXT, FILE -> throw new AssertionError("text and files are handled above");
        };
    }

    /**
     * Pushes freshly stored rows live, each to its recipient's online devices; the acting device
     * has its reply instead, and devices still catching up get them in their next page.
     */
    static void deliver(Hub hub, List<Store.Message> rows, Session actor) {
        for (Store.Message row : rows) {
            hub.deliver(row.recipientId(), push(row), row.recipientId() == actor.userId ? actor : null);
        }
    }

    /** A field of an event row; a row written by an older server with fewer fields reads as empty ones. */
    private static String at(List<String> fields, int i) {
        return i < fields.size() ? fields.get(i) : "";
    }
}
