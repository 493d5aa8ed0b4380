package chat.bench;

import chat.common.proto.ChatMessage;
import chat.common.proto.Line;
import chat.common.proto.Push;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.HdrHistogram.Histogram;

/**
 * A server restart with N logged-in clients (issue 8): how long until every one is logged in
 * again, by {@code RESUME} with its session token, and caught up. The bench starts and stops the
 * server itself ({@link ServerProcess}): the restart is part of what is measured.
 *
 * <p>Setup, on a server started with {@code --setup-cmd} (a cheap password hash, so that N
 * registrations and logins take seconds): every client REGISTERs and LOGINs with a device name
 * and keeps its token; clients 2i and 2i+1 become friends (each ADDs the other); each client
 * ACKs the friendship events, then sends K messages to its partner and receives the partner's K
 * without acknowledging them, so that they wait in its catch-up.
 *
 * <p>The restart: SIGTERM (the clients read {@code BYE:shutdown} and the close), then the clock
 * starts and {@code --server-cmd} runs on the same data, with the default hash cost. Every client
 * connects again, retrying every 50-100 ms while the port refuses (as the client library's backoff
 * does), sends {@code RESUME:name:token:device}, and is <i>caught up</i> once it has
 * {@code RESUME:true}, its K waiting messages again (checked by id and text: none lost, none
 * duplicated) and {@code SYNCED}; then it ACKs them. A client whose connection breaks before that
 * connects again and starts its catch-up over.
 */
final class Restart {

    private static final String PASSWORD = "bench-password-1";
    private static final String DEVICE = "bench-restart";
    /** The catch-up comes in pages of this many; the ACK of a page's last id brings the next. */
    private static final int PAGE = 200;
    private static final long MAX_NANOS = 600_000_000_000L;
    /** The client library's heartbeat: a PING after this long without sending. */
    private static final long PING_NANOS = 30_000_000_000L;
    /** Setup waits this long without a line for the friendship events to settle before the ACKs. */
    private static final long QUIET_NANOS = 300_000_000L;

    /** One run's figures, in its result line (see {@link Figures}); times from the restart command's start. */
    record Outcome(String db, int clients, int messagesEach, double setupS, long byeShutdown, double stopS,
            double portAcceptS, double firstResumeS, double lastResumeS, double allCaughtUpS,
            double caughtUpP50S, double caughtUpP99S, double connectedToCaughtUpP50Ms,
            double connectedToCaughtUpP99Ms, long caughtUp, long failures, long lost, long duplicated,
            long unexpected, long eventsInCatchUp, long connectRetries, long reconnects, double serverCpuS,
            double serverCpuPct, double genCpuPct, String serverThreadsCpu) {

        /** The goal of issue 8: all logged in again and caught up within this many seconds. */
        static final double GOAL_S = 10;

        boolean sound() {
            return failures == 0 && lost == 0 && duplicated == 0 && unexpected == 0 && caughtUp == clients;
        }
    }

    private enum State { SETUP, DOWN, RESUMING, CAUGHT_UP, FAILED }

    private final NioLoop loop;
    private final int n;
    private final int k;
    private final String prefix;
    private final List<Client> clients = new ArrayList<>();

    // setup
    private int loggedIn;
    private int synced;
    private int friends;
    private long sentOk;
    private long delivered;
    private long lastLine;
    private long lastPing;
    private int setupFailures;
    private String firstFailure;

    // shutdown and restart
    private long byes;
    private long restartAt;
    private long portAcceptAt;
    private long firstResumeAt;
    private long lastResumeAt;
    private long lastCaughtUpAt;
    private int caughtUp;
    private int failed;
    private long lost;
    private long duplicated;
    private long unexpected;
    private long events;
    private long reconnects;
    private final Histogram sinceRestart = new Histogram(MAX_NANOS, 3);
    private final Histogram sinceConnect = new Histogram(MAX_NANOS, 3);

