package chat.common.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import chat.common.text.Utf8Gen;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

class LineTest {

    // ---- round trip ----

    /**
     * Whatever the tag and the fields, the formatted line parses back to an equal Line, and it
     * holds no newline or carriage return (so that it is one line on the wire).
     */
    @Property(tries = 2000)
    @StatisticsReport(onFailureOnly = true)
    void formatThenParseGivesTheSameLine(@ForAll("lines") Line line) {
        String text = line.format();

        assertFalse(text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0, () -> "newline in " + text);
        assertEquals(line, Line.parse(text), () -> "via " + text);

        Statistics.label("tagged").collect(line.tag() != null);
        Statistics.label("tagged").coverage(c -> c.check(true).percentage(p -> p >= 20));
        Statistics.label("escapable character").collect(
                line.fields().stream().anyMatch(f -> f.matches("(?s).*[%:\\n\\r].*")));
        Statistics.label("escapable character").coverage(c -> c.check(true).percentage(p -> p >= 30));
        Statistics.label("empty field").collect(line.fields().contains(""));
        Statistics.label("empty field").coverage(c -> c.check(true).percentage(p -> p >= 10));
    }

    /** toString is the wire form, which is what a log of the traffic should show. */
    @Property(tries = 200)
    void toStringIsTheFormattedLine(@ForAll("lines") Line line) {
        assertEquals(line.format(), line.toString());
    }

    @Provide
    Arbitrary<Line> lines() {
        Arbitrary<String> tag = Arbitraries.oneOf(Arbitraries.just(null), validTags());
        Arbitrary<List<String>> fields = fields().list().ofMinSize(1).ofMaxSize(8);
        return Combinators.combine(tag, fields).as(LineTest::representable);
    }

    /**
     * An untagged line whose first field reads as a tag ({@code "#t1"}, then more fields) cannot
     * be written, so Line refuses it; the generator gives such a line a tag instead.
     */
    private static Line representable(String tag, List<String> fields) {
        boolean readsAsTag = fields.size() > 1 && fields.get(0).startsWith("#")
                && Line.validTag(fields.get(0).substring(1));
        return new Line(tag == null && readsAsTag ? "t" : tag, fields);
    }

    static Arbitrary<String> validTags() {
        var tagChars = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
                .withCharRange('0', '9').withChars('-', '_');
        return Arbitraries.oneOf(
                tagChars.ofMinLength(1).ofMaxLength(Line.MAX_TAG_LENGTH),
                tagChars.ofLength(Line.MAX_TAG_LENGTH),
                Arbitraries.of("1", "-", "_", "t1", "abc-DEF_123"));
    }

