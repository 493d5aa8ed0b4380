package chat.common.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Frames newline-terminated UTF-8 lines out of a byte stream. A {@code "\r\n"} ending is accepted
 * as well, so that a person can talk to the server with {@code nc -C} or telnet.
 *
 * <p>Like Netty's {@code LineBasedFrameDecoder}, it never consumes a partial line, and it remembers
 * how far it has already scanned so that a line arriving one byte at a time costs linear time. A
 * line longer than the cap is a protocol error: the caller replies and closes.
 */
public final class LineDecoder {

    private final int maxLineBytes;
    /** Bytes after {@code in.position()} already known to hold no newline. */
    private int scanned;

    public LineDecoder(int maxLineBytes) {
        if (maxLineBytes <= 0) {
            throw new IllegalArgumentException("maxLineBytes must be a positive integer: " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
    }

    public int maxLineBytes() {
        return maxLineBytes;
    }

    /**
     * The next whole line in {@code in} without its ending, or {@code null} when no whole line is
     * there yet (nothing consumed).
     *
     * @throws FrameTooLongException when more than the cap arrived without a newline
     */
    public String next(ByteBuffer in) {
        int start = in.position();
        int end = in.limit();
        for (int i = start + scanned; i < end; i++) {
            if (in.get(i) == '\n') {
                int len = i - start;
                scanned = 0;
                // The cap is on the line's text: "\r\n" from nc -C or telnet costs no more than "\n".
                int textLen = len > 0 && in.get(i - 1) == '\r' ? len - 1 : len;
                if (textLen > maxLineBytes) {
                    in.position(i + 1);
                    throw new FrameTooLongException(textLen, maxLineBytes);
                }
                String line = decode(in, start, textLen);
                in.position(i + 1);
                return line;
            }
        }
        scanned = end - start;
        // One byte over the cap may still be the '\r' of a "\r\n" whose '\n' is on its way.
        int over = scanned - maxLineBytes;
        if (over > 1 || over == 1 && in.get(end - 1) != '\r') {
            int seen = scanned;
            scanned = 0;
            throw new FrameTooLongException(seen, maxLineBytes);
        }
        return null;
    }

    private static String decode(ByteBuffer in, int from, int len) {
        if (in.hasArray()) {
            return new String(in.array(), in.arrayOffset() + from, len, StandardCharsets.UTF_8);
        }
        byte[] bytes = new byte[len];
        in.get(from, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Encodes a line (which must not contain a newline) with its {@code '\n'} ending. */
    public static byte[] encode(String line) {
        byte[] text = line.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[text.length + 1];
        System.arraycopy(text, 0, out, 0, text.length);
        out[text.length] = '\n';
        return out;
    }

    /** More than the cap arrived without a line ending. */
    public static final class FrameTooLongException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FrameTooLongException(int seen, int max) {
            super("line longer than " + max + " bytes (" + seen + " bytes without a newline)");
        }
    }
}
