package chat.bench;

import static chat.common.wire.LegacyRecord.NAME_OFFSET;
import static chat.common.wire.LegacyRecord.NAME_SIZE;
import static chat.common.wire.LegacyRecord.SIZE;
import static chat.common.wire.LegacyRecord.TEXT_OFFSET;
import static chat.common.wire.LegacyRecord.TYPE_OFFSET;

import chat.common.text.Names;
import chat.common.wire.LegacyRecord;
import java.nio.ByteBuffer;

/**
 * What the load generator says in its chat records, and the check every receiver makes on each.
 * Records are built by {@link LegacyRecord#write}, so they are canonical and any faithful relay
 * returns them byte for byte.
 *
 * <pre>
 *   name   "b" + the sender's index in 5 decimal digits        bytes   0..5, then NULs
 *   text   sender index, 8 hex digits                          bytes  50..57
 *          sequence number (per sender, from 0), 16 hex        bytes  58..73
 *          time stamp (System.nanoTime - origin), 16 hex       bytes  74..89
 *          filler, 48 letters that depend on the sequence      bytes  90..137
 *          checksum of bytes 0..137, 8 hex                     bytes 138..145
 *          NUL (the text is 96 bytes: a full-length chat line) bytes 146..149
 *   type   0                                                   byte  150
 * </pre>
 *
 * A record is accepted when the checksum matches, the trailing bytes are NUL, the type is chat
 * and the name agrees with the sender index in the text. The checksum covers the name field, so a
 * record whose halves come from two different records (the C server forwards partial reads) fails.
 *
 * <p>Synchronisation probes are type-1 (came online) records with the text {@code "sync" + 8 hex}.
 *
 * <p>One instance per thread: {@link #verify} leaves the decoded fields in this object rather
 * than allocating a result.
 */
final class BenchRecord {

