package chat.server.cluster;

import chat.common.proto.Item;
import chat.common.proto.Line;
import chat.common.proto.ProtocolException;
import chat.common.proto.Push;
import chat.common.wire.Resp;
import chat.server.config.ClusterSettings;
import chat.server.hub.Hub;
import chat.server.hub.OnlineUser;
import chat.server.hub.Router;
import chat.server.hub.Rooms;
import chat.server.hub.Session;
import chat.server.reactor.Reactor;
import chat.server.store.Store;
import chat.server.store.Workers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * This server as one node of several: the links to Redis, the bus between the nodes, the
 * directory of who is online where, the positions that keep ids in order, and the reaping of dead
 * nodes. The database is the truth; the bus is only a doorbell (docs/ARCHITECTURE.md, "Several
 * nodes"). Reactor thread only, but for {@link #catchUpBound} and the start and stop calls.
 */
public final class Cluster implements Router, RedisLink.Listener {

    private static final System.Logger LOG = System.getLogger(Cluster.class.getName());

    /** The hold on a dead node's reaping, so that one survivor reaps it and the others wait. */
    static final long REAP_LOCK_MILLIS = 30_000;

    /** What the node asks of the rest of the server. */
    public interface Host {
        /** The node found it was reaped: it must close every client connection and stop. */
        void fenced(String why);

        /** Closes the sessions of {@code userId} on this node of device {@code deviceId} (0: all): REPLACE. */
        void replace(long userId, long deviceId, String why);

        /** Legacy lobby traffic from another node: a line said ({@code text} not null) or a coming or going. */
        void lobby(String name, String text, boolean came);

        /** A login budget charged on another node ({@link #charge}'s arguments): charge it here too. */
        void charged(int budget, String key, String address, boolean newToAddress);

        /** This node's connections as CONNECTIONS lists them (qualified ids). */
        List<Item.ConnectionInfo> connectionsHere();

        /**
         * An admin on another node asks to close this node's connection {@code qualifiedId}: what
         * was closed ({@code user address}), or null when there is no such connection.
         */
        String disconnectHere(long qualifiedId, String admin);

        /** A ban made ({@code lifted} false) or lifted on another node ({@code userId}: 0 for an address's). */
        void banned(Store.Ban ban, long userId, boolean lifted);

        /**
         * A resync begins: bus messages may have been lost (the subscriber link was down, a gap,
         * Redis restarted). What the node keeps from the bus alone and the database also has (the
         * bans) is read again.
         */
        void resyncing();

        /**
         * {@code node} is down (reaped): {@code lobby} are the names its lobby members went by, one
         * per member, who are gone with it.
         */
        void nodeDown(String node, List<String> lobby);
    }

    private final ClusterSettings settings;
    private final RedisAddress address;
    private final String id;
    private final String prefix;
    private final String inbox;
    private final String all;
    private final Reactor reactor;
    private final Hub hub;
    private final Rooms rooms;
    private final Store store;
    private final Workers workers;
    private final Host host;
    private final Positions positions;
    private final Releases releases;
    /** Other nodes' sessions: user id to node to how many. */
    private final Map<Long, Map<String, Integer>> directory = new HashMap<>();
    /** The names of the users in the directory, for the presence pushes their going causes. */
    private final Map<Long, String> names = new HashMap<>();
    /** The last sequence number seen per origin and channel ("node/all", "node/inbox"). */
    private final Map<String, Long> lastSeq = new HashMap<>();
    /** Our own sequence numbers, per channel we publish on. */
    private final Map<String, Long> seqs = new HashMap<>();
    /** The lobby's members on each node, this one's too (the lobby's member list is the cluster's). */
    private final Lobbies lobbies = new Lobbies();
    /** Nodes known reaped: what they still send is dropped. */
    private final Set<String> dead = new HashSet<>();
    private final Set<String> awaitingWelcome = new HashSet<>();
    private final CountDownLatch joined = new CountDownLatch(1);
    private final ScheduledExecutorService timer;
    /** Blocking work of the reaper (KILL CONNECTION): never on the reactor. */
    private final ExecutorService reaper;

    private RedisLink command;
    private RedisLink subscriber;
    private String epoch;
    /** Reactor clock when the epoch was last (re)established: no reaping for a ttl after it. */
    private long epochSince;
    /**
     * Reactor clock when the command link last came up, or last answered after a stall (Redis
     * hung, a partition): no reaping for a ttl after it. Every node's heartbeat key may have
     * expired meanwhile, though the nodes live: they need a ttl of working link to set it again.
     */
    private long linkSince;
    private long announced = -1;
    /** Local accounts being read again after another node's event: releases wait until they are. */
    private int refreshing;
    /** A resync waits for a position from every other node ({@link #resyncAll}). */
    private boolean resyncPending;
    private final Set<String> heardSince = new HashSet<>();
    /**
     * A resync also waits until released reaches {@code MAX(id)} as read when it was asked for
     * (after a reaped node's connection was killed, whatever it committed is there, doorbell or
     * not), and for those reads.
     */
    private long resyncTarget;
    private int targetReads;
    /**
     * The pending resync has read {@code MAX(id)} again since every other node spoke: a node whose
     * link came back after this one's committed, its doorbells lost, after the first read.
     */
    private boolean readOnceHeard;
    /**
     * Released when the last resync ran: a catch-up page read below it, by a session that was not
     * in the hub yet (logging in), may lack what the resync was for, so it reads again.
     */
    private long resyncedUpTo;
    /** The highest dropped push ({@link Releases#dropped}) a resync was asked for. */
    private long droppedResynced;
    private boolean announcing;
    /**
     * The other live nodes are counted (HELLO's reply): until then safe is this node's own
     * position alone, and nothing may be released (released never goes back).
     */
    private boolean counted;
    private boolean registeredOnce;
    private boolean fenced;
    private long resyncs;
    private long published;
    private long received;
    private long charges;
    /** Local accounts read again for an event from another node ({@link #refresh}). */
    private long refreshes;
    /** This start's number in cluster_slots: the high half of the connection ids ({@link #qualify}). */
    private volatile long slot; // set on the starting thread, before the reactor reads it
    private long requests;
    private final Map<Long, Gathering> gatherings = new HashMap<>();
    private final Map<Long, Consumer<String>> disconnects = new HashMap<>();
    private volatile boolean stopped;

    public Cluster(ClusterSettings settings, Reactor reactor, Hub hub, Rooms rooms, Store store, Workers workers,
            Host host) {
        this.settings = settings;
        this.address = RedisAddress.parse(settings.redisUrl());
        // This start of the node: a restart with the same --node-id is a new node, which the
        // others do not take for its reaped former self (whose row and envelopes stay refused).
        this.id = settings.nodeId() + "." + Long.toString(System.currentTimeMillis(), 36);
        this.prefix = address.prefix();
        this.inbox = prefix + ":node:" + id;
        this.all = prefix + ":all";
        this.reactor = reactor;
        this.hub = hub;
        this.rooms = rooms;
        this.store = store;
        this.workers = workers;
        this.host = host;
        long newest = store.newestMessageId();
        this.positions = new Positions(newest);
        this.releases = new Releases(0); // released rises to safe once the other nodes are counted (counted)
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "cluster-heartbeat"));
        this.reaper = Executors.newSingleThreadExecutor(r -> daemon(r, "cluster-reaper"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public String id() {
        return id;
    }

    public Positions positions() {
        return positions;
    }

    /**
     * Registers this node in the database (its writer's connection, which a reaper kills) and
     * fences the writer: a connection it opens after this node was reaped is refused, and so is a
     * commit. Forgets the nodes gone for a day ({@link ClusterNodes#forget}).
     */
    public void registerInDatabase() {
        long now = System.currentTimeMillis();
        int forgotten = store.onConnection("creating cluster_nodes", c -> {
            ClusterNodes.create(c);
            return ClusterNodes.forget(c, now - ClusterNodes.FORGET_AFTER_MILLIS);
        });
        if (forgotten > 0) {
            LOG.log(Level.INFO, "node " + id + " - forgot " + forgotten + " nodes gone for a day (cluster_nodes)");
        }
        slot = store.onConnection("taking a slot in cluster_slots", c -> ClusterNodes.slot(c, id));
        store.writerHooks(new Store.WriterHooks() {
            /** Set on the writer once its first connection is registered: later ones must find the row. */
            private boolean registered;

            @Override
            public void opened(Connection c) throws SQLException {
                if (!ClusterNodes.register(c, id, System.currentTimeMillis(), !registered)) {
                    throw writerReaped("write");
                }
                registered = true;
            }

            @Override
            public void beforeCommit(Connection c) throws SQLException {
                if (!ClusterNodes.stillMember(c, id)) {
                    c.abort(Runnable::run); // no write of this node's may commit any more, alone or not
                    throw writerReaped("commit");
                }
            }
        });
        workers.hooks(positions.hooks(() -> {
            release();
            maybeResync(); // a resync may wait for released to reach its target
        }));
        // The writer's first use of its connection under the hooks, now: it registers it, even a
        // connection the writer opened before the hooks were set (the search indexer's first tick,
        // 100 ms after the workers start, often comes first on a busy machine). Unregistered, the
        // reaper's KILL would find no connection to kill, and a node woken from SIGSTOP would go
        // on with its open transaction.
        var done = new CountDownLatch(1);
        workers.write(() -> store.newestMessageId(), (n, failed) -> done.countDown());
        try {
            done.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The writer found this node reaped (its row in cluster_nodes): it fences, and may not {@code what}. */
    private SQLException writerReaped(String what) {
        reactor.execute(() -> fence("this node was reaped (its row in cluster_nodes)"));
        return new SQLException("node " + id + " was reaped: it may not " + what);
    }

    /** Opens the links and joins (HELLO, WELCOMEs); waits until joined or a ttl has passed. */
    public void start() throws InterruptedException {
        reactor.execute(() -> {
            command = RedisLink.open(reactor, address, "chat-" + id + "-cmd", this);
            subscriber = RedisLink.open(reactor, address, "chat-" + id + "-sub", this);
            subscriber.subscribe(List.of(inbox, all), this::subscribed);
        });
        long every = settings.heartbeat().toMillis();
        try {
            timer.scheduleWithFixedDelay(() -> reactor.execute(this::beat), every, every, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return; // fenced already (its writer found it reaped): stop() shut the timer, the server stops
        }
        if (!joined.await(settings.ttl().toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
            LOG.log(Level.WARNING, "node " + id + " - not every node answered HELLO; going on (the silent ones are"
                    + " counted at position 0 until they speak or are reaped)");
        }
    }

    /**
     * Stops the timers; the links close with the reactor. Says nothing: the others reap this node.
     * A {@link #start} waiting to join returns.
     */
    public void stop() {
        stopped = true;
        timer.shutdownNow();
        reaper.shutdownNow();
        joined.countDown();
    }

    /**
     * A clean stop, after {@link #stoppedWriting}: this node takes itself out of Redis and tells
     * the others it is gone, as its reaper would (a {@code NODE_DOWN} of its own), so that they
     * treat it as gone at once, with no reap to race its last writes. (Should the word be lost,
     * its heartbeat key is gone too: they reap it at their next heartbeat, which its finished
     * writer no longer minds.) Then stops. Any thread while the reactor runs; waits up to a second.
     */
    public void leave() {
        var done = new CountDownLatch(1);
        reactor.execute(() -> {
            if (command != null && command.isUp()) {
                forget(id);
                command.call(r -> done.countDown(), "PING");
            } else {
                done.countDown();
            }
        });
        try {
            done.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stop();
    }

    /**
     * A clean stop, once the writer has stopped (its last write done): this start's row in
     * cluster_nodes says it is gone, so that it is forgotten a day later even when nobody reaps
     * it (the last node of a cluster). A failure is logged: the row then stays.
     */
    public void stoppedWriting() {
        try {
            store.onConnection("marking node " + id + " stopped", c -> {
                ClusterNodes.stopped(c, id, System.currentTimeMillis());
                return null;
            });
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "node " + id + " - marking this node stopped in cluster_nodes: " + e.getMessage());
        }
    }

    private String key(String kind, String node) {
        return prefix + ":" + kind + ":" + node;
    }

    // ---- links -------------------------------------------------------------------------------

    @Override
    public void onUp(RedisLink link) {
        if (link == command) {
            linkSince = reactor.now();
            register();
        }
    }

    @Override
    public void onDown(RedisLink link, String why) {
        LOG.log(Level.WARNING, "node " + id + " - Redis link " + link + " down: " + why);
    }

    /** The subscriber is (again) subscribed: rebuild the directory, and resync if it is not the first time. */
    private void subscribed() {
        LOG.log(Level.DEBUG, () -> "node " + id + " - subscribed to " + inbox + ", " + all);
        lastSeq.clear();
        if (registeredOnce) {
            resyncAll("the subscriber link came back");
        }
        rebuild();
        if (!registeredOnce) {
            registeredOnce = true;
            hello();
        }
    }

    /** Puts this node, its heartbeat and its sessions (back) into Redis. */
    private void register() {
        // A fresh value: after Redis lost its data the first node back sets a new epoch, so every
        // node sees the change (and nobody is reaped while the live ones register again).
        String mine = id + "-" + System.nanoTime();
        command.call(r -> {
            command.call(e -> {
                String now = e instanceof Resp.Bulk b && !b.isNil() ? b.text() : null;
                if (epoch != null && !epoch.equals(now)) {
                    LOG.log(Level.WARNING, "node " + id + " - Redis lost its data (epoch " + epoch + " -> " + now
                            + "): registering again, resyncing");
                    epochSince = reactor.now();
                    resyncAll("Redis restarted");
                }
                if (epoch == null) {
                    epochSince = reactor.now();
                }
                epoch = now;
            }, "GET", prefix + ":epoch");
        }, "SET", prefix + ":epoch", mine, "NX");
        command.call(r -> {}, "SADD", prefix + ":nodes", id);
        heartbeatKey();
        command.call(r -> {}, "DEL", key("sessions", id));
        for (OnlineUser u : hub.users()) {
            command.call(r -> {}, "HSET", key("sessions", id), Long.toString(u.userId), u.size() + " " + u.get(0).name);
        }
        command.call(r -> {}, "DEL", key("lobby", id));
        // Told again too: a node whose rebuild read this hash before it was set again (Redis came
        // back empty) is subscribed by then, and hears it.
        lobbies.of(id).forEach(this::lobbyCount);
    }

    private void heartbeatKey() {
        command.call(r -> {}, "SET", key("hb", id), "1", "PX", Long.toString(settings.ttl().toMillis()));
    }

    private void hello() {
        command.call(reply -> {
            LOG.log(Level.DEBUG, () -> "node " + id + " - nodes: " + reply);
            if (reply instanceof Resp.Array a && !a.isNil()) {
                List<String> others = new ArrayList<>();
                for (Resp.Value v : a.items()) {
                    if (v instanceof Resp.Bulk b && !b.isNil() && !b.text().equals(id)) {
                        others.add(b.text());
                    }
                }
                checkAlive(others, alive -> {
                    for (String n : alive) {
                        positions.announced(n, 0); // counted until it speaks or is reaped
                        awaitingWelcome.add(n);
                    }
                    counted = true;
                    release();
                    publish(all, Envelope.Kind.HELLO, positions.own(), 0, null, null, null);
                    if (awaitingWelcome.isEmpty()) {
                        joined();
                    }
                });
            } else {
                counted = true;
                publish(all, Envelope.Kind.HELLO, positions.own(), 0, null, null, null);
                joined();
                release();
            }
        }, "SMEMBERS", prefix + ":nodes");
    }

    private void joined() {
        if (joined.getCount() > 0) {
            LOG.log(Level.INFO, "node " + id + " joined; others: " + positions.others().keySet());
            joined.countDown();
        }
    }

    /** Calls {@code then} with those of {@code nodes} whose heartbeat key exists. */
    private void checkAlive(List<String> nodes, java.util.function.Consumer<List<String>> then) {
        if (nodes.isEmpty()) {
            then.accept(List.of());
            return;
        }
        List<String> alive = new ArrayList<>();
        int[] left = {nodes.size()};
        for (String n : nodes) {
            command.call(r -> {
                if (r instanceof Resp.Int i && i.value() > 0) {
                    alive.add(n);
                }
                if (--left[0] == 0) {
                    then.accept(alive);
                }
            }, "EXISTS", key("hb", n));
        }
    }

    /** Rebuilds the directory from every node's sessions hash. */
    private void rebuild() {
        if (command == null || !command.isUp()) {
            return;
        }
        command.call(reply -> {
            if (!(reply instanceof Resp.Array a) || a.isNil()) {
                return;
            }
            Set<String> members = new HashSet<>();
            for (Resp.Value v : a.items()) {
                if (v instanceof Resp.Bulk b && !b.isNil() && !b.text().equals(id)) {
                    members.add(b.text());
                }
            }
            for (String n : members) {
                command.call(h -> {
                    if (h instanceof Resp.Array pairs && !pairs.isNil()) {
                        replaceNode(n, pairs.items());
                    }
                }, "HGETALL", key("sessions", n));
                command.call(h -> {
                    if (h instanceof Resp.Array pairs && !pairs.isNil()) {
                        replaceLobby(n, pairs.items());
                    }
                }, "HGETALL", key("lobby", n));
            }
        }, "SMEMBERS", prefix + ":nodes");
    }

    /** The node's sessions as its hash says: the directory's entries for it are replaced. */
    private void replaceNode(String node, List<Resp.Value> pairs) {
        Map<Long, Integer> now = new HashMap<>();
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            try {
                long user = Long.parseLong(((Resp.Bulk) pairs.get(i)).text());
                String[] v = ((Resp.Bulk) pairs.get(i + 1)).text().split(" ", 2);
                now.put(user, Integer.parseInt(v[0]));
                if (v.length > 1) {
                    names.put(user, v[1]);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "node " + id + " - a bad sessions entry of " + node + ": " + e);
            }
        }
        for (long user : new ArrayList<>(directory.keySet())) {
            if (directory.get(user).containsKey(node) && !now.containsKey(user)) {
                sessions(node, user, 0, null, true);
            }
        }
        now.forEach((user, n) -> sessions(node, user, n, null, false));
    }

    /** The node's lobby members as its hash says. */
    private void replaceLobby(String node, List<Resp.Value> pairs) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            try {
                counts.put(((Resp.Bulk) pairs.get(i)).text(), Integer.parseInt(((Resp.Bulk) pairs.get(i + 1)).text()));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "node " + id + " - a bad lobby entry of " + node + ": " + e);
            }
        }
        lobbies.replace(node, counts);
    }

    @Override
    public void onMessage(RedisLink link, String channel, byte[] payload) {
        Envelope e;
        try {
            e = Envelope.decode(payload);
        } catch (IllegalArgumentException bad) {
            LOG.log(Level.WARNING, "node " + id + " - a bus message that does not decode on " + channel + ": "
                    + bad.getMessage());
            return;
        }
        if (e.origin().equals(id) || dead.contains(e.origin()) || fenced) {
            return;
        }
        received++;
        String k = e.origin() + (channel.equals(all) ? "/all" : "/inbox");
        Long last = lastSeq.put(k, e.seq());
        if (last != null && e.seq() != last + 1) {
            resyncAll("a gap in " + k + " (" + last + " then " + e.seq() + ")");
        }
        if (!positions.has(e.origin()) && e.kind() != Envelope.Kind.NODE_DOWN) {
            positions.announced(e.origin(), 0); // a node we had not heard of: counted from now
        }
        switch (e.kind()) {
            case HELLO -> {
                positions.announced(e.origin(), e.a());
                publish(key("node", e.origin()), Envelope.Kind.WELCOME, positions.own(), 0, null, null, null);
            }
            case WELCOME -> {
                positions.announced(e.origin(), e.a());
                heardSince.add(e.origin());
                if (awaitingWelcome.remove(e.origin()) && awaitingWelcome.isEmpty()) {
                    joined();
                }
            }
            case POS -> {
                positions.announced(e.origin(), e.a());
                heardSince.add(e.origin());
            }
            // Kept even for accounts and groups with no session here: one logging in now takes it
            // from the ring once its catch-up is read.
            case DELIVER -> {
                positions.learn(e.a());
                releases.add(releases.users(e.a(), e.ids(), null, e.b(), e.bytes()), this::out);
                if (isEvent(e.bytes())) {
                    for (long user : e.ids()) {
                        if (changesWhatIsKept(user, e.bytes())) {
                            refresh(user);
                        }
                    }
                }
            }
            case GROUP -> {
                positions.learn(e.a());
                if (e.ids().length == 1) {
                    releases.add(releases.group(e.a(), e.ids()[0], e.b(), null, e.bytes()), this::out);
                }
            }
            case NOTIFY -> {
                for (long user : e.ids()) {
                    hub.notifyHere(user, e.bytes(), null);
                }
            }
            case GROUP_NOTIFY -> {
                if (e.ids().length == 1) {
                    rooms.notifyHere(e.ids()[0], e.bytes(), null);
                }
            }
            case LOBBY -> host.lobby(e.text(), e.a() == 0 ? new String(e.bytes(), StandardCharsets.UTF_8) : null,
                    e.a() == 1);
            case SESSIONS -> {
                if (e.ids().length == 1) {
                    sessions(e.origin(), e.ids()[0], (int) e.a(), e.text(), false); // its node tells the friends
                }
            }
            case REPLACE -> {
                if (e.ids().length == 1) {
                    host.replace(e.ids()[0], e.a(), "logged in again on another server");
                }
            }
            case CHARGE -> {
                charges++;
                host.charged((int) e.a(), e.text(), e.bytes().length == 0 ? null
                        : new String(e.bytes(), StandardCharsets.UTF_8), e.b() == 1);
            }
            case CONNECTIONS -> publish(key("node", e.origin()), Envelope.Kind.TABLE, e.a(), 0, null, null,
                    encode(host.connectionsHere()));
            case TABLE -> {
                Gathering g = gatherings.get(e.a());
                if (g != null && g.waiting().remove(e.origin())) {
                    try {
                        g.items().addAll(decode(e.bytes()));
                    } catch (IllegalArgumentException bad) {
                        LOG.log(Level.WARNING, "node " + id + " - a connection table of " + e.origin()
                                + " that does not decode: " + bad.getMessage());
                    }
                    if (g.waiting().isEmpty()) {
                        gatherings.remove(e.a());
                        g.then().accept(g.items());
                    }
                }
            }
            case DISCONNECT -> {
                long mine = local(e.a());
                if (mine >= 0) {
                    String who = host.disconnectHere(e.a(), e.text());
                    publish(key("node", e.origin()), Envelope.Kind.DISCONNECTED, e.b(), who == null ? 0 : 1, null, who,
                            null);
                }
            }
            case DISCONNECTED -> {
                Consumer<String> waiting = disconnects.remove(e.a());
                if (waiting != null) {
                    waiting.accept(e.b() == 1 ? e.text() : null);
                }
            }
            case BAN -> banned(e);
            case LOBBY_COUNT -> lobbies.set(e.origin(), e.text(), (int) e.a());
            case NODE_DOWN -> {
                if (e.text().equals(id)) {
                    fence("reaped by " + e.origin());
                } else {
                    nodeDown(e.text());
                }
            }
        }
        release();
        maybeResync();
    }

    private static final byte[] MESSAGE = "MESSAGE:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FILE = "FILE:".getBytes(StandardCharsets.US_ASCII);

    /** Whether a stored push is an event (a friendship, a membership, a block changed), not a message. */
    static boolean isEvent(byte[] line) {
        return !startsWith(line, MESSAGE) && !startsWith(line, FILE);
    }

    private static final byte[] GROUP_JOINED = "GROUP_JOINED:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GROUP_LEFT = "GROUP_LEFT:".getBytes(StandardCharsets.US_ASCII);

    /**
     * Whether an event for a local account changes what this node keeps of it (its friends, its
     * blocks, its groups' rooms), so that it must be read again. A member's joining or leaving is
     * told to every member, but changes only that member's rooms: reading every member again at
     * each join made a group's growth quadratic in reads on the other nodes (a million for a
     * 2,000-member group), with every release held while they ran.
     */
    private boolean changesWhatIsKept(long userId, byte[] event) {
        List<Session> here = hub.sessions(userId);
        if (here.isEmpty()) {
            return false; // nothing kept of it here
        }
        String moved = memberMoved(event);
        return moved == null || moved.equals(here.get(0).name);
    }

    /** Who joined or left, in a {@code GROUP_JOINED} or {@code GROUP_LEFT} line; null for any other line. */
    static String memberMoved(byte[] line) {
        if (!startsWith(line, GROUP_JOINED) && !startsWith(line, GROUP_LEFT)) {
            return null;
        }
        int end = line.length;
        while (end > 0 && (line[end - 1] == '\n' || line[end - 1] == '\r')) {
            end--;
        }
        try {
            Push p = Push.parse(Line.parse(new String(line, 0, end, StandardCharsets.UTF_8)));
            if (p instanceof Push.GroupJoined j) {
                return j.who();
            }
            return p instanceof Push.GroupLeft l ? l.who() : null;
        } catch (ProtocolException | IllegalArgumentException e) {
            return null; // not understood: read the account again, as for any event
        }
    }

    private static boolean startsWith(byte[] line, byte[] head) {
        if (line.length < head.length) {
            return false;
        }
        for (int i = 0; i < head.length; i++) {
            if (line[i] != head[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * An event from another node changed what this node keeps of a local account (its friends,
     * its blocks, its groups' rooms): read them again and follow. The event is committed (its
     * doorbell rings after the commit), so the read sees it.
     *
     * <p>The read runs on the writer, not on a reader: this node's own changes to those sets (an
     * ACCEPT here, a JOIN here) are made in writer callbacks, and the writer answers in the order
     * of its queue, so the read's result never lands after a local change it did not see. On a
     * reader it could: read before a local ACCEPT committed, applied after its callback had added
     * the friend, it took the friend away again, and the account's going offline was then told to
     * nobody (ClusterFailureTest, under load: "ann sees cy offline").
     */
    private void refresh(long userId) {
        if (hub.get(userId) == null) {
            return;
        }
        // Releases wait meanwhile, so that a group message after the event finds the room as the
        // event left it (events are rare; a read costs a millisecond or two).
        boolean queued = workers.write(() -> new Loaded(store.friends(userId), store.groupsOf(userId),
                store.blocked(userId)), (loaded, failed) -> {
                    refreshing--;
                    try {
                        refreshed(userId, loaded, failed);
                    } finally {
                        release();
                        maybeResync(); // a resync may wait for released to reach its target
                    }
                });
        // Counted after the call, which is safe: the callback runs on this thread, later. A read
        // refused (the workers closed, stopping) is no read to wait for: counted, it held every
        // release for good.
        if (queued) {
            refreshing++;
            refreshes++;
        }
    }

    private void refreshed(long userId, Loaded loaded, Throwable failed) {
        OnlineUser u = hub.get(userId);
        if (failed != null) {
            LOG.log(Level.WARNING, "node " + id + " - reading user #" + userId + " again: " + failed);
        }
        if (failed != null || u == null) {
            return;
        }
        u.friends.clear();
        loaded.friends.forEach(f -> u.friends.add(f.id()));
        u.blocked.clear();
        loaded.blocked.forEach(b -> u.blocked.add(b.id()));
        Set<Long> groups = new HashSet<>();
        loaded.groups.forEach(g -> groups.add(g.id()));
        for (Session s : hub.sessions(userId)) {
            for (long g : new ArrayList<>(s.groups)) {
                if (g != 0 && !groups.contains(g)) { // 0: the lobby, which is no stored membership
                    rooms.exit(g, s);
                }
            }
            for (Store.Group g : loaded.groups) {
                if (!s.groups.contains(g.id())) {
                    rooms.enter(g.id(), g.name(), s);
                }
            }
        }
    }

    private record Loaded(List<Store.Friend> friends, List<Store.Group> groups, List<Store.Blocked> blocked) {}

    /** A pushed line on its way to this node's sessions, released in order. */
    private void out(Releases.Push p) {
        if (p.users() != null) {
            for (long user : p.users()) {
                hub.deliverHere(user, p.id(), p.line(), p.except(), p.receiptFrom());
            }
        } else {
            rooms.publishHere(p.groupId(), p.id(), p.line(), p.except(), p.sender());
        }
    }

    /** Releases what safe now allows, and announces this node's position if it rose. */
    private void release() {
        if (refreshing == 0 && counted) {
            releases.release(positions.safe(), this::out);
        }
        if (releases.dropped() > droppedResynced && !resyncPending) {
            // The reorder buffer was full: the dropped pushes are in the database, a resync reads them.
            droppedResynced = releases.dropped();
            resyncAll("the reorder buffer was full up to id " + droppedResynced);
        }
        if (positions.own() > announced && !announcing) {
            announcing = true;
            reactor.execute(this::announce); // once per round of tasks, after the doorbells queued before
        }
    }

    private void announce() {
        announcing = false;
        long p = positions.own();
        if (p > announced) {
            announced = p;
            publish(all, Envelope.Kind.POS, p, 0, null, null, null);
        }
    }

    private void publish(String channel, Envelope.Kind kind, long a, long b, long[] ids, String text, byte[] bytes) {
        if (command == null || fenced) {
            return;
        }
        long seq = seqs.merge(channel, 1L, Long::sum);
        byte[] payload = new Envelope(kind, id, seq, a, b, ids, text, bytes).encode();
        published++;
        command.call(r -> {}, "PUBLISH".getBytes(StandardCharsets.UTF_8), channel.getBytes(StandardCharsets.UTF_8),
                payload);
    }

    // ---- the router --------------------------------------------------------------------------

    @Override
    public void deliver(long userId, long id, byte[] line, Session except, long receiptFrom) {
        positions.learn(id);
        long[] to = {userId};
        // Kept even when the account has no session here: a device of it logging in now takes it
        // from the ring once its catch-up is read.
        releases.add(releases.users(id, to, except, receiptFrom, line), this::out);
        Map<String, Integer> where = directory.get(userId);
        if (where == null || where.isEmpty()) {
            // Not known online elsewhere: it may be logging in somewhere right now, so every node hears.
            publish(all, Envelope.Kind.DELIVER, id, receiptFrom, to, null, line);
        } else {
            for (String node : where.keySet()) {
                publish(key("node", node), Envelope.Kind.DELIVER, id, receiptFrom, to, null, line);
            }
        }
        release();
    }

    @Override
    public void publish(long groupId, long id, byte[] line, Session except, long senderId) {
        positions.learn(id);
        releases.add(releases.group(id, groupId, senderId, except, line), this::out);
        publish(all, Envelope.Kind.GROUP, id, senderId, new long[] {groupId}, null, line);
        release();
    }

    @Override
    public void notify(long userId, byte[] line, Session except) {
        hub.notifyHere(userId, line, except);
        Map<String, Integer> where = directory.get(userId);
        if (where != null) {
            long[] to = {userId};
            for (String node : where.keySet()) {
                publish(key("node", node), Envelope.Kind.NOTIFY, 0, 0, to, null, line);
            }
        }
    }

    @Override
    public void notifyGroup(long groupId, byte[] line, Session except) {
        rooms.notifyHere(groupId, line, except);
        publish(all, Envelope.Kind.GROUP_NOTIFY, 0, 0, new long[] {groupId}, null, line);
    }

    @Override
    public boolean onlineElsewhere(long userId) {
        Map<String, Integer> where = directory.get(userId);
        return where != null && !where.isEmpty();
    }

    @Override
    public long catchUpBound() {
        return releases.released();
    }

    @Override
    public boolean caughtUp(Session s, long bound) {
        if (bound < resyncedUpTo) {
            return false; // read before a resync that this session, not in the hub yet, may have missed
        }
        if (resyncPending) {
            // A doorbell may be lost: the ring may lack it, and what it has would raise the
            // session's highest pushed id past it. The resync reads on from here.
            hold(s);
            return true;
        }
        return releases.since(bound, s, p -> {
            s.connection.write(p.line());
            s.pushed(p.id());
            if (p.receiptFrom() != 0) {
                s.awaitReceipt(p.id(), p.receiptFrom());
            }
        });
    }

    /** Legacy lobby traffic for the other nodes' legacy clients: a line said, or a name that came or went. */
    public void lobby(String name, String text, boolean came) {
        publish(all, Envelope.Kind.LOBBY, text != null ? 0 : came ? 1 : 2, 0, null, name,
                text == null ? null : text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@code members} of this node's lobby members go by {@code name} now (0: none): kept in this
     * node's hash, for a node that joins or whose link comes back, and told to the others.
     */
    public void lobbyCount(String name, int members) {
        lobbies.set(id, name, members);
        if (command == null) {
            return;
        }
        if (members > 0) {
            command.call(r -> {}, "HSET", key("lobby", id), name, Integer.toString(members));
        } else {
            command.call(r -> {}, "HDEL", key("lobby", id), name);
        }
        publish(all, Envelope.Kind.LOBBY_COUNT, members, 0, null, name, null);
    }

    /** The lobby's members on the other nodes: legacy clients (marked), one per connection, then the accounts. */
    public List<String> lobbyElsewhere() {
        return lobbies.names(id);
    }

    /**
     * Keeps {@code grant} under {@code token} and makes it {@code key}'s token, deleting the token
     * {@code key} had before, in one step: a client given the new token may try the old one at
     * once, on another node.
     */
    private static final String KEEP_TOKEN = """
            local old = redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3], 'GET')
            if old and old ~= ARGV[1] then redis.call('DEL', ARGV[4] .. old) end
            redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
            return 1""";

    /**
     * Keeps a file transfer's token for every node (a data connection may reach any), for
     * {@code millis}: {@code PREFIX:token:<token>} holds {@code grant}, and {@code PREFIX:grant:<key>}
     * the token last issued for {@code key}, whose predecessor is deleted ({@link #KEEP_TOKEN}).
     * Written before the reply that carries the token.
     */
    public void keepToken(String token, String key, String grant, long millis) {
        if (command == null) {
            return;
        }
        command.call(r -> {
            if (r instanceof Resp.Err e) {
                LOG.log(Level.WARNING, "node " + id + " - keeping a file token: " + e.message());
            }
        }, "EVAL", KEEP_TOKEN, "2", key("grant", key), key("token", token), token, grant, Long.toString(millis),
                prefix + ":token:");
    }

    /** Takes a token kept by {@link #keepToken} (on any node), once: {@code then} gets its grant, or null. */
    public void takeToken(String token, Consumer<String> then) {
        if (command == null) {
            then.accept(null);
            return;
        }
        command.call(r -> then.accept(r instanceof Resp.Bulk b && !b.isNil() ? b.text() : null), "GETDEL",
                key("token", token));
    }

    /**
     * A login budget was charged here ({@code budget}: which, as the command side numbers them;
     * {@code key}: an account or an address; {@code address}: a wrong password's, or null): every
     * other node charges it too, so that throttling holds across the cluster.
     */
    public void charge(int budget, String key, String address, boolean newToAddress) {
        publish(all, Envelope.Kind.CHARGE, budget, newToAddress ? 1 : 0, null, key,
                address == null ? null : address.getBytes(StandardCharsets.UTF_8));
    }

    // ---- the connection table across the nodes (admin CONNECTIONS, DISCONNECT) -----------------

    /** How long CONNECTIONS and DISCONNECT wait for the other nodes' answers. */
    static final long ANSWER_MILLIS = 1_000;

    /** A CONNECTIONS waiting for the other nodes' tables. */
    private record Gathering(List<Item.ConnectionInfo> items, Set<String> waiting,
            Consumer<List<Item.ConnectionInfo>> then) {}

    /**
     * The id an admin knows a connection of this node by: this start's slot in the high 32 bits
     * ({@code cluster_slots}), the reactor's number in the low ones, so that ids are unique across
     * the nodes and name their node.
     */
    public long qualify(long connectionId) {
        return slot << 32 | (connectionId & 0xffff_ffffL);
    }

    /** The reactor's number of a qualified id of this node's, or -1 when it is another node's. */
    public long local(long qualifiedId) {
        return qualifiedId >>> 32 == slot ? qualifiedId & 0xffff_ffffL : -1;
    }

    /**
     * Every node's connections: {@code here} (this node's) and what each other live node answers
     * within {@value #ANSWER_MILLIS} ms; a node that does not answer is left out and logged.
     */
    public void connections(List<Item.ConnectionInfo> here, Consumer<List<Item.ConnectionInfo>> then) {
        Set<String> waiting = new HashSet<>(positions.others().keySet());
        waiting.removeAll(dead);
        if (waiting.isEmpty() || command == null || !command.isUp()) {
            then.accept(here);
            return;
        }
        long request = ++requests;
        gatherings.put(request, new Gathering(new ArrayList<>(here), waiting, then));
        publish(all, Envelope.Kind.CONNECTIONS, request, 0, null, null, null);
        reactor.schedule(ANSWER_MILLIS, () -> {
            Gathering g = gatherings.remove(request);
            if (g != null) {
                LOG.log(Level.WARNING, "node " + id + " - CONNECTIONS: no answer within " + ANSWER_MILLIS
                        + " ms from " + g.waiting() + "; their connections are not listed");
                g.then().accept(g.items());
            }
        });
    }

    /**
     * DISCONNECT of another node's connection: asks its node (false, nothing asked, when the id
     * names no other node). {@code then} gets what the owner closed ({@code user address}), or
     * null when it has no such connection or did not answer within {@value #ANSWER_MILLIS} ms.
     */
    public boolean disconnect(long qualifiedId, String admin, Consumer<String> then) {
        if (local(qualifiedId) >= 0 || qualifiedId >>> 32 == 0 || command == null || !command.isUp()) {
            return false;
        }
        long request = ++requests;
        disconnects.put(request, then);
        publish(all, Envelope.Kind.DISCONNECT, qualifiedId, request, null, admin, null);
        reactor.schedule(ANSWER_MILLIS, () -> {
            Consumer<String> waiting = disconnects.remove(request);
            if (waiting != null) {
                LOG.log(Level.WARNING, "node " + id + " - DISCONNECT #" + qualifiedId + ": no node answered within "
                        + ANSWER_MILLIS + " ms");
                waiting.accept(null);
            }
        });
        return true;
    }

    /**
     * An admin banned ({@code lifted} false; {@code userId}: the account's, 0 for an address's) or
     * unbanned here: every other node keeps the ban too and closes its connections it shuts out.
     */
    public void ban(Store.Ban ban, long userId, boolean lifted) {
        byte[] payload = payload(out -> {
            out.writeUTF(ban.target());
            out.writeLong(ban.until());
            out.writeUTF(ban.reason());
            out.writeUTF(ban.by());
            out.writeLong(ban.at());
        });
        publish(all, Envelope.Kind.BAN, userId, lifted ? 1 : 0, null, ban.kind(), payload);
    }

    /** What an envelope's bytes say, written to memory. */
    @FunctionalInterface
    private interface Writing {
        void to(DataOutputStream out) throws IOException;
    }

    /** An envelope's bytes as {@code writing} writes them. */
    private static byte[] payload(Writing writing) {
        var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            writing.to(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not from memory
        }
        return bytes.toByteArray();
    }

    private void banned(Envelope e) {
        Store.Ban ban;
        try (var in = new DataInputStream(new ByteArrayInputStream(e.bytes()))) {
            ban = new Store.Ban(e.text(), in.readUTF(), in.readLong(), in.readUTF(), in.readUTF(), in.readLong());
        } catch (IOException bad) {
            LOG.log(Level.WARNING, "node " + id + " - a ban from " + e.origin() + " that does not decode: " + bad);
            return;
        }
        host.banned(ban, e.a(), e.b() == 1);
    }

    static byte[] encode(List<Item.ConnectionInfo> items) {
        return payload(out -> {
            out.writeInt(items.size());
            for (Item.ConnectionInfo i : items) {
                out.writeLong(i.id());
                out.writeUTF(i.user());
                out.writeUTF(i.address());
                out.writeUTF(i.protocol());
                out.writeLong(i.since());
                out.writeLong(i.idleSeconds());
                out.writeLong(i.backlog());
            }
        });
    }

    /** {@link #encode}'s items; a payload that does not decode is refused ({@link IllegalArgumentException}). */
    static List<Item.ConnectionInfo> decode(byte[] payload) {
        try (var in = new DataInputStream(new ByteArrayInputStream(payload))) {
            int n = in.readInt();
            if (n < 0 || n > payload.length / 8) {
                throw new IllegalArgumentException("bad count " + n);
            }
            List<Item.ConnectionInfo> items = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                items.add(new Item.ConnectionInfo(in.readLong(), in.readUTF(), in.readUTF(), in.readUTF(),
                        in.readLong(), in.readLong(), in.readLong()));
            }
            if (in.available() > 0) {
                throw new IllegalArgumentException("bytes after the items");
            }
            return items;
        } catch (IOException e) {
            throw new IllegalArgumentException("cut short or bad: " + e);
        }
    }

    @Override
    public void sessionsChanged(
long userId, String name, int count) {
        if (command == null) {
            return;
        }
        if (count > 0) {
            command.call(r -> {}, "HSET", key("sessions", id), Long.toString(userId), count + " " + name);
        } else {
            command.call(r -> {}, "HDEL", key("sessions", id), Long.toString(userId));
        }
        publish(all, Envelope.Kind.SESSIONS, count, 0, new long[] {userId}, name, null);
    }

    @Override
    public void replaceElsewhere(long userId, long deviceId) {
        if (onlineElsewhere(userId)) {
            for (String node : directory.get(userId).keySet()) {
                publish(key("node", node), Envelope.Kind.REPLACE, deviceId, 0, new long[] {userId}, null, null);
            }
        }
    }

    /**
     * Another node has {@code count} sessions of {@code user}. When {@code tell} (a dead node's, or
     * ones found gone at a rebuild: their node said no goodbye) and the account is now offline
     * everywhere, this node tells the account's friends here.
     */
    private void sessions(String node, long user, int count, String name, boolean tell) {
        if (name != null) {
            names.put(user, name);
        }
        boolean before = onlineElsewhere(user);
        Counts.set(directory, user, node, count, HashMap::new);
        boolean after = onlineElsewhere(user);
        if (tell && before != after && hub.get(user) == null && count == 0) {
            // Offline everywhere now, without a goodbye of its node's own (a node that died, or a
            // rebuild after missed messages): this node tells its users' friends itself.
            presence(user, false);
        }
    }

    private void presence(long user, boolean online) {
        String name = names.get(user);
        if (name == null) {
            return;
        }
        byte[] line = Hub.encode(new Push.Presence(name, online));
        for (OnlineUser u : hub.users()) {
            if (u.friends.contains(user)) {
                hub.notifyHere(u.userId, line, null);
            }
        }
    }

    // ---- heartbeats, death, fencing -----------------------------------------------------------

    private void beat() {
        if (stopped || fenced || command == null || !command.isUp()) {
            return;
        }
        long sent = reactor.now();
        command.call(r -> {
            stalled(sent);
            if (r instanceof Resp.Bulk b && !b.isNil() && epoch != null && !epoch.equals(b.text())) {
                register(); // another epoch: Redis restarted and someone registered first
            } else if (r instanceof Resp.Bulk b && b.isNil()) {
                register(); // Redis restarted empty
            }
        }, "GET", prefix + ":epoch");
        heartbeatKey();
        // Again each heartbeat: a POS lost while a link was down would hold the others' safe back.
        publish(all, Envelope.Kind.POS, positions.own(), 0, null, null, null);
        command.call(r -> {
            if (r instanceof Resp.Int i && i.value() > 0) {
                fence("another node reaped this one");
            }
        }, "EXISTS", key("reap", id));
        command.call(reply -> {
            Set<String> candidates = new HashSet<>(positions.others().keySet());
            if (reply instanceof Resp.Array a && !a.isNil()) {
                for (Resp.Value v : a.items()) {
                    if (v instanceof Resp.Bulk b && !b.isNil() && !b.text().equals(id)) {
                        candidates.add(b.text());
                    }
                }
            }
            candidates.removeAll(dead);
            List<String> list = new ArrayList<>(candidates);
            checkAlive(list, alive -> {
                // Redis came back (empty) lately: the live nodes are still setting their keys again,
                // and another node's links may reconnect up to a backoff (2 s) after this one's: more
                // than a short ttl (the failure tests' 1.5 s), which alone would reap that live node.
                long grace = settings.ttl().toMillis() + RedisLink.MAX_BACKOFF_MILLIS;
                if (reactor.now() - epochSince < grace || reactor.now() - linkSince < grace) {
                    return;
                }
                for (String n : list) {
                    if (!alive.contains(n)) {
                        reap(n);
                    }
                }
            });
        }, "SMEMBERS", prefix + ":nodes");
    }

    /**
     * A heartbeat's first reply came {@code sent}..now: when that took so long that heartbeat
     * keys may have expired meanwhile (Redis hung, the link stalled), reaping waits a ttl.
     */
    private void stalled(long sent) {
        long ttl = settings.ttl().toMillis();
        long lag = reactor.now() - sent;
        // Keys expire after a stall above ttl - heartbeat, which is at least ttl / 2 (ClusterSettings).
        if (lag >= ttl / 2) {
            if (reactor.now() - linkSince >= ttl) {
                LOG.log(Level.WARNING, "node " + id + " - Redis answered after " + lag + " ms: no reaping for a ttl");
            }
            linkSince = reactor.now();
        }
    }

    /** {@code node}'s heartbeat is gone: one survivor takes the reap lock and reaps it. */
    private void reap(String node) {
        command.call(r -> {
            if (!(r instanceof Resp.Simple s && s.text().equals("OK"))) {
                // Another node reaps it; should its NODE_DOWN be missed, the row says so.
                checkReapedInDatabase(node);
                return;
            }
            LOG.log(Level.WARNING, "node " + id + " - node " + node + " is silent: reaping it");
            long now = System.currentTimeMillis();
            reaper.execute(() -> {
                try {
                    store.onConnection("reaping node " + node, c -> {
                        ClusterNodes.reap(c, node, now);
                        return null;
                    });
                } catch (RuntimeException e) {
                    LOG.log(Level.ERROR, "node " + id + " - reaping " + node + " in the database failed; the next"
                            + " heartbeat tries again", e);
                    reactor.execute(() -> command.call(x -> {}, "DEL", key("reap", node)));
                    return;
                }
                reactor.execute(() -> reaped(node));
            });
        }, "SET", key("reap", node), id, "NX", "PX", Long.toString(REAP_LOCK_MILLIS));
    }

    /** The dead node's connection is killed: clean Redis, mark its users offline, tell everyone. */
    private void reaped(String node) {
        List<Long> gone = new ArrayList<>();
        directory.forEach((user, where) -> {
            if (where.containsKey(node) && where.size() == 1 && hub.get(user) == null) {
                gone.add(user);
            }
        });
        forget(node);
        workers.write(() -> {
            for (long user : gone) {
                store.markOffline(user);
            }
            return null;
        }, (x, failed) -> {
            if (failed != null) {
                LOG.log(Level.ERROR, "marking the users of reaped node " + node + " offline failed", failed);
            }
        });
        nodeDown(node);
    }

    /**
     * Tells every node that {@code node} (a reaped one, or this one leaving) is gone, then takes it
     * out of Redis: told first, so that a node does not find its heartbeat key gone first and
     * reap it again (or, leaving, at all).
     */
    private void forget(String node) {
        publish(all, Envelope.Kind.NODE_DOWN, 0, 0, null, node, null);
        command.call(r -> {}, "DEL", key("sessions", node));
        command.call(r -> {}, "DEL", key("lobby", node));
        command.call(r -> {}, "DEL", key("hb", node));
        command.call(r -> {}, "SREM", prefix + ":nodes", node);
    }

    private void checkReapedInDatabase(String node) {
        reaper.execute(() -> {
            boolean reaped;
            try {
                reaped = store.onConnection("reading node " + node, c -> ClusterNodes.isReaped(c, node));
            } catch (RuntimeException e) {
                return;
            }
            if (reaped) {
                reactor.execute(() -> {
                    if (!dead.contains(node)) {
                        nodeDown(node);
                    }
                });
            }
        });
    }

    /** {@code node} is dead and its database connection killed: it no longer holds safe back. */
    private void nodeDown(String node) {
        if (!dead.add(node)) {
            return;
        }
        LOG.log(Level.WARNING, "node " + id + " - node " + node + " is down");
        host.nodeDown(node, lobbies.remove(node));
        positions.remove(node);
        awaitingWelcome.remove(node);
        for (long user : new ArrayList<>(directory.keySet())) {
            if (directory.get(user).containsKey(node)) {
                sessions(node, user, 0, null, true);
            }
        }
        // It may have committed ids it never rang for: every session reads again past its last.
        resyncAll("node " + node + " is down");
        if (awaitingWelcome.isEmpty()) {
            joined();
        }
        release();
        maybeResync();
    }

    /**
     * Every session here reads its catch-up again from its highest pushed id: once every other
     * node has announced its position since (a POS comes each heartbeat), so that safe, and the
     * released bound of the reads, covers whatever they committed while their doorbells were lost.
     */
    private void resyncAll(String why) {
        resyncs++;
        LOG.log(Level.INFO, "node " + id + " - resync: " + why);
        resyncPending = true;
        heardSince.clear();
        host.resyncing();
        // Until the resync reads, no stored push goes to a session: one released meanwhile (safe
        // rises as the others' positions come) would raise its highest pushed id, where the
        // resync starts, past an id whose doorbell was lost, which it would then never read.
        for (OnlineUser u : new ArrayList<>(hub.users())) {
            for (Session s : hub.sessions(u.userId)) {
                if (!s.syncing) {
                    s.syncing = true;
                    s.resyncing = true; // ends without SYNCED
                    hold(s);
                }
            }
        }
        readOnceHeard = false;
        readTarget();
        maybeResync();
    }

    /** Reads {@code MAX(id)} (on a reader): the pending resync waits until released reaches it. */
    private void readTarget() {
        boolean queued = workers.read(store::newestMessageId, (max, failed) -> {
            targetReads--;
            if (failed != null) {
                LOG.log(Level.WARNING, "node " + id + " - reading MAX(id) for a resync: " + failed);
                // Read again, at the next release or bus message (not at once: a database that is
                // down would make it a loop): the read once every node has spoken is what covers
                // what they committed while their doorbells were lost.
                readOnceHeard = false;
                release();
                return;
            }
            positions.learn(max); // announced: the others' positions, and safe, rise to it
            resyncTarget = Math.max(resyncTarget, max);
            release();
            maybeResync();
        });
        if (queued) { // refused when the workers are closed (stopping): no read to wait for
            targetReads++;
        }
    }

    /** {@code s}, syncing, waits for the pending resync, which reads its catch-up on from its highest pushed id. */
    private static void hold(Session s) {
        s.awaitingResync = true;
        s.lastPushedId = Long.MAX_VALUE; // no ACK asks for a page meanwhile
    }

    private void maybeResync() {
        if (!resyncPending || targetReads > 0 || !heardSince.containsAll(positions.others().keySet())) {
            return;
        }
        if (!readOnceHeard) {
            // Every other node has spoken since the request, so its link is up: whatever it
            // committed while its doorbells were lost is committed now. MAX(id) read at the
            // request does not cover what it committed after that (its link came back later
            // than this one's); released alone need not either, held back by this node's own
            // position (a group of its writer open). Read short of it, a session's catch-up
            // ended on the ring, whose later pushes passed the lost ids for good
            // (ClusterFailureTest lost a few messages after a Redis restart, more often once
            // resync pages ran on the readers and so read sooner).
            readOnceHeard = true;
            readTarget();
            return;
        }
        release(); // the reads are bounded by what is released: first release what safe allows
        if (releases.released() < resyncTarget) {
            return; // again at the next release
        }
        resyncPending = false;
        releases.resynced(); // dropped pushes up to released are read now: pushes are kept again
        resyncedUpTo = releases.released();
        LOG.log(Level.DEBUG, () -> "node " + id + " - resyncing every session up to " + releases.released()
                + " (safe " + positions.safe() + ", others " + positions.others() + ")");
        for (OnlineUser u : new ArrayList<>(hub.users())) {
            for (Session s : hub.sessions(u.userId)) {
                hub.resync(s);
            }
        }
    }

    private void fence(String why) {
        if (fenced || stopped) {
            return; // stopped: leaving cleanly, the others reaping it is expected
        }
        fenced = true;
        LOG.log(Level.ERROR, "node " + id + " - fenced: " + why + "; closing every connection and stopping");
        stop();
        host.fenced(why);
    }

    /** For STATS: {@code cluster_*} fields. */
    public List<String> stats() {
        return List.of("cluster_node=" + id, "cluster_nodes=" + (positions.others().size() + 1),
                "cluster_safe=" + positions.safe(), "cluster_released=" + releases.released(),
                "cluster_waiting=" + releases.waiting(), "cluster_late=" + releases.late(),
                "cluster_resyncs=" + resyncs, "cluster_published=" + published, "cluster_received=" + received,
                "cluster_charges=" + charges, "cluster_refreshes=" + refreshes);
    }

    /** Whether the account has sessions on another node, and on which, by --node-id (tests). */
    public Map<String, Integer> where(long userId) {
        Map<String, Integer> w = directory.get(userId);
        Map<String, Integer> named = new HashMap<>();
        if (w != null) {
            w.forEach((node, n) -> named.merge(nodeName(node), n, Integer::sum));
        }
        return Map.copyOf(named);
    }

    /** The --node-id of a node's start ({@code id.start}, see the constructor). */
    public static String nodeName(String node) {
        int dot = node.lastIndexOf('.');
        return dot < 0 ? node : node.substring(0, dot);
    }
}
