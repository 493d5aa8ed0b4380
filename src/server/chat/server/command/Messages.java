package chat.server.command;

import static chat.common.proto.ErrorCode.BAD_REQUEST;
import static chat.common.proto.ErrorCode.NOT_FRIENDS;
import static chat.common.proto.ErrorCode.NOT_MEMBER;
import static chat.common.proto.ErrorCode.NO_SUCH_GROUP;
import static chat.common.proto.ErrorCode.NO_SUCH_USER;
import static chat.common.proto.ErrorCode.SELF;

import chat.common.proto.Line;
import chat.common.proto.ProtocolException;
import chat.common.proto.Request;
import chat.common.text.Names;
import chat.server.hub.Session;
import chat.server.store.Store;
import java.util.ArrayList;
import java.util.List;

/**
 * MSG, ACK, HISTORY, SEARCH, UNREAD and READ, and the delivery of messages that waited, private
 * and group alike (they share one id sequence, so one ACK covers both).
 *
 * <p>Delivery is at least once, in order, and the client's ACKs move it on: a message counts as
 * received only when its recipient acknowledges it ({@code ACK:id} covers every message to it up
 * to that id). At login, the waiting messages are pushed a page at a time; the ACK of a page's last
 * message brings the next page, and {@code SYNCED} says there is nothing more. Storing a message
 * and reading a page both run on the single writer thread, so a message stored during the catch-up
 * is in a later page rather than pushed out of order; live pushes begin after {@code SYNCED}.
 */
final class Messages {

    /** Messages per catch-up page: small enough to stay far below a connection's output cap. */
    static final int PAGE = 200;
    static final int MAX_TEXT_BYTES = 16 * 1024;
    static final int MAX_CLIENT_ID = 64;

    private final Services services;
    private final Acks acks;

    Messages(Services services) {
        this.services = services;
        this.acks = new Acks(services);
    }

    /** {@code MSG:id:time:from:text}, or for a group message {@code GROUP:id:time:group:from:text}. */
    static Line pushLine(Store.Message m) {
        if (m.isGroup()) {
            return Groups.pushLine(m);
        }
        return Line.of(null, "MSG", Long.toString(m.id()), Long.toString(m.sentAt()), m.senderName(), m.body());
    }

    /** {@code HIST:id:time:from:to:text}, where {@code to} is a name or {@code #group}. */
    static Line historyLine(Store.Message m) {
        return Line.of(null, "HIST", Long.toString(m.id()), Long.toString(m.sentAt()), m.senderName(),
                m.isGroup() ? "#" + m.groupName() : m.recipientName(), m.body());
    }

    /** Why a message cannot be sent as it is, or null. */
    static String problem(String clientId, String text) {
        if (clientId.isEmpty() || clientId.length() > MAX_CLIENT_ID) {
            return "a client message id has 1 to " + MAX_CLIENT_ID + " characters";
        }
        if (text.isEmpty() || text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_TEXT_BYTES) {
            return "a message has 1 to " + MAX_TEXT_BYTES + " bytes";
        }
        return null;
    }

    void send(Client c, String tag, Session me, Request.Msg r) {
        String problem = problem(r.clientId(), r.text());
        if (problem != null) {
            c.fail(tag, "MSG", BAD_REQUEST, problem);
            return;
        }
        var s = services;
        s.write(c, () -> {
            Store.User to = s.store().userByKey(Names.key(r.to()))
                    .orElseThrow(() -> new ProtocolException(NO_SUCH_USER, "no user " + r.to()));
            if (to.id() == me.userId) {
                throw new ProtocolException(SELF, "that is you");
            }
            if (!s.store().areFriends(me.userId, to.id())) {
                throw new ProtocolException(NOT_FRIENDS, "only friends can message each other; ADD " + to.name() + " first");
            }
            return s.store().storeMessage(me.userId, to.id(), r.clientId(), r.text(), s.now());
        }, (stored, failed) -> {
            if (c.failed(tag, "MSG", "storing a message", failed)) {
                return;
            }
            Store.Message m = stored.message();
            c.ok(tag, "MSG", Long.toString(m.id()), Long.toString(m.sentAt()), m.clientId());
            if (!stored.duplicate()) {
                Session them = s.hub().get(m.recipientId());
                if (them != null && !them.syncing) {
                    them.push(pushLine(m));
                }
            }
        });
    }

