package chat.bench;

import chat.common.wire.LegacyRecord;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS beside plain text on the server's one port (issue 13), our server only, in two parts.
 *
 * <p><b>Handshakes</b>: {@code --handshake-threads} threads connect, do a full TLS handshake
 * (each session is invalidated after use, so nothing is resumed), send {@code PING}, read its
 * reply and close, for {@code --handshake-seconds}; then the same with plain text. Connections per
 * second each way, and the server's CPU: a handshake's cost is the server's key operation, done on
 * its TLS task threads.
 *
 * <p><b>Fan-out</b>: {@code --clients} legacy clients in the room, a share of them
 * ({@code --tls-share}, spread evenly, the senders among them) speaking the 151-byte records inside
 * TLS; {@code --senders} send as fast as the slowest receiver allows ({@code --window} records of
 * each sender in flight), and every receiver checks each sender's records arrive in order.
 * Deliveries per second to plain and to TLS receivers, and the server's CPU; with
 * {@code --tls-share 0} the same run is all plain, the baseline. The server encodes each record
 * once and wraps it once per TLS receiver at flush, so the difference is the encryption.
 *
 * <p>Blocking sockets, a thread per client: TLS in the generator is the JDK's SSLSocket. The
 * generator trusts whatever certificate the server shows: it measures, it does not verify.
 */
final class TlsBench {

    private TlsBench() {}

    static int run(Args a, String commandLine) throws IOException {
        Common common = Common.parse(a, commandLine);
        int threads = a.positiveInt("handshake-threads", 4);
        double handshakeSeconds = a.nonNegative("handshake-seconds", 5);
        int n = a.positiveInt("clients", 100);
        double share = a.nonNegative("tls-share", 0.5);
        int senders = a.positiveInt("senders", Math.min(n, 5));
        int window = a.positiveInt("window", 200);
        double warmup = a.nonNegative("warmup", 2);
        double duration = a.nonNegative("duration", 10);
        a.checkAllUsed();
        if (share > 1 || senders > n || n < 2) {
            throw new IllegalArgumentException("need --tls-share 0..1, 2 or more clients and no more senders than clients");
        }
        ServerProbe probe = common.probe();
        Result r = common.result("tls").put("handshake_threads", threads).put("clients", n).put("tls_share", share)
                .put("senders", senders).put("window", window).put("duration_s", duration);
        SSLContext context = trustingAll();
        if (handshakeSeconds > 0) {
            connects(r, "tls_", common.address(), context, threads, handshakeSeconds, probe);
            connects(r, "plain_", common.address(), null, threads, handshakeSeconds, probe);
        }
        new Fanout(common.address(), context, n, share, senders, window).measure(r, probe, warmup, duration);
        r.put("ok", (long) r.get("errors") == 0 && (long) r.get("out_of_order") == 0);
        return Bench.emit(r, "tls " + common.label() + ": " + Bench.human(r.get("tls_connects_per_s"))
                + " TLS handshakes/s (server CPU " + Bench.human(r.get("tls_server_cpu_pct")) + "%), "
                + Bench.human(r.get("plain_connects_per_s")) + " plain connects/s; fan-out to " + n + " ("
                + r.get("tls_clients") + " TLS): " + Bench.human(r.get("deliveries_per_s")) + " deliveries/s ("
                + Bench.human(r.get("tls_deliveries_per_s")) + " to TLS), server CPU "
                + Bench.human(r.get("server_cpu_pct")) + "%");
    }

