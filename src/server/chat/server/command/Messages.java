package chat.server.command;

import static chat.common.proto.ErrorCode.BAD_REQUEST;
import static chat.common.proto.ErrorCode.NOT_FRIENDS;
import static chat.common.proto.ErrorCode.NOT_MEMBER;
import static chat.common.proto.ErrorCode.NO_SUCH_USER;
import static chat.common.proto.ErrorCode.SELF;

import chat.common.proto.Conversation;
import chat.common.proto.Item;
import chat.common.proto.Push;
import chat.common.proto.Replies;
import chat.common.proto.ProtocolException;
import chat.common.proto.Request;
import chat.common.text.Names;
import chat.server.hub.Hub;
import chat.server.hub.Session;
import chat.server.store.Store;
import chat.server.store.Workers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * MSG, ACK, HISTORY, SEARCH, UNREAD and READ, and the delivery of what waited for a device:
 * messages and events alike (they share one id sequence, so one ACK covers both).
 *
 * <p>Delivery is at least once, in order, per device, and the client's ACKs move it on: a row
 * counts as received by a device only when that device acknowledges it ({@code ACK:id} covers
 * everything up to that id). At login, what waits is pushed a page at a time; the ACK of a page's
 * last id brings the next page, and {@code SYNCED} says there is nothing more. Storing and reading
 * a page both run on the single writer thread, so a row stored during the catch-up is in a later
 * page rather than pushed out of order; live pushes to the device begin after {@code SYNCED}. In a
 * cluster a page is read only up to the node's released position, below which every row is
 * committed, so the further pages a catch-up or a resync asks for itself run on a reader.
 */
final class Messages {

    private static final System.Logger LOG = System.getLogger(Messages.class.getName());

    /** Rows per catch-up page. */
    static final int PAGE = 200;
    /**
     * Bytes per catch-up page, whatever its rows: a page is written in one go, and 200 messages of
     * 16 KiB whose text is all escapes would be about 10 MB, past a connection's output cap
     * (4 MiB), so the client would be cut at every login. A page stops after the row that reaches
     * this; the ACK of that row brings the rest.
     */
    static final int PAGE_BYTES = 512 * 1024;
    static final int MAX_TEXT_BYTES = 16 * 1024;
    static final int MAX_CLIENT_ID = 64;

    private final Services services;
    private final Acks acks;
    /** MSGs waiting next to each other for the writer are stored together: see {@link Store#storeFriendMessages}. */
    private final Workers.Batch<Store.Outgoing, Store.Sent> sends;

    Messages(Services services) {
        this.services = services;
        this.acks = new Acks(services);
        this.sends = outgoing -> services.store().storeFriendMessages(outgoing);
        services.hub().setResync(this::resync);
    }

    /**
     * A catch-up page: what waited, read up to {@code bound} (the node's released position in a
     * cluster, every id otherwise).
     */
    record Page(List<Store.Message> rows, long bound) {}

    /**
     * The next page of what waits for the device, after its cursor and after {@code after} (its
     * highest pushed id, for a resync), up to what this node has released. On the writer (a
     * login's first page, an ACK's next one), or on a reader ({@link #nextPage}, cluster mode).
     */
    Page page(long userId, long deviceId, long after) {
        long bound = services.hub().catchUpBound(); // before the read: all up to it is committed
        if (bound == Long.MAX_VALUE) {
            return new Page(services.store().undelivered(userId, deviceId, PAGE), bound);
        }
        return new Page(services.store().undelivered(userId, deviceId, PAGE, after, bound), bound);
    }

    /**
     * Cluster mode: reads {@code me}'s catch-up again from the highest id pushed to it, bounded
     * as a login's, because a doorbell may have been lost (the subscriber link dropped, a gap in
     * a node's sequence, Redis restarted, a node reaped). Live pushes wait meanwhile, and no
     * {@code SYNCED} ends it: the device sees only what it had missed, in order.
     */
    void resync(Session me) {
        if (me.awaitingResync) {
            // held since the resync was asked for (a resync then), or a catch-up that waited for it
            me.awaitingResync = false;
        } else if (me.syncing) {
            me.again = true; // the catch-up under way reads once more before it ends
            return;
        } else {
            me.syncing = true;
            me.resyncing = true;
        }
        me.lastPushedId = Long.MAX_VALUE; // no ACK asks for a page of its own meanwhile
        nextPage(me);
    }

    /**
     * Cluster mode (a resync, a catch-up that reads once more): reads the next page after the
     * highest id pushed to the device, and pushes it. On a reader, not the writer: the page ends
     * at the released position, below which every id is committed (no write waiting for the
     * writer can store one there, which is what reading on the writer guards against), and a
     * resync of 10,000 sessions then does not queue 10,000 reads ahead of the messages.
     */
    private void nextPage(Session me) {
        var s = services;
        long after = me.highestPushed;
        s.workers().read(() -> page(me.userId, me.deviceId, after), (page, failed) -> {
            if (failed != null) {
                // Nothing would read it later: the device starts its catch-up again elsewhere.
                LOG.log(System.Logger.Level.ERROR, me + " - reading a catch-up page again failed", failed);
                me.connection.closeAfterFlush("catch-up page failed");
            } else if (me.connection.isWritable() && !me.replaced) {
                deliverPage(me, page);
            }
        });
    }

