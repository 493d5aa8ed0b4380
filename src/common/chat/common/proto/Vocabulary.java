package chat.common.proto;

import java.util.Set;

/**
 * The names of the protocol in one place. A line's first field says what it is: a reply (the
 * name of the request it answers, or {@code ERR}), a list item, or a push. The three sets share
 * no name (VocabularyTest checks it), so a client can tell a push from a reply by its first field
 * alone.
 */
public final class Vocabulary {

    private Vocabulary() {}

    /** Every request name {@link Request#parse} knows, RESIGER (the article's spelling) included. */
    public static final Set<String> REQUESTS = Set.of(
            "HELLO", "REGISTER", "RESIGER", "CHECK_NAME", "LOGIN", "RESUME", "LOGOUT", "PASSWD",
            "CONTACTS", "FRIENDS", "FIND", "ADD", "ACCEPT", "DECLINE", "DEL", "ALIAS", "CONNECT_CLIENT",
            "MSG", "ACK", "HISTORY", "SEARCH", "UNREAD", "READ",
            "CREATE", "RENAME", "DISBAND", "INVITE", "JOIN", "APPROVE", "REQUESTS", "LEAVE", "KICK",
            "GROUPS", "MEMBERS", "GROUP",
            "PING", "STATS", "QUIT", "REJECT",
            "SEND_FILE", "FILE_UPLOAD", "FILE_GET", "FILE_CANCEL", "FILES", "FileTran", "UPLOAD", "DOWNLOAD",
            "CONNECTIONS", "DISCONNECT", "BAN", "UNBAN", "BANS",
            "DECLINE_INVITE", "INVITATIONS", "INVITE_POLICY", "BLOCK", "UNBLOCK", "BLOCKS");

    /** The requests that open a data connection: only ever a connection's first line. */
    public static final Set<String> DATA = Set.of("UPLOAD", "DOWNLOAD");

    /** The requests answered by a list ({@code COMMAND:true:N} then N items). */
    public static final Set<String> LISTS = Set.of(
            "CONTACTS", "FRIENDS", "FIND", "HISTORY", "SEARCH", "UNREAD", "REQUESTS", "GROUPS", "MEMBERS",
            "FILES", "CONNECTIONS", "BANS", "INVITATIONS", "BLOCKS");

    /** Every item name. {@code SESSION} is reserved for a list of my devices; no request writes it yet. */
    public static final Set<String> ITEMS = Set.of(
            Item.Friend.NAME, Item.GroupInfo.NAME, Item.Pending.NAME, Item.Hist.NAME, Item.User.NAME,
            Item.Member.NAME, Item.JoinRequested.NAME, Item.UnreadCount.NAME, Item.HistFile.NAME,
            Item.FileInfo.NAME, "SESSION", Item.ConnectionInfo.NAME, Item.BanInfo.NAME, Item.Invitation.NAME,
            Item.Blocked.NAME);

    /** Every push name. */
    public static final Set<String> PUSHES = Set.of(
            Push.Message.NAME, Push.FriendRequest.NAME, Push.FriendAdded.NAME, Push.FriendRemoved.NAME,
            Push.FriendDeclined.NAME, Push.GroupJoined.NAME, Push.GroupLeft.NAME, Push.GroupRenamed.NAME,
            Push.GroupDeleted.NAME, Push.GroupJoinRequest.NAME, Push.Presence.NAME, Push.ReadMark.NAME,
            Push.Delivered.NAME, Push.Synced.NAME, Push.Bye.NAME, Push.File.NAME, Push.FileState.NAME,
            Push.FilePeer.NAME, Push.GroupRejected.NAME, Push.GroupInvited.NAME, Push.GroupInviteDeclined.NAME);

    /** What a received line is, by its first field. */
    public enum Kind { REPLY, ITEM, PUSH }

    /**
     * What {@code line} is: a reply when its first field is a request's name or {@code ERR}, an
     * item when it is an item's name, else a push (a name nobody knows is a newer server's push,
     * which {@link Push#parse} reads as {@link Push.Unknown}). A client that is reading the items
     * of a list should count them rather than ask: a newer server's item name reads as a push.
     */
    public static Kind kindOf(Line line) {
        String first = line.command();
        if (REQUESTS.contains(first) || first.equals(Reply.ERR)) {
            return Kind.REPLY;
        }
        return ITEMS.contains(first) ? Kind.ITEM : Kind.PUSH;
    }
}
