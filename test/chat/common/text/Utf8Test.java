package chat.common.text;

import static chat.common.text.Utf8Gen.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
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

class Utf8Test {

    /**
     * On valid UTF-8, the cut is the last character boundary at or below {@code max}: within
     * bounds, never inside a character (the prefix decodes strictly), and no longer valid cut
     * exists. The string sits among stray bytes so that {@code off} is exercised, and {@code max}
     * ranges a little past the length so that "it all fits" is covered too.
     */
    @Property
    @StatisticsReport(onFailureOnly = true)
    void cutsAtTheLastCharacterBoundaryAtOrBelowMax(
            @ForAll("text") String s,
            @ForAll @IntRange(min = 0, max = 1000) int rawMax,
            @ForAll @IntRange(min = 0, max = 5) int off) {
        byte[] text = utf8(s);
        int max = rawMax % (text.length + 4);
        byte[] bytes = embed(off, text);

        int cut = Utf8.cutPoint(bytes, off, text.length, max);

        assertTrue(cut >= 0 && cut <= Math.min(max, text.length), () -> "cut " + cut);
        assertTrue(Utf8Gen.isValidUtf8(text, 0, cut), "prefix splits a character");
        List<Integer> boundaries = boundaries(s);
        int expected = boundaries.stream().filter(b -> b <= max).mapToInt(b -> b).max().orElseThrow();
        assertEquals(expected, cut, () -> "boundaries " + boundaries + ", max " + max);

        boolean inside = max < text.length && !boundaries.contains(max);
        Statistics.label("max inside a character").collect(inside);
        Statistics.label("max inside a character").coverage(c -> c.check(true).percentage(p -> p >= 10));
        Statistics.label("all fits").collect(max >= text.length);
        Statistics.label("all fits").coverage(c -> c.check(true).percentage(p -> p >= 5));
    }

    /** The ByteBuffer form answers as the array form does, on heap and direct buffers alike. */
    @Property
    void bufferFormAgreesWithArrayForm(
            @ForAll("text") String s,
            @ForAll @IntRange(min = 0, max = 1000) int rawMax,
            @ForAll @IntRange(min = 0, max = 5) int off,
            @ForAll boolean direct) {
        byte[] text = utf8(s);
        int max = rawMax % (text.length + 4);
        byte[] bytes = embed(off, text);
        ByteBuffer buf = direct ? ByteBuffer.allocateDirect(bytes.length) : ByteBuffer.allocate(bytes.length);
        buf.put(bytes).flip();

        assertEquals(Utf8.cutPoint(bytes, off, text.length, max), Utf8.cutPoint(buf, off, text.length, max));
        assertEquals(0, buf.position(), "cutPoint moved the buffer");
    }

    /** On any bytes at all, valid or not, the answer stays within bounds and nothing throws. */
    @Property
    void staysInBoundsOnArbitraryBytes(
            @ForAll @Size(max = 20) byte[] bytes, @ForAll @IntRange(min = 0, max = 25) int max) {
        int cut = Utf8.cutPoint(bytes, 0, bytes.length, max);
        assertTrue(cut >= 0 && cut <= Math.min(max, bytes.length), () -> "cut " + cut);
        assertEquals(cut, Utf8.cutPoint(ByteBuffer.wrap(bytes), 0, bytes.length, max));
    }

    /** encodeCut gives the longest whole-character prefix that fits. */
    @Property
    void encodeCutKeepsTheLongestPrefixThatFits(
            @ForAll("text") String s, @ForAll @IntRange(min = 0, max = 120) int max) {
        assertArrayEquals(utf8(Utf8Gen.prefixFitting(s, max)), Utf8.encodeCut(s, max));
    }

    @Provide
    Arbitrary<String> text() {
        return Utf8Gen.strings(Utf8Gen.chatCodePoints(), 40);
    }

    @Example
    void examples() {
        byte[] zh = utf8("中文"); // 3 + 3 bytes
        assertEquals(0, Utf8.cutPoint(zh, 0, zh.length, 2));
        assertEquals(3, Utf8.cutPoint(zh, 0, zh.length, 3));
        assertEquals(3, Utf8.cutPoint(zh, 0, zh.length, 5));
        assertEquals(6, Utf8.cutPoint(zh, 0, zh.length, 6));
        byte[] emoji = utf8("a😀b"); // 1 + 4 + 1 bytes
        assertEquals(1, Utf8.cutPoint(emoji, 0, emoji.length, 4));
        assertEquals(5, Utf8.cutPoint(emoji, 0, emoji.length, 5));
        assertEquals(0, Utf8.cutPoint(emoji, 1, 4, 3));
        assertEquals(0, Utf8.cutPoint(emoji, 0, emoji.length, 0));
        assertEquals(0, Utf8.cutPoint(new byte[0], 0, 0, 0));
        assertArrayEquals(utf8("你"), Utf8.encodeCut("你好", 5));
    }

    @Example
    void negativeMaxIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> Utf8.cutPoint(new byte[1], 0, 1, -1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Utf8.cutPoint(ByteBuffer.allocate(1), 0, 1, -1));
    }

    /** Byte offsets at which {@code s}'s UTF-8 encoding may be cut: 0, after each character. */
    private static List<Integer> boundaries(String s) {
        List<Integer> out = new ArrayList<>(List.of(0));
        int at = 0;
        for (int cp : s.codePoints().toArray()) {
            at += Utf8Gen.utf8Length(cp);
            out.add(at);
        }
        return out;
    }

    /**
     * {@code text} at offset {@code off}, with continuation bytes before and after it: a cut that
     * looked outside {@code [off, off + len)} would take them for parts of a character.
     */
    private static byte[] embed(int off, byte[] text) {
        byte[] all = new byte[off + text.length + 3];
        Arrays.fill(all, (byte) 0xBF);
        System.arraycopy(text, 0, all, off, text.length);
        return all;
    }
}