    private Restart(Common common, int n, int k, String prefix) throws IOException {
        if (n < 2 || n % 2 != 0) {
            throw new IllegalArgumentException("--clients must be an even number, at least 2: clients come in pairs");
        }
        this.loop = new NioLoop(common.address());
        this.n = n;
        this.k = k;
        this.prefix = prefix;
        for (int i = 0; i < n; i++) {
            clients.add(new Client(i));
        }
    }

    /** What client {@code sender} says in its message {@code j}: the check after the restart compares it. */
    private static String text(int sender, int j) {
        return "restart " + sender + "." + j + " 你好";
    }

    private final class Client extends NioLoop.ProtocolPeer {
        State state = State.SETUP;
        String token;
        boolean isSynced;
        /** Ids of the partner's messages as setup received them, by the partner's sequence number. */
        final long[] expected = new long[k];
        int received;
        long maxEventId;
        // the current catch-up
        final boolean[] got = new boolean[k];
        int gotCount;
        int stored;
        long maxId;
        long connectedAt;

        Client(int index) {
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
            if (state == State.SETUP) {
                send(l, Line.of("r", "REGISTER", name(), PASSWORD));
                send(l, Line.of("l", "LOGIN", name(), PASSWORD, DEVICE));
                return;
            }
            long now = System.nanoTime();
            connectedAt = now;
            if (portAcceptAt == 0) {
                portAcceptAt = now;
            }
            java.util.Arrays.fill(got, false);
            gotCount = 0;
            stored = 0;
            maxId = 0;
            send(l, Line.of("s", "RESUME", name(), token, DEVICE));
        }

        @Override
        void onMalformedPush(NioLoop l, String text) {
            lastLine = l.now;
            unexpected++;
            failure("a malformed push: " + text);
        }

