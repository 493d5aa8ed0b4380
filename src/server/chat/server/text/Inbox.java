package chat.server.text;

import chat.common.proto.Line;
import chat.common.proto.ProtocolException;
import chat.common.proto.Request;
import chat.common.wire.LineDecoder;
import java.util.ArrayDeque;

/**
 * A text connection's way in: the line decoder, and the requests received and not yet carried out
 * (those behind a barrier, or past the connection's bound of requests in flight, wait here).
 * When it is full the connection stops reading, so that TCP slows the sender down, and reads again
 * once it is half empty: a client that sends faster than the server stores is slowed, never cut
 * off. Reactor thread only.
 */
final class Inbox {

    /**
     * How many characters of requests may wait before reading pauses: 256 Ki, far more than a
     * client needs to keep the writer busy, little enough that a flood of them costs only its sender.
     */
    static final int MAX_QUEUED_CHARS = 256 * 1024;
    /**
     * How many requests may wait before reading pauses: four times what may be in flight at once
     * (a writer's group), so that the next group is there when one is answered; and a flood of
     * short lines (PING) holds a bounded number of objects.
     */
    static final int MAX_QUEUED_LINES = 1024;

    /** A received line, parsed: its request, or why it is none. */
    record Waiting(Line line, Request request, ProtocolException invalid, int chars) {}

    final LineDecoder decoder;
    private final ArrayDeque<Waiting> queued = new ArrayDeque<>();
    private int queuedChars;

    Inbox(int maxLineBytes) {
        this.decoder = new LineDecoder(maxLineBytes);
    }

    /** Parses and queues a received line. */
    void enqueue(String text) {
        Line line = Line.parse(text);
        Waiting w;
        try {
            w = new Waiting(line, Request.parse(line), null, text.length());
        } catch (ProtocolException e) {
            w = new Waiting(line, null, e, text.length());
        }
        queued.add(w);
        queuedChars += w.chars();
    }

    /** True when reading should pause: the queue is at its bound. */
    boolean isFull() {
        return queuedChars >= MAX_QUEUED_CHARS || queued.size() >= MAX_QUEUED_LINES;
    }

    /** True when a paused connection may read again: the queue is down to half its bound. */
    boolean isLow() {
        return queuedChars <= MAX_QUEUED_CHARS / 2 && queued.size() <= MAX_QUEUED_LINES / 2;
    }

    /** The next queued request, left in the queue, or null. */
    Waiting peek() {
        return queued.peek();
    }

    /** Takes the request {@link #peek} returned. */
    void remove() {
        queuedChars -= queued.remove().chars();
    }
}
