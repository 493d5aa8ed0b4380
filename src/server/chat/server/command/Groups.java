package chat.server.command;

import static chat.common.proto.ErrorCode.ALREADY_MEMBER;
import static chat.common.proto.ErrorCode.BAD_NAME;
import static chat.common.proto.ErrorCode.BAD_REQUEST;
import static chat.common.proto.ErrorCode.NAME_TAKEN;
import static chat.common.proto.ErrorCode.NOT_MEMBER;
import static chat.common.proto.ErrorCode.NOT_OWNER;
import static chat.common.proto.ErrorCode.NO_REQUEST;
import static chat.common.proto.ErrorCode.NO_SUCH_GROUP;
import static chat.common.proto.ErrorCode.NO_SUCH_USER;
import static chat.common.proto.ErrorCode.OWNER_CANNOT_LEAVE;
import static chat.common.proto.ErrorCode.SELF;

import chat.common.proto.Line;
import chat.common.proto.ProtocolException;
import chat.common.proto.Request;
import chat.common.text.Names;
import chat.common.wire.LineDecoder;
import chat.server.hub.Rooms;
import chat.server.hub.Session;
import chat.server.legacy.Lobby;
import chat.server.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * CREATE, RENAME, DISBAND, INVITE, JOIN, APPROVE, REQUESTS, LEAVE, KICK, GROUPS, MEMBERS and
 * GROUP (a group message), and the lobby shared with the legacy clients.
 *
 * <p>Membership changes and messages go through the single writer, in order; the online members'
 * rooms ({@link Rooms}) are updated on the reactor when the writer is done.
 */
final class Groups {

    private final Services services;
    private final Rooms rooms;
    private final Lobby lobby;

    Groups(Services services, Rooms rooms, Lobby lobby) {
        this.services = services;
        this.rooms = rooms;
        this.lobby = lobby;
    }

    /** A group message as pushed: {@code GROUP:id:time:group:from:text}. */
    static Line pushLine(Store.Message m) {
        return Line.of(null, "GROUP", Long.toString(m.id()), Long.toString(m.sentAt()), m.groupName(), m.senderName(), m.body());
    }

    /** A group named in a request; a leading '#' is allowed ({@code #friends}). */
    static String groupName(String s) {
        return s.startsWith("#") ? s.substring(1) : s;
    }

    void create(Client c, String tag, Session me, Request.Create r) {
        String name = groupName(r.group());
        String problem = Names.problem(name);
        if (problem != null || Lobby.isLobby(name)) {
            c.fail(tag, "CREATE", BAD_NAME, problem != null ? problem : "the lobby is there already; JOIN:lobby");
            return;
        }
        var s = services;
        s.write(c, () -> s.store().createGroup(name, Names.key(name), me.userId, r.open(), s.now()), (group, failed) -> {
            if (failed != null) {
                c.failed(tag, "CREATE", "creating a group", failed);
            } else if (group.isEmpty()) {
                c.fail(tag, "CREATE", NAME_TAKEN, "a group named " + name + " exists");
            } else {
                rooms.enter(group.get().id(), group.get().name(), me);
                c.ok(tag, "CREATE", group.get().name());
            }
        });
    }

    void rename(Client c, String tag, Session me, Request.Rename r) {
        String name = groupName(r.newName());
        String problem = Names.problem(name);
        if (problem != null || Lobby.isLobby(name)) {
            c.fail(tag, "RENAME", BAD_NAME, problem != null ? problem : "lobby is taken");
            return;
        }
        var s = services;
        onGroup(c, tag, "RENAME", me, r.group(), true, g -> s.store().renameGroup(g.id(), name, Names.key(name)), (g, renamed) -> {
            if (!renamed) {
                c.fail(tag, "RENAME", NAME_TAKEN, "a group named " + name + " exists");
                return;
            }
            c.ok(tag, "RENAME", name);
            Rooms.Room room = rooms.get(g.id());
            if (room != null) {
                room.name = name;
                room.notify(encode(Line.of(null, "GROUP_RENAMED", g.name(), name)));
            }
        });
    }

    void disband(Client c, String tag, Session me, Request.Disband r) {
        var s = services;
        onGroup(c, tag, "DISBAND", me, r.group(), true, g -> {
            s.store().deleteGroup(g.id());
            return true;
        }, (g, done) -> {
            c.ok(tag, "DISBAND");
            Rooms.Room room = rooms.get(g.id());
            if (room != null) {
                room.notify(encode(Line.of(null, "GROUP_DELETED", g.name())));
            }
            rooms.drop(g.id());
        });
    }

    void invite(Client c, String tag, Session me, Request.Invite r) {
        var s = services;
        onGroup(c, tag, "INVITE", me, r.group(), false, g -> {
            if (!g.open() && g.ownerId() != me.userId) {
                throw new ProtocolException(NOT_OWNER, "only the owner invites into a closed group");
            }
            Store.User user = user(r.name());
            if (!s.store().addMember(g.id(), user.id(), s.now())) {
                throw new ProtocolException(ALREADY_MEMBER, user.name() + " is a member already");
            }
            return user;
        }, (g, user) -> {
            c.ok(tag, "INVITE");
            joined(g, user);
        });
    }

