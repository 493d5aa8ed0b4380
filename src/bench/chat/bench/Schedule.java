package chat.bench;

import java.io.IOException;

/**
 * A fixed-rate load of the account scenarios ({@link GroupFanout}, {@link Stored}): message k is
 * due at {@code start + k / rate}; the measured window follows the warm-up; the server's and the
 * generator's CPU are read over that window. {@link #run} drives the loop until everything due
 * was sent and either all came back, the drain's bound passed, or nothing moved for 5 s (at most
 * the drain).
 */
final class Schedule {

    /** What the scenario does on the schedule. */
    interface Load {
        /** Sends every message due by {@code now} that was not sent yet; the next one's due time, or -1 when all were. */
        long sendDue(long now) throws IOException;

        /** Whether everything sent has come back (confirmed, delivered). */
        boolean done();

        /** When something last came back (System.nanoTime()). */
        long lastProgress();

        /** Whether to stop waiting at once (a connection was lost, say). */
        default boolean broken() {
            return false;
        }
    }

    final double rate;
    final long start;
    final long windowStart;
    final long windowEnd;
    /** Messages in all: warm-up and window. */
    final long total;

    Schedule(double rate, double warmup, double duration) {
        this.rate = rate;
        this.start = System.nanoTime() + 1_000_000;
        this.windowStart = start + Driver.seconds(warmup);
        this.windowEnd = windowStart + Driver.seconds(duration);
        this.total = (long) Math.ceil((warmup + duration) * rate);
    }

    /** When message {@code k} is due. */
    long due(long k) {
        return start + (long) (k * 1e9 / rate);
    }

    boolean inWindow(long t) {
        return t >= windowStart && t < windowEnd;
    }

    /** Runs {@code load} to its end (see the class comment); the CPU use over the window. */
    ServerProbe.CpuPct run(NioLoop loop, ServerProbe probe, double drainMax, Load load) throws IOException {
        ServerProbe.CpuMark cpu0 = null;
        var cpu = new ServerProbe.CpuPct(Double.NaN, Double.NaN);
        boolean open = false;
        boolean closed = false;
        long drainStart = 0;
        while (true) {
            long t = System.nanoTime();
            long next = load.sendDue(t);
            if (!open && !closed && t >= windowStart) {
                cpu0 = probe.cpuMark();
                open = true;
            } else if (open && t >= windowEnd) {
                cpu = probe.cpuPctSince(cpu0, (t - windowStart) / 1e9);
                open = false;
                closed = true;
            }
            if (next < 0 && closed) {
                if (drainStart == 0) {
                    drainStart = t;
                }
                long quiet = t - Math.max(drainStart, load.lastProgress());
                if (load.done() || t - drainStart > Driver.seconds(drainMax)
                        || quiet > Driver.seconds(Math.min(5, drainMax))) {
                    return cpu;
                }
                loop.select(10);
            } else {
                loop.selectWithin(next >= 0 ? next - System.nanoTime() : 10_000_000);
            }
            if (!probe.alive()) {
                throw new IOException("the server process is gone");
            }
            if (load.broken()) {
                return cpu;
            }
        }
    }
}
