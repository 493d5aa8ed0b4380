package chat.server.text;

import chat.common.wire.LineDecoder;
import java.util.ArrayDeque;

/**
 * A text connection's way in: the line decoder, and the lines received and not yet handled
 * (one request at a time is with the workers; the lines after it wait here). Reactor thread only.
 */
final class Inbox {

    /**
     * How many characters of requests may wait behind the one being carried out: 256 Ki, far more
     * than a client needs to pipeline, little enough that a flood of them costs only its sender.
     */
    static final int MAX_QUEUED_CHARS = 256 * 1024;

    final LineDecoder decoder;
    private final ArrayDeque<String> queued = new ArrayDeque<>();
    private int queuedChars;

    Inbox(int maxLineBytes) {
        this.decoder = new LineDecoder(maxLineBytes);
    }

    /** Queues a received line; false when the queue is over its cap. */
    boolean enqueue(String line) {
        queued.add(line);
        queuedChars += line.length();
        return queuedChars <= MAX_QUEUED_CHARS;
    }

    /** The next queued line, or null. */
    String next() {
        String line = queued.poll();
        if (line != null) {
            queuedChars -= line.length();
        }
        return line;
    }
}
