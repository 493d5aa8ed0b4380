package chat.common.wire;

import static chat.common.text.Utf8Gen.utf8;
import static chat.common.wire.LegacyRecord.NAME_OFFSET;
import static chat.common.wire.LegacyRecord.NAME_SIZE;
import static chat.common.wire.LegacyRecord.SIZE;
import static chat.common.wire.LegacyRecord.TEXT_OFFSET;
import static chat.common.wire.LegacyRecord.TEXT_SIZE;
import static chat.common.wire.LegacyRecord.TYPE_OFFSET;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.text.Utf8Gen;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

class LegacyRecordTest {

    // ---- readCanonical

    /**
     * Whatever 151 bytes arrive: each field keeps the bytes before its NUL (at most size - 1 of
     * them), then zeros to the field's end; the type byte is copied as is; exactly 151 bytes are
     * consumed from wherever the buffer's position was; and canonical input comes out unchanged.
     */
    @Property
    void canonicalFormIsContentThenZeros(
            @ForAll @Size(SIZE) byte[] raw,
            @ForAll @IntRange(min = 0, max = 10) int at,
            @ForAll boolean direct) {
        int capacity = at + SIZE + 3;
        ByteBuffer src = direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
        src.put(new byte[at]).put(raw).put(new byte[] {7, 7, 7}).flip().position(at);
        byte[] dst = dirty(); // the server reuses one array for every record it reads

        byte type = LegacyRecord.readCanonical(src, dst);

        assertEquals(at + SIZE, src.position());
        assertEquals(raw[TYPE_OFFSET], type);
        assertEquals(raw[TYPE_OFFSET], dst[TYPE_OFFSET]);
        assertCanonicalField(raw, dst, NAME_OFFSET, NAME_SIZE);
        assertCanonicalField(raw, dst, TEXT_OFFSET, TEXT_SIZE);

        byte[] again = dirty();
        LegacyRecord.readCanonical(ByteBuffer.wrap(dst), again);
        assertArrayEquals(dst, again, "canonical form is not a fixed point");
    }

    /** A destination still holding a previous, longer record. */
    private static byte[] dirty() {
        byte[] dst = new byte[SIZE];
        Arrays.fill(dst, (byte) 'z');
        return dst;
    }

    private static void assertCanonicalField(byte[] raw, byte[] dst, int off, int size) {
        int nul = 0;
        while (nul < size && raw[off + nul] != 0) {
            nul++;
        }
        int len = LegacyRecord.fieldLength(dst, off, size);
        assertTrue(len <= size - 1, "field at " + off + " holds " + len + " bytes");
        if (nul < size) {
            assertEquals(nul, len, "field at " + off + " not cut at its NUL");
        }
        assertArrayEquals(Arrays.copyOfRange(raw, off, off + len), Arrays.copyOfRange(dst, off, off + len));
        for (int i = off + len; i < off + size; i++) {
            assertEquals(0, dst[i], "byte " + i + " after the field's content is not zero");
        }
    }

    /** Garbage after the NULs is dropped: the canonical record is the clean one, whatever the junk. */
    @Property
    void garbageAfterTheNulIsDropped(@ForAll("records") RawRecords.Raw rec) {
        byte[] dst = dirty();
        LegacyRecord.readCanonical(ByteBuffer.wrap(rec.bytes()), dst);
        assertArrayEquals(RawRecords.raw(rec.name(), rec.text(), rec.type(), null).bytes(), dst);
        assertEquals(rec.message(), LegacyRecord.decode(ByteBuffer.wrap(rec.bytes())));
    }

    /**
     * A name that fills all 50 bytes with no NUL (the C client's {@code strcpy} of a long name)
     * is cut to the longest whole-character prefix of at most 49 bytes; so is a text filling all
     * 100. The fields are the first bytes of longer text, so they often end inside a character.
     */
    @Property
    @StatisticsReport(onFailureOnly = true)
    void overfullFieldsAreCutOnACharacterBoundary(
            @ForAll("longer") String name, @ForAll("longer") String text,
            @ForAll @IntRange(min = 0, max = 255) int type) {
        byte[] raw = new byte[SIZE];
        System.arraycopy(utf8(name), 0, raw, NAME_OFFSET, NAME_SIZE);
        System.arraycopy(utf8(text), 0, raw, TEXT_OFFSET, TEXT_SIZE);
        raw[TYPE_OFFSET] = (byte) type;

        var message = LegacyRecord.decode(ByteBuffer.wrap(raw));

        String expectedName = Utf8Gen.prefixFitting(name, LegacyRecord.MAX_NAME_BYTES);
        assertEquals(new LegacyRecord.Message(expectedName,
                Utf8Gen.prefixFitting(text, LegacyRecord.MAX_TEXT_BYTES), (byte) type), message);
        Statistics.label("name cut short of 49 bytes").collect(utf8(expectedName).length < 49);
        Statistics.label("name cut short of 49 bytes").coverage(c -> c.check(true).percentage(p -> p >= 5));
    }

