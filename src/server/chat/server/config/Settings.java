package chat.server.config;

import chat.server.reactor.Limits;
import chat.server.store.Database;
import chat.server.store.Passwords;
import chat.common.text.Names;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Every setting of the server, with its default and the reason for it, in one place (as
 * HikariCP's {@code HikariConfig} lists its own). The command line fills a {@link Builder};
 * {@link Builder#build} checks every value at start, so that a bad one is a usage error and never
 * a surprise an hour later. The reactor's memory bounds are their own record, {@link Limits},
 * because the reactor knows nothing of the chat and so cannot see this class.
 *
 * <ul>
 *   <li>{@code port}, {@code bind}: where to listen; port 0 picks a free one (tests).
 *   <li>{@code data}: the folder for the SQLite database ({@code data/chat.db}).
 *   <li>{@code dbUrl}, {@code dbUser}, {@code dbPassword}: a MySQL/MariaDB database instead.
 *   <li>{@code logLevel}: INFO by default; DEBUG logs every connection.
 *   <li>{@code limits}: the reactor's bounds, each with its reason in {@link Limits}; two are
 *       options: {@code --max-pending} (4 MiB of output per connection) and
 *       {@code --max-connections-per-address} (32 open at once from one IP address, loopback
 *       included: a few devices per person, a few dozen per office; tests and benchmarks with
 *       thousands of loopback clients raise it).
 *   <li>{@code pbkdf2Iterations} 600,000: OWASP's 2023 figure for PBKDF2-HMAC-SHA256; lower
 *       only for tests.
 *   <li>{@code idleTimeout} 90 s: clients PING after 30 s of silence, so three pings may be
 *       missed before a text connection is closed and its user goes offline.
 *   <li>{@code identifyTimeout} 10 s: a connection whose first bytes have not shown which
 *       protocol it speaks is closed; a real client speaks at once, a port scanner or a
 *       half-open connection would otherwise hold a socket for ever (legacy clients are never
 *       idle-timed, so this is the only bound on a connection that says nothing at all).
 *   <li>{@code loginTimeout} 60 s: a text connection that has not logged in by then gets
 *       {@code BYE:login-timeout} and is closed; a person typing into {@code nc} has a minute.
 *   <li>{@code sessionLifetime} 30 days: how long a login token stays good after its last
 *       LOGIN or RESUME (sliding), so that a device used monthly never asks for the password.
 *   <li>{@code singleSession} false: each device of an account is its own connection; true
 *       restores 1.0's "a new login replaces every other connection of the account".
 *   <li>{@code durability} NORMAL: what a commit waits for ({@link Database.Durability}); NORMAL
 *       is what the store has always set (SQLite {@code synchronous=NORMAL} in WAL mode: a power
 *       loss may undo the last commits, a crash of the server loses nothing), FSYNC makes SQLite
 *       sync each commit ({@code synchronous=FULL}). On MariaDB the server's own
 *       {@code innodb_flush_log_at_trx_commit} decides in both.
 *   <li>{@code fileMaxSize} 2 GiB: the largest file one offer may carry; big enough for videos
 *       and disk images people pass around, small enough that one offer cannot fill a small disk.
 *   <li>{@code fileQuota} 10 GiB per user: the sizes of a sender's offers that are neither
 *       cancelled nor expired, so that one account cannot fill the server's disk.
 *   <li>{@code fileDays} 7: how long an offer and its bytes are kept; a week covers a recipient who
 *       is away over a weekend, and a relay is not an archive.
 *   <li>{@code fileIdle} 60 s: a data connection on which no byte moved (read, or taken by the
 *       socket) for that long is closed; a minute outlasts any pause of a live network.
 *   <li>{@code files} DATA/files: where relayed files' bytes are kept. A cluster's nodes name one
 *       folder they all share (NFS, as Mattermost's and Synapse's nodes share theirs), since each
 *       node's {@code data} folder is its own (locked per process) and a download may go to any node.
 *   <li>{@code retentionDays} 0: keep messages and events forever. N &gt; 0 deletes those older
 *       than N days, hourly and at start, in small batches on the writer between other work; an
 *       operator who wants a bounded database chooses the bound, the server cannot guess it.
 *   <li>{@code hashQueue} 64: password checks (LOGIN, REGISTER, PASSWD) waiting for a hasher;
 *       one more is answered {@code busy} at once. At the default cost a check takes about half
 *       a second of a core, so 64 waiting is half a minute of work on a two-core machine: a
 *       login queued behind more would time out anyway, and an unbounded queue lets anyone who
 *       can open connections make every real login wait (issue 13: 100 REGISTERs and a close
 *       made a login wait 18 s).
 *   <li>{@code hashPerAddress} 4: password checks one client address may have waiting or
 *       running at once; more get {@code busy}. A family or an office behind one NAT logs in a
 *       few at a time; a flood from one address cannot take the queue from everyone else.
 *   <li>{@code registerLimit} 5 per {@code registerWindow} 10 minutes: REGISTERs one address may
 *       make (a burst of that many, then one per window / limit); more get {@code throttled}.
 *       Each costs a password hash and a row for ever, and a person makes one account.
 *   <li>{@code admins} none: the accounts that may list and close connections, ban and unban,
 *       and read STATS (protocol 1.4), as name keys. None by default: a server has no operator
 *       until one is named, and an account that merely exists must never become one. A name is
 *       checked as a name (a typo is a usage error at start); it need not be registered yet.
 *   <li>{@code tlsCert}, {@code tlsKey}: none. The PEM files certbot writes (the certificate
 *       chain, {@code fullchain.pem}, and the PKCS#8 key, {@code privkey.pem}); with them a
 *       connection whose first bytes are a TLS record speaks TLS on the same port, beside plain
 *       ones. Both or neither; read once at start, so a bad file is a start failure.
 *   <li>{@code requireTls} false: true refuses LOGIN, REGISTER, RESUME and PASSWD on plain text
 *       connections ({@code tls-required}), so that no password or token crosses the network in
 *       the clear. Off by default so that plain-text clients keep working; needs the two files.
 *       The legacy room stays open over plain text: the article's client has no TLS and no
 *       password to protect.
 *   <li>{@code tlsHandshakeTimeout} 10 s: a connection that started TLS and has not finished
 *       its handshake by then (counted from its connect) is closed. A real handshake takes a few
 *       round trips; a peer that sends a record header and stops would otherwise hold a socket
 *       and an engine. Like the identify timeout, which also still applies.
 *   <li>{@code cluster} none: one node. {@link ClusterSettings} makes this server one node of
 *       several that share a MySQL/MariaDB database and a Redis (refused with SQLite).
 * </ul>
 */
public record Settings(
        int port,
        String bind,
        Path data,
        String dbUrl,
        String dbUser,
        String dbPassword,
        String logLevel,
        Limits limits,
        int pbkdf2Iterations,
        Duration idleTimeout,
        Duration identifyTimeout,
        Duration loginTimeout,
        Duration sessionLifetime,
        boolean singleSession,
        Database.Durability durability,
        long fileMaxSize,
        long fileQuota,
        int fileDays,
        Duration fileIdle,
        Path files,
        int retentionDays,
        int hashQueue,
        int hashPerAddress,
        int registerLimit,
        Duration registerWindow,
        Set<String> admins,
        Path tlsCert,
        Path tlsKey,
        boolean requireTls,
        Duration tlsHandshakeTimeout,
        ClusterSettings cluster) {

    public static final Duration DEFAULT_FILE_IDLE = Duration.ofSeconds(60);
    public static final long DEFAULT_FILE_MAX_SIZE = 2L << 30;
    public static final long DEFAULT_FILE_QUOTA = 10L << 30;
    public static final int DEFAULT_FILE_DAYS = 7;

    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(90);
    public static final Duration DEFAULT_IDENTIFY_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_LOGIN_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_SESSION_DAYS = 30;
    public static final Duration DEFAULT_TLS_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    public static final int DEFAULT_HASH_QUEUE = 64;
    public static final int DEFAULT_HASH_PER_ADDRESS = 4;
    public static final int DEFAULT_REGISTER_LIMIT = 5;
    public static final Duration DEFAULT_REGISTER_WINDOW = Duration.ofMinutes(10);

    public Settings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("PORT must be a number from 0 to 65535, not " + port);
        }
        if (data == null) {
            throw new IllegalArgumentException("data folder must be set");
        }
        if (pbkdf2Iterations <= 0) {
            throw new IllegalArgumentException("pbkdf2 iterations must be positive: " + pbkdf2Iterations);
        }
        positive(idleTimeout, "idle timeout");
        positive(identifyTimeout, "identify timeout");
        positive(loginTimeout, "login timeout");
        positive(sessionLifetime, "session lifetime");
        if (fileMaxSize <= 0 || fileQuota <= 0 || fileDays <= 0) {
            throw new IllegalArgumentException("file max size, quota and days must be positive: " + fileMaxSize
                    + ", " + fileQuota + ", " + fileDays);
        }
        positive(fileIdle, "file idle timeout");
        if (retentionDays < 0) {
            throw new IllegalArgumentException("retention days must be 0 (keep forever) or more: " + retentionDays);
        }
        if (hashQueue < 0 || hashPerAddress < 1 || registerLimit < 1) {
            throw new IllegalArgumentException("hash queue must be 0 or more, hashes per address and registrations"
                    + " per window 1 or more: " + hashQueue + ", " + hashPerAddress + ", " + registerLimit);
        }
        positive(registerWindow, "registration window");
        admins = admins == null ? Set.of() : Set.copyOf(admins);
        for (String key : admins) {
            if (!key.equals(Names.key(key))) {
                throw new IllegalArgumentException("admins are kept as name keys, not " + key);
            }
        }
        if (durability == null) {
            throw new IllegalArgumentException("durability must be set");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        if (requireTls && tlsCert == null) {
            throw new IllegalArgumentException("--require-tls needs --tls-cert and --tls-key");
        }
        positive(tlsHandshakeTimeout, "TLS handshake timeout");
        if (dbUrl != null) {
            new Database(dbUrl, dbUser, dbPassword); // checks the URL (the fields are not set yet here)
        }
        if (cluster != null && (dbUrl == null || !dbUrl.startsWith("jdbc:mysql:") && !dbUrl.startsWith("jdbc:mariadb:"))) {
            throw new IllegalArgumentException("--cluster needs --db jdbc:mysql://...: the nodes share one MySQL or"
                    + " MariaDB database, and SQLite is one machine's file");
        }
    }

    /** Whether the account {@code name} (any spelling) is one of {@link #admins}. */
    public boolean isAdmin(String name) {
        return !admins.isEmpty() && admins.contains(Names.key(name));
    }

    /** Where relayed files' bytes are: {@code --files}, or {@code DATA/files}. */
    public Path filesFolder() {
        return files != null ? files : data.resolve("files");
    }

    /** The database: {@code dbUrl}, or the SQLite file in {@code data}. */
    public Database database() {
        Database db = dbUrl == null ? Database.sqlite(data) : new Database(dbUrl, dbUser, dbPassword);
        return db.withDurability(durability);
    }

    private static void positive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A copy to change, for tests that need one setting other than the default. */
    public Builder toBuilder() {
        var b = new Builder();
        b.port = port;
        b.bind = bind;
        b.data = data;
        b.dbUrl = dbUrl;
        b.dbUser = dbUser;
        b.dbPassword = dbPassword;
        b.logLevel = logLevel;
        b.limits = limits;
        b.pbkdf2Iterations = pbkdf2Iterations;
        b.idleTimeout = idleTimeout;
        b.identifyTimeout = identifyTimeout;
        b.loginTimeout = loginTimeout;
        b.sessionLifetime = sessionLifetime;
        b.singleSession = singleSession;
        b.durability = durability;
        b.fileMaxSize = fileMaxSize;
        b.fileQuota = fileQuota;
        b.fileDays = fileDays;
        b.fileIdle = fileIdle;
        b.files = files;
        b.retentionDays = retentionDays;
        b.hashQueue = hashQueue;
        b.hashPerAddress = hashPerAddress;
        b.registerLimit = registerLimit;
        b.registerWindow = registerWindow;
        b.admins = admins;
        b.tlsCert = tlsCert;
        b.tlsKey = tlsKey;
        b.requireTls = requireTls;
        b.tlsHandshakeTimeout = tlsHandshakeTimeout;
        b.cluster = cluster;
        return b;
    }

    /** The settings being gathered, each at its default until set. */
    public static final class Builder {
        private int port;
        private String bind;
        private Path data = Path.of(".");
        private String dbUrl;
        private String dbUser = System.getenv("CHAT_DB_USER");
        private String dbPassword = System.getenv("CHAT_DB_PASSWORD");
        private String logLevel = "INFO";
        private Limits limits = Limits.DEFAULT;
        private int pbkdf2Iterations = Passwords.DEFAULT_ITERATIONS;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration identifyTimeout = DEFAULT_IDENTIFY_TIMEOUT;
        private Duration loginTimeout = DEFAULT_LOGIN_TIMEOUT;
        private Duration sessionLifetime = Duration.ofDays(DEFAULT_SESSION_DAYS);
        private boolean singleSession;
        private Database.Durability durability = Database.Durability.NORMAL;
        private long fileMaxSize = DEFAULT_FILE_MAX_SIZE;
        private long fileQuota = DEFAULT_FILE_QUOTA;
        private int fileDays = DEFAULT_FILE_DAYS;
        private Duration fileIdle = DEFAULT_FILE_IDLE;
        /** Null: DATA/files. */
        private Path files;
        private int retentionDays;
        private int hashQueue = DEFAULT_HASH_QUEUE;
        private int hashPerAddress = DEFAULT_HASH_PER_ADDRESS;
        private int registerLimit = DEFAULT_REGISTER_LIMIT;
        private Duration registerWindow = DEFAULT_REGISTER_WINDOW;
        private Set<String> admins = Set.of();
        private Path tlsCert;
        private Path tlsKey;
        private boolean requireTls;
        private Duration tlsHandshakeTimeout = DEFAULT_TLS_HANDSHAKE_TIMEOUT;
        private ClusterSettings cluster;

        private Builder() {}

        public Builder port(int port) { this.port = port; return this; }
        public Builder bind(String bind) { this.bind = bind; return this; }
        public Builder data(Path data) { this.data = data; return this; }
        public Builder dbUrl(String url) { this.dbUrl = url; return this; }
        public Builder dbUser(String user) { this.dbUser = user; return this; }
        public Builder dbPassword(String password) { this.dbPassword = password; return this; }
        public Builder logLevel(String level) { this.logLevel = level; return this; }
        public Builder limits(Limits limits) { this.limits = limits; return this; }
        public Builder pbkdf2Iterations(int n) { this.pbkdf2Iterations = n; return this; }
        public Builder idleTimeout(Duration d) { this.idleTimeout = d; return this; }
        public Builder identifyTimeout(Duration d) { this.identifyTimeout = d; return this; }
        public Builder loginTimeout(Duration d) { this.loginTimeout = d; return this; }
        public Builder sessionLifetime(Duration d) { this.sessionLifetime = d; return this; }
        public Builder singleSession(boolean single) { this.singleSession = single; return this; }
        public Builder durability(Database.Durability d) { this.durability = d; return this; }
        public Builder fileMaxSize(long bytes) { this.fileMaxSize = bytes; return this; }
        public Builder fileQuota(long bytes) { this.fileQuota = bytes; return this; }
        public Builder fileDays(int days) { this.fileDays = days; return this; }
        public Builder fileIdle(Duration d) { this.fileIdle = d; return this; }
        /** The files folder (null: DATA/files). */
        public Builder files(Path folder) { this.files = folder; return this; }
        public Builder retentionDays(int days) { this.retentionDays = days; return this; }
        public Builder hashQueue(int n) { this.hashQueue = n; return this; }
        public Builder hashPerAddress(int n) { this.hashPerAddress = n; return this; }
        public Builder registerLimit(int n) { this.registerLimit = n; return this; }
        public Builder registerWindow(Duration d) { this.registerWindow = d; return this; }

        /**
         * The accounts that are admins, by name in any spelling; each is checked as a name would be
         * at REGISTER.
         */
        public Builder admins(java.util.Collection<String> names) {
            var keys = new java.util.HashSet<String>();
            for (String name : names) {
                String problem = Names.problem(name);
                if (problem != null) {
                    throw new IllegalArgumentException("admin " + name + ": " + problem);
                }
                keys.add(Names.key(name));
            }
            this.admins = keys;
            return this;
        }
        public Builder tlsCert(Path file) { this.tlsCert = file; return this; }
        public Builder tlsKey(Path file) { this.tlsKey = file; return this; }
        public Builder requireTls(boolean require) { this.requireTls = require; return this; }
        public Builder tlsHandshakeTimeout(Duration d) { this.tlsHandshakeTimeout = d; return this; }
        /** Several nodes (null: one node, the default). */
        public Builder cluster(ClusterSettings c) { this.cluster = c; return this; }

        public Limits limits() { return limits; }

        /** The settings, checked; an {@link IllegalArgumentException} says which one is wrong. */
        public Settings build() {
            return new Settings(port, bind, data, dbUrl, dbUser, dbPassword, logLevel, limits,
                    pbkdf2Iterations, idleTimeout, identifyTimeout, loginTimeout, sessionLifetime,
                    singleSession, durability, fileMaxSize, fileQuota, fileDays, fileIdle, files,
                    retentionDays, hashQueue, hashPerAddress, registerLimit, registerWindow, admins,
                    tlsCert, tlsKey, requireTls, tlsHandshakeTimeout, cluster);
        }
    }
}
