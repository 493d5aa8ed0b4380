package chat.server.hub;

/**
 * Cluster mode: where {@link Hub} and {@link Rooms} send what leaves them, so that it reaches the
 * sessions on the other nodes too ({@code chat.server.cluster.Cluster}). Without a cluster there
 * is none and every push goes straight to the local sessions. Reactor thread only, but for
 * {@link #catchUpBound}.
 */
public interface Router {

    /** A stored push to an account (see {@link Hub#deliver(long, long, byte[], Session, long)}). */
    void deliver(long userId, long id, byte[] line, Session except, long receiptFrom);

    /** A stored push to a group's members (see {@link Rooms#publish}). */
    void publish(long groupId, long id, byte[] line, Session except, long senderId);

    /** A live push to an account (see {@link Hub#notify(long, byte[], Session)}). */
    void notify(long userId, byte[] line, Session except);

    /** A live push to a group's online members, the lobby's among them (see {@link Rooms#notify}). */
    void notifyGroup(long groupId, byte[] line, Session except);

    /** Whether the account has a session on another node. */
    boolean onlineElsewhere(long userId);

    /**
     * The highest id a catch-up page may hold (any thread: read on the writer): what this node
     * has released to its sessions so far; what it releases later reaches a session catching up
     * through {@link #caughtUp}.
     */
    long catchUpBound();

    /**
     * {@code s}'s catch-up read everything up to {@code bound}: it gets now what was released
     * since, addressed to it, in order, and true; false when that is no longer known (a page more
     * must be read, up to the bound of now). True with {@link Session#awaitingResync} set, and
     * nothing given, while a resync is pending: the resync reads on and ends the catch-up.
     */
    boolean caughtUp(Session s, long bound);

    /**
     * The account's sessions on this node are now {@code count} (0: none left): the other nodes'
     * directories follow.
     */
    void sessionsChanged(long userId, String name, int count);

    /** A login here of {@code deviceId} (0: every device, single-session) replaces the account's sessions elsewhere. */
    void replaceElsewhere(long userId, long deviceId);
}