    void join(Client c, String tag, Session me, Request.Join r) {
        if (Lobby.isLobby(groupName(r.group()))) {
            if (lobby.join(me)) {
                c.ok(tag, "JOIN", "joined");
            } else {
                c.fail(tag, "JOIN", ALREADY_MEMBER, "already in the lobby");
            }
            return;
        }
        var s = services;
        onGroup(c, tag, "JOIN", me, r.group(), false, false, g -> {
            if (s.store().isMember(g.id(), me.userId)) {
                throw new ProtocolException(ALREADY_MEMBER, "already a member of " + g.name());
            }
            if (g.open()) {
                s.store().addMember(g.id(), me.userId, s.now());
                return true;
            }
            s.store().requestJoin(g.id(), me.userId, s.now());
            return false;
        }, (g, joinedNow) -> {
            if (joinedNow) {
                c.ok(tag, "JOIN", "joined");
                joined(g, new Store.User(me.userId, me.name, null));
            } else {
                c.ok(tag, "JOIN", "requested");
                Session owner = s.hub().get(g.ownerId());
                if (owner != null) {
                    owner.push(Line.of(null, "JOIN_REQUEST", g.name(), me.name, Long.toString(s.now())));
                }
            }
        });
    }

    void approve(Client c, String tag, Session me, Request.Approve r) {
        var s = services;
        onGroup(c, tag, "APPROVE", me, r.group(), true, g -> {
            Store.User user = user(r.name());
            if (!s.store().hasJoinRequest(g.id(), user.id())) {
                throw new ProtocolException(NO_REQUEST, user.name() + " has not asked to join");
            }
            s.store().addMember(g.id(), user.id(), s.now());
            return user;
        }, (g, user) -> {
            c.ok(tag, "APPROVE");
            joined(g, user);
        });
    }

    void requests(Client c, String tag, Session me, Request.Requests r) {
        var s = services;
        onGroup(c, tag, "REQUESTS", me, r.group(), true, g -> s.store().joinRequests(g.id()), (g, list) -> {
            List<Line> lines = new ArrayList<>(list.size());
            for (Store.FriendRequest fr : list) {
                lines.add(Line.of(null, "JOIN_REQUEST", g.name(), fr.fromName(), Long.toString(fr.createdAt())));
            }
            c.list(tag, "REQUESTS", lines);
        });
    }

    void leave(Client c, String tag, Session me, Request.Leave r) {
        if (Lobby.isLobby(groupName(r.group()))) {
            if (lobby.leave(me)) {
                c.ok(tag, "LEAVE");
            } else {
                c.fail(tag, "LEAVE", NOT_MEMBER, "not in the lobby");
            }
            return;
        }
        var s = services;
        onGroup(c, tag, "LEAVE", me, r.group(), false, g -> {
            if (g.ownerId() == me.userId) {
                throw new ProtocolException(OWNER_CANNOT_LEAVE, "the owner cannot leave; DISBAND the group instead");
            }
            s.store().removeMember(g.id(), me.userId);
            return true;
        }, (g, done) -> {
            c.ok(tag, "LEAVE");
            left(g, me.userId, me.name, "left");
        });
    }

    void kick(Client c, String tag, Session me, Request.Kick r) {
        var s = services;
        onGroup(c, tag, "KICK", me, r.group(), true, g -> {
            Store.User user = user(r.name());
            if (user.id() == me.userId) {
                throw new ProtocolException(SELF, "the owner cannot kick themselves; DISBAND the group instead");
            }
            if (!s.store().removeMember(g.id(), user.id())) {
                throw new ProtocolException(NOT_MEMBER, user.name() + " is not a member");
            }
            return user;
        }, (g, user) -> {
            c.ok(tag, "KICK");
            left(g, user.id(), user.name(), "kicked");
        });
    }

    void list(Client c, String tag, Session me) {
        var s = services;
        s.read(c, () -> s.store().groupsOf(me.userId), (groups, failed) -> {
            if (failed != null) {
                c.failed(tag, "GROUPS", "reading groups", failed);
                return;
            }
            List<Line> lines = new ArrayList<>(groups.size() + 1);
            if (me.inLobby) {
                lines.add(Line.of(null, "GROUP_INFO", Lobby.NAME, "", "open", Integer.toString(lobby.names().size())));
            }
            for (Store.Group g : groups) {
                lines.add(Line.of(null, "GROUP_INFO", g.name(), g.ownerName(), g.open() ? "open" : "closed", Integer.toString(g.members())));
            }
            c.list(tag, "GROUPS", lines);
        });
    }

