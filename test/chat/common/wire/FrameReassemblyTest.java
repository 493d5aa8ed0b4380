package chat.common.wire;

import static chat.common.text.Utf8Gen.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import chat.common.text.Utf8Gen;
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
 * Encode messages, concatenate them, cut the stream anywhere, feed the pieces to one connection:
 * the messages that come out are the ones that went in, in order, each as soon as its last byte
 * has arrived. One stream per protocol, since a connection speaks only one.
 */
class FrameReassemblyTest {

    private static final int MAX_LINE = 200;

    // ---- legacy 151-byte records

    @Property
    @StatisticsReport(onFailureOnly = true)
    void legacyRecordsSurviveAnyCutting(@ForAll("legacyStreams") Scenario<RawRecords.Raw> scenario) {
        List<RawRecords.Raw> records = scenario.messages();
        Chunks.Cutter cutter = scenario.cutter();
        Buffer buffer = scenario.buffer();
        byte[] stream = Chunks.concat(records.stream().map(RawRecords.Raw::bytes).toList());
        var connection = new EmbeddedConnection(MAX_LINE, buffer.direct(), buffer.capacity());

        List<Object> decoded = new ArrayList<>();
        int fed = 0;
        for (byte[] chunk : cutter.apply(stream)) {
            connection.write(chunk);
            decoded.addAll(connection.read());
            fed += chunk.length;
            assertEquals(fed / LegacyRecord.SIZE, decoded.size(), "records out after " + fed + " bytes");
        }

        assertEquals(records.stream().map(RawRecords.Raw::message).toList(), decoded);
        assertEquals(records.isEmpty() ? null : ProtocolSniffer.Kind.LEGACY, connection.kind());
        assertEquals(0, connection.buffered());

        // The generators must keep producing the hard cases, or this property proves little.
        cover("full name (49 bytes)", records.stream().anyMatch(r -> utf8(r.name()).length == 49));
        cover("full text (99 bytes)", records.stream().anyMatch(r -> utf8(r.text()).length == 99));
        cover("garbage after a NUL", records.stream().anyMatch(RawRecords.Raw::garbage));
        cover("empty name or text", records.stream().anyMatch(r -> r.name().isEmpty() || r.text().isEmpty()));
        cover("emoji", records.stream().anyMatch(r -> hasEmoji(r.name() + r.text())));
        cover("Chinese", records.stream().anyMatch(r -> hasChinese(r.name() + r.text())));
        cover("byte by byte", cutter.description().startsWith("single bytes"));
    }

    @Provide
    Arbitrary<Scenario<RawRecords.Raw>> legacyStreams() {
        return scenarios(RawRecords.records().list().ofMaxSize(12));
    }

    // ---- text lines

    /** A line and the ending it was sent with. */
    record Line(String text, String ending) {
        byte[] bytes() {
            return utf8(text + ending);
        }
    }

    @Property
    @StatisticsReport(onFailureOnly = true)
    void textLinesSurviveAnyCutting(@ForAll("textStreams") Scenario<Line> scenario) {
        List<Line> lines = scenario.messages();
        Chunks.Cutter cutter = scenario.cutter();
        Buffer buffer = scenario.buffer();
        byte[] stream = Chunks.concat(lines.stream().map(Line::bytes).toList());
        var connection = new EmbeddedConnection(MAX_LINE, buffer.direct(), buffer.capacity());

        List<Object> decoded = new ArrayList<>();
        int fed = 0;
        for (byte[] chunk : cutter.apply(stream)) {
            connection.write(chunk);
            decoded.addAll(connection.read());
            fed += chunk.length;
            assertEquals(newlines(stream, fed), decoded.size(), "lines delivered after " + fed + " bytes");
        }

        assertEquals(lines.stream().map(Line::text).toList(), decoded);
        assertEquals(lines.isEmpty() ? null : ProtocolSniffer.Kind.TEXT, connection.kind());
        assertEquals(0, connection.buffered());

        cover("line at the cap", lines.stream().anyMatch(l -> utf8(l.text()).length == MAX_LINE));
        cover("line at the cap, CRLF", lines.stream()
                .anyMatch(l -> utf8(l.text()).length == MAX_LINE && l.ending().equals("\r\n")));
        cover("empty line", lines.stream().anyMatch(l -> l.text().isEmpty()));
        cover("emoji", lines.stream().anyMatch(l -> hasEmoji(l.text())));
    }

