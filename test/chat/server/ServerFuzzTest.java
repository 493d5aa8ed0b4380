package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Line;
import chat.common.proto.Request;
import chat.common.wire.LegacyRecord;
import chat.common.wire.ProtocolSniffer;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * The fuzz campaign: one real server, as a process of its own on a fresh SQLite database
 * ({@code -Dfuzz.db=mariadb}: MariaDB), and per
 * try one connection that sends what {@link FuzzInput} makes (valid lines and records of every
 * kind, mutated or not; logged in first or not), then one well-formed request. What must hold
 * after every try:
 *
 * <ul>
 *   <li>The well-formed request is answered. Text: after a newline that ends whatever line the
 *       garbage left open, a tagged {@code PING} gets its {@code PING:true}, after exactly one
 *       reply to each well-formed request of the garbage (tagged {@code #wN:}, see
 *       {@link FuzzInput.Try#wire}), or the connection was
 *       closed with a reason on the wire first: {@code ERR:line-too-long}, a {@code BYE}, the
 *       {@code QUIT:true} of a QUIT the garbage held, or (a connection whose first line opened a
 *       data connection) the refusal of its token. Legacy (as the server tells the protocols
 *       apart, {@link ProtocolSniffer}): a valid record after the garbage reaches another client in
 *       the room, unless a record of the garbage said goodbye (type 2) or had a type the article
 *       never had, which gets the server's error record; either way the connection closes.
 *   <li>No reply says {@code internal} and the server logs no ERROR: either is a server bug.
 *   <li>A healthy client on its own connection, logged in all along, still gets {@code PING:true},
 *       and the room's healthy legacy client is still connected.
 *   <li>Once the try's connection is closed, the server holds no more connections than the two
 *       healthy ones (STATS), and no more file descriptors than after its warm-up, give or take
 *       {@link #FD_SLACK}.
 * </ul>
 *
 * <p>Each try connects from its own loopback address (127.x.y.z), so that the login throttle,
 * which the garbage's wrong passwords feed, never locks the next try's address; a logged-in try
 * RESUMEs with one of a pool of tokens of {@value FuzzInput#ME} (RESUME is exempt from the
 * account's lock), and a token that a LOGOUT revoked is replaced by a fresh LOGIN.
 *
 * <p>{@code make test} runs {@value #DEFAULT_TRIES} tries (about 25 s); {@code make fuzz} runs
 * many more ({@code -Dfuzz.tries=N}) on each database. jqwik shrinks a failing try (a planted
 * {@code internal} failure in FIND shrinks to {@code FIND:fz} logged in) and tries the failing
 * sample first next time (build/jqwik-database).
 */
class ServerFuzzTest {

    static final int DEFAULT_TRIES = 6_000;
    /**
     * File descriptors the server may hold past its warm-up count once every fuzz connection is
     * closed: not a leak but the lazily opened, e.g. a database reader thread's SQLite connection
     * (its database and WAL files) that the warm-up happened not to need, and a file offer's
     * partial file being deleted. A leak of one per connection goes past it within a few tries.
     */
    static final int FD_SLACK = 6;
    private static final int TOKENS = 8;
    private static final int HEALTHY_CONNECTIONS = 2;

    private static Backend.Fresh db;
    private static ServerProcess server;
    private static TextClient healthy;
    private static LegacyClient watcher;
    private static long baselineFds;
    private static int logSeen;
    private static final Deque<String[]> tokens = new ArrayDeque<>(); // {device, token}
    private static int tries;
    private static int loggedIn;
    private static int wellFormedAnswered;
    /** How the tries ended (reply, closed with a reason, legacy record delivered, ...), for the summary. */
    private static final Map<String, Integer> outcomes = new TreeMap<>();
    private static int devices;

    /** Sets the tries from {@code -Dfuzz.tries} (jqwik's annotation takes only a constant). */
    public static final class Tries implements AroundPropertyHook {
        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            context.attributes().setTries(Integer.getInteger("fuzz.tries", DEFAULT_TRIES));
            return property.execute();
        }
    }

    @BeforeContainer
    static void startTheWorld() throws Exception {
        db = Backend.valueOf(System.getProperty("fuzz.db", "sqlite").toUpperCase(Locale.ROOT)).fresh();
        // The healthy client reads STATS, an admin's request (1.4).
        server = ServerProcess.start(db, "--bind", "127.0.0.1", "--admins", FuzzInput.FRIEND);
        healthy = TextClient.loggedIn(server.port, FuzzInput.FRIEND);
        try (var me = TextClient.loggedIn(server.port, FuzzInput.ME, "fz-setup");
                var stranger = TextClient.loggedIn(server.port, FuzzInput.STRANGER)) {
            assertTrue(me.call(new Request.Add(FuzzInput.FRIEND)).ok());
            assertTrue(healthy.call(new Request.Accept(FuzzInput.ME)).ok());
            assertTrue(healthy.call(new Request.Create(FuzzInput.THEIRS, true)).ok());
            assertTrue(me.call(new Request.Join(FuzzInput.THEIRS)).ok());
            assertTrue(me.call(new Request.Create(FuzzInput.MINE, true)).ok());
            assertTrue(me.call(new Request.Msg(FuzzInput.FRIEND, "warm-1", "warming up")).ok());
            assertTrue(me.call(new Request.History(FuzzInput.FRIEND, 0, 10)).ok());
            assertTrue(me.call(new Request.Search("warm", 10)).ok());
            assertTrue(me.call(new Request.Unread()).ok());
        }
        while (tokens.size() < TOKENS) {
            assertTrue(mintToken(), "nothing has locked the account yet");
        }
        watcher = LegacyClient.join(server.port, "fzwatch");
        awaitConnections();
        baselineFds = server.openDescriptors();
    }

    @AfterContainer
    static void stopTheWorld() throws Exception {
        System.out.println("fuzz on " + System.getProperty("fuzz.db", "sqlite") + ": " + tries + " tries, " + loggedIn + " logged in, "
                + wellFormedAnswered + " well-formed requests in the garbage answered; " + outcomes);
        try {
            if (server != null) {
                checkDescriptors("at the end");
            }
        } finally {
            for (AutoCloseable c : new AutoCloseable[] {healthy, watcher}) {
                if (c != null) {
                    c.close();
                }
            }
            if (server != null) {
                server.stop();
            }
            if (db != null) {
                db.close();
            }
        }
    }

    @Provide
    Arbitrary<FuzzInput.Try> tries() {
        return FuzzInput.tries();
    }

    @Property(shrinking = ShrinkingMode.BOUNDED)
    @AddLifecycleHook(Tries.class)
    void theServerSurvivesGarbageAndAnswersWhatIsWellFormed(@ForAll("tries") FuzzInput.Try t) throws Exception {
        tries++;
        try (var c = new FuzzConnection(server.port, tries)) {
            if (t.loggedIn() && resume(c)) {
                loggedIn++;
            }
            FuzzInput.Wire wire = t.wire();
            c.write(wire.bytes());
            ProtocolSniffer.Kind kind = ProtocolSniffer.sniff(ByteBuffer.wrap(c.everything(wire.bytes())));
            if (kind == ProtocolSniffer.Kind.LEGACY) {
                legacyAnswers(c, wire.bytes());
            } else {
                textAnswers(c, wire.tags());
            }
        }
        assertTrue(healthy.call(new Request.Ping()).ok(), "the healthy client is answered");
        assertTrue(watcher.socket().isConnected() && !watcher.socket().isClosed(), "the legacy client is still there");
        awaitConnections();
        checkLog();
        checkDescriptors("after try " + tries);
    }

    /**
     * The tagged PING after the garbage gets its reply, or the connection ended with a reason. When
     * it is answered, so was every well-formed request in the garbage ({@code owed}: their tags),
     * once, before it: replies come in the order of the requests.
     */
    private static void textAnswers(FuzzConnection c, List<String> owed) throws IOException {
        String tag = "fz" + tries;
        c.write(("\n#" + tag + ":PING\n").getBytes(StandardCharsets.UTF_8));
        List<String> got = new ArrayList<>();
        while (true) {
            String text = c.readLine();
            if (text == null) {
                String last = got.isEmpty() ? "" : got.get(got.size() - 1);
                String why = got.stream().filter(ServerFuzzTest::saysWhyItCloses).findFirst()
                        .orElseThrow(() -> new AssertionError("closed without a reason; last line: " + last + "; got " + got));
                outcome("text: closed after " + Line.parse(why).command() + ":" + Line.parse(why).field(1));
                return;
            }
            got.add(text);
            Line line = Line.parse(text);
            noInternal(line, got);
            if (tag.equals(line.tag())) {
                assertEquals("PING:true", text.substring(tag.length() + 2), () -> "the well-formed request's reply: " + got);
                for (String w : owed) {
                    long replies = got.stream().map(Line::parse).filter(l -> w.equals(l.tag()))
                            .filter(l -> l.size() > 1 && (l.field(1).equals("true") || l.field(1).equals("false"))).count();
                    assertEquals(1, replies, () -> "one reply to #" + w + " before the PING's: " + got);
                }
                wellFormedAnswered += owed.size();
                outcome("text: answered");
                return;
            }
        }
    }

    private static void outcome(String what) {
        outcomes.merge(what, 1, Integer::sum);
    }

    private static boolean saysWhyItCloses(String text) {
        Line l = Line.parse(text);
        return l.command().equals("BYE") || l.command().equals("ERR") && l.field(1).equals("line-too-long")
                || l.command().equals("QUIT") && l.field(1).equals("true")
                || (l.command().equals("UPLOAD") || l.command().equals("DOWNLOAD")) && l.field(1).equals("false");
    }

    private static void noInternal(Line line, List<String> got) {
        boolean internal = line.command().equals("ERR") ? line.field(1).equals("internal")
                : line.size() > 2 && line.field(1).equals("false") && line.field(2).equals("internal");
        assertTrue(!internal, () -> "the server failed: " + got);
    }

    /**
     * Legacy: the garbage is cut into records as the server cuts it; a record of type 2 ends the
     * connection (goodbye), one of an unknown type gets the error record and the close. Otherwise
     * a valid record after it (the garbage padded to a whole record first) reaches the watcher.
     */
    private static void legacyAnswers(FuzzConnection c, byte[] sent) throws IOException {
        byte[] stream = c.everything(sent);
        int whole = stream.length / LegacyRecord.SIZE;
        for (int i = 0; i < whole; i++) {
            byte type = stream[i * LegacyRecord.SIZE + LegacyRecord.TYPE_OFFSET];
            if (type == LegacyRecord.OFFLINE) {
                c.readAllUntilClosed(); // a goodbye record closes the connection
                outcome("legacy: goodbye");
                return;
            }
            if (type != LegacyRecord.CHAT && type != LegacyRecord.ONLINE) {
                byte[] told = c.readAllUntilClosed();
                assertTrue(new String(told, StandardCharsets.UTF_8).contains("protocol error"),
                        "an unknown record type gets the error record, then the close");
                outcome("legacy: refused");
                return;
            }
        }
        c.write(new byte[(LegacyRecord.SIZE - stream.length % LegacyRecord.SIZE) % LegacyRecord.SIZE]);
        String marker = "fz-marker-" + tries;
        c.write(LegacyRecord.encode("fzlegacy", marker, LegacyRecord.CHAT));
        while (true) {
            LegacyRecord.Message m;
            try {
                m = watcher.read();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the valid record after the garbage did not reach the room in 10 s", e);
            }
            if (m.text().equals(marker)) {
                outcome("legacy: relayed");
                return;
            }
        }
    }

    /**
     * RESUME with a pooled token, from this try's address; a token a LOGOUT revoked is replaced by
     * a new device's, at once when the account is not locked (the garbage's wrong old passwords in
     * PASSWD lock its password logins for a while; RESUME is exempt, and a LOGIN that gets in
     * clears the lock's count). False when no token can be had: the try goes on without a login.
     */
    private static boolean resume(FuzzConnection c) throws Exception {
        if (tokens.size() < TOKENS) {
            mintToken();
        }
        while (true) {
            if (tokens.isEmpty() && !mintToken()) {
                return false;
            }
            String[] t = tokens.peekFirst();
            c.writeBefore("#r:RESUME:" + FuzzInput.ME + ":" + t[1] + ":" + t[0] + "\n");
            Line reply = Line.parse(c.readLine());
            if (reply.field(1).equals("true")) {
                c.catchUp();
                tokens.addLast(tokens.pollFirst()); // the next try takes another device
                return true;
            }
            if (reply.field(2).equals("throttled")) {
                // Three revoked tokens in a row used up this address's free failures: the try
                // goes on without a login (the token may be good: it stays).
                return false;
            }
            assertEquals("auth-failed", reply.field(2), reply.toString()); // a LOGOUT revoked it
            tokens.pollFirst();
        }
    }

    /** A token for a new device of {@link FuzzInput#ME}, by LOGIN from an address of its own; false when locked. */
    private static boolean mintToken() throws Exception {
        String device = "fz-" + devices++;
        try (var c = new FuzzConnection(server.port, 1_000_000 + devices)) {
            c.write(("#l:LOGIN:" + FuzzInput.ME + ":" + TextClient.password(FuzzInput.ME) + ":" + device + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            Line reply = Line.parse(c.readLine());
            if (reply.field(1).equals("false") && reply.field(2).equals("throttled")) {
                return false;
            }
            assertEquals("true", reply.field(1), () -> "LOGIN for a token: " + reply);
            tokens.addLast(new String[] {device, reply.field(5)});
            return true;
        }
    }

    /** The server's connections are back to the healthy ones. */
    private static void awaitConnections() throws Exception {
        Await.until(() -> connections() == HEALTHY_CONNECTIONS, Duration.ofSeconds(10),
                "the server holds only the healthy connections");
    }

    private static int connections() throws IOException {
        TextClient.Reply stats = healthy.call(new Request.Stats());
        for (String f : stats.line().fields()) {
            if (f.startsWith("connections=")) {
                return Integer.parseInt(f.substring("connections=".length()));
            }
        }
        throw new AssertionError("STATS without connections: " + stats.line());
    }

    private static void checkDescriptors(String when) throws Exception {
        Await.until(() -> server.openDescriptors() <= baselineFds + FD_SLACK, Duration.ofSeconds(10),
                "the server's descriptors " + when + " are at most " + FD_SLACK + " more than the "
                        + baselineFds + " after the warm-up");
    }

    /** Whatever the server logged since the last try: WARNING is allowed, ERROR (SEVERE) is a bug. */
    private static void checkLog() {
        String all = server.output();
        String fresh = all.substring(Math.min(logSeen, all.length()));
        logSeen = all.length();
        assertTrue(!fresh.contains(" SEVERE "), () -> "the server logged an error:\n" + fresh);
        assertTrue(server.process.isAlive(), () -> "the server died:\n" + all);
    }
}
