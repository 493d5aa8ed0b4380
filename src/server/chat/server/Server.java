package chat.server;

import chat.common.io.PrivateFiles;
import chat.server.command.Audit;
import chat.server.command.BanPeers;
import chat.server.command.Bans;
import chat.server.command.Charges;
import chat.server.command.Dispatcher;
import chat.server.command.Services;
import chat.common.proto.Item;
import chat.common.proto.Push;
import chat.server.cluster.Cluster;
import chat.server.config.ClusterSettings;
import chat.server.config.Settings;
import chat.server.files.DataConnections;
import chat.server.files.Grants;
import chat.server.files.SharedFolder;
import chat.server.hub.Hub;
import chat.server.hub.Rooms;
import chat.server.hub.Session;
import chat.server.legacy.LegacyRoom;
import chat.server.legacy.Lobby;
import chat.server.legacy.Online;
import chat.server.reactor.Reactor;
import chat.server.store.Database;
import chat.server.store.JdbcStore;
import chat.server.store.Passwords;
import chat.server.store.Store;
import chat.server.store.StoreException;
import chat.server.store.Workers;
import chat.server.text.TextProtocol;
import chat.server.tls.ServerTls;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * {@code chat-server PORT [options]}: starts the server and runs until Ctrl-C or SIGTERM, which
 * close every connection and exit 0.
 */
public final class Server {

    private static final System.Logger LOG = System.getLogger(Server.class.getName());
    /** Threads for reads (history, search, lookups); writes have their one thread. */
    private static final int DB_READERS = 2;

    static final String USAGE = """
            usage: chat-server PORT [options]
              PORT                   TCP port to listen on, 1-65535 (0 picks a free one)
              --data DIR             where the server keeps its data (default: .); the
                                     SQLite database is DIR/chat.db
              --db URL               a MySQL/MariaDB database instead, e.g.
                                     jdbc:mysql://127.0.0.1:3306/chat
              --db-user USER         its user (default: $CHAT_DB_USER)
              --db-password PASS     its password (default: $CHAT_DB_PASSWORD)
              --bind ADDRESS         address to listen on (default: all)
              --max-pending BYTES    output backlog at which a client that stopped reading is
                                     disconnected (default: 4194304)
              --idle-timeout SECONDS close a text connection silent for this long (default: 90)
              --identify-timeout SECONDS
                                     close a connection that has not shown its protocol by
                                     then, or a legacy one whose record stays half sent that
                                     long (default: 10)
              --max-connections-per-address N
                                     connections one IP address may hold open, loopback
                                     included (default: 32)
              --login-timeout SECONDS
                                     close a text connection not logged in by then (default: 60)
              --session-days N       a login token stays good this long after its last use
                                     (default: 30)
              --single-session       a login replaces every other connection of the account
                                     (default: one connection per device)
              --durability normal|fsync
                                     fsync: SQLite syncs each commit to the disk, so a power
                                     loss undoes nothing confirmed (default: normal, where it
                                     may undo the last commits); on MariaDB the server's own
                                     innodb_flush_log_at_trx_commit decides
              --file-max-size BYTES  the largest file an offer may carry (default: 2 GiB)
              --file-quota BYTES     per user, the bytes of offers not cancelled or expired (default: 10 GiB)
              --file-days N          days an offer and its bytes are kept (default: 7)
              --file-idle SECONDS    a data connection moving no byte for this long is closed (default: 60)
              --files DIR            where relayed files' bytes are kept (default: DATA/files); the
                                     nodes of a cluster name one folder they share (NFS); a node
                                     that cannot see the others' markers in it refuses to start
                                     (without --files, it warns)
              --retention-days N     delete messages and events older than N days (default: 0, keep forever)
              --admins NAME,NAME     accounts that may list and close connections, ban and
                                     unban, and read STATS (default: none)
              --tls-cert FILE        the server's certificate chain, PEM (certbot's fullchain.pem):
                                     with --tls-key, clients may speak TLS on the same port
              --tls-key FILE         its private key, PEM, PKCS#8 (certbot's privkey.pem)
              --require-tls          refuse LOGIN, REGISTER, RESUME and PASSWD over plain text
                                     (the legacy room stays open; default: allow them)
              --tls-handshake-timeout SECONDS
                                     close a connection whose TLS handshake has not finished by
                                     then (default: 10)
              --pbkdf2-iterations N  password hashing cost (default: 600000; lower only for tests)
              --hash-queue N         password checks waiting for a hasher; more get busy (default: 64)
              --hash-per-address N   password checks one address may have waiting or running (default: 4)
              --register-limit N     REGISTERs per address per --register-window (default: 5)
              --register-window MINUTES
                                     (default: 10)
              --cluster redis://HOST:PORT[/PREFIX]
                                     one node of several behind one address, sharing the
                                     --db database (MySQL/MariaDB only) and this Redis; keys
                                     and channels start with PREFIX (default: chat)
              --node-id ID           this node's id (default: host-pid-random, new each start)
              --cluster-heartbeat D  how often the node proves it is alive (default: 1s)
              --cluster-ttl D        silent this long, a node is dead and reaped (default: 5s);
                                     D is 250ms, 2s or 2
              --log-level LEVEL      ERROR, WARNING, INFO or DEBUG (default: INFO)
              -h, --help             this text""";

