package chat.server.files;

import chat.common.io.PrivateFiles;
import chat.common.proto.ErrorCode;
import chat.common.proto.FileStatus;
import chat.common.proto.Replies;
import chat.common.proto.Reply;
import chat.server.reactor.Connection;
import chat.server.store.Store;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * One {@code UPLOAD} connection. On the reactor: the bytes read are copied into chunks, and each
 * full chunk goes to the files thread, which hashes it and appends it to the partial file; while
 * {@link DataConnections#CHUNKS_PER_TRANSFER} chunks are out, reading pauses and TCP holds the
 * sender back. After the last byte the files thread compares the SHA-256 and moves the file to its
 * blob; a connection that ends early keeps, synced to disk, what arrived.
 *
 * <p>The fields above the line are the reactor's; {@link #channel} and {@link #digest} the files
 * thread's (the single files thread runs an upload's tasks in the order they were handed over).
 */
final class Upload implements DataConnections.Transfer {

    private static final System.Logger LOG = System.getLogger(Upload.class.getName());
    /**
     * 64 MiB: how often a running upload syncs and records what it holds, so that a crash (no
     * close to record it) loses at most this much; one sync and one row write per 64 MiB cost
     * nothing beside the bytes.
     */
    static final long RECORD_EVERY = 64L << 20;

    private final DataConnections data;
    private final Connection c;
    private final Grants.Grant grant;
    private final long offset;
    private ByteBuffer current;
    private int chunksOut;
    /** Bytes taken from the socket, from the offset on. */
    private long accepted;
    private boolean started;
    private boolean finishing;
    private boolean closed;
    private long lastMoved = DataConnections.millis();
    private ByteBuffer readBuffer;

    // ---- the files thread's ----
    private FileChannel channel;
    private MessageDigest digest;
    private long written;
    /** The bytes last recorded in the row, synced before they were. */
    private long recorded;
    /** An append failed: the file ends at {@link #written}, nothing more is appended. */
    private boolean broken;

    Upload(DataConnections data, Connection c, Grants.Grant grant, long offset) {
        this.data = data;
        this.c = c;
        this.grant = grant;
        this.offset = offset;
        this.accepted = offset;
    }

    /** When a byte last arrived or reached the disk, on the reactor's clock. */
    long lastMoved() {
        return lastMoved;
    }

    /** The first line is read: check the file's row, keep what came after the line, read no more until then. */
    void begin(ByteBuffer in) {
        c.pauseReading();
        data.track(grant.fileId(), c); // from now on, so that a cancel while the row is read is not missed
        onBytes(in);
        data.workers.read(() -> data.store.file(grant.fileId()), (row, failed) -> {
            if (closed) {
                return;
            }
            if (failed != null) {
                LOG.log(Level.ERROR, c + " - reading file " + grant.fileId(), failed);
                DataConnections.refuse(c, "UPLOAD", ErrorCode.INTERNAL, "reading the file failed; try again");
                return;
            }
            Store.FileRow f = row.orElse(null);
            if (f == null || f.state().isFinal()) {
                DataConnections.refuse(c, "UPLOAD", f == null || f.state() == FileStatus.CANCELLED ? ErrorCode.CANCELLED
                        : ErrorCode.EXPIRED, "the file is gone");
            } else if (f.state() == FileStatus.READY) {
                DataConnections.refuse(c, "UPLOAD", ErrorCode.COMPLETE, "the server has the whole file");
            } else if (data.uploads.containsKey(f.id())) {
                DataConnections.refuse(c, "UPLOAD", ErrorCode.BUSY, "another upload of this file is still open");
            } else if (f.received() != offset) {
                DataConnections.refuse(c, "UPLOAD", ErrorCode.BAD_OFFSET, "holds " + f.received());
            } else {
                start();
            }
        });
    }

