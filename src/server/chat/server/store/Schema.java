package chat.server.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates the schema ({@code schema.sql}) in an empty database and checks the version of an
 * existing one: a database written by another version of the server is refused, never guessed at.
 */
public final class Schema {

    /** The version {@code schema.sql} creates. */
    public static final int VERSION = 1;

    private Schema() {}

    /** Creates the schema if the database is empty; otherwise checks its version. */
    public static void ensure(Connection c, Database.Dialect dialect) {
        try {
            if (!tableExists(c, "schema_version")) {
                create(c, dialect);
                return;
            }
            int found;
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
                found = rs.next() ? rs.getInt(1) : 0;
            }
            if (found != VERSION) {
                throw new StoreException("the database has schema version " + found
                        + ", but this server knows only version " + VERSION + "; refusing to use it");
            }
        } catch (SQLException e) {
            throw new StoreException("checking the schema", e);
        }
    }

    private static boolean tableExists(Connection c, String table) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        for (String name : new String[] {table, table.toUpperCase(java.util.Locale.ROOT)}) {
            try (ResultSet rs = meta.getTables(c.getCatalog(), null, name, new String[] {"TABLE"})) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void create(Connection c, Database.Dialect dialect) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            for (String sql : statements(dialect)) {
                s.execute(sql);
            }
            s.execute("INSERT INTO schema_version (version) VALUES (" + VERSION + ")");
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** The statements of {@code schema.sql} with the placeholders filled in for {@code dialect}. */
    static List<String> statements(Database.Dialect dialect) {
        String text = read().replace("${ID}", switch (dialect) {
            // AUTOINCREMENT: without it SQLite gives the largest id again once its row is deleted
            // (deleteGroup deletes messages), and an acknowledged or read id would hide the new row.
            case SQLITE -> "INTEGER PRIMARY KEY AUTOINCREMENT";
            case MYSQL -> "BIGINT AUTO_INCREMENT PRIMARY KEY";
        }).replace("${TABLE}", switch (dialect) {
            case SQLITE -> "";
            case MYSQL -> "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
        });
        List<String> out = new ArrayList<>();
        var current = new StringBuilder();
        for (String line : text.split("\n")) {
            String code = line.contains("--") ? line.substring(0, line.indexOf("--")) : line;
            if (code.isBlank()) {
                continue;
            }
            current.append(code).append('\n');
            if (code.stripTrailing().endsWith(";")) {
                String sql = current.toString().strip();
                out.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        return out;
    }

    private static String read() {
        try (InputStream in = Schema.class.getResourceAsStream("schema.sql")) {
            if (in == null) {
                throw new StoreException("schema.sql is missing from the server's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StoreException("reading schema.sql", e);
        }
    }
}
