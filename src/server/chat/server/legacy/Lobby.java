package chat.server.legacy;

import chat.common.proto.Line;
import chat.common.wire.LineDecoder;
import chat.server.hub.Rooms;
import chat.server.hub.Session;
import java.util.ArrayList;
import java.util.List;

/**
 * The room called "lobby": the article's legacy clients and the account users who join it, in one
 * conversation. What an account user says reaches the legacy clients as records under the
 * account's name; what a legacy client says reaches the account users as {@code GROUP} pushes
 * with id 0. Lobby traffic is not stored: the legacy clients, who are most of it, have no
 * accounts, so no one could be shown it again, and it keeps the article's room as light as it was.
 * Reactor thread only.
 */
public final class Lobby implements LegacyRoom.Listener {

    public static final String NAME = "lobby";
    /** The lobby's room id among the groups' rooms; groups' ids start at 1. */
    public static final long ROOM_ID = 0;

    private final LegacyRoom legacy;
    private final Rooms rooms;

    public Lobby(LegacyRoom legacy, Rooms rooms) {
        this.legacy = legacy;
        this.rooms = rooms;
        legacy.setListener(this);
    }

    public static boolean isLobby(String group) {
        return NAME.equalsIgnoreCase(group);
    }

    private Rooms.Room room() {
        return rooms.get(ROOM_ID);
    }

    /** False when already in. */
    public boolean join(Session s) {
        if (s.inLobby) {
            return false;
        }
        s.inLobby = true;
        rooms.enter(ROOM_ID, NAME, s);
        notice(Line.of(null, "GROUP_JOINED", NAME, s.name), s);
        legacy.announce(s.name, true);
        return true;
    }

    /** False when not in. */
    public boolean leave(Session s) {
        if (!s.inLobby) {
            return false;
        }
        s.inLobby = false;
        rooms.exit(ROOM_ID, s);
        notice(Line.of(null, "GROUP_LEFT", NAME, s.name, "left"), null);
        legacy.announce(s.name, false);
        return true;
    }

    /** An account user says something in the lobby. */
    public void say(Session s, String text, long now) {
        legacy.sayFor(s.name, text);
        Rooms.Room room = room();
        if (room != null) {
            room.push(encode(Line.of(null, "GROUP", "0", Long.toString(now), NAME, s.name, text)), s);
        }
    }

    /** Who is in the lobby: legacy names, then account names. */
    public List<String> names() {
        List<String> names = new ArrayList<>(legacy.names());
        Rooms.Room room = room();
        for (int i = 0; room != null && i < room.size(); i++) {
            names.add(room.get(i).name);
        }
        return names;
    }

    @Override
    public boolean listening() {
        return room() != null;
    }

    @Override
    public void joined(String name) {
        notice(Line.of(null, "GROUP_JOINED", NAME, name), null);
    }

    @Override
    public void said(String name, String text) {
        Rooms.Room room = room();
        if (room != null) {
            room.push(encode(Line.of(null, "GROUP", "0", Long.toString(System.currentTimeMillis()), NAME, name, text)), null);
        }
    }

    @Override
    public void left(String name) {
        notice(Line.of(null, "GROUP_LEFT", NAME, name, "left"), null);
    }

    private void notice(Line line, Session except) {
        Rooms.Room room = room();
        if (room != null) {
            room.push(encode(line), except);
        }
    }

    private static byte[] encode(Line line) {
        return LineDecoder.encode(line.format());
    }
}
