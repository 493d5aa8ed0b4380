package chat.client.desktop.model;

/**
 * One row of the conversation list: a friend, a group or the lobby.
 *
 * @param key      what the protocol names it by: a friend's name ({@code bob}) or a group's id
 *                 ({@code !42}); stable across renames and aliases
 * @param name     the friend's account name or the group's name (without {@code #})
 * @param alias    the name I gave a friend, empty when none; groups have none
 * @param online   a friend's presence; for a group, whether any member is online is not tracked
 * @param unread   messages not read yet on any of my devices
 * @param preview  the last message's start, empty when there is none yet
 * @param lastTime the last message's time (ms since 1970), 0 when there is none: orders the list
 * @param owner    a group's owner (empty for friends and the lobby)
 * @param members  a group's member count (0 for friends)
 */
public record Conversation(String key, Kind kind, String name, String alias, boolean online, int unread,
        String preview, long lastTime, String owner, int members) {

    public enum Kind { FRIEND, GROUP, LOBBY }

    public Conversation {
        alias = alias == null ? "" : alias;
        preview = preview == null ? "" : preview;
        owner = owner == null ? "" : owner;
    }

    public static Conversation friend(String name, String alias, boolean online, int unread, String preview,
            long lastTime) {
        return new Conversation(name, Kind.FRIEND, name, alias, online, unread, preview, lastTime, "", 0);
    }

    public static Conversation group(long id, String name, String owner, int members, int unread, String preview,
            long lastTime) {
        Kind kind = id == 0 ? Kind.LOBBY : Kind.GROUP;
        return new Conversation("!" + id, kind, name, "", false, unread, preview, lastTime, owner, members);
    }

    /** What the list and the window title show: the alias if I gave one, {@code #name} for groups. */
    public String title() {
        if (!alias.isEmpty()) {
            return alias;
        }
        return kind == Kind.FRIEND ? name : "#" + name;
    }

    public boolean isGroup() {
        return kind != Kind.FRIEND;
    }

    public Conversation withUnread(int n) {
        return new Conversation(key, kind, name, alias, online, n, preview, lastTime, owner, members);
    }

    public Conversation withOnline(boolean on) {
        return new Conversation(key, kind, name, alias, on, unread, preview, lastTime, owner, members);
    }

    public Conversation withAlias(String a) {
        return new Conversation(key, kind, name, a, online, unread, preview, lastTime, owner, members);
    }

    /** The same row after a message: its preview and time move it to the top of the list. */
    public Conversation withLast(String text, long time, int newUnread) {
        return new Conversation(key, kind, name, alias, online, newUnread, preview(text), time, owner, members);
    }

    /** The list shows a message's first line, at most 64 characters (the server's preview length). */
    public static String preview(String text) {
        String line = text.strip().replace('\n', ' ');
        return line.length() <= 64 ? line : line.substring(0, line.offsetByCodePoints(0,
                line.codePointCount(0, 64) - 1)) + "…";
    }
}
