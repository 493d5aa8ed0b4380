package chat.common.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Redis's protocol, RESP2: what a client sends (a command, an array of bulk strings) and what it
 * reads back (any of the five types, arrays nested).
 *
 * <p>The {@link Decoder} is incremental, like {@link LineDecoder}: it is fed whatever bytes have
 * arrived, cut anywhere, and returns each value once its last byte is in. It takes a bulk
 * string's body as it comes (into the value's own array), so a reply far larger than the
 * reactor's reassembly buffer passes through it; what it leaves unconsumed is at most one partial
 * header line. Its bounds ({@link Decoder#Decoder(int, int, int, int)}) make a broken or hostile
 * peer a {@link ProtocolException}, never a huge allocation or a stack overflow.
 */
public final class Resp {

    /** Largest bulk string taken by default: Redis's own {@code proto-max-bulk-len} is 512 MB. */
    public static final int DEFAULT_MAX_BULK = 64 << 20;
    /** Most elements in one array by default (an HGETALL of a big hash is twice its fields). */
    public static final int DEFAULT_MAX_ARRAY = 1 << 24;
    /** Deepest nesting by default; Redis's replies nest two or three deep. */
    public static final int DEFAULT_MAX_DEPTH = 32;
    /** Longest header, simple string or error line by default. */
    public static final int DEFAULT_MAX_LINE = 64 << 10;

    private static final byte[] CRLF = {'\r', '\n'};
    /** Digits in the longest long, with its sign. */
    private static final int MAX_DIGITS = 20;

    private Resp() {}

    // ------------------------------------------------------------------ values

    /** A RESP2 value, as Redis sends it. */
    public sealed interface Value permits Simple, Err, Int, Bulk, Array {}

    /** {@code +OK}: a status line. */
    public record Simple(String text) implements Value {
        public Simple {
            checkLine(text);
        }
    }

    /** {@code -ERR ...}: Redis's error reply, which is an answer like any other, not a failure of the link. */
    public record Err(String message) implements Value {
        public Err {
            checkLine(message);
        }

        /** The first word, Redis's error kind: {@code ERR}, {@code WRONGTYPE}, {@code NOSCRIPT}... */
        public String kind() {
            int space = message.indexOf(' ');
            return space < 0 ? message : message.substring(0, space);
        }
    }

    /** {@code :42}. */
    public record Int(long value) implements Value {}

    /** {@code $3\r\nfoo}: bytes, or {@code null} for Redis's nil ({@code $-1}). */
    public record Bulk(byte[] bytes) implements Value {
        public static final Bulk NIL = new Bulk(null);

        public static Bulk of(String utf8) {
            return new Bulk(utf8.getBytes(StandardCharsets.UTF_8));
        }

        public boolean isNil() {
            return bytes == null;
        }

        /** The bytes as UTF-8 text; {@code null} for nil. */
        public String text() {
            return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bulk b && Arrays.equals(bytes, b.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return bytes == null ? "Bulk[nil]" : "Bulk[" + printable(bytes) + "]";
        }
    }

    /** {@code *2\r\n...}: values, or {@code null} for a nil array ({@code *-1}). Unmodifiable. */
    public record Array(List<Value> items) implements Value {
        public static final Array NIL = new Array(null);

        public Array {
            items = items == null ? null : Collections.unmodifiableList(new ArrayList<>(items));
        }

        public static Array of(Value... items) {
            return new Array(List.of(items));
        }

        public boolean isNil() {
            return items == null;
        }
    }

    private static void checkLine(String s) {
        if (s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a RESP line may not hold CR or LF: " + printable(utf8(s)));
        }
    }

    // ------------------------------------------------------------------ encoding

    /** Bytes {@link #writeCommand} takes for {@code args}. */
    public static int commandLength(byte[]... args) {
        int n = 1 + digits(args.length) + 2;
        for (byte[] a : args) {
            n += 1 + digits(a.length) + 2 + a.length + 2;
        }
        return n;
    }

    /**
     * Writes {@code args} as a command, an array of bulk strings, into {@code out}, which must have
     * {@link #commandLength} bytes of room. Allocates nothing.
     */
    public static void writeCommand(ByteBuffer out, byte[]... args) {
        header(out, '*', args.length);
        for (byte[] a : args) {
            header(out, '$', a.length);
            out.put(a);
            out.put(CRLF);
        }
    }

    /** {@code args} as a command, in an array of exactly its length. */
    public static byte[] command(byte[]... args) {
        var out = ByteBuffer.allocate(commandLength(args));
        writeCommand(out, args);
        return out.array();
    }

    /** UTF-8 {@code args} as a command. */
    public static byte[] command(String... args) {
        return command(utf8All(args));
    }

    /** Each argument's UTF-8 bytes. */
    public static byte[][] utf8All(String... args) {
        byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            bytes[i] = utf8(args[i]);
        }
        return bytes;
    }

    /** Bytes {@link #write} takes for {@code v}. */
    public static int length(Value v) {
        if (v instanceof Simple s) {
            return 1 + utf8(s.text()).length + 2;
        } else if (v instanceof Err e) {
            return 1 + utf8(e.message()).length + 2;
        } else if (v instanceof Int i) {
            return 1 + digits(i.value()) + 2;
        } else if (v instanceof Bulk b) {
            return b.isNil() ? 5 : 1 + digits(b.bytes().length) + 2 + b.bytes().length + 2;
        }
        Array a = (Array) v;
        if (a.isNil()) {
            return 5;
        }
        int n = 1 + digits(a.items().size()) + 2;
        for (Value item : a.items()) {
            n += length(item);
        }
        return n;
    }

    /** Writes any value, as Redis would send it (a test's fake Redis, a property test). */
    public static void write(ByteBuffer out, Value v) {
        if (v instanceof Simple s) {
            line(out, '+', s.text());
        } else if (v instanceof Err e) {
            line(out, '-', e.message());
        } else if (v instanceof Int i) {
            header(out, ':', i.value());
        } else if (v instanceof Bulk b) {
            if (b.isNil()) {
                header(out, '$', -1);
            } else {
                header(out, '$', b.bytes().length);
                out.put(b.bytes());
                out.put(CRLF);
            }
        } else {
            Array a = (Array) v;
            if (a.isNil()) {
                header(out, '*', -1);
            } else {
                header(out, '*', a.items().size());
                for (Value item : a.items()) {
                    write(out, item);
                }
            }
        }
    }

    /** {@code v} encoded, in an array of exactly its length. */
    public static byte[] encode(Value v) {
        var out = ByteBuffer.allocate(length(v));
        write(out, v);
        return out.array();
    }

    private static void line(ByteBuffer out, char type, String text) {
        out.put((byte) type);
        out.put(utf8(text));
        out.put(CRLF);
    }

    /** {@code type}, {@code n} in decimal, CRLF, without making a String. */
    private static void header(ByteBuffer out, char type, long n) {
        out.put((byte) type);
        if (n < 0) {
            out.put((byte) '-');
        }
        int len = digits(n) - (n < 0 ? 1 : 0);
        int at = out.position() + len;
        out.position(at);
        long rest = n;
        for (int i = 1; i <= len; i++) {
            out.put(at - i, (byte) ('0' + Math.abs(rest % 10)));
            rest /= 10;
        }
        out.put(CRLF);
    }

    /** Characters of {@code n} in decimal, its minus sign included. */
    static int digits(long n) {
        int d = n < 0 ? 2 : 1;
        for (long rest = n / 10; rest != 0; rest /= 10) {
            d++;
        }
        return d;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Bytes for a log line or a failure: printable ASCII as is, the rest as \xNN, at most 80 of them. */
    static String printable(byte[] bytes) {
        var sb = new StringBuilder();
        int n = Math.min(bytes.length, 80);
        for (int i = 0; i < n; i++) {
            int b = bytes[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '\\') {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02x", b));
            }
        }
        if (bytes.length > n) {
            sb.append("...(").append(bytes.length).append(" bytes)");
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ decoding

    /** What the peer sent is not RESP, or breaks a bound: the link that carried it is done. */
    public static final class ProtocolException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ProtocolException(String message) {
            super(message);
        }
    }

    /**
     * Takes RESP2 values out of a byte stream cut anywhere. One per connection; after a
     * {@link ProtocolException} its state is meaningless, and the connection is to be closed
     * (a new connection gets a new decoder, or this one after {@link #reset}).
     */
    public static final class Decoder {

        /** {@link #line} opened an array: go on with its elements. */
        private static final Object OPENED = new Object();

        private final int maxBulk;
        private final int maxArray;
        private final int maxDepth;
        private final int maxLine;

        /** Arrays begun and not complete, innermost last; {@code depth} of them are in use. */
        private final ArrayList<List<Value>> open = new ArrayList<>();
        private int[] wanted;
        private int depth;
        /** The body of the bulk string being read, or null. */
        private byte[] bulk;
        private int bulkFilled;
        /** Bytes after the input's position already known to hold no LF. */
        private int scanned;

        public Decoder() {
            this(DEFAULT_MAX_BULK, DEFAULT_MAX_ARRAY, DEFAULT_MAX_DEPTH, DEFAULT_MAX_LINE);
        }

        /**
         * @param maxBulk  longest bulk string taken
         * @param maxArray most elements in one array
         * @param maxDepth deepest nesting of arrays (1: arrays, but none inside another)
         * @param maxLine  longest header, status or error line, without its CRLF
         */
        public Decoder(int maxBulk, int maxArray, int maxDepth, int maxLine) {
            if (maxBulk < 0 || maxArray < 0 || maxDepth <= 0 || maxLine < MAX_DIGITS + 1) {
                throw new IllegalArgumentException("need maxBulk >= 0, maxArray >= 0, maxDepth > 0, maxLine > "
                        + MAX_DIGITS + "; got " + maxBulk + ", " + maxArray + ", " + maxDepth + ", " + maxLine);
            }
            this.maxBulk = maxBulk;
            this.maxArray = maxArray;
            this.maxDepth = maxDepth;
            this.maxLine = maxLine;
            this.wanted = new int[Math.min(maxDepth, 8)];
        }

        /** Forgets any partial value, for a new connection. */
        public void reset() {
            open.clear();
            depth = 0;
            bulk = null;
            bulkFilled = 0;
            scanned = 0;
        }

        /** Whether part of a value has been taken and its rest is awaited. */
        public boolean isMidValue() {
            return depth > 0 || bulk != null || scanned > 0;
        }

        /**
         * The next whole value, or {@code null} when {@code in} holds no more of one. Consumes
         * what it has taken (the parts of a value not yet complete too, kept here), and leaves
         * at most a partial header line in {@code in}.
         *
         * @throws ProtocolException on bytes that are not RESP or that break a bound
         */
        public Value next(ByteBuffer in) {
            while (true) {
                Object got = bulk != null ? bulkBody(in) : line(in);
                if (got == null) {
                    return null;
                }
                if (got == OPENED) {
                    continue;
                }
                Value v = (Value) got;
                // A whole value: the answer, or one more element of the innermost open array.
                while (true) {
                    if (depth == 0) {
                        return v;
                    }
                    List<Value> items = open.get(depth - 1);
                    items.add(v);
                    if (items.size() < wanted[depth - 1]) {
                        break;
                    }
                    depth--;
                    v = new Array(items);
                }
            }
        }

        /** The rest of a bulk body and its CRLF; null until all of it is in. */
        private Value bulkBody(ByteBuffer in) {
            int take = Math.min(bulk.length - bulkFilled, in.remaining());
            in.get(bulk, bulkFilled, take);
            bulkFilled += take;
            if (bulkFilled < bulk.length || in.remaining() < 2) {
                return null;
            }
            int p = in.position();
            if (in.get(p) != '\r' || in.get(p + 1) != '\n') {
                throw new ProtocolException("bulk string of " + bulk.length + " bytes not followed by CRLF");
            }
            in.position(p + 2);
            byte[] done = bulk;
            bulk = null;
            bulkFilled = 0;
            return new Bulk(done);
        }

        /**
         * One line: a whole simple value; the header of a bulk string, whose body then follows
         * (null until all of it is in); or the header of an array: {@link #OPENED}, or a nil or
         * empty array at once. Null when no whole line is in.
         */
        private Object line(ByteBuffer in) {
            int start = in.position();
            int end = in.limit();
            int lf = -1;
            for (int i = start + scanned; i < end; i++) {
                if (in.get(i) == '\n') {
                    lf = i;
                    break;
                }
            }
            if (lf < 0) {
                scanned = end - start;
                if (scanned > 0 && !isType(in.get(start))) {
                    throw new ProtocolException("not a RESP type: " + byteName(in.get(start)));
                }
                if (scanned > maxLine + 2) {
                    throw new ProtocolException("line longer than " + maxLine + " bytes");
                }
                return null;
            }
            scanned = 0;
            int textEnd = lf - 1; // where the CR must be
            if (textEnd <= start || in.get(textEnd) != '\r') {
                throw new ProtocolException("line not ended by CRLF");
            }
            if (textEnd - start - 1 > maxLine) {
                throw new ProtocolException("line longer than " + maxLine + " bytes");
            }
            byte type = in.get(start);
            int from = start + 1;
            Value v = switch (type) {
                case '+' -> new Simple(text(in, from, textEnd));
                case '-' -> new Err(text(in, from, textEnd));
                case ':' -> new Int(number(in, from, textEnd));
                case '$' -> bulkHeader(number(in, from, textEnd));
                case '*' -> arrayHeader(number(in, from, textEnd));
                default -> throw new ProtocolException("not a RESP type: " + byteName(type));
            };
            in.position(lf + 1);
            if (v != null) {
                return v;
            }
            return bulk != null ? bulkBody(in) : OPENED;
        }

        private Value bulkHeader(long len) {
            if (len == -1) {
                return Bulk.NIL;
            }
            if (len < 0 || len > maxBulk) {
                throw new ProtocolException(len < 0 ? "bulk length " + len
                        : "bulk string of " + len + " bytes, over the limit of " + maxBulk);
            }
            bulk = new byte[(int) len];
            bulkFilled = 0;
            return null;
        }

        /** A nil or empty array at once; otherwise opens one and returns null. */
        private Value arrayHeader(long n) {
            if (n == -1) {
                return Array.NIL;
            }
            if (n < 0 || n > maxArray) {
                throw new ProtocolException(n < 0 ? "array length " + n
                        : "array of " + n + " elements, over the limit of " + maxArray);
            }
            if (n == 0) {
                return new Array(List.of());
            }
            if (depth == maxDepth) {
                throw new ProtocolException("arrays nested deeper than " + maxDepth);
            }
            if (depth == wanted.length) {
                wanted = Arrays.copyOf(wanted, Math.min(maxDepth, wanted.length * 2));
            }
            // Sized by what has arrived, not by what the header claims.
            List<Value> items = new ArrayList<>((int) Math.min(n, 16));
            if (depth < open.size()) {
                open.set(depth, items);
            } else {
                open.add(items);
            }
            wanted[depth++] = (int) n;
            return null;
        }

        private static boolean isType(byte b) {
            return b == '+' || b == '-' || b == ':' || b == '$' || b == '*';
        }

        private static String text(ByteBuffer in, int from, int to) {
            byte[] bytes = new byte[to - from];
            in.get(from, bytes);
            for (byte b : bytes) {
                if (b == '\r') {
                    throw new ProtocolException("a CR inside a line: " + printable(bytes));
                }
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }

        /** A decimal long between {@code from} and {@code to}, strictly: digits, an optional minus. */
        private static long number(ByteBuffer in, int from, int to) {
            int len = to - from;
            boolean negative = len > 0 && in.get(from) == '-';
            int i = negative ? from + 1 : from;
            if (i == to || len > MAX_DIGITS) {
                throw new ProtocolException("not a number: " + printable(slice(in, from, to)));
            }
            long n = 0;
            for (; i < to; i++) {
                int d = in.get(i) - '0';
                if (d < 0 || d > 9) {
                    throw new ProtocolException("not a number: " + printable(slice(in, from, to)));
                }
                // Accumulated negatively: Long.MIN_VALUE has no positive twin.
                if (n < (Long.MIN_VALUE + d) / 10) {
                    throw new ProtocolException("number out of range: " + printable(slice(in, from, to)));
                }
                n = n * 10 - d;
            }
            if (!negative) {
                if (n == Long.MIN_VALUE) {
                    throw new ProtocolException("number out of range: " + printable(slice(in, from, to)));
                }
                n = -n;
            }
            return n;
        }

        private static byte[] slice(ByteBuffer in, int from, int to) {
            byte[] bytes = new byte[to - from];
            in.get(from, bytes);
            return bytes;
        }

        private static String byteName(byte b) {
            return printable(new byte[] {b});
        }
    }
}