    static final int MAX_SENDERS = 100_000;
    static final int NAME_LEN = 6;
    static final int SENDER_AT = TEXT_OFFSET;
    static final int SEQ_AT = SENDER_AT + 8;
    static final int TIME_AT = SEQ_AT + 16;
    static final int FILL_AT = TIME_AT + 16;
    static final int SUM_AT = FILL_AT + 48;
    static final int TEXT_LEN = SUM_AT + 8 - TEXT_OFFSET;
    private static final int SYNC_LEN = 12;

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] UNHEX = new byte[256];

    static {
        java.util.Arrays.fill(UNHEX, (byte) -1);
        for (int i = 0; i < 16; i++) {
            UNHEX[HEX[i]] = (byte) i;
        }
    }

    private final byte[] record = new byte[SIZE];
    private final ByteBuffer recordView = ByteBuffer.wrap(record);
    /** A received record with its name's legacy mark taken off, for {@link #verify}. */
    private final ByteBuffer unmarked = ByteBuffer.allocate(SIZE);
    private final byte[] name = new byte[NAME_LEN];
    private final byte[] text = new byte[TEXT_LEN];

    /** The fields of the record {@link #verify} last accepted. */
    int sender;
    long seq;
    long time;

    /** Appends one chat record to {@code dst}, which must have {@link LegacyRecord#SIZE} bytes free. */
    void encodeChat(ByteBuffer dst, int sender, long seq, long time) {
        nameOf(sender, name);
        hex(text, 0, sender, 8);
        hex(text, 8, seq, 16);
        hex(text, 24, time, 16);
        for (int i = 0; i < 48; i++) {
            text[40 + i] = (byte) ('a' + (int) ((seq + i) % 26));
        }
        java.util.Arrays.fill(text, 88, TEXT_LEN, (byte) '0'); // checksum, filled in below
        LegacyRecord.write(record, name, NAME_LEN, text, 0, TEXT_LEN, LegacyRecord.CHAT);
        hex(record, SUM_AT, checksum(recordView, 0), 8);
        dst.put(record);
    }

    /** Writes a came-online record for client {@code index} into {@code dst[0, SIZE)}. */
    void encodeAnnounce(byte[] dst, int index) {
        nameOf(index, name);
        LegacyRecord.write(dst, name, NAME_LEN, text, 0, 0, LegacyRecord.ONLINE);
    }

    /** Writes synchronisation probe {@code k} from client {@code index} into {@code dst[0, SIZE)}. */
    void encodeSync(byte[] dst, int index, long k) {
        nameOf(index, name);
        byte[] t = new byte[SYNC_LEN];
        t[0] = 's';
        t[1] = 'y';
        t[2] = 'n';
        t[3] = 'c';
        hex(t, 4, k, 8);
        LegacyRecord.write(dst, name, NAME_LEN, t, 0, SYNC_LEN, LegacyRecord.ONLINE);
    }

    /** The probe number of the type-1 record at {@code src[base]}, or -1 if it is a plain announce. */
    static long syncNumber(ByteBuffer src, int base) {
        int t = base + TEXT_OFFSET;
        if (src.get(t) != 's' || src.get(t + 1) != 'y' || src.get(t + 2) != 'n' || src.get(t + 3) != 'c'
                || src.get(t + SYNC_LEN) != 0) {
            return -1;
        }
        return unhex(src, t + 4, 8);
    }

    /**
     * Checks the chat record at {@code src[base, base + SIZE)}; on success fills {@link #sender},
     * {@link #seq} and {@link #time} and returns true.
     */
    boolean verify(ByteBuffer src, int base) {
        if (src.get(base + NAME_OFFSET) == (byte) Names.LEGACY_MARK) {
            // our server marks a legacy client's name (~b00001) so that no one passes for an account:
            // check the record as it was sent
            unmarked.clear();
            for (int i = 0; i < NAME_SIZE - 1; i++) {
                unmarked.put(i, src.get(base + NAME_OFFSET + 1 + i));
            }
            unmarked.put(NAME_SIZE - 1, (byte) 0);
            for (int i = NAME_SIZE; i < SIZE; i++) {
                unmarked.put(i, src.get(base + i));
            }
            return verifyUnmarked(unmarked, 0);
        }
        return verifyUnmarked(src, base);
    }

    private boolean verifyUnmarked(ByteBuffer src, int base) {
        if (src.get(base + TYPE_OFFSET) != LegacyRecord.CHAT
                || src.getInt(base + SUM_AT + 8) != 0
                || src.get(base + NAME_OFFSET) != 'b') {
            return false;
        }
        long sum = unhex(src, base + SUM_AT, 8);
        if (sum < 0 || sum != checksum(src, base)) {
            return false;
        }
        long s = unhex(src, base + SENDER_AT, 8);
        long q = unhex(src, base + SEQ_AT, 16);
        long t = unhex(src, base + TIME_AT, 16);
        if (s < 0 || s >= MAX_SENDERS || q < 0 || t < 0) {
            return false;
        }
        int fromName = 0;
        for (int i = 1; i < NAME_LEN; i++) {
            int d = src.get(base + NAME_OFFSET + i) - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            fromName = fromName * 10 + d;
        }
        if (fromName != s) {
            return false;
        }
        sender = (int) s;
        seq = q;
        time = t;
        return true;
    }

    /** A 32-bit mix of bytes {@code [base, base + SUM_AT)}: the name field and the text before the sum. */
    static long checksum(ByteBuffer b, int base) {
        long h = 0x9E3779B97F4A7C15L;
        int end = base + (SUM_AT & ~7);
        for (int i = base; i < end; i += 8) {
            h = (h ^ b.getLong(i)) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        for (int i = end; i < base + SUM_AT; i++) {
            h = (h ^ b.get(i)) * 0x94D049BB133111EBL;
        }
        h ^= h >>> 29;
        return (h ^ (h >>> 32)) & 0xFFFF_FFFFL;
    }

    static void nameOf(int index, byte[] dst) {
        if (index < 0 || index >= MAX_SENDERS) {
            throw new IllegalArgumentException("client index must be in [0, " + MAX_SENDERS + "): " + index);
        }
        dst[0] = 'b';
        for (int i = NAME_LEN - 1, v = index; i >= 1; i--, v /= 10) {
            dst[i] = (byte) ('0' + v % 10);
        }
    }

    private static void hex(byte[] dst, int at, long value, int digits) {
        for (int i = digits - 1; i >= 0; i--, value >>>= 4) {
            dst[at + i] = HEX[(int) (value & 15)];
        }
    }

    /** The value of {@code digits} hex digits at {@code src[at]}, or -1 when one is not a hex digit. */
    private static long unhex(ByteBuffer src, int at, int digits) {
        long v = 0;
        for (int i = 0; i < digits; i++) {
            int d = UNHEX[src.get(at + i) & 0xFF];
            if (d < 0) {
                return -1;
            }
            v = (v << 4) | d;
        }
        return v;
    }
}