    /**
     * Fields as people and programs write them: chat text (Chinese, emoji, ':'), the four escaped
     * characters in bulk, text that looks like an escape already ({@code %3A}, {@code %3a},
     * {@code %zz}, a trailing {@code %}), a field that looks like a tag, and the empty field.
     */
    static Arbitrary<String> fields() {
        Arbitrary<Integer> special = Arbitraries.of((int) '%', (int) ':', (int) '\n', (int) '\r', (int) '#');
        Arbitrary<String> pieces = Arbitraries.oneOf(
                Utf8Gen.chatCodePoints().map(Character::toString),
                special.map(Character::toString),
                Arbitraries.of("%25", "%3A", "%3a", "%0A", "%0a", "%0D", "%0d", "%", "%4", "%zz", "%%", "%253A",
                        "100%", "小红", "😀", "\r\n", "#t1", "::"));
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just("")),
                Tuple.of(1, validTags().map(t -> "#" + t)),
                Tuple.of(8, pieces.list().ofMaxSize(12).map(p -> String.join("", p))),
                Tuple.of(1, Utf8Gen.strings(Utf8Gen.chatCodePoints(), 200)));
    }

    // ---- the article's plain lines ----

    @Example
    void plainLinesAreTheirFields() {
        assertEquals(Line.of(null, "LOGIN", "alice", "secret"), Line.parse("LOGIN:alice:secret"));
        assertEquals(Line.of(null, "PING"), Line.parse("PING"));
        assertEquals(Line.of(null, "FRIEND", "bob", "", "1"), Line.parse("FRIEND:bob::1"));
        assertEquals(Line.of(null, "FRIEND", "小红", "red", "0"), Line.parse("FRIEND:小红:red:0"));
        assertEquals(Line.of(null, "A", "", ""), Line.parse("A::"));
        assertEquals(Line.of(null, "", "x"), Line.parse(":x"));
        assertEquals(Line.of(null, ""), Line.parse(""));
        assertEquals("LOGIN:alice:secret", Line.of(null, "LOGIN", "alice", "secret").format());
    }

    @Example
    void accessorsReadTheFields() {
        Line line = Line.parse("#7:LOGIN:alice:secret");
        assertEquals("7", line.tag());
        assertEquals("LOGIN", line.command());
        assertEquals(3, line.size());
        assertEquals("alice", line.field(1));
        assertEquals(List.of("LOGIN", "alice", "secret"), line.fields());
    }

    // ---- escapes ----

    @Example
    void theFourEscapesDecodeInEitherCase() {
        assertEquals(Line.of(null, "MSG", "a:b", "50%", "x\ny\rz"), Line.parse("MSG:a%3Ab:50%25:x%0Ay%0Dz"));
        assertEquals(Line.of(null, "MSG", "a:b", "50%", "x\ny\rz"), Line.parse("MSG:a%3ab:50%25:x%0ay%0dz"));
    }

    @Example
    void escapingWritesTheFourCharactersAndNothingElse() {
        assertEquals("MSG:a%3Ab:50%25:x%0Ay%0Dz:小红😀#", Line.of(null, "MSG", "a:b", "50%", "x\ny\rz", "小红😀#").format());
    }

    @Example
    void aStrayPercentIsKeptLiterally() {
        assertEquals(List.of("MSG", "100%"), Line.parse("MSG:100%").fields());
        assertEquals(List.of("MSG", "%zz"), Line.parse("MSG:%zz").fields());
        assertEquals(List.of("MSG", "%"), Line.parse("MSG:%").fields());
        assertEquals(List.of("MSG", "%4"), Line.parse("MSG:%4").fields());
        assertEquals(List.of("MSG", "a%4"), Line.parse("MSG:a%4").fields());
        assertEquals(List.of("MSG", "%41"), Line.parse("MSG:%41").fields());
        assertEquals(List.of("MSG", "%%"), Line.parse("MSG:%%").fields());
        assertEquals(List.of("MSG", "%:"), Line.parse("MSG:%%3A").fields());
        assertEquals(List.of("MSG", "% 3A"), Line.parse("MSG:% 3A").fields());
        assertEquals(List.of("MSG", "%3", ""), Line.parse("MSG:%3:").fields());
    }

    /** An escape is decoded once: {@code %253A} is the text {@code %3A}, not a colon. */
    @Example
    void escapesDecodeOnce() {
        assertEquals(List.of("MSG", "%3A"), Line.parse("MSG:%253A").fields());
        assertEquals("MSG:%253A", Line.of(null, "MSG", "%3A").format());
    }

    // ---- tags ----

    @Example
    void aTagComesBeforeTheCommand() {
        Line line = Line.parse("#t1:PING");
        assertEquals("t1", line.tag());
        assertEquals("PING", line.command());
        assertEquals(List.of("PING"), line.fields());

        String longest = "A".repeat(Line.MAX_TAG_LENGTH);
        assertEquals(longest, Line.parse("#" + longest + ":PING").tag());
        assertEquals("a-Z_9", Line.parse("#a-Z_9:LOGIN:alice:secret").tag());
        assertEquals("#t1:PONG", Line.of("t1", "PONG").format());
    }

    /** Only the first {@code #tag} is a tag; a second one is a field. */
    @Example
    void onlyTheFirstTagIsATag() {
        Line line = Line.parse("#t1:#t2:PING");
        assertEquals("t1", line.tag());
        assertEquals(List.of("#t2", "PING"), line.fields());
    }

    @Example
    void anInvalidTagIsAnOrdinaryFirstField() {
        assertEquals(Line.of(null, "#bad tag", "PING"), Line.parse("#bad tag:PING"));
        assertEquals(Line.of(null, "#", "PING"), Line.parse("#:PING"));
        String tooLong = "A".repeat(Line.MAX_TAG_LENGTH + 1);
        assertEquals(Line.of(null, "#" + tooLong, "PING"), Line.parse("#" + tooLong + ":PING"));
        assertEquals(Line.of(null, "#t.1", "PING"), Line.parse("#t.1:PING"));
        assertEquals(Line.of(null, "#小红", "PING"), Line.parse("#小红:PING"));
        assertEquals(Line.of(null, "#t:1", "PING"), Line.parse("#t%3A1:PING"));
        assertEquals(Line.of(null, "##t1", "PING"), Line.parse("##t1:PING"));
    }

    /** A tag needs a command after it: a line that is only {@code #t1} is one field. */
    @Example
    void aTagAloneIsNoTag() {
        Line line = Line.parse("#t1");
        assertNull(line.tag());
        assertEquals(List.of("#t1"), line.fields());
        assertEquals(line, Line.parse(line.format()));
    }

    /** {@code #t1:} is a tag and an empty command (which Request then calls unknown). */
    @Example
    void aTagWithAnEmptyCommand() {
        assertEquals(Line.of("t1", ""), Line.parse("#t1:"));
    }

    @Example
    void aLineRefusesWhatItCannotWrite() {
        assertThrows(IllegalArgumentException.class, () -> Line.of("bad tag", "PING"));
        assertThrows(IllegalArgumentException.class, () -> Line.of("", "PING"));
        assertThrows(IllegalArgumentException.class, () -> Line.of("A".repeat(Line.MAX_TAG_LENGTH + 1), "PING"));
        assertThrows(IllegalArgumentException.class, () -> new Line(null, List.of()));
        // Untagged, "#t1" first and more fields would read back as tag t1.
        assertThrows(IllegalArgumentException.class, () -> Line.of(null, "#t1", "PING"));
    }

    /** What Line refuses untagged it accepts tagged, and with no further field. */
    @Example
    void aFieldThatLooksLikeATagIsFineWhereItCannotBeMistaken() {
        for (Line line : List.of(Line.of("t0", "#t1", "PING"), Line.of(null, "#t1"), Line.of(null, "PING", "#t1"),
                Line.of(null, "#bad tag", "PING"))) {
            assertEquals(line, Line.parse(line.format()), line::format);
        }
    }

    @Example
    void fieldsAreACopy() {
        var fields = new java.util.ArrayList<>(List.of("PING"));
        Line line = new Line(null, fields);
        fields.add("more");
        assertEquals(List.of("PING"), line.fields());
        assertThrows(UnsupportedOperationException.class, () -> line.fields().add("x"));
    }
}
