package chat.common.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class LogSafeTest {

    @Test
    void lineBreakersAndHiddenCharactersBecomeEscapes() {
        assertEquals("alice\\n2026 SEVERE x", LogSafe.field("alice\n2026 SEVERE x"));
        assertEquals("a\\r\\tb", LogSafe.field("a\r\tb"));
        assertEquals("a\\u0085b\\u2028c\\u2029d\\u0000e\\u001Bf\\u202Eg", LogSafe.field("a\u0085b\u2028c\u2029d\u0000e\u001bf\u202eg"));
        assertEquals("back\\\\slash", LogSafe.field("back\\slash"), "a backslash the peer sent is doubled");
        assertEquals("null", LogSafe.field(null));
    }

    @Test
    void aWholeMessageKeepsTheEscapesOfItsFields() {
        String message = "#3 - failed login as " + LogSafe.field("bob\nx\\y");
        assertEquals("#3 - failed login as bob\\nx\\\\y", LogSafe.line(message));
        assertEquals("a\\nb\\u2028", LogSafe.line("a\nb\u2028"));
    }

    @Test
    void plainTextIsTheSameString() {
        String text = "小明 alice_1 🌏 100% (ok)";
        assertSame(text, LogSafe.field(text));
        assertSame(text, LogSafe.line(text));
    }

    /** Whatever a peer sends, the field holds no character that breaks or hides a line. */
    @Property(tries = 2000)
    void noLineBreakerSurvives(@ForAll String text) {
        String safe = LogSafe.field(text);
        assertTrue(safe.chars().allMatch(ch -> ch >= ' ' && ch != 0x7F && switch (Character.getType(ch)) {
            case Character.CONTROL, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.FORMAT -> false;
            default -> true;
        }), safe);
    }
}
