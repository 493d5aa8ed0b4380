package chat.server.legacy;

import chat.common.proto.ChatMessage;
import chat.common.proto.Push;
import chat.common.text.Names;
import chat.server.hub.Hub;
import chat.server.hub.OnlineUser;
import chat.server.hub.Rooms;
import chat.server.hub.Session;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The room called "lobby", group id 0: the article's legacy clients and the account users who
 * join it, in one conversation. What an account user says reaches the legacy clients as records
 * under the account's name; what a legacy client says reaches the account users as
 * {@code MESSAGE} pushes with id 0 from {@code ~name}, and its coming and going as
 * {@code GROUP_JOINED} / {@code GROUP_LEFT} with id 0 (a device still catching up gets them after
 * its {@code SYNCED}). Lobby traffic is not stored: the legacy clients, who are most of it, have no
 * accounts, so no one could be shown it again, and it keeps the article's room as light as it was.
 *
 * <p>An account is in the lobby with all its devices or none: the legacy clients see one
 * {@code NAME 用户上线.} per account, and the account leaves when its last device does. The two
 * kinds of member are kept apart: accounts by user ({@link OnlineUser#inLobby}), legacy clients by
 * connection in the {@link LegacyRoom}, whose names come marked ({@code ~bob}); a legacy client's
 * coming and going is only told, it never changes an account's membership. Reactor thread only.
 */
public final class Lobby implements LegacyRoom.Listener {

    public static final String NAME = "lobby";
    /** The lobby's group id, and its room's among the groups' rooms; groups' ids start at 1. */
    public static final long ID = 0;

    private final LegacyRoom legacy;
    private final Rooms rooms;
    private final LongSupplier clock;
    /** Cluster mode: the other nodes' side of the lobby; null with one node. */
    private Bus bus;
    /**
     * Cluster mode: how many of this node's members go by each name (legacy clients by connection,
     * marked; accounts once), so that each change is told as a count.
     */
    private final Map<String, Integer> here = new HashMap<>();

    /** Cluster mode: the lobby on the other nodes. */
    public interface Bus {
        /**
         * The lobby's legacy records for the other nodes' legacy clients: a line said ({@code text}
         * not null) under {@code name}, or {@code name} came ({@code came}) or went.
         */
        void lobby(String name, String text, boolean came);

        /** {@code members} of this node's lobby members go by {@code name} now (0: none). */
        void count(String name, int members);

        /** The members on the other nodes: legacy clients (marked), one per connection, then accounts. */
        List<String> elsewhere();
    }

    public Lobby(LegacyRoom legacy, Rooms rooms, LongSupplier clock) {
        this.legacy = legacy;
        this.rooms = rooms;
        this.clock = clock;
        legacy.setListener(this);
    }

    public void setBus(Bus bus) {
        this.bus = bus;
    }

    /** Another node's lobby traffic, for this node's legacy clients (its accounts had it as pushes). */
    public void fromElsewhere(String name, String text, boolean came) {
        if (text != null) {
            legacy.sayFor(name, text);
        } else {
            legacy.announce(name, came);
        }
    }

    /**
     * Another node went down: its members who were in the lobby ({@code names}, one per member) are
     * told gone, here, to the legacy clients and to the accounts (their node cannot say it).
     */
    public void goneElsewhere(List<String> names) {
        var still = new java.util.HashSet<>(bus == null ? List.<String>of() : bus.elsewhere());
        for (String name : names) {
            if (here.containsKey(name) || still.contains(name)) {
                continue; // in the lobby still, through this node or another live one
            }
            legacy.announce(name, false);
            rooms.notifyHere(ID, Hub.encode(leftPush(name)), null);
        }
    }

    private void toBus(String name, String text, boolean came) {
        if (bus != null) {
            bus.lobby(name, text, came);
        }
    }

    /** Cluster mode: one more ({@code step} 1) or one fewer (-1) of this node's members goes by {@code name}. */
    private void count(String name, int step) {
        if (bus != null) {
            int members = here.merge(name, step, Integer::sum);
            if (members <= 0) {
                here.remove(name);
            }
            bus.count(name, Math.max(members, 0));
        }
    }

    /** Whether a group reference names the lobby: {@code lobby}, {@code #lobby} or {@code !0}. */
    public static boolean isLobby(String group) {
        String name = group.startsWith("#") ? group.substring(1) : group;
        return NAME.equalsIgnoreCase(name) || group.equals("!" + ID);
    }

    /** {@code s}'s account joins; false when it is in already. */
    public boolean join(Session s) {
        OnlineUser user = s.user;
        if (user.inLobby) {
            return false;
        }
        user.inLobby = true;
        count(s.name, 1);
        rooms.enter(ID, NAME, user);
        notice(joinedPush(s.name), s);
        legacy.announce(s.name, true);
        toBus(s.name, null, true);
        return true;
    }

    /** {@code s}'s account leaves; false when it is not in. */
    public boolean leave(Session s) {
        OnlineUser user = s.user;
        if (!user.inLobby) {
            return false;
        }
        notice(leftPush(s.name), s); // my other devices hear it too, before they go
        gone(user, s.name);
        return true;
    }

    /** A new session of an account: it enters the lobby's room if its account is in. */
    public void started(Session s) {
        if (s.user.inLobby) {
            rooms.enter(ID, NAME, s);
        }
    }

    /** A session ended (it has left every room); its account leaves the lobby if it was its last. */
    public void ended(Session s, boolean last) {
        if (last && s.user.inLobby) {
            gone(s.user, s.name);
            notice(leftPush(s.name), null);
        }
    }

    private void gone(OnlineUser user, String name) {
        user.inLobby = false;
        count(name, -1);
        rooms.exit(ID, user);
        legacy.announce(name, false);
        toBus(name, null, false);
    }

    /** An account user says something in the lobby. */
    public void say(Session s, String text, long now) {
        legacy.sayFor(s.name, text);
        toBus(s.name, text, false);
        rooms.notify(ID, Hub.encode(message(s.name, text, now)), s);
    }

    /**
     * Who is in the lobby: the legacy clients, one per connection and marked ({@code ~bob}), then
     * the accounts, one per account however many of its devices are in. The two never merge: a
     * legacy client calling itself {@code bob} is {@code ~bob} beside the account {@code bob}.
     * In a cluster, the members on every node: this node's legacy clients, the other nodes', this
     * node's accounts, then the other nodes' accounts that are not in the lobby here too.
     */
    public List<String> names() {
        List<String> names = new ArrayList<>(legacy.names());
        List<String> elsewhere = bus == null ? List.of() : bus.elsewhere();
        int firstAccount = 0; // elsewhere's legacy clients come first, marked
        while (firstAccount < elsewhere.size() && elsewhere.get(firstAccount).charAt(0) == Names.LEGACY_MARK) {
            names.add(elsewhere.get(firstAccount++));
        }
        Set<String> accounts = new LinkedHashSet<>();
        Rooms.Room room = rooms.get(ID);
        for (int i = 0; room != null && i < room.size(); i++) {
            accounts.add(room.get(i).name); // a set: one per account, however many of its devices are in
        }
        accounts.addAll(elsewhere.subList(firstAccount, elsewhere.size()));
        names.addAll(accounts);
        return names;
    }

    @Override
    public boolean listening() {
        return bus != null || rooms.get(ID) != null; // in a cluster, members may be on other nodes
    }

    @Override
    public void joined(String name) {
        toBus(name, null, true);
        notice(joinedPush(name), null);
    }

    @Override
    public void renamed(String from, String to) {
        if (from != null) {
            count(from, -1);
        }
        count(to, 1);
    }

    @Override
    public void said(String name, String text) {
        toBus(name, text, false);
        rooms.notify(ID, Hub.encode(message(name, text, clock.getAsLong())), null);
    }

    @Override
    public void left(String name) {
        count(name, -1);
        toBus(name, null, false);
        notice(leftPush(name), null);
    }

    /** Lobby traffic has id 0: it is not stored, and there is nothing to ACK. */
    private static Push message(String from, String text, long now) {
        return new Push.Message(ChatMessage.inGroup(0, now, from, ID, NAME, "", text));
    }

    private Push joinedPush(String name) {
        return new Push.GroupJoined(0, clock.getAsLong(), ID, NAME, name, "");
    }

    private Push leftPush(String name) {
        return new Push.GroupLeft(0, clock.getAsLong(), ID, NAME, name, false, "");
    }

    /** Never stored, so never in a catch-up: a session catching up gets them after its SYNCED. */
    private void notice(Push push, Session except) {
        rooms.notify(ID, Hub.encode(push), except);
    }
}
