package chat.client;

import chat.client.HistoryEntry.DeliveryState;
import chat.client.TransferException.Reason;
import chat.common.proto.Conversation;
import chat.common.proto.ErrorCode;
import chat.common.proto.FileOffer;
import chat.common.proto.FileStatus;
import chat.common.proto.Replies;
import chat.common.proto.Request;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * File transfers through the server: the control in the text protocol on the chat connection
 * ({@code SEND_FILE}, {@code FILE_UPLOAD}, {@code FILE_GET}, {@code FILE_CANCEL}), the bytes on a
 * {@link DataLink} of their own. Each transfer runs on a thread of the {@code chat-files} pool,
 * blocking: hashing, the data socket, the disk; never the caller's thread, the reader's, or the
 * calls thread.
 *
 * <p>A transfer cut short (the data connection or the chat connection went, the server
 * restarted) waits for the connection to be online again, asks for a fresh one-time token, and
 * goes on from where the other side stands: an upload from the offset the server holds, a
 * download from the length of its {@code .part} file. An upload is recorded in the local
 * history's pending uploads until its last byte is on the server, so that after a restart of
 * this client it goes on at the next login ({@link #resumePending}).
 *
 * <p>A logout stops every transfer as {@link #close} does ({@link #loggedOut}): each job belongs
 * to the login it started under (its {@code epoch}), so that nothing of it runs as the next
 * account to log in here, and its pending upload stays recorded in its own account's history.
 */
final class Transfers implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Transfers.class.getName());

    /** How long a control request waits for its answer before the connection is deemed gone. */
    static final Duration REPLY_WAIT = Duration.ofSeconds(30);
    /** Bytes read from a data connection at a time. */
    private static final int READ_BYTES = 256 * 1024;
    /** Refusals in a row (a token refused, say) before a transfer gives up: a broken server. */
    private static final int MAX_REFUSALS = 5;
    /**
     * Cuts in a row at one offset before a download gives up: the other side keeps failing at the
     * same byte (the server's copy is gone or unreadable, the friend's client went away), and
     * trying forever would hide that from the user.
     */
    static final int MAX_CUTS_AT_ONE_OFFSET = 5;

    /** The server the chat connection is on now: data connections to the server go there. */
    private final java.util.function.Supplier<ServerAddress> server;
    private final Timings timings;
    /** Null: plain text; else data connections to the server speak TLS as the chat's does. */
    private final Tls tls;
    private final Requests requests;
    private final Session session;
    private final Events events;
    private final ExecutorService pool;
    /** Uploads and downloads running, by file id (an upload's key is positive, a download's negative). */
    private final Map<Long, Job> running = new ConcurrentHashMap<>();
    /** The {@code .part} files being written now: one writer each. */
    private final java.util.Set<Path> parts = ConcurrentHashMap.newKeySet();
    /** Which login this is: a logout counts it up, and a job of an earlier one stops. */
    private final AtomicLong epoch = new AtomicLong();
    private volatile boolean closed;
    /** A test's cut: the next data connection to pass this many bytes of the file is closed there. */
    private final AtomicLong cutAt = new AtomicLong(-1);

    Transfers(java.util.function.Supplier<ServerAddress> server, Timings timings, Tls tls, Requests requests,
            Session session, Events events) {
        this.server = server;
        this.timings = timings;
        this.tls = tls;
        this.requests = requests;
        this.session = session;
        this.events = events;
        var threads = new AtomicLong();
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "chat-files-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** One transfer running: its public face, and what stops it. */
    final class Job {
        final FileTransfer transfer;
        final CompletableFuture<Path> done = new CompletableFuture<>();
        final Progress progress;
        /** The login it runs under ({@link Transfers#epoch}). */
        final long epoch;
        /** The local history of the account it runs for (null: none), whatever account logs in later. */
        final History history;
        private volatile boolean cancelled;
        private volatile AutoCloseable link;

        /** {@code afterCancel}: what {@link FileTransfer#cancel} does besides stopping it here. */
        Job(long epoch, long fileId, long messageId, long time, String name, long size, FileTransfer.Direction direction,
                boolean direct, Runnable afterCancel, TransferListener listener) {
            this.epoch = epoch;
            this.history = session.current().history();
            this.transfer = new FileTransfer(fileId, messageId, time, name, size, direction, direct, events.relay(done),
                    () -> {
                        stop(new TransferException(Reason.CANCELLED, "cancelled"));
                        afterCancel.run();
                    });
            this.progress = new Progress(transfer, listener, events);
        }

        /** Stops the transfer here: its data connection closes, its thread ends. */
        void stop(TransferException why) {
            cancelled = true;
            AutoCloseable l = link;
            if (l != null) {
                try {
                    l.close();
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.DEBUG, "closing a link to stop it: " + e);
                }
            }
            done.completeExceptionally(why);
        }

        boolean stopped() {
            return cancelled || closed || done.isDone() || epoch != Transfers.this.epoch.get();
        }

        /**
         * A data link to {@code peer} (a friend's direct listener, plain text), or, when null, to
         * the server the chat connection is on at this moment (the one of a cluster's list that
         * gave the token, unless the connection just moved: then the token is refused and a new
         * one asked for), in TLS when the chat speaks it.
         */
        DataLink open(ServerAddress peer) throws IOException {
            DataLink l = peer != null ? DataLink.open(peer, timings.connectTimeout(), null)
                    : DataLink.open(server.get(), timings.connectTimeout(), tls);
            link = l;
            if (stopped()) {
                l.close();
            }
            return l;
        }

        /** Makes {@code c} (a data link, a direct sender's listening socket) what a stop closes. */
        <C extends AutoCloseable> C hold(C c) throws Exception {
            link = c;
            if (stopped()) {
                c.close();
            }
            return c;
        }
    }

    // ---------------------------------------------------------------- sending

    /**
     * Hashes {@code file}, offers it to {@code to} ({@code groupName}: a group's name as last seen,
     * for the local history), and uploads it. The future gives the transfer once the server stored
     * the offer; its {@link FileTransfer#done} when the bytes are all there.
     */
    CompletableFuture<FileTransfer> send(Conversation to, String groupName, Path file, TransferListener listener) {
        var offered = new CompletableFuture<FileTransfer>();
        long since = epoch.get();
        pool.execute(() -> {
            try {
                offer(since, to, groupName, file, listener, offered);
            } catch (Throwable e) {
                offered.completeExceptionally(e);
            }
        });
        return offered;
    }

    private void offer(long since, Conversation to, String groupName, Path file, TransferListener listener,
            CompletableFuture<FileTransfer> offered) throws Exception {
        Path path = file.toAbsolutePath().normalize();
        BasicFileAttributes attrs = attributes(path);
        long size = attrs.size();
        long modified = attrs.lastModifiedTime().toMillis();
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        String sha256 = sha256(path, size);
        String clientId = UUID.randomUUID().toString();
        var ok = control(new Request.SendFile(to.format(), clientId, name, size, sha256), Replies.SendFileOk.class, since);
        Session.Current now = session.current();
        Job job = uploadJob(since, ok.fileId(), ok.messageId(), ok.time(), name, size, listener); // running before it is pending: a login's resume skips it
        History h = job.history;
        if (h != null) {
            String toName = to instanceof Conversation.GroupId ? "#" + groupName : to.format();
            long groupId = to instanceof Conversation.GroupId g ? g.id() : chat.common.proto.ChatMessage.PRIVATE;
            h.addFile(new FileOffer(ok.messageId(), ok.time(), now.account(), toName, groupId, clientId, ok.fileId(),
                    name, size, sha256));
            h.addPendingUpload(new History.PendingUpload(ok.fileId(), path, name, size, sha256, modified));
        }
        offered.complete(job.transfer);
        upload(job, path, size, modified, ok.token(), ok.offset());
    }

    private Job uploadJob(long since, long fileId, long messageId, long time, String name, long size,
            TransferListener listener) {
        Job[] self = new Job[1];
        Job job = new Job(since, fileId, messageId, time, name, size, FileTransfer.Direction.UPLOAD, false,
                () -> cancelOnServer(self[0]), listener);
        self[0] = job;
        running.put(fileId, job);
        return job;
    }

    /**
     * After each login: the uploads recorded here and not running (this client was restarted, or
     * the offer was made before a crash) go on, told only by the server's {@code FILE_STATE}.
     */
    void resumePending() {
        History h = session.current().history();
        if (h == null || closed) {
            return;
        }
        for (History.PendingUpload u : h.pendingUploads()) {
            if (running.containsKey(u.fileId())) {
                continue;
            }
            Job job = uploadJob(epoch.get(), u.fileId(), 0, 0, u.name(), u.size(), TransferListener.NONE);
            pool.execute(() -> upload(job, u.path(), u.size(), u.modified(), null, -1));
        }
    }

    /**
     * Sends the bytes from {@code offset} with {@code token}; when the link is cut, asks
     * {@code FILE_UPLOAD} for a new token and offset, and goes on. {@code token} null: ask first.
     */
    private void upload(Job job, Path path, long size, long modified, String token, long offset) {
        long fileId = job.transfer.fileId();
        int refusals = 0;
        int cuts = 0;
        try {
            while (!job.stopped()) {
                if (token != null && offset >= size) {
                    break; // the server has every byte (this content was there already)
                }
                if (token != null) {
                    unchanged(path, size, modified);
                    try (DataLink link = job.open(null);
                            FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
                        link.send(new Request.Upload(token, offset));
                        job.progress.start(offset);
                        link.sendFile(in, offset, size, job.progress::moved, takeCut(offset, size));
                        link.reply(Replies.UploadOk.class);
                        break;
                    } catch (IOException cut) {
                        if (job.stopped()) {
                            break;
                        }
                        LOG.log(System.Logger.Level.DEBUG, "upload of file " + fileId + " cut: " + cut);
                        pause(job, ++cuts);
                    } catch (RefusedException r) {
                        if (r.code() == ErrorCode.HASH_MISMATCH) {
                            throw new TransferException(Reason.FILE_CHANGED, r.getMessage(), r);
                        }
                        if (++refusals > MAX_REFUSALS) {
                            throw r;
                        }
                    }
                }
                try {
                    var again = control(new Request.FileUpload(fileId), Replies.FileUploadOk.class, job.epoch);
                    token = again.token();
                    offset = again.offset();
                } catch (RefusedException r) {
                    if (r.code() == ErrorCode.COMPLETE) {
                        break;
                    }
                    throw r;
                }
            }
            if (!job.stopped()) {
                job.progress.finished();
                forget(job);
                job.done.complete(path);
            }
        } catch (RefusedException | TransferException e) {
            if (!job.stopped()) {
                forget(job); // cancelled, expired, no longer mine, changed: nothing more can be sent
            } // else stopped here (a logout, the client closing): it goes on at the next login
            job.done.completeExceptionally(e);
        } catch (Exception e) {
            job.done.completeExceptionally(failure(e));
        } finally {
            running.remove(fileId, job);
        }
    }

    /** What a transfer's {@code done} fails with: the refusal or transfer failure itself, else an I/O failure. */
    private static Exception failure(Exception e) {
        return e instanceof RefusedException || e instanceof TransferException || e instanceof NotConnectedException ? e
                : new TransferException(Reason.IO, String.valueOf(e.getMessage()), e);
    }

    /** The upload of {@code job} is over for good: not resumed at its account's next login. */
    private static void forget(Job job) {
        forget(job.history, job.transfer.fileId());
    }

    private static void forget(History h, long fileId) {
        if (h != null) {
            h.removePendingUpload(fileId);
        }
    }

    /** A file that changed since it was offered would not match its hash: it is not sent. */
    private static void unchanged(Path path, long size, long modified) {
        try {
            BasicFileAttributes now = Files.readAttributes(path, BasicFileAttributes.class);
            if (now.size() != size || now.lastModifiedTime().toMillis() != modified) {
                throw new TransferException(Reason.FILE_CHANGED, path + " changed since it was offered");
            }
        } catch (IOException e) {
            throw new TransferException(Reason.FILE_CHANGED, path + " is gone: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- receiving

    /** Where a download's bytes come from: a fresh link ticket each time one is needed. */
    interface Source {
        /** The token to present, after a cut too; {@link RefusedException} when there is none to be had. */
        String token() throws Exception;
    }

    /**
     * Downloads file {@code fileId} into {@code dir}: {@code FILE_GET} gives a token, the name, size
     * and hash; the bytes go to {@code name.part} (resumed from its length), then the hash is checked
     * and the part renamed to the name, or the first free {@code name (n).ext}.
     */
    CompletableFuture<FileTransfer> download(long fileId, Path dir, TransferListener listener) {
        var started = new CompletableFuture<FileTransfer>();
        long since = epoch.get();
        pool.execute(() -> {
            try {
                var ok = control(new Request.FileGet(fileId), Replies.FileGetOk.class, since);
                String[] first = {ok.token()};
                Source source = () -> {
                    String t = first[0];
                    first[0] = null;
                    return t != null ? t : control(new Request.FileGet(fileId), Replies.FileGetOk.class, since).token();
                };
                receive(since, -fileId, fileId, null, source, ok.name(), ok.size(), ok.sha256(), dir, false,
                        listener, started);
            } catch (Throwable e) {
                started.completeExceptionally(e);
            }
        });
        return started;
    }

    /**
     * Receives a file from {@code peer} (a friend's client; null: the server)
     * into {@code dir}; completes {@code started} when it begins, and its job's future at the end.
     * The part is tagged with the file id (a direct offer, which has none: a prefix of its hash).
     */
    void receive(long since, long key, long fileId, ServerAddress peer, Source source, String offeredName,
            long size, String sha256, Path dir, boolean direct, TransferListener listener,
            CompletableFuture<FileTransfer> started) throws IOException {
        String name = FileNames.safe(offeredName);
        Files.createDirectories(dir);
        Path part = FileNames.part(dir, name, fileId > 0 ? Long.toString(fileId) : "p" + sha256.substring(0, 16));
        Job job = new Job(since, fileId, 0, 0, name, size, FileTransfer.Direction.DOWNLOAD, direct,
                () -> deleteQuietly(part), listener);
        if (!parts.add(part)) {
            throw new TransferException(Reason.IO, name + " is being downloaded to " + dir + " already");
        }
        running.put(key, job);
        started.complete(job.transfer);
        try {
            Path saved = fetch(job, peer, source, size, sha256, dir, name, part);
            if (saved != null) {
                job.progress.finished();
                job.done.complete(saved);
            }
        } catch (Exception e) {
            job.done.completeExceptionally(failure(e));
        } finally {
            running.remove(key, job);
            parts.remove(part);
        }
    }

    /** The download's loop: link after link until every byte is in the part; the saved file, or null when stopped. */
    private Path fetch(Job job, ServerAddress peer, Source source, long size, String sha256, Path dir,
            String name, Path part) throws Exception {
        MessageDigest digest = sha256Digest();
        long have;
        try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            have = out.size();
            if (have > size) { // not this file's, or a file that changed since: start again
                out.truncate(0);
                have = 0;
            }
        }
        digestPrefix(digest, part, have);
        int cuts = 0;
        long cutAtOffset = -1;
        int refusals = 0;
        byte[] buf = new byte[READ_BYTES];
        while (have < size) {
            if (job.stopped()) {
                return null;
            }
            String token = source.token();
            try (DataLink link = job.open(peer);
                    FileChannel out = FileChannel.open(part, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                link.send(new Request.Download(token, have));
                link.reply(Replies.DownloadOk.class);
                job.progress.start(have);
                long cut = takeCut(have, size);
                while (have < size) {
                    int want = (int) Math.min(buf.length, size - have);
                    if (cut >= 0 && have + want > cut) {
                        want = (int) (cut - have);
                    }
                    int n = want == 0 ? -1 : link.read(buf, want);
                    if (n < 0) {
                        break;
                    }
                    var b = java.nio.ByteBuffer.wrap(buf, 0, n);
                    while (b.hasRemaining()) {
                        out.write(b);
                    }
                    digest.update(buf, 0, n);
                    have += n;
                    job.progress.moved(have);
                }
                if (have == size) {
                    out.force(true);
                    break;
                }
                throw new IOException("the download ended at " + have + " of " + size);
            } catch (IOException e) {
                if (job.stopped()) {
                    return null;
                }
                LOG.log(System.Logger.Level.DEBUG, "download of " + name + " cut: " + e);
                cuts = have == cutAtOffset ? cuts + 1 : 1; // a cut after progress starts the count again
                cutAtOffset = have;
                if (cuts >= MAX_CUTS_AT_ONE_OFFSET) {
                    throw job.transfer.isDirect()
                            ? new TransferException(Reason.PEER, "the friend's client is not answering (" + cuts
                                    + " tries at byte " + have + "): " + e.getMessage(), e)
                            : new TransferException(Reason.STALLED, "the server broke off the download " + cuts
                                    + " times at byte " + have + " of " + size + "; its copy may be damaged: try again later", e);
                }
                pause(job, cuts);
            } catch (RefusedException r) {
                if (r.code() != ErrorCode.BAD_TOKEN && r.code() != ErrorCode.BAD_OFFSET || ++refusals > MAX_REFUSALS) {
                    throw r;
                }
            }
        }
        if (job.stopped()) {
            return null;
        }
        String got = HexFormat.of().formatHex(digest.digest());
        if (!got.equals(sha256)) {
            deleteQuietly(part);
            throw new TransferException(Reason.HASH_MISMATCH, name + ": the bytes received have SHA-256 " + got
                    + ", not the offer's " + sha256 + "; nothing was saved");
        }
        return FileNames.moveToFreeName(part, dir, name);
    }

    /** Feeds the first {@code length} bytes of {@code file} (a part from an earlier run) to the digest. */
    private static void digestPrefix(MessageDigest digest, Path file, long length) throws IOException {
        if (length == 0) {
            return;
        }
        try (var in = Files.newInputStream(file)) {
            byte[] buf = new byte[READ_BYTES];
            long left = length;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new IOException(file + " shrank while it was read");
                }
                digest.update(buf, 0, n);
                left -= n;
            }
        }
    }

    // ---------------------------------------------------------------- control

    /** The offers to me and from me, newest first. */
    CompletableFuture<java.util.List<FileInfo>> list() {
        return requests.send(session.current().generation(), new Request.Files())
                .thenApply(a -> a.items(chat.common.proto.Item.FileInfo.class).stream().map(FileInfo::of).toList());
    }

    /** Cancels my offer on the server (its recipients are told), and stops its upload here. */
    CompletableFuture<Void> cancel(long fileId) {
        Job job = running.get(fileId);
        if (job != null) {
            job.stop(new TransferException(Reason.CANCELLED, "cancelled"));
        }
        History h = session.current().history();
        return requests.send(session.current().generation(), new Request.FileCancel(fileId)).thenApply(a -> {
            forget(h, fileId);
            return null;
        });
    }

    private void cancelOnServer(Job job) {
        long fileId = job.transfer.fileId();
        pool.execute(() -> {
            try {
                control(new Request.FileCancel(fileId), null, job.epoch);
            } catch (Exception e) {
                LOG.log(System.Logger.Level.DEBUG, "cancelling file " + fileId + ": " + e);
            }
            forget(job);
        });
    }

    /** A {@code FILE_STATE}: an upload of mine running here stops when the offer was cancelled or expired elsewhere. */
    void stateChanged(long fileId, FileStatus state) {
        if (state.isFinal()) {
            Job job = running.get(fileId);
            if (job != null) {
                job.stop(new TransferException(Reason.CANCELLED, "the offer was " + state.wire()));
                forget(job);
            }
        }
    }

    /**
     * Sends {@code r} when the connection is online and returns its typed result ({@code null}
     * type: none); a connection that goes before the answer is waited for and asked again (the
     * requests here may be repeated: SEND_FILE by its client id).
     */
    <T extends Replies.Result> T control(Request r, Class<T> type) throws Exception {
        return control(r, type, epoch.get());
    }

    /** {@link #control(Request, Class)} for a job of login {@code since}: never sent under a later login. */
    <T extends Replies.Result> T control(Request r, Class<T> type, long since) throws Exception {
        while (true) {
            if (closed) {
                throw new NotConnectedException("the client is closed");
            }
            if (epoch.get() != since) {
                throw new TransferException(Reason.CANCELLED, "logged out");
            }
            if (session.current().account() == null) {
                throw new RefusedException(ErrorCode.NOT_LOGGED_IN, "logged out");
            }
            try {
                session.whenOnline().get(REPLY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                continue; // still offline: keep waiting while the client runs
            } catch (ExecutionException e) {
                Thread.sleep(timings.retryFirst().toMillis()); // a login that failed: the session tries again
                continue;
            }
            if (epoch.get() != since) {
                continue; // logged out while waiting: said above
            }
            try {
                var answer = requests.send(session.current().generation(), r)
                        .get(REPLY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                return type == null ? null : answer.as(type);
            } catch (ExecutionException e) {
                Throwable why = Events.unwrap(e.getCause());
                if (why instanceof RefusedException refused) {
                    if (refused.code() != ErrorCode.NOT_LOGGED_IN && refused.code() != ErrorCode.BUSY
                            && refused.code() != ErrorCode.INTERNAL) {
                        throw refused;
                    }
                    Thread.sleep(timings.retryFirst().toMillis());
                } else if (!(why instanceof NotConnectedException)) {
                    throw e;
                }
            } catch (TimeoutException e) {
                // no answer: ask again on whatever connection is up then
            }
        }
    }

    /** Waits before the next attempt after {@code cuts} cuts in a row: the transport's backoff. */
    private void pause(Job job, int cuts) throws InterruptedException {
        long millis = Math.min(timings.retryMax().toMillis(), timings.retryFirst().toMillis() << Math.min(cuts - 1, 10));
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!job.stopped() && System.nanoTime() < until) {
            Thread.sleep(Math.min(50, millis));
        }
    }

    /** The test's cut when it falls inside {@code (from, to)}: taken once. */
    private long takeCut(long from, long to) {
        long at = cutAt.get();
        if (at > from && at < to && cutAt.compareAndSet(at, -1)) {
            return at;
        }
        return -1;
    }

    /** For tests: the next data connection passing byte {@code at} of its file is cut there. */
    void cutNextAt(long at) {
        cutAt.set(at);
    }

    long pendingCut() {
        return cutAt.get();
    }

    // ---------------------------------------------------------------- files

    private static BasicFileAttributes attributes(Path path) {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            if (!a.isRegularFile()) {
                throw new TransferException(Reason.IO, path + " is not a file");
            }
            return a;
        } catch (NoSuchFileException e) {
            throw new TransferException(Reason.IO, "no such file: " + path, e);
        } catch (IOException e) {
            throw new TransferException(Reason.IO, "cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** The SHA-256 of {@code size} bytes of {@code path}, as 64 lower-case hex digits. */
    static String sha256(Path path, long size) {
        MessageDigest digest = sha256Digest();
        try {
            digestPrefix(digest, path, size);
        } catch (IOException e) {
            throw new TransferException(Reason.IO, "cannot read " + path + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "deleting " + p + ": " + e);
        }
    }

    Timings timings() {
        return timings;
    }

    ExecutorService pool() {
        return pool;
    }

    /** The login transfers start under now. */
    long epoch() {
        return epoch.get();
    }

    /**
     * A logout: every transfer stops, as at {@link #close}, and none of them asks anything of the
     * server again (the next login may be another account's); unfinished uploads stay recorded in
     * their account's history, to go on at its next login.
     */
    void loggedOut() {
        epoch.incrementAndGet();
        stopAll("logged out");
    }

    /** Registers a direct send (which has no file id) so that a logout or close stops it too. */
    Job directJob(long key, long since, String name, long size, Runnable afterCancel, TransferListener listener) {
        Job job = new Job(since, 0, 0, 0, name, size, FileTransfer.Direction.UPLOAD, true, afterCancel, listener);
        running.put(key, job);
        return job;
    }

    void finished(long key, Job job) {
        running.remove(key, job);
    }

    private void stopAll(String why) {
        for (Job job : running.values()) {
            job.stop(new TransferException(Reason.CANCELLED, why));
        }
    }

    /** Stops every transfer (uploads stay recorded, to go on at the next start). */
    @Override
    public void close() {
        closed = true;
        stopAll("the client closed");
        pool.shutdownNow();
    }
}
