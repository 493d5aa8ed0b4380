package chat.bench;

import java.io.IOException;

/**
 * {@code chat-bench SCENARIO [options]}: the load generator for {@code make bench}, and the
 * report writer. Each load scenario prints one JSON line (its figures, and the command that
 * produced them) and one human line starting with {@code #}; diagnostics go to standard error.
 */
public final class Bench {

    static final String USAGE = """
            usage: chat-bench SCENARIO [options]

            Load scenarios on loopback (legacy 151-byte clients; logins, group, restart and files speak the text protocol);
            every one takes
              --port PORT          the server's port (required)      --host HOST  (default 127.0.0.1)
              --server-pid PID     read the server's CPU time, memory and descriptors from /proc
              --stats true         the server answers STATS (ours, started with --admins chat-bench:
                                   the probe logs in as that admin): read its reactor's allocation
              --scenario NAME --label NAME --server-cmd CMD
                                   copied into the result line, for the report
              --deadline SECONDS   give up (exit 3, with a failure line) after this long (default 600)
              --ports P,P,...      the nodes of a cluster on HOST (issue 14; --port is the first): group and
                                   stored put client i on node i mod the count (a friend pair across two nodes)

              fanout   --clients N (100) --senders S (min(N,10)) --window RECORDS (about 500,000 deliveries in flight)
                       --warmup SECONDS (3) --duration SECONDS (10) --drain SECONDS (20)
                       N clients announce, S send as fast as the server takes; every record checked.
              latency  --clients N (1000) --rate MSGS_PER_S (100) --senders S (N)
                       --warmup SECONDS (3) --duration SECONDS (15) --drain SECONDS (15)
                       fixed-rate schedule; latency from each message's scheduled time (HdrHistogram).
              idle     --clients N (10000) --hold SECONDS (3) --stdin true|false (false)
                       N silent connections: time to open and accept, server RSS, all still open.
              logins   --concurrency K (4) --accounts P (2K) --chat-clients N (100) --chat-rate MSGS_PER_S (200)
                       --warmup S (3) --baseline S (10) --ramp S (2) --duration S (15) --drain S (10)
                       --setup-timeout S (120) --prefix NAME (bench)
                       our server only: registers P accounts, then N legacy clients chat at a fixed rate;
                       chat latency alone (baseline), then while K connections log in and out in turn.
              group    --members M (500) --senders S (5) --rate MSGS_PER_S (50) --ack each|read (each)
                       --warmup S (3) --duration S (20) --drain S (15) --setup-timeout S (180)
                       --connect-parallel K (64) --db-label NAME --prefix NAME (gm) --db-url JDBC-URL (none)
                       our server only: M text clients register, log in and join an open group; S of them
                       send GROUP messages at a fixed rate, every member checks, times and ACKs its pushes.
                       --db-url (the server's database): the members' rows are written there before they log
                       in, as JOIN writes them, instead of M JOINs (each told to every member so far: M²/2).
              restart  --setup-cmd CMD --server-cmd CMD --clients N (2000) --messages K (5)
                       --server-log FILE (bench-results/restart.server.log) --setup-timeout S (300)
                       --timeout S (120) --connect-parallel K (64) --db-label NAME (sqlite) --prefix NAME (rs)
                       our server only, started here (sh -c CMD): with --setup-cmd (a cheap hash), N clients
                       register, log in with a device, befriend in pairs and leave K messages each unacknowledged;
                       SIGTERM, then --server-cmd on the same data: time until every client has RESUMEd and
                       caught up (--port is the port both commands listen on).
              files    --size BYTES (1GiB; or 128MiB, 64MiB, ...) --rate MSGS_PER_S (200) --warmup S (2) --baseline S (10)
                       --drain S (10) --setup-timeout S (60) --transfer-timeout S (300) --tmp-dir DIR (java.io.tmpdir)
                       --db-label NAME (sqlite) --prefix NAME (fx)
                       our server only: a file of that size (made in a temporary directory under DIR, removed at the
                       end) is timed with sha256sum and dd (read, and write with conv=fsync); then uploaded to a friend
                       (SEND_FILE, UPLOAD on a data connection) and downloaded by the friend (FILE_GET, DOWNLOAD, SHA-256
                       checked): MB/s each way, the server's RSS growth (give --server-pid), and the latency of two other
                       friends chatting at the rate, without a transfer and during it.
              stored   --users N (1000) --rate MSGS_PER_S (1000) --rate-share F (0) --window W (32) --ack each|read (each)
                       --warmup S (3) --duration S (20) --drain S (15) --setup-timeout S (180) --connect-parallel K (64)
                       --db sqlite|mariadb (sqlite) --db-url JDBC-URL (the server's; bench-results/server-data/chat.db)
                       --reads ROWS (100000) --waiting ROWS (10000) --read-requests K (200) --page ITEMS (50)
                       --ceiling-rows ROWS (200000) --ceiling-seconds S (15) --durability normal|fsync (normal) --prefix NAME (st)
                       --one-way true|false (false)
                       our server only: N users in friend pairs send private messages at a fixed rate, up to W
                       unconfirmed per connection; confirm and delivery latency, every message checked and ACKed.
                       --one-way: only the first of each pair sends (with --users 2, one pipelining connection).
                       Then ROWS messages stored by JDBC for one user, read back through the server (history, search,
                       unread; the catch-up of the waiting ones at LOGIN), and the database's own insert ceiling.
                       --rate-share F: the ceiling first, then the load at F times it when that is more than --rate.
              tls      --handshake-threads K (4) --handshake-seconds S (5) --clients N (100) --tls-share F (0.5)
                       --senders S (5) --window RECORDS (200) --warmup S (2) --duration S (10)
                       our server with --tls-cert/--tls-key: full TLS handshakes per second (each with a PING), then
                       plain connects per second alike; then a legacy-record fan-out to N clients of which the share F
                       speaks TLS (0: the all-plain baseline): deliveries/s to each kind, server CPU.
              stats    print our server's STATS line once (as the admin chat-bench).
              (fanout, latency and idle also take --connect-parallel K (64), --setup-timeout SECONDS (120)
               and --rcvbuf BYTES (SO_RCVBUF of every client socket; default: the kernel's autotuning))

            Report:
              report   --results FILE.jsonl --out FILE.md [--commit ID] [--mode full|quick]
                       [--machine-file FILE] [--notes DIR (docs/bench-notes)]
                       writes the Markdown report from collected result lines, with the prose of
                       docs/bench-notes (latency.md, accounts.md, group.md, restart.md, files.md, ...).""";

