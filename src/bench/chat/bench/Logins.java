package chat.bench;

import chat.common.proto.Line;
import chat.common.wire.LegacyRecord;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Logins per second, and whether hashing stalls the reactor. Our server only (the C server has
 * no accounts), run with its default PBKDF2 cost.
 *
 * <p>Setup: {@code accounts} accounts are registered over {@code concurrency} text connections
 * (each registration is one full hash too). Meanwhile {@code chat-clients} legacy clients join
 * the room; they then send {@code chat-rate} records a second in total on a fixed schedule (as
 * {@link Latency} does: each record carries its scheduled time, so a late send counts in full).
 *
 * <p>Time line, from the first chat send: a warm-up; a <b>baseline</b> window of chat alone; the
 * logins begin (each of the {@code concurrency} connections logs in, and on {@code LOGIN:true}
 * logs out and logs in again with its next account), a ramp; the <b>logins</b> window, with chat
 * and logins together; then the logins stop and the chat drains. Chat latency is recorded per
 * window by scheduled time; logins count when their {@code LOGIN:true} arrives in the logins
 * window, and their latency runs from the LOGIN line's send to that reply.
 */
final class Logins {

    /** One run's figures, in its result line (see {@link Figures}). */
    record Outcome(int accounts, int concurrency, int chatClients, double chatRate, double chatOfferedDeliveriesPerS,
            double warmupS, double baselineS, double rampS, double durationS, double setupS, long registered,
            long loginsDone, double loginsPerS, long loginFailures, double loginP50Ms, double loginP99Ms,
            double loginMaxMs, ChatWindow base, ChatWindow logins, long chatSent, long chatReceived, long lost,
            long corrupted, long duplicated) {}

    private static final long MAX_LATENCY_NS = 120_000_000_000L;
    static final String PASSWORD = "bench-password-1";

    private final NioLoop loop;
    private final int accounts;
    private final int concurrency;
    private final int chatClients;
    private final double chatRate;
    private final String prefix;
    private final BenchRecord codec = new BenchRecord();
    private final long origin = System.nanoTime();

    private final List<LoginPeer> loginPeers = new ArrayList<>();
    private final List<ChatPeer> chatPeers = new ArrayList<>();

    // registration
    private int registered;
    private int registerFailures;
    private String firstFailure;

    // logins
    private boolean loggingIn;
    private long loginWindowStart = Long.MAX_VALUE;
    private long loginWindowEnd = Long.MAX_VALUE;
    private long loginsStarted;
    private long loginsDone;
    private long loginsInWindow;
    private long loginFailures;
    private final Histogram loginLatency = new Histogram(MAX_LATENCY_NS, 3);

    // chat
    private long chatStart;
    private long baseStart;
    private long baseEnd;
    private long nextK;
    private final Driver.Sequences seq;
    private final Histogram baseLatency = new Histogram(MAX_LATENCY_NS, 3);
    private final Histogram loginsChatLatency = new Histogram(MAX_LATENCY_NS, 3);
    private long baseSent;
    private long loginsChatSent;
    private long received;
    private long corrupted;
    private long announcesAtZero;
    private long lastDelivery;
    private final ByteBuffer record = ByteBuffer.allocate(LegacyRecord.SIZE);
    private final byte[] scratch = new byte[LegacyRecord.SIZE];

    Logins(InetSocketAddress address, int accounts, int concurrency, int chatClients, double chatRate, String prefix)
            throws IOException {
        if (chatClients < 2) {
            throw new IllegalArgumentException("--chat-clients must be at least 2");
        }
        if (accounts < concurrency) {
            throw new IllegalArgumentException("--accounts (" + accounts + ") must be at least --concurrency ("
                    + concurrency + "): two connections must not log into one account at once");
        }
        this.loop = new NioLoop(address);
        this.accounts = accounts;
        this.concurrency = concurrency;
        this.chatClients = chatClients;
        this.chatRate = chatRate;
        this.prefix = prefix;
        for (int i = 0; i < concurrency; i++) {
            loginPeers.add(new LoginPeer(i));
        }
        for (int i = 0; i < chatClients; i++) {
            chatPeers.add(new ChatPeer(i));
        }
        seq = new Driver.Sequences(chatClients, chatClients);
    }

    private String account(int i) {
        return prefix + i;
    }

    private final class LoginPeer extends NioLoop.TextPeer {
        /** The accounts this connection logs into, in turn: index, index + K, ... (below P). */
        private final List<Integer> mine = new ArrayList<>();
        private int next;
        private long sentAt;
        private long tag;

        LoginPeer(int index) {
            super(index);
            for (int a = index; a < accounts; a += concurrency) {
                mine.add(a);
            }
        }

        @Override
        void onConnected(NioLoop l) {
            for (int a : mine) {
                send(l, Line.of("r" + a, "REGISTER", account(a), PASSWORD));
            }
        }

