package chat.bench;

import chat.common.proto.Line;
import chat.common.proto.ProtocolException;
import chat.common.proto.Push;
import chat.common.proto.Request;
import chat.server.store.Database;
import chat.server.store.UnreadCounts;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The read side of {@link Stored}: a user with a large stored history, read back through the
 * server. Two accounts (the reader and its friend) are made through the protocol; then
 * {@code stored} messages between them go straight into the server's database by JDBC (many
 * rows a statement: seconds, not the minutes the protocol would take), marked delivered to the
 * reader's device, and {@code waiting} more from the friend, not delivered. Then, timed:
 * <ul>
 *   <li>the <b>catch-up</b>: LOGIN on a fresh connection to {@code SYNCED}, every message ACKed as
 *       the terminal client does (the ACK of a page's last id brings the next page), each checked
 *       to be one of the waiting ones, once;
 *   <li>{@code requests} times each, one at a time on that connection: a <b>history page</b>
 *       ({@code HISTORY:friend:0:page}, the newest), a <b>search</b> for a word that one message in
 *       {@link #NEEDLE_EVERY} holds (few matches: the search reads the whole history), and the
 *       <b>unread counts</b> ({@code UNREAD}: the friend's messages, all unread). Each from the
 *       request's write to its last list item; each reply's size is checked.
 * </ul>
 */
final class StoredReads {

    /** One message in this many holds {@link #NEEDLE}. */
    static final int NEEDLE_EVERY = 5000;
    static final String NEEDLE = "needle";
    /** Rows a bulk INSERT statement carries. */
    private static final int ROWS_PER_STATEMENT = 500;
    private static final int TIMEOUT_MS = 60_000;
    /**
     * How long the index may take to reach the inserted rows: on MariaDB after the stored
     * scenario's load it has that load's messages to index too (230,000 at 10,000 msg/s).
     */
    private static final int INDEX_TIMEOUT_MS = 180_000;
    /** Message ids a row of MariaDB's search index covers; it indexes whole blocks only. */
    private static final int MARIADB_BLOCK = 64;

    /** The figures: NaN (and 0) when the reads were not run ({@code --reads 0}). */
    record Times(long stored, int requests, int page, double insertS, double historyP50Ms, double historyP99Ms,
            double searchP50Ms, double searchP99Ms, double unreadP50Ms, double unreadP99Ms, long waiting,
            long caughtUp, double catchUpS) {

        static Times none() {
            return new Times(0, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, 0, 0, Double.NaN);
        }

        boolean ran() {
            return stored > 0;
        }

        /** The slowest of the three reads' p99. */
        double worstP99Ms() {
            return Math.max(historyP99Ms, Math.max(searchP99Ms, unreadP99Ms));
        }
    }

    /** The options, read before {@code checkAllUsed}. */
    record Options(int stored, int waiting, int requests, int page) {}

    /** What a run found: its figures, and the checks that failed. */
    record Run(Times figures, long failures, String firstFailure) {}

    static Options options(Args a) {
        int stored = (int) a.nonNegative("reads", 100_000);
        int waiting = (int) a.nonNegative("waiting", 10_000);
        int requests = a.positiveInt("read-requests", 200);
        int page = a.positiveInt("page", 50);
        if (page > 200) {
            throw new IllegalArgumentException("--page is at most 200 (the protocol's limit)");
        }
        return new Options(stored, waiting, requests, page);
    }

    private final InetSocketAddress address;
    private final Database database;
    private final String reader;
    private final String friend;
    private long failures;
    private String firstFailure;

    StoredReads(InetSocketAddress address, String dbUrl, String prefix) {
        this.address = address;
        this.database = new Database(dbUrl, null, null);
        this.reader = prefix + "reader";
        this.friend = prefix + "friend";
    }

    Run run(Options o) throws IOException {
        if (o.stored() == 0) {
            return new Run(Times.none(), 0, null);
        }
        // The accounts, befriended, through the protocol; the reader's device is then known to the server.
        try (var r = new Wire(address); var f = new Wire(address)) {
            r.expectTrue(Line.of("r", "REGISTER", reader, Stored.PASSWORD));
            f.expectTrue(Line.of("r", "REGISTER", friend, Stored.PASSWORD));
            r.expectTrue(Line.of("l", "LOGIN", reader, Stored.PASSWORD, Stored.DEVICE));
            f.expectTrue(Line.of("l", "LOGIN", friend, Stored.PASSWORD, Stored.DEVICE));
            r.expectTrue(Line.of("a", "ADD", friend));
            f.expectTrue(Line.of("a", "ADD", reader));
        }
        long t0 = System.nanoTime();
        long acked;
        try (Connection c = database.open()) {
            long readerId = userId(c, reader);
            long friendId = userId(c, friend);
            var unread = new UnreadCounts.Tally(database.dialect());
            insert(c, unread, readerId, friendId, 0, o.stored(), true);
            acked = maxId(c);
            // Delivered already: the reader's device has confirmed everything so far.
            update(c, "UPDATE devices SET acked_msg_id = ? WHERE user_id = ?", acked, readerId);
            insert(c, unread, readerId, friendId, o.stored(), o.waiting(), false);
        } catch (SQLException e) {
            throw new IOException("storing the messages to read: " + e.getMessage(), e);
        }
        double insertS = (System.nanoTime() - t0) / 1e9;
        awaitSearchIndex();
        var history = new Histogram(3);
        var search = new Histogram(3);
        var unread = new Histogram(3);
        long caughtUp;
        double catchUpS;
        try (var r = new Wire(address)) {
            long start = System.nanoTime();
            caughtUp = r.catchUp(Line.of("l", "LOGIN", reader, Stored.PASSWORD, Stored.DEVICE), acked, friend);
            catchUpS = (System.nanoTime() - start) / 1e9;
            if (caughtUp != o.waiting()) {
                failed(caughtUp + " of the " + o.waiting() + " waiting messages came in the catch-up");
            }
            long friendCount = (o.stored() + 1) / 2 + o.waiting();
            long needles = (o.stored() + o.waiting() + NEEDLE_EVERY - 1) / NEEDLE_EVERY;
            for (int i = 0; i < o.requests(); i++) {
                timed(r, history, Line.of("h", "HISTORY", friend, "0", Integer.toString(o.page())),
                        Math.min(o.page(), o.stored() + o.waiting()));
                timed(r, search, Line.of("s", "SEARCH", NEEDLE, "50"), Math.min(50, needles));
                List<String> counts = timed(r, unread, Line.of("u", "UNREAD"), 1);
                String want = "UNREAD_COUNT:" + friend + ":" + friendCount;
                if (counts.size() == 2 && !counts.get(1).equals("#u:" + want)) {
                    failed("UNREAD said " + counts.get(1) + ", not " + want);
                }
            }
        }
        var f = new Times(o.stored(), o.requests(), o.page(), insertS, Stored.ms(history, 50), Stored.ms(history, 99),
                Stored.ms(search, 50), Stored.ms(search, 99), Stored.ms(unread, 50), Stored.ms(unread, 99), o.waiting(),
                caughtUp, catchUpS);
        return new Run(f, failures, firstFailure);
    }

    /**
     * Waits (at most {@link #INDEX_TIMEOUT_MS}) until the server's search index has reached the rows
     * just inserted, as it does by itself when idle, and says how long that took: the reads then
     * time the search of a server that has been idle, as they did when an insert trigger indexed
     * every row (the rows come by JDBC, not through the server's writer). A search while the index
     * is behind is exact but scans the rows past it: that cost is the server's, under a load that
     * never lets it idle. On MariaDB the index takes whole blocks of {@link #MARIADB_BLOCK} ids
     * (the server's {@code SearchIndex.BLOCK}), so it has reached them when only the newest block,
     * not yet whole, is past its mark.
     */
    private void awaitSearchIndex() throws IOException {
        int behind = database.dialect() == Database.Dialect.SQLITE ? 1 : MARIADB_BLOCK;
        long t = System.nanoTime();
        try (Connection c = database.open(); var s = c.prepareStatement(
                "SELECT (SELECT upto FROM search_mark) + ? > (SELECT MAX(id) FROM messages)")) {
            s.setInt(1, behind);
            while (true) {
                try (var rs = s.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        break;
                    }
                }
                if (System.nanoTime() - t > INDEX_TIMEOUT_MS * 1_000_000L) {
                    failed("the server's search index did not reach the inserted rows in " + INDEX_TIMEOUT_MS + " ms");
                    return;
                }
                Thread.sleep(50);
            }
        } catch (SQLException e) {
            throw new IOException("reading the server's search mark: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for the search index", e);
        }
        System.out.println("# stored reads: the server's search index reached the inserted rows "
                + Bench.human((System.nanoTime() - t) / 1e9) + " s after the inserts");
    }

    /** Sends {@code request}, records the time to its last list item, checks the item count. */
    private List<String> timed(Wire w, Histogram h, Line request, long items) throws IOException {
        long t = System.nanoTime();
        List<String> reply = w.list(request);
        h.recordValue(System.nanoTime() - t);
        if (reply.size() - 1 != items) {
            failed(request.command() + " gave " + (reply.size() - 1) + " items, not " + items + ": " + reply.get(0));
        }
        return reply;
    }

    private void failed(String why) {
        failures++;
        if (firstFailure == null) {
            firstFailure = why;
        }
    }

    /**
     * {@code count} messages, numbered from {@code from}: alternately from the friend and from the
     * reader ({@code both}), or all from the friend; one in {@link #NEEDLE_EVERY} holds the needle.
     * Many rows a statement, one transaction a statement, with the unread counts the server's store
     * code would add for them ({@code unread}: the server counts what it inserts, not a trigger).
     */
    private static void insert(Connection c, UnreadCounts.Tally unread, long readerId, long friendId, int from,
            int count, boolean both) throws SQLException {
        long now = System.currentTimeMillis();
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            for (int done = 0; done < count; done += ROWS_PER_STATEMENT) {
                int rows = Math.min(ROWS_PER_STATEMENT, count - done);
                var sql = new StringBuilder("INSERT INTO messages (sender_id, recipient_id, client_id, body, sent_at, "
                        + "kind) VALUES ");
                for (int i = 0; i < rows; i++) {
                    sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, 'text')");
                }
                try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                    int p = 1;
                    for (int i = 0; i < rows; i++) {
                        int k = from + done + i;
                        boolean fromFriend = !both || k % 2 == 0;
                        s.setLong(p++, fromFriend ? friendId : readerId);
                        s.setLong(p++, fromFriend ? readerId : friendId);
                        unread.privateText(fromFriend ? readerId : friendId, fromFriend ? friendId : readerId);
                        s.setString(p++, "bulk" + k);
                        s.setString(p++, "stored message " + k + (k % NEEDLE_EVERY == 0 ? " " + NEEDLE : "") + " 你好");
                        s.setLong(p++, now - (long) (from + count - k) * 1000);
                    }
                    s.executeUpdate();
                }
                unread.store(c);
                c.commit();
            }
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private static long userId(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM users WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no user " + name + " in the database: is --db-url the server's?");
                }
                return rs.getLong(1);
            }
        }
    }

    private static long maxId(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT MAX(id) FROM messages"); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void update(Connection c, String sql, long a, long b) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, a);
            s.setLong(2, b);
            s.executeUpdate();
        }
    }

    /** A blocking text-protocol connection: one request at a time, pushes between replies skipped. */
    private static final class Wire implements AutoCloseable {
        private final Socket socket = new Socket();
        private final BufferedReader in;
        private final BufferedWriter out;

        Wire(InetSocketAddress address) throws IOException {
            socket.connect(address, TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            socket.setTcpNoDelay(true);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = new BufferedWriter(new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8));
            // Say the protocol at once: a connection that waits silent while another one's request is
            // stuck behind the writer's backlog from the load is closed after the identify timeout
            // (10 s), which is what made the MariaDB run fail. Its reply is skipped as a push is.
            send("HELLO:chat-bench:" + Request.Hello.PROTOCOL_VERSION);
            out.flush();
        }

        private void send(String line) throws IOException {
            out.write(line);
            out.write('\n');
        }

        private String next() throws IOException {
            String line = in.readLine();
            if (line == null) {
                throw new IOException("the server closed the connection");
            }
            return line;
        }

        /** The reply to {@code request} (its first line), which must say true. */
        String expectTrue(Line request) throws IOException {
            send(request.format());
            out.flush();
            String prefix = "#" + request.tag() + ":" + request.command() + ":";
            while (true) {
                String line = next();
                if (line.startsWith(prefix)) {
                    if (!line.startsWith(prefix + "true")) {
                        throw new IOException(request.command() + " failed: " + line);
                    }
                    return line;
                }
            }
        }

        /** The reply line of a list request and its items, in order. */
        List<String> list(Line request) throws IOException {
            String head = expectTrue(request);
            var lines = new ArrayList<String>();
            lines.add(head);
            Line reply = Line.parse(head);
            int count = reply.size() > 2 ? Integer.parseInt(reply.field(2)) : 0;
            String tag = "#" + request.tag() + ":";
            while (lines.size() <= count) {
                String line = next();
                if (line.startsWith(tag)) {
                    lines.add(line);
                }
            }
            return lines;
        }

        /**
         * Logs in and reads the catch-up to {@code SYNCED}, ACKing each message: how many messages
         * from {@code from} with ids above {@code acked} came, each counted once.
         */
        long catchUp(Line login, long acked, String from) throws IOException {
            expectTrue(login);
            var seen = new java.util.HashSet<Long>();
            long got = 0;
            while (true) {
                String text = next();
                if (text.startsWith("#")) {
                    continue;
                }
                Push push;
                try {
                    push = Push.parse(Line.parse(text));
                } catch (ProtocolException e) {
                    throw new IOException("a malformed push in the catch-up: " + text, e);
                }
                if (push instanceof Push.Synced) {
                    out.flush();
                    return got;
                }
                if (push instanceof Push.Stored stored) {
                    send("ACK:" + stored.id());
                    if (push instanceof Push.Message m && m.id() > acked && m.message().from().equals(from)
                            && seen.add(m.id())) {
                        got++;
                    }
                    if (!in.ready()) {
                        out.flush(); // the ACKs of what was read go out together
                    }
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
