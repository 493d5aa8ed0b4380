package chat.server.files;

import chat.common.proto.ErrorCode;
import chat.common.proto.FileStatus;
import chat.common.proto.Reply;
import chat.common.proto.Replies;
import chat.server.reactor.Connection;
import chat.server.store.Store;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * One {@code DOWNLOAD} connection: fed as its socket drains. The files thread reads a chunk at a
 * time, at most {@link DataConnections#CHUNKS_PER_TRANSFER} ahead of what the socket has taken,
 * and the reactor queues each on the connection; the next reads are asked for when the
 * connection's output empties ({@link DataConnections#onDrained}), so the file is never queued
 * whole and a slow reader costs a megabyte at most.
 */
final class Download implements DataConnections.Transfer {

    private static final System.Logger LOG = System.getLogger(Download.class.getName());

    private final DataConnections data;
    private final Connection c;
    private final Grants.Grant grant;
    private final long offset;
    /** The next byte to ask the files thread for, and the next to hand the socket. */
    private long requested;
    private long sent;
    private int chunksOut;
    private boolean open;
    private boolean closed;
    private FileChannel channel; // the files thread's

    Download(DataConnections data, Connection c, Grants.Grant grant, long offset) {
        this.data = data;
        this.c = c;
        this.grant = grant;
        this.offset = offset;
        this.requested = offset;
        this.sent = offset;
    }

    void begin() {
        data.workers.read(() -> data.store.file(grant.fileId()), (row, failed) -> {
            if (closed) {
                return;
            }
            if (failed != null) {
                LOG.log(Level.ERROR, c + " - reading file " + grant.fileId(), failed);
                DataConnections.refuse(c, "DOWNLOAD", ErrorCode.INTERNAL, "reading the file failed; try again");
                return;
            }
            Store.FileRow f = row.orElse(null);
            if (f == null || f.state() == FileStatus.CANCELLED) {
                DataConnections.refuse(c, "DOWNLOAD", ErrorCode.CANCELLED, "the file was cancelled");
            } else if (f.state() == FileStatus.EXPIRED) {
                DataConnections.refuse(c, "DOWNLOAD", ErrorCode.EXPIRED, "the file has expired");
            } else if (f.state() != FileStatus.READY) {
                DataConnections.refuse(c, "DOWNLOAD", ErrorCode.NOT_READY, "the file is not uploaded yet");
            } else if (offset > f.size()) {
                DataConnections.refuse(c, "DOWNLOAD", ErrorCode.BAD_OFFSET, "the file has " + f.size() + " bytes");
            } else {
                start();
            }
        });
    }

    private void start() {
        data.track(grant.fileId(), c);
        DataConnections.reply(c, Reply.ok(null, "DOWNLOAD", new Replies.DownloadOk(grant.size())));
        if (offset == grant.size()) {
            c.closeAfterFlush("download complete");
            return;
        }
        open = true;
        c.setDrainWatch(true);
        data.files.execute(() -> {
            try {
                channel = FileChannel.open(data.blobs.blob(grant.sha256()), StandardOpenOption.READ);
            } catch (IOException e) {
                LOG.log(Level.ERROR, "opening the blob of file " + grant.fileId() + ": " + e.getMessage());
            }
        });
        feed();
    }

    /** Asks for chunks while fewer than the allowed number are out and the socket's queue is short. */
    void feed() {
        while (open && !closed && requested < grant.size() && chunksOut < DataConnections.CHUNKS_PER_TRANSFER
                && c.pendingBytes() + (long) chunksOut * DataConnections.CHUNK < DataConnections.CHUNKS_PER_TRANSFER
                        * (long) DataConnections.CHUNK) {
            ByteBuffer chunk = data.chunk();
            long at = requested;
            int len = (int) Math.min(DataConnections.CHUNK, grant.size() - at);
            requested += len;
            chunksOut++;
            data.files.execute(() -> {
                Throwable failed = null;
                try {
                    read(chunk, at, len);
                } catch (IOException | RuntimeException e) {
                    failed = e;
                }
                Throwable f = failed;
                c.reactor().execute(() -> arrived(chunk, f));
            });
        }
    }

    private void arrived(ByteBuffer chunk, Throwable failed) {
        chunksOut--;
        if (failed != null || closed || !c.isWritable()) {
            data.release(chunk);
            if (failed != null && !closed) {
                LOG.log(Level.ERROR, c + " - reading file " + grant.fileId(), failed);
                c.close("reading the file failed");
            }
            return;
        }
        // Chunks come back in the order they were asked for: the files thread is one thread.
        sent += chunk.remaining();
        c.write(chunk);
        data.release(chunk);
        if (sent == grant.size()) {
            c.closeAfterFlush("download complete");
        } else {
            feed();
        }
    }

    @Override
    public void closed() {
        closed = true;
        data.untrack(grant.fileId(), c);
        if (open) {
            data.files.execute(() -> {
                if (channel != null) {
                    try {
                        channel.close();
                    } catch (IOException e) {
                        // nothing more to do
                    }
                    channel = null;
                }
            });
        }
    }

    // ---- on the files thread ----

    private void read(ByteBuffer chunk, long at, int len) throws IOException {
        if (channel == null) {
            throw new IOException("the file is not open");
        }
        chunk.clear().limit(len);
        long pos = at;
        while (chunk.hasRemaining()) {
            int n = channel.read(chunk, pos);
            if (n < 0) {
                throw new IOException("the file ends at " + pos + ", before its size " + grant.size());
            }
            pos += n;
        }
        chunk.flip();
    }
}
