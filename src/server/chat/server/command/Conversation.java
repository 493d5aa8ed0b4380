package chat.server.command;

import static chat.common.proto.ErrorCode.NO_SUCH_GROUP;
import static chat.common.proto.ErrorCode.NO_SUCH_USER;

import chat.common.proto.ProtocolException;
import chat.common.text.Names;
import chat.server.store.Store;

/**
 * A conversation as a request names it: a friend ({@code bob}), or a group by name
 * ({@code #team}) or by id ({@code !42}, Matrix's sign for a room id; {@code !} is in no name).
 * Looked up on a worker.
 */
record Conversation(boolean group, long id, String name) {

    /** The stable way to name it in a push: the user's name, or {@code !id} for a group. */
    String reference() {
        return group ? "!" + id : name;
    }

    /** Resolves a reference; an unknown one is {@code no-such-user} or {@code no-such-group}. */
    static Conversation of(Store store, String reference) {
        if (reference.startsWith("#") || reference.startsWith("!")) {
            Store.Group g = group(store, reference);
            return new Conversation(true, g.id(), g.name());
        }
        Store.User u = store.userByKey(Names.key(reference))
                .orElseThrow(() -> new ProtocolException(NO_SUCH_USER, "no user " + reference));
        return new Conversation(false, u.id(), u.name());
    }

    /** A group named {@code team}, {@code #team} or {@code !42}. The lobby is no group here. */
    static Store.Group group(Store store, String reference) {
        if (reference.startsWith("!")) {
            long id;
            try {
                id = Long.parseLong(reference.substring(1));
            } catch (NumberFormatException e) {
                throw new ProtocolException(NO_SUCH_GROUP, "no group " + reference);
            }
            return store.groupById(id).orElseThrow(() -> new ProtocolException(NO_SUCH_GROUP, "no group " + reference));
        }
        String name = reference.startsWith("#") ? reference.substring(1) : reference;
        return store.groupByKey(Names.key(name)).orElseThrow(() -> new ProtocolException(NO_SUCH_GROUP, "no group " + name));
    }
}
