package chat.server.hub;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The online members of each group, for fan-out: a group message is encoded once and its bytes
 * copied to each online member's connection, as the legacy room does, with no allocation per
 * recipient. Rooms exist only while a member is online; the database has the full membership.
 * Reactor thread only.
 */
public final class Rooms {

    /** One group's online members. */
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

        /**
         * Copies {@code line} (an encoded line, newline included) to every online member but
         * {@code except}; members still catching up at login get it from their catch-up instead.
         */
        public void push(byte[] line, Session except) {
            Session[] members = online;
            for (int i = 0, n = size; i < n; i++) {
                Session m = members[i];
                if (m != except && !m.syncing) {
                    m.connection.write(line, 0, line.length);
                }
            }
        }

        /** As {@link #push(byte[], Session)}, to catching-up members too (notices, not messages). */
        public void notify(byte[] line) {
            for (int i = 0; i < size; i++) {
                online[i].connection.write(line, 0, line.length);
            }
        }
    }

    private final Map<Long, Room> byId = new HashMap<>();

    public Room get(long groupId) {
        return byId.get(groupId);
    }

    /** Puts an online member into its group's room, making the room if it is the first. */
    public void enter(long groupId, String name, Session s) {
        byId.computeIfAbsent(groupId, id -> new Room(id, name)).add(s);
        s.groups.add(groupId);
    }

    /** Takes a member out; the room goes when its last online member does. */
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
