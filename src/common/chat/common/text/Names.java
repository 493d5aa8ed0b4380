package chat.common.text;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;

/**
 * Account and group names: what is allowed, and the key under which two spellings are the same
 * name.
 *
 * <p>A name is 1 to 32 characters of letters and digits of any script (Chinese included) and
 * {@code _ - .}, and at most 48 bytes of UTF-8, so that it fits the 50-byte name field of the
 * article's records with its NUL. Its key is its NFKC form in lower case: "Alice", "alice" and
 * "ａｌｉｃｅ" (full-width) are one name.
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

    private Names() {}

    /** Why {@code name} is not a valid name, or {@code null} when it is. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "a name must not be empty";
        }
        int chars = name.codePointCount(0, name.length());
        if (chars > MAX_CHARS) {
            return "a name has at most " + MAX_CHARS + " characters";
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "a name has at most " + MAX_BYTES + " bytes of UTF-8 (16 Chinese characters)";
        }
        if (key(name).startsWith(String.valueOf(LEGACY_MARK))) {
            return "a name cannot start with '" + LEGACY_MARK + "': it marks the article's clients in the lobby";
        }
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            if (!Character.isLetterOrDigit(cp) && cp != '_' && cp != '-' && cp != '.') {
                return "a name may hold only letters, digits, '_', '-' and '.', not '"
                        + new String(Character.toChars(cp)) + "'";
            }
            i += Character.charCount(cp);
        }
        return null;
    }

    /** The key two spellings of one name share. */
    public static String key(String name) {
        return Normalizer.normalize(name, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }
}
