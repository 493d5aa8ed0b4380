package chat.server.store;

/**
 * Cluster mode: what the writer tells the node's positions about each group of writes
 * ({@code chat.server.cluster.Positions}). Without a cluster there are none and the writer pays
 * nothing.
 */
public interface WriteHooks {

    /** On the writer, before a group's transaction: ids it allocates are above every id known now. */
    void beginWrite();

    /**
     * On the reactor, after the group's callbacks (so after the doorbells they publish): the group
     * is over, committed or not, and {@code newestId} is the highest id committed when it ended.
     */
    void endWrite(long newestId);
}
