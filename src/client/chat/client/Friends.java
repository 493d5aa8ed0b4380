package chat.client;

import chat.common.proto.Item;
import chat.common.proto.Replies;
import chat.common.proto.Request;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Friend requests and friendships: {@code client.friends().add("bob")}. The changes they cause
 * reach my other devices, and the other side, as {@link ChatEvent}s; the device that asked gets
 * the future's answer instead.
 */
public final class Friends {

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
    /**
     * Blocks {@code name}: their messages, friend requests and group invitations no longer reach
     * me (they are not told), their group messages are not pushed to me, and a friendship with
     * them ends. Kept on the server, for every device of mine.
     */
    public CompletableFuture<Void> block(String name) {
        return client.call(new Request.Block(name), a -> null);
    }

    public CompletableFuture<Void> unblock(String name) {
        return client.call(new Request.Unblock(name), a -> null);
    }

    /** Whom I blocked, by name. */
    public CompletableFuture<List<Item.Blocked>> blocks() {
        return client.call(new Request.Blocks(), a -> a.items(Item.Blocked.class));
    }

    public CompletableFuture<Void> alias(String name, String alias) {
        return client.call(new Request.Alias(name, alias), a -> null);
    }
}