    /** Exit statuses, as the JDK's jwebserver names them. */
    enum Exit {
        OK(0), START_FAILED(1), USAGE(2), FENCED(3);

        final int status;

        Exit(int status) {
            this.status = status;
        }
    }

    private final Reactor reactor;
    private final Online online = new Online();
    private final Hub hub;
    private final Store store;
    private final Workers workers;
    private final Dispatcher dispatcher;
    private final Bans bans;
    private final Audit audit;
    /** Disk I/O and hashing of file transfers: never on the reactor or the database writer. */
    private final ExecutorService files;
    private final ScheduledExecutorService sweeper;
    /** TLS on the same port, when the settings name a certificate; null otherwise. */
    private final ServerTls tls;
    /** This server as one node of several (--cluster); null with one node. */
    private final Cluster cluster;
    /** Cluster mode: the check that the files folder is the other nodes' too. */
    private final SharedFolder sharedFiles;
    /** {@code --files} was given: a folder the operator meant to share, so not sharing it is fatal. */
    private final boolean filesNamed;
    /** What a fenced node does once it has stopped: exit (the command line), or nothing (tests). */
    private volatile Runnable afterFenced = () -> {};
    private boolean stopped;

    Server(Settings settings, Store store) throws IOException {
        this(settings, store, System::currentTimeMillis);
    }

    /** {@code clock} gives the wall-clock time in milliseconds: message times, token expiry. */
    Server(Settings settings, Store store, LongSupplier clock) throws IOException {
        this(settings, store, clock, Reactor.listen(address(settings)));
    }

