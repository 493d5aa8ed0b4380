package chat.server.command;

import static chat.common.proto.ErrorCode.NO_SUCH_GROUP;
import static chat.common.proto.ErrorCode.NO_SUCH_USER;

import chat.common.proto.Conversation;
import chat.common.proto.ProtocolException;
import chat.common.text.Names;
import chat.server.store.Store;

/**
 * A conversation a request names ({@code bob}, {@code #team}, {@code !42}; see
 * {@link Conversation}), looked up in the store: a user or a group, by row id. Looked up on a
 * worker.
 */
record Target(boolean group, long id, String name) {

    /** The stable way to name it in a push: the user's name, or {@code !id} for a group. */
    Conversation reference() {
        return group ? Conversation.of(id) : new Conversation.Direct(name);
    }

    /** A friend or a group; an unknown one is {@code no-such-user} or {@code no-such-group}. */
    static Target of(Store store, String reference) {
        Conversation c = Conversation.parse(reference);
        if (c instanceof Conversation.Direct d) {
            Store.User u = store.userByKey(Names.key(d.name()))
                    .orElseThrow(() -> new ProtocolException(NO_SUCH_USER, "no user " + d.name()));
            return new Target(false, u.id(), u.name());
        }
        Store.Group g = group(store, c);
        return new Target(true, g.id(), g.name());
    }

    /** A group named {@code team}, {@code #team} or {@code !42}. The lobby is no group here. */
    static Store.Group group(Store store, String reference) {
        return group(store, Conversation.group(reference));
    }

    private static Store.Group group(Store store, Conversation c) {
        var found = c instanceof Conversation.GroupId id
                ? store.groupById(id.id())
                : store.groupByKey(Names.key(((Conversation.GroupName) c).name()));
        return found.orElseThrow(() -> new ProtocolException(NO_SUCH_GROUP, "no group " + c.format()));
    }
}
