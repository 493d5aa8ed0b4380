package chat.client;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * A file on its way: up to the server (or a friend, directly), or down from it. {@link #done}
 * completes, on the client's event executor, with the file's path when every byte moved and the
 * hash matched: the file sent, or the file saved. It fails with {@link RefusedException} when the
 * server refuses (the offer was cancelled, it expired), {@link TransferException} otherwise.
 *
 * <p>A transfer cut by the network goes on by itself from where it stopped, once the server is
 * back: it is not a failure.
 *
 * <p>A direct send the friend did not start fetching in time goes through the server instead
 * ({@link ChatEvent.DirectFellBack}): from then on this transfer speaks for that upload (its file
 * id, its bytes, its cancel), and {@link #isDirect} is false.
 */
public final class FileTransfer {

    /** Which way the bytes go. */
    public enum Direction {
        UPLOAD,
        DOWNLOAD
    }

    private final long fileId;
    private final long messageId;
    private final long time;
    private final String name;
    private final long size;
    private final Direction direction;
    private final boolean direct;
    private final CompletableFuture<Path> done;
    private final Runnable canceller;
    private volatile long bytes;
    /** The upload through the server that a direct send fell back to; null while it is direct. */
    private volatile FileTransfer relay;

    FileTransfer(long fileId, long messageId, long time, String name, long size, Direction direction, boolean direct,
            CompletableFuture<Path> done, Runnable canceller) {
        this.fileId = fileId;
        this.messageId = messageId;
        this.time = time;
        this.name = name;
        this.size = size;
        this.direction = direction;
        this.direct = direct;
        this.done = done;
        this.canceller = canceller;
    }

    /** The server's id of the file; 0 for a direct transfer, which the server never sees. */
    public long fileId() {
        FileTransfer r = relay;
        return r != null ? r.fileId() : fileId;
    }

    /**
     * The id of the offer's message in the server's one id sequence, from the {@code SEND_FILE}
     * reply: where the offer stands among the conversation's messages. 0 when this client did not
     * make the offer in this run (a download, an upload resumed after a restart) or for a direct
     * transfer.
     */
    public long messageId() {
        FileTransfer r = relay;
        return r != null ? r.messageId() : messageId;
    }

    /** When the server stored the offer (ms), from the {@code SEND_FILE} reply; 0 when {@link #messageId} is. */
    public long time() {
        FileTransfer r = relay;
        return r != null ? r.time() : time;
    }

    /** The file's name as offered (a download's saved name may differ: see {@link #done}). */
    public String name() {
        return name;
    }

    public long size() {
        return size;
    }

    public Direction direction() {
        return direction;
    }

    /** Whether the bytes go straight between the two clients (the article's way), not through the server. */
    public boolean isDirect() {
        return direct && relay == null;
    }

    /** Bytes moved so far. */
    public long bytes() {
        FileTransfer r = relay;
        return r != null ? r.bytes() : bytes;
    }

    void bytes(long moved) {
        bytes = moved;
    }

    /** The file's path once the transfer is over; see the class comment for failures. */
    public CompletableFuture<Path> done() {
        return done;
    }

    /**
     * Stops the transfer. An upload's offer is cancelled on the server too (its recipients are
     * told); a download's partial file is deleted. {@link #done} fails with
     * {@link TransferException.Reason#CANCELLED}.
     */
    public void cancel() {
        FileTransfer r = relay;
        if (r != null) {
            r.cancel();
        } else {
            canceller.run();
        }
    }

    /** This direct send goes through the server from now on, as {@code upload}. */
    void fellBack(FileTransfer upload) {
        relay = upload;
    }

    @Override
    public String toString() {
        return "FileTransfer[" + direction + " " + fileId() + " " + name + ", " + bytes() + "/" + size
                + (isDirect() ? ", direct" : "") + "]";
    }
}
