package chat.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Idle connections: opens {@code n} connections that send nothing, and holds them.
 *
 * <p>Why nothing, not an announcement: each announcement is relayed to every client already in the
 * room, so 10,000 of them would be 50 million relayed records, a fan-out test rather than the
 * cost of an idle connection. A connection that has said nothing is what a server must hold for
 * every client that is connected but quiet. The C server keeps it open indefinitely; ours closes
 * it after {@code --identify-timeout} (10 s by default, protocol 1.1), which {@code make bench}
 * raises for this scenario.
 *
 * <p>Reports the time until every connect completed and, given the server's pid, until the server
 * had accepted them all (its open descriptors grew by {@code n}), and the server's resident memory
 * before and after. Then holds them for {@code --hold} seconds (or, with {@code --stdin true},
 * until standard input closes) so that a script can look at the server meanwhile; the line
 * {@code # ready} on standard output says they are all open. At the end every connection is
 * checked to be still open.
 */
final class Idle extends Driver {

    private long unexpectedRecords;

    Idle(java.net.InetSocketAddress address, int n) throws IOException {
        super(address, n);
    }

    @Override
    void onConnected(Conn c) {
        // says nothing: see the class comment
    }

    @Override
    void onChat(Conn to, ByteBuffer src, int base) {
        unexpectedRecords++;
    }

    static int run(Args a, String commandLine) throws IOException {
        Common common = Common.parse(a, commandLine);
        int n = a.positiveInt("clients", 10_000);
        int parallel = a.positiveInt("connect-parallel", 64);
        int receiveBuffer = (int) a.nonNegative("rcvbuf", 0);
        double hold = a.nonNegative("hold", 3);
        boolean untilStdinCloses = a.flag("stdin", false);
        double setupMax = a.nonNegative("setup-timeout", 120);
        a.checkAllUsed();

        Result r = common.result("idle").put("clients", n).put("connect_parallel", parallel);
        var idle = new Idle(common.address(), n);
        idle.receiveBuffer = receiveBuffer;
        try {
            idle.measure(r, common.probe(), parallel, hold, untilStdinCloses, setupMax);
        } finally {
            idle.closeAll();
        }
        return Bench.emit(r, "idle " + common.scenario() + " " + common.label() + ": " + n
                + " connections open in " + Bench.human(r.get("connect_s")) + " s, accepted in "
                + Bench.human(r.get("accept_s")) + " s; server RSS " + Bench.human(r.get("rss_mb")) + " MB ("
                + Bench.human(r.get("rss_per_conn_kb")) + " KB a connection); " + r.get("open_at_end")
                + " still open at the end");
    }

    private void measure(Result r, ServerProbe probe, int parallel, double hold, boolean untilStdinCloses,
            double setupMax) throws IOException {
        long files0 = probe.openFiles();
        long rss0 = probe.status("VmRSS");
        long threads0 = probe.status("Threads");
        long t0 = System.nanoTime();
        openAll(parallel, t0 + Fanout.seconds(setupMax));
        long openedAt = System.nanoTime();
        r.put("connect_s", (openedAt - t0) / 1e9);
        if (probe.hasPid()) {
            long deadline = openedAt + Fanout.seconds(setupMax);
            while (probe.openFiles() - files0 < n - disconnected) {
                if (System.nanoTime() > deadline || !probe.alive()) {
                    throw new IOException("the server accepted only " + (probe.openFiles() - files0) + " of " + n
                            + " connections in time" + (probe.alive() ? "" : " (it exited)"));
                }
                select(20);
            }
            r.put("accept_s", (System.nanoTime() - t0) / 1e9);
        }
        // Let the server settle (lazy allocations, a GC) before looking at its memory.
        long settle = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < settle) {
            select(50);
        }
        long rss1 = probe.status("VmRSS");
        System.out.println("# ready: " + (n - disconnected) + " connections open");
        System.out.flush();

        var stdinClosed = new java.util.concurrent.atomic.AtomicBoolean(false);
        if (untilStdinCloses) {
            var watcher = new Thread(() -> {
                try {
                    InputStream in = System.in;
                    while (in.read() >= 0) {
                        // wait for end of input
                    }
                } catch (IOException e) {
                    // treat as closed
                }
                stdinClosed.set(true);
            }, "stdin-watcher");
            watcher.setDaemon(true);
            watcher.start();
        }
        long holdEnd = System.nanoTime() + Fanout.seconds(hold);
        long rssMax = rss1;
        while (untilStdinCloses ? !stdinClosed.get() : System.nanoTime() < holdEnd) {
            select(100);
            rssMax = Math.max(rssMax, probe.status("VmRSS"));
        }
        int open = 0;
        ByteBuffer probeBuffer = ByteBuffer.allocate(SIZE);
        for (Conn c : conns) {
            if (c.closed) {
                continue;
            }
            try {
                probeBuffer.clear();
                if (c.channel.read(probeBuffer) >= 0) {
                    open++;
                }
            } catch (IOException e) {
                // reset: not open
            }
        }
        if (probe.hasStats()) {
            String v = probe.stats().get("connections");
            if (v != null) {
                r.put("server_connections", Long.parseLong(v) - 1); // minus the STATS connection itself
            }
        }
        r.put("opened", connected);
        r.put("open_at_end", open);
        r.put("connect_failures", connectFailures);
        r.put("disconnected", disconnected);
        if (rss0 >= 0) {
            r.put("rss_before_kb", rss0);
            r.put("rss_kb", rss1);
            r.put("rss_max_kb", rssMax);
            r.put("rss_mb", rss1 / 1024.0);
            r.put("rss_per_conn_kb", (rss1 - rss0) / (double) n);
            r.put("server_threads_before", threads0);
            r.put("server_threads", probe.status("Threads"));
        }
        if (unexpectedRecords > 0) {
            r.put("unexpected_records", unexpectedRecords);
        }
        if (firstDisconnect != null) {
            r.put("first_disconnect", firstDisconnect);
        }
        r.put("ok", open == n);
    }
}