    /** Why a message cannot be sent as it is, or null. */
    static String problem(String clientId, String text) {
        if (clientId.isEmpty() || clientId.length() > MAX_CLIENT_ID) {
            return "a client message id has 1 to " + MAX_CLIENT_ID + " characters";
        }
        if (text.isEmpty() || text.getBytes(StandardCharsets.UTF_8).length > MAX_TEXT_BYTES) {
            return "a message has 1 to " + MAX_TEXT_BYTES + " bytes";
        }
        return null;
    }

    /**
     * A private message: stored, acknowledged to the sender, pushed to every online device of the
     * recipient and to the sender's other devices (encoded once for all of them).
     */
    void send(Client c, String tag, Session me, Request.Msg r) {
        String problem = problem(r.clientId(), r.text());
        if (problem != null) {
            c.fail(tag, "MSG", BAD_REQUEST, problem);
            return;
        }
        var s = services;
        var outgoing = new Store.Outgoing(me.userId, me.name, me.deviceId, Names.key(r.to()), r.clientId(), r.text(),
                s.now());
        s.batched(c, "storing a message", sends, outgoing, (Store.Sent sent, Throwable failed) -> {
            if (failed == null && sent.refusal() != null) {
                failed = refusal(sent.refusal(), r.to());
            }
            if (c.failed(tag, "MSG", "storing a message", failed)) {
                return;
            }
            Store.Stored stored = sent.stored();
            Store.Message m = stored.message();
            c.ok(tag, r, new Replies.SentOk(m.id(), m.sentAt(), m.clientId()));
            if (!stored.duplicate()) {
                byte[] line = Hub.encode(Events.push(m)); // once, for both accounts' devices
                // The recipient's devices owe the sender a receipt (a syncing one gets it in a
                // page, which says so there).
                s.hub().deliver(m.recipientId(), m.id(), line, null, me.userId);
                s.hub().deliver(me.userId, m.id(), line, me);
            }
        });
    }

    /** Why a MSG to {@code to} was refused, as its error. */
    private static ProtocolException refusal(Store.Refusal why, String to) {
        return switch (why) {
            case NO_SUCH_USER -> new ProtocolException(NO_SUCH_USER, "no user " + to);
            case SELF -> new ProtocolException(SELF, "that is you");
            case NOT_FRIENDS -> new ProtocolException(NOT_FRIENDS,
                    "only friends can message each other; ADD " + to + " first");
        };
    }

    /** Writes the ACKs waiting for their batch now (see {@link Acks#flush}). */
    void flushAcks() {
        acks.flush();
    }

    /**
     * ACK: the device has everything up to an id. It cannot have received more than was pushed
     * to it, so a larger id (a stale one from another login, a bug, {@code ACK:9000000000000000000})
     * is refused and moves nothing: recorded, it would put the device's cursor past every message
     * stored later, which would then skip its catch-up. (ACK has no success reply, but a refusal
     * is answered, so that the client's bug shows.)
     */
    void ack(Client c, String tag, Session me, Request.Ack r) {
        long upTo = r.messageId();
        if (upTo > me.highestPushed) {
            c.fail(tag, "ACK", BAD_REQUEST, "ACK of " + upTo + ", past the last id pushed to this device ("
                    + me.highestPushed + ")");
            return;
        }
        receipts(me, upTo);
        if (!(me.syncing && upTo >= me.lastPushedId)) {
            acks.add(me.deviceId, upTo);
            return;
        }
        // The ACK of a catch-up page's last id: record it and read the next page, in one writer
        // task, so that the page starts after it.
        me.lastPushedId = Long.MAX_VALUE; // one page at a time, however many ACKs come
        var s = services;
        long after = me.highestPushed;
        s.write(c, () -> {
            s.store().acknowledgeDevices(Map.of(me.deviceId, upTo));
            return page(me.userId, me.deviceId, after);
        }, (page, failed) -> {
            if (failed != null) {
                // No later ACK would bring the next page: the device starts its catch-up again.
                c.failed(tag, "ACK", "recording an acknowledgement", failed);
                c.connection.closeAfterFlush("catch-up page failed");
            } else if (c.session() == me) {
                deliverPage(me, page);
            }
        });
    }

    /**
     * Pushes a page of what waited, up to {@link #PAGE_BYTES}; a short page, written whole, ends
     * the catch-up.
     */
    void deliverPage(Session me, Page p) {
        List<Store.Message> page = p.rows();
        int bytes = 0;
        int written = 0;
        for (Store.Message m : page) {
            byte[] line = Hub.encode(Events.push(m));
            me.connection.write(line);
            me.pushed(m.id());
            if (m.groupId() == 0 && m.kind() == Store.Kind.TEXT && m.recipientId() == me.userId && m.senderId() != me.userId) {
                me.awaitReceipt(m.id(), m.senderId());
            }
            written++;
            bytes += line.length;
            if (bytes >= PAGE_BYTES) {
                break;
            }
        }
        if (page.size() < PAGE && written == page.size()) {
            caughtUp(me, p.bound());
        } else {
            me.lastPushedId = me.highestPushed;
        }
    }

