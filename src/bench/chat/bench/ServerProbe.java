package chat.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the generator can see of the server and of itself: the server process's CPU time, resident
 * memory and open descriptors from /proc (any server, given its pid), and our server's
 * {@code STATS} line over a text connection of its own, logged in as an admin.
 */
final class ServerProbe {

    /** Linux's USER_HZ on every platform we run on; /proc/PID/stat counts CPU time in it. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final long pid;
    private final InetSocketAddress statsAddress;

    /** {@code pid} 0: no process to watch. {@code statsAddress} null: no STATS connection. */
    ServerProbe(long pid, InetSocketAddress statsAddress) {
        this.pid = pid;
        this.statsAddress = statsAddress;
    }

    boolean hasPid() {
        return pid > 0;
    }

    boolean hasStats() {
        return statsAddress != null;
    }

    /**
     * The account the probe reads {@code STATS} as: STATS is an admin's (protocol 1.4), so the
     * bench starts our server with {@code --admins chat-bench} (bench/run.sh).
     */
    static final String ADMIN = "chat-bench";
    private static final String PASSWORD = "chat-bench-probe-password";
    private static final String DEVICE = "probe";
    /** RESUME's token once the probe has logged in: later readings cost no password hash. */
    private String token;

    /**
     * Registers and logs in the probe's admin account now, when there is a STATS address: the
     * password hashing (a second of the server's CPU at the default cost) then happens before a
     * measured window, not in it.
     */
    void login() throws IOException {
        if (statsAddress != null && token == null) {
            stats();
        }
    }

