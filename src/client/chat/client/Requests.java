package chat.client;

import chat.common.proto.ErrorCode;
import chat.common.proto.Item;
import chat.common.proto.Line;
import chat.common.proto.ProtocolException;
import chat.common.proto.Reply;
import chat.common.proto.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request correlation: each request goes out under a tag of its own ({@code #c12:FRIENDS}), and
 * the reply with that tag completes its future, a list's items gathered first (a list head
 * {@code COMMAND:true:N} is followed by N item lines under the same tag). A failure reply fails
 * the future with {@link RefusedException}; a connection's requests fail with {@link
 * NotConnectedException} when it goes.
 *
 * <p>Lines without a tag are not replies: {@link #accept} leaves them to the caller (pushes).
 */
final class Requests {

    /** A success and, for a list, its items (those of a kind this version does not know left out). */
    record Answer(Reply reply, List<Item> items) {
        /** The typed results of a success. */
        <T extends chat.common.proto.Replies.Result> T as(Class<T> type) {
            try {
                return reply.as(type);
            } catch (ProtocolException e) {
                throw new IllegalStateException("a malformed reply: " + reply.toLine().format(), e);
            }
        }

        /** The items of type {@code type}. */
        <T extends Item> List<T> items(Class<T> type) {
            return items.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    private final Transport transport;
    private final AtomicLong tags = new AtomicLong();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    /** A request on the wire; {@code items} is non-null while the items of its list come. */
    private static final class Pending {
        final long generation;
        final CompletableFuture<Answer> future = new CompletableFuture<>();
        Reply head;
        List<Item> items;
        int expected;

        Pending(long generation) {
            this.generation = generation;
        }
    }

    Requests(Transport transport) {
        this.transport = transport;
    }

    /**
     * Sends {@code r} on connection {@code generation}: its answer, or {@link RefusedException}
     * when the server refuses, or {@link NotConnectedException} when that connection is gone or
     * goes before the reply.
     */
    CompletableFuture<Answer> send(long generation, Request r) {
        String tag = "c" + tags.incrementAndGet();
        var p = new Pending(generation);
        pending.put(tag, p);
        if (generation == 0 || !transport.write(generation, r.toLine(tag))) {
            pending.remove(tag);
            p.future.completeExceptionally(new NotConnectedException("not connected"));
        }
        return p.future;
    }

    /** Sends {@code r}, which has no reply (ACK); whether it went. */
    boolean tell(long generation, Request r) {
        return generation != 0 && transport.write(generation, r.toLine(null));
    }

    /** Drops connection {@code generation}: the transport connects again after its backoff. */
    void drop(long generation) {
        transport.drop(generation);
    }

    /** Takes {@code line} if it belongs to a request (a reply or an item); {@code false} for a push. */
    boolean accept(Line line) {
        if (line.tag() == null) {
            return false;
        }
        Pending p = pending.get(line.tag());
        if (p == null) {
            return true; // a reply to a request given up on, or of a connection gone
        }
        try {
            if (p.head == null) {
                p.head = Reply.parse(line);
                if (p.head instanceof Reply.ListHead list && list.count() > 0) {
                    p.items = new ArrayList<>(Math.min(list.count(), Request.MAX_PAGE));
                    p.expected = list.count();
                    return true;
                }
            } else {
                Item item = Item.parse(line);
                p.expected--;
                if (!(item instanceof Item.Unknown)) {
                    p.items.add(item);
                }
                if (p.expected > 0) {
                    return true;
                }
            }
        } catch (ProtocolException e) {
            pending.remove(line.tag());
            p.future.completeExceptionally(new RefusedException(ErrorCode.BAD_REQUEST,
                    "a malformed line from the server: " + e.getMessage()));
            return true;
        }
        pending.remove(line.tag());
        if (p.head instanceof Reply.Fail fail) {
            p.future.completeExceptionally(new RefusedException(fail.code(), fail.message(), Reply.retryAfterSeconds(line)));
        } else {
            p.future.complete(new Answer(p.head, p.items == null ? List.of() : List.copyOf(p.items)));
        }
        return true;
    }

    /** Connection {@code generation} went: its requests fail. */
    void closed(long generation) {
        for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
            Pending p = it.next().getValue();
            if (p.generation <= generation) {
                it.remove();
                p.future.completeExceptionally(new NotConnectedException("the connection went before the reply"));
            }
        }
    }
}
