package chat.common.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.wire.Resp.Array;
import chat.common.wire.Resp.Bulk;
import chat.common.wire.Resp.Err;
import chat.common.wire.Resp.Int;
import chat.common.wire.Resp.ProtocolException;
import chat.common.wire.Resp.Simple;
import chat.common.wire.Resp.Value;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each RESP2 type, each way of breaking the protocol, and every cut of a stream of all of them. */
class RespTest {

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static Value one(String s) {
        ByteBuffer in = bytes(s);
        Value v = new Resp.Decoder().next(in);
        assertEquals(0, in.remaining(), "consumed all of " + s);
        return v;
    }

    private static ProtocolException broken(Resp.Decoder decoder, String s) {
        return assertThrows(ProtocolException.class, () -> {
            ByteBuffer in = bytes(s);
            while (decoder.next(in) != null) {
                // values before the broken one are fine
            }
        });
    }

    private static ProtocolException broken(String s) {
        return broken(new Resp.Decoder(), s);
    }

    @Test
    void eachType() {
        assertEquals(new Simple("OK"), one("+OK\r\n"));
        assertEquals(new Simple(""), one("+\r\n"));
        assertEquals(new Err("WRONGTYPE Operation against a key"), one("-WRONGTYPE Operation against a key\r\n"));
        assertEquals("WRONGTYPE", ((Err) one("-WRONGTYPE Operation\r\n")).kind());
        assertEquals(new Int(0), one(":0\r\n"));
        assertEquals(new Int(-42), one(":-42\r\n"));
        assertEquals(new Int(Long.MAX_VALUE), one(":9223372036854775807\r\n"));
        assertEquals(new Int(Long.MIN_VALUE), one(":-9223372036854775808\r\n"));
        assertEquals(Bulk.of("foo"), one("$3\r\nfoo\r\n"));
        assertEquals(Bulk.of(""), one("$0\r\n\r\n"));
        assertEquals(Bulk.of("a\r\nb"), one("$4\r\na\r\nb\r\n"));
        assertEquals(Bulk.NIL, one("$-1\r\n"));
        assertTrue(((Bulk) one("$-1\r\n")).isNil());
        assertEquals(Bulk.of("中文😀"), one("$10\r\n中文😀\r\n"));
        assertEquals(Array.NIL, one("*-1\r\n"));
        assertEquals(new Array(List.of()), one("*0\r\n"));
        assertEquals(Array.of(Bulk.of("message"), Bulk.of("ch"), Bulk.of("hi")),
                one("*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n"));
        assertEquals(Array.of(Array.of(new Int(1), Array.of()), Bulk.NIL, Array.NIL, new Simple("x")),
                one("*4\r\n*2\r\n:1\r\n*0\r\n$-1\r\n*-1\r\n+x\r\n"));
    }

    @Test
    void aCommandIsAnArrayOfBulkStrings() {
        assertEquals("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\n中\r\n".replace("$2\r\n中", "$3\r\n中"),
                new String(Resp.command("SET", "k", "中"), StandardCharsets.UTF_8));
        byte[] big = new byte[12345];
        Arrays.fill(big, (byte) 'x');
        byte[][] args = {"SET".getBytes(StandardCharsets.US_ASCII), new byte[0], big};
        ByteBuffer out = ByteBuffer.allocate(Resp.commandLength(args) + 3);
        out.position(3); // after what is queued already
        Resp.writeCommand(out, args);
        assertEquals(out.capacity(), out.position(), "commandLength is exact");
        out.position(3);
        assertEquals(Array.of(Bulk.of("SET"), Bulk.of(""), new Bulk(big)), new Resp.Decoder().next(out));
    }

