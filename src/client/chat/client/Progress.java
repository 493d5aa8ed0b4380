package chat.client;

/**
 * A transfer's progress, told to its {@link TransferListener} at most every {@link #EVERY_NANOS}
 * and once at the end, on the client's event executor. The rate is smoothed over half-second
 * samples (an exponential average), so that it neither jumps with each chunk nor counts the
 * bytes a resumed transfer already had.
 */
final class Progress {

    /** Ten times a second at most: more is lost on any screen. */
    static final long EVERY_NANOS = 100_000_000L;
    private static final long SAMPLE_NANOS = 500_000_000L;

    private final FileTransfer transfer;
    private final TransferListener listener;
    private final Events events;
    private long toldAt;
    private long sampleAt;
    private long sampleBytes = -1;
    private double rate;

    Progress(FileTransfer transfer, TransferListener listener, Events events) {
        this.transfer = transfer;
        this.listener = listener;
        this.events = events;
    }

    /** A connection starts (again) at {@code offset}: the rate counts from here. */
    synchronized void start(long offset) {
        transfer.bytes(offset);
        sampleAt = System.nanoTime();
        sampleBytes = offset;
        tell(offset, sampleAt);
    }

    /** {@code bytes} have moved in all. */
    synchronized void moved(long bytes) {
        transfer.bytes(bytes);
        long now = System.nanoTime();
        if (sampleBytes < 0) {
            sampleAt = now;
            sampleBytes = bytes;
        } else if (now - sampleAt >= SAMPLE_NANOS) {
            double recent = (bytes - sampleBytes) * 1e9 / (now - sampleAt);
            rate = rate == 0 ? recent : (rate + recent) / 2;
            sampleAt = now;
            sampleBytes = bytes;
        }
        if (now - toldAt >= EVERY_NANOS) {
            tell(bytes, now);
        }
    }

    /** Every byte has moved: told whatever the time. */
    synchronized void finished() {
        transfer.bytes(transfer.size());
        tell(transfer.size(), System.nanoTime());
    }

    private void tell(long bytes, long now) {
        toldAt = now;
        double r = rate;
        long total = transfer.size();
        events.run(() -> listener.progress(bytes, total, r));
    }
}
