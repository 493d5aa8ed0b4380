package chat.bench;

import chat.common.proto.ChatMessage;
import chat.common.proto.Line;
import chat.common.proto.ProtocolException;
import chat.common.proto.Push;
import chat.server.store.Database;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * A group's fan-out over the text protocol, on our server only (the C server has no groups).
 *
 * <p>Setup: {@code members} text connections each REGISTER and LOGIN an account of their own and
 * wait for {@code SYNCED}; member 0 CREATEs an open group, and every other member JOINs it. The
 * server for this scenario runs with a low {@code --pbkdf2-iterations} so that 500 registrations
 * and logins take seconds; hashing is measured by {@link Logins}, not here.
 *
 * <p>Each JOIN stores a {@code GROUP_JOINED} for every member so far and pushes it to them, so
 * that setup grows with the square of the members: about two million rows and pushes for 2,000,
 * minutes on MariaDB, and none of it what the scenario measures. With {@code --db-url} (the
 * server's database) the other members are made members before they log in instead, by the row
 * JOIN writes ({@link #writeMemberships}), in one batch: linear. What is measured is the same
 * either way (a group message's row, its unread counts, its pushes to the members' sessions, their
 * ACKs); only the join events are missing from the database, which no figure reads.
 *
 * <p>Load: the first {@code senders} members send {@code GROUP:group:client-id:text} lines,
 * {@code rate} a second in total on a fixed schedule; the text holds the sender, its sequence
 * number and the message's scheduled time. Every other member reads its {@code MESSAGE} pushes
 * (protocol 1.1: {@code MESSAGE:id:time:from:#group:group-id:client-id:text}),
 * checks the sequence per sender (lost, duplicated) and records the latency from the scheduled
 * time (HdrHistogram; a late send counts in full), and acknowledges as the protocol asks: one
 * {@code ACK:id} per message (as the terminal client does; {@code --ack each}), or one per read
 * covering every message in it ({@code --ack read}).
 */
final class GroupFanout {

    /** One run's figures, in its result line (see {@link Figures}); latencies of the measured window. */
    record Outcome(String db, int members, int senders, double rate, double offeredDeliveriesPerS, String ack,
            double warmupS, double durationS, double setupS, double deliveriesPerS, double p50Ms, double p90Ms,
            double p99Ms, double p999Ms, double maxMs, double confirmP50Ms, double confirmP99Ms, long sent,
            long confirmed, long sendFailures, long received, long expectedInWindow, long receivedInWindow, long lost,
            long notArrived, long duplicated, long malformed, long acksSent, double serverCpuPct, double genCpuPct) {

        boolean allDelivered() {
            return lost == 0 && duplicated == 0 && receivedInWindow >= expectedInWindow;
        }
    }

    private static final long MAX_LATENCY_NS = 120_000_000_000L;
    private static final String PASSWORD = "bench-password-1";

    private final NioLoop loop;
    private final int m;
    private final int senders;
    private final double rate;
    private final boolean ackEach;
    private final String prefix;
    private final String group;
    /** The server's database, where the members' rows are written ({@link #writeMemberships}); null: they JOIN. */
    private final String dbUrl;
    private final long origin = System.nanoTime();
    private final List<Member> members = new ArrayList<>();

    // setup
    private int loggedIn;
    private int synced;
    private int joined;
    /** Members other than the owner registered and waiting for their rows ({@code --db-url}). */
    private int registered;
    private boolean created;
    /** The group's id, from the CREATE or JOIN reply or else the first message; null until known. */
    private Long groupId;
    private long lastLine;
    private String firstFailure;
    private int failures;

    // load
    private long start;
    private long windowStart;
    private long windowEnd;
    private long nextK;
    private final Driver.Sequences seq;
    private long received;
    private long receivedInWindow;
    private long arrivedInWindow;
    private long sentInWindow;
    private long malformed;
    private long confirmed;
    private long sendFailures;
    private long acks;
    private long lastDelivery;
    private final Histogram latency = new Histogram(MAX_LATENCY_NS, 3);
    private final Histogram confirmLatency = new Histogram(MAX_LATENCY_NS, 3);

    GroupFanout(InetSocketAddress address, int m, int senders, double rate, boolean ackEach, String prefix,
            String dbUrl) throws IOException {
        if (m < 2) {
            throw new IllegalArgumentException("--members must be at least 2");
        }
        if (senders > m) {
            throw new IllegalArgumentException("--senders must not exceed --members");
        }
        if (rate <= 0) {
            throw new IllegalArgumentException("--rate must be positive");
        }
        this.loop = new NioLoop(address);
        this.m = m;
        this.senders = senders;
        this.rate = rate;
        this.ackEach = ackEach;
        this.prefix = prefix;
        this.group = prefix + "grp";
        this.dbUrl = dbUrl;
        for (int i = 0; i < m; i++) {
            members.add(new Member(i));
        }
        seq = new Driver.Sequences(m, senders);
    }

    private final class Member extends NioLoop.TextPeer {
        boolean isSynced;
        boolean wantsJoin;
        long maxId;
        long ackedId;
        /** Scheduled times of this sender's messages awaiting GROUP:true, by sequence (a ring). */
        long[] pending;
        long confirmedSeq;

        Member(int index) {
            super(index);
        }

        String name() {
            return prefix + index;
        }

        @Override
        void onConnected(NioLoop l) {
            send(l, Line.of("r", "REGISTER", name(), PASSWORD));
        }

        void login(NioLoop l) {
            send(l, Line.of("l", "LOGIN", name(), PASSWORD));
        }

        void join(NioLoop l) {
            wantsJoin = false;
            send(l, Line.of("j", "JOIN", group));
        }

        @Override
        void onLine(NioLoop l, String text) {
            lastLine = l.now;
            if (text.startsWith("MESSAGE:")) {
                onPush(l, text);
                return;
            }
            if (text.equals("SYNCED")) {
                if (!isSynced) {
                    isSynced = true;
                    synced++;
                    if (index == 0) {
                        send(l, Line.of("c", "CREATE", group, "open"));
                    } else if (dbUrl != null) {
                        joined++; // its row was written before it logged in
                    } else if (created) {
                        join(l);
                    } else {
                        wantsJoin = true;
                    }
                }
                return;
            }
            if (!text.startsWith("#")) {
                return; // GROUP_JOINED and the other events: not what this scenario measures
            }
            Line line = Line.parse(text);
            boolean ok = line.size() > 1 && line.field(1).equals("true");
            switch (line.tag() + ":" + line.command()) {
                case "r:REGISTER" -> {
                    if (!ok && !(line.size() > 2 && line.field(2).equals("name-taken"))) {
                        failed(text);
                    } else if (dbUrl != null && index != 0) {
                        registered++;
                        admitMembers(l);
                    } else {
                        login(l);
                    }
                }
                case "l:LOGIN" -> {
                    if (ok) {
                        loggedIn++;
                    } else {
                        failed(text);
                    }
                }
                case "c:CREATE" -> {
                    if (ok) {
                        // CREATE:true:group:id; every MESSAGE of the group carries that id
                        learnGroupId(line);
                        created = true;
                        joined++; // the owner is its first member
                        admitMembers(l);
                        for (Member o : members) {
                            if (o.wantsJoin) {
                                o.join(l);
                            }
                        }
                    } else {
                        failed(text);
                    }
                }
                case "j:JOIN" -> {
                    if (ok) {
                        learnGroupId(line); // JOIN:true:joined:id
                        joined++;
                    } else {
                        failed(text);
                    }
                }
                case "g:GROUP" -> {
                    if (ok) {
                        confirmed++;
                        if (pending != null && confirmedSeq < seq.sent[index]) {
                            long due = pending[(int) (confirmedSeq % pending.length)];
                            confirmedSeq++;
                            if (due >= windowStart && due < windowEnd) {
                                confirmLatency.recordValue(Math.min(MAX_LATENCY_NS, Math.max(0, l.now - due)));
                            }
                        }
                    } else {
                        sendFailures++;
                        confirmedSeq++;
                        failed(text);
                    }
                }
                default -> {
                    // other replies (none expected)
                }
            }
        }

        /**
         * {@code MESSAGE:id:time:from:to:group-id:client-id:text}, to being {@code #group}, the text
         * {@code sender.seq.due}.
         */
        private void onPush(NioLoop l, String text) {
            ChatMessage m;
            try {
                m = Push.parse(Line.parse(text)) instanceof Push.Message msg ? msg.message() : null;
            } catch (ProtocolException e) {
                m = null;
            }
            if (m == null || !m.isGroup() || !m.to().equals("#" + group)) {
                malformed++;
                return;
            }
            if (groupId == null) {
                groupId = m.groupId(); // no reply carried it: the first message names it, and all must agree
            }
            if (m.groupId() != groupId) {
                malformed++;
                return;
            }
            long id = m.id();
            ChatStamp stamp = ChatStamp.parse(m.text());
            if (stamp == null) {
                malformed++;
                return;
            }
            int s = stamp.sender();
            long q = stamp.seq();
            long due = origin + stamp.time();
            if (s < 0 || s >= senders || s == index || !m.from().equals(prefix + s)) {
                malformed++;
                return;
            }
            if (ackEach) {
                send(l, "ACK:" + id);
                acks++;
            }
            maxId = Math.max(maxId, id);
            if (!seq.received(index, s, q)) {
                return; // a duplicate (the sender was checked above)
            }
            received++;
            long now = l.now;
            lastDelivery = now;
            if (now >= windowStart && now < windowEnd) {
                arrivedInWindow++;
            }
            if (due >= windowStart && due < windowEnd) {
                receivedInWindow++;
                latency.recordValue(Math.min(MAX_LATENCY_NS, Math.max(0, now - due)));
            }
        }

        @Override
        void afterLines(NioLoop l) {
            if (!ackEach && maxId > ackedId) {
                ackedId = maxId;
                send(l, "ACK:" + maxId);
                acks++;
            }
        }
    }

    /**
     * With {@code --db-url}, once the group exists and every other member has registered: writes
     * their memberships, then logs them in, so that each session starts in the group's room.
     */
    private void admitMembers(NioLoop l) {
        if (dbUrl == null || !created || registered < m - 1) {
            return;
        }
        try {
            writeMemberships();
        } catch (SQLException | RuntimeException e) { // Database.open's StoreException among them
            failed("writing the memberships into " + dbUrl.replaceAll("\\?.*", "") + ": " + e.getMessage());
            return;
        }
        for (Member member : members.subList(1, m)) {
            member.login(l);
        }
    }

    /**
     * The memberships of members 1.. as JOIN writes them ({@code GroupStore.insertMember}: the
     * newest message id as the join point, the insert trigger counting the unread row), in one
     * batch; the owner is a member by its CREATE.
     */
    private void writeMemberships() throws SQLException {
        var database = new Database(dbUrl, null, null);
        try (Connection c = database.open();
                PreparedStatement s = c.prepareStatement("""
                        INSERT INTO group_members (group_id, user_id, joined_at, first_msg_id)
                        SELECT ?, u.id, ?, (SELECT COALESCE(MAX(id), 0) FROM messages) FROM users u WHERE u.name = ?""")) {
            long now = System.currentTimeMillis();
            for (Member member : members.subList(1, m)) {
                s.setLong(1, groupId);
                s.setLong(2, now);
                s.setString(3, member.name());
                s.addBatch();
            }
            int rows = 0;
            for (int n : s.executeBatch()) {
                rows += Math.max(0, n); // SUCCESS_NO_INFO (-2) where the driver sent one statement for many
            }
            if (rows != 0 && rows != m - 1) {
                throw new SQLException(rows + " memberships written for " + (m - 1) + " members: is --db-url the server's?");
            }
        }
    }

    /**
     * The group id in a CREATE or JOIN reply (its fourth field), when there is one; a reply with a
     * different id than one already seen is a failure.
     */
    private void learnGroupId(Line reply) {
        if (reply.size() < 4) {
            return;
        }
        long id;
        try {
            id = Long.parseLong(reply.field(3));
        } catch (NumberFormatException e) {
            failed("a group id that is no number: " + reply);
            return;
        }
        if (groupId == null) {
            groupId = id;
        } else if (groupId != id) {
            failed("group id " + id + " where an earlier reply said " + groupId + ": " + reply);
        }
    }

    private void failed(String text) {
        failures++;
        if (firstFailure == null) {
            firstFailure = text;
        }
    }

    private long scheduled(long k) {
        return start + (long) (k * 1e9 / rate);
    }

    private void sendDue(long t, long total) {
        while (nextK < total) {
            long due = scheduled(nextK);
            if (due > t) {
                return;
            }
            int s = (int) (nextK % senders);
            Member sender = members.get(s);
            long q = seq.sent[s]++;
            sender.pending[(int) (q % sender.pending.length)] = due;
            sender.send(loop, "#g:GROUP:" + group + ":c" + q + ":" + new ChatStamp(s, q, due - origin).text());
            if (due >= windowStart && due < windowEnd) {
                sentInWindow++;
            }
            nextK++;
        }
    }

    static int run(Args a, String commandLine) throws IOException {
        Common common = Common.parse(a, commandLine);
        int m = a.positiveInt("members", 500);
        int senders = a.positiveInt("senders", 5);
        double rate = a.nonNegative("rate", 50);
        double warmup = a.nonNegative("warmup", 3);
        double duration = a.nonNegative("duration", 20);
        double drainMax = a.nonNegative("drain", 15);
        double setupMax = a.nonNegative("setup-timeout", 180);
        int parallel = a.positiveInt("connect-parallel", 64);
        String ack = a.str("ack", "each");
        String db = a.str("db-label", "");
        String prefix = a.str("prefix", "gm");
        String dbUrl = a.str("db-url", "");
        a.checkAllUsed();
        if (!ack.equals("each") && !ack.equals("read")) {
            throw new IllegalArgumentException("--ack must be each or read, not " + ack);
        }
        Result r = common.result("group");
        var g = new GroupFanout(common.address(), m, senders, rate, ack.equals("each"), prefix,
                dbUrl.isEmpty() ? null : dbUrl);
        g.members.forEach(p -> p.node = common.node(p.index));
        r.put("nodes", common.nodes().size());
        Outcome o;
        try {
            o = g.measure(new ServerProbe(common.serverPid(), null), parallel, setupMax, warmup, duration, drainMax, db,
                    ack);
        } finally {
            g.loop.close();
        }
        Figures.put(r, o);
        g.loop.putOutcome(r, g.firstFailure, o.receivedInWindow(), "nothing received in the window", o.sendFailures(),
                "GROUP sends");
        return Bench.emit(r, "group " + common.scenario() + " " + common.label() + " (" + db + "): " + m
                + " members, " + Bench.human(rate) + " msg/s (" + Bench.human(o.offeredDeliveriesPerS())
                + " deliveries/s offered): " + Bench.human(o.deliveriesPerS()) + " deliveries/s, p50 "
                + Bench.human(o.p50Ms()) + " ms, p99 " + Bench.human(o.p99Ms()) + " ms, max " + Bench.human(o.maxMs())
                + " ms; received " + o.receivedInWindow() + " of " + o.expectedInWindow() + ", lost " + o.lost()
                + ", duplicated " + o.duplicated() + "; setup " + Bench.human(o.setupS()) + " s; server CPU "
                + Bench.human(o.serverCpuPct()) + "%, generator CPU " + Bench.human(o.genCpuPct()) + "%");
    }

    private Outcome measure(ServerProbe probe, int parallel, double setupMax, double warmup,
            double duration, double drainMax, String db, String ack) throws IOException {
        long t0 = System.nanoTime();
        long deadline = t0 + Driver.seconds(setupMax);
        loop.openAll(members, parallel, deadline);
        while (joined < m) {
            loop.select(10);
            if (failures > 0) {
                throw new IOException("setup failed (" + loggedIn + " logged in, " + joined + " joined): " + firstFailure);
            }
            loop.checkSetup(probe, deadline, "setup timed out: " + loggedIn + " of " + m + " logged in, " + synced
                    + " synced, " + joined + " joined");
        }
        // The GROUP_JOINED notices (up to members² / 2 lines when they JOINed) drain before the load starts.
        while (System.nanoTime() - lastLine < 500_000_000L) {
            loop.select(50);
            loop.checkSetup(probe, deadline, "setup timed out: waiting for the join notices to drain");
        }
        double setupS = (System.nanoTime() - t0) / 1e9;
        for (int s = 0; s < senders; s++) {
            members.get(s).pending = new long[1 << 16];
        }

        var schedule = new Schedule(rate, warmup, duration);
        start = schedule.start;
        windowStart = schedule.windowStart;
        windowEnd = schedule.windowEnd;
        long total = schedule.total;
        var cpu = schedule.run(loop, probe, drainMax, new Schedule.Load() {
            @Override
            public long sendDue(long now) {
                GroupFanout.this.sendDue(now, total);
                return nextK < total ? scheduled(nextK) : -1;
            }

            @Override
            public boolean done() {
                return received + seq.gaps >= total * (m - 1);
            }

            @Override
            public long lastProgress() {
                return lastDelivery;
            }
        });
        long missing = seq.notArrived(m);
        return new Outcome(db, m, senders, rate, rate * (m - 1), ack, warmup, duration, setupS,
                arrivedInWindow / duration, latency.getValueAtPercentile(50) / 1e6,
                latency.getValueAtPercentile(90) / 1e6, latency.getValueAtPercentile(99) / 1e6,
                latency.getValueAtPercentile(99.9) / 1e6, latency.getMaxValue() / 1e6,
                confirmLatency.getValueAtPercentile(50) / 1e6, confirmLatency.getValueAtPercentile(99) / 1e6, nextK,
                confirmed, sendFailures, received, sentInWindow * (m - 1), receivedInWindow, seq.gaps + missing,
                missing, seq.duplicates, malformed, acks, cpu.server(), cpu.gen());
    }
}