    @Provide
    Arbitrary<String> longer() {
        // At least 100 bytes, so that the first 50 or 100 bytes hold no NUL.
        return Utf8Gen.strings(Utf8Gen.chatCodePointsExcept(0), 60).map(s -> s + "x".repeat(TEXT_SIZE));
    }

    @Provide
    Arbitrary<RawRecords.Raw> records() {
        return RawRecords.records();
    }

    @Example
    void fiftyByteNamesLoseTheCharacterThatCrossesByte49() {
        assertEquals("a".repeat(49), decodedName("a".repeat(50)));
        assertEquals("a".repeat(48), decodedName("a".repeat(48) + "é"));  // é is bytes 48-49
        assertEquals("a".repeat(47), decodedName("a".repeat(47) + "中"));  // 中 is bytes 47-49
        assertEquals("a".repeat(46), decodedName("a".repeat(46) + "😀")); // 😀 is bytes 46-49
        assertEquals("a".repeat(47) + "é", decodedName("a".repeat(47) + "éa"));
    }

    private static String decodedName(String fiftyBytes) {
        byte[] raw = new byte[SIZE];
        byte[] name = utf8(fiftyBytes);
        assertEquals(NAME_SIZE, name.length);
        System.arraycopy(name, 0, raw, NAME_OFFSET, NAME_SIZE);
        raw[TEXT_OFFSET] = 'x';
        var message = LegacyRecord.decode(ByteBuffer.wrap(raw));
        assertEquals("x", message.text(), "the name ran into the text");
        return message.name();
    }

    /** The mark goes before the name; the name is cut on a character boundary to fit; nothing else moves. */
    @Property
    void markNamePutsTheMarkFirstAndCutsTheName(@ForAll("records") RawRecords.Raw rec) {
        byte[] canonical = new byte[SIZE];
        LegacyRecord.readCanonical(ByteBuffer.wrap(rec.bytes()), canonical);
        byte[] marked = canonical.clone();
        LegacyRecord.markName(marked, (byte) '~');
        String name = new String(canonical, NAME_OFFSET, LegacyRecord.fieldLength(canonical, NAME_OFFSET, NAME_SIZE),
                StandardCharsets.UTF_8);
        byte[] expected = canonical.clone();
        byte[] cut = chat.common.text.Utf8.encodeCut("~" + name, LegacyRecord.MAX_NAME_BYTES);
        Arrays.fill(expected, NAME_OFFSET, NAME_OFFSET + NAME_SIZE, (byte) 0);
        System.arraycopy(cut, 0, expected, NAME_OFFSET, cut.length);
        assertArrayEquals(expected, marked);
    }

    @Example
    void markNameExamples() {
        assertEquals("~bob", markedName("bob"));
        assertEquals("~~x", markedName("~x"));
        assertEquals("~", markedName(""));
        assertEquals("~" + "a".repeat(48), markedName("a".repeat(49)));
        assertEquals("~" + "a".repeat(47), markedName("a".repeat(47) + "é"));  // é would be bytes 48-49
        assertEquals("~a" + "长".repeat(15), markedName("a" + "长".repeat(16)));
        assertEquals("~" + "a".repeat(45), markedName("a".repeat(45) + "😀"));
    }

    private static String markedName(String name) {
        byte[] rec = LegacyRecord.encode(name, "text", LegacyRecord.CHAT);
        LegacyRecord.markName(rec, (byte) '~');
        var m = LegacyRecord.decode(ByteBuffer.wrap(rec));
        assertEquals("text", m.text());
        assertEquals(LegacyRecord.CHAT, m.type());
        return m.name();
    }

    @Example
    void fewerThan151BytesAreRefusedAndNothingIsConsumed() {
        var src = ByteBuffer.allocate(SIZE - 1);
        var e = assertThrows(IllegalArgumentException.class,
                () -> LegacyRecord.readCanonical(src, new byte[SIZE]));
        assertTrue(e.getMessage().contains("150"), e.getMessage());
        assertEquals(0, src.position());
    }

    // ---- encode and encodeChat