    void ack(Client c, String tag, Session me, Request.Ack r) {
        if (!(me.syncing && r.messageId() >= me.lastPushedId)) {
            acks.add(me.userId, r.messageId());
            return;
        }
        // The ACK of a catch-up page's last message: record it and read the next page, in one
        // writer task, so that the page starts after it.
        me.lastPushedId = Long.MAX_VALUE; // one page at a time, however many ACKs come
        var s = services;
        s.write(c, () -> {
            s.store().acknowledge(me.userId, r.messageId());
            return s.store().undelivered(me.userId, PAGE);
        }, (page, failed) -> {
            if (failed != null) {
                c.failed(tag, "ACK", "recording an acknowledgement", failed);
            } else if (c.session() == me) {
                deliverPage(me, page);
            }
        });
    }

    /** Pushes a page of waiting messages; a short page ends the catch-up. */
    void deliverPage(Session me, List<Store.Message> page) {
        for (Store.Message m : page) {
            me.push(pushLine(m));
        }
        if (page.size() < PAGE) {
            me.syncing = false;
            me.push(Line.of(null, "SYNCED"));
        } else {
            me.lastPushedId = page.get(page.size() - 1).id();
        }
    }

    /** A conversation's page: with a friend, or with {@code #group} a group's (members only). */
    void history(Client c, String tag, Session me, Request.History r) {
        var s = services;
        long before = r.beforeId() == 0 ? Long.MAX_VALUE : r.beforeId();
        s.read(c, () -> {
            if (r.with().startsWith("#")) {
                String name = r.with().substring(1);
                Store.Group g = s.store().groupByKey(Names.key(name))
                        .orElseThrow(() -> new ProtocolException(NO_SUCH_GROUP, "no group " + name));
                if (!s.store().isMember(g.id(), me.userId)) {
                    throw new ProtocolException(NOT_MEMBER, "not a member of " + g.name());
                }
                return s.store().groupHistory(g.id(), me.userId, before, r.limit());
            }
            Store.User peer = s.store().userByKey(Names.key(r.with()))
                    .orElseThrow(() -> new ProtocolException(NO_SUCH_USER, "no user " + r.with()));
            return s.store().history(me.userId, peer.id(), before, r.limit());
        }, (messages, failed) -> reply(c, tag, "HISTORY", messages, failed));
    }

    /** {@code UNREAD_COUNT:name-or-#group:count} for each conversation with unread messages. */
    void unread(Client c, String tag, Session me) {
        var s = services;
        s.read(c, () -> s.store().unread(me.userId), (counts, failed) -> {
            if (failed != null) {
                c.failed(tag, "UNREAD", "counting unread messages", failed);
                return;
            }
            List<Line> lines = new ArrayList<>(counts.size());
            for (Store.Unread u : counts) {
                lines.add(Line.of(null, "UNREAD_COUNT", (u.group() ? "#" : "") + u.name(), Long.toString(u.count())));
            }
            c.list(tag, "UNREAD", lines);
        });
    }

    /** Marks a conversation read up to now: a friend's name, or {@code #group}. */
    void read(Client c, String tag, Session me, Request.Read r) {
        var s = services;
        boolean group = r.conversation().startsWith("#");
        String name = group ? r.conversation().substring(1) : r.conversation();
        s.write(c, () -> {
            long peer;
            if (group) {
                peer = s.store().groupByKey(Names.key(name))
                        .orElseThrow(() -> new ProtocolException(NO_SUCH_GROUP, "no group " + name)).id();
            } else {
                peer = s.store().userByKey(Names.key(name))
                        .orElseThrow(() -> new ProtocolException(NO_SUCH_USER, "no user " + name)).id();
            }
            s.store().markRead(me.userId, group, peer);
            return null;
        }, (ignored, failed) -> {
            if (!c.failed(tag, "READ", "marking read", failed)) {
                c.ok(tag, "READ");
            }
        });
    }

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
            List<Line> lines = new ArrayList<>(messages.size());
            for (Store.Message m : messages) {
                lines.add(historyLine(m));
            }
            c.list(tag, command, lines);
        }
    }
}
