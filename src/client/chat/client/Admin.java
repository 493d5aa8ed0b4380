package chat.client;

import chat.common.proto.Item;
import chat.common.proto.Replies;
import chat.common.proto.Reply;
import chat.common.proto.Request;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The server's administration (protocol 1.4, cap {@code admin}): {@code client.admin().bans()}.
 * Only an account the server names an admin ({@code --admins}) may use it; anyone else's futures
 * fail with a {@link RefusedException} of code {@code forbidden}.
 */
public final class Admin {

    private final ChatClient client;

    Admin(ChatClient client) {
        this.client = client;
    }

    /** The server's counters, {@code name=value} fields as STATS gives them, in its order. */
    public CompletableFuture<Map<String, String>> stats() {
        return client.call(new Request.Stats(), a -> {
            var stats = new LinkedHashMap<String, String>();
            if (a.reply() instanceof Reply.Ok ok) {
                for (String field : ok.results()) {
                    int eq = field.indexOf('=');
                    if (eq > 0) {
                        stats.put(field.substring(0, eq), field.substring(eq + 1));
                    }
                }
            }
            return stats;
        });
    }

    /** Every connection the server has open, whatever it speaks. */
    public CompletableFuture<List<Item.ConnectionInfo>> connections() {
        return client.call(new Request.Connections(), a -> a.items(Item.ConnectionInfo.class));
    }

    /** Closes the connection numbered {@code id} in {@link #connections}. */
    public CompletableFuture<Void> disconnect(long id) {
        return client.call(new Request.Disconnect(id), a -> null);
    }

    /**
     * Bans the account {@code name} for {@code minutes} (0: for good): its devices are cut at
     * once, and its logins refused until then. Completes with the ban's end (ms since 1970, 0 for
     * good).
     */
    public CompletableFuture<Long> ban(String name, long minutes, String reason) {
        return client.call(new Request.Ban(name, minutes, reason), a -> a.as(Replies.BanOk.class).until());
    }

    /** Bans the IP address {@code address}: its connections are cut, new ones refused. */
    public CompletableFuture<Long> banAddress(String address, long minutes, String reason) {
        return ban(Request.Ban.ADDRESS_MARK + address, minutes, reason);
    }

    /** Lifts the ban of an account, or of an address written {@code @10.0.0.7}. */
    public CompletableFuture<Void> unban(String target) {
        return client.call(new Request.Unban(target), a -> null);
    }

    /** The bans in force, oldest first. */
    public CompletableFuture<List<Item.BanInfo>> bans() {
        return client.call(new Request.Bans(), a -> a.items(Item.BanInfo.class));
    }
}