    /**
     * {@code listener} is bound already ({@link Reactor#listen}); the server owns it from here,
     * and closes it if it cannot start.
     */
    Server(Settings settings, Store store, LongSupplier clock, ServerSocketChannel listener) throws IOException {
        this.store = store;
        this.sharedFiles = new SharedFolder(settings.filesFolder());
        this.filesNamed = settings.files() != null;
        // First: a bad certificate or key fails the start before any thread exists.
        this.tls = settings.tlsCert() == null ? null : ServerTls.load(settings.tlsCert(), settings.tlsKey());
        this.hub = new Hub(settings.singleSession());
        // Read once, here on the main thread before the reactor runs; from then on the reactor keeps them.
        this.bans = new Bans(store.bans(clock.getAsLong()), clock);
        this.audit = new Audit(settings.data());
        // The workers hand results to the reactor, which is made below; nothing runs before start().
        this.workers = new Workers(this::onReactor, DB_READERS, store);
        var services = new Services(store, workers, new Passwords(settings.pbkdf2Iterations()), hub,
                settings, clock, this::onReactorLater);
        var legacy = new LegacyRoom(online, settings.identifyTimeout().toMillis());
        var rooms = new Rooms();
        var grants = new Grants(clock);
        var table = new ConnectionTable(online, clock, this::stats);
        var lobby = new Lobby(legacy, rooms, clock);
        this.dispatcher = new Dispatcher(services, rooms, lobby, grants, table, bans, audit);
        var text = new TextProtocol(TextProtocol.MAX_LINE_BYTES, settings.idleTimeout().toMillis(),
                settings.loginTimeout().toMillis(), dispatcher);
        this.files = Executors.newSingleThreadExecutor(r -> {
            var t = new Thread(r, "files");
            // A task that throws ends up here rather than on stderr.
            t.setUncaughtExceptionHandler((thread, e) -> LOG.log(Level.ERROR, "a files task failed", e));
            return t;
        });
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            var t = new Thread(r, "sweep");
            t.setDaemon(true);
            return t;
        });
        try {
            var data = new DataConnections(store, workers, settings.filesFolder(), files, grants, dispatcher.fileListener(),
                    settings.fileIdle());
            dispatcher.setDataConnections(data);
            var router = new ProtocolRouter(legacy, text, data, settings.identifyTimeout().toMillis(), bans, tls,
                    settings.tlsHandshakeTimeout().toMillis());
            this.reactor = new Reactor(listener, router, settings.limits());
            table.wire(reactor, legacy, text, data);
            if (settings.cluster() != null) {
                this.cluster = new Cluster(settings.cluster(), reactor, hub, rooms, store, workers, new Cluster.Host() {
                    @Override
                    public void fenced(String why) {
                        Server.this.fenced();
                    }

                    @Override
                    public void replace(long userId, long deviceId, String why) {
                        for (Session old : hub.sessions(userId)) {
                            if (deviceId == 0 || old.deviceId == deviceId) {
                                old.connection.write(Hub.encode(new Push.Bye(Push.Bye.REPLACED, why)));
                                old.connection.closeAfterFlush("replaced by a login on another node");
                            }
                        }
                    }

                    @Override
                    public void lobby(String name, String text, boolean came) {
                        lobby.fromElsewhere(name, text, came);
                    }

                    @Override
                    public void charged(int budget, String key, String address, boolean newToAddress) {
                        var budgets = Charges.Budget.values();
                        if (budget >= 0 && budget < budgets.length) {
                            dispatcher.chargedElsewhere(budgets[budget], key, address, newToAddress);
                        }
                    }

                    @Override
                    public List<Item.ConnectionInfo> connectionsHere() {
                        return table.here();
                    }

                    @Override
                    public String disconnectHere(long qualifiedId, String admin) {
                        return dispatcher.disconnectHere(qualifiedId, admin);
                    }

                    @Override
                    public void banned(Store.Ban ban, long userId, boolean lifted) {
                        if (lifted) {
                            dispatcher.unbannedElsewhere(ban);
                        } else {
                            dispatcher.bannedElsewhere(ban, userId);
                        }
                    }

                    @Override
                    public void resyncing() {
                        dispatcher.reloadBans();
                    }

                    @Override
                    public void nodeDown(String node, List<String> lobbyMembers) {
                        lobby.goneElsewhere(lobbyMembers);
                        files.execute(() -> {
                            try {
                                sharedFiles.unmark(node);
                            } catch (IOException | IllegalArgumentException e) {
                                LOG.log(Level.WARNING, "deleting the files folder's marker of node " + node + ": " + e);
                            }
                        });
                    }
                });
                var node = cluster;
                table.cluster(node);
                dispatcher.tellBans(new BanPeers() {
                    @Override
                    public void banned(Store.Ban ban, long userId) {
                        node.ban(ban, userId, false);
                    }

                    @Override
                    public void unbanned(Store.Ban ban) {
                        node.ban(ban, 0, true);
                    }
                });
                dispatcher.tellCharges((budget, key, address, newToAddress) -> node.charge(budget.ordinal(), key,
                        address, newToAddress));
                grants.share(new Grants.Shared() {
                    @Override
                    public void put(String token, String key, String grant, long millis) {
                        node.keepToken(token, key, grant, millis);
                    }

                    @Override
                    public void take(String token, Consumer<String> then) {
                        node.takeToken(token, then);
                    }
                });
                hub.setRouter(cluster);
                rooms.setRouter(cluster);
                lobby.setBus(new Lobby.Bus() {
                    @Override
                    public void lobby(String name, String text, boolean came) {
                        node.lobby(name, text, came);
                    }

                    @Override
                    public void count(String name, int members) {
                        node.lobbyCount(name, members);
                    }

                    @Override
                    public List<String> elsewhere() {
                        return node.lobbyElsewhere();
                    }
                });
                reactor.holdAccepts(true); // until the node has joined
            } else {
                this.cluster = null;
            }
        } catch (IOException | RuntimeException e) {
            workers.close();
            files.shutdownNow();
            sweeper.shutdownNow();
            if (tls != null) {
                tls.close();
            }
            throw e;
        }
    }

    private static InetSocketAddress address(Settings settings) {
        return settings.bind() == null
                ? new InetSocketAddress(settings.port())
                : new InetSocketAddress(settings.bind(), settings.port());
    }

    private void onReactor(Runnable task) {
        reactor.execute(task);
    }

    private void onReactorLater(long delayMillis, Runnable task) {
        reactor.schedule(delayMillis, task);
    }

    /** STATS's fields, {@code name=value} each: the reactor's counters, then who is online, then the cluster's. */
    private List<String> stats() {
        if (cluster == null) {
            return localStats();
        }
        var all = new java.util.ArrayList<>(localStats());
        all.addAll(cluster.stats());
        return all;
    }

    private List<String> localStats() {
        Reactor.Stats s = reactor.statsNow();
        return List.of("connections=" + s.connections(), "pending=" + s.pendingBytes(),
                "download_pending=" + s.drainWatchedBytes(), "stuck=" + s.stuck(), "stuck_pending=" + s.stuckBytes(),
                "refused=" + s.refused(), "chunks_borrowed=" + s.chunksBorrowed(), "chunks_created=" + s.chunksCreated(),
                "reads_paused=" + s.readsPaused(), "pauses=" + s.pauses(), "reactor_allocated=" + s.allocated(),
                "online=" + online.size(), "logged_in=" + hub.size());
    }

    /**
     * Starts serving. A cluster node first joins; one whose files folder ({@code --files}) is not
     * the other nodes' ({@link SharedFolder}) stops again and throws, saying so. Without
     * {@code --files} (each node's own DATA/files, as before the option) it only warns.
     */
    void start() throws IOException {
        reactor.start("reactor");
        if (cluster != null) {
            sharedFiles.mark(cluster.id()); // before HELLO, so that a node starting meanwhile finds it
            cluster.registerInDatabase();
            String problem = null;
            try {
                cluster.start();
                if (!isStopped()) {
                    problem = sharedFiles.problem(otherNodes());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (problem != null && filesNamed) {
                try {
                    stop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException(problem);
            }
            if (problem != null) {
                LOG.log(Level.WARNING, problem + " (without --files each node keeps its own: a file uploaded through"
                        + " another node cannot be downloaded through this one)");
            }
        }
        synchronized (this) {
            if (stopped) {
                return; // a node fenced while it started (found itself reaped): it stops, and nothing more starts
            }
            if (cluster != null) {
                reactor.holdAccepts(false);
            }
            sweeper.scheduleAtFixedRate(dispatcher::sweepFiles, 0, 1, TimeUnit.HOURS);
            // After the files' sweep on the same thread: an offer expired by it goes in the same hour.
            sweeper.scheduleAtFixedRate(dispatcher::sweepMessages, 0, 1, TimeUnit.HOURS);
            sweeper.scheduleAtFixedRate(dispatcher::sweepBans, 1, 1, TimeUnit.HOURS);
        }
    }

    /** The other live nodes this one counted when it joined, read on the reactor thread, which owns them. */
    private Set<String> otherNodes() throws InterruptedException {
        var others = new CompletableFuture<Set<String>>();
        reactor.execute(() -> others.complete(Set.copyOf(cluster.positions().others().keySet())));
        try {
            // Bounded: a node fenced while it started (its writer found it reaped) has stopped its
            // reactor, which then never runs the task. It has no others to check against.
            return others.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            return Set.of();
        }
    }

    /** Deletes messages past the retention setting now, as the hourly sweep does; waits for it. */
    void sweepMessages() {
        dispatcher.sweepMessages();
    }

    /** Expires file offers now, as the hourly sweep does (tests move the clock, then call this). */
    void sweepFiles() {
        dispatcher.sweepFiles();
    }

    int port() {
        return reactor.port();
    }

    Reactor reactor() {
        return reactor;
    }

    Online online() {
        return online;
    }

    Hub hub() {
        return hub;
    }

    Cluster cluster() {
        return cluster;
    }

    /**
     * The node was reaped while it lived (stopped, cut off): it closes every connection
     * ({@code BYE:shutdown}, so that clients go to another node) and stops, on a thread of its own.
     */
    private void fenced() {
        var t = new Thread(() -> {
            try {
                stop(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            afterFenced.run();
        }, "fenced");
        t.start();
    }

    private synchronized boolean isStopped() {
        return stopped;
    }

    /** What to do once fenced and stopped (the command line exits with status 3). */
    void afterFenced(Runnable then) {
        this.afterFenced = then;
    }

    /**
     * Closes every client connection, lets the workers finish their writes, then (a cluster node)
     * leaves the cluster, stops the reactor and closes the store. Once: a fenced node stops
     * itself, and a later call finds it stopped.
     *
     * <p>The loop runs until the writes are done: their results still go out, to the other nodes
     * over the Redis links too, and a node still beats while it drains. It leaves only then:
     * leaving first (its heartbeat key deleted) got it reaped while its writer drained, and its
     * last writes, accepted from its clients, refused.
     */
    void stop() throws InterruptedException {
        stop(false);
    }

    /**
     * {@link #stop()}; {@code fenced}: the store closes before the workers finish, since nothing a
     * reaped node writes may commit: the writes still queued are refused at once, instead of each
     * opening a connection only to be refused (under load 250 took 10 s, and the node exited that
     * late). Their callbacks find the reactor stopped.
     */
    private synchronized void stop(boolean fenced) throws InterruptedException {
        if (stopped) {
            return;
        }
        stopped = true;
        sweeper.shutdownNow();
        if (fenced) {
            if (cluster != null) {
                cluster.leave();
            }
            reactor.stop();
            store.close();
            dispatcher.stopped();
        } else {
            reactor.closeClients(dispatcher::stopped);
        }
        files.shutdown();
        files.awaitTermination(30, TimeUnit.SECONDS);
        workers.close();
        if (cluster != null && !fenced) {
            cluster.stoppedWriting();
            cluster.leave();
        }
        reactor.stop();
        audit.close();
        if (tls != null) {
            tls.close();
        }
        store.close();
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err).status);
    }

    static Exit run(String[] args, PrintStream out, PrintStream err) {
        Settings options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("chat-server: " + e.getMessage());
            err.println(USAGE);
            return Exit.USAGE;
        }
        if (options == null) {
            out.println(USAGE);
            return Exit.OK;
        }
        Logging.configure(options.logLevel());
        // The order matters: the folder's lock, then the port, then the database. Opening the
        // database clears the connection table, which is another server's while it runs.
        DataLock lock;
        try {
            PrivateFiles.createFolders(options.data());
            lock = DataLock.tryLock(options.data()).orElse(null);
        } catch (IOException e) {
            err.println("chat-server: cannot use data directory " + options.data() + ": " + e);
            return Exit.START_FAILED;
        }
        if (lock == null) {
            err.println("chat-server: data directory " + options.data() + " is in use by another server");
            return Exit.START_FAILED;
        }
        Exit exit = serve(options, err);
        try {
            lock.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "releasing the data directory's lock: " + e);
        }
        return exit;
    }

    /** Binds, opens the database and runs until stopped; the caller holds the data folder's lock. */
    private static Exit serve(Settings options, PrintStream err) {
        ServerSocketChannel listener;
        try {
            listener = Reactor.listen(address(options));
        } catch (BindException e) {
            err.println("chat-server: cannot listen on port " + options.port() + ": " + e.getMessage());
            return Exit.START_FAILED;
        } catch (IOException | RuntimeException e) {
            err.println("chat-server: cannot listen on port " + options.port() + ": " + e);
            return Exit.START_FAILED;
        }
        Store store;
        try {
            if (options.database().dialect() == Database.Dialect.SQLITE) {
                // Made empty and 0600 here, so that SQLite's -wal and -shm files take the same mode.
                PrivateFiles.createFile(options.data().resolve(Database.SQLITE_FILE));
            }
            store = JdbcStore.open(options.database(), options.cluster() != null);
        } catch (IOException e) {
            err.println("chat-server: cannot create the database in " + options.data() + ": " + e);
            closeQuietly(listener);
            return Exit.START_FAILED;
        } catch (StoreException | IllegalArgumentException e) {
            err.println("chat-server: " + e.getMessage());
            closeQuietly(listener);
            return Exit.START_FAILED;
        }
        Server server;
        try {
            server = new Server(options, store, System::currentTimeMillis, listener);
        } catch (IOException | RuntimeException e) {
            // An IOException says what is wrong with which file (a TLS key, say); a bug says what it is.
            err.println("chat-server: cannot start: " + (e instanceof IOException ? e.getMessage() : e));
            closeQuietly(listener);
            store.close();
            return Exit.START_FAILED;
        }
        var stopped = new CountDownLatch(1);
        Runnable shutdown = () -> {
            LOG.log(Level.INFO, "shutting down");
            try {
                server.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopped.countDown();
        };
        Signals.onTermination(shutdown);
        server.afterFenced(() -> {
            LOG.log(Level.ERROR, "fenced: this node was taken for dead and reaped; exiting with status "
                    + Exit.FENCED.status + " so that a supervisor starts it again as a new node");
            Runtime.getRuntime().halt(Exit.FENCED.status);
        });
        try {
            server.start();
        } catch (IOException e) {
            err.println("chat-server: cannot start: " + e.getMessage());
            return Exit.START_FAILED;
        }
        LOG.log(Level.INFO, "chat-server listening on port " + server.port()
                + ", database " + store.database().describe()
                + (options.cluster() == null ? "" : ", cluster node " + options.cluster().nodeId()));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.log(Level.INFO, "stopped");
        return Exit.OK;
    }

    private static void closeQuietly(ServerSocketChannel listener) {
        try {
            listener.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing the listening socket: " + e);
        }
    }

    /** Parses the command line; {@code null} means help was asked for. */
    static Settings parse(String[] args) {
        Integer port = null;
        var b = Settings.builder();
        String cluster = null;
        String nodeId = null;
        Duration heartbeat = null;
        Duration ttl = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "-h", "--help" -> {
                    return null;
                }
                case "--data" -> b.data(Path.of(value(args, ++i, arg)));
                case "--bind" -> b.bind(value(args, ++i, arg));
                case "--db" -> b.dbUrl(value(args, ++i, arg));
                case "--db-user" -> b.dbUser(value(args, ++i, arg));
                case "--db-password" -> b.dbPassword(value(args, ++i, arg));
                case "--max-pending" -> b.limits(b.limits().withMaxPending(positiveInt(value(args, ++i, arg), arg)));
                case "--max-connections-per-address" -> b.limits(
                        b.limits().withMaxConnectionsPerAddress(positiveInt(value(args, ++i, arg), arg)));
                case "--idle-timeout" -> b.idleTimeout(seconds(value(args, ++i, arg), arg));
                case "--identify-timeout" -> b.identifyTimeout(seconds(value(args, ++i, arg), arg));
                case "--login-timeout" -> b.loginTimeout(seconds(value(args, ++i, arg), arg));
                case "--session-days" -> b.sessionLifetime(Duration.ofDays(positiveInt(value(args, ++i, arg), arg)));
                case "--single-session" -> b.singleSession(true);
                case "--durability" -> b.durability(durability(value(args, ++i, arg)));
                case "--file-max-size" -> b.fileMaxSize(positiveLong(value(args, ++i, arg), arg));
                case "--file-quota" -> b.fileQuota(positiveLong(value(args, ++i, arg), arg));
                case "--file-days" -> b.fileDays(positiveInt(value(args, ++i, arg), arg));
                case "--file-idle" -> b.fileIdle(seconds(value(args, ++i, arg), arg));
                case "--files" -> b.files(Path.of(value(args, ++i, arg)));
                case "--retention-days" -> b.retentionDays(nonNegativeInt(value(args, ++i, arg), arg));
                case "--admins" -> b.admins(java.util.Arrays.asList(value(args, ++i, arg).split(",", -1)));
                case "--tls-cert" -> b.tlsCert(Path.of(value(args, ++i, arg)));
                case "--tls-key" -> b.tlsKey(Path.of(value(args, ++i, arg)));
                case "--require-tls" -> b.requireTls(true);
                case "--tls-handshake-timeout" -> b.tlsHandshakeTimeout(seconds(value(args, ++i, arg), arg));
                case "--pbkdf2-iterations" -> b.pbkdf2Iterations(positiveInt(value(args, ++i, arg), arg));
                case "--hash-queue" -> b.hashQueue(nonNegativeInt(value(args, ++i, arg), arg));
                case "--hash-per-address" -> b.hashPerAddress(positiveInt(value(args, ++i, arg), arg));
                case "--register-limit" -> b.registerLimit(positiveInt(value(args, ++i, arg), arg));
                case "--register-window" -> b.registerWindow(Duration.ofMinutes(positiveInt(value(args, ++i, arg), arg)));
                case "--log-level" -> b.logLevel(Logging.checkLevel(value(args, ++i, arg)));
                case "--cluster" -> cluster = value(args, ++i, arg);
                case "--node-id" -> nodeId = value(args, ++i, arg);
                case "--cluster-heartbeat" -> heartbeat = ClusterSettings.duration(value(args, ++i, arg), arg);
                case "--cluster-ttl" -> ttl = ClusterSettings.duration(value(args, ++i, arg), arg);
                default -> {
                    if (arg.startsWith("-")) {
                        throw new IllegalArgumentException("unknown option " + arg);
                    }
                    if (port != null) {
                        throw new IllegalArgumentException("unexpected argument " + arg);
                    }
                    port = parsePort(arg);
                }
            }
        }
        if (port == null) {
            throw new IllegalArgumentException("missing PORT");
        }
        if (cluster != null) {
            b.cluster(new ClusterSettings(cluster, nodeId,
                    heartbeat == null ? ClusterSettings.DEFAULT_HEARTBEAT : heartbeat,
                    ttl == null ? ClusterSettings.DEFAULT_TTL : ttl));
        } else if (nodeId != null || heartbeat != null || ttl != null) {
            throw new IllegalArgumentException("--node-id, --cluster-heartbeat and --cluster-ttl go with --cluster");
        }
        return b.port(port).build();
    }

    private static Database.Durability durability(String value) {
        return switch (value) {
            case "normal" -> Database.Durability.NORMAL;
            case "fsync" -> Database.Durability.FSYNC;
            default -> throw new IllegalArgumentException("--durability is normal or fsync, not " + value);
        };
    }

    private static Duration seconds(String s, String option) {
        return Duration.ofSeconds(positiveInt(s, option));
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int parsePort(String s) {
        try {
            int port = Integer.parseInt(s);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("PORT must be a number from 0 to 65535, not " + s);
    }

    private static long positiveLong(String s, String option) {
        try {
            long n = Long.parseLong(s);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException(option + " must be a positive number of bytes, not " + s);
    }

    private static int nonNegativeInt(String s, String option) {
        try {
            int n = Integer.parseInt(s);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException(option + " must be 0 or a positive integer, not " + s);
    }

    private static int positiveInt(String s, String option) {
        try {
            int n = Integer.parseInt(s);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException(option + " must be a positive integer, not " + s);
    }
}
