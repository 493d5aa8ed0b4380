package chat.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.HdrHistogram.Histogram;

/**
 * Latency at a fixed offered load: {@code n} clients, {@code rate} chat records a second in total,
 * sent on a fixed schedule by the first {@code senders} clients in turn (message k is due at
 * {@code start + k / rate} and goes out from client {@code k mod senders}). Each record carries
 * its scheduled time, and a delivery's latency is its arrival minus that time, so a send the
 * generator made late, or that the server held up, counts in full (no coordinated omission).
 * Every delivery of a record scheduled in the measured window goes into an HdrHistogram.
 *
 * <p>Both ends of a latency are {@code System.nanoTime()} in this one process. Sends happen when
 * the selector wakes, which it does with millisecond resolution: a send can leave up to about a
 * millisecond after its time, and the result reports by how much they did.
 */
final class Latency extends Driver {

    /** Latencies above a minute are recorded as a minute: by then the run has failed anyway. */
    private static final long MAX_LATENCY_NS = 60_000_000_000L;

    private final double rate;
    private final Sequences seq;
    private final Histogram histogram = new Histogram(MAX_LATENCY_NS, 3);
    private final ByteBuffer record = ByteBuffer.allocate(SIZE);

    private long start;
    private long windowStart;
    private long windowEnd;
    private long nextK;
    private long windowSent;
    private long windowReceived;
    private long received;
    private long lastDelivery;
    private long lateMax;
    private long lateSum;

    Latency(java.net.InetSocketAddress address, int n, int senders, double rate) throws IOException {
        super(address, n);
        if (n < 2) {
            throw new IllegalArgumentException("latency needs at least 2 clients");
        }
        this.seq = new Sequences(n, senders);
        if (rate <= 0) {
            throw new IllegalArgumentException("--rate must be positive: " + rate);
        }
        this.rate = rate;
    }

    private long scheduled(long k) {
        return start + (long) (k * 1e9 / rate);
    }

    @Override
    void onChat(Conn to, ByteBuffer src, int base) {
        if (!accept(to, src, base, seq)) {
            return;
        }
        received++;
        lastDelivery = now;
        long due = origin + codec.time;
        if (due >= windowStart && due < windowEnd) {
            windowReceived++;
            histogram.recordValue(Math.min(MAX_LATENCY_NS, Math.max(0, now - due)));
        }
    }

    /** Sends every message due by {@code t}, each stamped with the time it was due. */
    private void sendDue(long t, long total) {
        while (nextK < total) {
            long due = scheduled(nextK);
            if (due > t) {
                return;
            }
            int s = (int) (nextK % seq.senders);
            Conn c = conns[s];
            record.clear();
            codec.encodeChat(record, s, seq.sent[s]++, due - origin);
            send(c, record.array(), 0, SIZE);
            if (due >= windowStart && due < windowEnd) {
                windowSent++;
            }
            long late = System.nanoTime() - due;
            lateMax = Math.max(lateMax, late);
            lateSum += late;
            nextK++;
        }
    }

    static int run(Args a, String commandLine) throws IOException {
        Common common = Common.parse(a, commandLine);
        int n = a.positiveInt("clients", 1000);
        int senders = a.positiveInt("senders", n);
        double rate = a.nonNegative("rate", 100);
        double warmup = a.nonNegative("warmup", 3);
        double duration = a.nonNegative("duration", 15);
        double drainMax = a.nonNegative("drain", 15);
        int parallel = a.positiveInt("connect-parallel", 64);
        int receiveBuffer = (int) a.nonNegative("rcvbuf", 0);
        double setupMax = a.nonNegative("setup-timeout", 120);
        a.checkAllUsed();

        Result r = common.result("latency").put("clients", n).put("senders", senders).put("rate", rate)
                .put("offered_deliveries_per_s", rate * (n - 1)).put("warmup_s", warmup).put("duration_s", duration);
        var l = new Latency(common.address(), n, senders, rate);
        l.receiveBuffer = receiveBuffer;
        r.put("rcvbuf", receiveBuffer);
        try {
            l.measure(r, common.probe(), parallel, setupMax, warmup, duration, drainMax);
        } finally {
            l.closeAll();
        }
        return Bench.emit(r, "latency " + common.scenario() + " " + common.label() + ": " + n + " clients, "
                + Bench.human(rate) + " msg/s (" + Bench.human(rate * (n - 1)) + " deliveries/s): p50 "
                + Bench.human(r.get("p50_ms")) + " ms, p99 " + Bench.human(r.get("p99_ms")) + " ms, p99.9 "
                + Bench.human(r.get("p999_ms")) + " ms, max " + Bench.human(r.get("max_ms")) + " ms; received "
                + r.get("received_in_window") + " of " + r.get("expected_in_window") + ", lost " + r.get("lost")
                + ", corrupted " + r.get("corrupted") + "; generator CPU " + Bench.human(r.get("gen_cpu_pct"))
                + "%, server CPU " + Bench.human(r.get("server_cpu_pct")) + "%");
    }

