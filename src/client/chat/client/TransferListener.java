package chat.client;

/**
 * Told how a file transfer goes, on the client's event executor, at most about ten times a
 * second, and once more when the last byte has moved.
 */
@FunctionalInterface
public interface TransferListener {

    /** A listener that wants nothing. */
    TransferListener NONE = (bytes, total, bytesPerSecond) -> {};

    /**
     * {@code bytes} of {@code total} have moved (a resumed transfer starts where it stopped);
     * {@code bytesPerSecond} is the recent rate, 0 until it is known.
     */
    void progress(long bytes, long total, double bytesPerSecond);
}