    /**
     * The server's {@code STATS} reply as a map, or an empty map without a STATS address. Each
     * call opens a connection of its own: protocol 1.1 closes a connection that has not identified
     * itself within 10 s or logged in within 60 s, and a probe held across a long setup would be
     * one. It logs in as {@link #ADMIN}: the first time with REGISTER (taken is fine) and LOGIN,
     * later with RESUME (no hash). Its accept, RESUME and one STATS line cost the reactor a few
     * kilobytes, next to the megabytes a fan-out window's allocation is measured in.
     */
    Map<String, String> stats() throws IOException {
        var map = new LinkedHashMap<String, String>();
        if (statsAddress == null) {
            return map;
        }
        String line = null;
        boolean resumed = token != null;
        try (var socket = new Socket()) {
            socket.connect(statsAddress, 5000);
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            String login = resumed ? "#2:RESUME:" + ADMIN + ":" + token + ":" + DEVICE + "\n"
                    : "#1:REGISTER:" + ADMIN + ":" + PASSWORD + "\n#2:LOGIN:" + ADMIN + ":" + PASSWORD + ":" + DEVICE + "\n";
            out.write((login + "#3:STATS\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            for (String reply; (reply = in.readLine()) != null; ) {
                if (reply.startsWith("#2:LOGIN:true:")) {
                    token = reply.substring(reply.lastIndexOf(':') + 1);
                } else if (reply.startsWith("#2:") && !reply.startsWith("#2:RESUME:true:")) {
                    token = null;
                    if (!resumed) {
                        throw new IOException("the STATS probe could not log in as " + ADMIN + ": " + reply);
                    }
                } else if (reply.startsWith("#3:")) {
                    line = reply.substring(3);
                    break;
                }
            }
        }
        if (resumed && token == null) {
            return stats(); // the token was refused (a new server on new data): log in again
        }
        if (line == null || !line.startsWith("STATS:true:")) {
            throw new IOException("unexpected reply to STATS (is the server started with --admins " + ADMIN + "?): "
                    + line);
        }
        for (String field : line.substring("STATS:true:".length()).split(":")) {
            int eq = field.indexOf('=');
            if (eq > 0) {
                map.put(field.substring(0, eq), field.substring(eq + 1));
            }
        }
        return map;
    }

    /** The reactor thread's allocated bytes so far per STATS, or -1. */
    long reactorAllocated() throws IOException {
        String v = stats().get("reactor_allocated");
        return v == null ? -1 : Long.parseLong(v);
    }

    /** The server's user + system CPU seconds so far, or NaN without a pid. */
    double cpuSeconds() {
        if (pid <= 0) {
            return Double.NaN;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // After "pid (comm) ": state is field 3, so utime (14) and stime (15) are f[11], f[12].
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * The server's CPU seconds so far per thread name (/proc/PID/task/TID/comm, which the JVM sets
     * to the Java thread's name, cut to 15 characters), threads of one name summed, the busiest
     * first; empty without a pid. Says which part of the server a figure was spent in: the writer,
     * the reactor, the JIT, the collector.
     */
    java.util.List<Map.Entry<String, Double>> threadCpu() {
        var list = new java.util.ArrayList<Map.Entry<String, Double>>();
        threadUse().forEach((name, use) -> list.add(Map.entry(name, use.cpuSeconds())));
        list.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        return list;
    }

    /**
     * What threads of one name have used so far: CPU seconds, and write calls ({@code syscw} of
     * /proc/PID/task/TID/io: SQLite's writer makes two for each page it writes into the WAL), -1
     * when the kernel does not tell.
     */
    record ThreadUse(double cpuSeconds, long writeCalls) {

        ThreadUse plus(ThreadUse o) {
            return new ThreadUse(cpuSeconds + o.cpuSeconds, writeCalls < 0 || o.writeCalls < 0 ? -1
                    : writeCalls + o.writeCalls);
        }

        /** What was used since the earlier reading {@code o}. */
        ThreadUse minus(ThreadUse o) {
            return new ThreadUse(cpuSeconds - o.cpuSeconds, writeCalls < 0 || o.writeCalls < 0 ? -1
                    : writeCalls - o.writeCalls);
        }
    }

    /**
     * Each thread name's {@link ThreadUse} so far, numbered pool threads ("db-writer-1",
     * "C2 CompilerThre") counted as one name ("db-writer"); empty without a pid.
     */
    Map<String, ThreadUse> threadUse() {
        var byName = new java.util.HashMap<String, ThreadUse>();
        if (pid <= 0) {
            return byName;
        }
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    String stat = Files.readString(task.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
                    byName.merge(name.replaceAll("[-#]?\\d+$", ""), new ThreadUse(cpu, writeCalls(task)),
                            ThreadUse::plus);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return new java.util.HashMap<>();
        }
        return byName;
    }

    /** A thread's write calls so far, or -1 when its io file cannot be read. */
    private static long writeCalls(Path task) {
        try {
            for (String line : Files.readAllLines(task.resolve("io"))) {
                if (line.startsWith("syscw:")) {
                    return Long.parseLong(line.substring(6).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not ours to read
        }
        return -1;
    }

    /** A line of /proc/PID/status in kB (VmRSS, VmHWM) or as a count (Threads); -1 if unknown. */
    long status(String field) {
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone
        }
        return -1;
    }

    /** How many descriptors the server has open, or -1. */
    long openFiles() {
        if (pid <= 0) {
            return -1;
        }
        try (var s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return s.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    boolean alive() {
        return pid <= 0 || Files.exists(Path.of("/proc", Long.toString(pid)));
    }

    /** This process's CPU seconds so far (user + system, every thread). */
    static double ownCpuSeconds() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    /** The server's and this process's CPU seconds at one moment: where a window's CPU figures start. */
    record CpuMark(double server, double own) {}

    /** Reads the server's CPU time, then this process's. */
    CpuMark cpuMark() {
        double server = cpuSeconds();
        return new CpuMark(server, ownCpuSeconds());
    }

    /** The server's and this process's CPU use since a mark, in per cent of one CPU. */
    record CpuPct(double server, double gen) {}

    CpuPct cpuPctSince(CpuMark mark, double secs) {
        return new CpuPct(100 * (cpuSeconds() - mark.server()) / secs, 100 * (ownCpuSeconds() - mark.own()) / secs);
    }

    /**
     * Puts {@code prefix + "server_cpu_pct"} and {@code prefix + "gen_cpu_pct"}: the CPU used since
     * {@code mark}, in that order, as a percentage of {@code secs} seconds.
     */
    void putCpuPct(Result r, String prefix, CpuMark mark, double secs) {
        r.put(prefix + "server_cpu_pct", 100 * (cpuSeconds() - mark.server()) / secs);
        r.put(prefix + "gen_cpu_pct", 100 * (ownCpuSeconds() - mark.own()) / secs);
    }
}
