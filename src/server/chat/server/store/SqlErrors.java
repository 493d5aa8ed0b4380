package chat.server.store;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * What a failed statement means, for the two drivers. This is the one place where the dialects
 * differ in how they report the same thing: sqlite-jdbc sets no SQLState and reports SQLite's
 * (extended) result codes, while MySQL Connector/J follows SQLState ({@code 23000} for an integrity
 * violation, {@code 40001} for a deadlock victim) with MySQL's error numbers beside it.
 */
final class SqlErrors {

    /** MySQL's ER_DUP_ENTRY and ER_DUP_ENTRY_WITH_KEY_NAME: a unique or primary key is taken. */
    private static final int MYSQL_DUP_ENTRY = 1062;
    private static final int MYSQL_DUP_ENTRY_WITH_KEY_NAME = 1586;
    /** ER_LOCK_WAIT_TIMEOUT: InnoDB gave up waiting for a row lock; the statement may be retried. */
    private static final int MYSQL_LOCK_WAIT_TIMEOUT = 1205;

    private SqlErrors() {}

    /**
     * Whether {@code e} says a unique or primary key is already taken. A NOT NULL or other
     * constraint failure is not one: those are bugs, not races.
     */
    static boolean isDuplicateKey(Database.Dialect dialect, SQLException e) {
        return switch (dialect) {
            case SQLITE -> e instanceof SQLiteException s
                    && (s.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
                            || s.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY);
            case MYSQL -> e.getSQLState() != null && e.getSQLState().startsWith("23")
                    && (e.getErrorCode() == MYSQL_DUP_ENTRY || e.getErrorCode() == MYSQL_DUP_ENTRY_WITH_KEY_NAME);
        };
    }

    /**
     * Whether the work failed only because another connection was in the way, so that running it
     * again from the start can succeed: SQLite's busy or locked database (after the busy timeout,
     * or at once when a read transaction cannot become a write one), InnoDB's deadlock victim or
     * lock wait timeout.
     */
    static boolean isConflict(Database.Dialect dialect, SQLException e) {
        return switch (dialect) {
            case SQLITE -> e instanceof SQLiteException s
                    && (s.getResultCode().name().startsWith("SQLITE_BUSY")
                            || s.getResultCode().name().startsWith("SQLITE_LOCKED"));
            case MYSQL -> e instanceof SQLTransientException
                    || "40001".equals(e.getSQLState())
                    || e.getErrorCode() == MYSQL_LOCK_WAIT_TIMEOUT;
        };
    }
}