    void members(Client c, String tag, Session me, Request.Members r) {
        if (Lobby.isLobby(groupName(r.group()))) {
            if (!me.inLobby) {
                c.fail(tag, "MEMBERS", NOT_MEMBER, "JOIN:lobby first");
                return;
            }
            List<Line> lines = new ArrayList<>();
            for (String name : lobby.names()) {
                lines.add(Line.of(null, "MEMBER", name, "1", "0"));
            }
            c.list(tag, "MEMBERS", lines);
            return;
        }
        var s = services;
        onGroup(c, tag, "MEMBERS", me, r.group(), false, true, g -> s.store().members(g.id()), (g, members) -> {
            List<Line> lines = new ArrayList<>(members.size());
            for (Store.Member m : members) {
                lines.add(Line.of(null, "MEMBER", m.name(), s.hub().isOnline(m.id()) ? "1" : "0", m.owner() ? "1" : "0"));
            }
            c.list(tag, "MEMBERS", lines);
        });
    }

    void send(Client c, String tag, Session me, Request.Group r) {
        String problem = Messages.problem(r.clientId(), r.text());
        if (problem != null) {
            c.fail(tag, "GROUP", BAD_REQUEST, problem);
            return;
        }
        var s = services;
        if (Lobby.isLobby(groupName(r.group()))) {
            if (!me.inLobby) {
                c.fail(tag, "GROUP", NOT_MEMBER, "JOIN:lobby first");
                return;
            }
            long now = s.now();
            lobby.say(me, r.text(), now);
            c.ok(tag, "GROUP", "0", Long.toString(now), r.clientId());
            return;
        }
        onGroup(c, tag, "GROUP", me, r.group(), false, true,
                g -> s.store().storeGroupMessage(me.userId, g.id(), r.clientId(), r.text(), s.now()), (g, stored) -> {
                    Store.Message m = stored.message();
                    c.ok(tag, "GROUP", Long.toString(m.id()), Long.toString(m.sentAt()), m.clientId());
                    Rooms.Room room = rooms.get(g.id());
                    if (!stored.duplicate() && room != null) {
                        room.push(encode(pushLine(m)), me); // encoded once, copied to each member
                    }
                });
    }

    /** Someone became a member: their session enters the room, and the room hears of it. */
    private void joined(Store.Group g, Store.User user) {
        Session them = services.hub().get(user.id());
        if (them != null) {
            rooms.enter(g.id(), g.name(), them);
        }
        Rooms.Room room = rooms.get(g.id());
        if (room != null) {
            room.notify(encode(Line.of(null, "GROUP_JOINED", g.name(), user.name())));
        }
    }

    /** Someone is no longer a member: the room hears of it, them included, then they leave it. */
    private void left(Store.Group g, long userId, String name, String how) {
        Rooms.Room room = rooms.get(g.id());
        if (room != null) {
            room.notify(encode(Line.of(null, "GROUP_LEFT", g.name(), name, how)));
        }
        Session them = services.hub().get(userId);
        if (them != null) {
            rooms.exit(g.id(), them);
        }
    }

    /** Called when a session ends: it leaves every room, the lobby included. */
    void ended(Session s) {
        if (s.inLobby) {
            lobby.leave(s);
        }
        for (long id : new ArrayList<>(s.groups)) {
            rooms.exit(id, s);
        }
    }

    /** Called at login: the session enters its groups' rooms. */
    void started(Session s, List<Store.Group> groups) {
        for (Store.Group g : groups) {
            rooms.enter(g.id(), g.name(), s);
        }
    }

    private Store.User user(String name) {
        return services.store().userByKey(Names.key(name))
                .orElseThrow(() -> new ProtocolException(NO_SUCH_USER, "no user " + name));
    }

    private <T> void onGroup(Client c, String tag, String command, Session me, String group, boolean ownerOnly,
            Function<Store.Group, T> work, BiConsumer<Store.Group, T> then) {
        onGroup(c, tag, command, me, group, ownerOnly, !ownerOnly, work, then);
    }

    /**
     * Looks the group up on the writer, checks that I own it or am a member as asked, runs
     * {@code work} there, then {@code then} on the reactor; a check that fails is an error reply.
     */
    private <T> void onGroup(Client c, String tag, String command, Session me, String group, boolean ownerOnly,
            boolean membersOnly, Function<Store.Group, T> work, BiConsumer<Store.Group, T> then) {
        var s = services;
        String name = groupName(group);
        s.write(c, () -> {
            Store.Group g = s.store().groupByKey(Names.key(name))
                    .orElseThrow(() -> new ProtocolException(NO_SUCH_GROUP, "no group " + name));
            if (ownerOnly && g.ownerId() != me.userId) {
                throw new ProtocolException(NOT_OWNER, "only the owner of " + g.name() + " can do that");
            }
            if (membersOnly && !ownerOnly && !s.store().isMember(g.id(), me.userId)) {
                throw new ProtocolException(NOT_MEMBER, "not a member of " + g.name());
            }
            return new Looked<>(g, work.apply(g));
        }, (looked, failed) -> {
            if (!c.failed(tag, command, command + " " + name, failed)) {
                then.accept(looked.group, looked.result);
            }
        });
    }

    private record Looked<T>(Store.Group group, T result) {}

    private static byte[] encode(Line line) {
        return LineDecoder.encode(line.format());
    }
}
