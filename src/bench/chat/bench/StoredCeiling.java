package chat.bench;

import chat.server.store.Database;
import chat.server.store.Schema;
import chat.server.store.UnreadCounts;
import chat.server.store.Workers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.regex.Pattern;

/**
 * The database's own ceiling for {@link Stored}'s rows: a plain JDBC loop that inserts the same
 * rows (friend pairs, the same client ids and texts) into the messages table of a fresh database,
 * made from schema.sql by the server's own {@link Schema}, opened by the server's own
 * {@link Database#open} (so with its pragmas: WAL, {@code synchronous=NORMAL}, on MariaDB READ
 * COMMITTED, rewriteBatchedStatements), with the statement the writer stores MSGs with, sent as
 * the writer sends it: one JDBC batch and one commit every {@link Workers#MAX_BATCH} rows, as the
 * writer's group commit of a full group (on MySQL one multi-row INSERT a batch; on SQLite one
 * statement a row, which costs no round trip there), with the unread counts the writer adds for
 * them ({@link UnreadCounts.Tally}: one upsert per (recipient, sender) of the batch, the same
 * statements), since keeping them is part of what storing a message costs. The rows come in the
 * order the load sends them (the k-th from user k mod N, or 2(k mod N/2) with {@code --one-way},
 * each sender's client ids in turn), so that a batch holds each sender about once, as the
 * writer's groups do: rows drawn from random senders repeat about 380 senders a batch, whose rows
 * share index pages, and went faster than the load's own (SQLite 43,475 rows/s against 37,204,
 * MariaDB 34,194 against 29,471, the reference machine, 2026-11-27). What the server does beyond this (reading the recipients and friendships, the
 * replies, pushes and ACKs) is the difference between the two rates.
 *
 * <p>The fresh database sits beside the server's: an SQLite file in a folder next to the server's
 * data folder, or a MariaDB database named after the server's with {@code _ceiling}, dropped
 * before and after.
 */
final class StoredCeiling {

    private static final Pattern MYSQL_URL = Pattern.compile("^(jdbc:(?:mysql|mariadb)://[^/?]+/)([^?]+)(.*)$");

    /** The figures: 0 rows when not run ({@code --ceiling-rows 0}). */
    record Rate(long rows, int batch, double seconds, double rowsPerS) {}

    /** At most {@code rows}, for at most {@code seconds}: a slow disk must not hold the run for minutes. */
    record Options(int rows, double seconds, Database.Durability durability) {}

    static Options options(Args a) {
        int rows = (int) a.nonNegative("ceiling-rows", 200_000);
        double seconds = a.nonNegative("ceiling-seconds", 15);
        String d = a.str("durability", "normal");
        return new Options(rows, seconds, switch (d) {
            case "normal" -> Database.Durability.NORMAL;
            case "fsync" -> Database.Durability.FSYNC;
            default -> throw new IllegalArgumentException("--durability is normal or fsync (as the server's), not " + d);
        });
    }

    private StoredCeiling() {}

    /**
     * Inserts {@code o.rows()} rows for {@code users} users into a fresh database beside
     * {@code serverUrl}'s, from every user in turn, or only from the first of each pair
     * ({@code oneWay}), as the load sends them.
     */
    static Rate run(String serverUrl, int users, boolean oneWay, Options o) throws IOException {
        int batch = Workers.MAX_BATCH;
        if (o.rows() == 0) {
            return new Rate(0, batch, Double.NaN, Double.NaN);
        }
        var server = new Database(serverUrl, null, null);
        try {
            if (server.dialect() == Database.Dialect.SQLITE) {
                Path dir = Path.of(serverUrl.substring("jdbc:sqlite:".length())).toAbsolutePath().getParent()
                        .resolveSibling("ceiling-data");
                deleteTree(dir);
                Files.createDirectories(dir);
                try {
                    return measure(Database.sqlite(dir).withDurability(o.durability()), users, oneWay, o, batch);
                } finally {
                    deleteTree(dir);
                }
            }
            var m = MYSQL_URL.matcher(serverUrl);
            if (!m.matches()) {
                throw new IOException("cannot tell the database of " + server.describe());
            }
            String name = m.group(2) + "_ceiling";
            var fresh = new Database(m.group(1) + name + m.group(3), null, null, o.durability());
            try (Connection c = server.open(); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name);
                s.execute("CREATE DATABASE " + name);
                try {
                    return measure(fresh, users, oneWay, o, batch);
                } finally {
                    s.execute("DROP DATABASE IF EXISTS " + name);
                }
            }
        } catch (SQLException e) {
            throw new IOException("the database's ceiling: " + e.getMessage(), e);
        }
    }

    private static Rate measure(Database db, int users, boolean oneWay, Options o, int batch) throws SQLException {
        try (Connection c = db.open()) {
            db.forWriting(c); // the writer's connection settings
            Schema.ensure(c, db.dialect());
            long now = System.currentTimeMillis();
            long[] seq = new long[users];
            c.setAutoCommit(false);
            long t0 = System.nanoTime();
            long end = t0 + Driver.seconds(o.seconds());
            int rows = 0;
            var unread = new UnreadCounts.Tally(db.dialect());
            try (PreparedStatement s = c.prepareStatement("INSERT INTO messages (sender_id, sender_device, "
                    + "recipient_id, client_id, body, sent_at, kind) VALUES (?, ?, ?, ?, ?, ?, 'text')",
                    Statement.RETURN_GENERATED_KEYS)) {
                for (int k = 0; k < o.rows(); k++) {
                    int sender = oneWay ? k % (users / 2) * 2 : k % users;
                    long q = seq[sender]++;
                    s.setLong(1, sender + 1);
                    s.setLong(2, sender + 1);
                    s.setLong(3, (sender ^ 1) + 1);
                    s.setString(4, "c" + q);
                    s.setString(5, sender + "." + q + "." + System.nanoTime() + " stored 你好");
                    s.setLong(6, now);
                    s.addBatch();
                    unread.privateText((sender ^ 1) + 1, sender + 1);
                    if ((k + 1) % batch == 0 || k + 1 == o.rows()) {
                        s.executeBatch();
                        unread.store(c);
                        c.commit();
                        rows = k + 1;
                        if (System.nanoTime() > end) {
                            break;
                        }
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new Rate(rows, batch, seconds, rows / seconds);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
