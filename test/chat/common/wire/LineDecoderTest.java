package chat.common.wire;

import static chat.common.text.Utf8Gen.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LineDecoderTest {

    private static final int CAP = 10;

    /** Every line in {@code bytes}, decoded from one buffer until the decoder asks for more. */
    private static List<String> lines(LineDecoder decoder, ByteBuffer in) {
        List<String> out = new ArrayList<>();
        for (String line; (line = decoder.next(in)) != null; ) {
            out.add(line);
        }
        return out;
    }

    private static ByteBuffer buffer(String s, boolean direct) {
        byte[] bytes = utf8(s);
        ByteBuffer b = direct ? ByteBuffer.allocateDirect(bytes.length) : ByteBuffer.allocate(bytes.length);
        return b.put(bytes).flip();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void splitsOnLfAndCrLfAndKeepsEmptyLines(boolean direct) {
        var in = buffer("PING\nLOGIN:张三:密码\r\n\n\r\nMSG:a:b:😀\nrest", direct);
        assertEquals(List.of("PING", "LOGIN:张三:密码", "", "", "MSG:a:b:😀"), lines(new LineDecoder(100), in));
        assertEquals("rest", StandardCharsets.UTF_8.decode(in).toString(), "the partial line was consumed");
    }

    @Test
    void aLoneCrInsideALineIsKept() {
        assertEquals(List.of("a\rb"), lines(new LineDecoder(100), buffer("a\rb\n", false)));
    }

    @Test
    void anIncompleteLineConsumesNothingAndCompletesLater() {
        var decoder = new LineDecoder(100);
        var in = ByteBuffer.allocate(64);
        in.put(utf8("LOGIN:")).flip();
        assertNull(decoder.next(in));
        assertEquals(0, in.position());
        in.compact().put(utf8("u:p\nPI")).flip();
        assertEquals("LOGIN:u:p", decoder.next(in));
        assertNull(decoder.next(in));
        assertEquals("PI", StandardCharsets.UTF_8.decode(in.duplicate()).toString());
    }

    /** A heap buffer that is a slice of a larger array: the decoder must honour arrayOffset. */
    @Test
    void decodesFromASlicedHeapBuffer() {
        byte[] backing = utf8("junk你好\nmore");
        var in = ByteBuffer.wrap(backing, 4, backing.length - 4).slice();
        assertEquals(4, in.arrayOffset());
        assertEquals("你好", new LineDecoder(100).next(in));
        assertEquals("more", StandardCharsets.UTF_8.decode(in).toString());
    }

    // ---- the cap, on the line's text (its ending not counted)

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r\n"})
    void aLineExactlyAtTheCapPasses(String ending) {
        var in = buffer("0123456789" + ending, false);
        assertEquals(List.of("0123456789"), lines(new LineDecoder(CAP), in));
        assertEquals(List.of("中文中"), lines(new LineDecoder(9), buffer("中文中" + ending, true)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r\n"})
    void aLineOneByteOverTheCapFails(String ending) {
        var in = buffer("0123456789a" + ending, false);
        var e = assertThrows(LineDecoder.FrameTooLongException.class, () -> new LineDecoder(CAP).next(in));
        assertTrue(e.getMessage().contains("10"), e.getMessage());
    }

    @Test
    void aLineAtTheCapWithoutItsNewlineWaits() {
        var decoder = new LineDecoder(CAP);
        assertNull(decoder.next(buffer("0123456789", false)));
        // The eleventh byte may be the '\r' of "\r\n": still waiting.
        var in = buffer("0123456789\r", false);
        assertNull(decoder.next(in));
        assertEquals(0, in.position());
    }

    @Test
    void moreThanTheCapWithoutANewlineFails() {
        for (String tooMuch : List.of("0123456789a", "0123456789\r\r", "0123456789\ra", "x".repeat(1000))) {
            assertThrows(LineDecoder.FrameTooLongException.class,
                    () -> new LineDecoder(CAP).next(buffer(tooMuch, true)), tooMuch);
        }
    }

    /** Fed a byte at a time, the error comes as soon as the line is known to be too long. */
    @Test
    void moreThanTheCapFedByteByByteFailsAtTheFirstByteOver() {
        var connection = new EmbeddedConnection(CAP, true, 16);
        connection.write(utf8("ok\n"));
        byte[] tooLong = utf8("0123456789a");
        for (int i = 0; i < CAP; i++) {
            connection.write(new byte[] {tooLong[i]});
        }
        assertThrows(LineDecoder.FrameTooLongException.class,
                () -> connection.write(new byte[] {tooLong[CAP]}));
        assertEquals(List.of("ok"), connection.read());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void aCapBelowOneIsRejected(int cap) {
        var e = assertThrows(IllegalArgumentException.class, () -> new LineDecoder(cap));
        assertTrue(e.getMessage().contains(String.valueOf(cap)), e.getMessage());
    }

    @Test
    void aHugeCapDoesNotOverflow() {
        var decoder = new LineDecoder(Integer.MAX_VALUE);
        assertNull(decoder.next(buffer("abc", false)));
        assertEquals("abc", decoder.next(buffer("abc\n", false)));
    }

    // ---- scanning cost

    /**
     * A 60 KiB line arriving a byte at a time, through the server's put/flip/decode/compact loop.
     * A decoder that rescans from the line's start on every byte does about 1.8 billion reads
     * here and makes this test crawl; a linear one finishes at once.
     */
    @Test
    void aLongLineFedByteByByteIsDecodedWhole() {
        String line = "中文😀abc".repeat(60 * 1024 / 13);
        byte[] bytes = LineDecoder.encode(line);
        var connection = new EmbeddedConnection(64 * 1024, true, 8192);
        for (byte b : bytes) {
            connection.write(new byte[] {b});
        }
        List<Object> got = connection.read();
        assertEquals(1, got.size(), "lines decoded");
        // Not assertEquals: a 60 KiB string in a failure message buries the report.
        assertTrue(line.equals(got.get(0)), () -> "the line came out different, "
                + ((String) got.get(0)).length() + " chars instead of " + line.length());
        assertEquals(0, connection.buffered());
    }

    /**
     * The behavioural evidence that bytes are scanned once: a newline slipped (behind the
     * decoder's back) into the part of the buffer it has already scanned is not seen, while one
     * in the new bytes is. A decoder that rescanned from the start would return the early line.
     */
    @Test
    void bytesAlreadyScannedAreNotScannedAgain() {
        var decoder = new LineDecoder(1000);
        var in = ByteBuffer.allocate(1000);
        byte[] text = utf8("x".repeat(500));
        for (byte b : text) {
            in.put(b).flip();
            assertNull(decoder.next(in));
            in.compact();
        }
        in.put(10, (byte) '\n');
        in.put((byte) 'y').flip();
        assertNull(decoder.next(in), "the decoder went back over bytes it had scanned");
        in.compact().put((byte) '\n').flip();
        byte[] expected = new byte[501];
        Arrays.fill(expected, (byte) 'x');
        expected[10] = '\n';
        expected[500] = 'y';
        assertEquals(new String(expected, StandardCharsets.UTF_8), decoder.next(in));
    }

    @Test
    void encodeAppendsOneNewline() {
        assertArrayEquals(utf8("LOGIN:true:8899\n"), LineDecoder.encode("LOGIN:true:8899"));
        assertArrayEquals(utf8("你好\n"), LineDecoder.encode("你好"));
        assertArrayEquals(new byte[] {'\n'}, LineDecoder.encode(""));
    }
}
