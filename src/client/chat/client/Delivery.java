package chat.client;

import chat.client.HistoryEntry.DeliveryState;
import chat.common.proto.ChatMessage;
import chat.common.proto.Conversation;
import chat.common.proto.Line;
import chat.common.proto.ProtocolException;
import chat.common.proto.Push;
import chat.common.proto.Request;
import chat.common.text.Names;
import java.lang.System.Logger.Level;

/**
 * What the server pushes, on the transport's reader thread. A stored push (a message or an
 * event; they share the one id sequence) is written to the local history first and acknowledged
 * after ({@code ACK:id} covers everything up to id, and brings the catch-up's next page); one
 * whose id is here already is acknowledged and not told again, so a redelivery after a reconnect
 * duplicates nothing. The lobby's traffic (id 0) is told and neither stored nor acknowledged.
 * Group pushes keep the local group directory (id to current name) up to date. A file offer
 * ({@code FILE}) is stored like a message; {@code FILE_STATE} also stops an upload of mine running
 * here when the offer was cancelled elsewhere or expired.
 *
 * <p>The messages told between a login and its {@code SYNCED} are marked as caught up (they
 * waited for this device), and {@code SYNCED} says how many there were.
 *
 * <p>A push this version does not know is ignored, as is a malformed one (logged: that is a
 * broken server, not a newer one).
 */
final class Delivery {

    private static final System.Logger LOG = System.getLogger(Delivery.class.getName());

    private final Requests requests;
    private final Session session;
    private final Events events;
    private final Transfers transfers;
    /** The connection whose login's catch-up is being delivered, or -1; reader thread only. */
    private long catchingUp = -1;
    /** Messages told in that catch-up. */
    private int caughtUp;

    Delivery(Requests requests, Session session, Events events, Transfers transfers) {
        this.requests = requests;
        this.session = session;
        this.events = events;
        this.transfers = transfers;
    }

    /**
     * A login on connection {@code generation} succeeded: until {@code SYNCED}, what comes waited
     * for this device. On the reader thread, after the login's answer and before what follows it.
     */
    void loggedIn(long generation) {
        catchingUp = generation;
        caughtUp = 0;
    }

    /** An untagged line from the server. */
    void push(Line line) {
        Push push;
        try {
            push = Push.parse(line);
        } catch (ProtocolException e) {
            LOG.log(Level.WARNING, "ignoring a malformed push: " + line.format() + " (" + e.getMessage() + ")");
            return;
        }
        if (push instanceof Push.Stored stored) {
            stored(stored);
        } else if (push instanceof Push.Presence p) {
            events.emit(new ChatEvent.Presence(p.name(), p.online()));
        } else if (push instanceof Push.Delivered d && d.conversation() instanceof Conversation.Direct friend) {
            delivered(friend.name(), d.upTo());
        } else if (push instanceof Push.ReadMark r) {
            events.emit(new ChatEvent.ReadMark(r.conversation(), r.upTo()));
        } else if (push instanceof Push.FileState f) {
            transfers.stateChanged(f.fileId(), f.state());
            events.emit(new ChatEvent.FileStateChanged(f.fileId(), f.state()));
        } else if (push instanceof Push.FilePeer p) {
            events.emit(new ChatEvent.PeerFileOffered(p.from(), p.ip(), p.port(), p.fileName(), p.size(), p.sha256()));
        } else if (push instanceof Push.Synced) {
            int n = catchingUp == session.current().generation() ? caughtUp : 0;
            catchingUp = -1;
            caughtUp = 0;
            events.emit(new ChatEvent.Synced(n));
        } else if (push instanceof Push.Bye b) {
            session.bye(b);
            events.emit(new ChatEvent.Bye(b.reason(), b.message()));
        }
        // Push.Unknown, from a newer server: nothing this version can do with it
    }

    /** A receipt: my messages to {@code friend} up to {@code upTo} are on one of their devices. */
    private void delivered(String friend, long upTo) {
        History h = session.current().history();
        if (h == null) {
            return;
        }
        try {
            events.emit(new ChatEvent.Delivered(friend, upTo, h.markDelivered(friend, upTo)));
        } catch (History.HistoryException e) {
            LOG.log(Level.WARNING, "a receipt from " + friend + " was not kept: " + e.getMessage());
        }
    }

    private void stored(Push.Stored push) {
        Session.Current now = session.current();
        if (push.id() == 0) { // the lobby's: live only
            ChatEvent e = event(push, now, false);
            if (e != null) {
                events.emit(e);
            }
            return;
        }
        History h = now.history();
        if (h == null) {
            return; // not logged in: nothing should come; not acknowledged, so nothing is lost
        }
        boolean fresh;
        try {
            fresh = keep(h, push, now.account());
        } catch (History.HistoryException e) {
            // Not acknowledged; and since a later ACK would cover it, the connection goes: the
            // next one delivers it again.
            LOG.log(Level.ERROR, "storing " + push.wireName() + " " + push.id() + " failed; reconnecting", e);
            requests.drop(now.generation());
            return;
        }
        requests.tell(now.generation(), new Request.Ack(push.id()));
        if (fresh) {
            boolean catchUp = catchingUp == now.generation() && push instanceof Push.Message;
            ChatEvent e = event(push, now, catchUp);
            if (e != null) {
                caughtUp += catchUp ? 1 : 0;
                events.emit(e);
            }
        }
    }

