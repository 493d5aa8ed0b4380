package chat.bench;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Fan-out throughput: {@code n} clients join the room, the first {@code senders} of them send chat
 * records as fast as the server takes them, and every client reads and checks every record.
 *
 * <p>"As fast as the server takes them", but bounded: the senders together keep at most
 * {@code senders * window} records in flight, counted against the receiver furthest behind by
 * the 151-byte units it has received, intact or not, so that a server that garbles records (the C
 * server's partial reads) is still driven. That keeps every socket busy without letting gigabytes
 * pile up in kernel buffers, and no client falls far enough behind to be disconnected as a slow
 * consumer: what is measured is how fast the server delivers to everyone, not how fast it can
 * outrun the slowest reader of this generator.
 *
 * <p>Timeline: connect and announce, synchronise (everyone in the room), warm-up, the measured
 * window, then a drain until every record sent has arrived or nothing has come for a while.
 * Deliveries are counted in the window; every record of the run is checked.
 */
final class Fanout extends Driver {

    private static final int WARMUP = 0;
    private static final int MEASURE = 1;
    private static final int DRAIN = 2;
    /** Each sender's output batch: 64 records, written with one call. */
    private static final int SENDER_BATCH = 64;

    private final Sequences seq;
    private final int window;
    private int nextSender;
    private final long[] delivered = new long[3];
    private int phase = WARMUP;
    private long lastDelivery;

    Fanout(java.net.InetSocketAddress address, int n, int senders, int window) throws IOException {
        super(address, n);
        if (n < 2) {
            throw new IllegalArgumentException("fan-out needs at least 2 clients");
        }
        this.seq = new Sequences(n, senders);
        this.window = window;
    }

    @Override
    void onChat(Conn to, ByteBuffer src, int base) {
        if (!accept(to, src, base, seq)) {
            return;
        }
        delivered[phase]++;
        lastDelivery = now;
    }

    /**
     * Tops up the senders, starting from a different one each time so that they share the window
     * fairly, while the records in flight to the receiver furthest behind stay under the window.
     */
    private void pump() {
        int senders = seq.senders;
        long stamp = System.nanoTime() - origin;
        long budget = (long) window * senders;
        for (int k = 0; k < senders; k++) {
            int i = (nextSender + k) % senders;
            Conn c = conns[i];
            if (c.closed || c.writeBlocked) {
                continue;
            }
            ByteBuffer out = c.out;
            for (int round = 0; round < 4; round++) {
                while (out.remaining() >= SIZE && inFlight() < budget) {
                    codec.encodeChat(out, i, seq.sent[i]++, stamp);
                }
                if (out.position() == 0) {
                    break;
                }
                flush(c);
                if (c.writeBlocked || c.closed) {
                    break;
                }
            }
        }
        nextSender = (nextSender + 1) % senders;
    }

    /**
     * Records sent that the receiver furthest behind has not received yet (a sender's own are not
     * sent to it). O(clients) a call: a few microseconds at 2,000 clients.
     */
    private long inFlight() {
        long total = seq.totalSent();
        long worst = 0;
        for (Conn c : conns) {
            if (c.closed) {
                continue;
            }
            long expected = total - (c.index < seq.senders ? seq.sent[c.index] : 0);
            worst = Math.max(worst, expected - (c.units - c.unitsBase));
        }
        return worst;
    }

    /**
     * About 500,000 deliveries in flight in all (records in flight times receivers), 4 to 1,024
     * records a sender: enough to keep both servers busy for a good fraction of a second, little
     * enough that the slower one drains it in seconds when the senders stop.
     */
    static int defaultWindow(int n, int senders) {
        long perSender = 500_000L / ((long) senders * (n - 1));
        return (int) Math.max(4, Math.min(1024, perSender));
    }

    static int run(Args a, String commandLine) throws IOException {
        Common common = Common.parse(a, commandLine);
        int n = a.positiveInt("clients", 100);
        int senders = a.positiveInt("senders", Math.min(n, 10));
        int window = a.positiveInt("window", defaultWindow(n, senders));
        double warmup = a.nonNegative("warmup", 3);
        double duration = a.nonNegative("duration", 10);
        double drainMax = a.nonNegative("drain", 20);
        int parallel = a.positiveInt("connect-parallel", 64);
        int receiveBuffer = (int) a.nonNegative("rcvbuf", 0);
        double setupMax = a.nonNegative("setup-timeout", 120);
        a.checkAllUsed();

        Result r = common.result("fanout").put("clients", n).put("senders", senders).put("window", window)
                .put("warmup_s", warmup).put("duration_s", duration);
        var f = new Fanout(common.address(), n, senders, window);
        f.receiveBuffer = receiveBuffer;
        r.put("rcvbuf", receiveBuffer);
        try {
            f.measure(r, common.probe(), parallel, setupMax, warmup, duration, drainMax);
        } finally {
            f.closeAll();
        }
        return Bench.emit(r, "fanout " + common.scenario() + " " + common.label() + ": " + n + " clients, "
                + senders + " senders: " + Bench.human(r.get("deliveries_per_s")) + " deliveries/s; lost "
                + r.get("lost") + " (" + r.get("not_arrived") + " not arrived by the end), corrupted "
                + r.get("corrupted") + ", duplicated " + r.get("duplicated") + "; generator CPU "
                + Bench.human(r.get("gen_cpu_pct")) + "%, server CPU " + Bench.human(r.get("server_cpu_pct")) + "%");
    }

    private void measure(Result r, ServerProbe probe, int parallel, double setupMax, double warmup,
            double duration, double drainMax) throws IOException {
        probe.login(); // its password hashing now, not at the window's start
        setUp(r, parallel, setupMax);
        for (int i = 0; i < seq.senders; i++) {
            if (conns[i].out == null) {
                conns[i].out = ByteBuffer.allocateDirect(SIZE * SENDER_BATCH);
            }
        }

        for (Conn c : conns) {
            c.unitsBase = c.units;
        }
        long start = System.nanoTime();
        long measureAt = start + seconds(warmup);
        long drainAt = measureAt + seconds(duration);
        long windowStart = 0;
        long windowEnd = 0;
        double cpu0 = 0;
        double serverCpu0 = 0;
        long alloc0 = -1;
        long sentAtStart = 0;
        long unitsAtStart = 0;
        long drainDeadline = Long.MAX_VALUE;
        lastDelivery = start;
        long previous = start;
        long slowest = 0;
        while (true) {
            long t = System.nanoTime();
            slowest = Math.max(slowest, t - previous);
            previous = t;
            if (phase == WARMUP && t >= measureAt) {
                alloc0 = probe.hasStats() ? probe.reactorAllocated() : -1;
                windowStart = System.nanoTime();
                cpu0 = ServerProbe.ownCpuSeconds();
                serverCpu0 = probe.cpuSeconds();
                sentAtStart = seq.totalSent();
                unitsAtStart = units;
                phase = MEASURE;
            } else if (phase == MEASURE && t >= drainAt) {
                windowEnd = System.nanoTime();
                phase = DRAIN;
                double cpu = ServerProbe.ownCpuSeconds() - cpu0;
                double serverCpu = probe.cpuSeconds() - serverCpu0;
                double secs = (windowEnd - windowStart) / 1e9;
                r.put("window_s", secs);
                r.put("deliveries", delivered[MEASURE]);
                r.put("deliveries_per_s", delivered[MEASURE] / secs);
                r.put("sent_per_s", (seq.totalSent() - sentAtStart) / secs);
                r.put("records_per_s", (units - unitsAtStart) / secs);
                r.put("gen_cpu_pct", 100 * cpu / secs);
                r.put("server_cpu_pct", 100 * serverCpu / secs);
                if (probe.hasStats()) {
                    long alloc = probe.reactorAllocated();
                    if (alloc0 >= 0 && alloc >= 0) {
                        r.put("reactor_alloc_bytes", alloc - alloc0);
                        r.put("reactor_alloc_per_delivery", (double) (alloc - alloc0) / delivered[MEASURE]);
                    }
                }
                drainDeadline = t + seconds(drainMax);
            }
            if (phase == DRAIN) {
                if (allArrived() || t - lastDelivery > seconds(Math.min(3, drainMax)) || t > drainDeadline) {
                    r.put("drain_s", (t - windowEnd) / 1e9);
                    break;
                }
                select(10);
            } else {
                pump();
                select(1);
            }
            if (!probe.alive()) {
                throw new IOException("the server process is gone");
            }
        }
        r.put("gen_loop_max_ms", slowest / 1e6);
        r.put("sent", seq.totalSent());
        r.put("expected", seq.expectedTotal(n));
        r.put("received", delivered[WARMUP] + delivered[MEASURE] + delivered[DRAIN]);
        putLosses(r, seq);
        putEnd(r);
    }

    private boolean allArrived() {
        long want = 0;
        long got = 0;
        for (int s = 0; s < seq.senders; s++) {
            want += seq.sent[s] * (n - 1 - disconnected);
        }
        got = delivered[WARMUP] + delivered[MEASURE] + delivered[DRAIN];
        return got >= want;
    }
}
