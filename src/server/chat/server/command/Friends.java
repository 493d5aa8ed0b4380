package chat.server.command;

import static chat.common.proto.ErrorCode.ALREADY_FRIENDS;
import static chat.common.proto.ErrorCode.BAD_NAME;
import static chat.common.proto.ErrorCode.BLOCKED;
import static chat.common.proto.ErrorCode.NOT_FRIENDS;
import static chat.common.proto.ErrorCode.NO_REQUEST;
import static chat.common.proto.ErrorCode.NO_SUCH_USER;
import static chat.common.proto.ErrorCode.OFFLINE;
import static chat.common.proto.ErrorCode.SELF;

import chat.common.proto.Item;
import chat.common.proto.Push;
import chat.common.proto.Replies;
import chat.common.proto.ProtocolException;
import chat.common.proto.Request;
import chat.common.text.Names;
import chat.server.hub.OnlineUser;
import chat.server.hub.Session;
import chat.server.store.Store;
import chat.server.store.Store.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * FRIENDS, FIND, ADD, ACCEPT, DECLINE, DEL, ALIAS and CONNECT_CLIENT, and BLOCK, UNBLOCK and
 * BLOCKS.
 *
 * <p>Every change of a friendship is stored as events, in the same transaction as the change: one
 * row for the other side, and one for my own account (for my other devices; the device that did
 * it has the reply). Each side's row names the other.
 *
 * <p>A block is silent towards the blocked user, as in most messengers: their friend requests
 * (and invitations, see {@link Groups#invite}) are answered as if sent and go nowhere. It ends a
 * friendship (both sides get {@code FRIEND_REMOVED}, as for DEL: the blocked user would learn it
 * from MSG's {@code not-friends} anyway), which keeps private messages out with no check on
 * MSG's path; group messages from them are not pushed to me ({@code OnlineUser#blocked} on the
 * reactor, and the catch-up query leaves them out).
 */
final class Friends {

    static final int FIND_LIMIT = 50;
    static final int MAX_ALIAS_CHARS = 32;

    private final Services services;
    private final Contacts contacts;

    Friends(Services services, Contacts contacts) {
        this.services = services;
        this.contacts = contacts;
    }

    /** FRIENDS: the {@code FRIEND} lines of CONTACTS. */
    void list(Client c, String tag, Session me) {
        var s = services;
        s.read(c, () -> s.store().contacts(me.userId), (all, failed) -> {
            if (!c.failed(tag, "FRIENDS", "reading friends", failed)) {
                c.list(tag, "FRIENDS", contacts.friendItems(all.friends()));
            }
        });
    }

    void find(Client c, String tag, Session me, Request.Find r) {
        var s = services;
        s.read(c, () -> s.store().findUsers(Names.key(r.text()), FIND_LIMIT), (users, failed) -> {
            if (c.failed(tag, "FIND", "finding users", failed)) {
                return;
            }
            List<Item> items = new ArrayList<>(users.size());
            for (Store.User u : users) {
                items.add(new Item.User(u.name(), me.user.friends.contains(u.id())));
            }
            c.list(tag, "FIND", items);
        });
    }

    /** What a friendship change did, and the events it stored. */
    private record Change<T>(T outcome, List<Store.Message> events) {}

    void add(Client c, String tag, Session me, Request.Add r) {
        var s = services;
        onOther(c, tag, "ADD", me, r.name(), other -> {
            if (s.store().isBlocked(me.userId, other.id())) {
                throw new ProtocolException(BLOCKED, "you blocked " + other.name() + "; UNBLOCK them first");
            }
            if (s.store().isBlocked(other.id(), me.userId)) {
                return new Change<>(Store.RequestOutcome.ALREADY_REQUESTED, List.<Store.Message>of()); // silently
            }
            long now = s.now();
            Store.RequestOutcome outcome = s.store().requestFriend(me.userId, other.id(), now);
            List<Store.Message> events = switch (outcome) {
                case REQUESTED -> s.store().storeEvent(Kind.FRIEND_REQUEST, me.userId, me.deviceId, 0,
                        List.of(other.id(), me.userId), Events.friendRequest(other.name()), now);
                case NOW_FRIENDS -> both(Kind.FRIEND_ADDED, me, other, now);
                case ALREADY_REQUESTED, ALREADY_FRIENDS -> List.of();
            };
            return new Change<>(outcome, events);
        }, (other, change) -> {
            switch (change.outcome) {
                case ALREADY_FRIENDS -> c.fail(tag, "ADD", ALREADY_FRIENDS, "already friends with " + other.name());
                case ALREADY_REQUESTED, REQUESTED -> c.ok(tag, r, new Replies.AddOk(false));
                case NOW_FRIENDS -> {
                    c.ok(tag, r, new Replies.AddOk(true));
                    befriended(me, other);
                }
            }
            Events.deliver(s.hub(), change.events, me);
            if (change.outcome == Store.RequestOutcome.NOW_FRIENDS) {
                presenceBothWays(me, other);
            }
        });
    }

    void accept(Client c, String tag, Session me, Request.Accept r) {
        var s = services;
        onOther(c, tag, "ACCEPT", me, r.name(), other -> {
            long now = s.now();
            boolean accepted = s.store().acceptRequest(me.userId, other.id(), now);
            return new Change<>(accepted, accepted ? both(Kind.FRIEND_ADDED, me, other, now) : List.of());
        }, (other, change) -> {
            if (!change.outcome) {
                c.fail(tag, "ACCEPT", NO_REQUEST, other.name() + " has not asked to be your friend");
                return;
            }
            c.ok(tag, "ACCEPT");
            befriended(me, other);
            Events.deliver(s.hub(), change.events, me);
            presenceBothWays(me, other);
        });
    }

    /** DECLINE: the asker learns it ({@code FRIEND_DECLINED}), and so do my other devices. */
    void decline(Client c, String tag, Session me, Request.Decline r) {
        var s = services;
        onOther(c, tag, "DECLINE", me, r.name(), other -> {
            boolean declined = s.store().declineRequest(me.userId, other.id());
            return new Change<>(declined, declined ? both(Kind.FRIEND_DECLINED, me, other, s.now()) : List.of());
        }, (other, change) -> {
            if (!change.outcome) {
                c.fail(tag, "DECLINE", NO_REQUEST, other.name() + " has not asked to be your friend");
                return;
            }
            c.ok(tag, "DECLINE");
            Events.deliver(s.hub(), change.events, me);
        });
    }

    void delete(Client c, String tag, Session me, Request.Del r) {
        var s = services;
        onOther(c, tag, "DEL", me, r.name(), other -> {
            boolean deleted = s.store().deleteFriend(me.userId, other.id());
            return new Change<>(deleted, deleted ? both(Kind.FRIEND_REMOVED, me, other, s.now()) : List.of());
        }, (other, change) -> {
            if (!change.outcome) {
                c.fail(tag, "DEL", NOT_FRIENDS, "not friends with " + other.name());
                return;
            }
            c.ok(tag, "DEL");
            unfriended(me, other);
            Events.deliver(s.hub(), change.events, me);
        });
    }

    /**
     * BLOCK: kept on the server, so that every device of mine agrees; ends a friendship and drops
     * the requests and invitations between us (see the class comment). Blocking again is fine.
     */
    void block(Client c, String tag, Session me, Request.Block r) {
        var s = services;
        onOther(c, tag, "BLOCK", me, r.name(), other -> {
            s.store().block(me.userId, other.id(), s.now());
            boolean wereFriends = s.store().deleteFriend(me.userId, other.id());
            return new Change<>(wereFriends, wereFriends ? both(Kind.FRIEND_REMOVED, me, other, s.now()) : List.of());
        }, (other, change) -> {
            c.ok(tag, "BLOCK");
            me.user.blocked.add(other.id());
            if (change.outcome) {
                unfriended(me, other);
            }
            Events.deliver(s.hub(), change.events, me);
        });
    }

    /** UNBLOCK: what the blocked user sends reaches me again; the friendship does not come back. */
    void unblock(Client c, String tag, Session me, Request.Unblock r) {
        var s = services;
        onOther(c, tag, "UNBLOCK", me, r.name(), other -> s.store().unblock(me.userId, other.id()), (other, was) -> {
            c.ok(tag, "UNBLOCK");
            me.user.blocked.remove(other.id());
        });
    }

    /** BLOCKS: {@code BLOCKED:name:since}, by name. */
    void blocks(Client c, String tag, Session me) {
        var s = services;
        s.read(c, () -> s.store().blocked(me.userId), (list, failed) -> {
            if (c.failed(tag, "BLOCKS", "reading blocks", failed)) {
                return;
            }
            List<Item> items = new ArrayList<>(list.size());
            for (Store.Blocked b : list) {
                items.add(new Item.Blocked(b.name(), b.since()));
            }
            c.list(tag, "BLOCKS", items);
        });
    }

    /** A friendship event for both sides: the other's row names me, mine names them. */
    private List<Store.Message> both(Kind kind, Session me, Store.User other, long now) {
        var store = services.store();
        List<Store.Message> rows = new ArrayList<>(2);
        rows.addAll(store.storeEvent(kind, me.userId, me.deviceId, 0, List.of(other.id()), Events.other(me.name), now));
        rows.addAll(store.storeEvent(kind, me.userId, me.deviceId, 0, List.of(me.userId), Events.other(other.name()), now));
        return rows;
    }

    void alias(Client c, String tag, Session me, Request.Alias r) {
        String alias = r.alias().strip();
        if (alias.codePointCount(0, alias.length()) > MAX_ALIAS_CHARS) {
            c.fail(tag, "ALIAS", BAD_NAME, "an alias has at most " + MAX_ALIAS_CHARS + " characters");
            return;
        }
        var s = services;
        onOther(c, tag, "ALIAS", me, r.name(), other -> s.store().setAlias(me.userId, other.id(), alias),
                (other, set) -> {
                    if (!set) {
                        c.fail(tag, "ALIAS", NOT_FRIENDS, "not friends with " + other.name());
                    } else {
                        c.ok(tag, "ALIAS");
                    }
                });
    }

    /** The article's lookup: a friend's address as the server sees it (its latest device's). */
    void connectClient(Client c, String tag, Session me, Request.ConnectClient r) {
        var s = services;
        s.read(c, () -> s.store().userByKey(Names.key(r.name())), (user, failed) -> {
            if (c.failed(tag, "CONNECT_CLIENT", "looking up a user", failed)) {
                return;
            }
            if (user.isEmpty()) {
                c.fail(tag, "CONNECT_CLIENT", NO_SUCH_USER, "no user " + r.name());
            } else if (!me.user.friends.contains(user.get().id())) {
                c.fail(tag, "CONNECT_CLIENT", NOT_FRIENDS, "not friends with " + user.get().name());
            } else {
                OnlineUser them = s.hub().get(user.get().id());
                if (them == null) {
                    c.fail(tag, "CONNECT_CLIENT", OFFLINE, user.get().name() + " is offline");
                } else {
                    var a = them.latest().connection.remoteAddress();
                    c.ok(tag, r, new Replies.ConnectClientOk(user.get().name(), a.getAddress().getHostAddress(),
                            a.getPort()));
                }
            }
        });
    }

    /** Both accounts' friend sets forget the friendship. */
    private void unfriended(Session me, Store.User other) {
        me.user.friends.remove(other.id());
        OnlineUser them = services.hub().get(other.id());
        if (them != null) {
            them.friends.remove(me.userId);
        }
    }

    /** Both accounts' friend sets learn of the friendship. */
    private void befriended(Session me, Store.User other) {
        me.user.friends.add(other.id());
        OnlineUser them = services.hub().get(other.id());
        if (them != null) {
            them.friends.add(me.userId);
        }
    }

    /**
     * A new friendship's events carry no online state: each side that is online is announced to
     * the other, as a friend coming online would be.
     */
    private void presenceBothWays(Session me, Store.User other) {
        var hub = services.hub();
        if (hub.isOnline(other.id())) {
            hub.notify(me.userId, new Push.Presence(other.name(), true), null);
            hub.notify(other.id(), new Push.Presence(me.name, true), null);
        }
    }

    /**
     * Looks up the user named {@code name} and runs {@code work} with it on the writer, in one
     * transaction, then {@code then} on the reactor; an unknown name or oneself is an error reply.
     */
    private <T> void onOther(Client c, String tag, String command, Session me, String name,
            Function<Store.User, T> work, BiConsumer<Store.User, T> then) {
        var s = services;
        s.transaction(c, command + " " + name, () -> {
            Store.User other = s.store().userByKey(Names.key(name))
                    .orElseThrow(() -> new ProtocolException(NO_SUCH_USER, "no user " + name));
            if (other.id() == me.userId) {
                throw new ProtocolException(SELF, "that is you");
            }
            return new Looked<>(other, work.apply(other));
        }, (looked, failed) -> {
            if (!c.failed(tag, command, command + " " + name, failed)) {
                then.accept(looked.user, looked.result);
            }
        });
    }

    private record Looked<T>(Store.User user, T result) {}
}
