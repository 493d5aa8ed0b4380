package chat.server.command;

import static chat.common.proto.ErrorCode.ALREADY_MEMBER;
import static chat.common.proto.ErrorCode.BAD_NAME;
import static chat.common.proto.ErrorCode.BAD_REQUEST;
import static chat.common.proto.ErrorCode.BLOCKED;
import static chat.common.proto.ErrorCode.NOT_INVITABLE;
import static chat.common.proto.ErrorCode.NAME_TAKEN;
import static chat.common.proto.ErrorCode.NOT_MEMBER;
import static chat.common.proto.ErrorCode.NOT_OWNER;
import static chat.common.proto.ErrorCode.NO_REQUEST;
import static chat.common.proto.ErrorCode.NO_SUCH_USER;
import static chat.common.proto.ErrorCode.OWNER_CANNOT_LEAVE;
import static chat.common.proto.ErrorCode.SELF;

import chat.common.proto.Conversation;
import chat.common.proto.Item;
import chat.common.proto.Replies;
import chat.common.proto.ProtocolException;
import chat.common.proto.Request;
import chat.common.text.Names;
import chat.server.hub.Hub;
import chat.server.hub.OnlineUser;
import chat.server.hub.Rooms;
import chat.server.hub.Session;
import chat.server.legacy.Lobby;
import chat.server.store.Store;
import chat.server.store.Store.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * CREATE, RENAME, DISBAND, INVITE, DECLINE_INVITE, INVITATIONS, INVITE_POLICY, JOIN, APPROVE,
 * REJECT, REQUESTS, LEAVE, KICK, GROUPS, MEMBERS and GROUP (a group message), and the lobby shared
 * with the legacy clients. A request names a group
 * {@code team}, {@code #team} or {@code !42}.
 *
 * <p>Membership changes and messages go through the single writer, in order; each change stores
 * its event for every member (the one who left or was kicked included; for a disband, every
 * member before it) in the same transaction. The online members' rooms ({@link Rooms}) are
 * updated on the reactor when the writer is done.
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

    /** A group name in a CREATE or RENAME; a leading '#' is allowed ({@code #friends}). */
    static String groupName(String s) {
        return s.startsWith("#") ? s.substring(1) : s;
    }

    /** A membership change's result on the writer: what it found, and the events it stored. */
    private record Change<T>(T result, List<Store.Message> events) {}

    void create(Client c, String tag, Session me, Request.Create r) {
        String name = groupName(r.group());
        String problem = Names.problem(name);
        if (problem != null || Lobby.isLobby(name)) {
            c.fail(tag, "CREATE", BAD_NAME, problem != null ? problem : "the lobby is there already; JOIN:lobby");
            return;
        }
        var s = services;
        s.transaction(c, "creating a group", () -> {
            long now = s.now();
            var group = s.store().createGroup(name, Names.key(name), me.userId, r.open(), now);
            // My other devices learn of the group as of any group I join.
            List<Store.Message> events = group.isEmpty() ? List.of()
                    : s.store().storeEvent(Kind.GROUP_JOINED, me.userId, me.deviceId, group.get().id(),
                            List.of(me.userId), Events.groupJoined(group.get().name(), me.name, ""), now);
            return new Change<>(group, events);
        }, (change, failed) -> {
            if (c.failed(tag, "CREATE", "creating a group", failed)) {
                return;
            }
            if (change.result.isEmpty()) {
                c.fail(tag, "CREATE", NAME_TAKEN, "a group named " + name + " exists");
                return;
            }
            Store.Group g = change.result.get();
            rooms.enter(g.id(), g.name(), me.user);
            c.ok(tag, r, new Replies.CreateOk(g.name(), g.id()));
            Events.deliver(s.hub(), change.events, me);
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
        onGroup(c, tag, "RENAME", me, r.group(), Need.OWNER, g -> {
            if (!s.store().renameGroup(g.id(), name, Names.key(name))) {
                return null;
            }
            return s.store().storeEvent(Kind.GROUP_RENAMED, me.userId, me.deviceId, g.id(), s.store().memberIds(g.id()),
                    Events.groupRenamed(g.name(), name), s.now());
        }, (g, events) -> {
            if (events == null) {
                c.fail(tag, "RENAME", NAME_TAKEN, "a group named " + name + " exists");
                return;
            }
            rooms.rename(g.id(), name);
            c.ok(tag, r, new Replies.RenameOk(name));
            Events.deliver(s.hub(), events, me);
        });
    }

    /** DISBAND: the members learn it from events stored before the group and its messages go. */
    void disband(Client c, String tag, Session me, Request.Disband r) {
        var s = services;
        onGroup(c, tag, "DISBAND", me, r.group(), Need.OWNER, g -> {
            List<Store.Message> events = s.store().storeEvent(Kind.GROUP_DELETED, me.userId, me.deviceId, g.id(),
                    s.store().memberIds(g.id()), Events.groupDeleted(g.name()), s.now());
            s.store().deleteGroup(g.id());
            return events;
        }, (g, events) -> {
            c.ok(tag, "DISBAND");
            Events.deliver(s.hub(), events, me);
            rooms.drop(g.id());
        });
    }

    /**
     * What an INVITE came to: the invitee joined, or the invitation waits for their answer;
     * {@code told} is what the inviter is told, which for an inviter the invitee blocked is what
     * anyone else would have been told, while nothing happened.
     */
    private record Invited(Store.User user, boolean joined, boolean told) {
        Invited(Store.User user, boolean joined) {
            this(user, joined, joined);
        }
    }

    /**
     * INVITE: the invitee's policy decides ({@link Store.InvitePolicy}). A friend's invitation
     * (or anyone's, for one who takes anyone's) makes them a member at once, as in 1.3; any
     * other waits for their answer ({@code GROUP_INVITED}; {@code JOIN} accepts it,
     * {@code DECLINE_INVITE} declines), so a stranger can no longer put someone into a group and
     * message them there. {@code nobody} refuses every invitation ({@code not-invitable}). An
     * inviter the invitee blocked is answered as anyone else would be ({@code joined} under the
     * policy {@code anyone}, else {@code invited}, with the {@code GROUP_INVITED} event on their
     * own devices) and nothing reaches the invitee: they do not learn that they are blocked.
     */
    void invite(Client c, String tag, Session me, Request.Invite r) {
        var s = services;
        onGroup(c, tag, "INVITE", me, r.group(), Need.MEMBER, g -> {
            if (!g.open() && g.ownerId() != me.userId) {
                throw new ProtocolException(NOT_OWNER, "only the owner invites into a closed group");
            }
            var store = s.store();
            Store.User user = user(r.name());
            if (store.isMember(g.id(), user.id())) {
                throw new ProtocolException(ALREADY_MEMBER, user.name() + " is a member already");
            }
            if (store.isBlocked(me.userId, user.id())) {
                throw new ProtocolException(BLOCKED, "you blocked " + user.name() + "; UNBLOCK them first");
            }
            Store.InvitePolicy policy = store.invitePolicy(user.id());
            if (policy == Store.InvitePolicy.NOBODY) {
                throw new ProtocolException(NOT_INVITABLE, user.name() + " does not take invitations to groups");
            }
            long now = s.now();
            if (store.isBlocked(user.id(), me.userId)) {
                if (policy == Store.InvitePolicy.ANYONE) {
                    return new Change<>(new Invited(user, false, true), List.<Store.Message>of());
                }
                return new Change<>(new Invited(user, false), store.storeEvent(Kind.GROUP_INVITED, me.userId,
                        me.deviceId, g.id(), List.of(me.userId), Events.invitation(g.name(), user.name(), me.name), now));
            }
            if (policy == Store.InvitePolicy.ANYONE || store.areFriends(me.userId, user.id())) {
                if (!store.addMember(g.id(), user.id(), now)) { // another INVITE or a JOIN was first
                    throw new ProtocolException(ALREADY_MEMBER, user.name() + " is a member already");
                }
                return new Change<>(new Invited(user, true), joinedEvents(g, user, me.name, me, now));
            }
            if (!store.invite(g.id(), user.id(), me.userId, now)) {
                return new Change<>(new Invited(user, false), List.<Store.Message>of()); // told once
            }
            return new Change<>(new Invited(user, false), store.storeEvent(Kind.GROUP_INVITED, me.userId, me.deviceId,
                    g.id(), List.of(user.id(), me.userId), Events.invitation(g.name(), user.name(), me.name), now));
        }, (g, change) -> {
            c.ok(tag, r, new Replies.InviteOk(change.result.told()));
            if (change.result.joined()) {
                joined(g, change.result.user().id());
            }
            Events.deliver(s.hub(), change.events, me);
        });
    }

    /** DECLINE_INVITE: the invitation goes, and the inviter learns it ({@code GROUP_INVITE_DECLINED}). */
    void declineInvite(Client c, String tag, Session me, Request.DeclineInvite r) {
        var s = services;
        onGroup(c, tag, "DECLINE_INVITE", me, r.group(), Need.NOTHING, g -> {
            Store.Invitation invitation = s.store().invitation(g.id(), me.userId)
                    .orElseThrow(() -> new ProtocolException(NO_REQUEST, "nobody invited you to " + g.name()));
            s.store().dropInvitation(g.id(), me.userId);
            return s.store().storeEvent(Kind.GROUP_INVITE_DECLINED, me.userId, me.deviceId, g.id(),
                    List.of(invitation.inviterId(), me.userId), Events.invitation(g.name(), me.name, invitation.inviter()),
                    s.now());
        }, (g, events) -> {
            c.ok(tag, "DECLINE_INVITE");
            Events.deliver(s.hub(), events, me);
        });
    }

    /** INVITE_POLICY: sets whose invitations join me at once, or, with no policy, says what it is. */
    void invitePolicy(Client c, String tag, Session me, Request.InvitePolicy r) {
        var s = services;
        Store.InvitePolicy wanted = Store.InvitePolicy.of(r.policy());
        s.transaction(c, "INVITE_POLICY", () -> {
            if (wanted != null) {
                s.store().setInvitePolicy(me.userId, wanted);
            }
            return s.store().invitePolicy(me.userId);
        }, (policy, failed) -> {
            if (!c.failed(tag, "INVITE_POLICY", "the invitation policy", failed)) {
                c.ok(tag, r, new Replies.InvitePolicyOk(policy.wire()));
            }
        });
    }

    /** INVITATIONS: {@code INVITATION:group-id:group:by:time}, oldest first. */
    void invitations(Client c, String tag, Session me) {
        var s = services;
        s.read(c, () -> s.store().invitations(me.userId), (list, failed) -> {
            if (c.failed(tag, "INVITATIONS", "reading invitations", failed)) {
                return;
            }
            List<Item> items = new ArrayList<>(list.size());
            for (Store.Invitation i : list) {
                items.add(new Item.Invitation(i.groupId(), i.group(), i.inviter(), i.createdAt()));
            }
            c.list(tag, "INVITATIONS", items);
        });
    }

    /**
     * JOIN: an open group at once; a closed one asks its owner ({@code GROUP_JOIN_REQUEST}),
     * unless an invitation waits for me: then I accept it and am a member at once, invited by
     * whoever invited me.
     */
    void join(Client c, String tag, Session me, Request.Join r) {
        if (Lobby.isLobby(r.group())) {
            if (lobby.join(me)) {
                c.ok(tag, r, new Replies.JoinOk(true, Conversation.LOBBY_ID));
            } else {
                c.fail(tag, "JOIN", ALREADY_MEMBER, "already in the lobby");
            }
            return;
        }
        var s = services;
        onGroup(c, tag, "JOIN", me, r.group(), Need.NOTHING, g -> {
            if (s.store().isMember(g.id(), me.userId)) {
                throw new ProtocolException(ALREADY_MEMBER, "already a member of " + g.name());
            }
            long now = s.now();
            var self = new Store.User(me.userId, me.name, null);
            var invitation = s.store().invitation(g.id(), me.userId);
            if (g.open() || invitation.isPresent()) {
                s.store().addMember(g.id(), me.userId, now);
                return new Change<>(true, joinedEvents(g, self, invitation.map(Store.Invitation::inviter).orElse(""), me,
                        now));
            }
            if (!s.store().requestJoin(g.id(), me.userId, now)) {
                return new Change<>(false, List.<Store.Message>of()); // asked already: nobody is told twice
            }
            return new Change<>(false, s.store().storeEvent(Kind.GROUP_JOIN_REQUEST, me.userId, me.deviceId, g.id(),
                    List.of(g.ownerId(), me.userId), Events.joinRequest(g.name(), me.name), now));
        }, (g, change) -> {
            c.ok(tag, r, new Replies.JoinOk(change.result, g.id()));
            if (change.result) {
                joined(g, me.userId);
            }
            Events.deliver(s.hub(), change.events, me);
        });
    }

    void approve(Client c, String tag, Session me, Request.Approve r) {
        var s = services;
        onGroup(c, tag, "APPROVE", me, r.group(), Need.OWNER, g -> {
            Store.User user = user(r.name());
            if (!s.store().hasJoinRequest(g.id(), user.id())) {
                throw new ProtocolException(NO_REQUEST, user.name() + " has not asked to join");
            }
            long now = s.now();
            s.store().addMember(g.id(), user.id(), now);
            return new Change<>(user, joinedEvents(g, user, me.name, me, now));
        }, (g, change) -> {
            c.ok(tag, "APPROVE");
            joined(g, change.result.id());
            Events.deliver(s.hub(), change.events, me);
        });
    }

    /**
     * REJECT: the request is dropped and the asker told ({@code GROUP_REJECTED}, stored, so that
     * each of its devices learns it, now or at its catch-up), and so are my other devices.
     */
    void reject(Client c, String tag, Session me, Request.Reject r) {
        var s = services;
        onGroup(c, tag, "REJECT", me, r.group(), Need.OWNER, g -> {
            Store.User user = user(r.name());
            if (!s.store().rejectJoin(g.id(), user.id())) {
                throw new ProtocolException(NO_REQUEST, user.name() + " has not asked to join");
            }
            return s.store().storeEvent(Kind.GROUP_REJECTED, me.userId, me.deviceId, g.id(),
                    List.of(user.id(), me.userId), Events.groupRejected(g.name(), me.name, user.name()), s.now());
        }, (g, events) -> {
            c.ok(tag, "REJECT");
            Events.deliver(s.hub(), events, me);
        });
    }

    /** {@code GROUP_JOINED} for every member, the new one included (on the writer, after the add). */
    private List<Store.Message> joinedEvents(Store.Group g, Store.User who, String by, Session me, long now) {
        var store = services.store();
        return store.storeEvent(Kind.GROUP_JOINED, me.userId, me.deviceId, g.id(), store.memberIds(g.id()),
                Events.groupJoined(g.name(), who.name(), by), now);
    }

    void requests(Client c, String tag, Session me, Request.Requests r) {
        var s = services;
        onGroup(c, tag, "REQUESTS", me, r.group(), Need.OWNER, g -> s.store().joinRequests(g.id()), (g, list) -> {
            List<Item> items = new ArrayList<>(list.size());
            for (Store.FriendRequest fr : list) {
                items.add(new Item.JoinRequested(g.id(), g.name(), fr.fromName(), fr.createdAt()));
            }
            c.list(tag, "REQUESTS", items);
        });
    }

    void leave(Client c, String tag, Session me, Request.Leave r) {
        if (Lobby.isLobby(r.group())) {
            if (lobby.leave(me)) {
                c.ok(tag, "LEAVE");
            } else {
                c.fail(tag, "LEAVE", NOT_MEMBER, "not in the lobby");
            }
            return;
        }
        var s = services;
        onGroup(c, tag, "LEAVE", me, r.group(), Need.MEMBER, g -> {
            if (g.ownerId() == me.userId) {
                throw new ProtocolException(OWNER_CANNOT_LEAVE, "the owner cannot leave; DISBAND the group instead");
            }
            return leftEvents(g, me.userId, me.name, false, "", me);
        }, (g, events) -> {
            c.ok(tag, "LEAVE");
            Events.deliver(s.hub(), events, me);
            rooms.exit(g.id(), me.user);
        });
    }

    void kick(Client c, String tag, Session me, Request.Kick r) {
        var s = services;
        onGroup(c, tag, "KICK", me, r.group(), Need.OWNER, g -> {
            Store.User user = user(r.name());
            if (user.id() == me.userId) {
                throw new ProtocolException(SELF, "the owner cannot kick themselves; DISBAND the group instead");
            }
            return new Change<>(user, leftEvents(g, user.id(), user.name(), true, me.name, me));
        }, (g, change) -> {
            c.ok(tag, "KICK");
            Events.deliver(s.hub(), change.events, me);
            OnlineUser them = s.hub().get(change.result.id());
            if (them != null) {
                rooms.exit(g.id(), them);
            }
        });
    }

    /**
     * Takes a member out and stores {@code GROUP_LEFT} for every member before it (so the one who
     * goes hears it too); {@code not-member} when it was none.
     */
    private List<Store.Message> leftEvents(Store.Group g, long userId, String name, boolean kicked, String by, Session me) {
        var store = services.store();
        List<Long> before = store.memberIds(g.id());
        if (!store.removeMember(g.id(), userId)) {
            throw new ProtocolException(NOT_MEMBER, name + " is not a member of " + g.name());
        }
        return store.storeEvent(Kind.GROUP_LEFT, me.userId, me.deviceId, g.id(), before,
                Events.groupLeft(g.name(), name, kicked, by), services.now());
    }

    /** GROUPS: {@code GROUP_INFO:id:name:owner:open-or-closed:members}, the lobby first when I am in it. */
    void list(Client c, String tag, Session me) {
        var s = services;
        s.read(c, () -> s.store().groupsOf(me.userId), (groups, failed) -> {
            if (c.failed(tag, "GROUPS", "reading groups", failed)) {
                return;
            }
            List<Item> items = new ArrayList<>(groups.size() + 1);
            if (me.user.inLobby) {
                items.add(Item.GroupInfo.brief(Lobby.ID, Lobby.NAME, "", true, lobby.names().size()));
            }
            for (Store.Group g : groups) {
                items.add(Item.GroupInfo.brief(g.id(), g.name(), g.ownerName(), g.open(), g.members()));
            }
            c.list(tag, "GROUPS", items);
        });
    }

    void members(Client c, String tag, Session me, Request.Members r) {
        if (Lobby.isLobby(r.group())) {
            if (!me.user.inLobby) {
                c.fail(tag, "MEMBERS", NOT_MEMBER, "JOIN:lobby first");
                return;
            }
            List<Item> items = new ArrayList<>();
            for (String name : lobby.names()) {
                items.add(new Item.Member(name, true, false));
            }
            c.list(tag, "MEMBERS", items);
            return;
        }
        var s = services;
        onGroup(c, tag, "MEMBERS", me, r.group(), Need.MEMBER, g -> s.store().members(g.id()), (g, members) -> {
            List<Item> items = new ArrayList<>(members.size());
            for (Store.Member m : members) {
                items.add(new Item.Member(m.name(), s.hub().isOnline(m.id()), m.owner()));
            }
            c.list(tag, "MEMBERS", items);
        });
    }

    /**
     * A group message: stored, acknowledged, and its push encoded once and copied to every online
     * member session (my other devices too) but the sending one.
     */
    void send(Client c, String tag, Session me, Request.Group r) {
        String problem = Messages.problem(r.clientId(), r.text());
        if (problem != null) {
            c.fail(tag, "GROUP", BAD_REQUEST, problem);
            return;
        }
        var s = services;
        if (Lobby.isLobby(r.group())) {
            if (!me.user.inLobby) {
                c.fail(tag, "GROUP", NOT_MEMBER, "JOIN:lobby first");
                return;
            }
            long now = s.now();
            lobby.say(me, r.text(), now);
            c.ok(tag, r, new Replies.SentOk(Lobby.ID, now, r.clientId()));
            return;
        }
        onGroup(c, tag, "GROUP", me, r.group(), Need.MEMBER,
                g -> s.store().storeGroupMessage(me.userId, me.deviceId, g.id(), r.clientId(), r.text(), s.now()),
                (g, stored) -> {
                    Store.Message m = stored.message();
                    c.ok(tag, r, new Replies.SentOk(m.id(), m.sentAt(), m.clientId()));
                    if (!stored.duplicate()) {
                        rooms.publish(g.id(), m.id(), Hub.encode(Events.push(m)), me); // encoded once, copied to each
                    }
                });
    }

    /** Someone became a member: their sessions enter the room. */
    private void joined(Store.Group g, long userId) {
        OnlineUser them = services.hub().get(userId);
        if (them != null) {
            rooms.enter(g.id(), g.name(), them);
        }
    }

    /** Called at login: the session enters its groups' rooms, and the lobby's if its account is in. */
    void started(Session s, List<Store.Group> groups) {
        for (Store.Group g : groups) {
            rooms.enter(g.id(), g.name(), s);
        }
        lobby.started(s);
    }

    /** Called when a session ends: it leaves every room; the last of its account leaves the lobby. */
    void ended(Session s, boolean last) {
        for (long id : new ArrayList<>(s.groups)) {
            rooms.exit(id, s);
        }
        lobby.ended(s, last);
    }

    private Store.User user(String name) {
        return services.store().userByKey(Names.key(name))
                .orElseThrow(() -> new ProtocolException(NO_SUCH_USER, "no user " + name));
    }

    /** What a command needs of me in the group. */
    private enum Need { NOTHING, MEMBER, OWNER }

    /**
     * Looks the group up on the writer, checks that I own it or am a member as asked, runs
     * {@code work} there (all in one transaction), then {@code then} on the reactor; a check that
     * fails is an error reply.
     */
    private <T> void onGroup(Client c, String tag, String command, Session me, String group, Need need,
            Function<Store.Group, T> work, BiConsumer<Store.Group, T> then) {
        var s = services;
        s.transaction(c, command + " " + group, () -> {
            Store.Group g = Target.group(s.store(), group);
            if (need == Need.OWNER && g.ownerId() != me.userId) {
                throw new ProtocolException(NOT_OWNER, "only the owner of " + g.name() + " can do that");
            }
            if (need == Need.MEMBER && !s.store().isMember(g.id(), me.userId)) {
                throw new ProtocolException(NOT_MEMBER, "not a member of " + g.name());
            }
            return new Looked<>(g, work.apply(g));
        }, (looked, failed) -> {
            if (!c.failed(tag, command, command + " " + group, failed)) {
                then.accept(looked.group, looked.result);
            }
        });
    }

    private record Looked<T>(Store.Group group, T result) {}
}