    /** Writes {@code push} to the history; whether it is new there. */
    private static boolean keep(History h, Push.Stored push, String me) {
        if (push instanceof Push.Message m) {
            if (m.message().isGroup()) {
                h.bindGroup(m.message().groupId(), m.message().groupName());
            }
            return h.addDelivered(m.message());
        }
        if (push instanceof Push.File f) {
            if (f.offer().isGroup()) {
                h.bindGroup(f.offer().groupId(), f.offer().message().groupName());
            }
            return h.addFile(f.offer());
        }
        if (push instanceof Push.GroupJoined g) {
            h.bindGroup(g.groupId(), g.group()); // (someone joined a group I am in, or I did)
        } else if (push instanceof Push.GroupLeft g) {
            if (isMe(me, g.who())) {
                h.leftGroup(g.groupId());
            } else {
                h.bindGroup(g.groupId(), g.group());
            }
        } else if (push instanceof Push.GroupRenamed g) {
            h.bindGroup(g.groupId(), g.newName());
        } else if (push instanceof Push.GroupDeleted g) {
            h.leftGroup(g.groupId());
        } else if (push instanceof Push.GroupJoinRequest g) {
            if (isMe(me, g.who())) {
                h.nameGroup(g.groupId(), g.group()); // my own request, from another device: not a member yet
            } else {
                h.bindGroup(g.groupId(), g.group()); // to me, the owner
            }
        } else if (push instanceof Push.GroupRejected g) {
            h.nameGroup(g.groupId(), g.group()); // the asker is no member; the owner's devices know the group
        } else if (push instanceof Push.GroupInvited g) {
            h.nameGroup(g.groupId(), g.group()); // the invitee is no member yet
        } else if (push instanceof Push.GroupInviteDeclined g) {
            h.nameGroup(g.groupId(), g.group());
        }
        return h.firstSeen(push.id());
    }

    private static ChatEvent event(Push.Stored push, Session.Current now, boolean caughtUp) {
        if (push instanceof Push.Message m) {
            ChatMessage message = m.message();
            boolean mine = isMe(now.account(), message.from());
            var entry = new HistoryEntry(message, mine ? DeliveryState.SENT : DeliveryState.RECEIVED);
            return mine && message.id() != 0 ? new ChatEvent.OwnMessage(entry, caughtUp)
                    : new ChatEvent.MessageReceived(entry, caughtUp);
        }
        if (push instanceof Push.File f) {
            boolean mine = isMe(now.account(), f.offer().from());
            return new ChatEvent.FileOffered(new FileOfferEntry(f.offer(), mine ? DeliveryState.SENT : DeliveryState.RECEIVED));
        }
        if (push instanceof Push.FriendRequest r) {
            return new ChatEvent.FriendRequested(r.from(), r.to(), r.time());
        }
        if (push instanceof Push.FriendAdded a) {
            return new ChatEvent.FriendAdded(a.name(), a.time());
        }
        if (push instanceof Push.FriendRemoved r) {
            return new ChatEvent.FriendRemoved(r.name(), r.time());
        }
        if (push instanceof Push.FriendDeclined d) {
            return new ChatEvent.FriendDeclined(d.name(), d.time());
        }
        if (push instanceof Push.GroupJoined g) {
            return new ChatEvent.GroupJoined(g.groupId(), g.group(), g.who(), g.by(), g.time());
        }
        if (push instanceof Push.GroupLeft g) {
            return new ChatEvent.GroupLeft(g.groupId(), g.group(), g.who(), g.kicked(), g.by(), g.time());
        }
        if (push instanceof Push.GroupRenamed g) {
            return new ChatEvent.GroupRenamed(g.groupId(), g.oldName(), g.newName(), g.time());
        }
        if (push instanceof Push.GroupDeleted g) {
            return new ChatEvent.GroupDeleted(g.groupId(), g.group(), g.time());
        }
        if (push instanceof Push.GroupJoinRequest g) {
            return new ChatEvent.GroupJoinRequested(g.groupId(), g.group(), g.who(), g.time());
        }
        if (push instanceof Push.GroupRejected g) {
            return new ChatEvent.GroupRejected(g.groupId(), g.group(), g.by(), g.who(), g.time());
        }
        if (push instanceof Push.GroupInvited g) {
            return new ChatEvent.GroupInvited(g.groupId(), g.group(), g.who(), g.by(), g.time());
        }
        if (push instanceof Push.GroupInviteDeclined g) {
            return new ChatEvent.GroupInviteDeclined(g.groupId(), g.group(), g.who(), g.by(), g.time());
        }
        return null;
    }

    private static boolean isMe(String me, String name) {
        return me != null && Names.key(me).equals(Names.key(name));
    }
}
