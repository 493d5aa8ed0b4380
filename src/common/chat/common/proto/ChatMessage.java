package chat.common.proto;

import chat.common.text.Names;
import java.util.List;

/**
 * A chat message as {@code MESSAGE} pushes and {@code HIST} items carry it:
 * {@code id:time:from:to:group-id:client-id:text}.
 *
 * <p>A private message has {@code to} = the recipient's name and no group ({@link #groupId} is
 * {@link #PRIVATE}; the wire field is empty). A group message has {@code to} = {@code #name} and
 * the group's id (the lobby: id 0, message id 0, client-id empty, as lobby traffic is not stored).
 * Build them with {@link #direct} and {@link #inGroup} to get that right.
 *
 * @param id       the message's id in the one message sequence; 0 for unstored lobby messages
 * @param time     when the server stored it, milliseconds since 1970 UTC
 * @param clientId the sender's own id for it (empty when it had none)
 */
public record ChatMessage(long id, long time, String from, String to, long groupId, String clientId, String text) {

    /** {@link #groupId} of a private message. */
    public static final long PRIVATE = -1;

    public ChatMessage {
        if (id < 0 || time < 0 || groupId < PRIVATE) {
            throw new IllegalArgumentException("negative id, time or group id: " + id + ", " + time + ", " + groupId);
        }
    }

    public static ChatMessage direct(long id, long time, String from, String to, String clientId, String text) {
        return new ChatMessage(id, time, from, to, PRIVATE, clientId, text);
    }

    /** A group message; {@code group} is the group's name, without {@code #}. */
    public static ChatMessage inGroup(long id, long time, String from, long groupId, String group, String clientId,
            String text) {
        return new ChatMessage(id, time, from, "#" + group, groupId, clientId, text);
    }

    public boolean isGroup() {
        return groupId != PRIVATE;
    }

    /** The group's name for a group message ({@code to} without {@code #}), else null. */
    public String groupName() {
        return !isGroup() ? null : to.startsWith("#") ? to.substring(1) : to;
    }

    /**
     * The conversation this message belongs to, seen by {@code me}: the group by id, or the other
     * person (the recipient when I sent it, from another of my devices say).
     */
    public Conversation conversationFor(String me) {
        if (isGroup()) {
            return Conversation.of(groupId);
        }
        return new Conversation.Direct(Names.key(from).equals(Names.key(me)) ? to : from);
    }

    /** The seven fields, in wire order. */
    List<String> fields() {
        return List.of(Long.toString(id), Long.toString(time), from, to, isGroup() ? Long.toString(groupId) : "",
                clientId, text);
    }

    static final String SHAPE = "id:time:from:to:group-id:client-id:text";

    /** Reads the seven fields from {@code f}'s position {@code at}. */
    static ChatMessage read(Fields f, int at) {
        String group = f.text(at + 4);
        return new ChatMessage(f.number(at, "id"), f.number(at + 1, "time"), f.text(at + 2), f.text(at + 3),
                group.isEmpty() ? PRIVATE : f.number(at + 4, "group-id"), f.text(at + 5), f.text(at + 6));
    }
}
