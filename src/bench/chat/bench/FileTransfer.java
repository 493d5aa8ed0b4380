package chat.bench;

import chat.common.proto.ChatMessage;
import chat.common.proto.ErrorCode;
import chat.common.proto.FileOffer;
import chat.common.proto.FileStatus;
import chat.common.proto.Line;
import chat.common.proto.ProtocolException;
import chat.common.proto.Push;
import chat.common.proto.Replies;
import chat.common.proto.Reply;
import chat.common.proto.Request;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import org.HdrHistogram.Histogram;

/**
 * A file through the server (issue 11), on our server only: how fast one file goes up and comes
 * back down on loopback, what it costs the server in memory, and whether chat beside it slows.
 *
 * <p><b>The file and the machine's ceiling.</b> A file of {@code --size} bytes of pseudo-random
 * content (xorshift: not compressible, and new every run, since the server stores a content only
 * once and a repeat would upload nothing) is written into a temporary directory, hashing it on the
 * way for the offer. Then the tools a reader would use time the same file: {@code sha256sum} (the
 * server hashes every upload), {@code dd} reading it to /dev/null and {@code dd conv=fsync}
 * writing a copy (the server writes every upload to disk). The file is in the page cache for all
 * of these, as it is for the upload. The directory and everything in it go at the end, also when
 * the deadline stops the run ({@link #removeTemporaries}).
 *
 * <p><b>Setup.</b> Four accounts over the text protocol: an uploader and a downloader who become
 * friends, and a pair of friends who chat. <b>Chat alone</b>: the pair exchange {@code --rate}
 * messages a second in all on a fixed schedule ({@code MSG}, each text holding its sender,
 * sequence number and scheduled time); each receiver checks the order, records the latency from
 * the scheduled time (a late send counts in full) and {@code ACK}s. After a warm-up, a baseline
 * window. <b>The transfer</b>, with the chat going on: {@code SEND_FILE} to the friend; the bytes
 * on a data connection ({@code UPLOAD:token:0}, then {@link FileChannel#transferTo}: sendfile, so
 * the generator's side costs no copy) until {@code UPLOAD:true}; then the friend's
 * {@code FILE_GET} and {@code DOWNLOAD:token:0}, hashing the bytes as they come and comparing the
 * SHA-256 with the offer's. The chat's second window is the transfer's, from {@code SEND_FILE} to
 * the last byte downloaded. The server's resident memory (VmRSS) is sampled every 10 ms throughout.
 *
 * <p>MB is 10^6 bytes, as {@code dd} counts.
 */
final class FileTransfer {

    /** Issue 11's goals, for a 1 GiB file on this machine. */
    static final long GOAL_SIZE = 1L << 30;
    static final double GOAL_MB_PER_S = 300;
    static final double GOAL_RSS_GROWTH_MB = 64;
    static final double GOAL_P99_FACTOR = 2;

    /**
     * One run's figures, in its result line (see {@link Figures}). Rates in MB/s (10^6 bytes);
     * {@code uploadS} from the data connection's connect to {@code UPLOAD:true} (the server's hash
     * check included), {@code downloadS} from connect to the last byte read and hashed; RSS in MB
     * (2^20 bytes, as /proc says kB), growth = the peak during the transfer less the sample just
     * before it; {@code base} the chat without a transfer, {@code transfer} during it.
     */
    record Outcome(String db, long sizeBytes, double generateS, double sha256sumMbPerS, double ddReadMbPerS,
            double ddWriteMbPerS, double uploadS, double uploadMbPerS, double downloadS, double downloadMbPerS,
            double rssBeforeMb, double rssPeakMb, double rssGrowthMb, double rssAfterMb, long rssSamples,
            double chatRate, ChatWindow base, ChatWindow transfer, long chatSent, long chatLost, long chatDuplicated,
            long malformed, String serverThreadsCpu) {

        boolean atGoalSize() {
            return sizeBytes >= GOAL_SIZE;
        }

        boolean ratesMet() {
            return uploadMbPerS >= GOAL_MB_PER_S && downloadMbPerS >= GOAL_MB_PER_S;
        }

        boolean rssMet() {
            return rssGrowthMb < GOAL_RSS_GROWTH_MB;
        }

        /** How many times the chat's p99 without a transfer its p99 during one is. */
        double p99Factor() {
            return base.p99Ms() > 0 ? transfer.p99Ms() / base.p99Ms() : Double.NaN;
        }

        boolean chatMet() {
            return p99Factor() <= GOAL_P99_FACTOR;
        }

        boolean chatIntact() {
            return chatLost == 0 && chatDuplicated == 0 && malformed == 0;
        }
    }