    @Test
    void encodingWritesWhatDecodingReads() {
        for (long n : new long[] {0, 9, 10, -1, -10, 99, 100, Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertEquals(":" + n + "\r\n", new String(Resp.encode(new Int(n)), StandardCharsets.US_ASCII));
            assertEquals(Long.toString(n).length(), Resp.digits(n));
        }
        assertEquals("$-1\r\n", new String(Resp.encode(Bulk.NIL), StandardCharsets.US_ASCII));
        assertEquals("*-1\r\n", new String(Resp.encode(Array.NIL), StandardCharsets.US_ASCII));
        assertThrows(IllegalArgumentException.class, () -> new Simple("a\r\nb"));
        assertThrows(IllegalArgumentException.class, () -> new Err("a\nb"));
    }

    @Test
    void aPartialValueWaitsAndOnlyAHeaderLineStaysInTheBuffer() {
        var decoder = new Resp.Decoder();
        ByteBuffer in = ByteBuffer.allocate(64);
        in.put("*2\r\n$5\r\nhel".getBytes(StandardCharsets.US_ASCII)).flip();
        assertNull(decoder.next(in));
        assertEquals(0, in.remaining(), "the array header and the bulk's first bytes are taken");
        assertTrue(decoder.isMidValue());
        in.clear();
        in.put("lo\r\n:1".getBytes(StandardCharsets.US_ASCII)).flip();
        assertNull(decoder.next(in));
        assertEquals(2, in.remaining(), "':1' waits for its CRLF");
        in.compact().put("2\r\n+next\r".getBytes(StandardCharsets.US_ASCII)).flip();
        assertEquals(Array.of(Bulk.of("hello"), new Int(12)), decoder.next(in));
        assertNull(decoder.next(in));
        in.compact().put((byte) '\n').flip();
        assertEquals(new Simple("next"), decoder.next(in));
        assertTrue(!decoder.isMidValue());
    }

    /** A bulk larger than any buffer it passes through comes out whole: the reactor's is 1 MiB at most. */
    @Test
    void aBulkLargerThanTheBufferPassesThroughInPieces() {
        byte[] body = new byte[3 << 20];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        byte[] stream = Resp.encode(new Bulk(body));
        var decoder = new Resp.Decoder();
        ByteBuffer in = ByteBuffer.allocate(4096);
        Value got = null;
        for (int from = 0; from < stream.length; ) {
            int n = Math.min(in.remaining(), stream.length - from);
            in.put(stream, from, n).flip();
            from += n;
            Value v = decoder.next(in);
            if (v != null) {
                got = v;
            }
            in.compact();
        }
        assertArrayEquals(body, ((Bulk) got).bytes());
    }

    @Test
    void everySplitOfAStreamOfEveryType() {
        List<Value> values = List.of(new Simple("OK"), new Err("ERR no"), new Int(-7), Bulk.of("é\r\n"), Bulk.NIL,
                Array.NIL, Array.of(), Array.of(Array.of(Bulk.of("a"), Array.of(new Int(3))), new Simple("")),
                Bulk.of(""));
        byte[] stream = Chunks.concat(values.stream().map(Resp::encode).toList());
        for (int cut = 0; cut <= stream.length; cut++) {
            for (int cut2 = cut; cut2 <= stream.length; cut2 += 7) {
                List<byte[]> chunks = Chunks.cutAt(stream, List.of(cut, cut2));
                assertEquals(values, feed(new Resp.Decoder(), chunks), "cut at " + cut + " and " + cut2);
            }
        }
        assertEquals(values, feed(new Resp.Decoder(), Chunks.singleBytes(stream, true)));
    }

    /** Feeds chunks as the reactor does: append, flip, decode every value, compact. */
    static List<Value> feed(Resp.Decoder decoder, List<byte[]> chunks) {
        List<Value> out = new ArrayList<>();
        ByteBuffer in = ByteBuffer.allocate(16);
        for (byte[] chunk : chunks) {
            if (in.remaining() < chunk.length) {
                in = ByteBuffer.allocate(in.capacity() * 2 + chunk.length).put(in.flip());
            }
            in.put(chunk).flip();
            Value v;
            while ((v = decoder.next(in)) != null) {
                out.add(v);
            }
            in.compact();
        }
        return out;
    }

    @Test
    void malformedBytesAreAProtocolException() {
        broken("?what\r\n");
        broken("hello");                 // not a type, even before a line ends
        broken("+OK\n");                 // LF without CR
        broken("-ERR \r\u0000\r\n");        // CR inside a line
        broken("\r\n");
        broken(":12a\r\n");
        broken(":\r\n");
        broken(":-\r\n");
        broken(":9223372036854775808\r\n");
        broken(":-9223372036854775809\r\n");
        broken(":123456789012345678901\r\n");
        broken("$-2\r\n");
        broken("$3\r\nfooXY");           // the body not followed by CRLF
        broken("$x\r\n");
        broken("*-2\r\n");
        broken("* 1\r\n");
        broken("+OK\r\n$3\r\nab\r\n\r\n"); // one good value, then a body of the wrong length
    }

    @Test
    void boundsAreProtocolExceptionsBeforeAnyAllocation() {
        var small = new Resp.Decoder(10, 3, 2, 32);
        assertTrue(broken(small, "$11\r\n").getMessage().contains("over the limit of 10"));
        assertEquals(Bulk.of("0123456789"), new Resp.Decoder(10, 3, 2, 32).next(bytes("$10\r\n0123456789\r\n")));
        assertTrue(broken(new Resp.Decoder(10, 3, 2, 32), "*4\r\n").getMessage().contains("over the limit of 3"));
        assertTrue(broken(new Resp.Decoder(10, 3, 2, 32), "*1\r\n*1\r\n*1\r\n:1\r\n").getMessage()
                .contains("deeper than 2"));
        assertEquals(Array.of(Array.of(new Int(1))), new Resp.Decoder(10, 3, 2, 32).next(bytes("*1\r\n*1\r\n:1\r\n")));
        assertTrue(broken(new Resp.Decoder(10, 3, 2, 32), "+" + "x".repeat(40)).getMessage().contains("longer"));
        assertTrue(broken(new Resp.Decoder(10, 3, 2, 32), "+" + "x".repeat(33) + "\r\n").getMessage()
                .contains("longer"));
        assertEquals(new Simple("x".repeat(32)), new Resp.Decoder(10, 3, 2, 32).next(bytes("+" + "x".repeat(32) + "\r\n")));
        assertTrue(broken("$" + (Resp.DEFAULT_MAX_BULK + 1) + "\r\n").getMessage().contains("over the limit"));
        assertThrows(IllegalArgumentException.class, () -> new Resp.Decoder(1, 1, 0, 32));
    }

    /** A line over the cap that arrives a byte at a time is found without waiting for its end. */
    @Test
    void anEndlessLineFailsAtTheCap() {
        var decoder = new Resp.Decoder(10, 3, 2, 32);
        ByteBuffer in = ByteBuffer.allocate(64);
        in.put((byte) '+');
        assertThrows(ProtocolException.class, () -> {
            for (int i = 0; i < 60; i++) {
                in.put((byte) 'x').flip();
                decoder.next(in);
                in.compact();
            }
        });
    }
}
