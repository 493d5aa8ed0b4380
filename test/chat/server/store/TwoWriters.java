package chat.server.store;

import chat.testing.MariaDb;

/**
 * Two cluster nodes' stores (cluster mode: several writers) on one fresh MariaDB database, with
 * the users the cases share, alice and bob, friends; closed together, the database dropped.
 */
final class TwoWriters implements AutoCloseable {

    final MariaDb db;
    final JdbcStore nodeA;
    final JdbcStore nodeB;
    final Store.User alice;
    final Store.User bob;

    TwoWriters() throws Exception {
        db = MariaDb.fresh();
        JdbcStore a = null;
        try {
            a = JdbcStore.open(database(), true);
            nodeA = a;
            nodeB = JdbcStore.open(database(), true);
        } catch (RuntimeException e) {
            if (a != null) {
                a.close();
            }
            db.close();
            throw e;
        }
        alice = nodeA.createUser("alice", "alice", "h", 1).orElseThrow();
        bob = nodeA.createUser("bob", "bob", "h", 1).orElseThrow();
        nodeA.requestFriend(alice.id(), bob.id(), 1);
        nodeA.requestFriend(bob.id(), alice.id(), 2);
    }

    /** The database, for a connection of the test's own. */
    Database database() {
        return new Database(db.url(), null, null);
    }

    @Override
    public void close() throws Exception {
        try {
            nodeA.close();
            nodeB.close();
        } finally {
            db.close();
        }
    }
}
