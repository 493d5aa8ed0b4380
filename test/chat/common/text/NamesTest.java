package chat.common.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class NamesTest {

    @Example
    void validNames() {
        for (String name : List.of("alice", "Alice", "a", "bob42", "42", "小红", "Алиса", "émile", "ａｌｉｃｅ",
                "a_b", "a-b", "a.b", "_", "-", ".", "...", "x".repeat(32), "小".repeat(16),
                "小红_alice-2.0", "ا" + "ب".repeat(23))) {
            assertNull(Names.problem(name), name);
        }
    }

    @Example
    void limits() {
        assertEquals(32, Names.MAX_CHARS);
        assertEquals(48, Names.MAX_BYTES);
        assertNull(Names.problem("x".repeat(32)));
        assertNotNull(Names.problem("x".repeat(33)));
        assertTrue(Names.problem("x".repeat(33)).contains("32"), Names.problem("x".repeat(33)));

        // 16 Chinese characters are 48 bytes: the most; 17 are 51 bytes, though only 17 characters.
        assertNull(Names.problem("小".repeat(16)));
        String seventeen = "小".repeat(17);
        assertNotNull(Names.problem(seventeen));
        assertTrue(Names.problem(seventeen).contains("bytes"), Names.problem(seventeen));

        // 47 bytes of ASCII-and-Chinese, then one more ASCII byte: 48 is fine, 49 is not.
        String mixed = "小".repeat(15) + "ab";
        assertNull(Names.problem(mixed + "c".repeat(1)));
        assertNotNull(Names.problem(mixed + "cd"));

        // Letters beyond the BMP count as one character each (4 bytes): 12 fit, 13 do not.
        String deseret = new String(Character.toChars(0x10400));
        assertNull(Names.problem(deseret.repeat(12)));
        assertNotNull(Names.problem(deseret.repeat(13)));
    }

    @Example
    void invalidNames() {
        for (String name : List.of("", " ", "a b", " alice", "alice ", "a:b", ":", "a\tb", "a\nb", "a\rb",
                "a\u0000b", "a\u007Fb", "a\u0085b", "😀", "alice😀", "a/b", "a\\b", "a%b", "a#b", "a@b", "a'b",
                "a\"b", "a,b", "a+b", "\u00A0", "a\u200Bb", "a\u3000b")) {
            String problem = Names.problem(name);
            assertNotNull(problem, () -> "accepted " + escape(name));
            assertTrue(!problem.isBlank(), name);
        }
        assertNotNull(Names.problem(null));
    }

    /** Issue 13: letters of another script mixed into a name, and the invisible Hangul filler. */
    @Example
    void lookAlikesAreRefused() {
        for (String name : List.of("\u0430lice", "b\u03BFb", "alice\u3164", "\u3164", "\u3164\u3164", "a\uFFA0",
                "\u1160x", "pay\u0440al", "Алиса_bob", "小红Алиса", "λx")) {
            String problem = Names.problem(name);
            assertNotNull(problem, () -> "accepted " + escape(name));
        }
        assertTrue(Names.problem("\u0430lice").contains("Cyrillic"), Names.problem("\u0430lice"));
        assertTrue(Names.problem("alice\u3164").contains("filler"), Names.problem("alice\u3164"));
    }

    /** One script, or Latin with Han (and Japanese or Korean): UTS #39's "highly restrictive". */
    @Example
    void oneScriptOrLatinWithHanIsAName() {
        for (String name : List.of("张三", "陈明", "bob_2", "李Lee", "Amy陈", "Алиса", "Αλέξανδρος", "たなか太郎",
                "Lee田中さん", "김민준", "金민준", "ㄅㄆ王", "2024", "_.-", "ｂｏｂ")) {
            assertNull(Names.problem(name), name);
        }
    }

    /** A name whose NFKC form is longer than the column was an internal error (issue 13). */
    @Example
    void theStandardFormMustFitToo() {
        String problem = Names.problem("\uFDFA".repeat(4));
        assertNotNull(problem);
        assertTrue(problem.contains("NFKC"), problem);
        assertNull(Names.problem("\uFB01le")); // ﬁle: its NFKC form "file" is a name
        assertNotNull(Names.problem("\u3392".repeat(11))); // ㎒ is MHz: 33 characters once normalised
    }

    @Example
    void lookAlikesShareASkeleton() {
        String alice = Names.skeleton("alice");
        assertEquals("allce", alice);
        for (String same : List.of("Alice", "ALICE", "AIice", "a1ice", "\u0430\u04CFi\u0441\u0435", "ａｌｉｃｅ")) {
            assertEquals(alice, Names.skeleton(same), same);
        }
        assertEquals(Names.skeleton("modern"), Names.skeleton("rnodern"));
        assertEquals(Names.skeleton("bob"), Names.skeleton("b0b"));
        assertNotEquals(Names.skeleton("bob_1"), Names.skeleton("bob1"));
        assertNotEquals(Names.skeleton("张三"), Names.skeleton("张四"));
        assertEquals("张三", Names.skeleton("张三"));
    }

    @Property(tries = 300)
    void theSkeletonIsNoLongerThanTheKey(@ForAll("names") String name) {
        String skeleton = Names.skeleton(name);
        assertTrue(skeleton.length() <= Names.key(name).length(), name);
        assertEquals(skeleton, Names.skeleton(Names.key(name)), name);
    }

    /** {@code ~bob} is how the lobby shows a legacy client: no account or group may be called so. */
    @Example
    void noNameStartsWithTheLegacyMark() {
        assertEquals('~', Names.LEGACY_MARK);
        for (String name : List.of("~", "~bob", "～bob", "~~x")) {
            String problem = Names.problem(name);
            assertNotNull(problem, name);
            assertTrue(problem.contains("cannot start with '~'"), problem);
        }
        assertNotNull(Names.problem("bob~"));
    }

    @Example
    void theProblemNamesTheCharacter() {
        assertTrue(Names.problem("a:b").contains("':'"), Names.problem("a:b"));
        assertTrue(Names.problem("hi😀").contains("😀"), Names.problem("hi😀"));
        assertTrue(Names.problem("").contains("empty"), Names.problem(""));
    }

    /** Whatever holds a control character, a space or an emoji is not a name, wherever it sits. */
    @Property(tries = 500)
    void aForbiddenCharacterAnywhereSpoilsTheName(@ForAll("names") String name,
            @ForAll("forbidden") String bad, @ForAll int where) {
        int at = Math.floorMod(where, name.length() + 1);
        String spoiled = name.substring(0, at) + bad + name.substring(at);
        assertNotNull(Names.problem(spoiled), () -> escape(spoiled));
    }

    @Property(tries = 500)
    void generatedNamesAreValid(@ForAll("names") String name) {
        assertNull(Names.problem(name), name);
    }

    @Provide
    Arbitrary<String> names() {
        Arbitrary<Character> chars = Arbitraries.oneOf(
                Arbitraries.chars().range('a', 'z').range('A', 'Z').range('0', '9').with('_', '-', '.'),
                Arbitraries.chars().range('\u4E00', '\u9FA5'));
        return chars.list().ofMinSize(1).ofMaxSize(32)
                .map(cs -> cs.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining()))
                .filter(s -> Utf8Gen.utf8(s).length <= Names.MAX_BYTES);
    }

    @Provide
    Arbitrary<String> forbidden() {
        return Arbitraries.oneOf(
                Arbitraries.chars().range('\u0000', '\u001F').map(String::valueOf),
                Arbitraries.of(" ", ":", "\u007F", "\u00A0", "\u3000", "%", "#", "/"),
                Arbitraries.integers().between(0x1F300, 0x1F5FF).map(Character::toString),
                Arbitraries.integers().between(0x1F600, 0x1F64F).map(Character::toString));
    }

    // ---- keys ----

    @Example
    void spellingsOfOneNameShareAKey() {
        String key = Names.key("alice");
        assertEquals(key, Names.key("Alice"));
        assertEquals(key, Names.key("ALICE"));
        assertEquals(key, Names.key("ａｌｉｃｅ")); // full-width
        assertEquals(key, Names.key("ＡＬＩＣＥ"));
        assertEquals("alice", key);
        assertEquals(Names.key("小红"), Names.key("小红"));
        assertEquals(Names.key("émile"), Names.key("E\u0301mile")); // composed and decomposed
        assertEquals(Names.key("file"), Names.key("\uFB01le")); // the ligature ﬁ
    }

    @Example
    void differentNamesHaveDifferentKeys() {
        assertNotEquals(Names.key("alice"), Names.key("alice2"));
        assertNotEquals(Names.key("alice"), Names.key("alíce"));
        assertNotEquals(Names.key("小红"), Names.key("小明"));
        assertNotEquals(Names.key("a.b"), Names.key("a_b"));
    }

    /** The key does not depend on the default locale (Turkish would map 'I' to a dotless 'ı'). */
    @Example
    void theKeyIgnoresTheDefaultLocale() {
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr"));
            assertEquals("alice", Names.key("ALICE"));
        } finally {
            java.util.Locale.setDefault(before);
        }
    }

    @Property(tries = 500)
    void keysIgnoreCase(@ForAll("names") String name) {
        assertEquals(Names.key(name), Names.key(name.toUpperCase(java.util.Locale.ROOT)));
        assertEquals(Names.key(name), Names.key(name.toLowerCase(java.util.Locale.ROOT)));
        assertEquals(Names.key(name), Names.key(Names.key(name)));
    }

    private static String escape(String s) {
        var sb = new StringBuilder();
        s.codePoints().forEach(cp -> sb.append(cp < 0x20 || cp > 0x7E ? String.format("\\u%04X", cp)
                : Character.toString(cp)));
        return sb.toString();
    }
}
