package chat.common.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.common.text.Utf8Gen;
import chat.common.wire.Resp.Value;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * RESP values encoded, concatenated, cut anywhere and fed to one decoder come out equal, each as
 * soon as its last byte is in; and garbage never makes the decoder do anything but return values
 * or throw its {@link Resp.ProtocolException}.
 */
class RespPropertyTest {

    /** Values, how the stream is cut, and a direct or heap buffer, as one value (see FrameReassemblyTest). */
    record Scenario(List<Value> values, Chunks.Cutter cutter, boolean direct) {}

    @Property
    @StatisticsReport(onFailureOnly = true)
    void valuesSurviveAnyCutting(@ForAll("streams") Scenario scenario) {
        List<Value> values = scenario.values();
        List<byte[]> encoded = values.stream().map(Resp::encode).toList();
        byte[] stream = Chunks.concat(encoded);
        // Where each value's last byte is: it must come out once that many bytes have been fed.
        int[] ends = new int[encoded.size()];
        int at = 0;
        for (int i = 0; i < encoded.size(); i++) {
            at += encoded.get(i).length;
            ends[i] = at;
        }
        var decoder = new Resp.Decoder();
        ByteBuffer in = allocate(scenario.direct(), 8);
        List<Value> decoded = new ArrayList<>();
        int fed = 0;
        for (byte[] chunk : scenario.cutter().apply(stream)) {
            if (in.remaining() < chunk.length) {
                in = allocate(scenario.direct(), in.capacity() * 2 + chunk.length).put(in.flip());
            }
            in.put(chunk).flip();
            Value v;
            while ((v = decoder.next(in)) != null) {
                decoded.add(v);
            }
            in.compact();
            fed += chunk.length;
            int complete = 0;
            while (complete < ends.length && ends[complete] <= fed) {
                complete++;
            }
            assertEquals(complete, decoded.size(), "values out after " + fed + " bytes");
        }
        assertEquals(values, decoded);
        assertEquals(0, in.position(), "nothing left over");

        cover("nested array", values.stream().anyMatch(v -> v instanceof Resp.Array a && !a.isNil()
                && a.items().stream().anyMatch(i -> i instanceof Resp.Array)));
        cover("nil bulk", values.stream().anyMatch(v -> v instanceof Resp.Bulk b && b.isNil()));
        cover("bulk with CRLF inside", values.stream().anyMatch(v -> v instanceof Resp.Bulk b && !b.isNil()
                && new String(b.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1).contains("\r\n")));
        cover("byte by byte", scenario.cutter().description().startsWith("single bytes"));
    }

    @Provide
    Arbitrary<Scenario> streams() {
        return Combinators.combine(values().list().ofMaxSize(8), Chunks.cutters(), Arbitraries.of(true, false))
                .as(Scenario::new);
    }

    /** Garbage, or a good stream with bytes changed: values or the codec's failure, nothing else, and an end. */
    @Property
    void garbageIsValuesOrAProtocolException(@ForAll("garbage") byte[] stream, @ForAll("cutters") Chunks.Cutter cutter) {
        var decoder = new Resp.Decoder(1 << 16, 1 << 10, 8, 256);
        ByteBuffer in = ByteBuffer.allocate(stream.length + 1);
        try {
            for (byte[] chunk : cutter.apply(stream)) {
                in.put(chunk).flip();
                int before = in.remaining();
                Value v;
                while ((v = decoder.next(in)) != null) {
                    Resp.encode(v); // a value decoded is a value that encodes
                }
                if (in.remaining() > 258) {
                    throw new AssertionError("more than a header line left unconsumed: " + in.remaining() + " of " + before);
                }
                in.compact();
            }
            Statistics.collect("values or waiting");
        } catch (Resp.ProtocolException e) {
            Statistics.collect("protocol exception");
        }
    }

    @Provide
    Arbitrary<Chunks.Cutter> cutters() {
        return Chunks.cutters();
    }

    @Provide
    Arbitrary<byte[]> garbage() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        // Mostly RESP-looking bytes, so that the decoder gets deep before it fails.
        Arbitrary<byte[]> respish = Arbitraries.of((byte) '*', (byte) '$', (byte) ':', (byte) '+', (byte) '-',
                (byte) '\r', (byte) '\n', (byte) '0', (byte) '1', (byte) '2', (byte) '9', (byte) 'x')
                .array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> mutated = Combinators.combine(values().list().ofMinSize(1).ofMaxSize(4),
                        Arbitraries.integers().greaterOrEqual(0).list().ofMinSize(1).ofMaxSize(3), Arbitraries.bytes())
                .as((vs, positions, b) -> {
                    byte[] s = Chunks.concat(vs.stream().map(Resp::encode).toList());
                    for (int p : positions) {
                        s[p % s.length] = b;
                    }
                    return s;
                });
        return Arbitraries.oneOf(random, respish, mutated);
    }

    static Arbitrary<Value> values() {
        return Arbitraries.recursive(RespPropertyTest::leaves,
                inner -> Arbitraries.oneOf(leaves(), inner.list().ofMaxSize(4).map(Resp.Array::new)), 0, 4);
    }

    private static Arbitrary<Value> leaves() {
        Arbitrary<String> line = Utf8Gen.strings(Utf8Gen.chatCodePointsExcept('\r', '\n'), 40);
        Arbitrary<Value> simple = line.map(Resp.Simple::new);
        Arbitrary<Value> err = line.map(s -> new Resp.Err("ERR " + s));
        Arbitrary<Value> integer = Arbitraries.oneOf(Arbitraries.longs(),
                Arbitraries.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE)).map(Resp.Int::new);
        Arbitrary<Value> bulk = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(100),
                Arbitraries.of("\r\n", "\r", "\n", "$3\r\n", "*1\r\n").map(s -> s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)))
                .map(Resp.Bulk::new);
        Arbitrary<Value> nils = Arbitraries.of(Resp.Bulk.NIL, Resp.Array.NIL, new Resp.Array(List.of()));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, simple), net.jqwik.api.Tuple.of(1, err), net.jqwik.api.Tuple.of(2, integer),
                net.jqwik.api.Tuple.of(4, bulk), net.jqwik.api.Tuple.of(2, nils));
    }

    private static ByteBuffer allocate(boolean direct, int capacity) {
        return direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }

    private static void cover(String label, boolean present) {
        Statistics.label(label).collect(present);
        Statistics.label(label).coverage(c -> c.check(true).percentage(p -> p >= 5));
    }
}
