package chat.common.text;

/**
 * Text a peer chose, made safe to put in a log line. A log is read one line per event, so a field
 * that could break a line (a LOGIN name {@code alice\n2026-11-26 ... SEVERE ... admin password
 * reset}) could forge an event. Every character that ends or hides a line is written as an escape
 * instead: C0 and C1 controls (CR, LF, NUL, ESC, NEL U+0085), the line and paragraph separators
 * U+2028 and U+2029 (some viewers break lines there), and format characters (a bidi override
 * U+202E makes what follows read backwards). Everything else, Chinese and emoji included, stays.
 */
public final class LogSafe {

    private LogSafe() {}

    /**
     * {@code text} as one log field: the characters above as {@code \n}, {@code \r}, {@code \t}
     * or {@code \}{@code uXXXX}, and the backslash itself doubled, so that an escape in the log
     * always means the peer sent that character (null reads {@code null}).
     */
    public static String field(String text) {
        return escape(text, true);
    }

    /**
     * A whole log message, its fields escaped already or not: line breakers escaped as in
     * {@link #field}, backslashes left as they are (they may be a field's escapes). The log's last
     * line of defence, for a field a log call did not escape (an exception's message).
     */
    public static String line(String text) {
        return escape(text, false);
    }

    private static String escape(String text, boolean backslash) {
        if (text == null) {
            return "null";
        }
        int i = 0;
        while (i < text.length() && !escaped(text.charAt(i), backslash)) {
            i++;
        }
        if (i == text.length()) {
            return text; // the usual case: nothing to escape, nothing allocated
        }
        var out = new StringBuilder(text.length() + 16).append(text, 0, i);
        for (; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (!escaped(ch, backslash)) {
                out.append(ch);
            } else if (ch == '\\') {
                out.append("\\\\");
            } else if (ch == '\n') {
                out.append("\\n");
            } else if (ch == '\r') {
                out.append("\\r");
            } else if (ch == '\t') {
                out.append("\\t");
            } else {
                out.append(String.format("\\u%04X", (int) ch));
            }
        }
        return out.toString();
    }

    private static boolean escaped(char ch, boolean backslash) {
        if (ch == '\\') {
            return backslash;
        }
        if (ch >= ' ' && ch < 0x7F) {
            return false; // printable ASCII: the fast path
        }
        return switch (Character.getType(ch)) {
            case Character.CONTROL, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.FORMAT -> true;
            default -> false;
        };
    }
}
