package chat.client;

import chat.client.TransferException.Reason;
import chat.common.proto.ErrorCode;
import chat.common.proto.Line;
import chat.common.proto.ProtocolException;
import chat.common.proto.Replies;
import chat.common.proto.Reply;
import chat.common.proto.Request;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The article's way, where it works: the sender listens on a port of its own and tells the friend
 * where ({@code FileTran}, forwarded by the server as {@code FILE_PEER}); the friend's client
 * connects and fetches the file, and the server never sees a byte. Offered only when the friend's
 * address (as {@code CONNECT_CLIENT} gives it) is on my network: both on loopback, or the same
 * IPv4 /24 (IPv6 /64). Anywhere else (NAT, another site) a direct connection would fail, so the
 * file goes through the server instead.
 *
 * <p>On the direct link the friend speaks as to the server's data port: {@code DOWNLOAD:sha256:offset}
 * (the hash, which only the friend was told, is the token), answered {@code DOWNLOAD:true:size} and
 * the bytes; a cut link is resumed from the friend's {@code .part}. The sender keeps listening
 * until one link has carried the last byte, or it is cancelled. A friend who has not started
 * fetching within {@link Timings#directFallback} (their client ignores the offer, or cannot reach
 * this one), or whose cut fetch has not come back within {@link #WAIT}, gets the file through the
 * server instead: the listening socket closes, the relay's upload starts, and
 * {@link ChatEvent.DirectFellBack} says so.
 */
final class Direct {

    /** How long the sender waits for a friend whose fetch was cut to come back and resume it. */
    static final Duration WAIT = Duration.ofMinutes(10);

    private final Transfers transfers;
    private final Events events;
    private final Supplier<InetAddress> myAddress;
    private final AtomicLong keys = new AtomicLong(Long.MIN_VALUE);

    Direct(Transfers transfers, Events events, Supplier<InetAddress> myAddress) {
        this.transfers = transfers;
        this.events = events;
        this.myAddress = myAddress;
    }

    /** Whether two addresses can reach each other directly: both loopback, or one /24 (IPv6: /64). */
    static boolean sameNetwork(InetAddress a, InetAddress b) {
        if (a.isLoopbackAddress() && b.isLoopbackAddress()) {
            return true;
        }
        byte[] x = a.getAddress();
        byte[] y = b.getAddress();
        if (x.length != y.length || a.isLoopbackAddress() || b.isLoopbackAddress()) {
            return false;
        }
        int prefix = x.length == 4 ? 3 : 8;
        return Arrays.equals(x, 0, prefix, y, 0, prefix);
    }

    /**
     * Sends {@code file} straight to {@code friend} when we share a network, else through the
     * server ({@code relay}); the transfer tells which ({@link FileTransfer#isDirect}).
     */
    CompletableFuture<FileTransfer> send(String friend, Path file, TransferListener listener,
            Supplier<CompletableFuture<FileTransfer>> relay) {
        var started = new CompletableFuture<FileTransfer>();
        long since = transfers.epoch();
        transfers.pool().execute(() -> {
            try {
                InetAddress mine = myAddress.get();
                InetAddress theirs = friendAddress(friend, since);
                if (mine == null || theirs == null || !sameNetwork(mine, theirs)) {
                    relay.get().whenComplete((t, e) -> {
                        if (e != null) {
                            started.completeExceptionally(Events.unwrap(e));
                        } else {
                            started.complete(t);
                        }
                    });
                    return;
                }
                serve(since, friend, file, mine, listener, started, relay);
            } catch (Throwable e) {
                started.completeExceptionally(e);
            }
        });
        return started;
    }

    /** The friend's address as the server sees it; {@code null} when it is not to be had (offline: the relay keeps it for them). */
    private InetAddress friendAddress(String friend, long since) throws Exception {
        try {
            var ok = transfers.control(new Request.ConnectClient(friend), Replies.ConnectClientOk.class, since);
            return InetAddress.getByName(ok.ip());
        } catch (RefusedException e) {
            if (e.code() == ErrorCode.OFFLINE) {
                return null;
            }
            throw e;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * Listens, offers, and serves the friend's links until one carried the last byte; falls back
     * to the relay when the friend does not fetch in time. The job is registered with the
     * transfers, so that a logout or the client closing stops it as it stops the others (its
     * listening socket closes).
     */
    private void serve(long since, String friend, Path file, InetAddress mine, TransferListener listener,
            CompletableFuture<FileTransfer> started, Supplier<CompletableFuture<FileTransfer>> relay) throws Exception {
        Path path = file.toAbsolutePath().normalize();
        BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
        if (!attrs.isRegularFile()) {
            throw new TransferException(Reason.IO, path + " is not a file");
        }
        long size = attrs.size();
        String name = path.getFileName().toString();
        String sha256 = Transfers.sha256(path, size);
        long key = keys.getAndIncrement();
        Transfers.Job job = transfers.directJob(key, since, name, size, () -> { }, listener);
        var done = job.done;
        var progress = job.progress;
        boolean fetching = false;
        try (ServerSocketChannel server = job.hold(ServerSocketChannel.open())) {
            server.bind(new InetSocketAddress(mine, 0), 1);
            int port = server.socket().getLocalPort();
            transfers.control(new Request.FileTran(friend, mine.getHostAddress(), port, name, size, sha256), null, since);
            started.complete(job.transfer);
            while (!done.isDone()) {
                // Before the friend's first fetch, a short wait; after a cut, time to come back.
                server.socket().setSoTimeout((int) (fetching ? WAIT : transfers.timings().directFallback()).toMillis());
                SocketChannel c;
                try {
                    c = server.socket().accept().getChannel();
                } catch (SocketTimeoutException e) {
                    break;
                } catch (IOException e) {
                    done.completeExceptionally(new TransferException(Reason.CANCELLED, "cancelled"));
                    return;
                }
                try (DataLink link = DataLink.accepted(c);
                        FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
                    long offset = asked(link, sha256, size);
                    if (offset < 0) {
                        continue;
                    }
                    fetching = true;
                    link.writeLine(Reply.ok(null, "DOWNLOAD", new Replies.DownloadOk(size)).toLine());
                    progress.start(offset);
                    link.sendFile(in, offset, size, progress::moved, -1);
                    progress.finished();
                    done.complete(path);
                } catch (IOException e) {
                    // the friend's link went: it comes back and resumes, or the wait runs out
                }
            }
        } finally {
            transfers.finished(key, job);
        }
        if (!job.stopped()) {
            fallBack(friend, job, relay);
        }
    }

    /**
     * The friend did not fetch in time: the file goes through the server, and the direct send's
     * transfer speaks for that upload from then on (a cancel meanwhile cancels the new offer).
     */
    private void fallBack(String friend, Transfers.Job job, Supplier<CompletableFuture<FileTransfer>> relay) {
        relay.get().whenComplete((upload, e) -> {
            if (e != null) {
                job.done.completeExceptionally(Events.unwrap(e));
                return;
            }
            job.transfer.fellBack(upload);
            if (job.stopped()) {
                upload.cancel(); // cancelled (or logged out) while the offer was being made
                return;
            }
            events.emit(new ChatEvent.DirectFellBack(friend, job.transfer));
            upload.done().whenComplete((p, f) -> {
                if (f != null) {
                    job.done.completeExceptionally(Events.unwrap(f));
                } else {
                    job.done.complete(p);
                }
            });
        });
    }

    /** The offset a friend's link asks for, or -1 after telling it no (a wrong token, a bad offset). */
    private static long asked(DataLink link, String sha256, long size) throws IOException {
        Line line = link.readLine();
        Request r;
        try {
            r = line == null ? null : Request.parse(line);
        } catch (ProtocolException e) {
            r = null;
        }
        if (!(r instanceof Request.Download d) || !d.token().equals(sha256)) {
            link.writeLine(Reply.fail(null, "DOWNLOAD", ErrorCode.BAD_TOKEN, "not the file offered here").toLine());
            return -1;
        }
        if (d.offset() < 0 || d.offset() > size) {
            link.writeLine(Reply.fail(null, "DOWNLOAD", ErrorCode.BAD_OFFSET, "the file has " + size + " bytes").toLine());
            return -1;
        }
        return d.offset();
    }

    /** Fetches a friend's direct offer into {@code dir}, resuming a {@code .part} left there. */
    CompletableFuture<FileTransfer> accept(ChatEvent.PeerFileOffered offer, Path dir, TransferListener listener) {
        var started = new CompletableFuture<FileTransfer>();
        if (offer.size() < 0 || offer.sha256().isEmpty() || offer.fileName().isEmpty()) {
            started.completeExceptionally(new TransferException(Reason.PEER, offer.from()
                    + "'s client gave only an address, not which file: there is nothing to check it by"));
            return started;
        }
        long key = keys.getAndIncrement();
        long since = transfers.epoch();
        transfers.pool().execute(() -> {
            try {
                transfers.receive(since, key, 0, new ServerAddress(offer.ip(), offer.port()), offer::sha256, offer.fileName(), offer.size(),
                        offer.sha256(), dir, true, listener, started);
            } catch (Throwable e) {
                started.completeExceptionally(e);
            }
        });
        return started;
    }
}
