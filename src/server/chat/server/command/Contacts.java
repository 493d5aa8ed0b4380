package chat.server.command;

import chat.common.proto.Line;
import chat.server.hub.Session;
import chat.server.legacy.Lobby;
import chat.server.store.Store;
import java.util.ArrayList;
import java.util.List;

/**
 * CONTACTS: my friends, my groups (the lobby first when I am in it) and the friend requests
 * waiting, in one reply, so that a client draws its contact list from one request after
 * {@code SYNCED}. The store reads it on a reader; who is online is filled in on the reactor
 * thread as the reply is written, so that a {@code PRESENCE} before the reply is reflected in it
 * and one after it is newer.
 */
final class Contacts {

    private final Services services;
    private final Lobby lobby;

    Contacts(Services services, Lobby lobby) {
        this.services = services;
        this.lobby = lobby;
    }

    void list(Client c, String tag, Session me) {
        var s = services;
        s.read(c, () -> s.store().contacts(me.userId), (all, failed) -> {
            if (c.failed(tag, "CONTACTS", "reading contacts", failed)) {
                return;
            }
            List<Line> lines = new ArrayList<>(friendLines(all.friends()));
            if (me.user.inLobby) {
                lines.add(Line.of(null, "GROUP_INFO", Long.toString(Lobby.ID), Lobby.NAME, "", "open",
                        Integer.toString(lobby.names().size()), "0", "0", "0", ""));
            }
            for (Store.GroupContact gc : all.groups()) {
                Store.Group g = gc.group();
                Store.LastMessage last = gc.last();
                lines.add(Line.of(null, "GROUP_INFO", Long.toString(g.id()), g.name(), g.ownerName(),
                        g.open() ? "open" : "closed", Integer.toString(g.members()), Long.toString(gc.unread()),
                        Long.toString(last.id()), Long.toString(last.sentAt()), last.preview()));
            }
            for (Store.PendingRequest p : all.pending()) {
                lines.add(Line.of(null, "PENDING", p.name(), p.incoming() ? "in" : "out", Long.toString(p.createdAt())));
            }
            c.list(tag, "CONTACTS", lines);
        });
    }

    /** {@code FRIEND:name:alias:online:unread:last-id:last-time:preview}, online as of now. */
    List<Line> friendLines(List<Store.FriendContact> friends) {
        List<Line> lines = new ArrayList<>(friends.size());
        for (Store.FriendContact f : friends) {
            Store.LastMessage last = f.last();
            lines.add(Line.of(null, "FRIEND", f.name(), f.alias() == null ? "" : f.alias(),
                    services.hub().isOnline(f.id()) ? "1" : "0", Long.toString(f.unread()),
                    Long.toString(last.id()), Long.toString(last.sentAt()), last.preview()));
        }
        return lines;
    }
}
