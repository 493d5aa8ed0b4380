package chat.client;

import chat.client.HistoryEntry.DeliveryState;
import chat.common.proto.ChatMessage;
import chat.common.proto.Conversation;
import chat.common.proto.ErrorCode;
import chat.common.proto.Replies;
import chat.common.proto.Request;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * My messages on their way out. Each is stored {@link DeliveryState#PENDING} under a client id
 * of its own before it goes on the wire; the server's {@code MSG:true:id:time:client-id} makes it
 * {@link DeliveryState#SENT}, a refusal {@link DeliveryState#FAILED}. One typed while offline, or
 * whose reply the connection took with it, stays pending and goes again after the next login
 * ({@link #resend}) with the same client id, which the server stores once.
 *
 * <p>The lobby is the exception: nothing is stored, and a line that cannot go now fails with
 * {@link NotConnectedException}, as a legacy client's would: the lobby is live only. So is a
 * group this device does not know by that name: the server decides.
 */
final class Outbox {

    private final Requests requests;
    private final Events events;
    /** Set once, right after construction: the session and the outbox each need the other. */
    private Session session;

    Outbox(Requests requests, Events events) {
        this.requests = requests;
        this.events = events;
    }

    void attach(Session session) {
        this.session = session;
    }

    /**
     * Stores and sends {@code text} to {@code to} (a friend, or a group by id: the caller resolved
     * {@code #name}). The entry as it stands once the server answered, or PENDING at once when
     * it cannot go now; a refusal fails with {@link RefusedException} (the entry is FAILED).
     */
    CompletableFuture<HistoryEntry> send(Conversation to, String groupName, String text) {
        Session.Current now = session.current();
        if (now.account() == null || now.history() == null) {
            return CompletableFuture.failedFuture(new RefusedException(ErrorCode.NOT_LOGGED_IN, "log in first"));
        }
        String clientId = UUID.randomUUID().toString();
        long time = System.currentTimeMillis();
        if (to.isLobby() || to instanceof Conversation.GroupName) {
            return unstored(now, to, clientId, time, text);
        }
        var m = to instanceof Conversation.GroupId g
                ? ChatMessage.inGroup(0, time, now.account(), g.id(), groupName, clientId, text)
                : ChatMessage.direct(0, time, now.account(), to.format(), clientId, text);
        HistoryEntry pending = now.history().addOutgoing(m);
        if (!now.loggedIn()) {
            // A login finishing on the reader thread between the check above and addOutgoing ran
            // resend() on a pending list without this entry. Look again: once loggedIn is set
            // (before resend reads the list), either resend sees the entry or this does. Both
            // may send it; the server answers a repeated client id with the first message.
            Session.Current again = session.current();
            if (!again.loggedIn() || again.history() != now.history()) {
                return CompletableFuture.completedFuture(pending); // the next login sends it
            }
            now = again;
        }
        return go(now, pending, false);
    }

    /**
     * The lobby's lines, and a group this device does not know (the server decides: it says
     * why not, or takes it, and the message comes into the history with the next HISTORY): sent
     * now or not at all, and not stored.
     */
    private CompletableFuture<HistoryEntry> unstored(Session.Current now, Conversation to, String clientId, long time,
            String text) {
        String name = to.isLobby() ? Conversation.LOBBY_NAME : ((Conversation.GroupName) to).name();
        long id = to.isLobby() ? Conversation.LOBBY_ID : 0;
        if (!now.loggedIn()) {
            return CompletableFuture.failedFuture(new NotConnectedException(to.isLobby() ? "not connected"
                    : "not connected, and " + to.format() + " is not known here yet"));
        }
        return requests.send(now.generation(), new Request.Group(to.format(), clientId, text)).thenApply(a -> {
            var ok = a.as(Replies.SentOk.class);
            var m = ChatMessage.inGroup(ok.id(), to.isLobby() ? time : ok.time(), now.account(), id, name, clientId, text);
            return new HistoryEntry(m, DeliveryState.SENT);
        });
    }

    /** After a login: whatever is still pending goes again, oldest first. */
    void resend(long generation) {
        Session.Current now = session.current();
        if (now.history() == null || now.generation() != generation) {
            return;
        }
        for (HistoryEntry e : now.history().pending()) {
            go(now, e, true);
        }
    }

    private CompletableFuture<HistoryEntry> go(Session.Current now, HistoryEntry e, boolean resent) {
        ChatMessage m = e.message();
        Request r = m.isGroup()
                ? new Request.Group(Conversation.of(m.groupId()).format(), m.clientId(), m.text())
                : new Request.Msg(m.to(), m.clientId(), m.text());
        History h = now.history();
        var done = new CompletableFuture<HistoryEntry>();
        requests.send(now.generation(), r).whenComplete((answer, failed) -> {
            if (failed == null) {
                var ok = answer.as(Replies.SentOk.class);
                HistoryEntry sent = h.markSent(m.clientId(), ok.id(), ok.time());
                events.emit(new ChatEvent.MessageStateChanged(sent, null, resent));
                done.complete(sent);
                return;
            }
            Throwable why = Events.unwrap(failed);
            if (why instanceof RefusedException r2 && !retryable(r2.code())) {
                HistoryEntry lost = h.markFailed(m.clientId());
                events.emit(new ChatEvent.MessageStateChanged(lost, r2, resent));
                done.completeExceptionally(r2);
            } else {
                done.complete(e); // stays pending: sent again after the next login
            }
        });
        return done;
    }

    /** Failures after which the message stays pending: the server may take it on the next connection. */
    private static boolean retryable(ErrorCode code) {
        return code == ErrorCode.INTERNAL || code == ErrorCode.NOT_LOGGED_IN || code == ErrorCode.BUSY;
    }
}
