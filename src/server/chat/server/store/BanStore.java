package chat.server.store;

import static chat.server.store.Sql.list;
import static chat.server.store.Sql.update;

import chat.server.store.Store.Ban;
import java.util.List;

/**
 * The bans admins set (protocol 1.4): a few rows, read whole at start and kept in the server's
 * memory, so that a login or an accepted connection is checked without the database.
 */
final class BanStore {

    /** Most characters of a reason, as the protocol allows it. */
    static final int MAX_REASON = 255;

    private final ThreadConnections connections;

    BanStore(ThreadConnections connections) {
        this.connections = connections;
    }

    /** Delete and insert rather than a dialect's upsert: one statement more, the same SQL on both. */
    void put(Ban ban) {
        Sql.requireChars("ban target", ban.target(), Sql.MAX_NAME);
        Sql.requireChars("ban reason", ban.reason(), MAX_REASON);
        Sql.requireChars("admin name", ban.by(), Sql.MAX_NAME);
        connections.transaction("banning " + ban.kind() + " " + ban.target(), c -> {
            update(c, """
                    DELETE FROM bans WHERE kind = ? AND target = ?""", ban.kind(), ban.target());
            update(c, """
                    INSERT INTO bans (kind, target, until_at, reason, banned_by, banned_at)
                    VALUES (?, ?, ?, ?, ?, ?)""", ban.kind(), ban.target(), ban.until(), ban.reason(), ban.by(),
                    ban.at());
            return null;
        });
    }

    boolean remove(String kind, String target) {
        return connections.autoCommit("unbanning " + kind + " " + target, c -> update(c, """
                DELETE FROM bans WHERE kind = ? AND target = ?""", kind, target)) > 0;
    }

    List<Ban> holding(long now) {
        return connections.autoCommit("reading the bans", c -> list(c, """
                SELECT kind, target, until_at, reason, banned_by, banned_at FROM bans
                WHERE until_at = 0 OR until_at > ?
                ORDER BY banned_at, kind, target""", rs -> new Ban(rs.getString(1), rs.getString(2), rs.getLong(3),
                rs.getString(4), rs.getString(5), rs.getLong(6)), now));
    }

    int purge(long now) {
        return connections.autoCommit("deleting ended bans", c -> update(c, """
                DELETE FROM bans WHERE until_at <> 0 AND until_at <= ?""", now));
    }
}
