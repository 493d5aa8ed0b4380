package chat.server;

import chat.common.wire.LegacyRecord;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * What the fuzz campaign ({@link ServerFuzzTest}) sends on one connection: the valid lines of the
 * text protocol, one of each request, naming the campaign's own world (the account {@value #ME},
 * its friend {@value #FRIEND}, groups), and the article's 151-byte records; each piece as it is or
 * mutated: cut, bytes flipped, a field doubled, a number made huge, separators, escapes and tags
 * put in, invalid UTF-8, a NUL, an oversized field. Everything is data (an index into the
 * vocabulary, a mutation, a position, a value), so jqwik shrinks a failing try to a short one.
 */
final class FuzzInput {

    /** The account a logged-in try resumes; its password is in no line here, so no try can change it. */
    static final String ME = "fzme";
    static final String FRIEND = "fzbob";
    static final String STRANGER = "fzcarol";
    /** An open group of the friend's that I joined, and one of mine. */
    static final String THEIRS = "fzopen";
    static final String MINE = "fzown";

    private static final String HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    /** One line per request of the protocol (and a few of each kind of target), without newline. */
    static final List<String> LINES = List.of(
            "HELLO:fuzz 1.0:1.3", "REGISTER:fzdave:a-password-1", "RESIGER:fzdave:a-password-1", "CHECK_NAME:fzdave",
            "LOGIN:" + STRANGER + ":wrong-password", "LOGIN:" + FRIEND + ":wrong:phone",
            "RESUME:" + ME + ":" + "ab".repeat(32) + ":fz-0", "LOGOUT", "PASSWD:wrong-old:new-password-2",
            "CONTACTS", "FRIENDS", "FIND:fz", "ADD:" + STRANGER, "ADD:" + FRIEND, "ACCEPT:" + STRANGER,
            "DECLINE:" + STRANGER, "DEL:" + STRANGER, "ALIAS:" + FRIEND + ":Bobby: the best", "ALIAS:" + FRIEND + ":",
            "CONNECT_CLIENT:" + FRIEND,
            "MSG:" + FRIEND + ":c-1:hello 你好 🌏", "MSG:" + STRANGER + ":c-2:hi", "MSG:" + ME + ":c-3:me",
            "MSG:" + FRIEND + ":c-4:a%3Acolon%0Aand a newline%", "GROUP:" + THEIRS + ":g-1:to the group",
            "GROUP:#" + MINE + ":g-2:mine", "GROUP:!1:g-3:by id", "GROUP:lobby:g-4:to the lobby",
            "ACK:1", "ACK:0", "ACK:5", "HISTORY:" + FRIEND + ":0:50", "HISTORY:#" + THEIRS + ":0:10", "HISTORY:!1:9:1",
            "SEARCH:hello:10", "UNREAD", "READ:" + FRIEND, "READ:#" + THEIRS + ":5",
            "CREATE:" + MINE + ":open", "CREATE:fzclosed:closed", "RENAME:" + MINE + ":fzown2", "RENAME:fzown2:" + MINE,
            "DISBAND:fzclosed", "INVITE:" + MINE + ":" + FRIEND, "JOIN:" + THEIRS, "JOIN:lobby", "JOIN:fzclosed",
            "APPROVE:fzclosed:" + FRIEND, "REJECT:fzclosed:" + FRIEND, "REQUESTS:" + MINE, "LEAVE:" + THEIRS,
            "LEAVE:lobby", "KICK:" + MINE + ":" + FRIEND, "GROUPS", "MEMBERS:" + THEIRS, "MEMBERS:lobby",
            "PING", "STATS", "QUIT",
            "SEND_FILE:" + FRIEND + ":f-1:notes.txt:12:" + HASH, "SEND_FILE:#" + THEIRS + ":f-2:a.png:0:" + HASH,
            "FILE_UPLOAD:1", "FILE_GET:1", "FILE_CANCEL:1", "FILES",
            "FileTran:" + FRIEND + ":127.0.0.1:5000", "FileTran:" + FRIEND + ":127.0.0.1:5000:a.txt:3:" + HASH,
            "UPLOAD:" + "cd".repeat(16) + ":0", "DOWNLOAD:" + "ef".repeat(16) + ":0");

    /** How a piece is changed; NONE most often, so that deep paths are reached too. */
    enum Mutation {
        NONE, CUT, FLIP, DOUBLE_FIELD, HUGE_NUMBER, SEPARATOR, INVALID_UTF8, NUL, LONG_FIELD, EMPTY_FIELDS, TAG
    }

    private static final String[] HUGE = {
        "9000000000000000000", "9223372036854775807", "9223372036854775808", "99999999999999999999999", "-1",
        "-9223372036854775808", "0", "1e9", "0x10", "１２",
    };
    private static final String[] SEPARATORS = {":", "::", "%", "%3A", "%0A", "%0D", "%25", "\r", "\t", " ", "#", "#t:"};
    private static final byte[][] BAD_UTF8 = {
        {(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xE4, (byte) 0xBD},
    };
    private static final String[] TAGS = {"#t1:", "#:", "#" + "x".repeat(33) + ":", "#bad tag:", "#t2:#t3:", "#中:"};
    /** Past a message's 16 KiB, and past the 64 KiB line cap (which ends the connection). */
    private static final int[] LONG = {300, 16 * 1024 + 1, 65 * 1024};

    /** One connection's bytes, in the pieces they are written in; {@code loggedIn}: RESUME first. */
    record Try(boolean loggedIn, List<Piece> pieces) {

        /**
         * The pieces as written. A {@linkplain Piece#whole whole} line that starts a line (the
         * first piece, or one after a piece that ended its line) is well-formed as the server reads
         * it: it goes out tagged {@code #wN:} (N its index), and its tag is in {@link Wire#tags}.
         */
        Wire wire() {
            var out = new ByteArrayOutputStream();
            List<String> tags = new ArrayList<>();
            boolean lineStart = true;
            for (int i = 0; i < pieces.size(); i++) {
                Piece p = pieces.get(i);
                if (p.whole && lineStart) {
                    String tag = "w" + i;
                    out.writeBytes(("#" + tag + ":").getBytes(StandardCharsets.UTF_8));
                    tags.add(tag);
                }
                out.writeBytes(p.bytes);
                lineStart = p.bytes.length > 0 && p.bytes[p.bytes.length - 1] == '\n';
            }
            return new Wire(out.toByteArray(), tags);
        }
    }

    /** A try's bytes as sent, and the tags of its well-formed requests, each owed a reply. */
    record Wire(byte[] bytes, List<String> tags) {}

    /**
     * Bytes written at once; shown escaped in a failure report. {@code whole}: a line of the
     * vocabulary, unchanged, ending its line, that gets a reply (not ACK, which gets none, nor
     * UPLOAD or DOWNLOAD, which open a data connection as a connection's first line).
     */
    record Piece(byte[] bytes, boolean whole) {
        Piece(byte[] bytes) {
            this(bytes, false);
        }

        @Override
        public String toString() {
            var s = new StringBuilder("\"");
            String text = new String(bytes, StandardCharsets.UTF_8);
            int shown = 0;
            for (int i = 0; i < text.length() && shown < 300; i++, shown++) {
                char ch = text.charAt(i);
                s.append(ch == '\n' ? "\\n" : ch == '\r' ? "\\r" : ch < ' ' || ch == '\uFFFD'
                        ? String.format("\\x%02X", (int) ch) : String.valueOf(ch));
            }
            return s.append(text.length() > 300 ? "...(" + bytes.length + " bytes)\"" : "\"").toString();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Piece p && Arrays.equals(bytes, p.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    static Arbitrary<Try> tries() {
        Arbitrary<Piece> text = textPiece();
        Arbitrary<Piece> legacy = legacyPiece();
        Arbitrary<Try> textTry = Combinators.combine(Arbitraries.of(true, false), text.list().ofMinSize(1).ofMaxSize(12))
                .as(Try::new);
        Arbitrary<Try> legacyTry = legacy.list().ofMinSize(1).ofMaxSize(8).map(p -> new Try(false, p));
        Arbitrary<Try> mixed = Arbitraries.oneOf(text, legacy).list().ofMinSize(1).ofMaxSize(6).map(p -> new Try(false, p));
        return Arbitraries.frequencyOf(Tuple.of(7, textTry), Tuple.of(2, legacyTry), Tuple.of(1, mixed));
    }

    private static Arbitrary<Mutation> mutations() {
        return Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.just(Mutation.NONE)),
                Tuple.of(10, Arbitraries.of(Arrays.copyOfRange(Mutation.values(), 1, Mutation.values().length))));
    }

    /** A line of the vocabulary, mutated or not, with its end: newline, CRLF, none (it joins the next), two. */
    static Arbitrary<Piece> textPiece() {
        return Combinators.combine(Arbitraries.integers().between(0, LINES.size() - 1), mutations(),
                Arbitraries.integers().between(0, 1 << 20), Arbitraries.integers().between(0, 255),
                Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.just("\n")), Tuple.of(1, Arbitraries.just("\r\n")),
                        Tuple.of(1, Arbitraries.just("")), Tuple.of(1, Arbitraries.just("\n\n"))))
                .as((line, m, at, value, end) -> {
                    String text = LINES.get(line);
                    byte[] b = mutate(text.getBytes(StandardCharsets.UTF_8), m, at, value);
                    byte[] e = end.getBytes(StandardCharsets.UTF_8);
                    byte[] all = Arrays.copyOf(b, b.length + e.length);
                    System.arraycopy(e, 0, all, b.length, e.length);
                    boolean answered = !text.startsWith("ACK:") && !text.startsWith("UPLOAD:") && !text.startsWith("DOWNLOAD:");
                    return new Piece(all, m == Mutation.NONE && !end.isEmpty() && answered);
                });
    }

    /** A record of the article's client (chat, online, offline), mutated or not; CUT leaves part of one. */
    static Arbitrary<Piece> legacyPiece() {
        Arbitrary<byte[]> record = Combinators.combine(Arbitraries.of("fzlegacy", "小明", "", "x".repeat(60)),
                Arbitraries.of("hi", "你好 🌏", "", "y".repeat(120)),
                Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(LegacyRecord.CHAT)),
                        Tuple.of(1, Arbitraries.just(LegacyRecord.ONLINE)), Tuple.of(1, Arbitraries.just(LegacyRecord.OFFLINE))))
                .as(LegacyRecord::encode);
        return Combinators.combine(record, mutations(), Arbitraries.integers().between(0, 1 << 20),
                Arbitraries.integers().between(0, 255))
                .as((generated, m, at, value) -> new Piece(mutateRecord(generated.clone(), m, at, value)));
    }

    private static byte[] mutateRecord(byte[] rec, Mutation m, int at, int value) {
        return switch (m) {
            case NONE, DOUBLE_FIELD, HUGE_NUMBER, EMPTY_FIELDS, TAG -> rec;
            case FLIP -> {
                rec[at % rec.length] ^= (byte) (value | 1);
                yield rec;
            }
            case SEPARATOR -> {
                rec[LegacyRecord.TYPE_OFFSET] = (byte) value; // a type the article never had
                yield rec;
            }
            case NUL, LONG_FIELD -> { // fields without their NUL: 50 and 100 bytes of text
                Arrays.fill(rec, 0, LegacyRecord.TYPE_OFFSET, (byte) 'z');
                yield rec;
            }
            case INVALID_UTF8 -> {
                System.arraycopy(BAD_UTF8[value % BAD_UTF8.length], 0, rec, 48, BAD_UTF8[value % BAD_UTF8.length].length);
                yield rec;
            }
            case CUT -> Arrays.copyOf(rec, at % rec.length);
        };
    }

    static byte[] mutate(byte[] line, Mutation m, int at, int value) {
        String s = new String(line, StandardCharsets.UTF_8);
        List<String> fields = Arrays.asList(s.split(":", -1));
        int field = at % fields.size();
        return switch (m) {
            case NONE -> line;
            case CUT -> Arrays.copyOf(line, at % (line.length + 1));
            case FLIP -> {
                byte[] b = line.clone();
                b[at % b.length] ^= (byte) (value | 1);
                yield b;
            }
            case DOUBLE_FIELD -> {
                var more = new ArrayList<>(fields);
                more.add(field, fields.get(field));
                yield String.join(":", more).getBytes(StandardCharsets.UTF_8);
            }
            case HUGE_NUMBER -> {
                var changed = new ArrayList<>(fields);
                changed.set(Math.max(1, field) % fields.size(), HUGE[value % HUGE.length]);
                yield String.join(":", changed).getBytes(StandardCharsets.UTF_8);
            }
            case SEPARATOR -> insert(line, at, SEPARATORS[value % SEPARATORS.length].getBytes(StandardCharsets.UTF_8));
            case INVALID_UTF8 -> insert(line, at, BAD_UTF8[value % BAD_UTF8.length]);
            case NUL -> insert(line, at, new byte[] {0});
            case LONG_FIELD -> insert(line, line.length, (":" + "w".repeat(LONG[value % LONG.length]))
                    .getBytes(StandardCharsets.UTF_8));
            case EMPTY_FIELDS -> {
                var emptied = new ArrayList<>(fields);
                for (int i = 1; i < emptied.size(); i++) {
                    if ((value >> i & 1) == 1) {
                        emptied.set(i, "");
                    }
                }
                yield String.join(":", emptied).getBytes(StandardCharsets.UTF_8);
            }
            case TAG -> insert(line, 0, TAGS[value % TAGS.length].getBytes(StandardCharsets.UTF_8));
        };
    }

    private static byte[] insert(byte[] line, int at, byte[] what) {
        int p = at % (line.length + 1);
        byte[] b = new byte[line.length + what.length];
        System.arraycopy(line, 0, b, 0, p);
        System.arraycopy(what, 0, b, p, what.length);
        System.arraycopy(line, p, b, p + what.length, line.length - p);
        return b;
    }

    private FuzzInput() {}
}