        void login(NioLoop l) {
            int a = mine.get(next);
            next = (next + 1) % mine.size();
            sentAt = System.nanoTime();
            loginsStarted++;
            send(l, Line.of("l" + (++tag), "LOGIN", account(a), PASSWORD));
        }

        @Override
        void onLine(NioLoop l, String text) {
            if (!text.startsWith("#")) {
                return; // pushes: SYNCED, events
            }
            Line line = Line.parse(text);
            String cmd = line.command();
            boolean ok = line.size() > 1 && line.field(1).equals("true");
            if (cmd.equals("REGISTER")) {
                if (ok || (line.size() > 2 && line.field(2).equals("name-taken"))) {
                    registered++;
                } else {
                    registerFailures++;
                    failure(text);
                }
            } else if (cmd.equals("LOGIN")) {
                long t = l.now;
                loginsDone++;
                if (ok) {
                    if (t >= loginWindowStart && t < loginWindowEnd) {
                        loginsInWindow++;
                        loginLatency.recordValue(Math.min(MAX_LATENCY_NS, t - sentAt));
                    }
                    send(l, Line.of("o", "LOGOUT"));
                } else {
                    loginFailures++;
                    failure(text);
                }
                if (loggingIn) {
                    login(l);
                }
            }
        }
    }

    private void failure(String text) {
        if (firstFailure == null) {
            firstFailure = text;
        }
    }

    private final class ChatPeer extends NioLoop.RecordPeer {
        long announces;

        ChatPeer(int index) {
            super(index);
        }

        @Override
        void onConnected(NioLoop l) {
            codec.encodeAnnounce(scratch, index);
            l.send(this, scratch.clone());
        }

        @Override
        void onRecord(NioLoop l, ByteBuffer src, int base) {
            byte type = src.get(base + LegacyRecord.TYPE_OFFSET);
            if (type == LegacyRecord.ONLINE) {
                announces++;
                if (index == 0) {
                    announcesAtZero++;
                }
                return;
            }
            if (type != LegacyRecord.CHAT) {
                return; // went offline: counted by the loop as a disconnect if it was ours
            }
            if (!codec.verify(src, base)) {
                corrupted++;
                return;
            }
            int s = codec.sender;
            if (s >= chatClients || s == index) {
                corrupted++;
                return;
            }
            if (!seq.received(index, s, codec.seq)) {
                return; // a duplicate (the sender was checked above)
            }
            received++;
            long now = l.now;
            lastDelivery = now;
            long due = origin + codec.time;
            long latency = Math.min(MAX_LATENCY_NS, Math.max(0, now - due));
            if (due >= baseStart && due < baseEnd) {
                baseLatency.recordValue(latency);
            } else if (due >= loginWindowStart && due < loginWindowEnd) {
                loginsChatLatency.recordValue(latency);
            }
        }
    }

    private long scheduled(long k) {
        return chatStart + (long) (k * 1e9 / chatRate);
    }

    private void sendDue(long t, long total) {
        while (nextK < total) {
            long due = scheduled(nextK);
            if (due > t) {
                return;
            }
            int s = (int) (nextK % chatClients);
            record.clear();
            codec.encodeChat(record, s, seq.sent[s]++, due - origin);
            loop.send(chatPeers.get(s), record.array(), 0, LegacyRecord.SIZE);
            if (due >= baseStart && due < baseEnd) {
                baseSent++;
            } else if (due >= loginWindowStart && due < loginWindowEnd) {
                loginsChatSent++;
            }
            nextK++;
        }
    }

    static int run(Args a, String commandLine) throws IOException {
        Common common = Common.parse(a, commandLine);
        int concurrency = a.positiveInt("concurrency", 4);
        int accounts = a.positiveInt("accounts", 2 * concurrency);
        int chatClients = a.positiveInt("chat-clients", 100);
        double chatRate = a.nonNegative("chat-rate", 200);
        double warmup = a.nonNegative("warmup", 3);
        double baseline = a.nonNegative("baseline", 10);
        double ramp = a.nonNegative("ramp", 2);
        double duration = a.nonNegative("duration", 15);
        double drainMax = a.nonNegative("drain", 10);
        double setupMax = a.nonNegative("setup-timeout", 120);
        String prefix = a.str("prefix", "bench");
        a.checkAllUsed();
        if (chatRate <= 0) {
            throw new IllegalArgumentException("--chat-rate must be positive");
        }
        Result r = common.result("logins");
        var l = new Logins(common.address(), accounts, concurrency, chatClients, chatRate, prefix);
        Outcome o;
        try {
            o = l.measure(new ServerProbe(common.serverPid(), null), setupMax, warmup, baseline, ramp, duration,
                    drainMax);
        } finally {
            l.loop.close();
        }
        Figures.put(r, o);
        l.loop.putOutcome(r, l.firstFailure, o.loginsDone(), "no login completed in the window", o.loginFailures(),
                "logins");
        return Bench.emit(r, "logins " + common.scenario() + " " + common.label() + ": " + Bench.human(o.loginsPerS())
                + " logins/s (" + o.loginsDone() + " in " + Bench.human(duration) + " s, " + concurrency
                + " at a time; latency p50 " + Bench.human(o.loginP50Ms()) + " ms, p99 " + Bench.human(o.loginP99Ms())
                + " ms); chat " + chatClients + " clients at " + Bench.human(chatRate) + " msg/s: p99 "
                + Bench.human(o.base().p99Ms()) + " ms without logins, " + Bench.human(o.logins().p99Ms())
                + " ms with (max " + Bench.human(o.base().maxMs()) + " / " + Bench.human(o.logins().maxMs())
                + " ms); lost " + o.lost() + ", corrupted " + o.corrupted() + "; server CPU "
                + Bench.human(o.base().serverCpuPct()) + "% / " + Bench.human(o.logins().serverCpuPct()) + "%");
    }

