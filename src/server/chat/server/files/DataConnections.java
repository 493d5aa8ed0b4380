package chat.server.files;

import chat.common.proto.ErrorCode;
import chat.common.proto.FileStatus;
import chat.common.proto.Line;
import chat.common.proto.ProtocolException;
import chat.common.proto.Reply;
import chat.common.proto.Request;
import chat.common.text.LogSafe;
import chat.common.wire.LineDecoder;
import chat.server.reactor.Connection;
import chat.server.reactor.Handler;
import chat.server.store.Store;
import chat.server.store.Workers;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * The data connections: a connection whose first line is {@code UPLOAD:token:offset} or
 * {@code DOWNLOAD:token:offset} carries one file's bytes ({@link Upload}, {@link Download}). The
 * reactor reads and writes them like any connection's; the disk and the SHA-256 are on the
 * {@code files} thread ({@link #files}), the rows on the database workers, and the results come
 * back to the reactor as tasks. No file is ever held in memory: an upload has at most
 * {@link #CHUNKS_PER_TRANSFER} chunks of {@link #CHUNK} bytes on their way to the disk, a download
 * as many on their way from it. Reactor thread only, but for what the files thread is handed.
 */
public final class DataConnections implements Handler {

    private static final System.Logger LOG = System.getLogger(DataConnections.class.getName());

    /** 256 KiB: a disk write and a socket read worth their system call at hundreds of MB/s. */
    static final int CHUNK = 256 * 1024;
    /** Chunks in flight per transfer: the disk may lag the socket by 1 MiB before reading pauses. */
    static final int CHUNKS_PER_TRANSFER = 4;
    /** Free chunks kept for the next transfers. */
    private static final int RETAINED_CHUNKS = 32;
    /** A connection's attachment while its token is being taken. */
    private static final Object TAKING = new Object();
    /** A first line longer than this is no data request. */
    private static final int MAX_FIRST_LINE = 512;

    final Store store;
    final Workers workers;
    final Blobs blobs;
    final ExecutorService files;
    final Grants grants;
    final Listener listener;
    /** A data connection that moves no byte for this long is closed ({@code --file-idle}). */
    private final long idleMillis;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    /** The upload running for each file: a second one is {@code busy} until it ends. */
    final Map<Long, Upload> uploads = new HashMap<>();
    final Map<Long, List<Connection>> byFile = new HashMap<>();

    /** What the commands hear of an upload's end, on the reactor thread. */
    public interface Listener {
        void stateChanged(Store.FileRow file, FileStatus state);
    }

    /** {@code folder}: where the bytes are kept ({@code --files}). */
    public DataConnections(Store store, Workers workers, Path folder, ExecutorService files, Grants grants,
            Listener listener, Duration idle) {
        this.idleMillis = idle.toMillis();
        this.store = store;
        this.workers = workers;
        this.blobs = new Blobs(folder);
        this.files = files;
        this.grants = grants;
        this.listener = listener;
    }

    /** Whether a text connection's first bytes are a data request: it is then handed here. */
    public static boolean isDataRequest(ByteBuffer in) {
        return startsWith(in, "UPLOAD:") || startsWith(in, "DOWNLOAD:");
    }

    private static boolean startsWith(ByteBuffer in, String prefix) {
        if (in.remaining() < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (in.get(in.position() + i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    ByteBuffer chunk() {
        ByteBuffer b = free.pollFirst();
        return b != null ? b : ByteBuffer.allocateDirect(CHUNK);
    }

    void release(ByteBuffer b) {
        if (free.size() < RETAINED_CHUNKS) {
            b.clear();
            free.addFirst(b);
        }
    }

    @Override
    public void onOpen(Connection c) {
        // Connections come here from the protocol router, never as a listener's first handler.
    }

    @Override
    public void onRead(Connection c, ByteBuffer in) {
        Object transfer = c.attachment();
        if (transfer instanceof Upload u) {
            u.onBytes(in);
        } else if (transfer == null) {
            firstLine(c, in);
        } else {
            in.position(in.limit()); // a downloader has nothing more to say; an uploader waits for its token
        }
    }

    private void firstLine(Connection c, ByteBuffer in) {
        int end = -1;
        for (int i = in.position(); i < in.limit() && i - in.position() < MAX_FIRST_LINE; i++) {
            if (in.get(i) == '\n') {
                end = i;
                break;
            }
        }
        String command = startsWith(in, "UPLOAD:") ? "UPLOAD" : "DOWNLOAD";
        if (end < 0) {
            if (in.remaining() >= MAX_FIRST_LINE) {
                in.position(in.limit());
                refuse(c, command, ErrorCode.BAD_REQUEST, "a data request is one short line");
            }
            return;
        }
        byte[] bytes = new byte[end - in.position()];
        in.get(bytes);
        in.get(); // the newline
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        Request request;
        try {
            request = Request.parse(Line.parse(text));
        } catch (ProtocolException e) {
            in.position(in.limit());
            refuse(c, command, e.code(), e.getMessage());
            return;
        }
        c.setTicking(true);
        if (request instanceof Request.Upload up) {
            // What came after the line is the file's first bytes: kept while the token is looked
            // up (in a cluster, an answer from Redis), reading paused meanwhile.
            byte[] first = new byte[in.remaining()];
            in.get(first);
            c.pauseReading();
            take(c, command, up.token(), Grants.Direction.UPLOAD, "FILE_UPLOAD", g -> {
                var upload = new Upload(this, c, g, up.offset());
                c.attach(upload);
                upload.begin(ByteBuffer.wrap(first));
            });
        } else if (request instanceof Request.Download down) {
            in.position(in.limit());
            take(c, command, down.token(), Grants.Direction.DOWNLOAD, "FILE_GET", g -> {
                var download = new Download(this, c, g, down.offset());
                c.attach(download);
                download.begin();
            });
        } else {
            in.position(in.limit());
            refuse(c, command, ErrorCode.BAD_REQUEST, "a data connection starts with UPLOAD or DOWNLOAD");
        }
    }

    /** Takes {@code token}: {@code then} gets its grant if it is one for {@code direction}; else refused. */
    private void take(Connection c, String command, String token, Grants.Direction direction, String askAgain,
            Consumer<Grants.Grant> then) {
        c.attach(TAKING);
        grants.take(token, g -> {
            if (!c.isWritable()) {
                return;
            }
            if (g == null || g.direction() != direction) {
                refuse(c, command, ErrorCode.BAD_TOKEN, "unknown, used or expired token; ask " + askAgain + " for another");
            } else {
                then.accept(g);
            }
        });
    }

    /** {@code COMMAND:false:code:message}, then the connection closes. */
    static void refuse(Connection c, String command, ErrorCode code, String message) {
        LOG.log(Level.DEBUG, () -> c + " - " + command + " refused: " + code.wire() + " " + LogSafe.field(message));
        c.write(LineDecoder.encode(Reply.fail(null, command, code, message).toLine().format()));
        c.closeAfterFlush(command + " refused: " + code.wire());
    }

    static void reply(Connection c, Reply reply) {
        c.write(LineDecoder.encode(reply.toLine().format()));
    }

    /** Remembers which connections move a file, so that a cancel or an expiry can close them. */
    void track(long fileId, Connection c) {
        byFile.computeIfAbsent(fileId, k -> new ArrayList<>()).add(c);
    }

    void untrack(long fileId, Connection c) {
        var list = byFile.get(fileId);
        if (list != null && list.remove(c) && list.isEmpty()) {
            byFile.remove(fileId);
        }
    }

    /** The file was cancelled or expired: its transfers end now. */
    public void ended(long fileId, FileStatus state) {
        var list = byFile.get(fileId);
        if (list == null) {
            return;
        }
        for (Connection c : List.copyOf(list)) {
            if (c.attachment() instanceof Download) {
                // Its bytes have begun (a download is tracked once DOWNLOAD:true is out): a line
                // now would be read as the file's. The short file and its hash tell the client.
                c.close("the file was " + state.wire());
            } else {
                refuse(c, "UPLOAD", state == FileStatus.EXPIRED ? ErrorCode.EXPIRED : ErrorCode.CANCELLED,
                        "the file was " + state.wire());
            }
        }
    }

    /**
     * Deletes what is on disk of a file that ended: its partial upload, and its blob unless still
     * needed. The blob's "not needed" was read in the transaction that ended the file; an offer of
     * the same content made after it, on another node sharing the folder, may have found the blob
     * and dropped its own copy. So the blob is set aside first, the database asked again, and only
     * then deleted (or put back): either that offer's upload finds no blob and moves its bytes in,
     * or its row is there when asked.
     */
    public void deleteBytes(long fileId, String sha256, boolean blobStillNeeded) {
        files.execute(() -> {
            try {
                blobs.deletePartial(fileId);
                Path aside = blobStillNeeded ? null : blobs.setAside(sha256, fileId);
                if (aside != null) {
                    workers.read(() -> store.contentHeld(sha256), (held, failed) -> files.execute(() -> {
                        try {
                            if (failed != null || held) {
                                blobs.restore(aside, sha256); // when in doubt, keep it
                            } else {
                                blobs.discard(aside);
                            }
                        } catch (IOException e) {
                            LOG.log(Level.WARNING, "deleting the blob of file " + fileId + ": " + e.getMessage());
                        }
                    }));
                }
            } catch (IOException e) {
                LOG.log(Level.WARNING, "deleting the bytes of file " + fileId + ": " + e.getMessage());
            }
        });
    }

    @Override
    public void onDrained(Connection c) {
        if (c.attachment() instanceof Download d) {
            d.feed();
        }
    }

    /**
     * Idle: no byte read, none taken by the socket (not merely queued: a slow reader still takes
     * bytes while a queued megabyte lasts minutes), and for an upload none written to disk.
     */
    @Override
    public void onTick(Connection c, long now) {
        long last = Math.max(c.lastReadAt(), c.lastWriteAt());
        if (c.attachment() instanceof Upload u) {
            last = Math.max(last, u.lastMoved());
        }
        if (c.isWritable() && now - last > idleMillis) {
            c.close("data connection idle for " + idleMillis + " ms");
        }
    }

    @Override
    public void onClose(Connection c) {
        if (c.attachment() instanceof Transfer t) {
            t.closed();
        }
    }

    /** What an upload and a download have in common for the reactor. */
    interface Transfer {
        void closed();
    }

    static long millis() {
        return System.nanoTime() / 1_000_000;
    }
}
