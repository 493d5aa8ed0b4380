package chat.common.wire;

import chat.common.text.Utf8;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The article's 151-byte record, {@code struct send_pack { char name[50]; char data[100]; char
 * type; }}, sent whole with no header and no padding.
 *
 * <pre>
 *   offset  size  field
 *        0    50  name   NUL-terminated; bytes after the NUL are ignored
 *       50   100  text   NUL-terminated; bytes after the NUL are ignored
 *      150     1  type   0 chat, 1 came online, 2 went offline
 * </pre>
 *
 * <p>Records written here are canonical: each field holds at most {@code size - 1} bytes cut on a
 * UTF-8 character boundary, then zeros to the end of the field. The methods are static and work on
 * caller-owned arrays so that the server can relay a record without allocating.
 */
public final class LegacyRecord {

    public static final int SIZE = 151;
    public static final int NAME_OFFSET = 0;
    public static final int NAME_SIZE = 50;
    public static final int TEXT_OFFSET = 50;
    public static final int TEXT_SIZE = 100;
    public static final int TYPE_OFFSET = 150;

    /** Room for the terminating NUL, as the C client's {@code fgets(data, 100)} leaves. */
    public static final int MAX_NAME_BYTES = NAME_SIZE - 1;
    public static final int MAX_TEXT_BYTES = TEXT_SIZE - 1;

    public static final byte CHAT = 0;
    public static final byte ONLINE = 1;
    public static final byte OFFLINE = 2;

    private LegacyRecord() {}

    /**
     * Reads one record from {@code src} (which must hold at least {@link #SIZE} bytes) into {@code
     * dst[0, SIZE)} in canonical form and returns its type byte. The position of {@code src}
     * advances by {@link #SIZE}.
     */
    public static byte readCanonical(ByteBuffer src, byte[] dst) {
        if (src.remaining() < SIZE) {
            throw new IllegalArgumentException("need " + SIZE + " bytes, have " + src.remaining());
        }
        int base = src.position();
        copyField(src, base + NAME_OFFSET, NAME_SIZE, dst, NAME_OFFSET);
        copyField(src, base + TEXT_OFFSET, TEXT_SIZE, dst, TEXT_OFFSET);
        byte type = src.get(base + TYPE_OFFSET);
        dst[TYPE_OFFSET] = type;
        src.position(base + SIZE);
        return type;
    }

    private static void copyField(ByteBuffer src, int from, int size, byte[] dst, int to) {
        int len = 0;
        while (len < size && src.get(from + len) != 0) {
            len++;
        }
        len = Utf8.cutPoint(src, from, len, size - 1);
        for (int i = 0; i < len; i++) {
            dst[to + i] = src.get(from + i);
        }
        Arrays.fill(dst, to + len, to + size, (byte) 0);
    }

    /**
     * Puts {@code mark} before the name of the canonical record {@code rec[0, SIZE)}, in place, the
     * name then cut to {@link #MAX_NAME_BYTES} on a character boundary. Allocates nothing, so the
     * server can mark a record it relays.
     */
    public static void markName(byte[] rec, byte mark) {
        int len = fieldLength(rec, NAME_OFFSET, MAX_NAME_BYTES);
        int keep = Utf8.cutPoint(rec, NAME_OFFSET, len, MAX_NAME_BYTES - 1);
        System.arraycopy(rec, NAME_OFFSET, rec, NAME_OFFSET + 1, keep);
        rec[NAME_OFFSET] = mark;
        Arrays.fill(rec, NAME_OFFSET + 1 + keep, NAME_OFFSET + NAME_SIZE, (byte) 0);
    }

    /** Length of the NUL-terminated field at {@code rec[off, off + size)}. */
    public static int fieldLength(byte[] rec, int off, int size) {
        int len = 0;
        while (len < size && rec[off + len] != 0) {
            len++;
        }
        return len;
    }

    /**
     * Writes a canonical record into {@code dst[0, SIZE)}. The name and text are cut on character
     * boundaries to their maximum lengths.
     */
    public static void write(
            byte[] dst, byte[] name, int nameLen, byte[] text, int textOff, int textLen, byte type) {
        int n = Utf8.cutPoint(name, 0, nameLen, MAX_NAME_BYTES);
        System.arraycopy(name, 0, dst, NAME_OFFSET, n);
        Arrays.fill(dst, NAME_OFFSET + n, NAME_OFFSET + NAME_SIZE, (byte) 0);
        int t = Utf8.cutPoint(text, textOff, textLen, MAX_TEXT_BYTES);
        System.arraycopy(text, textOff, dst, TEXT_OFFSET, t);
        Arrays.fill(dst, TEXT_OFFSET + t, TEXT_OFFSET + TEXT_SIZE, (byte) 0);
        dst[TYPE_OFFSET] = type;
    }

    /** Encodes one record; the text must already fit ({@link #split} cuts longer text). */
    public static byte[] encode(String name, String text, byte type) {
        byte[] rec = new byte[SIZE];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        write(rec, n, n.length, t, 0, t.length, type);
        return rec;
    }

    /**
     * Encodes chat text of any length as as many records as it takes, each text cut on a character
     * boundary at {@link #MAX_TEXT_BYTES}. Empty text gives one record with empty text.
     */
    public static List<byte[]> encodeChat(String name, String text) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        List<byte[]> records = new ArrayList<>();
        int off = 0;
        do {
            int len = Utf8.cutPoint(t, off, t.length - off, MAX_TEXT_BYTES);
            byte[] rec = new byte[SIZE];
            write(rec, n, n.length, t, off, len, CHAT);
            records.add(rec);
            off += len;
        } while (off < t.length);
        return records;
    }

    /** Decodes one record from {@code src} (at least {@link #SIZE} bytes), advancing it. */
    public static Message decode(ByteBuffer src) {
        byte[] rec = new byte[SIZE];
        byte type = readCanonical(src, rec);
        String name = new String(rec, NAME_OFFSET, fieldLength(rec, NAME_OFFSET, NAME_SIZE),
                StandardCharsets.UTF_8);
        String text = new String(rec, TEXT_OFFSET, fieldLength(rec, TEXT_OFFSET, TEXT_SIZE),
                StandardCharsets.UTF_8);
        return new Message(name, text, type);
    }

    /** A decoded record. {@code type} is the raw byte: the caller decides what an unknown one means. */
    public record Message(String name, String text, byte type) {}
}
