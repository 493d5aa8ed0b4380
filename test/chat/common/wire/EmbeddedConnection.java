package chat.common.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One connection's inbound side as the server runs it, without a socket (the idea of Netty's
 * {@code EmbeddedChannel}): write bytes in, read messages out. Each {@link #write} does what the
 * reactor does after a {@code read()}: put the bytes in the connection's buffer, {@code flip()},
 * sniff the protocol while it is undecided, decode every whole frame, {@code compact()}; a full
 * buffer is replaced by one twice as large.
 *
 * <p>Messages come out as {@link LegacyRecord.Message} on a legacy connection and as
 * {@link String} lines on a text one. The loop also checks the decoders' contract: the sniffer
 * consumes nothing, and every decoded frame consumes input.
 */
final class EmbeddedConnection {

    private final boolean direct;
    private final LineDecoder lines;
    private ByteBuffer in;
    private ProtocolSniffer.Kind kind;
    private final List<Object> inbox = new ArrayList<>();

    /**
     * @param maxLineBytes the text protocol's line cap
     * @param direct whether the buffer is direct (as the server's are) or on the heap
     * @param initialCapacity the buffer's first size; small ones exercise the growing
     */
    EmbeddedConnection(int maxLineBytes, boolean direct, int initialCapacity) {
        this.direct = direct;
        this.lines = new LineDecoder(maxLineBytes);
        this.in = allocate(initialCapacity);
    }

    /**
     * Feeds one chunk as one {@code read()} would deliver it. The messages it completes wait in
     * the inbox for {@link #read()}, even those decoded before a decoder threw.
     */
    void write(byte[] chunk) {
        if (in.remaining() < chunk.length) {
            ByteBuffer bigger = allocate(Math.max(in.capacity() * 2, in.position() + chunk.length));
            in.flip();
            bigger.put(in);
            in = bigger;
        }
        in.put(chunk);
        in.flip();
        try {
            if (kind == null) {
                int position = in.position();
                int limit = in.limit();
                kind = ProtocolSniffer.sniff(in);
                if (in.position() != position || in.limit() != limit) {
                    throw new AssertionError("the sniffer moved the buffer: " + in);
                }
            }
            if (kind == ProtocolSniffer.Kind.LEGACY) {
                while (in.remaining() >= LegacyRecord.SIZE) {
                    int before = in.position();
                    inbox.add(LegacyRecord.decode(in));
                    assertConsumed(before, LegacyRecord.SIZE);
                }
            } else if (kind == ProtocolSniffer.Kind.TEXT) {
                for (;;) {
                    int before = in.position();
                    String line = lines.next(in);
                    if (line == null) {
                        if (in.position() != before) {
                            throw new AssertionError(
                                    "no line, yet " + (in.position() - before) + " bytes consumed");
                        }
                        break;
                    }
                    if (in.position() <= before) {
                        throw new AssertionError("a line decoded without consuming input: " + line);
                    }
                    inbox.add(line);
                }
            }
        } finally {
            in.compact();
        }
    }

    /** Feeds the chunks in order. */
    void writeAll(List<byte[]> chunks) {
        chunks.forEach(this::write);
    }

    /** The messages decoded since the last call, in order. */
    List<Object> read() {
        List<Object> out = List.copyOf(inbox);
        inbox.clear();
        return out;
    }

    /** The protocol the sniffer chose, or {@code null} while it has not decided. */
    ProtocolSniffer.Kind kind() {
        return kind;
    }

    /** Bytes held back as the start of a frame not yet complete. */
    int buffered() {
        return in.position();
    }

    private void assertConsumed(int before, int expected) {
        if (in.position() - before != expected) {
            throw new AssertionError(
                    "a record consumed " + (in.position() - before) + " bytes, not " + expected);
        }
    }

    private ByteBuffer allocate(int capacity) {
        return direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }
}
