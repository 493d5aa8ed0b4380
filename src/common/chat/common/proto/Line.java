package chat.common.proto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One line of the text protocol: an optional tag, then fields separated by {@code ':'}.
 *
 * <pre>
 *   line  = [ "#" tag ":" ] field *( ":" field )
 *   tag   = 1*32( ALPHA / DIGIT / "-" / "_" )
 * </pre>
 *
 * <p>Inside a field, four characters are written as percent escapes: {@code %} as {@code %25},
 * {@code :} as {@code %3A}, a newline as {@code %0A} and a carriage return as {@code %0D}; every
 * other character stands for itself. So the article's {@code LOGIN:alice:secret} is a valid line
 * as it is, and a message may hold any text. A {@code %} followed by anything else is kept as it
 * is, so that a person typing into {@code nc} is not punished for a stray percent sign.
 *
 * <p>A reply to a tagged request carries the same tag; pushes never carry one.
 */
public record Line(String tag, List<String> fields) {

    public static final int MAX_TAG_LENGTH = 32;

    public Line {
        if (tag != null && !validTag(tag)) {
            throw new IllegalArgumentException("bad tag: " + tag);
        }
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("a line has at least one field");
        }
        fields = List.copyOf(fields);
        if (tag == null && fields.size() > 1 && readsAsTag(fields.get(0))) {
            // "#t1" then more fields would be read back as tag t1: no escape can prevent it.
            throw new IllegalArgumentException("an untagged line's first field reads as a tag: " + fields.get(0));
        }
    }

    public static Line of(String tag, String... fields) {
        return new Line(tag, Arrays.asList(fields));
    }

    /** The first field: the command, or for a reply the command it answers. */
    public String command() {
        return fields.get(0);
    }

    public String field(int i) {
        return fields.get(i);
    }

    public int size() {
        return fields.size();
    }

    /** Parses a line (without its newline). A malformed tag is left as an ordinary field. */
    public static Line parse(String text) {
        List<String> raw = split(text);
        String tag = null;
        if (raw.size() > 1 && readsAsTag(raw.get(0))) {
            tag = raw.remove(0).substring(1);
        }
        List<String> fields = new ArrayList<>(raw.size());
        for (String f : raw) {
            fields.add(unescape(f));
        }
        return new Line(tag, fields);
    }

    /** The line's text without a newline. */
    public String format() {
        var sb = new StringBuilder();
        if (tag != null) {
            sb.append('#').append(tag).append(':');
        }
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                sb.append(':');
            }
            escape(fields.get(i), sb);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return format();
    }

    private static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == ':') {
                out.add(text.substring(start, i));
                start = i + 1;
            }
        }
        out.add(text.substring(start));
        return out;
    }

    private static boolean readsAsTag(String field) {
        return field.startsWith("#") && validTag(field.substring(1));
    }

    static boolean validTag(String tag) {
        if (tag.isEmpty() || tag.length() > MAX_TAG_LENGTH) {
            return false;
        }
        for (int i = 0; i < tag.length(); i++) {
            char c = tag.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static void escape(String field, StringBuilder out) {
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            switch (c) {
                case '%' -> out.append("%25");
                case ':' -> out.append("%3A");
                case '\n' -> out.append("%0A");
                case '\r' -> out.append("%0D");
                default -> out.append(c);
            }
        }
    }

    static String unescape(String field) {
        if (field.indexOf('%') < 0) {
            return field;
        }
        var sb = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '%' && i + 2 < field.length()) {
                String code = field.substring(i + 1, i + 3).toUpperCase(java.util.Locale.ROOT);
                char decoded = switch (code) {
                    case "25" -> '%';
                    case "3A" -> ':';
                    case "0A" -> '\n';
                    case "0D" -> '\r';
                    default -> 0;
                };
                if (decoded != 0) {
                    sb.append(decoded);
                    i += 2;
                    continue;
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
