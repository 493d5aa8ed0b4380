package chat.common.wire;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/** Ways TCP may hand a byte stream to {@code read()}: in one piece, byte by byte, cut anywhere. */
final class Chunks {

    private Chunks() {}

    /** A way of cutting a stream into chunks; its {@code toString} says which, for failure reports. */
    record Cutter(String description, Function<byte[], List<byte[]>> cut) {
        List<byte[]> apply(byte[] stream) {
            return cut.apply(stream);
        }

        @Override
        public String toString() {
            return description;
        }
    }

    static byte[] concat(List<byte[]> parts) {
        var out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /**
     * Cuts {@code stream} before each position in {@code cuts}, taken modulo {@code length + 1}:
     * equal positions give empty chunks, and position 0 or {@code length} an empty first or last.
     */
    static List<byte[]> cutAt(byte[] stream, List<Integer> cuts) {
        int[] at = cuts.stream().mapToInt(c -> Math.floorMod(c, stream.length + 1)).sorted().toArray();
        List<byte[]> chunks = new ArrayList<>();
        int from = 0;
        for (int to : at) {
            chunks.add(Arrays.copyOfRange(stream, from, to));
            from = to;
        }
        chunks.add(Arrays.copyOfRange(stream, from, stream.length));
        return chunks;
    }

    /** One byte a chunk, with an empty chunk after each when {@code withEmpty}. */
    static List<byte[]> singleBytes(byte[] stream, boolean withEmpty) {
        List<byte[]> chunks = new ArrayList<>();
        for (byte b : stream) {
            chunks.add(new byte[] {b});
            if (withEmpty) {
                chunks.add(new byte[0]);
            }
        }
        return chunks;
    }

    static List<byte[]> fixedSize(byte[] stream, int size) {
        List<byte[]> chunks = new ArrayList<>();
        for (int from = 0; from < stream.length; from += size) {
            chunks.add(Arrays.copyOfRange(stream, from, Math.min(stream.length, from + size)));
        }
        return chunks;
    }

    /**
     * Every cutter: whole, byte by byte (with and without empty chunks between), fixed sizes that
     * straddle 151-byte records, and random positions.
     */
    static Arbitrary<Cutter> cutters() {
        Arbitrary<Cutter> whole = Arbitraries.just(new Cutter("whole", List::of));
        Arbitrary<Cutter> bytewise = Arbitraries.of(
                new Cutter("single bytes", s -> singleBytes(s, false)),
                new Cutter("single bytes and empty chunks", s -> singleBytes(s, true)));
        Arbitrary<Cutter> fixed = Arbitraries.integers().between(1, 400)
                .map(n -> new Cutter("chunks of " + n, s -> fixedSize(s, n)));
        Arbitrary<Cutter> random = Arbitraries.integers().greaterOrEqual(0).list().ofMaxSize(40)
                .map(cuts -> new Cutter("cut before " + cuts + " mod (length + 1)", s -> cutAt(s, cuts)));
        return Arbitraries.frequencyOf(List.of(
                Tuple.of(1, whole), Tuple.of(2, bytewise), Tuple.of(2, fixed), Tuple.of(5, random)));
    }
}
