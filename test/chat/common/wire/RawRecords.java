package chat.common.wire;

import static chat.common.text.Utf8Gen.utf8;

import chat.common.text.Utf8Gen;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Legacy records as the article's C client sends them: a NUL-terminated name and text, and after
 * each NUL either zeros or whatever the stack held (any bytes, NULs and newlines among them).
 * Built here byte by byte, independently of {@link LegacyRecord}'s encoder.
 */
final class RawRecords {

    private RawRecords() {}

    /** A record's bytes and the message they must decode to. */
    record Raw(String name, String text, byte type, byte[] bytes, boolean garbage) {
        LegacyRecord.Message message() {
            return new LegacyRecord.Message(name, text, type);
        }

        @Override
        public String toString() {
            return "Raw[name=" + name + ", text=" + text + ", type=" + type + ", garbage=" + garbage
                    + ", bytes=" + Arrays.toString(bytes) + "]";
        }
    }

    /**
     * Names hold no NUL (it ends the field) and no newline (a newline ahead of the first NUL
     * would make the connection sniff as text); texts hold no NUL, but may hold the newline that
     * the C client's {@code fgets} keeps.
     */
    static Arbitrary<Raw> records() {
        Arbitrary<String> names = Utf8Gen.fitting(
                Utf8Gen.chatCodePointsExcept(0, '\n'), LegacyRecord.MAX_NAME_BYTES);
        Arbitrary<String> texts = Utf8Gen.fitting(
                Arbitraries.frequencyOf(List.of(
                        Tuple.of(30, Utf8Gen.chatCodePointsExcept(0)),
                        Tuple.of(1, Arbitraries.just((int) '\n')))),
                LegacyRecord.MAX_TEXT_BYTES);
        Arbitrary<Byte> types = Arbitraries.of(LegacyRecord.CHAT, LegacyRecord.ONLINE, LegacyRecord.OFFLINE);
        Arbitrary<byte[]> garbage = Arbitraries.bytes().array(byte[].class).ofSize(LegacyRecord.SIZE);
        Arbitrary<Boolean> dirty = Arbitraries.of(true, false);
        return Combinators.combine(names, texts, types, garbage, dirty)
                .as((name, text, type, junk, isDirty) -> raw(name, text, type, isDirty ? junk : null));
    }

    /** The record's bytes: the fields, their NULs, then {@code junk}'s bytes (or zeros when null). */
    static Raw raw(String name, String text, byte type, byte[] junk) {
        byte[] rec = junk == null ? new byte[LegacyRecord.SIZE] : junk.clone();
        byte[] n = utf8(name);
        byte[] t = utf8(text);
        System.arraycopy(n, 0, rec, LegacyRecord.NAME_OFFSET, n.length);
        rec[LegacyRecord.NAME_OFFSET + n.length] = 0;
        System.arraycopy(t, 0, rec, LegacyRecord.TEXT_OFFSET, t.length);
        rec[LegacyRecord.TEXT_OFFSET + t.length] = 0;
        rec[LegacyRecord.TYPE_OFFSET] = type;
        return new Raw(name, text, type, rec, junk != null);
    }
}