    private void measure(Result r, ServerProbe probe, int parallel, double setupMax, double warmup,
            double duration, double drainMax) throws IOException {
        setUp(r, parallel, setupMax);

        start = System.nanoTime() + 1_000_000;
        windowStart = start + seconds(warmup);
        windowEnd = windowStart + seconds(duration);
        long total = (long) Math.ceil((warmup + duration) * rate);
        double cpu0 = Double.NaN;
        double serverCpu0 = Double.NaN;
        boolean windowOpen = false;
        long drainDeadline = Long.MAX_VALUE;
        while (true) {
            long t = System.nanoTime();
            sendDue(t, total);
            if (!windowOpen && t >= windowStart && Double.isNaN(cpu0)) {
                cpu0 = ServerProbe.ownCpuSeconds();
                serverCpu0 = probe.cpuSeconds();
                windowOpen = true;
            } else if (windowOpen && t >= windowEnd) {
                double secs = (t - windowStart) / 1e9;
                r.put("gen_cpu_pct", 100 * (ServerProbe.ownCpuSeconds() - cpu0) / secs);
                r.put("server_cpu_pct", 100 * (probe.cpuSeconds() - serverCpu0) / secs);
                windowOpen = false;
            }
            if (nextK >= total) {
                if (windowOpen) { // every message is out: the window's CPU figures end here
                    double secs = (t - windowStart) / 1e9;
                    r.put("gen_cpu_pct", 100 * (ServerProbe.ownCpuSeconds() - cpu0) / secs);
                    r.put("server_cpu_pct", 100 * (probe.cpuSeconds() - serverCpu0) / secs);
                    windowOpen = false;
                }
                if (drainDeadline == Long.MAX_VALUE) {
                    drainDeadline = t + seconds(drainMax);
                    lastDelivery = t;
                }
                long want = total * (n - 1 - disconnected);
                if (received >= want || t - lastDelivery > seconds(Math.min(5, drainMax)) || t > drainDeadline) {
                    break;
                }
                select(10);
            } else {
                long wait = scheduled(nextK) - System.nanoTime();
                select(wait <= 0 ? 0 : Math.max(1, (wait + 999_999) / 1_000_000));
            }
            if (!probe.alive()) {
                throw new IOException("the server process is gone");
            }
        }
        Histogram h = histogram;
        r.put("p50_ms", h.getValueAtPercentile(50) / 1e6);
        r.put("p90_ms", h.getValueAtPercentile(90) / 1e6);
        r.put("p99_ms", h.getValueAtPercentile(99) / 1e6);
        r.put("p999_ms", h.getValueAtPercentile(99.9) / 1e6);
        r.put("max_ms", h.getMaxValue() / 1e6);
        r.put("mean_ms", h.getMean() / 1e6);
        r.put("sent", nextK);
        r.put("expected", seq.expectedTotal(n));
        r.put("received", received);
        r.put("expected_in_window", windowSent * (n - 1));
        r.put("received_in_window", windowReceived);
        putLosses(r, seq);
        r.put("send_late_max_ms", lateMax / 1e6);
        r.put("send_late_mean_ms", nextK == 0 ? 0.0 : lateSum / 1e6 / nextK);
        putEnd(r);
    }
}
