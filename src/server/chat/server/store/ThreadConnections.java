package chat.server.store;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One JDBC connection per thread that uses the store, opened on its first call and kept for the
 * next ones; {@link #close} closes them all. A JDBC connection is not meant to be shared between
 * threads, and the store's callers are a few long-lived workers, so a pool would buy nothing.
 *
 * <p>Work runs through {@link #autoCommit} or {@link #transaction}. A failure that running again can cure is
 * retried from the start: a connection the server dropped (MariaDB's {@code wait_timeout}, a
 * restart) is replaced once, and a write that lost a lock race (SQLite busy, InnoDB deadlock) is
 * run again a few times. Everything else becomes a {@link StoreException} saying what was being
 * done.
 *
 * <p>A dropped connection may have committed a write before it went: running that write again
 * then meets its own row. {@code storeMessage} answers that with a duplicate, {@code createUser}
 * with a taken name; both are rare, and neither loses data.
 *
 * <p>{@link #inTransaction} lets several store calls commit together: while it runs, every
 * {@link #autoCommit} and {@link #transaction} on its thread joins its transaction instead of
 * starting its own, and a failure of any of them ends the whole of it, so that a lock conflict
 * runs the whole outer work again rather than one call in the middle of it.
 *
 * <p>The writer's thread says it is the writer ({@link #serveAsWriter}, as {@link Workers} starts
 * it): cluster mode's {@link Store.WriterHooks} run on its connection, and on no other thread's.
 */
final class ThreadConnections implements AutoCloseable {

    /** Work done with a connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private static final System.Logger LOG = System.getLogger(Store.class.getName());

    /** Runs of one piece of work, the first included, when each failure is a lock conflict. */
    private static final int MAX_ATTEMPTS = 4;
    /** Seconds {@link Connection#isValid} may take to tell a dead connection from a live one. */
    private static final int VALIDATION_TIMEOUT_SECONDS = 2;

    private final Database database;
    private final ThreadLocal<Connection> mine = new ThreadLocal<>();
    /** Set on a thread while its {@link #inTransaction} work runs. */
    private final ThreadLocal<Boolean> joining = new ThreadLocal<>();
    private final Set<Connection> all = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    /** Set on the writer's thread ({@link #serveAsWriter}): the {@link #writerHooks} run on its connection only. */
    private final ThreadLocal<Boolean> writer = new ThreadLocal<>();
    /** Cluster mode: the checks on the writer's connection (the node's fence); null: none. */
    private volatile Store.WriterHooks writerHooks;
    /** The writer's connection that {@link #writerHooks} last passed as opened. The writer's thread only. */
    private Connection hooked;

    ThreadConnections(Database database) {
        this.database = database;
    }

    /** The database's kind, for the few queries written for each (SEARCH's index). */
    Database.Dialect dialect() {
        return database.dialect();
    }

    /**
     * Runs {@code work} in auto-commit mode: each statement is its own transaction and sees what
     * is committed when it runs. For reads, and for writes of one statement.
     */
    <T> T autoCommit(String doing, Work<T> work) {
        return joining.get() != null ? join(doing, work) : run(doing, c -> {
            if (!c.getAutoCommit()) { // left after a transaction on MySQL (see endTransaction)
                c.setAutoCommit(true);
            }
            return work.run(c);
        });
    }

    /**
     * Runs a read of one statement in the connection's mode as it is: after a transaction on
     * MySQL (auto-commit left off, see {@link #endTransaction}) the read is a transaction of its
     * own, ended by COMMIT (so that it holds no metadata lock meanwhile): one round trip instead
     * of two switches ({@code SET autocommit=1}, and {@code =0} at the next group). The writer's
     * {@code MAX(id)} after each group in cluster mode.
     */
    <T> T asItIs(String doing, Work<T> work) {
        return joining.get() != null ? join(doing, work) : run(doing, c -> {
            T result = work.run(c);
            if (!c.getAutoCommit()) {
                c.commit();
            }
            return result;
        });
    }

    /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
    <T> T transaction(String doing, Work<T> work) {
        return joining.get() != null ? join(doing, work) : run(doing, c -> {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                checkBeforeCommit(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            } finally {
                endTransaction(c);
            }
        });
    }

    /**
     * Runs {@code work} in one transaction that every store call it makes on this thread joins.
     * On a lock conflict or a lost connection the whole of {@code work} runs again.
     */
    <T> T inTransaction(String doing, java.util.function.Supplier<T> work) {
        if (joining.get() != null) {
            return work.get();
        }
        return transaction(doing, c -> {
            joining.set(Boolean.TRUE);
            try {
                return work.get();
            } catch (JoinedFailure f) {
                throw f.cause; // to run(): it decides between retrying and giving up
            } finally {
                joining.remove();
            }
        });
    }

    /** Work inside {@link #inTransaction}: on its connection, and its failure ends the whole. */
    private <T> T join(String doing, Work<T> work) {
        try {
            return work.run(mine.get());
        } catch (SQLException e) {
            throw new JoinedFailure(doing, e);
        }
    }

    /**
     * A statement failed inside {@link #inTransaction}: carried out of the caller's work to the
     * outer transaction, which rolls back and retries or reports it. Should the work let it escape
     * some other way, it still says what failed.
     */
    private static final class JoinedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient SQLException cause;

        private final String doing;

        JoinedFailure(String doing, SQLException cause) {
            super(doing + ": " + cause.getMessage(), cause);
            this.cause = cause;
            this.doing = doing;
        }
    }

    /**
     * Group commit: runs the pieces {@code next} gives (asked for one more each time the last one
     * ends, until it gives null) in one transaction, each inside a savepoint of its own (but the
     * first, see {@link #runPiece}) and each as {@link #inTransaction} work (its store calls join).
     * A piece that throws is rolled back alone and its failure becomes its outcome, as it would have been in a transaction
     * of its own; then one commit for all. Returns each piece's outcome in order.
     *
     * <p>When the transaction as a whole fails (its commit, a lock conflict, which on InnoDB rolls
     * back the whole transaction, a lost connection, a savepoint that cannot be rolled back) it is
     * rolled back and a {@link StoreException} is thrown: nothing of it is stored, and the caller
     * runs each piece again alone. No retry here: the pieces have been taken from their queue.
     */
    List<Store.Outcome> batch(java.util.function.Supplier<Store.Piece> next) {
        if (joining.get() != null) {
            throw new IllegalStateException("a batch cannot run inside a transaction");
        }
        Store.Piece first = next.get();
        if (first == null) {
            return List.of();
        }
        String doing = "committing a batch";
        Connection c = connection(doing);
        List<Store.Outcome> outcomes = new ArrayList<>();
        try {
            c.setAutoCommit(false);
            joining.set(Boolean.TRUE);
            boolean kept = false; // whether a piece that succeeded is in the transaction
            for (Store.Piece piece = first; piece != null; piece = next.get()) {
                Store.Outcome outcome = runPiece(c, piece, kept);
                kept |= outcome.failure() == null;
                outcomes.add(outcome);
            }
            joining.remove();
            checkBeforeCommit(c);
            c.commit();
            return outcomes;
        } catch (SQLException | RuntimeException | Error e) {
            joining.remove();
            rollback(c, e);
            if (!valid(c)) {
                discard(c); // the pieces, run alone, open a new one
            }
            if (e instanceof Error err) {
                throw err;
            }
            throw e instanceof StoreException se ? se : new StoreException(doing, e);
        } finally {
            joining.remove();
            endTransaction(c);
        }
    }

    /**
     * One piece of a batch; a failure that ends the whole transaction is thrown. It needs a
     * savepoint only when the transaction holds pieces that must survive its failure
     * ({@code kept}): otherwise its failure rolls back the whole transaction, so that a write
     * alone (light load) costs no savepoint. Savepoints are not released: the commit ends them
     * all, and on MariaDB each RELEASE would be one more round trip. An unguarded piece
     * ({@link Store.Piece#guarded}) gets none at all: its failure after kept pieces is thrown,
     * and ends the whole transaction.
     */
    private Store.Outcome runPiece(Connection c, Store.Piece piece, boolean kept) throws SQLException {
        Savepoint savepoint = kept && piece.guarded() ? c.setSavepoint() : null;
        Throwable failure;
        try {
            return new Store.Outcome(piece.work().get(), null);
        } catch (JoinedFailure f) {
            if (SqlErrors.isConflict(database.dialect(), f.cause) || !valid(c)) {
                throw f.cause; // InnoDB has rolled back the whole transaction: the batch is over
            }
            failure = new StoreException(piece.doing() != null ? piece.doing() : f.doing, f.cause);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        // When this fails too, the batch is over.
        if (savepoint != null) {
            c.rollback(savepoint);
        } else if (!kept) {
            c.rollback(); // nothing else is in the transaction; the next piece begins a new one
        } else if (failure instanceof Error e) {
            throw e; // unguarded, after kept pieces: nothing undoes it alone
        } else {
            throw failure instanceof StoreException se ? se
                    : new StoreException(piece.doing() != null ? piece.doing() : "a write", failure);
        }
        return new Store.Outcome(null, failure);
    }

    private <T> T run(String doing, Work<T> work) {
        boolean reopened = false;
        for (int attempt = 1; ; attempt++) {
            Connection c = connection(doing);
            try {
                return work.run(c);
            } catch (SQLException e) {
                if (!reopened && !valid(c)) {
                    LOG.log(Level.WARNING, database.describe() + " - connection lost while " + doing
                            + ", reopening: " + e.getMessage());
                    discard(c);
                    reopened = true;
                    continue;
                }
                if (attempt < MAX_ATTEMPTS && SqlErrors.isConflict(database.dialect(), e)) {
                    LOG.log(Level.DEBUG, database.describe() + " - lock conflict while " + doing
                            + ", attempt " + attempt + ": " + e.getMessage());
                    continue;
                }
                throw new StoreException(doing, e);
            }
        }
    }

    private Connection connection(String doing) {
        if (closed) {
            throw new StoreException(doing + ": the store is closed");
        }
        Connection c = mine.get();
        if (c == null) {
            try {
                c = database.open();
            } catch (StoreException e) {
                throw new StoreException(doing, e);
            }
            if (writer.get() != null) {
                try {
                    database.forWriting(c);
                } catch (SQLException e) {
                    discard(c);
                    throw new StoreException(doing, e);
                }
            }
            all.add(c);
            Sql.keep(c);
            mine.set(c);
            if (closed) { // close() ran while this one was opening: it would stay open forever
                discard(c);
                throw new StoreException(doing + ": the store is closed");
            }
        }
        if (writer.get() != null) {
            openedAsWriter(c, doing);
        }
        return c;
    }

    /**
     * The writer's {@link Store.WriterHooks#opened} before a connection's first use under the
     * hooks: a new connection, or one opened before they were set (the writer indexes for SEARCH
     * from its first 100 ms, maybe before a cluster node sets them). Refused, it is closed.
     */
    private void openedAsWriter(Connection c, String doing) {
        Store.WriterHooks hooks = writerHooks;
        if (hooks == null || c == hooked) {
            return;
        }
        try {
            hooks.opened(c);
        } catch (SQLException | RuntimeException e) {
            discard(c);
            throw e instanceof StoreException se ? se : new StoreException(doing, e);
        }
        hooked = c;
    }

    /** The calling thread is the writer: see {@link Store#serveAsWriter}. */
    void serveAsWriter() {
        writer.set(Boolean.TRUE);
    }

    void writerHooks(Store.WriterHooks hooks) {
        this.writerHooks = hooks;
    }

    /**
     * Before a COMMIT that may have written: the writer's check, on a connection that passed it as
     * opened (one still in a transaction it began before the hooks were set, which the next use
     * registers, has nothing to check yet), and no other thread's.
     */
    private void checkBeforeCommit(Connection c) throws SQLException {
        Store.WriterHooks hooks = writerHooks;
        if (hooks != null && writer.get() != null && c == hooked) {
            hooks.beforeCommit(c);
        }
    }

    private static boolean valid(Connection c) {
        try {
            return c.isValid(VALIDATION_TIMEOUT_SECONDS);
        } catch (SQLException e) {
            return false;
        }
    }

    private void discard(Connection c) {
        mine.remove();
        all.remove(c);
        Sql.forget(c);
        try {
            c.close();
        } catch (SQLException e) {
            LOG.log(Level.DEBUG, database.describe() + " - closing a dropped connection: " + e.getMessage());
        }
    }

    private static void rollback(Connection c, Throwable failure) {
        try {
            c.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * After a transaction. SQLite: back to auto-commit at once, since its driver begins the next
     * transaction as soon as one commits (and so would hold the write lock). MySQL: the mode stays
     * off until an {@link #autoCommit} call needs it on (no transaction is open meanwhile: the next
     * one begins with its first statement), because each switch is a round trip: the writer, whose
     * groups follow each other, then pays one (COMMIT) per group instead of three
     * ({@code SET autocommit=0}, COMMIT, {@code SET autocommit=1}).
     */
    private void endTransaction(Connection c) {
        if (database.dialect() == Database.Dialect.MYSQL) {
            return;
        }
        try {
            c.setAutoCommit(true);
        } catch (SQLException e) {
            // The connection is broken; the next use finds out and replaces it.
        }
    }

    /** Closes every thread's connection; later calls fail. Call when the workers have stopped. */
    @Override
    public void close() {
        closed = true;
        for (Connection c : all) {
            all.remove(c);
            Sql.forget(c);
            try {
                c.close();
            } catch (SQLException e) {
                LOG.log(Level.WARNING, database.describe() + " - closing a connection: " + e.getMessage());
            }
        }
    }

    /** How many connections are open, for tests. */
    int open() {
        return all.size();
    }
}
