package chat.bench;

import chat.common.proto.ChatMessage;
import chat.common.proto.Line;
import chat.common.proto.Push;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Stored private messages at a fixed rate (issue 12), on our server only: how many a second the
 * server stores and delivers, beside what its database can insert at all ({@link StoredCeiling})
 * and how fast it reads a large history back ({@link StoredReads}).
 *
 * <p>Setup: {@code users} text connections REGISTER and LOGIN (with a device) an account each;
 * users 2i and 2i+1 become friends and acknowledge the friendship events, so that nothing but the
 * load is delivered afterwards. The server runs with a low {@code --pbkdf2-iterations}, as for the
 * group scenario.
 *
 * <p>Load: {@code rate} messages a second in all, on a fixed schedule, user {@code k % users}
 * sending the k-th to its partner as {@code #m:MSG:partner:c<seq>:text}, the text holding its
 * sequence number and scheduled time ({@code --one-way}: only user 2i sends, so that with two
 * users the whole rate comes from one connection). Each connection <b>pipelines</b>: up to {@code window}
 * MSGs may await their {@code MSG:true} at once, and what is due beyond that waits here, in
 * order, with its scheduled time. The window keeps the bytes a connection has in flight far below
 * what a server that carries out one request at a time lets wait (256 Ki characters, then
 * {@code ERR:busy}), so the scenario runs against that server and against one that carries
 * several out together; replies are matched by their client id, and one out of order is counted.
 * Every partner checks each {@code MESSAGE} (sender, sequence: a gap is lost, a repeat
 * duplicated), records its delivery latency from the scheduled time, and ACKs it (each, as the
 * terminal client does, or once per read). The confirm latency runs from the moment the MSG was
 * written to {@code MSG:true}; a MSG held back by the window shows in {@code sendLateMaxMs} and in
 * the delivery latency, which runs from the scheduled time.
 */
final class Stored {

    /** Issue 12's goals: stored messages a second at a confirm p99 under {@link #CONFIRM_P99_GOAL_MS}. */
    static final double SQLITE_GOAL_PER_S = 20_000;
    static final double MARIADB_GOAL_PER_S = 10_000;
    static final double CONFIRM_P99_GOAL_MS = 50;
    /**
     * ... and from one pipelining connection, replies in request order; sustained means its
     * delivery p99 (from each message's scheduled time) stays under {@link #CONFIRM_P99_GOAL_MS}.
     */
    static final double PIPELINE_GOAL_PER_S = 10_000;
    /** ... and at least this share of the database's own ceiling. */
    static final double CEILING_SHARE_GOAL = 0.5;
    /**
     * The delivery p99 under which a run at half the ceiling counts as kept up with: a server that
     * falls behind still confirms as fast as it is offered, for a while, but its deliveries wait
     * seconds and more (40,000 a second offered on SQLite: delivery p50 9 s).
     */
    static final double KEPT_UP_DELIVERY_P99_MS = 1000;
    /** Reads: each history page, search and unread count under this. */
    static final double READ_GOAL_MS = 20;
    /** A login's catch-up of the waiting messages within this. */
    static final double CATCH_UP_GOAL_S = 2;

    /**
     * One run's figures, in its result line (see {@link Figures}). {@code reads} and
     * {@code ceiling} are NaN and 0 when they were not run.
     */
    record Outcome(String db, int users, Load load, StoredReads.Times reads, StoredCeiling.Rate ceiling) {

        /** The goal of issue 12 for this database, in stored messages a second. */
        double goalPerS() {
            return db.startsWith("mariadb") ? MARIADB_GOAL_PER_S : SQLITE_GOAL_PER_S;
        }

        /** The rate reached, as a share of the ceiling (NaN without one). */
        double ceilingShare() {
            return ceiling.rowsPerS() > 0 ? load.confirmedPerS() / ceiling.rowsPerS() : Double.NaN;
        }
    }

    /** The load's figures: latencies and rates of the measured window. */
    record Load(double rate, int window, String ack, double warmupS, double durationS, double setupS,
            double confirmedPerS, double deliveredPerS, double confirmP50Ms, double confirmP99Ms, double confirmMaxMs,
            double deliveryP50Ms, double deliveryP99Ms, double deliveryMaxMs, double sendLateMaxMs, long sent,
            long confirmed, long sendFailures, long outOfOrder, long delivered, long expectedInWindow,
            long deliveredInWindow, long duplicated, long lost, long notArrived, long unsent, double serverCpuPct,
            double genCpuPct, Threads threads) {

        boolean allDelivered() {
            return lost == 0 && duplicated == 0 && unsent == 0 && sendFailures == 0 && outOfOrder == 0
                    && confirmed == sent && deliveredInWindow >= expectedInWindow;
        }
    }

    /**
     * The server's threads over the measured window, from /proc (NaN without {@code --server-pid}):
     * the writer's share of a core, its CPU and its write calls per message confirmed (on SQLite
     * two a page it writes into the WAL), and the reactor's and the checkpointer's share of a core.
     */
    record Threads(double writerCpuPct, double writerCpuUsPerMsg, double writerWritesPerMsg, double reactorCpuPct,
            double checkpointCpuPct) {

        static final Threads NONE = new Threads(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

        /** Between two readings {@code seconds} apart, in which {@code messages} were confirmed. */
        static Threads between(Map<String, ServerProbe.ThreadUse> before,
                Map<String, ServerProbe.ThreadUse> after, double seconds, long messages) {
            var writer = used(before, after, "db-writer");
            return new Threads(100 * writer.cpuSeconds() / seconds, 1e6 * writer.cpuSeconds() / messages,
                    writer.writeCalls() < 0 ? Double.NaN : (double) writer.writeCalls() / messages,
                    100 * used(before, after, "reactor").cpuSeconds() / seconds,
                    100 * used(before, after, "db-checkpoint").cpuSeconds() / seconds);
        }

        private static ServerProbe.ThreadUse used(Map<String, ServerProbe.ThreadUse> before,
                Map<String, ServerProbe.ThreadUse> after, String name) {
            var zero = new ServerProbe.ThreadUse(0, 0);
            return after.getOrDefault(name, zero).minus(before.getOrDefault(name, zero));
        }
    }

    private static final long MAX_LATENCY_NS = 120_000_000_000L;
    static final String PASSWORD = "bench-password-1";
    static final String DEVICE = "bench-stored";
    /** Setup waits this long without a line for the friendship events to settle before the ACKs. */
    private static final long QUIET_NANOS = 300_000_000L;

    private final NioLoop loop;
    private final int n;
    private final double rate;
    private final int window;
    private final boolean ackEach;
    /** Only the first user of each pair sends: the pipeline scenario's one connection. */
    private final boolean oneWay;
    private final String prefix;
    private final int ring;
    private final long origin = System.nanoTime();
    private final List<User> users = new ArrayList<>();

    // setup
    private int loggedIn;
    private int synced;
    private int friends;
    private long lastLine;
    private int setupFailures;
    private String firstFailure;

    // load
    private long start;
    private long windowStart;
    private long windowEnd;
    private long nextK;
    private long sent;
    private long confirmed;
    private long confirmedInWindow;
    private long sendFailures;
    private long outOfOrder;
    private long delivered;
    private long deliveredInWindow;
    private long arrivedInWindow;
    private long sentInWindow;
    private long duplicated;
    private long gaps;
    private long malformed;
    private long lastProgress;
    private long sendLateMax;
    /** The server's threads when the window opened and closed ({@link #readThreads}). */
    private Map<String, ServerProbe.ThreadUse> threadsAtStart;
    private Map<String, ServerProbe.ThreadUse> threadsAtEnd;
    private long threadsStartNanos;
    private long threadsEndNanos;
    private final Histogram confirmLatency = new Histogram(MAX_LATENCY_NS, 3);
    private final Histogram deliveryLatency = new Histogram(MAX_LATENCY_NS, 3);

    Stored(InetSocketAddress address, int n, double rate, int window, boolean ackEach, boolean oneWay, String prefix)
            throws IOException {
        if (n < 2 || n % 2 != 0) {
            throw new IllegalArgumentException("--users must be an even number, at least 2: users come in pairs");
        }
        if (rate <= 0) {
            throw new IllegalArgumentException("--rate must be positive");
        }
        this.loop = new NioLoop(address);
        this.n = n;
        this.rate = rate;
        this.window = window;
        this.ackEach = ackEach;
        this.oneWay = oneWay;
        this.prefix = prefix;
        // Room for a minute of one user's messages queued here (a server that far behind fails the run).
        this.ring = Integer.highestOneBit((int) Math.min(1 << 20, Math.max(1024, rate / senders() * 60)) * 2 - 1);
        for (int i = 0; i < n; i++) {
            users.add(new User(i));
        }
    }

    /** How many users send. */
    private int senders() {
        return oneWay ? n / 2 : n;
    }

    /** The text of {@code sender}'s message {@code q}, due at {@code due} (System.nanoTime()). */
    private String text(int sender, long q, long due) {
        return sender + "." + q + "." + (due - origin) + " stored 你好";
    }

    private final class User extends NioLoop.ProtocolPeer {
        boolean isSynced;
        long maxEventId;
        long maxId;
        long ackedId;
        /** Sequence numbers: assigned [.., nextQ), written [.., sentQ), confirmed [.., confirmedQ). */
        long nextQ;
        long sentQ;
        long confirmedQ;
        /** The partner's next sequence number expected here. */
        long expectedQ;
        long[] due;
        long[] sentAt;

        User(int index) {
            super(index);
        }

        String name() {
            return prefix + index;
        }

        int partner() {
            return index ^ 1;
        }

        @Override
        void onConnected(NioLoop l) {
            send(l, Line.of("r", "REGISTER", name(), PASSWORD));
            send(l, Line.of("l", "LOGIN", name(), PASSWORD, DEVICE));
        }

        /** Writes what is due and fits in the window. */
        void sendWaiting(NioLoop l) {
            while (sentQ < nextQ && sentQ - confirmedQ < window) {
                long q = sentQ++;
                long d = due[(int) (q & (ring - 1))];
                long t = System.nanoTime();
                sentAt[(int) (q & (ring - 1))] = t;
                sendLateMax = Math.max(sendLateMax, t - d);
                send(l, Line.of("m", "MSG", prefix + partner(), "c" + q, text(index, q, d)));
                sent++;
            }
        }

        @Override
        void onMalformedPush(NioLoop l, String text) {
            lastLine = l.now;
            malformed++;
            failure("a malformed push: " + text);
        }

        @Override
        void onPush(NioLoop l, Push push, String text) {
            lastLine = l.now;
            if (push instanceof Push.Message m) {
                onMessage(l, m.message(), text);
            } else if (push instanceof Push.Synced) {
                if (!isSynced) {
                    isSynced = true;
                    synced++;
                }
            } else if (push instanceof Push.Stored event) {
                maxEventId = Math.max(maxEventId, event.id()); // the friendship events of setup
            }
        }

        @Override
        void onReply(NioLoop l, Line line, String text) {
            lastLine = l.now;
            boolean ok = line.size() > 1 && line.field(1).equals("true");
            switch (line.tag() + ":" + line.command()) {
                case "r:REGISTER" -> {
                    if (!ok && !(line.size() > 2 && line.field(2).equals("name-taken"))) {
                        setupFailed(text);
                    }
                }
                case "l:LOGIN" -> {
                    if (ok) {
                        loggedIn++;
                    } else {
                        setupFailed(text);
                    }
                }
                case "a:ADD" -> {
                    if (!ok) {
                        setupFailed(text);
                    } else if (line.field(2).equals("friends")) {
                        friends++;
                    } else {
                        users.get(partner()).send(l, Line.of("a", "ADD", name()));
                    }
                }
                case "m:MSG" -> onConfirm(l, line, ok, text);
                default -> {
                    if (!ok) {
                        failure(text);
                    }
                }
            }
        }

        /** {@code MSG:true:id:time:client-id}, or a failure: the answer to the oldest MSG in flight. */
        private void onConfirm(NioLoop l, Line line, boolean ok, String text) {
            if (confirmedQ >= sentQ) {
                outOfOrder++;
                failure("a MSG reply with no MSG in flight: " + text);
                return;
            }
            long q = confirmedQ++;
            if (!ok) {
                sendFailures++;
                failure(text);
            } else {
                if (line.size() < 5 || !line.field(4).equals("c" + q)) {
                    outOfOrder++;
                    failure("MSG reply for c" + q + " expected: " + text);
                }
                confirmed++;
                long d = due[(int) (q & (ring - 1))];
                if (d >= windowStart && d < windowEnd) {
                    confirmedInWindow++;
                    long latency = l.now - sentAt[(int) (q & (ring - 1))];
                    confirmLatency.recordValue(Math.min(MAX_LATENCY_NS, Math.max(0, latency)));
                }
            }
            lastProgress = l.now;
            sendWaiting(l);
        }

        /** {@code MESSAGE:id:time:from:to::client-id:text} from the partner, text {@code sender.seq.due ...}. */
        private void onMessage(NioLoop l, ChatMessage m, String raw) {
            long q;
            long d;
            try {
                String[] body = m.text().split("[. ]", 4);
                if (m.isGroup() || Integer.parseInt(body[0]) != partner() || !m.from().equals(prefix + partner())
                        || !m.to().equals(name())) {
                    throw new IllegalArgumentException();
                }
                q = Long.parseLong(body[1]);
                d = origin + Long.parseLong(body[2]);
            } catch (RuntimeException e) {
                malformed++;
                failure("not the partner's message: " + raw);
                return;
            }
            if (ackEach) {
                send(l, "ACK:" + m.id());
            }
            maxId = Math.max(maxId, m.id());
            if (q < expectedQ) {
                duplicated++;
                failure("a duplicate: " + raw);
                return;
            }
            gaps += q - expectedQ;
            expectedQ = q + 1;
            delivered++;
            lastProgress = l.now;
            if (l.now >= windowStart && l.now < windowEnd) {
                arrivedInWindow++;
            }
            if (d >= windowStart && d < windowEnd) {
                deliveredInWindow++;
                deliveryLatency.recordValue(Math.min(MAX_LATENCY_NS, Math.max(0, l.now - d)));
            }
        }

        @Override
        void afterLines(NioLoop l) {
            if (!ackEach && maxId > ackedId) {
                ackedId = maxId;
                send(l, "ACK:" + maxId);
            }
        }
    }

    private void setupFailed(String text) {
        setupFailures++;
        failure(text);
    }

    private void failure(String text) {
        if (firstFailure == null) {
            firstFailure = text;
        }
    }

    private long scheduled(long k) {
        return start + (long) (k * 1e9 / rate);
    }

    /** Assigns every message due by {@code t} to its sender, which writes it if its window has room. */
    private void sendDue(long t, long total) throws IOException {
        while (nextK < total) {
            long d = scheduled(nextK);
            if (d > t) {
                return;
            }
            User u = users.get(oneWay ? (int) (nextK % (n / 2)) * 2 : (int) (nextK % n));
            if (u.nextQ - u.confirmedQ >= ring) {
                throw new IOException("more than " + ring + " messages of one user waiting for MSG:true: the server "
                        + "fell more than a minute behind");
            }
            u.due[(int) (u.nextQ & (ring - 1))] = d;
            u.nextQ++;
            if (d >= windowStart && d < windowEnd) {
                sentInWindow++;
            }
            u.sendWaiting(loop);
            nextK++;
        }
    }

    static int run(Args a, String commandLine) throws IOException {
        Common common = Common.parse(a, commandLine);
        int n = a.positiveInt("users", 1000);
        double goalRate = a.nonNegative("rate", 1000);
        double rateShare = a.nonNegative("rate-share", 0);
        int window = a.positiveInt("window", 32);
        String ack = a.str("ack", "each");
        double warmup = a.nonNegative("warmup", 3);
        double duration = a.nonNegative("duration", 20);
        double drainMax = a.nonNegative("drain", 15);
        double setupMax = a.nonNegative("setup-timeout", 180);
        int parallel = a.positiveInt("connect-parallel", 64);
        String db = a.str("db", "sqlite");
        String dbUrl = a.str("db-url", "jdbc:sqlite:bench-results/server-data/" + chat.server.store.Database.SQLITE_FILE);
        String prefix = a.str("prefix", "st");
        boolean oneWay = a.flag("one-way", false);
        var readsOptions = StoredReads.options(a);
        var ceilingOptions = StoredCeiling.options(a);
        a.checkAllUsed();
        if (!ack.equals("each") && !ack.equals("read")) {
            throw new IllegalArgumentException("--ack must be each or read, not " + ack);
        }
        if (!db.equals("sqlite") && !db.equals("mariadb")) {
            throw new IllegalArgumentException("--db must be sqlite or mariadb, not " + db);
        }
        if (rateShare > 0 && ceilingOptions.rows() == 0) {
            throw new IllegalArgumentException("--rate-share needs the ceiling (--ceiling-rows above 0)");
        }
        Result r = common.result("stored").put("db_url", redact(dbUrl)).put("one_way", oneWay);
        // With --rate-share the ceiling comes first, and the load runs at that share of it when that
        // is more than --rate: one run then answers both goals (the rate at the p99, and the share).
        var ceiling = rateShare > 0 ? StoredCeiling.run(dbUrl, n, oneWay, ceilingOptions) : null;
        double rate = ceiling == null ? goalRate : atLeast(goalRate, rateShare * ceiling.rowsPerS());
        r.put("load_rate_share", rateShare);
        var s = new Stored(common.address(), n, rate, window, ack.equals("each"), oneWay, prefix);
        s.users.forEach(u -> u.node = common.node(u.index));
        r.put("nodes", common.nodes().size());
        var probe = new ServerProbe(common.serverPid(), null);
        Load load;
        try {
            load = s.measure(probe, parallel, setupMax, warmup, duration, drainMax, ack);
        } finally {
            s.loop.close();
        }
        var reads = new StoredReads(common.address(), dbUrl, prefix).run(readsOptions);
        if (ceiling == null) {
            ceiling = StoredCeiling.run(dbUrl, n, oneWay, ceilingOptions);
        }
        var o = new Outcome(db, n, load, reads.figures(), ceiling);
        Figures.put(r, o);
        String failure = s.firstFailure != null ? s.firstFailure : reads.firstFailure();
        s.loop.putOutcome(r, failure, load.deliveredInWindow(), "nothing delivered in the window",
                load.sendFailures() + load.outOfOrder() + reads.failures(), "MSG sends, replies and reads");
        return Bench.emit(r, "stored " + common.scenario() + " (" + db + "): " + n + " users, " + Bench.human(rate)
                + " msg/s offered: " + Bench.human(load.confirmedPerS()) + " confirmed/s (confirm p50 "
                + Bench.human(load.confirmP50Ms()) + " ms, p99 " + Bench.human(load.confirmP99Ms()) + " ms, max "
                + Bench.human(load.confirmMaxMs()) + " ms), delivery p50 " + Bench.human(load.deliveryP50Ms())
                + " ms, p99 " + Bench.human(load.deliveryP99Ms()) + " ms; sent " + load.sent() + ", confirmed "
                + load.confirmed() + ", delivered " + load.delivered() + ", lost " + load.lost() + ", duplicated "
                + load.duplicated() + "; ceiling " + Bench.human(ceiling.rowsPerS()) + " rows/s; reads: history p99 "
                + Bench.human(reads.figures().historyP99Ms()) + " ms, search p99 "
                + Bench.human(reads.figures().searchP99Ms()) + " ms, unread p99 "
                + Bench.human(reads.figures().unreadP99Ms()) + " ms, catch-up of "
                + reads.figures().waiting() + " " + Bench.human(reads.figures().catchUpS()) + " s; server CPU "
                + Bench.human(load.serverCpuPct()) + "% (writer " + Bench.human(load.threads().writerCpuPct())
                + "%: " + Bench.human(load.threads().writerCpuUsPerMsg()) + " µs and "
                + Bench.human(load.threads().writerWritesPerMsg()) + " write calls a message; reactor "
                + Bench.human(load.threads().reactorCpuPct()) + "%, checkpointer "
                + Bench.human(load.threads().checkpointCpuPct()) + "%), generator CPU " + Bench.human(load.genCpuPct())
                + "%");
    }

    /**
     * {@code goal}, or {@code share} (a share of the ceiling, rows a second) rounded up to a whole
     * hundred when that is more: the rate a {@code --rate-share} run offers.
     */
    static double atLeast(double goal, double share) {
        return Double.isNaN(share) ? goal : Math.max(goal, Math.ceil(share / 100) * 100);
    }

    /** A JDBC URL without the credentials of its query string, for the result line. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1…");
    }

    private Load measure(ServerProbe probe, int parallel, double setupMax, double warmup, double duration,
            double drainMax, String ack) throws IOException {
        long t0 = System.nanoTime();
        long deadline = t0 + Driver.seconds(setupMax);
        loop.openAll(users, parallel, deadline);
        awaitSetup(probe, deadline, () -> synced >= n, () -> loggedIn + " of " + n + " logged in, " + synced + " synced");
        for (int i = 0; i < n; i += 2) {
            users.get(i).send(loop, Line.of("a", "ADD", prefix + (i + 1)));
        }
        awaitSetup(probe, deadline, () -> friends >= n / 2, () -> friends + " of " + n / 2 + " pairs friends");
        // The friendship events are no part of the load: acknowledged, they are not delivered again.
        while (System.nanoTime() - lastLine < QUIET_NANOS) {
            loop.select(20);
            loop.checkSetup(probe, deadline, "setup timed out waiting for the friendship events");
        }
        for (User u : users) {
            if (u.maxEventId > 0) {
                u.send(loop, "ACK:" + u.maxEventId);
            }
            u.due = new long[ring];
            u.sentAt = new long[ring];
        }
        loop.select(0);
        double setupS = (System.nanoTime() - t0) / 1e9;

        var schedule = new Schedule(rate, warmup, duration);
        start = schedule.start;
        windowStart = schedule.windowStart;
        windowEnd = schedule.windowEnd;
        long total = schedule.total;
        var cpu = schedule.run(loop, probe, drainMax, new Schedule.Load() {
            @Override
            public long sendDue(long now) throws IOException {
                readThreads(probe, now);
                Stored.this.sendDue(now, total);
                return nextK < total ? scheduled(nextK) : -1;
            }

            @Override
            public boolean done() {
                return confirmed + sendFailures >= total && delivered + gaps >= total;
            }

            @Override
            public long lastProgress() {
                return lastProgress;
            }

            @Override
            public boolean broken() {
                return loop.disconnected > 0; // counted in the result; a closed connection's messages will not come
            }
        });
        long notArrived = 0;
        long unsent = 0;
        for (User u : users) {
            notArrived += users.get(u.partner()).sentQ - u.expectedQ;
            unsent += u.nextQ - u.sentQ;
        }
        return new Load(rate, window, ack, warmup, duration, setupS, confirmedInWindow / duration,
                arrivedInWindow / duration, ms(confirmLatency, 50), ms(confirmLatency, 99), maxMs(confirmLatency),
                ms(deliveryLatency, 50), ms(deliveryLatency, 99), maxMs(deliveryLatency), sendLateMax / 1e6, sent,
                confirmed, sendFailures, outOfOrder, delivered, sentInWindow, deliveredInWindow, duplicated,
                gaps + notArrived, notArrived, unsent, cpu.server(), cpu.gen(),
                threadsAtEnd == null || confirmedInWindow == 0 ? Threads.NONE
                        : Threads.between(threadsAtStart, threadsAtEnd, (threadsEndNanos - threadsStartNanos) / 1e9,
                                confirmedInWindow));
    }

    /** Reads the server's threads once the window opens and once it closes, as the schedule reads its CPU. */
    private void readThreads(ServerProbe probe, long now) {
        if (!probe.hasPid() || threadsAtEnd != null) {
            return;
        }
        if (threadsAtStart == null && now >= windowStart) {
            threadsAtStart = probe.threadUse();
            threadsStartNanos = now;
        } else if (threadsAtStart != null && now >= windowEnd) {
            threadsAtEnd = probe.threadUse();
            threadsEndNanos = now;
        }
    }

    /** The percentile in milliseconds; NaN when nothing was recorded (an empty histogram would say 0). */
    static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1e6;
    }

    static double maxMs(Histogram h) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue() / 1e6;
    }

    private void awaitSetup(ServerProbe probe, long deadline, java.util.function.BooleanSupplier done,
            java.util.function.Supplier<String> progress) throws IOException {
        while (!done.getAsBoolean()) {
            loop.select(10);
            if (setupFailures > 0) {
                throw new IOException("setup failed (" + progress.get() + "): " + firstFailure);
            }
            loop.checkSetup(probe, deadline, "setup timed out: " + progress.get());
        }
    }
}
