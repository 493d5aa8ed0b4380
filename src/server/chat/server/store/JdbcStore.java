package chat.server.store;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The server's database. Opening it creates the schema on first start, refuses an unknown schema
 * version, and clears what a previous run left of the connection table (nobody is online before
 * the server starts). Its work runs on worker threads, never on the reactor thread.
 */
public final class Store implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Store.class.getName());

    private final Database database;

    private Store(Database database) {
        this.database = database;
    }

    /** Opens {@code database}, creating or checking its schema. */
    public static Store open(Database database) {
        try (Connection c = database.open()) {
            Schema.ensure(c, database.dialect());
            int stale = clearConnections(c);
            if (stale > 0) {
                LOG.log(Level.INFO, database.describe() + " - cleared " + stale + " stale connection rows");
            }
        } catch (SQLException e) {
            throw new StoreException("opening " + database.describe(), e);
        }
        return new Store(database);
    }

    private static int clearConnections(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            int rows = s.executeUpdate("DELETE FROM connections");
            s.executeUpdate("UPDATE users SET status = 0 WHERE status <> 0");
            return rows;
        }
    }

    public Database database() {
        return database;
    }

    @Override
    public void close() {
        // Connections belong to the workers that opened them; nothing is held here yet.
    }
}
