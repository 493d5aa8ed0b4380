package chat.server.command;

import chat.common.proto.Item;
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
            List<Item> items = new ArrayList<>(friendItems(all.friends()));
            if (me.user.inLobby) {
                items.add(new Item.GroupInfo(Lobby.ID, Lobby.NAME, "", true, lobby.names().size(), 0, 0, 0, ""));
            }
            for (Store.GroupContact gc : all.groups()) {
                Store.Group g = gc.group();
                Store.LastMessage last = gc.last();
                items.add(new Item.GroupInfo(g.id(), g.name(), g.ownerName(), g.open(), g.members(), gc.unread(),
                        last.id(), last.sentAt(), last.preview()));
            }
            for (Store.PendingRequest p : all.pending()) {
                items.add(new Item.Pending(p.name(), p.incoming(), p.createdAt()));
            }
            c.list(tag, "CONTACTS", items);
        });
    }

    /** {@code FRIEND:name:alias:online:unread:last-id:last-time:preview}, online as of now. */
    List<Item> friendItems(List<Store.FriendContact> friends) {
        List<Item> items = new ArrayList<>(friends.size());
        for (Store.FriendContact f : friends) {
            Store.LastMessage last = f.last();
            items.add(new Item.Friend(f.name(), f.alias() == null ? "" : f.alias(), services.hub().isOnline(f.id()),
                    f.unread(), last.id(), last.sentAt(), last.preview()));
        }
        return items;
    }
}
