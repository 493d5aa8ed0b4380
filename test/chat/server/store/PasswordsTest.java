package chat.server.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class PasswordsTest {

    /** Cheap enough for tests; the default's cost is checked once, below. */
    private static final int FAST = 1_000;

    private final Passwords passwords = new Passwords(FAST);

    @Test
    void theDefaultCostIsOwasps() {
        assertTrue(Passwords.DEFAULT_ITERATIONS >= 600_000, "" + Passwords.DEFAULT_ITERATIONS);
    }

    @Test
    void theHashDescribesItself() {
        String stored = passwords.hash("wonderland");
        String[] parts = stored.split("\\$", -1);
        assertEquals(4, parts.length, stored);
        assertEquals("pbkdf2-sha256", parts[0]);
        assertEquals(Integer.toString(FAST), parts[1]);
        assertEquals(16, Base64.getDecoder().decode(parts[2]).length, "salt bytes");
        assertEquals(32, Base64.getDecoder().decode(parts[3]).length, "hash bytes (SHA-256)");
        assertTrue(stored.matches("pbkdf2-sha256\\$1000\\$[A-Za-z0-9+/]+={0,2}\\$[A-Za-z0-9+/]+={0,2}"), stored);
        assertFalse(stored.contains("wonderland"));
    }

    @Test
    void twoHashesOfOnePasswordDiffer() {
        String a = passwords.hash("wonderland");
        String b = passwords.hash("wonderland");
        assertNotEquals(a, b);
        assertNotEquals(a.split("\\$")[2], b.split("\\$")[2], "salts");
        assertTrue(passwords.verify("wonderland", a));
        assertTrue(passwords.verify("wonderland", b));
    }

    @Test
    void theRightPasswordVerifiesAndWrongOnesDoNot() {
        for (String password : List.of("wonderland", "小红的密码很长很长", "emoji 😀 pass", "a:b$c%d", "x".repeat(1024))) {
            String stored = passwords.hash(password);
            assertTrue(passwords.verify(password, stored), password);
            assertFalse(passwords.verify(password + "x", stored), password);
            assertFalse(passwords.verify(password.substring(1), stored), password);
            assertFalse(passwords.verify(password.toUpperCase(java.util.Locale.ROOT) + "!", stored), password);
            assertFalse(passwords.verify("", stored), password);
        }
        String stored = passwords.hash("Wonderland");
        assertFalse(passwords.verify("wonderland", stored), "case matters");
    }

    /** A stored hash verifies under any Passwords: the cost comes from the hash, not the server. */
    @Test
    void aHashVerifiesWhateverTheCurrentCost() {
        String weak = new Passwords(FAST).hash("wonderland");
        var stronger = new Passwords(2 * FAST);
        assertTrue(stronger.verify("wonderland", weak));
        assertFalse(stronger.verify("wonderlane", weak));
        assertTrue(stronger.weakerThanCurrent(weak));

        String strong = stronger.hash("wonderland");
        assertTrue(passwords.verify("wonderland", strong));
        assertFalse(passwords.weakerThanCurrent(strong), "more iterations than now is not weaker");
        assertFalse(stronger.weakerThanCurrent(strong), "as many is not weaker");
    }

    @Test
    void malformedStoredHashesNeverMatch() {
        String good = passwords.hash("wonderland");
        String[] p = good.split("\\$");
        List<String> malformed = List.of(
                "",
                "wonderland",
                "$",
                "$$$",
                "bcrypt$" + p[1] + "$" + p[2] + "$" + p[3],
                "PBKDF2-SHA256$" + p[1] + "$" + p[2] + "$" + p[3],
                "pbkdf2-sha1$" + p[1] + "$" + p[2] + "$" + p[3],
                p[0] + "$" + p[1] + "$" + p[2],
                p[0] + "$" + p[1] + "$" + p[2] + "$" + p[3] + "$extra",
                p[0] + "$" + p[1] + "$" + p[2] + "$" + p[3] + "$",
                "$" + good,
                p[0] + "$" + p[2] + "$" + p[3],
                p[0] + "$many$" + p[2] + "$" + p[3],
                p[0] + "$$" + p[2] + "$" + p[3],
                p[0] + "$1e3$" + p[2] + "$" + p[3],
                p[0] + "$0$" + p[2] + "$" + p[3],
                p[0] + "$-1000$" + p[2] + "$" + p[3],
                p[0] + "$99999999999$" + p[2] + "$" + p[3],
                p[0] + "$" + p[1] + "$not base64!$" + p[3],
                p[0] + "$" + p[1] + "$" + p[2] + "$not base64!",
                p[0] + "$" + p[1] + "$" + p[2] + "$" + p[3] + "%",
                p[0] + "$" + p[1] + "$$" + p[3],
                p[0] + "$" + p[1] + "$" + p[2] + "$",
                p[0] + "$" + p[1] + "$" + p[3] + "$" + p[2],
                p[0] + "$" + p[1] + "$" + p[2] + "$" + p[3].substring(0, p[3].length() - 4));
        for (String stored : malformed) {
            assertFalse(passwords.verify("wonderland", stored), stored);
        }
        assertTrue(passwords.verify("wonderland", good), "the good one still does");
    }

    @Test
    void malformedOrOtherSchemesCountAsWeaker() {
        assertTrue(passwords.weakerThanCurrent(""));
        assertTrue(passwords.weakerThanCurrent("wonderland"));
        assertTrue(passwords.weakerThanCurrent("pbkdf2-sha256$many$c2FsdA$aGFzaA"));
        assertTrue(passwords.weakerThanCurrent("pbkdf2-sha256$1000$c2FsdA"));
        assertTrue(passwords.weakerThanCurrent("pbkdf2-sha256$999$c2FsdA$aGFzaA"));
        assertFalse(passwords.weakerThanCurrent(passwords.hash("wonderland")));
    }

    @Test
    void verifyNothingTakesAnyPassword() {
        passwords.verifyNothing("wonderland");
        passwords.verifyNothing("");
        passwords.verifyNothing("小红");
    }

    @Test
    void theCostMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new Passwords(0));
        assertThrows(IllegalArgumentException.class, () -> new Passwords(-1));
    }

    /** A hash made elsewhere with the same inputs: PBKDF2-HMAC-SHA256 as RFC 8018 defines it. */
    @Test
    void theHashIsStandardPbkdf2() {
        // Python: hashlib.pbkdf2_hmac('sha256', b'password', b'salt', 1000).hex()
        byte[] salt = "salt".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] expected = java.util.HexFormat.of()
                .parseHex("632c2812e46d4604102ba7618e9d6d7d2f8128f6266b4a03264d2a0460b7dcb3");
        var b64 = Base64.getEncoder().withoutPadding();
        String stored = "pbkdf2-sha256$1000$" + b64.encodeToString(salt) + "$" + b64.encodeToString(expected);
        assertTrue(passwords.verify("password", stored));
        assertFalse(passwords.verify("passwore", stored));
        assertArrayEquals(expected, Base64.getDecoder().decode(stored.split("\\$")[3]));
    }

    /** The one test at the real cost: a default-cost hash verifies (about a second here). */
    @Test
    void aDefaultCostHashVerifies() {
        var real = new Passwords(Passwords.DEFAULT_ITERATIONS);
        String stored = real.hash("wonderland");
        assertTrue(stored.startsWith("pbkdf2-sha256$" + Passwords.DEFAULT_ITERATIONS + "$"), stored);
        assertTrue(real.verify("wonderland", stored));
        assertFalse(real.weakerThanCurrent(stored));
        assertTrue(real.weakerThanCurrent(passwords.hash("wonderland")));
    }
}
