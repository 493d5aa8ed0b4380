package chat.server.command;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Login tokens: 32 random bytes, given to the client as 64 hex digits; the database keeps only
 * their SHA-256. A token is as strong as a 256-bit key, so unlike a password it needs no slow hash:
 * a stolen database gives nobody a token, and RESUME costs microseconds instead of half a second.
 */
final class Tokens {

    static final int BYTES = 32;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private Tokens() {}

    /** A new token, 64 lower-case hex digits. */
    static String newToken() {
        byte[] bytes = new byte[BYTES];
        RANDOM.nextBytes(bytes);
        return HEX.formatHex(bytes);
    }

    /**
     * The SHA-256 of the token's text in lower case, 64 lower-case hex digits: what the database
     * keeps.
     */
    static String hash(String token) {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            return HEX.formatHex(digest.digest(token.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Whether {@code s} has a token's shape; anything else cannot be one and is not looked up. */
    static boolean wellFormed(String s) {
        if (s.length() != 2 * BYTES) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (!(ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'f' || ch >= 'A' && ch <= 'F')) {
                return false;
            }
        }
        return true;
    }
}
