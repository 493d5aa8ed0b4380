package chat.server.command;

import static chat.common.proto.ErrorCode.ALREADY_FRIENDS;
import static chat.common.proto.ErrorCode.BAD_NAME;
import static chat.common.proto.ErrorCode.NOT_FRIENDS;
import static chat.common.proto.ErrorCode.NO_REQUEST;
import static chat.common.proto.ErrorCode.NO_SUCH_USER;
import static chat.common.proto.ErrorCode.OFFLINE;
import static chat.common.proto.ErrorCode.SELF;

import chat.common.proto.Line;
import chat.common.proto.ProtocolException;
import chat.common.proto.Request;
import chat.common.text.Names;
import chat.server.hub.Hub;
import chat.server.hub.Session;
import chat.server.store.Store;
import java.util.ArrayList;
import java.util.List;

/** FRIENDS, FIND, ADD, ACCEPT, DECLINE, DEL, ALIAS and CONNECT_CLIENT. */
final class Friends {

    static final int FIND_LIMIT = 50;
    static final int MAX_ALIAS_CHARS = 32;

    private final Services services;

    Friends(Services services) {
        this.services = services;
    }

    /** {@code FRIEND:name:alias:online} for each friend. */
    static List<Line> friendLines(List<Store.Friend> friends, Hub hub) {
        List<Line> lines = new ArrayList<>(friends.size());
        for (Store.Friend f : friends) {
            lines.add(Line.of(null, "FRIEND", f.name(), f.alias() == null ? "" : f.alias(), hub.isOnline(f.id()) ? "1" : "0"));
        }
        return lines;
    }

    void list(Client c, String tag, Session me) {
        var s = services;
        s.read(c, () -> s.store().friends(me.userId), (friends, failed) -> {
            if (failed != null) {
                c.failed(tag, "FRIENDS", "reading friends", failed);
            } else {
                c.list(tag, "FRIENDS", friendLines(friends, s.hub()));
            }
        });
    }

    void find(Client c, String tag, Session me, Request.Find r) {
        var s = services;
        s.read(c, () -> s.store().findUsers(Names.key(r.text()), FIND_LIMIT), (users, failed) -> {
            if (failed != null) {
                c.failed(tag, "FIND", "finding users", failed);
                return;
            }
            List<Line> lines = new ArrayList<>(users.size());
            for (Store.User u : users) {
                lines.add(Line.of(null, "USER", u.name(), me.friends.contains(u.id()) ? "1" : "0"));
            }
            c.list(tag, "FIND", lines);
        });
    }

    void add(Client c, String tag, Session me, Request.Add r) {
        var s = services;
        onOther(c, tag, "ADD", me, r.name(), other -> s.store().requestFriend(me.userId, other.id(), s.now()),
                (other, outcome) -> {
                    switch (outcome) {
                        case ALREADY_FRIENDS -> c.fail(tag, "ADD", ALREADY_FRIENDS, "already friends with " + other.name());
                        case ALREADY_REQUESTED -> c.ok(tag, "ADD", "requested");
                        case REQUESTED -> {
                            c.ok(tag, "ADD", "requested");
                            Session them = s.hub().get(other.id());
                            if (them != null) {
                                them.push(Line.of(null, "REQUEST", me.name, Long.toString(s.now())));
                            }
                        }
                        case NOW_FRIENDS -> {
                            c.ok(tag, "ADD", "friends");
                            befriend(me, other);
                        }
                    }
                });
    }

    void accept(Client c, String tag, Session me, Request.Accept r) {
        var s = services;
        onOther(c, tag, "ACCEPT", me, r.name(), other -> s.store().acceptRequest(me.userId, other.id(), s.now()),
                (other, accepted) -> {
                    if (!accepted) {
                        c.fail(tag, "ACCEPT", NO_REQUEST, other.name() + " has not asked to be your friend");
                    } else {
                        c.ok(tag, "ACCEPT");
                        befriend(me, other);
                    }
                });
    }

    void decline(Client c, String tag, Session me, Request.Decline r) {
        var s = services;
        onOther(c, tag, "DECLINE", me, r.name(), other -> s.store().declineRequest(me.userId, other.id()),
                (other, declined) -> {
                    if (!declined) {
                        c.fail(tag, "DECLINE", NO_REQUEST, other.name() + " has not asked to be your friend");
                    } else {
                        c.ok(tag, "DECLINE"); // the other side is not told, as in most chat systems
                    }
                });
    }

    void delete(Client c, String tag, Session me, Request.Del r) {
        var s = services;
        onOther(c, tag, "DEL", me, r.name(), other -> s.store().deleteFriend(me.userId, other.id()),
                (other, deleted) -> {
                    if (!deleted) {
                        c.fail(tag, "DEL", NOT_FRIENDS, "not friends with " + other.name());
                        return;
                    }
                    c.ok(tag, "DEL");
                    me.friends.remove(other.id());
                    Session them = s.hub().get(other.id());
                    if (them != null) {
                        them.friends.remove(me.userId);
                        them.push(Line.of(null, "FRIEND_REMOVED", me.name));
                    }
                });
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

    /** The article's lookup: a friend's address as the server sees it, for a direct connection. */
    void connectClient(Client c, String tag, Session me, Request.ConnectClient r) {
        var s = services;
        s.read(c, () -> s.store().userByKey(Names.key(r.name())), (user, failed) -> {
            if (failed != null) {
                c.failed(tag, "CONNECT_CLIENT", "looking up a user", failed);
            } else if (user.isEmpty()) {
                c.fail(tag, "CONNECT_CLIENT", NO_SUCH_USER, "no user " + r.name());
            } else if (!me.friends.contains(user.get().id())) {
                c.fail(tag, "CONNECT_CLIENT", NOT_FRIENDS, "not friends with " + user.get().name());
            } else {
                Session them = s.hub().get(user.get().id());
                if (them == null) {
                    c.fail(tag, "CONNECT_CLIENT", OFFLINE, user.get().name() + " is offline");
                } else {
                    var a = them.connection.remoteAddress();
                    c.ok(tag, "CONNECT_CLIENT", them.name, a.getAddress().getHostAddress(), Integer.toString(a.getPort()));
                }
            }
        });
    }

    /** Both sides learn of the friendship, with each other's online state. */
    private void befriend(Session me, Store.User other) {
        me.friends.add(other.id());
        Session them = services.hub().get(other.id());
        me.push(Line.of(null, "FRIEND_ADDED", other.name(), them != null ? "1" : "0"));
        if (them != null) {
            them.friends.add(me.userId);
            them.push(Line.of(null, "FRIEND_ADDED", me.name, "1"));
        }
    }

    /**
     * Looks up the user named {@code name} and runs {@code work} with it on the writer, then
     * {@code then} on the reactor; an unknown name or oneself is an error reply.
     */
    private <T> void onOther(Client c, String tag, String command, Session me, String name,
            java.util.function.Function<Store.User, T> work, java.util.function.BiConsumer<Store.User, T> then) {
        var s = services;
        s.write(c, () -> {
            Store.User other = s.store().userByKey(Names.key(name))
                    .orElseThrow(() -> new ProtocolException(NO_SUCH_USER, "no user " + name));
            if (other.id() == me.userId) {
                throw new ProtocolException(SELF, "that is you");
            }
            return new Looked<>(other, work.apply(other));
        }, (looked, failed) -> {
            if (!c.failed(tag, command, command + " " + name, failed) && c.session() == me) {
                then.accept(looked.user, looked.result);
            }
        });
    }

    private record Looked<T>(Store.User user, T result) {}
}
