package chat.server.command;

import chat.common.proto.Line;
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

    static List<String> groupLeft(String group, String who, String how, String by) {
        return List.of(group, who, how, by);
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

    /** The push of a stored row: {@code MESSAGE} for text, the event's own push otherwise. */
    static Line push(Store.Message m) {
        String id = Long.toString(m.id());
        String time = Long.toString(m.sentAt());
        if (m.kind() == Kind.TEXT) {
            return m.isGroup()
                    ? Line.of(null, "MESSAGE", id, time, m.senderName(), "#" + m.groupName(), Long.toString(m.groupId()),
                            m.clientId(), m.body())
                    : Line.of(null, "MESSAGE", id, time, m.senderName(), m.recipientName(), "", m.clientId(), m.body());
        }
        List<String> f = m.eventFields();
        String group = Long.toString(m.groupId());
        return switch (m.kind()) {
            case FRIEND_REQUEST -> Line.of(null, "FRIEND_REQUEST", id, time, m.senderName(), at(f, 0));
            case FRIEND_ADDED -> Line.of(null, "FRIEND_ADDED", id, time, at(f, 0));
            case FRIEND_REMOVED -> Line.of(null, "FRIEND_REMOVED", id, time, at(f, 0));
            case FRIEND_DECLINED -> Line.of(null, "FRIEND_DECLINED", id, time, at(f, 0));
            case GROUP_JOINED -> Line.of(null, "GROUP_JOINED", id, time, group, at(f, 0), at(f, 1), at(f, 2));
            case GROUP_LEFT -> Line.of(null, "GROUP_LEFT", id, time, group, at(f, 0), at(f, 1), at(f, 2), at(f, 3));
            case GROUP_RENAMED -> Line.of(null, "GROUP_RENAMED", id, time, group, at(f, 0), at(f, 1));
            case GROUP_DELETED -> Line.of(null, "GROUP_DELETED", id, time, group, at(f, 0));
            case GROUP_JOIN_REQUEST -> Line.of(null, "GROUP_JOIN_REQUEST", id, time, group, at(f, 0), at(f, 1));
            case TEXT -> throw new AssertionError("text is handled above");
        };
    }

    /**
     * Pushes freshly stored rows live, each to its recipient's online devices; the acting device
     * has its reply instead, and devices still catching up get them in their next page.
     */
    static void deliver(Hub hub, List<Store.Message> rows, Session actor) {
        for (Store.Message row : rows) {
            hub.deliver(row.recipientId(), Pushes.encode(push(row)), row.recipientId() == actor.userId ? actor : null);
        }
    }

    /** A field of an event row; a row written by an older server with fewer fields reads as empty ones. */
    private static String at(List<String> fields, int i) {
        return i < fields.size() ? fields.get(i) : "";
    }
}
