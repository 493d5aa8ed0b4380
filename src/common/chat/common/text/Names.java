package chat.common.text;

import java.lang.Character.UnicodeScript;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Account and group names: what is allowed, the key under which two spellings are the same name,
 * and the skeleton under which two names look the same.
 *
 * <p>A name is 1 to 32 characters of letters and digits of any script (Chinese included) and
 * {@code _ - .}, and at most 48 bytes of UTF-8, so that it fits the 50-byte name field of the
 * article's records with its NUL. Its key is its NFKC form in lower case: "Alice", "alice" and
 * "ａｌｉｃｅ" (full-width) are one name. The key must follow the same rules, so that it fits the
 * database's column: the ligature ﷺ is one letter, but its NFKC form is 18 characters with spaces.
 *
 * <p>Look-alikes are refused, after Unicode's UTS #39 (security mechanisms for identifiers):
 * <ul>
 * <li>A name is written in one script, as UTS #39's "highly restrictive" level allows: one script
 *     besides the common characters (digits, {@code _ - .}), or Latin with Han, or Latin, Han,
 *     Hiragana and Katakana (Japanese), or Latin, Han and Hangul (Korean), or Latin, Han and
 *     Bopomofo. So {@code аlice} (a Cyrillic а in Latin) and {@code bοb} (a Greek ο) are refused,
 *     while {@code 张三}, {@code Amy陈} and {@code 李Lee} (common in China) are names.</li>
 * <li>The Hangul fillers (ㅤ U+3164 and its kin) are letters that show as nothing: refused, so
 *     that {@code aliceㅤ} is not a second alice and ㅤ alone is not a name.</li>
 * <li>{@link #skeleton} folds what the script rule still lets through: a whole name in Cyrillic
 *     letters that look Latin ({@code аре}), {@code I} and {@code 1} for {@code l}, {@code 0} for
 *     {@code o}, {@code rn} for {@code m}. The server refuses a name whose skeleton another
 *     account (or group) has. {@code _ - .} stay in it: they are visible, and {@code bob_1} beside
 *     {@code bob1} is a common, honest pair.</li>
 * </ul>
 *
 * <p>No name starts with {@link #LEGACY_MARK}: the lobby shows the article's clients, who have no
 * account and may call themselves anything, as {@code ~bob}, so that none can pass for an account.
 */
public final class Names {

    public static final int MAX_CHARS = 32;
    public static final int MAX_BYTES = 48;

    /**
     * Put before the name of a legacy (151-byte) participant wherever it is shown, as IRC marks a
     * user it has not verified: {@code ~bob} is not the account {@code bob}.
     */
    public static final char LEGACY_MARK = '~';

    /** Letters that show as blank space: the Hangul fillers (ㅤ U+3164, its half-width form, the jamo fillers). */
    private static final Set<Integer> FILLERS = Set.of(0x115F, 0x1160, 0x3164, 0xFFA0);

    /** The script sets UTS #39's "highly restrictive" level allows in one name besides a single script. */
    private static final List<Set<UnicodeScript>> MIXES = List.of(
            EnumSet.of(UnicodeScript.LATIN, UnicodeScript.HAN, UnicodeScript.HIRAGANA, UnicodeScript.KATAKANA),
            EnumSet.of(UnicodeScript.LATIN, UnicodeScript.HAN, UnicodeScript.BOPOMOFO),
            EnumSet.of(UnicodeScript.LATIN, UnicodeScript.HAN, UnicodeScript.HANGUL));

    /**
     * Lower-case letters and digits that look like a Latin letter, and that letter: the common
     * entries of UTS #39's confusables table for the scripts a name may be written in alone.
     */
    private static final Map<Integer, Character> LOOK_ALIKES = Map.ofEntries(
            // Cyrillic
            Map.entry(0x0430, 'a'), Map.entry(0x0435, 'e'), Map.entry(0x043E, 'o'), Map.entry(0x0440, 'p'),
            Map.entry(0x0441, 'c'), Map.entry(0x0443, 'y'), Map.entry(0x0445, 'x'), Map.entry(0x0455, 's'),
            Map.entry(0x0456, 'l'), Map.entry(0x0458, 'j'), Map.entry(0x04BB, 'h'), Map.entry(0x0501, 'd'),
            Map.entry(0x051B, 'q'), Map.entry(0x051D, 'w'), Map.entry(0x04CF, 'l'), Map.entry(0x043A, 'k'),
            // Greek
            Map.entry(0x03B1, 'a'), Map.entry(0x03BF, 'o'), Map.entry(0x03C1, 'p'), Map.entry(0x03BD, 'v'),
            Map.entry(0x03C5, 'u'), Map.entry(0x03B9, 'l'), Map.entry(0x03BA, 'k'), Map.entry(0x03C7, 'x'),
            Map.entry(0x03C9, 'w'), Map.entry(0x03B3, 'y'), Map.entry(0x03B7, 'n'),
            // Latin and digits
            Map.entry((int) '0', 'o'), Map.entry((int) '1', 'l'), Map.entry((int) 'i', 'l'), Map.entry(0x0131, 'l'));

    private Names() {}

    /** Why {@code name} is not a valid name, or {@code null} when it is. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "a name must not be empty";
        }
        String key = key(name);
        if (key.startsWith(String.valueOf(LEGACY_MARK))) {
            return "a name cannot start with '" + LEGACY_MARK + "': it marks the article's clients in the lobby";
        }
        String problem = shape(name);
        if (problem != null) {
            return problem;
        }
        String keyProblem = shape(key);
        if (keyProblem != null) {
            return "a name's standard form (Unicode NFKC) must be a name too, and \"" + key + "\" is not: "
                    + keyProblem;
        }
        return scripts(key);
    }

    /** Length and characters. */
    private static String shape(String name) {
        int chars = name.codePointCount(0, name.length());
        if (chars > MAX_CHARS) {
            return "a name has at most " + MAX_CHARS + " characters";
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "a name has at most " + MAX_BYTES + " bytes of UTF-8 (16 Chinese characters)";
        }
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            if (FILLERS.contains(cp)) {
                return "a name may not hold the invisible filler U+" + Integer.toHexString(cp).toUpperCase(Locale.ROOT);
            }
            if (!Character.isLetterOrDigit(cp) && cp != '_' && cp != '-' && cp != '.') {
                return "a name may hold only letters, digits, '_', '-' and '.', not '"
                        + new String(Character.toChars(cp)) + "'";
            }
            i += Character.charCount(cp);
        }
        return null;
    }

    /** Null when the name's scripts are one, or one of {@link #MIXES}; else which two clash. */
    private static String scripts(String key) {
        Set<UnicodeScript> found = EnumSet.noneOf(UnicodeScript.class);
        int[] example = new int[UnicodeScript.values().length];
        key.codePoints().forEach(cp -> {
            UnicodeScript s = UnicodeScript.of(cp);
            if (s != UnicodeScript.COMMON && s != UnicodeScript.INHERITED && found.add(s)) {
                example[s.ordinal()] = cp;
            }
        });
        if (found.size() <= 1 || MIXES.stream().anyMatch(mix -> mix.containsAll(found))) {
            return null;
        }
        var words = new StringBuilder();
        for (UnicodeScript s : found) {
            words.append(words.length() == 0 ? "" : " and ").append(title(s))
                    .append(" '").append(Character.toString(example[s.ordinal()])).append('\'');
        }
        return "a name is written in one script (Latin may go with Chinese, Japanese or Korean), not in "
                + words;
    }

    private static String title(UnicodeScript s) {
        String n = s.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        return Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }

    /** The key two spellings of one name share. */
    public static String key(String name) {
        return Normalizer.normalize(name, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }

    /**
     * What a name looks like, for telling whether two names could be told apart: its key with each
     * look-alike letter or digit replaced by the Latin letter it looks like, and {@code rn} read as
     * {@code m}. Two names with one skeleton are one too many. It is a function of the key (the
     * same name in any case has one skeleton), so {@code i} is read as {@code l}: names keep the
     * case they were registered in, and a capital {@code I} is an {@code l} in many fonts
     * ({@code AIice} beside {@code Alice}); the price is that {@code ali} and {@code all} cannot
     * both exist. Never longer than the key.
     */
    public static String skeleton(String name) {
        String lower = key(name);
        var out = new StringBuilder(lower.length());
        lower.codePoints().forEach(cp -> {
            Character latin = LOOK_ALIKES.get(cp);
            if (latin != null) {
                out.append(latin.charValue());
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString().replace("rn", "m");
    }
}