    /** Connections a second with a PING round trip each, TLS ({@code context}) or plain (null). */
    private static void connects(Result r, String prefix, InetSocketAddress address, SSLContext context, int threads,
            double seconds, ServerProbe probe) throws IOException {
        var done = new AtomicLong();
        var failed = new AtomicLong();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        var mark = probe.cpuMark();
        long start = System.nanoTime();
        var workers = new ArrayList<Thread>();
        for (int t = 0; t < threads; t++) {
            var w = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try (Socket s = open(address, context)) {
                        OutputStream out = s.getOutputStream();
                        out.write("#p:PING\n".getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        InputStream in = s.getInputStream();
                        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
                            // the reply line
                        }
                        if (s instanceof SSLSocket tls) {
                            tls.getSession().invalidate(); // the next one is a full handshake
                        }
                        done.incrementAndGet();
                    } catch (IOException e) {
                        failed.incrementAndGet();
                    }
                }
            }, "connects-" + t);
            w.start();
            workers.add(w);
        }
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        r.put(prefix + "connects", done.get()).put(prefix + "connect_failures", failed.get())
                .put(prefix + "connects_per_s", done.get() / secs);
        probe.putCpuPct(r, prefix, mark, secs);
    }

    private static Socket open(InetSocketAddress address, SSLContext context) throws IOException {
        var plain = new Socket();
        plain.connect(address, 10_000);
        plain.setTcpNoDelay(true);
        plain.setSoTimeout(10_000);
        if (context == null) {
            return plain;
        }
        var s = (SSLSocket) context.getSocketFactory().createSocket(plain, address.getHostString(), address.getPort(), true);
        s.startHandshake();
        return s;
    }

    /** A context that takes any server certificate: the generator measures, it does not verify. */
    private static SSLContext trustingAll() {
        try {
            var context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS in the generator", e);
        }
    }

    /** The fan-out part: a thread reads each client, one more drives the senders. */
    private static final class Fanout {
        private final InetSocketAddress address;
        private final SSLContext context;
        private final int n;
        private final int senders;
        private final int window;
        private final boolean[] tls;
        private final Socket[] sockets;
        /** Records of sender s that receiver r has: {@code received[r * senders + s]}. */
        private final AtomicLongArray received;
        private final long[] sent;
        private final AtomicLong errors = new AtomicLong();
        private final AtomicLong outOfOrder = new AtomicLong();
        private volatile boolean stopping;

        Fanout(InetSocketAddress address, SSLContext context, int n, double share, int senders, int window) {
            this.address = address;
            this.context = context;
            this.n = n;
            this.senders = senders;
            this.window = window;
            this.tls = new boolean[n];
            long tlsCount = Math.round(n * share);
            for (int i = 0; i < n; i++) { // spread evenly, so that senders are of both kinds
                tls[i] = (i + 1) * tlsCount / n > i * tlsCount / n;
            }
            this.sockets = new Socket[n];
            this.received = new AtomicLongArray(n * senders);
            this.sent = new long[senders];
        }

        void measure(Result r, ServerProbe probe, double warmup, double duration) throws IOException {
            var readers = new ArrayList<Thread>();
            int tlsClients = 0;
            try {
                for (int i = 0; i < n; i++) {
                    sockets[i] = open(address, tls[i] ? context : null);
                    sockets[i].setSoTimeout(0);
                    sockets[i].getOutputStream().write(LegacyRecord.encode(name(i), "", LegacyRecord.ONLINE));
                    tlsClients += tls[i] ? 1 : 0;
                }
                for (int i = 0; i < n; i++) {
                    int me = i;
                    var t = new Thread(() -> read(me), "reader-" + i);
                    t.setDaemon(true);
                    t.start();
                    readers.add(t);
                }
                Thread.sleep(500); // the announcements go round before the count starts
                long start = System.nanoTime();
                long measureAt = start + (long) (warmup * 1e9);
                long end = measureAt + (long) (duration * 1e9);
                long[] atStart = null;
                ServerProbe.CpuMark mark = null;
                long windowStart = 0;
                var outs = new OutputStream[senders];
                for (int s = 0; s < senders; s++) {
                    outs[s] = sockets[s].getOutputStream();
                }
                while (true) {
                    long now = System.nanoTime();
                    if (atStart == null && now >= measureAt) {
                        atStart = counts();
                        mark = probe.cpuMark();
                        windowStart = now;
                    }
                    if (now >= end) {
                        break;
                    }
                    boolean any = false;
                    for (int s = 0; s < senders; s++) {
                        if (sent[s] - slowest(s) < window) {
                            var batch = new java.io.ByteArrayOutputStream();
                            for (int k = 0; k < 16; k++) {
                                batch.writeBytes(LegacyRecord.encode(name(s), Long.toString(sent[s]++), LegacyRecord.CHAT));
                            }
                            outs[s].write(batch.toByteArray());
                            any = true;
                        }
                    }
                    if (!any) {
                        Thread.onSpinWait();
                        Thread.yield();
                    }
                }
                long[] atEnd = counts();
                double secs = (System.nanoTime() - windowStart) / 1e9;
                probe.putCpuPct(r, "", mark, secs);
                r.put("tls_clients", tlsClients).put("window_s", secs)
                        .put("deliveries_per_s", (atEnd[0] + atEnd[1] - atStart[0] - atStart[1]) / secs)
                        .put("plain_deliveries_per_s", (atEnd[0] - atStart[0]) / secs)
                        .put("tls_deliveries_per_s", (atEnd[1] - atStart[1]) / secs)
                        .put("sent", java.util.Arrays.stream(sent).sum());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            } finally {
                stopping = true;
                for (Socket s : sockets) {
                    if (s != null) {
                        s.close();
                    }
                }
            }
            r.put("errors", errors.get()).put("out_of_order", outOfOrder.get());
        }

        private static String name(int i) {
            return "t" + i;
        }

        /** Deliveries so far: [to plain receivers, to TLS receivers]. */
        private long[] counts() {
            long[] c = new long[2];
            for (int r = 0; r < n; r++) {
                for (int s = 0; s < senders; s++) {
                    c[tls[r] ? 1 : 0] += received.get(r * senders + s);
                }
            }
            return c;
        }

        /** What the receiver furthest behind has of sender {@code s}'s records. */
        private long slowest(int s) {
            long min = Long.MAX_VALUE;
            for (int r = 0; r < n; r++) {
                if (r != s) {
                    min = Math.min(min, received.get(r * senders + s));
                }
            }
            return min;
        }

        /** Reads {@code me}'s records, checking each sender's sequence. */
        private void read(int me) {
            byte[] rec = new byte[LegacyRecord.SIZE];
            try {
                var in = new DataInputStream(new java.io.BufferedInputStream(sockets[me].getInputStream(), 64 * 1024));
                while (!stopping) {
                    in.readFully(rec);
                    if (rec[LegacyRecord.TYPE_OFFSET] != LegacyRecord.CHAT) {
                        continue;
                    }
                    var m = LegacyRecord.decode(java.nio.ByteBuffer.wrap(rec));
                    String from = m.name().startsWith("~") ? m.name().substring(1) : m.name();
                    int s = Integer.parseInt(from.substring(1));
                    if (s >= senders) {
                        errors.incrementAndGet();
                        continue;
                    }
                    long seq = Long.parseLong(m.text());
                    int slot = me * senders + s;
                    if (seq != received.get(slot)) {
                        outOfOrder.incrementAndGet();
                    }
                    received.set(slot, seq + 1);
                }
            } catch (IOException | RuntimeException e) {
                if (!stopping) {
                    errors.incrementAndGet();
                }
            }
        }
    }
}
