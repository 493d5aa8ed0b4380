package chat.common.proto;

import static chat.common.proto.ErrorCode.BAD_REQUEST;

import java.util.List;

/**
 * The fields of a received line after its name, read by position. Every parser in this package
 * reads through it, so that they all follow the one forward-compatibility rule: at least the
 * required fields must be there, missing optional ones take their default, and fields past the
 * ones this version knows are ignored. A field that is there but malformed (a bad number, an
 * unknown flag) is {@code bad-request}, whatever sent the line.
 */
final class Fields {

    private final String name;
    private final List<String> fields;

    private Fields(String name, List<String> fields) {
        this.name = name;
        this.fields = fields;
    }

    /**
     * The fields of {@code line} after its first {@code skip}, of which the first {@code required}
     * must be there; {@code shape} names them all for the error message ({@code "LOGIN:name:password[:device]"}).
     */
    static Fields of(Line line, int skip, int required, String shape) {
        List<String> rest = line.fields().subList(Math.min(skip, line.size()), line.size());
        if (rest.size() < required) {
            throw new ProtocolException(BAD_REQUEST, line.command() + " takes at least " + required + " field"
                    + (required == 1 ? "" : "s") + " (" + shape + "), not " + rest.size());
        }
        return new Fields(line.command(), rest);
    }

    int size() {
        return fields.size();
    }

    String text(int i) {
        return fields.get(i);
    }

    /**
     * Field {@code i} and every field after it, joined by {@code ':'}: the free text that ends a
     * line (a message). A person typing {@code MSG:bob:m1:see: this} into nc does not escape the
     * colon, and dropping what follows it as an unknown trailing field would lose their words.
     */
    String rest(int i) {
        return String.join(":", fields.subList(i, fields.size()));
    }

    /** An optional field: {@code absent} when the line ends before it. */
    String text(int i, String absent) {
        return i < fields.size() ? fields.get(i) : absent;
    }

    long number(int i, String what) {
        return number(fields.get(i), what);
    }

    /** An optional number: {@code absent} when the line ends before it. */
    long number(int i, String what, long absent) {
        return i < fields.size() ? number(fields.get(i), what) : absent;
    }

    /** A count or size that fits an int. */
    int count(int i, String what) {
        long n = number(i, what);
        if (n > Integer.MAX_VALUE) {
            throw new ProtocolException(BAD_REQUEST, name + ": " + what + " is too large: " + n);
        }
        return (int) n;
    }

    /** {@code 1} or {@code 0}. */
    boolean bit(int i, String what) {
        return switch (fields.get(i)) {
            case "1" -> true;
            case "0" -> false;
            default -> throw new ProtocolException(BAD_REQUEST, name + ": " + what + " is 1 or 0, not " + fields.get(i));
        };
    }

    /** One of two words, {@code yes} read as true ({@code open}/{@code closed}, {@code in}/{@code out}). */
    boolean word(int i, String yes, String no, String what) {
        String f = fields.get(i);
        if (f.equals(yes)) {
            return true;
        }
        if (f.equals(no)) {
            return false;
        }
        throw new ProtocolException(BAD_REQUEST, name + ": " + what + " is " + yes + " or " + no + ", not " + f);
    }

    /** A whole number of ASCII digits, as every id, time and count on the wire is. */
    static long number(String s, String what) {
        try {
            // ASCII digits only: Long.parseLong also takes a sign and other scripts' digits ("١٢", "１２").
            if (!s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Long.parseLong(s);
            }
        } catch (NumberFormatException e) {
            // too large: the error below says it
        }
        throw new ProtocolException(BAD_REQUEST, what + " must be a whole number, not " + s);
    }

    /**
     * {@code line} without its tag, for keeping a line whose tag says nothing about it. A line
     * whose first field would read as a tag once untagged ({@code #a:#b:X}) keeps it.
     */
    static Line untagged(Line line) {
        String first = line.command();
        boolean firstReadsAsTag = line.size() > 1 && first.startsWith("#") && Line.validTag(first.substring(1));
        return line.tag() == null || firstReadsAsTag ? line : new Line(null, line.fields());
    }

    /** A flag as written: {@code 1} or {@code 0}. */
    static String bit(boolean b) {
        return b ? "1" : "0";
    }
}