    /**
     * A line over the cap, whether its newline has come or not, is an error, raised only after
     * every line before it has been delivered intact.
     */
    @Property
    void anOverlongLineFailsAfterTheLinesBeforeIt(@ForAll("overlongStreams") Scenario<Line> scenario) {
        List<Line> all = scenario.messages();
        List<Line> before = all.subList(0, all.size() - 1);
        Chunks.Cutter cutter = scenario.cutter();
        Buffer buffer = scenario.buffer();
        List<byte[]> parts = all.stream().map(Line::bytes).toList();
        byte[] stream = Chunks.concat(parts);
        var connection = new EmbeddedConnection(MAX_LINE, buffer.direct(), buffer.capacity());

        List<Object> decoded = new ArrayList<>();
        var chunks = cutter.apply(stream).iterator();
        assertThrows(LineDecoder.FrameTooLongException.class, () -> {
            while (chunks.hasNext()) {
                connection.write(chunks.next());
                decoded.addAll(connection.read());
            }
        });
        decoded.addAll(connection.read());
        assertEquals(before.stream().map(Line::text).toList(), decoded);
    }

    @Provide
    Arbitrary<Scenario<Line>> textStreams() {
        return scenarios(lines());
    }

    /** Good lines, then one over the cap: with "\n", "\r\n", or no ending yet (""). */
    @Provide
    Arbitrary<Scenario<Line>> overlongStreams() {
        Arbitrary<String> head = Utf8Gen.fitting(Utf8Gen.chatCodePointsExcept(0, '\n', '\r'), MAX_LINE);
        Arbitrary<String> tail = Utf8Gen.strings(Utf8Gen.chatCodePointsExcept(0, '\n', '\r'), 100);
        // Padded to the cap, then at least one more character: one byte over is the boundary case.
        Arbitrary<String> oneMore = Arbitraries.of("x", "中", "😀");
        Arbitrary<String> endings = Arbitraries.of("\n", "\r\n", "");
        Arbitrary<Line> tooLong = Combinators.combine(head, tail, oneMore, endings)
                .as((h, t, over, ending) -> new Line(Utf8Gen.padTo(h, MAX_LINE) + over + t, ending));
        return scenarios(Combinators.combine(lines(), tooLong).as((good, bad) -> {
            List<Line> all = new ArrayList<>(good);
            all.add(bad);
            return all;
        }));
    }

    private static Arbitrary<List<Line>> lines() {
        Arbitrary<String> texts = Utf8Gen.fitting(Utf8Gen.chatCodePointsExcept(0, '\n', '\r'), MAX_LINE);
        Arbitrary<String> endings = Arbitraries.of("\n", "\r\n");
        return Combinators.combine(texts, endings).as(Line::new).list().ofMaxSize(12);
    }

    // ---- shared

    /** The connection's buffer: heap or direct, and a first size that forces growing or not. */
    record Buffer(boolean direct, int capacity) {}

    /**
     * Messages, how the stream is cut, and the buffer, as one value. One parameter rather than
     * three because jqwik 1.9.3's shrinker moves elements between two list-valued parameters
     * even when their element types differ (records into the cut positions), which breaks shrinking.
     */
    record Scenario<M>(List<M> messages, Chunks.Cutter cutter, Buffer buffer) {}

    private static <M> Arbitrary<Scenario<M>> scenarios(Arbitrary<List<M>> messages) {
        Arbitrary<Buffer> buffers = Combinators.combine(
                Arbitraries.of(true, false), Arbitraries.of(1, 64, LegacyRecord.SIZE, 8192)).as(Buffer::new);
        return Combinators.combine(messages, Chunks.cutters(), buffers).as(Scenario::new);
    }

    /** Counts the case, and fails the property when fewer than 5% of its tries had it. */
    private static void cover(String label, boolean present) {
        Statistics.label(label).collect(present);
        Statistics.label(label).coverage(c -> c.check(true).percentage(p -> p >= 5));
    }

    private static int newlines(byte[] stream, int upTo) {
        int n = 0;
        for (int i = 0; i < upTo; i++) {
            if (stream[i] == '\n') {
                n++;
            }
        }
        return n;
    }

    private static boolean hasEmoji(String s) {
        return s.codePoints().anyMatch(cp -> cp >= 0x1F300 && cp <= 0x1FAFF);
    }

    private static boolean hasChinese(String s) {
        return s.codePoints().anyMatch(cp -> cp >= 0x4E00 && cp <= 0x9FFF);
    }
}
