package chat.server.store;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes: PBKDF2-HMAC-SHA256, salted, in a self-describing format so that the cost can be
 * raised later without invalidating old hashes:
 *
 * <pre>  pbkdf2-sha256$&lt;iterations&gt;$&lt;salt, base64&gt;$&lt;hash, base64&gt;</pre>
 *
 * <p>600,000 iterations by default (OWASP's figure for PBKDF2-HMAC-SHA256): about half a second of
 * one core per hash here, which is why hashing runs on its own workers. Tests lower it through
 * {@code --pbkdf2-iterations}; the default stays. Passwords are never logged.
 */
public final class Passwords {

    public static final int DEFAULT_ITERATIONS = 600_000;
    private static final String SCHEME = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;

    private final int iterations;
    private final SecureRandom random = new SecureRandom();
    /** Verified against when the account does not exist, so that both cost the same time. */
    private volatile String dummy;

    public Passwords(int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be a positive integer: " + iterations);
        }
        this.iterations = iterations;
    }

    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = pbkdf2(password, salt, iterations);
        var b64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /** Whether {@code password} matches {@code stored}; a malformed stored hash never matches. */
    public boolean verify(String password, String stored) {
        String[] parts = stored.split("\\$", -1);
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            return false;
        }
        try {
            int n = Integer.parseInt(parts[1]);
            var b64 = Base64.getDecoder();
            byte[] salt = b64.decode(parts[2]);
            byte[] expected = b64.decode(parts[3]);
            return MessageDigest.isEqual(expected, pbkdf2(password, salt, n)); // constant time
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Spends the time of a verification, for a name that has no account. */
    public void verifyNothing(String password) {
        String d = dummy;
        if (d == null) { // made on first use, on a hasher thread, not at start-up
            d = dummy = hash("not a password of anyone");
        }
        verify(password, d);
    }

    /** Whether {@code stored} was made with fewer iterations than this server now uses. */
    public boolean weakerThanCurrent(String stored) {
        String[] parts = stored.split("\\$", -1);
        try {
            return parts.length != 4 || Integer.parseInt(parts[1]) < iterations;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private static byte[] pbkdf2(String password, byte[] salt, int iterations) {
        var spec = new PBEKeySpec(password.toCharArray(), salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