    /**
     * The catch-up read everything up to {@code bound}. In a cluster, what this node released
     * since then comes from the router's recent releases; when those no longer reach back that
     * far, or a resync was asked for meanwhile, another page is read first.
     */
    private void caughtUp(Session me, long bound) {
        var router = services.hub().router();
        if (router != null && (me.again || !router.caughtUp(me, bound))) {
            me.again = false;
            nextPage(me);
            return;
        }
        if (me.awaitingResync) {
            return; // a resync is pending (the router said so): it reads on from here, then ends this
        }
        boolean quiet = me.resyncing;
        me.resyncing = false;
        me.synced(quiet ? null : Hub.encode(new Push.Synced())); // then the live pushes held meanwhile
    }

    /**
     * {@code DELIVERED:me:id} to the online devices of each sender whose private messages this
     * ACK covers: live, so an offline sender learns nothing (the smallest honest receipt; a
     * stored one would cost a write per message).
     */
    private void receipts(Session me, long upTo) {
        Map<Long, Long> bySender = me.receipts(upTo);
        if (bySender.isEmpty()) {
            return;
        }
        var to = new Conversation.Direct(me.name);
        bySender.forEach((sender, id) -> services.hub().notify(sender, new Push.Delivered(to, id), null));
    }

    /** A conversation's page: with a friend, or a group's ({@code #team}, {@code !42}; members only). */
    void history(Client c, String tag, Session me, Request.History r) {
        var s = services;
        long before = r.beforeId() == 0 ? Long.MAX_VALUE : r.beforeId();
        s.read(c, () -> {
            Target with = Target.of(s.store(), r.with());
            if (with.group()) {
                checkMember(with, me);
                return s.store().groupHistory(with.id(), me.userId, before, r.limit());
            }
            return s.store().history(me.userId, with.id(), before, r.limit());
        }, (messages, failed) -> reply(c, tag, "HISTORY", messages, failed));
    }

    private void checkMember(Target with, Session me) {
        if (!services.store().isMember(with.id(), me.userId)) {
            throw new ProtocolException(NOT_MEMBER, "not a member of " + with.name());
        }
    }

    /** {@code UNREAD_COUNT:name-or-#group:count} for each conversation with unread messages. */
    void unread(Client c, String tag, Session me) {
        var s = services;
        s.read(c, () -> s.store().unread(me.userId), (counts, failed) -> {
            if (failed != null) {
                c.failed(tag, "UNREAD", "counting unread messages", failed);
                return;
            }
            List<Item> items = new ArrayList<>(counts.size());
            for (Store.Unread u : counts) {
                Conversation with = u.group() ? new Conversation.GroupName(u.name()) : new Conversation.Direct(u.name());
                items.add(new Item.UnreadCount(with, u.count()));
            }
            c.list(tag, "UNREAD", items);
        });
    }

    /**
     * Marks a conversation read up to an id (0: the newest); the mark never moves back. My other
     * online devices get {@code READ_MARK}, so that their unread counts follow.
     */
    void read(Client c, String tag, Session me, Request.Read r) {
        if (r.upTo() < 0) {
            c.fail(tag, "READ", BAD_REQUEST, "an id is 0 or more");
            return;
        }
        var s = services;
        s.write(c, () -> {
            Target with = Target.of(s.store(), r.conversation());
            if (with.group()) {
                checkMember(with, me);
            }
            return new Marked(with, s.store().markRead(me.userId, with.group(), with.id(), r.upTo()));
        }, (marked, failed) -> {
            if (c.failed(tag, "READ", "marking read", failed)) {
                return;
            }
            c.ok(tag, r, new Replies.ReadOk(marked.upTo));
            s.hub().notify(me.userId, new Push.ReadMark(marked.with.reference(), marked.upTo), me);
        });
    }

    private record Marked(Target with, long upTo) {}

    void search(Client c, String tag, Session me, Request.Search r) {
        if (r.text().isBlank()) {
            c.fail(tag, "SEARCH", BAD_REQUEST, "search for some text");
            return;
        }
        var s = services;
        s.read(c, () -> s.store().search(me.userId, r.text(), r.limit()),
                (messages, failed) -> reply(c, tag, "SEARCH", messages, failed));
    }

    private static void reply(Client c, String tag, String command, List<Store.Message> messages, Throwable failed) {
        if (!c.failed(tag, command, "reading messages", failed)) {
            List<Item> items = new ArrayList<>(messages.size());
            for (Store.Message m : messages) {
                items.add(Events.item(m));
            }
            c.list(tag, command, items);
        }
    }
}