    /** Exit statuses. */
    enum Exit {
        OK(0), FAILED(1), USAGE(2), DEADLINE(3);

        final int status;

        Exit(int status) {
            this.status = status;
        }
    }

    private Bench() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            System.out.println(USAGE);
            return args.length == 0 ? Exit.USAGE.status : Exit.OK.status;
        }
        String scenario = args[0];
        String commandLine = commandLine(args);
        Args a;
        try {
            a = new Args(args, 1);
        } catch (IllegalArgumentException e) {
            return usageError(e.getMessage());
        }
        String label = a.str("label", "");
        String name = a.str("scenario", "");
        double deadline = a.nonNegative("deadline", 600);
        try {
            if (!scenario.equals("report")) {
                watchdog(deadline, name, label, commandLine);
            }
            return switch (scenario) {
                case "fanout" -> Fanout.run(a, commandLine);
                case "latency" -> Latency.run(a, commandLine);
                case "idle" -> Idle.run(a, commandLine);
                case "logins" -> Logins.run(a, commandLine);
                case "group" -> GroupFanout.run(a, commandLine);
                case "restart" -> Restart.run(a, commandLine);
                case "files" -> FileTransfer.run(a, commandLine);
                case "stored" -> Stored.run(a, commandLine);
                case "tls" -> TlsBench.run(a, commandLine);
                case "stats" -> stats(a, commandLine);
                case "report" -> Report.run(a);
                default -> usageError("unknown scenario " + scenario);
            };
        } catch (IllegalArgumentException e) {
            return usageError(e.getMessage());
        } catch (IOException | RuntimeException e) {
            e.printStackTrace();
            var r = new Result().put("scenario", name).put("kind", scenario).put("label", label)
                    .put("cmd", commandLine).put("ok", false).put("error", String.valueOf(e.getMessage()));
            emit(r, scenario + " " + name + " " + label + " failed: " + e);
            return Exit.FAILED.status;
        }
    }

    /**
     * The command as a shell would take it back: arguments with spaces or shell characters
     * (a server command given to {@code restart}, a JDBC URL with {@code &}) in single quotes.
     */
    static String commandLine(String[] args) {
        var sb = new StringBuilder("bin/chat-bench");
        for (String arg : args) {
            sb.append(' ');
            if (!arg.isEmpty() && arg.matches("[A-Za-z0-9_./:=,+@%-]+")) {
                sb.append(arg);
            } else {
                sb.append('\'').append(arg.replace("'", "'\\''")).append('\'');
            }
        }
        return sb.toString();
    }

    private static int usageError(String message) {
        System.err.println("chat-bench: " + message);
        System.err.println(USAGE);
        return Exit.USAGE.status;
    }

    /** Prints the result line and the human line; the exit status says whether the run was sound. */
    static synchronized int emit(Result r, String human) {
        System.out.println(r.toJson());
        System.out.println("# " + human);
        System.out.flush();
        return Boolean.TRUE.equals(r.get("ok")) ? Exit.OK.status : Exit.FAILED.status;
    }

    /** A figure for the human line: three significant digits, or "?" when it is missing. */
    static String human(Object v) {
        if (!(v instanceof Number num) || !Double.isFinite(num.doubleValue())) {
            return "?";
        }
        double d = num.doubleValue();
        if (Math.abs(d) >= 1000) {
            return String.format(java.util.Locale.ROOT, "%,.0f", d);
        }
        return d == 0 ? "0" : new java.math.BigDecimal(d).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** Every run stops by itself: past the deadline a failure line is printed and the JVM halts. */
    private static void watchdog(double seconds, String name, String label, String commandLine) {
        var t = new Thread(() -> {
            try {
                Thread.sleep((long) (seconds * 1000));
            } catch (InterruptedException e) {
                return;
            }
            emit(new Result().put("scenario", name).put("label", label).put("cmd", commandLine).put("ok", false)
                    .put("error", "deadline of " + seconds + " s passed"), name + " " + label + ": deadline passed");
            ServerProcess.killAll();
            FileTransfer.removeTemporaries();
            Runtime.getRuntime().halt(Exit.DEADLINE.status);
        }, "deadline");
        t.setDaemon(true);
        t.start();
    }

    private static int stats(Args a, String commandLine) throws IOException {
        Common common = Common.parse(a, commandLine);
        a.checkAllUsed();
        var stats = new ServerProbe(0, common.address()).stats();
        var r = common.result("stats");
        stats.forEach(r::put);
        r.put("ok", true);
        return emit(r, "STATS " + stats);
    }
}
