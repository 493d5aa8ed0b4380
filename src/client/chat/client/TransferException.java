package chat.client;

/**
 * Why a file transfer failed, when the server did not simply refuse it (that is a {@link
 * RefusedException}): the bytes that arrived did not match the offer's SHA-256, the local file
 * could not be read or written, or the transfer was cancelled.
 */
public final class TransferException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, for a client to word it. */
    public enum Reason {
        /** The downloaded bytes' SHA-256 is not the offer's; the partial file was deleted. */
        HASH_MISMATCH,
        /** The file changed on disk while it was being sent, or is gone. */
        FILE_CHANGED,
        /** Reading or writing a local file failed. */
        IO,
        /** {@link FileTransfer#cancel} or {@link ChatClient#cancelFile}, or the client closed. */
        CANCELLED,
        /** The friend's direct connection failed or said no. */
        PEER,
        /** The server broke off the download at the same byte time after time: its copy may be damaged or gone. */
        STALLED
    }

    private final Reason reason;

    TransferException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    TransferException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
