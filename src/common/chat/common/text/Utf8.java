package chat.common.text;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Cutting UTF-8 byte strings without splitting a character.
 *
 * <p>The article's fields are fixed-size C arrays, so text longer than a field has to be cut
 * somewhere; cutting in the middle of a multi-byte sequence would hand the other side an invalid
 * character (a Chinese character is three bytes, an emoji four).
 */
public final class Utf8 {

    private Utf8() {}

    /**
     * The largest length {@code <= max} at which {@code bytes[off, off + len)} can be cut without
     * splitting a character: {@code len} itself when it fits.
     */
    public static int cutPoint(byte[] bytes, int off, int len, int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max must not be negative: " + max);
        }
        if (len <= max) {
            return len;
        }
        int cut = max;
        // Step back over continuation bytes (10xxxxxx); a character is at most four bytes long.
        while (cut > 0 && cut > max - 3 && isContinuation(bytes[off + cut])) {
            cut--;
        }
        return isContinuation(bytes[off + cut]) ? max : cut;
    }

    /** As {@link #cutPoint(byte[], int, int, int)}, over {@code buf[index, index + len)}. */
    public static int cutPoint(ByteBuffer buf, int index, int len, int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max must not be negative: " + max);
        }
        if (len <= max) {
            return len;
        }
        int cut = max;
        while (cut > 0 && cut > max - 3 && isContinuation(buf.get(index + cut))) {
            cut--;
        }
        return isContinuation(buf.get(index + cut)) ? max : cut;
    }

    /** Encodes {@code s} and cuts it to at most {@code max} bytes on a character boundary. */
    public static byte[] encodeCut(String s, int max) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int n = cutPoint(bytes, 0, bytes.length, max);
        return n == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, n);
    }

    static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