    private void start() {
        started = true;
        data.uploads.put(grant.fileId(), this);
        long at = offset;
        data.files.execute(() -> {
            long holds;
            Throwable failed = null;
            try {
                holds = open(at);
            } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
                holds = -1;
                failed = e;
            }
            long h = holds;
            Throwable f = failed;
            c.reactor().execute(() -> opened(h, f));
        });
    }

    /**
     * Back on the reactor: the partial file is open at the offset, or holds less than the row says
     * (it was cut or lost outside the server): the row is set to what is there, and the client is
     * told the offset to resume from.
     */
    private void opened(long holds, Throwable failed) {
        if (closed) {
            return;
        }
        if (failed instanceof Busy) {
            finishing = true; // nothing more goes to the files thread
            data.uploads.remove(grant.fileId());
            DataConnections.refuse(c, "UPLOAD", ErrorCode.BUSY, failed.getMessage());
            return;
        }
        if (failed != null) {
            LOG.log(Level.ERROR, c + " - opening the partial file of " + grant.fileId(), failed);
            DataConnections.refuse(c, "UPLOAD", ErrorCode.INTERNAL, "the server could not open the file");
            return;
        }
        if (holds < offset) {
            LOG.log(Level.WARNING, c + " - the partial file of " + grant.fileId() + " has " + holds + " bytes, not "
                    + offset + "; the upload resumes from there");
            finishing = true; // nothing more goes to the files thread
            DataConnections.refuse(c, "UPLOAD", ErrorCode.BAD_OFFSET, "holds " + holds);
            return;
        }
        if (current != null && (!current.hasRemaining() || accepted == grant.size())) {
            submit();
        }
        if (accepted == grant.size()) {
            finishIfDone();
        } else {
            readBuffer = data.chunk();
            c.setInboundBuffer(readBuffer);
            c.resumeReading();
        }
    }

    void onBytes(ByteBuffer in) {
        lastMoved = DataConnections.millis();
        long left = grant.size() - accepted;
        while (in.hasRemaining() && left > 0) {
            if (current == null) {
                current = data.chunk();
            }
            int n = (int) Math.min(Math.min(in.remaining(), current.remaining()), left);
            int limit = in.limit();
            in.limit(in.position() + n);
            current.put(in);
            in.limit(limit);
            accepted += n;
            left -= n;
            if (started && (!current.hasRemaining() || left == 0)) {
                submit();
            }
        }
        in.position(in.limit()); // bytes past the size are not the file's
        if (left == 0 || chunksOut >= DataConnections.CHUNKS_PER_TRANSFER) {
            c.pauseReading();
        }
        if (left == 0 && started) {
            finishIfDone();
        }
    }

    private void submit() {
        ByteBuffer chunk = current;
        current = null;
        chunk.flip();
        chunksOut++;
        data.files.execute(() -> {
            Throwable failed = null;
            try {
                append(chunk);
            } catch (IOException | RuntimeException e) {
                failed = e;
            }
            Throwable f = failed;
            c.reactor().execute(() -> written(chunk, f));
        });
    }

    /** Back on the reactor: a chunk is on disk. */
    private void written(ByteBuffer chunk, Throwable failed) {
        chunksOut--;
        data.release(chunk);
        lastMoved = DataConnections.millis();
        if (failed != null) {
            LOG.log(Level.ERROR, c + " - writing file " + grant.fileId(), failed);
            if (!closed) {
                DataConnections.refuse(c, "UPLOAD", ErrorCode.INTERNAL, "the server could not write the file");
            }
            return;
        }
        if (closed) {
            return;
        }
        if (accepted == grant.size()) {
            finishIfDone();
        } else if (c.isReadingPaused() && chunksOut < DataConnections.CHUNKS_PER_TRANSFER) {
            c.resumeReading();
        }
    }

    private void finishIfDone() {
        if (finishing || chunksOut > 0 || current != null) {
            return;
        }
        finishing = true;
        data.files.execute(() -> {
            Throwable failed = null;
            boolean matches = false;
            try {
                matches = complete();
            } catch (IOException | RuntimeException e) {
                failed = e;
            }
            boolean ok = matches;
            Throwable f = failed;
            c.reactor().execute(() -> completed(ok, f));
        });
    }

    /** The row after an upload's end; {@code gone}: cancelled or expired meanwhile. */
    private record Recorded(Store.FileRow row, boolean gone, boolean deleteBlob) {}

    /** Back on the reactor: the hash was checked; the row follows on the writer. */
    private void completed(boolean matches, Throwable failed) {
        if (failed != null) {
            LOG.log(Level.ERROR, c + " - completing file " + grant.fileId(), failed);
            data.uploads.remove(grant.fileId());
            DataConnections.refuse(c, "UPLOAD", ErrorCode.INTERNAL, "the server could not store the file");
            return;
        }
        FileStatus state = matches ? FileStatus.READY : FileStatus.FAILED;
        long received = matches ? grant.size() : 0;
        data.workers.write(() -> {
            data.store.fileProgress(grant.fileId(), state, received);
            Store.FileRow row = data.store.file(grant.fileId()).orElse(null);
            boolean gone = row == null || row.state().isFinal();
            return new Recorded(row, gone, gone && !data.store.contentHeld(grant.sha256()));
        }, (recorded, failed2) -> {
            data.uploads.remove(grant.fileId());
            if (failed2 != null) {
                LOG.log(Level.ERROR, c + " - recording file " + grant.fileId(), failed2);
                DataConnections.refuse(c, "UPLOAD", ErrorCode.INTERNAL, "recording the upload failed");
                return;
            }
            Optional<Store.FileRow> row = Optional.ofNullable(recorded.row());
            if (recorded.gone()) {
                // Cancelled or expired while the hash was checked: its bytes went to the blob after
                // the cancel deleted what was there, so they go now unless another offer needs them.
                data.deleteBytes(grant.fileId(), grant.sha256(), !recorded.deleteBlob());
                boolean expired = row.map(f -> f.state() == FileStatus.EXPIRED).orElse(false);
                DataConnections.refuse(c, "UPLOAD", expired ? ErrorCode.EXPIRED : ErrorCode.CANCELLED,
                        "the file was " + (expired ? "expired" : "cancelled"));
                return;
            }
            if (matches) {
                DataConnections.reply(c, Reply.ok(null, "UPLOAD", new Replies.UploadOk(grant.fileId())));
                c.closeAfterFlush("upload complete");
            } else {
                DataConnections.refuse(c, "UPLOAD", ErrorCode.HASH_MISMATCH,
                        "the bytes do not have the offered sha256; upload again from 0");
            }
            row.ifPresent(f -> {
                if (f.state() == state) {
                    data.listener.stateChanged(f, state);
                }
            });
        });
    }

    @Override
    public void closed() {
        closed = true;
        data.untrack(grant.fileId(), c);
        if (readBuffer != null) {
            data.release(readBuffer); // the connection is closed: the reactor reads into it no more
            readBuffer = null;
        }
        if (!started || finishing) {
            if (current != null) {
                data.release(current);
                current = null;
            }
            return;
        }
        if (current != null && current.position() > 0) {
            submit();
        } else if (current != null) {
            data.release(current);
            current = null;
        }
        // After the chunks before it: sync what arrived, then record how much that is. The write is
        // handed to the writer from the files thread itself, not through the reactor: at shutdown
        // the reactor has stopped by now, and Server.stop lets the files thread finish before it
        // closes the workers, so the bytes held are recorded then too.
        data.files.execute(() -> {
            long held = -1;
            try {
                held = sync();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "syncing the partial file " + grant.fileId() + ": " + e.getMessage());
            }
            if (held < 0) {
                c.reactor().execute(() -> data.uploads.remove(grant.fileId()));
            } else {
                record(held, true);
            }
        });
    }

    /**
     * Records on the writer that {@code held} bytes are on disk (synced); {@code last}: the upload
     * has ended, and a resume may start once the row says so. Files thread.
     */
    private void record(long held, boolean last) {
        data.workers.write(() -> {
            data.store.fileProgress(grant.fileId(), FileStatus.UPLOADING, held);
            return null;
        }, (x, failed) -> {
            if (last) {
                data.uploads.remove(grant.fileId()); // a resume may start now, from what is recorded
            }
            if (failed != null) {
                LOG.log(Level.ERROR, "recording the progress of file " + grant.fileId(), failed);
            }
        });
    }

    // ---- on the files thread ----

    /**
     * Opens the partial file at the offset: cut to it (a crash may have left bytes the row does not
     * count), and the digest brought up to it by reading back what is there. Returns {@code at},
     * or fewer bytes when that is all the file has: then the row is corrected to them here (the
     * writer runs it before any later resume's read) and the file is left closed.
     */
    private long open(long at) throws IOException, NoSuchAlgorithmException {
        try {
            digest = MessageDigest.getInstance("SHA-256");
            var path = data.blobs.partial(grant.fileId());
            PrivateFiles.createFile(path);
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            lock();
            long size = channel.size();
            if (size < at) {
                closeQuietly();
                record(size, true);
                return size;
            }
            channel.truncate(at);
            ByteBuffer b = ByteBuffer.allocateDirect(DataConnections.CHUNK);
            long pos = 0;
            while (pos < at) {
                b.clear();
                int n = channel.read(b, pos);
                if (n < 0) {
                    break;
                }
                b.flip();
                digest.update(b);
                pos += n;
            }
            channel.position(at);
            written = at;
            recorded = at;
            return at;
        } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    /**
     * Takes the partial file's lock, held until its channel closes: on another node of a cluster
     * sharing the files folder, an upload of the same file may still be open (its client gone to
     * this node before that node noticed), which {@link DataConnections#uploads} cannot see. The
     * operating system's lock can (NFS v4 too); within one process the JDK reports it as
     * overlapping.
     */
    private void lock() throws IOException {
        boolean held;
        try {
            held = channel.tryLock() != null;
        } catch (OverlappingFileLockException inThisProcess) {
            held = false;
        }
        if (!held) {
            throw new Busy();
        }
    }

    /** Another upload of the file holds its lock (on another node). */
    static final class Busy extends IOException {
        Busy() {
            super("another upload of this file is still open");
        }
    }

    private void append(ByteBuffer chunk) throws IOException {
        if (broken) {
            return; // the connection is being refused: later chunks are not the file's
        }
        if (channel == null) {
            throw new IOException("the partial file is not open");
        }
        long good = written;
        try {
            while (chunk.hasRemaining()) {
                written += channel.write(chunk);
            }
        } catch (IOException | RuntimeException e) {
            broken = true; // what follows would leave a hole: keep the bytes before this chunk only
            written = good;
            try {
                channel.truncate(good);
            } catch (IOException | RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
        chunk.flip();
        digest.update(chunk);
        if (written - recorded >= RECORD_EVERY) {
            channel.force(false);
            recorded = written;
            record(written, false);
        }
    }

    /** Syncs and closes; whether the bytes have the offered hash, after which they are a blob or gone. */
    private boolean complete() throws IOException {
        if (channel == null || broken) {
            throw new IOException("the partial file is not open, or a write to it failed");
        }
        channel.force(false);
        boolean matches = HexFormat.of().formatHex(digest.digest()).equals(grant.sha256());
        try {
            // Under the lock still: a resume on another node must not open the file, and cut it
            // to its offset, between the check of its hash and its move.
            if (matches) {
                data.blobs.complete(grant.fileId(), grant.sha256());
            } else {
                data.blobs.deletePartial(grant.fileId());
            }
        } finally {
            channel.close();
            channel = null;
        }
        return matches;
    }

    private long sync() throws IOException {
        if (channel == null) {
            return -1;
        }
        channel.force(false);
        long held = written;
        channel.close();
        channel = null;
        return held;
    }

    private void closeQuietly() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing more to do
            }
            channel = null;
        }
    }
}
