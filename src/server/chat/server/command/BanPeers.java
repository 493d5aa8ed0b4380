package chat.server.command;

import chat.server.store.Store.Ban;

/**
 * The other nodes of a cluster, told of each ban and unban an admin makes on this node, so that
 * every node keeps the same bans and closes the connections they shut out. One node has none.
 * Reactor thread only.
 */
public interface BanPeers {

    /** Nobody to tell (one node). */
    BanPeers NONE = new BanPeers() {
        @Override
        public void banned(Ban ban, long userId) {}

        @Override
        public void unbanned(Ban ban) {}
    };

    /** {@code ban} was stored ({@code userId}: the account's, 0 for an address's). */
    void banned(Ban ban, long userId);

    /** {@code ban} was lifted. */
    void unbanned(Ban ban);
}
