package chat.common.wire;

import static chat.common.text.Utf8Gen.utf8;
import static chat.common.wire.ProtocolSniffer.Kind.LEGACY;
import static chat.common.wire.ProtocolSniffer.Kind.TEXT;
import static chat.common.wire.ProtocolSniffer.Kind.TLS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

class ProtocolSnifferTest {

    /** The sniffer's answer, with a check that it left the buffer exactly as it was. */
    private static ProtocolSniffer.Kind sniff(ByteBuffer in) {
        int position = in.position();
        int limit = in.limit();
        byte[] before = new byte[in.capacity()];
        in.duplicate().clear().get(before);
        ProtocolSniffer.Kind kind = ProtocolSniffer.sniff(in);
        assertEquals(position, in.position(), "the sniffer consumed bytes");
        assertEquals(limit, in.limit(), "the sniffer moved the limit");
        byte[] after = new byte[in.capacity()];
        in.duplicate().clear().get(after);
        assertArrayEquals(before, after, "the sniffer changed the bytes");
        return kind;
    }

    private static ProtocolSniffer.Kind sniff(byte[] bytes) {
        return sniff(ByteBuffer.wrap(bytes));
    }

    private static byte[] repeat(char c, int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) c);
        return b;
    }

    private static byte[] with(byte[] bytes, int index, char c) {
        byte[] b = bytes.clone();
        b[index] = (byte) c;
        return b;
    }

    @Example
    void nulFirstIsLegacy() {
        assertEquals(LEGACY, sniff(LegacyRecord.encode("张三", "你好\n", LegacyRecord.ONLINE)));
        assertEquals(LEGACY, sniff(new byte[] {0}));
        assertEquals(LEGACY, sniff(new byte[] {'a', 0, '\n'}));
        assertEquals(LEGACY, sniff(with(repeat('x', 151), 150, '\0')));
    }

    @Example
    void newlineFirstIsText() {
        assertEquals(TEXT, sniff(utf8("PING\n")));
        assertEquals(TEXT, sniff(utf8("\n")));
        assertEquals(TEXT, sniff(utf8("LOGIN:u:p\r\n")));
        assertEquals(TEXT, sniff(new byte[] {'a', '\n', 0}));
        assertEquals(TEXT, sniff(with(repeat('x', 151), 150, '\n')));
    }

    @Example
    void neitherInFewerThan151BytesNeedsMore() {
        assertNull(sniff(new byte[0]));
        assertNull(sniff(utf8("LOGIN:u:p")));
        assertNull(sniff(repeat('x', 150)));
        assertNull(sniff(utf8("中".repeat(50)))); // 150 bytes
    }

    @Example
    void neitherIn151BytesIsText() {
        assertEquals(TEXT, sniff(repeat('x', 151)));
        // What comes after the first 151 bytes does not count.
        assertEquals(TEXT, sniff(with(repeat('x', 152), 151, '\0')));
        assertEquals(TEXT, sniff(with(repeat('x', 1000), 999, '\0')));
    }

    /** A TLS record's first two bytes, 0x16 0x03, decide before the NUL rule: a ClientHello has NULs early. */
    @Example
    void tlsRecordHeaderIsTls() {
        assertEquals(TLS, sniff(new byte[] {0x16, 0x03}));
        assertEquals(TLS, sniff(new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xc8, 0x01}));
        assertNull(sniff(new byte[] {0x16}), "one byte does not tell yet");
        assertEquals(LEGACY, sniff(new byte[] {0x16, 0x02, 0}));
        assertEquals(TEXT, sniff(new byte[] {'a', 0x16, 0x03, '\n'}), "only the first bytes count");
        assertEquals(TLS, sniff(ByteBuffer.wrap(new byte[] {'\n', 0x16, 0x03}).position(1)));
    }

    /** The buffer's position is where the unread bytes start: bytes before it do not count. */
    @Example
    void looksOnlyFromThePosition() {
        var in = ByteBuffer.wrap(utf8("\0\0\0PING\n")).position(3);
        assertEquals(TEXT, sniff(in));
        var legacy = ByteBuffer.wrap(new byte[] {'\n', 'a', 0}).position(1);
        assertEquals(LEGACY, sniff(legacy));
        byte[] bytes = with(repeat('x', 200), 5, '\0');
        var window = ByteBuffer.wrap(bytes).position(10).limit(10 + 150);
        assertNull(sniff(window));
        assertEquals(TEXT, sniff(window.limit(10 + 151)));
    }

    /**
     * Against a model on bytes that mix NULs, newlines, TLS's header bytes and other bytes: 0x16
     * 0x03 first is TLS (0x16 alone waits); else the first NUL or newline among the first 151 bytes decides; with neither, 151 bytes mean text and fewer mean wait.
     */
    @Property
    void agreesWithTheRule(@ForAll("sparse") byte[] bytes, @ForAll boolean direct) {
        ByteBuffer in = direct ? ByteBuffer.allocateDirect(bytes.length) : ByteBuffer.allocate(bytes.length);
        in.put(bytes).flip();
        ProtocolSniffer.Kind expected = null;
        if (bytes.length == 1 && bytes[0] == 0x16) {
            assertNull(sniff(in));
            return;
        }
        if (bytes.length >= 2 && bytes[0] == 0x16 && bytes[1] == 0x03) {
            expected = TLS;
        }
        for (int i = 0; i < Math.min(bytes.length, LegacyRecord.SIZE) && expected == null; i++) {
            expected = bytes[i] == 0 ? LEGACY : bytes[i] == '\n' ? TEXT : null;
        }
        if (expected == null && bytes.length >= LegacyRecord.SIZE) {
            expected = TEXT;
        }
        assertEquals(expected, sniff(in));
    }

    @Provide
    Arbitrary<byte[]> sparse() {
        Arbitrary<Byte> b = Arbitraries.frequencyOf(List.of(
                Tuple.of(1, Arbitraries.just((byte) 0)),
                Tuple.of(1, Arbitraries.just((byte) '\n')),
                Tuple.of(1, Arbitraries.just((byte) 0x16)),
                Tuple.of(1, Arbitraries.just((byte) 0x03)),
                Tuple.of(300, Arbitraries.bytes())));
        return b.array(byte[].class).ofMaxSize(400);
    }

    /** Every prefix of a stream of legacy records sniffs as legacy, or as undecided before the first NUL. */
    @Property
    void everyPrefixOfALegacyStreamIsLegacyOrUndecided(
            @ForAll("legacyStreams") List<RawRecords.Raw> records) {
        byte[] stream = Chunks.concat(records.stream().map(RawRecords.Raw::bytes).toList());
        int nul = utf8(records.get(0).name()).length;
        for (int n = 0; n <= stream.length; n += n < 160 ? 1 : 151) {
            assertEquals(n <= nul ? null : LEGACY, sniff(Arrays.copyOf(stream, n)), "prefix of " + n);
        }
    }

    @Provide
    Arbitrary<List<RawRecords.Raw>> legacyStreams() {
        return RawRecords.records().list().ofMinSize(1).ofMaxSize(3);
    }
}
