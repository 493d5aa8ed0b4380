package chat.client;

import chat.common.proto.Item;
import chat.common.proto.Replies;
import chat.common.proto.Request;
import chat.common.text.Names;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Friend requests and friendships: {@code client.friends().add("bob")}. The changes they cause
 * reach my other devices, and the other side, as {@link ChatEvent}s; the device that asked gets
 * the future's answer instead.
 */
public final class Friends {

    /** The most names FIND answers (the server's cap, PROTOCOL.md). */
    static final int FIND_LIMIT = 50;

    private final ChatClient client;

    Friends(ChatClient client) {
        this.client = client;
    }

    /** My friends, online or not, with my alias for each and their unread counts. */
    public CompletableFuture<List<Item.Friend>> list() {
        return client.call(new Request.Friends(), a -> a.items(Item.Friend.class));
    }

    /** Users whose name contains {@code text}. */
    public CompletableFuture<List<Item.User>> find(String text) {
        return client.call(new Request.Find(text), a -> a.items(Item.User.class));
    }

    /**
     * Whether an account is called {@code name} (in any spelling: {@code Bob} is {@code bob}), by an
     * exact match among FIND's answer: {@code Optional.empty()} when that cannot tell, as when the
     * answer is full (FIND gives at most {@link #FIND_LIMIT} names containing the text, and the
     * one sought may not be among them) or nobody is logged in (FIND needs a login; REGISTER's
     * {@code name-taken} then tells).
     */
    public CompletableFuture<Optional<Boolean>> taken(String name) {
        if (!client.isLoggedIn()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        String key = Names.key(name);
        return find(name).thenApply(users -> {
            if (users.stream().anyMatch(u -> Names.key(u.name()).equals(key))) {
                return Optional.of(true);
            }
            return users.size() < FIND_LIMIT ? Optional.of(false) : Optional.empty();
        });
    }

    /** Asks {@code name} to be my friend; {@code true} when that made us friends (they had asked me). */
    public CompletableFuture<Boolean> add(String name) {
        return client.call(new Request.Add(name), a -> a.as(Replies.AddOk.class).friends());
    }

    public CompletableFuture<Void> accept(String name) {
        return client.call(new Request.Accept(name), a -> null);
    }

    public CompletableFuture<Void> decline(String name) {
        return client.call(new Request.Decline(name), a -> null);
    }

    /** Ends the friendship, on both sides. */
    public CompletableFuture<Void> delete(String name) {
        return client.call(new Request.Del(name), a -> null);
    }

    /** My name for a friend; empty clears it. */
    public CompletableFuture<Void> alias(String name, String alias) {
        return client.call(new Request.Alias(name, alias), a -> null);
    }
}
