package chat.server.hub;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The online members of each group, for fan-out: a group message is encoded once and its bytes
 * copied to each online member session (every device of every member), as the legacy room does,
 * with no allocation per recipient. Rooms exist only while a member is online; the database has
 * the full membership. {@link #publish} is the one way a group message goes out. Reactor thread
 * only.
 */
public final class Rooms {

    /** One group's online member sessions. */
    public static final class Room {
        public final long id;
        public String name;
        private Session[] online = new Session[8];
        private int size;

        Room(long id, String name) {
            this.id = id;
            this.name = name;
        }

        public int size() {
            return size;
        }

        public Session get(int i) {
            return online[i];
        }

        void add(Session s) {
            for (int i = 0; i < size; i++) {
                if (online[i] == s) {
                    return;
                }
            }
            if (size == online.length) {
                online = Arrays.copyOf(online, size * 2);
            }
            online[size++] = s;
        }

        void remove(Session s) {
            for (int i = 0; i < size; i++) {
                if (online[i] == s) {
                    online[i] = online[--size];
                    online[size] = null;
                    return;
                }
            }
        }
    }

    private final Map<Long, Room> byId = new HashMap<>();
    /** Cluster mode: the way to the other nodes ({@link Router}); null with one node. */
    private Router router;

    public void setRouter(Router router) {
        this.router = router;
    }

    public Room get(long groupId) {
        return byId.get(groupId);
    }

    /**
     * Copies {@code line} (an encoded line, newline included) to every online member session but
     * {@code except}, the sender's; sessions still catching up get it from their catch-up
     * instead, and the members who blocked the sender do not get it.
     */
    public void publish(long groupId, long id, byte[] line, Session except) {
        if (router != null) {
            router.publish(groupId, id, line, except, except.userId);
        } else {
            publishHere(groupId, id, line, except, except.userId);
        }
    }

    /** {@link #publish} to this node's sessions; {@code sender} is the sender's user id. */
    public void publishHere(long groupId, long id, byte[] line, Session except, long sender) {
        Room room = byId.get(groupId);
        if (room == null) {
            return;
        }
        Session[] members = room.online;
        for (int i = 0, n = room.size; i < n; i++) {
            Session m = members[i];
            if (m != except && !m.syncing && (m.user.blocked.isEmpty() || !m.user.blocked.contains(sender))) {
                m.connection.write(line, 0, line.length);
                m.pushed(id);
            }
        }
    }

    /**
     * As {@link #publish}, for live notices that no catch-up brings: a session catching up gets
     * them after its {@code SYNCED}.
     */
    public void notify(long groupId, byte[] line, Session except) {
        if (router != null) {
            router.notifyGroup(groupId, line, except);
        } else {
            notifyHere(groupId, line, except);
        }
    }

    /** {@link #notify} to this node's sessions. */
    public void notifyHere(long groupId, byte[] line, Session except) {
        Room room = byId.get(groupId);
        if (room == null) {
            return;
        }
        for (int i = 0; i < room.size; i++) {
            Session m = room.online[i];
            if (m != except) {
                m.notify(line);
            }
        }
    }

    /** Puts an online member session into its group's room, making the room if it is the first. */
    public void enter(long groupId, String name, Session s) {
        byId.computeIfAbsent(groupId, id -> new Room(id, name)).add(s);
        s.groups.add(groupId);
    }

    /** Puts every session of the account into the room. */
    public void enter(long groupId, String name, OnlineUser user) {
        for (int i = 0; i < user.size(); i++) {
            enter(groupId, name, user.get(i));
        }
    }

    /** Takes a member session out; the room goes when its last online member does. */
    public void exit(long groupId, Session s) {
        s.groups.remove(groupId);
        Room room = byId.get(groupId);
        if (room != null) {
            room.remove(s);
            if (room.size == 0) {
                byId.remove(groupId);
            }
        }
    }

    /** Takes every session of the account out of the room. */
    public void exit(long groupId, OnlineUser user) {
        for (int i = 0; i < user.size(); i++) {
            exit(groupId, user.get(i));
        }
    }

    /** The group was renamed: its room goes by the new name. */
    public void rename(long groupId, String name) {
        Room room = byId.get(groupId);
        if (room != null) {
            room.name = name;
        }
    }

    /** The group is gone: every online member leaves its room. */
    public void drop(long groupId) {
        Room room = byId.remove(groupId);
        if (room != null) {
            for (int i = 0; i < room.size; i++) {
                room.online[i].groups.remove(groupId);
            }
        }
    }
}