    private Outcome measure(ServerProbe probe, double setupMax, double warmup, double baseline, double ramp,
            double duration, double drainMax) throws IOException {
        long t0 = System.nanoTime();
        long setupDeadline = t0 + Driver.seconds(setupMax);
        // Registration (one hash each, on the server's hashers) while the chat clients connect.
        loop.openAll(loginPeers, 16, setupDeadline);
        loop.openAll(chatPeers, 64, setupDeadline);
        while (registered + registerFailures < accounts || announcesAtZero < chatClients - 1) {
            loop.select(10);
            loop.checkSetup(probe, setupDeadline, "setup timed out registering " + accounts + " accounts ("
                    + registered + " done) and joining the chat clients (" + announcesAtZero + " announced)");
        }
        double setupS = (System.nanoTime() - t0) / 1e9;
        if (registerFailures > 0) {
            throw new IOException(registerFailures + " registrations failed, the first: " + firstFailure);
        }

        chatStart = System.nanoTime() + 1_000_000;
        baseStart = chatStart + Driver.seconds(warmup);
        baseEnd = baseStart + Driver.seconds(baseline);
        long loginsBegin = baseEnd;
        loginWindowStart = loginsBegin + Driver.seconds(ramp);
        loginWindowEnd = loginWindowStart + Driver.seconds(duration);
        long total = (long) Math.ceil((warmup + baseline + ramp + duration) * chatRate);
        ServerProbe.CpuMark cpu0 = null;
        var baseCpu = new ServerProbe.CpuPct(Double.NaN, Double.NaN);
        var loginsCpu = baseCpu;
        int phase = 0; // 0 warm-up, 1 baseline, 2 ramp, 3 logins window, 4 draining
        long drainDeadline = Long.MAX_VALUE;
        while (true) {
            long t = System.nanoTime();
            sendDue(t, total);
            if (phase == 0 && t >= baseStart) {
                cpu0 = probe.cpuMark();
                phase = 1;
            }
            if (phase == 1 && t >= baseEnd) {
                baseCpu = probe.cpuPctSince(cpu0, (t - baseStart) / 1e9);
                loggingIn = true;
                for (LoginPeer p : loginPeers) {
                    p.login(loop);
                }
                phase = 2;
            }
            if (phase == 2 && t >= loginWindowStart) {
                cpu0 = probe.cpuMark();
                phase = 3;
            }
            if (phase == 3 && t >= loginWindowEnd) {
                loginsCpu = probe.cpuPctSince(cpu0, (t - loginWindowStart) / 1e9);
                loggingIn = false;
                phase = 4;
            }
            if (phase == 4 && nextK >= total) {
                if (drainDeadline == Long.MAX_VALUE) {
                    drainDeadline = t + Driver.seconds(drainMax);
                    lastDelivery = t;
                }
                long want = total * (chatClients - 1);
                boolean chatDone = received + seq.gaps >= want - loop.disconnected * total;
                if ((chatDone && loginsDone >= loginsStarted) || t > drainDeadline
                        || (chatDone && t - lastDelivery > Driver.seconds(Math.min(5, drainMax)))) {
                    break;
                }
                loop.select(10);
            } else {
                loop.selectWithin(nextK < total ? scheduled(nextK) - System.nanoTime() : 10_000_000);
            }
            if (!probe.alive()) {
                throw new IOException("the server process is gone");
            }
        }
        long missing = seq.notArrived(chatClients);
        return new Outcome(accounts, concurrency, chatClients, chatRate, chatRate * (chatClients - 1), warmup, baseline,
                ramp, duration, setupS, registered, loginsInWindow, loginsInWindow / duration, loginFailures,
                loginLatency.getValueAtPercentile(50) / 1e6, loginLatency.getValueAtPercentile(99) / 1e6,
                loginLatency.getMaxValue() / 1e6, chat(baseLatency, baseSent, baseCpu),
                chat(loginsChatLatency, loginsChatSent, loginsCpu), nextK, received, seq.gaps + missing, corrupted,
                seq.duplicates);
    }

    private ChatWindow chat(Histogram h, long sentInWindow, ServerProbe.CpuPct cpu) {
        return ChatWindow.of(h, sentInWindow * (chatClients - 1), cpu);
    }
}