    /** Records that fit round-trip through encode and decode; longer names and texts are cut. */
    @Property
    void encodeRoundTripsAndCuts(
            @ForAll("names") String name,
            @ForAll("longTexts") String text,
            @ForAll @IntRange(min = 0, max = 2) int type) {
        byte[] rec = LegacyRecord.encode(name, text, (byte) type);
        assertEquals(SIZE, rec.length);
        var expected = new LegacyRecord.Message(
                Utf8Gen.prefixFitting(name, 49), Utf8Gen.prefixFitting(text, 99), (byte) type);
        assertEquals(expected, LegacyRecord.decode(ByteBuffer.wrap(rec)));
        byte[] canonical = new byte[SIZE];
        LegacyRecord.readCanonical(ByteBuffer.wrap(rec), canonical);
        assertArrayEquals(canonical, rec, "encode does not write canonical records");

        byte[] n = utf8(name);
        byte[] t = utf8("<" + text + ">");
        byte[] reused = dirty();
        LegacyRecord.write(reused, n, n.length, t, 1, t.length - 2, (byte) type);
        assertArrayEquals(rec, reused, "write into a used array differs from encode");
    }

    /**
     * Any chat text becomes records whose texts, concatenated, are the original; each text is at
     * most 99 bytes of valid UTF-8 and as long as it can be (the next character would not have
     * fit); every record is a chat record under the (cut) name.
     */
    @Property
    void encodeChatSplitsTextWithoutLosingOrBreakingCharacters(
            @ForAll("names") String name, @ForAll("longTexts") String text) {
        List<byte[]> records = LegacyRecord.encodeChat(name, text);

        var joined = new StringBuilder();
        for (int i = 0; i < records.size(); i++) {
            byte[] rec = records.get(i);
            assertEquals(SIZE, rec.length);
            assertEquals(LegacyRecord.CHAT, rec[TYPE_OFFSET]);
            int len = LegacyRecord.fieldLength(rec, TEXT_OFFSET, TEXT_SIZE);
            assertTrue(len <= 99, "record " + i + " holds " + len + " bytes of text");
            assertTrue(Utf8Gen.isValidUtf8(rec, TEXT_OFFSET, len), "record " + i + " splits a character");
            String part = new String(rec, TEXT_OFFSET, len, StandardCharsets.UTF_8);
            if (i < records.size() - 1) {
                assertTrue(len > 0, "empty record " + i + " in the middle");
                int next = text.codePointAt(joined.length() + part.length());
                assertTrue(len + Utf8Gen.utf8Length(next) > 99, "record " + i + " had room for more");
            }
            joined.append(part);
            var message = LegacyRecord.decode(ByteBuffer.wrap(rec));
            assertEquals(Utf8Gen.prefixFitting(name, 49), message.name());
        }
        assertEquals(text, joined.toString());
        if (text.isEmpty()) {
            assertEquals(1, records.size());
        }
    }

    @Provide
    Arbitrary<String> names() {
        return Utf8Gen.strings(Utf8Gen.chatCodePointsExcept(0), 30);
    }

    @Provide
    Arbitrary<String> longTexts() {
        return Utf8Gen.strings(Utf8Gen.chatCodePointsExcept(0), 400);
    }

    @Example
    void encodeChatExamples() {
        assertEquals(1, LegacyRecord.encodeChat("张三", "").size());
        // 34 three-byte characters are 102 bytes: 33 of them (99 bytes) fill the first record.
        var records = LegacyRecord.encodeChat("张三", "中".repeat(34));
        assertEquals(2, records.size());
        assertEquals("中".repeat(33), LegacyRecord.decode(ByteBuffer.wrap(records.get(0))).text());
        assertEquals("中", LegacyRecord.decode(ByteBuffer.wrap(records.get(1))).text());
        // 25 emoji are 100 bytes: 24 (96 bytes) fit, the 25th would end at byte 100.
        records = LegacyRecord.encodeChat("a", "😀".repeat(25));
        assertEquals("😀".repeat(24), LegacyRecord.decode(ByteBuffer.wrap(records.get(0))).text());
        assertEquals("😀", LegacyRecord.decode(ByteBuffer.wrap(records.get(1))).text());
    }

    @Example
    void encodeWritesTheDocumentedLayout() {
        byte[] rec = LegacyRecord.encode("李", "hi", LegacyRecord.ONLINE);
        byte[] expected = new byte[SIZE];
        System.arraycopy(utf8("李"), 0, expected, 0, 3);
        expected[50] = 'h';
        expected[51] = 'i';
        expected[150] = 1;
        assertArrayEquals(expected, rec);
    }
}