        @Override
        void onPush(NioLoop l, Push push, String text) {
            lastLine = l.now;
            if (push instanceof Push.Message m) {
                onMessage(l, m.message(), text);
            } else if (push instanceof Push.Synced) {
                onSynced(l);
            } else if (push instanceof Push.Bye bye) {
                if (state == State.DOWN && bye.reason().equals(Push.Bye.SHUTDOWN)) {
                    byes++;
                }
            } else if (push instanceof Push.Stored event) {
                // friendship events: acknowledged in setup, so none should be in the catch-up
                if (state == State.RESUMING) {
                    events++;
                    countStored(l, event.id());
                } else {
                    maxEventId = Math.max(maxEventId, event.id());
                }
            }
            // PRESENCE and the rest: not what this scenario measures
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
                    // LOGIN:true:port:name:device:token
                    if (ok && line.size() > 5) {
                        token = line.field(5);
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
                        // the first of the pair asked; the second's ADD makes them friends at once
                        Client other = clients.get(partner());
                        other.send(l, Line.of("a", "ADD", name()));
                    }
                }
                case "m:MSG" -> {
                    if (ok) {
                        sentOk++;
                    } else {
                        setupFailed(text);
                    }
                }
                case "s:RESUME" -> {
                    if (ok) {
                        long now = l.now;
                        if (firstResumeAt == 0) {
                            firstResumeAt = now;
                        }
                        lastResumeAt = Math.max(lastResumeAt, now);
                    } else {
                        fail(l, text);
                    }
                }
                default -> {
                    if (!ok) {
                        setupFailed(text);
                    }
                }
            }
        }

        /** {@code MESSAGE:id:time:from:to:group-id:client-id:text} from the partner. */
        private void onMessage(NioLoop l, ChatMessage m, String text) {
            int j = check(m);
            if (j < 0) {
                unexpected++;
                failure(text);
                return;
            }
            long id = m.id();
            if (state == State.SETUP) {
                if (expected[j] != 0) {
                    duplicated++;
                    failure("a duplicate in setup: " + text);
                } else {
                    expected[j] = id;
                    received++;
                    delivered++;
                }
                return;
            }
            if (state != State.RESUMING) {
                unexpected++;
                failure("after the catch-up: " + text);
                return;
            }
            if (id != expected[j]) {
                unexpected++;
                failure("id " + id + " where setup had " + expected[j] + ": " + text);
            } else if (got[j]) {
                duplicated++;
                failure("a duplicate in the catch-up: " + text);
            } else {
                got[j] = true;
                gotCount++;
            }
            countStored(l, id);
        }

        /** The partner's sequence number of this message, or -1 when it is not one it sent to me. */
        private int check(ChatMessage m) {
            if (m.isGroup() || !m.from().equals(prefix + partner()) || !m.to().equals(name())) {
                return -1;
            }
            String body = m.text();
            String head = "restart " + partner() + ".";
            int space = body.indexOf(' ', head.length());
            if (!body.startsWith(head) || space < 0) {
                return -1;
            }
            try {
                int j = Integer.parseInt(body.substring(head.length(), space));
                return j >= 0 && j < k && body.equals(text(partner(), j)) ? j : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        /** A stored push of the catch-up: a full page is acknowledged so that the next one comes. */
        private void countStored(NioLoop l, long id) {
            stored++;
            maxId = Math.max(maxId, id);
            if (stored % PAGE == 0) {
                send(l, "ACK:" + maxId);
            }
        }

        private void onSynced(NioLoop l) {
            if (state == State.SETUP) {
                if (!isSynced) {
                    isSynced = true;
                    synced++;
                }
                return;
            }
            if (state != State.RESUMING) {
                return;
            }
            if (gotCount < k) {
                lost += k - gotCount;
                fail(l, "SYNCED after " + gotCount + " of the " + k + " waiting messages");
                return;
            }
            long now = l.now;
            state = State.CAUGHT_UP;
            caughtUp++;
            lastCaughtUpAt = Math.max(lastCaughtUpAt, now);
            sinceRestart.recordValue(Math.min(MAX_NANOS, now - restartAt));
            sinceConnect.recordValue(Math.min(MAX_NANOS, now - connectedAt));
            send(l, "ACK:" + maxId);
        }

        private void fail(NioLoop l, String why) {
            if (state == State.RESUMING) {
                state = State.FAILED;
                failed++;
                failure(why);
            }
        }

        @Override
        void onClosed(NioLoop l, String why) {
            if (state == State.RESUMING) {
                // As a client would: connect again, and the catch-up starts over.
                reconnects++;
                l.connectLater(this, System.nanoTime() + NioLoop.retryDelay());
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

    static int run(Args a, String commandLine) throws IOException {
        Result r = result(a, commandLine);
        return Bench.emit(r, "restart " + r.get("scenario") + " (" + r.get("db") + "): " + r.get("clients")
                + " clients, " + r.get("messages_each") + " waiting messages each: port accepting after "
                + Bench.human(r.get("port_accept_s")) + " s, RESUME:true " + Bench.human(r.get("first_resume_s")) + "-"
                + Bench.human(r.get("last_resume_s")) + " s, all caught up after " + Bench.human(r.get("all_caught_up_s"))
                + " s (goal " + Bench.human(Outcome.GOAL_S) + " s); per client p50 " + Bench.human(r.get("caught_up_p50_s"))
                + " s, p99 " + Bench.human(r.get("caught_up_p99_s")) + " s; " + r.get("caught_up") + " caught up, "
                + r.get("failures") + " failed, lost " + r.get("lost") + ", duplicated " + r.get("duplicated")
                + "; server CPU " + Bench.human(r.get("server_cpu_s")) + " s (" + Bench.human(r.get("server_cpu_pct"))
                + "%)");
    }

    /** Runs the scenario: its result line, {@code ok} saying whether every client caught up intact. */
    static Result result(Args a, String commandLine) throws IOException {
        Common common = Common.parse(a, commandLine);
        int n = a.positiveInt("clients", 2000);
        int k = a.positiveInt("messages", 5);
        String setupCmd = a.required("setup-cmd");
        String serverCmd = a.required("server-cmd");
        Path log = Path.of(a.str("server-log", "bench-results/restart.server.log"));
        double setupMax = a.nonNegative("setup-timeout", 300);
        double timeout = a.nonNegative("timeout", 120);
        int parallel = a.positiveInt("connect-parallel", 64);
        String db = a.str("db-label", "sqlite");
        String prefix = a.str("prefix", "rs");
        a.checkAllUsed();
        var restart = new Restart(common, n, k, prefix);
        var r = common.result("restart").put("setup_cmd", setupCmd);
        Outcome o;
        try {
            o = restart.measure(common, setupCmd, serverCmd, log, db, parallel, setupMax, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            restart.loop.close();
        }
        Figures.put(r, o);
        boolean ok = o.sound();
        r.put("ok", ok);
        if (restart.firstFailure != null) {
            r.put("first_failure", restart.firstFailure);
        }
        if (!ok) {
            r.put("error", o.caughtUp() + " of " + n + " caught up; " + o.failures() + " failed, " + o.lost() + " lost, "
                    + o.duplicated() + " duplicated, " + o.unexpected() + " unexpected"
                    + (restart.firstFailure != null ? "; first: " + restart.firstFailure : ""));
        }
        return r;
    }

    private Outcome measure(Common common, String setupCmd, String serverCmd, Path log, String db, int parallel,
            double setupMax, double timeout) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + Driver.seconds(setupMax);
        ServerProcess setup = ServerProcess.start(setupCmd, log);
        ServerProcess measured = null;
        try {
            if (!setup.awaitAccepting(common.address(), deadline)) {
                throw new IOException("the setup server did not accept on " + common.address() + " (see " + log + ")");
            }
            var probe = new ServerProbe(setup.server().pid(), null);
            loop.openAll(clients, parallel, deadline);
            awaitSetup(probe, deadline, () -> synced >= n, () -> loggedIn + " of " + n + " logged in, " + synced
                    + " synced");
            for (int i = 0; i < n; i += 2) {
                Client c = clients.get(i);
                c.send(loop, Line.of("a", "ADD", prefix + (i + 1)));
            }
            awaitSetup(probe, deadline, () -> friends >= n / 2, () -> friends + " of " + n / 2 + " pairs friends");
            // The friendship events are not what the restart measures: acknowledged, they stay out of the catch-up.
            while (System.nanoTime() - lastLine < QUIET_NANOS) {
                loop.select(20);
                loop.checkSetup(probe, deadline, "setup timed out waiting for the friendship events");
            }
            for (Client c : clients) {
                if (c.maxEventId > 0) {
                    c.send(loop, "ACK:" + c.maxEventId);
                }
                for (int j = 0; j < k; j++) {
                    c.send(loop, Line.of("m", "MSG", prefix + c.partner(), "c" + c.index + "-" + j, text(c.index, j)));
                }
            }
            awaitSetup(probe, deadline, () -> sentOk >= (long) n * k && delivered >= (long) n * k,
                    () -> sentOk + " of " + (long) n * k + " messages confirmed, " + delivered + " delivered");
            double setupS = (System.nanoTime() - t0) / 1e9;

            // The shutdown: every client reads BYE:shutdown and then the close.
            for (Client c : clients) {
                c.state = State.DOWN;
            }
            long stopAt = System.nanoTime();
            setup.terminate();
            long stopDeadline = stopAt + Driver.seconds(30);
            while (!setup.exited() || loop.disconnected < n) {
                loop.select(10);
                if (System.nanoTime() > stopDeadline) {
                    if (!setup.exited()) {
                        setup.kill();
                        throw new IOException("the setup server did not stop within 30 s of SIGTERM");
                    }
                    break; // a client that did not see its close is found out below
                }
            }
            double stopS = (System.nanoTime() - stopAt) / 1e9;
            int unclosed = n - loop.disconnected;
            if (unclosed > 0) {
                throw new IOException(unclosed + " clients were still connected after the server stopped");
            }

            // The restart: the clock runs from the command's start.
            restartAt = System.nanoTime();
            measured = ServerProcess.start(serverCmd, log);
            for (Client c : clients) {
                c.state = State.RESUMING;
                loop.connectLater(c, restartAt + ThreadLocalRandom.current().nextLong(NioLoop.RETRY_NANOS * 2));
            }
            long end = restartAt + Driver.seconds(timeout);
            ServerProbe serverProbe = null;
            double cpuAtEnd = Double.NaN;
            String threads = "";
            double ownAtEnd = Double.NaN;
            double ownAtStart = ServerProbe.ownCpuSeconds();
            while (caughtUp + failed < n && System.nanoTime() < end) {
                loop.select(10);
                if (serverProbe == null && portAcceptAt != 0) {
                    // The process under the shell exists by now: the JVM accepts.
                    serverProbe = new ServerProbe(measured.server().pid(), null);
                }
                if (!measured.alive() && measured.exited()) {
                    throw new IOException("the restarted server exited (status " + measured.exitStatus() + "; see "
                            + log + ")");
                }
            }
            long stoppedAt = System.nanoTime();
            if (serverProbe != null) {
                cpuAtEnd = serverProbe.cpuSeconds();
                threads = threadSummary(serverProbe.threadCpu());
            }
            ownAtEnd = ServerProbe.ownCpuSeconds();
            double windowS = ((caughtUp + failed == n ? lastCaughtUpAt : stoppedAt) - restartAt) / 1e9;
            long notCaughtUp = clients.stream().filter(c -> c.state == State.RESUMING).count();
            if (notCaughtUp > 0) {
                failure(notCaughtUp + " clients not caught up " + Bench.human(timeout) + " s after the restart");
            }
            return new Outcome(db, n, k, setupS, byes, stopS, since(portAcceptAt), since(firstResumeAt),
                    since(lastResumeAt), caughtUp == n ? since(lastCaughtUpAt) : Double.NaN,
                    percentile(sinceRestart, 50) / 1e9, percentile(sinceRestart, 99) / 1e9,
                    percentile(sinceConnect, 50) / 1e6, percentile(sinceConnect, 99) / 1e6,
                    caughtUp, failed + notCaughtUp, lost, duplicated, unexpected, events, loop.retried, reconnects,
                    cpuAtEnd, 100 * cpuAtEnd / windowS, 100 * (ownAtEnd - ownAtStart) / windowS, threads);
        } finally {
            if (!setup.exited()) {
                setup.stop();
            }
            if (measured != null) {
                loop.close();
                measured.stop();
            }
        }
    }

    /**
     * Every client PINGs when setup has been going on for another 30 s, as the client library
     * does when it has sent nothing for that long: a long setup (minutes on MariaDB) must not end
     * in the server's idle timeout (90 s) for the clients that finished their part early.
     */
    private void keepAlive() {
        long now = System.nanoTime();
        if (lastPing == 0) {
            lastPing = now;
        } else if (now - lastPing > PING_NANOS) {
            lastPing = now;
            for (Client c : clients) {
                c.send(loop, Line.of("p", "PING"));
            }
        }
    }

    /** The busiest threads, "writer 4.1 s, reactor 1.2 s, ...", up to six. */
    static String threadSummary(List<java.util.Map.Entry<String, Double>> cpu) {
        var sb = new StringBuilder();
        for (int i = 0; i < Math.min(6, cpu.size()); i++) {
            if (cpu.get(i).getValue() < 0.05) {
                break;
            }
            sb.append(i > 0 ? ", " : "").append(cpu.get(i).getKey()).append(' ')
                    .append(Bench.human(cpu.get(i).getValue())).append(" s");
        }
        return sb.toString();
    }

    /** In nanoseconds; NaN when nothing was recorded (an empty histogram would say 0). */
    private static double percentile(Histogram h, double p) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(p);
    }

    private double since(long t) {
        return t == 0 ? Double.NaN : (t - restartAt) / 1e9;
    }

    private void awaitSetup(ServerProbe probe, long deadline, java.util.function.BooleanSupplier done,
            java.util.function.Supplier<String> progress) throws IOException {
        while (!done.getAsBoolean()) {
            loop.select(10);
            keepAlive();
            if (setupFailures > 0) {
                throw new IOException("setup failed (" + progress.get() + "): " + firstFailure);
            }
            loop.checkSetup(probe, deadline, "setup timed out: " + progress.get());
        }
    }
}
