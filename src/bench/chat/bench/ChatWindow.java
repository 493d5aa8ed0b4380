package chat.bench;

import org.HdrHistogram.Histogram;

/**
 * Chat latency in one window of a scenario that measures chat beside something else: without it
 * ({@code base}) and while it runs (logins in {@link Logins}, a file transfer in
 * {@link FileTransfer}). Latencies run from each message's scheduled send to its delivery;
 * {@code expected} is the deliveries due for the messages scheduled in the window, {@code received}
 * those that arrived; CPU in per cent of one core over the window.
 */
record ChatWindow(double p50Ms, double p99Ms, double p999Ms, double maxMs, long received, long expected,
        double serverCpuPct, double genCpuPct) {

    /** The window whose latencies (ns) are in {@code h}; an empty histogram gives NaN, not 0 ms. */
    static ChatWindow of(Histogram h, long expected, ServerProbe.CpuPct cpu) {
        boolean none = h.getTotalCount() == 0;
        return new ChatWindow(none ? Double.NaN : h.getValueAtPercentile(50) / 1e6,
                none ? Double.NaN : h.getValueAtPercentile(99) / 1e6,
                none ? Double.NaN : h.getValueAtPercentile(99.9) / 1e6, none ? Double.NaN : h.getMaxValue() / 1e6,
                h.getTotalCount(), expected, cpu.server(), cpu.gen());
    }
}