    private static final String PASSWORD = "bench-password-1";
    private static final long MAX_LATENCY_NS = 120_000_000_000L;
    /** What one read of the download takes: large, so that hashing, not system calls, is the cost. */
    private static final int READ_BUFFER = 1 << 20;
    /** The longest first line of a data connection's reply we wait for. */
    private static final int MAX_HEAD = 4096;
    private static final long RSS_PERIOD_MS = 10;
    private static final int UPLOADER = 0;
    private static final int DOWNLOADER = 1;
    /** The chatting pair are users CHAT and CHAT + 1; chat sender s is user CHAT + s. */
    private static final int CHAT = 2;

    /** Temporary directories of running scenarios: removed at the end, at the deadline, on SIGTERM. */
    private static final Set<Path> TEMPORARIES = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(FileTransfer::removeTemporaries, "remove-temporaries"));
    }

    private final NioLoop loop;
    private final InetSocketAddress address;
    private final double rate;
    private final long size;
    private final String prefix;
    private final List<User> users = new ArrayList<>();
    private final long origin = System.nanoTime();
    /**
     * In every client-id: a resend of a client-id stores nothing new (the MSG rule), so a second run
     * against the same server would otherwise deliver nothing and upload nothing.
     */
    private final String runId = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);

    // setup
    private int loggedIn;
    private int synced;
    private int friendPairs;
    private int failures;
    private String firstFailure;

    // chat
    private long chatStart;
    private long stopAt = Long.MAX_VALUE;
    private long nextK;
    private final Driver.Sequences seq = new Driver.Sequences(2, 2);
    private long baseStart = Long.MAX_VALUE;
    private long baseEnd = Long.MAX_VALUE;
    private long transferStart = Long.MAX_VALUE;
    private long transferEnd = Long.MAX_VALUE;
    private long baseSent;
    private long transferSent;
    private long received;
    private long malformed;
    private long lastDelivery;
    private final Histogram baseLatency = new Histogram(MAX_LATENCY_NS, 3);
    private final Histogram transferLatency = new Histogram(MAX_LATENCY_NS, 3);

    // the file
    private String sha256;
    private Path source;
    private long fileId;
    private CompletableFuture<Double> upload;
    private CompletableFuture<Double> download;
    private boolean offerReceived;
    private boolean fileGetSent;

    private FileTransfer(InetSocketAddress address, long size, double rate, String prefix) throws IOException {
        if (rate <= 0) {
            throw new IllegalArgumentException("--rate must be positive");
        }
        this.loop = new NioLoop(address);
        this.address = address;
        this.size = size;
        this.rate = rate;
        this.prefix = prefix;
        for (String role : new String[] {"up", "down", "a", "b"}) {
            users.add(new User(users.size(), prefix + role));
        }
    }

    static int run(Args a, String commandLine) throws IOException {
        Result r = result(a, commandLine);
        var o = Figures.read(Outcome.class, r.fields());
        return Bench.emit(r, "files " + r.get("scenario") + " " + r.get("label") + " (" + o.db() + "): "
                + Report.sizeName(o.sizeBytes()) + " up at " + Bench.human(o.uploadMbPerS()) + " MB/s ("
                + Bench.human(o.uploadS()) + " s), down at " + Bench.human(o.downloadMbPerS()) + " MB/s ("
                + Bench.human(o.downloadS()) + " s), SHA-256 checked; beside it sha256sum "
                + Bench.human(o.sha256sumMbPerS()) + ", dd read " + Bench.human(o.ddReadMbPerS())
                + ", dd write (fsync) " + Bench.human(o.ddWriteMbPerS()) + " MB/s; server RSS "
                + Bench.human(o.rssBeforeMb()) + " MB before, peak " + Bench.human(o.rssPeakMb()) + " MB (+"
                + Bench.human(o.rssGrowthMb()) + "); chat at " + Bench.human(o.chatRate()) + " msg/s: p50 "
                + Bench.human(o.base().p50Ms()) + " / " + Bench.human(o.transfer().p50Ms()) + " ms, p99 "
                + Bench.human(o.base().p99Ms()) + " / " + Bench.human(o.transfer().p99Ms())
                + " ms without / during the transfer (" + o.transfer().received() + " of " + o.transfer().expected()
                + " received during it), lost " + o.chatLost() + "; server CPU during it "
                + Bench.human(o.transfer().serverCpuPct()) + "% (" + o.serverThreadsCpu() + ")");
    }

    /** Runs the scenario: its result line, {@code ok} saying whether the file and every chat message came through. */
    static Result result(Args a, String commandLine) throws IOException {
        Common common = Common.parse(a, commandLine);
        long size = a.bytes("size", GOAL_SIZE);
        double rate = a.nonNegative("rate", 200);
        double warmup = a.nonNegative("warmup", 2);
        double baseline = a.nonNegative("baseline", 10);
        double drainMax = a.nonNegative("drain", 10);
        double setupMax = a.nonNegative("setup-timeout", 60);
        double transferMax = a.nonNegative("transfer-timeout", 300);
        // absolute: the file's path is handed to sha256sum and dd, which run in that directory
        Path tmp = Path.of(a.str("tmp-dir", System.getProperty("java.io.tmpdir"))).toAbsolutePath();
        String db = a.str("db-label", "sqlite");
        String prefix = a.str("prefix", "fx");
        a.checkAllUsed();
        if (baseline <= 0) {
            throw new IllegalArgumentException("--baseline must be positive: the chat without a transfer is a figure");
        }
        var f = new FileTransfer(common.address(), size, rate, prefix);
        Outcome o;
        Path dir = Files.createTempDirectory(tmp, "chat-bench-files-");
        TEMPORARIES.add(dir);
        try {
            o = f.measure(common.probe(), dir, db, warmup, baseline, drainMax, setupMax, transferMax);
        } finally {
            f.loop.close();
            remove(dir);
        }
        Result r = Figures.put(common.result("files"), o);
        f.loop.putOutcome(r, f.firstFailure, o.chatSent(), "no chat message was sent", f.failures, "requests");
        if (Boolean.TRUE.equals(r.get("ok")) && !o.chatIntact()) {
            r.put("ok", false);
            r.put("error", "chat beside the transfer: " + o.chatLost() + " lost, " + o.chatDuplicated()
                    + " duplicated, " + o.malformed() + " malformed");
        }
        return r;
    }

    private Outcome measure(ServerProbe probe, Path dir, String db, double warmup, double baseline, double drainMax,
            double setupMax, double transferMax) throws IOException {
        // The file and what the machine does with it without us.
        source = dir.resolve("source.bin");
        long g0 = System.nanoTime();
        sha256 = generate(source, size);
        double generateS = (System.nanoTime() - g0) / 1e9;
        double sha256sum = rate(timed(dir, "sha256sum", source.toString()));
        double ddRead = rate(timed(dir, "dd", "if=" + source, "of=/dev/null", "bs=1M"));
        Path copy = dir.resolve("copy.bin");
        double ddWrite = rate(timed(dir, "dd", "if=" + source, "of=" + copy, "bs=1M", "conv=fsync"));
        Files.deleteIfExists(copy);

        // Four accounts, two pairs of friends.
        long deadline = System.nanoTime() + Driver.seconds(setupMax);
        loop.openAll(users, users.size(), deadline);
        awaitSetup(probe, deadline, () -> synced == users.size(), () -> loggedIn + " of 4 logged in, " + synced
                + " synced");
        users.get(UPLOADER).send(loop, new Request.Add(users.get(DOWNLOADER).name).toLine("a"));
        users.get(CHAT).send(loop, new Request.Add(users.get(CHAT + 1).name).toLine("a"));
        awaitSetup(probe, deadline, () -> friendPairs == 2, () -> friendPairs + " of 2 pairs friends");

        // Chat alone: a warm-up, then the baseline window.
        var rss = new RssSampler(probe);
        try {
            chatStart = System.nanoTime() + 1_000_000;
            baseStart = chatStart + Driver.seconds(warmup);
            baseEnd = baseStart + Driver.seconds(baseline);
            ServerProbe.CpuMark baseCpu0 = null;
            while (System.nanoTime() < baseEnd) {
                chatRound(probe);
                if (baseCpu0 == null && System.nanoTime() >= baseStart) {
                    baseCpu0 = probe.cpuMark();
                }
            }
            var baseCpu = probe.cpuPctSince(baseCpu0, (System.nanoTime() - baseStart) / 1e9);

            // The transfer, the chat going on.
            double rssBefore = rss.resetPeak();
            transferStart = System.nanoTime();
            var cpu0 = probe.cpuMark();
            Map<String, Double> threads0 = threadMap(probe);
            var offer = new Request.SendFile(users.get(DOWNLOADER).name, "f" + runId, "bench.bin", size, sha256);
            users.get(UPLOADER).send(loop, offer.toLine("f"));
            long transferDeadline = transferStart + Driver.seconds(transferMax);
            while (download == null || !download.isDone()) {
                chatRound(probe);
                if (!fileGetSent && upload != null && upload.isDone()) {
                    result(upload); // throws the upload's failure
                    users.get(DOWNLOADER).send(loop, new Request.FileGet(fileId).toLine("g"));
                    fileGetSent = true;
                }
                if (System.nanoTime() > transferDeadline) {
                    throw new IOException("the transfer did not finish within " + Bench.human(transferMax) + " s ("
                            + (upload == null ? "no SEND_FILE reply" : !upload.isDone() ? "uploading"
                                    : download == null ? "no FILE_GET reply" : "downloading") + ")");
                }
            }
            transferEnd = System.nanoTime();
            stopAt = transferEnd;
            var transferCpu = probe.cpuPctSince(cpu0, (transferEnd - transferStart) / 1e9);
            String threads = threadDelta(threads0, threadMap(probe));
            double rssPeak = rss.peak();
            long samples = rss.samples();
            double uploadS = result(upload);
            double downloadS = result(download);
            if (!offerReceived) {
                failure("the downloader never got the FILE push of the offer");
            }

            // The chat drains: everything sent must arrive.
            long drainDeadline = System.nanoTime() + Driver.seconds(drainMax);
            lastDelivery = System.nanoTime();
            while (received + seq.gaps < seq.totalSent() && System.nanoTime() < drainDeadline
                    && System.nanoTime() - lastDelivery < Driver.seconds(Math.min(5, drainMax))) {
                chatRound(probe);
            }
            double rssAfter = rss.latest();
            return new Outcome(db, size, generateS, sha256sum, ddRead, ddWrite, uploadS, mb(size) / uploadS, downloadS,
                    mb(size) / downloadS, rssBefore, rssPeak, rssPeak - rssBefore, rssAfter, samples, rate,
                    ChatWindow.of(baseLatency, baseSent, baseCpu),
                    ChatWindow.of(transferLatency, transferSent, transferCpu), nextK,
                    seq.gaps + seq.notArrived(2), seq.duplicates + seq.unexpected, malformed, threads);
        } finally {
            rss.close();
        }
    }

    /** Sends what is due, handles one round of the loop, and stops the run on a failure. */
    private void chatRound(ServerProbe probe) throws IOException {
        sendDue(System.nanoTime());
        long next = scheduled(nextK);
        loop.selectWithin(next < stopAt ? next - System.nanoTime() : 10_000_000);
        if (failures > 0) {
            throw new IOException("a request failed: " + firstFailure);
        }
        if (loop.disconnected > 0) {
            throw new IOException("a connection was lost: " + loop.firstDisconnect);
        }
        if (!probe.alive()) {
            throw new IOException("the server process is gone");
        }
    }

    private long scheduled(long k) {
        return chatStart + (long) (k * 1e9 / rate);
    }

    /** Message k goes from chat sender k mod 2 to the other, stamped with its scheduled time. */
    private void sendDue(long t) {
        while (true) {
            long due = scheduled(nextK);
            if (due > t || due >= stopAt) {
                return;
            }
            int s = (int) (nextK % 2);
            long q = seq.sent[s]++;
            User from = users.get(CHAT + s);
            String text = new ChatStamp(s, q, due - origin).text();
            from.send(loop, new Request.Msg(users.get(CHAT + 1 - s).name, "c" + runId + "-" + nextK, text).toLine("m"));
            if (due >= baseStart && due < baseEnd) {
                baseSent++;
            } else if (due >= transferStart) {
                transferSent++;
            }
            nextK++;
        }
    }

    private final class User extends NioLoop.ProtocolPeer {
        final String name;
        boolean isSynced;

        User(int index, String name) {
            super(index);
            this.name = name;
        }

        @Override
        void onConnected(NioLoop l) {
            send(l, new Request.Register(name, PASSWORD).toLine("r"));
            send(l, new Request.Login(name, PASSWORD).toLine("l"));
        }

        @Override
        void onReply(NioLoop l, Line line, String text) throws IOException {
            try {
                onReply(l, Reply.parse(line));
            } catch (ProtocolException e) {
                failure(line.command() + " failed: " + e.getMessage() + " (" + text + ")");
            }
        }

        @Override
        void onMalformedPush(NioLoop l, String text) {
            malformed++;
            failure("a malformed push: " + text);
        }

        @Override
        void onPush(NioLoop l, Push push, String text) throws IOException {
            if (push instanceof Push.Synced && !isSynced) {
                isSynced = true;
                synced++;
            } else if (push instanceof Push.Message m) {
                onMessage(l, m.message(), text);
            } else if (push instanceof Push.File f) {
                onOffer(l, f.offer(), text);
            } else if (push instanceof Push.FileState s && s.fileId() == fileId && s.state() != FileStatus.READY) {
                failure("the file became " + s.state().wire() + ": " + text);
            }
            // friendship events, PRESENCE and FILE_STATE:ready: not what this scenario measures
        }

        /** Throws the failure's code and message ({@link Reply#as}) for a reply that was not expected to fail. */
        private void onReply(NioLoop l, Reply reply) throws IOException {
            switch (reply.tag()) {
                case "r" -> {
                    if (reply instanceof Reply.Fail f && f.code() != ErrorCode.NAME_TAKEN) {
                        throw f.exception(); // taken: an earlier run registered it, and the LOGIN tells
                    }
                }
                case "l" -> {
                    reply.as(Replies.LoginOk.class);
                    loggedIn++;
                }
                case "a" -> {
                    if (reply instanceof Reply.Fail f && f.code() == ErrorCode.ALREADY_FRIENDS) {
                        friendPairs++; // from an earlier run against the same server
                    } else if (reply.as(Replies.AddOk.class).friends()) {
                        friendPairs++;
                    } else {
                        // the first of the pair asked; the second's ADD makes them friends at once
                        users.get(index ^ 1).send(l, new Request.Add(name).toLine("a"));
                    }
                }
                case "m" -> reply.as(Replies.SentOk.class);
                case "f" -> {
                    var ok = reply.as(Replies.SendFileOk.class);
                    if (ok.offset() != 0) {
                        throw new IOException("the server holds " + ok.offset() + " bytes of this new file already");
                    }
                    fileId = ok.fileId();
                    upload = onThread("upload", () -> upload(address, ok.token(), source, size, fileId));
                }
                case "g" -> {
                    var ok = reply.as(Replies.FileGetOk.class);
                    if (ok.size() != size || !ok.sha256().equals(sha256)) {
                        throw new IOException("FILE_GET describes another file: " + ok);
                    }
                    download = onThread("download", () -> download(address, ok.token(), size, sha256));
                }
                default -> failure("a reply to no request of ours: " + reply.toLine());
            }
        }

        /** {@code MESSAGE} from the partner, its text a {@link ChatStamp}: checked, timed, acknowledged. */
        private void onMessage(NioLoop l, ChatMessage m, String text) {
            int me = index - CHAT;
            ChatStamp stamp = ChatStamp.parse(m.text());
            int s = stamp == null ? -1 : stamp.sender();
            if (me < 0 || m.isGroup() || s != 1 - me || !m.from().equals(users.get(CHAT + s).name)) {
                malformed++;
                failure("a message this user was not sent: " + text);
                return;
            }
            send(l, new Request.Ack(m.id()).toLine(null));
            if (!seq.received(me, s, stamp.seq())) {
                return; // a duplicate, counted
            }
            received++;
            long now = l.now;
            lastDelivery = now;
            long due = origin + stamp.time();
            long latency = Math.min(MAX_LATENCY_NS, Math.max(0, now - due));
            if (due >= baseStart && due < baseEnd) {
                baseLatency.recordValue(latency);
            } else if (due >= transferStart && due < transferEnd) {
                transferLatency.recordValue(latency);
            }
        }

        /** The offer, pushed to the downloader as a stored message: checked and acknowledged. */
        private void onOffer(NioLoop l, FileOffer offer, String text) {
            if (index != DOWNLOADER || offer.size() != size || !offer.sha256().equals(sha256)) {
                failure("an offer this user was not made: " + text);
                return;
            }
            offerReceived = true;
            send(l, new Request.Ack(offer.id()).toLine(null));
        }
    }

    private void failure(String text) {
        failures++;
        if (firstFailure == null) {
            firstFailure = text;
        }
    }

    private void awaitSetup(ServerProbe probe, long deadline, java.util.function.BooleanSupplier done,
            java.util.function.Supplier<String> progress) throws IOException {
        while (!done.getAsBoolean()) {
            loop.select(10);
            if (failures > 0) {
                throw new IOException("setup failed (" + progress.get() + "): " + firstFailure);
            }
            loop.checkSetup(probe, deadline, "setup timed out: " + progress.get());
        }
    }

    // ---------------------------------------------------------------------- the data connections

    /**
     * {@code UPLOAD:token:0}, then the file by sendfile, then the server's reply: the seconds from
     * the connect to {@code UPLOAD:true:file-id}.
     */
    static double upload(InetSocketAddress address, String token, Path file, long size, long fileId)
            throws IOException {
        long t0 = System.nanoTime();
        try (var ch = SocketChannel.open(address); var in = FileChannel.open(file, StandardOpenOption.READ)) {
            writeLine(ch, new Request.Upload(token, 0));
            long sent = 0;
            try {
                while (sent < size) {
                    sent += in.transferTo(sent, size - sent, ch);
                }
            } catch (IOException e) {
                throw new IOException("the upload was cut after " + sent + " bytes (" + e.getMessage()
                        + "); the server said " + replyOrNothing(ch));
            }
            var ok = Reply.parse(Line.parse(readLine(ch, ByteBuffer.allocate(MAX_HEAD)))).as(Replies.UploadOk.class);
            if (ok.fileId() != fileId) {
                throw new IOException("UPLOAD:true for file " + ok.fileId() + ", not " + fileId);
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * {@code DOWNLOAD:token:0}, then every byte until the server closes, hashed as it comes: the
     * seconds from the connect to the last byte. Throws unless exactly {@code size} bytes with
     * SHA-256 {@code sha256} arrived.
     */
    static double download(InetSocketAddress address, String token, long size, String sha256) throws IOException {
        long t0 = System.nanoTime();
        MessageDigest digest = sha256();
        long got = 0;
        try (var ch = SocketChannel.open(address)) {
            writeLine(ch, new Request.Download(token, 0));
            ByteBuffer buf = ByteBuffer.allocate(READ_BUFFER);
            long announced = Reply.parse(Line.parse(readLine(ch, buf))).as(Replies.DownloadOk.class).size();
            if (announced != size) {
                throw new IOException("DOWNLOAD:true announces " + announced + " bytes, not " + size);
            }
            do {
                buf.flip();
                got += buf.remaining();
                digest.update(buf.array(), buf.position(), buf.remaining());
                buf.clear();
            } while (ch.read(buf) >= 0);
        }
        String hash = HexFormat.of().formatHex(digest.digest());
        if (got != size || !hash.equals(sha256)) {
            throw new IOException("the download brought " + got + " bytes with SHA-256 " + hash + ", not " + size
                    + " with " + sha256);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void writeLine(SocketChannel ch, Request request) throws IOException {
        var b = ByteBuffer.wrap((request.toLine(null).format() + "\n").getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /**
     * Reads until a newline into {@code buf} (empty, write mode) and returns the line; what came
     * after it stays in {@code buf}, still in write mode.
     */
    static String readLine(SocketChannel ch, ByteBuffer buf) throws IOException {
        int scanned = 0;
        while (true) {
            for (; scanned < buf.position(); scanned++) {
                if (buf.get(scanned) == '\n') {
                    int len = scanned > 0 && buf.get(scanned - 1) == '\r' ? scanned - 1 : scanned;
                    String line = new String(buf.array(), 0, len, StandardCharsets.UTF_8);
                    buf.flip().position(scanned + 1);
                    buf.compact();
                    return line;
                }
            }
            if (scanned >= MAX_HEAD) {
                throw new IOException("no line in the first " + MAX_HEAD + " bytes of the reply");
            }
            if (ch.read(buf) < 0) {
                throw new IOException("the server closed the data connection before its reply line"
                        + (scanned > 0 ? " (it sent " + new String(buf.array(), 0, scanned, StandardCharsets.UTF_8)
                                + ")" : ""));
            }
        }
    }

    private static String replyOrNothing(SocketChannel ch) {
        try {
            return readLine(ch, ByteBuffer.allocate(MAX_HEAD));
        } catch (IOException e) {
            return "nothing";
        }
    }

    /** {@code body} on a thread of its own (the loop must not block): its result, or its failure. */
    private static <T> CompletableFuture<T> onThread(String name, Callable<T> body) {
        var f = new CompletableFuture<T>();
        var t = new Thread(() -> {
            try {
                f.complete(body.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return f;
    }

    private static double result(CompletableFuture<Double> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    // ---------------------------------------------------------------------- the file and the ceiling

    /**
     * Writes {@code size} bytes of xorshift output to {@code file} (seeded from the clock: new
     * content every run), syncs it to disk, and returns their SHA-256.
     */
    static String generate(Path file, long size) throws IOException {
        MessageDigest digest = sha256();
        ByteBuffer buf = ByteBuffer.allocate(READ_BUFFER);
        long x = System.nanoTime() | 1;
        try (var out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long left = size; left > 0;) {
                int n = (int) Math.min(buf.capacity(), left);
                buf.clear();
                while (buf.position() + Long.BYTES <= n) {
                    x ^= x << 13;
                    x ^= x >>> 7;
                    x ^= x << 17;
                    buf.putLong(x);
                }
                while (buf.position() < n) {
                    buf.put((byte) (x >>> (8 * buf.position() % 64)));
                }
                buf.flip();
                digest.update(buf.array(), 0, n);
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
                left -= n;
            }
            // On disk before anything is measured: left to the kernel's writeback, a gigabyte of dirty
            // pages would be flushed during the chat's window, and every commit of the server wait behind it.
            out.force(true);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** What one command printed, and how long it took from its start to its exit. */
    private record Timed(double seconds, String output) {}

    private double rate(Timed t) {
        return mb(size) / t.seconds();
    }

    /**
     * Runs {@code command} (LC_ALL=C, in {@code dir}), throws unless it exits 0; for
     * {@code sha256sum}, unless it finds the hash the file was made with.
     */
    private Timed timed(Path dir, String... command) throws IOException {
        var pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C");
        long t0 = System.nanoTime();
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status;
        try {
            status = p.waitFor();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (status != 0) {
            throw new IOException(String.join(" ", command) + " exited " + status + ": " + out.strip());
        }
        if (command[0].equals("sha256sum") && !out.startsWith(sha256 + " ")) {
            throw new IOException("sha256sum says " + out.strip() + ", the generator " + sha256);
        }
        return new Timed(seconds, out);
    }

    private static double mb(long bytes) {
        return bytes / 1e6;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** Deletes {@code dir} and the files in it (it holds no directories). */
    private static void remove(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            System.err.println("chat-bench: could not remove " + dir + ": " + e.getMessage());
        }
        TEMPORARIES.remove(dir);
    }

    /** Removes the temporary files of every run still going: the deadline's halt runs no shutdown hook. */
    static void removeTemporaries() {
        for (Path dir : TEMPORARIES) {
            remove(dir);
        }
    }

    // ---------------------------------------------------------------------- the server's memory

    /** Each thread's CPU seconds so far by name (see {@link ServerProbe#threadCpu}). */
    private static Map<String, Double> threadMap(ServerProbe probe) {
        var map = new HashMap<String, Double>();
        probe.threadCpu().forEach(e -> map.put(e.getKey(), e.getValue()));
        return map;
    }

    /** The server's busiest threads between two readings of {@link #threadMap}. */
    private static String threadDelta(Map<String, Double> before, Map<String, Double> after) {
        var delta = new ArrayList<Map.Entry<String, Double>>();
        after.forEach((name, cpu) -> delta.add(Map.entry(name, cpu - before.getOrDefault(name, 0.0))));
        delta.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        return Restart.threadSummary(delta);
    }

    /**
     * The server's VmRSS every {@link #RSS_PERIOD_MS} ms on a thread of its own (the loop's rounds
     * are paced by the chat schedule, and a peak between two of them would be missed), in MB.
     */
    private static final class RssSampler implements AutoCloseable {
        private final ServerProbe probe;
        private final Thread thread;
        private volatile boolean running = true;
        private long peakKb = -1; // both guarded by this
        private long samples;

        RssSampler(ServerProbe probe) {
            this.probe = probe;
            this.thread = new Thread(this::sample, "rss");
            thread.setDaemon(true);
            thread.start();
        }

        private void sample() {
            while (running) {
                long kb = probe.status("VmRSS");
                if (kb >= 0) {
                    synchronized (this) {
                        peakKb = Math.max(peakKb, kb);
                        samples++;
                    }
                }
                try {
                    Thread.sleep(RSS_PERIOD_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** Reads VmRSS now, makes it the peak so far, and returns it (NaN without a server pid). */
        synchronized double resetPeak() {
            long kb = probe.status("VmRSS");
            peakKb = kb;
            samples = kb >= 0 ? 1 : 0;
            return mbOf(kb);
        }

        synchronized double peak() {
            return mbOf(peakKb);
        }

        synchronized long samples() {
            return samples;
        }

        double latest() {
            return mbOf(probe.status("VmRSS"));
        }

        private static double mbOf(long kb) {
            return kb < 0 ? Double.NaN : kb / 1024.0;
        }

        @Override
        public void close() {
            running = false;
            thread.interrupt();
        }
    }
}
