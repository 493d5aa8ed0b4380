package chat.common.text;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/**
 * Generators of text as a chat user types it: ASCII, Chinese, accented letters, emoji (four
 * bytes in UTF-8, two chars in Java). Strings are built from code points, never from random
 * {@code char}s, so there are no lone surrogates: every generated string survives a UTF-8 round
 * trip, which is what lets a test compare decoded text with the original exactly.
 */
public final class Utf8Gen {

    private Utf8Gen() {}

    /** Code points of one to four UTF-8 bytes, biased towards what chat text holds. */
    public static Arbitrary<Integer> chatCodePoints() {
        return Arbitraries.frequencyOf(List.of(
                Tuple.of(4, Arbitraries.integers().between(0x20, 0x7E)),       // ASCII, ':' among them
                Tuple.of(4, Arbitraries.integers().between(0x4E00, 0x9FFF)),   // CJK: 3 bytes
                Tuple.of(2, Arbitraries.integers().between(0x1F300, 0x1FAFF)), // emoji: 4 bytes
                Tuple.of(1, Arbitraries.integers().between(0x80, 0x7FF)),      // é, я, ع: 2 bytes
                Tuple.of(1, Arbitraries.integers().between(0xE000, 0xFFFD)),   // 3 bytes above the surrogates
                Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10FFFF)),
                Tuple.of(1, Arbitraries.of((int) '\t', 0x01, 0x7F))));
    }

    /** {@link #chatCodePoints()} without the code points in {@code excluded} (e.g. NUL, newline). */
    public static Arbitrary<Integer> chatCodePointsExcept(int... excluded) {
        return chatCodePoints().filter(cp -> {
            for (int e : excluded) {
                if (cp == e) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Strings of up to {@code maxCodePoints} code points drawn from {@code codePoints}. */
    public static Arbitrary<String> strings(Arbitrary<Integer> codePoints, int maxCodePoints) {
        return codePoints.list().ofMaxSize(maxCodePoints).map(Utf8Gen::fromCodePoints);
    }

    /**
     * Strings whose UTF-8 encoding fits in {@code maxBytes}: empty, short, filled greedily (so
     * that the next character would not have fit, often leaving one to three bytes unused), and
     * filled to exactly {@code maxBytes}.
     */
    public static Arbitrary<String> fitting(Arbitrary<Integer> codePoints, int maxBytes) {
        Arbitrary<List<Integer>> many = codePoints.list().ofMinSize(maxBytes).ofMaxSize(maxBytes);
        return Arbitraries.frequencyOf(List.of(
                Tuple.of(1, Arbitraries.just("")),
                Tuple.of(4, strings(codePoints, Math.max(1, maxBytes / 4))
                        .map(s -> prefixFitting(s, maxBytes))),
                Tuple.of(2, many.map(cps -> prefixFitting(fromCodePoints(cps), maxBytes))),
                Tuple.of(2, many.map(cps -> padTo(prefixFitting(fromCodePoints(cps), maxBytes), maxBytes)))));
    }

    public static String fromCodePoints(List<Integer> codePoints) {
        return codePoints.stream().map(Character::toString).collect(Collectors.joining());
    }

    /** The longest prefix of {@code s}, in whole code points, whose UTF-8 encoding fits. */
    public static String prefixFitting(String s, int maxBytes) {
        var out = new StringBuilder();
        int bytes = 0;
        for (int cp : s.codePoints().toArray()) {
            int n = utf8Length(cp);
            if (bytes + n > maxBytes) {
                break;
            }
            out.appendCodePoint(cp);
            bytes += n;
        }
        return out.toString();
    }

    /** {@code s} with ASCII appended until its encoding is exactly {@code bytes} long. */
    public static String padTo(String s, int bytes) {
        return s + "x".repeat(bytes - utf8(s).length);
    }

    public static int utf8Length(int codePoint) {
        return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether the bytes are well-formed UTF-8 (a strict decoder, not one that substitutes U+FFFD). */
    public static boolean isValidUtf8(byte[] bytes, int off, int len) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, off, len));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
