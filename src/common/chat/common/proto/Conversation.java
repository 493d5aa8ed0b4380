package chat.common.proto;

import static chat.common.proto.ErrorCode.BAD_REQUEST;

import java.util.OptionalLong;

/**
 * How a line names a conversation: a friend by name ({@code bob}), a group by name
 * ({@code #team}) or a group by its id ({@code !42}, Matrix's sign for a room id; {@code !} is in
 * no name, so the three never collide). The lobby is group id {@value #LOBBY_ID}, name
 * {@value #LOBBY_NAME}.
 *
 * <p>Parsing checks the form only; whether the user or group exists is the server's business.
 */
public sealed interface Conversation {

    long LOBBY_ID = 0;
    String LOBBY_NAME = "lobby";

    /** The lobby, by id. */
    Conversation LOBBY = new GroupId(LOBBY_ID);

    /** A private conversation: the other person's name. */
    record Direct(String name) implements Conversation {
        public Direct {
            if (name.isEmpty() || name.startsWith("#") || name.startsWith("!")) {
                throw new IllegalArgumentException("not a person's name: '" + name + "'");
            }
        }

        public String format() { return name; }
    }

    /** A group named by its name, written {@code #name}. */
    record GroupName(String name) implements Conversation {
        public GroupName {
            if (name.isEmpty()) {
                throw new IllegalArgumentException("a group's name is not empty");
            }
        }

        public String format() { return "#" + name; }
    }

    /** A group named by its stable id, written {@code !id}. */
    record GroupId(long id) implements Conversation {
        public GroupId {
            if (id < 0) {
                throw new IllegalArgumentException("a group id is not negative: " + id);
            }
        }

        public String format() { return "!" + id; }
    }

    /** The conversation as a line writes it. */
    String format();

    default boolean isGroup() {
        return !(this instanceof Direct);
    }

    /** The group's id when the conversation names one by id ({@code !42}), else empty. */
    default OptionalLong groupId() {
        return this instanceof GroupId g ? OptionalLong.of(g.id()) : OptionalLong.empty();
    }

    /** The lobby however it is named ({@code !0}, {@code #lobby}, any case of it). */
    default boolean isLobby() {
        return this instanceof GroupId g ? g.id() == LOBBY_ID
                : this instanceof GroupName n && chat.common.text.Names.key(n.name()).equals(LOBBY_NAME);
    }

    /**
     * {@code bob}, {@code #team} or {@code !42}.
     *
     * @throws ProtocolException {@code bad-request} for an empty name or a bad id
     */
    static Conversation parse(String text) {
        if (text.startsWith("!")) {
            return new GroupId(Fields.number(text.substring(1), "a group id after '!'"));
        }
        if (text.startsWith("#")) {
            return new GroupName(nonEmpty(text.substring(1), text));
        }
        return new Direct(nonEmpty(text, text));
    }

    /**
     * A field that names a group: {@code team}, {@code #team} or {@code !42} (a bare name is a
     * group's here, where no user could be meant).
     *
     * @throws ProtocolException {@code bad-request} for an empty name or a bad id
     */
    static Conversation group(String text) {
        Conversation c = parse(text);
        return c instanceof Direct d ? new GroupName(d.name()) : c;
    }

    static Conversation of(long groupId) {
        return new GroupId(groupId);
    }

    private static String nonEmpty(String name, String as) {
        if (name.isEmpty()) {
            throw new ProtocolException(BAD_REQUEST, "a conversation is a name, #group or !group-id, not '" + as + "'");
        }
        return name;
    }
}
