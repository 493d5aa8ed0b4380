package chat.server.files;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The one-time tokens that let a data connection move a file's bytes: 128 random bits in hex, good
 * for {@link #LIFETIME_MILLIS}, for one file, one user and one direction, used up when a connection
 * presents one. A user holds one token per file and direction: a new one replaces the last, so
 * the tokens outstanding are bounded by the live files and their users, however often a client
 * asks. Kept in memory only: after a restart a client asks again (FILE_UPLOAD, FILE_GET).
 * Reactor thread only.
 */
public final class Grants {

    /** 10 minutes: time to open the data connection, not to finish the transfer. */
    static final long LIFETIME_MILLIS = 10 * 60 * 1000;
    /** Past this many outstanding tokens, expired ones are swept out on the next issue. */
    private static final int SWEEP_ABOVE = 1024;

    public enum Direction { UPLOAD, DOWNLOAD }

    /** What a token allows; {@code size} and {@code sha256} are the file's, which never change. */
    record Grant(long fileId, long userId, Direction direction, long size, String sha256, long expiresAt) {
        Key key() {
            return new Key(fileId, userId, direction);
        }
    }

    private record Key(long fileId, long userId, Direction direction) {}

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Grant> byToken = new HashMap<>();
    /** The token each (file, user, direction) holds now. */
    private final Map<Key, String> current = new HashMap<>();
    private final LongSupplier clock;

    public Grants(LongSupplier clock) {
        this.clock = clock;
    }

    public String issue(long fileId, long userId, Direction direction, long size, String sha256) {
        long now = clock.getAsLong();
        if (byToken.size() > SWEEP_ABOVE) {
            for (Iterator<Grant> it = byToken.values().iterator(); it.hasNext(); ) {
                Grant g = it.next();
                if (g.expiresAt <= now) {
                    it.remove();
                    current.remove(g.key());
                }
            }
        }
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        var grant = new Grant(fileId, userId, direction, size, sha256, now + LIFETIME_MILLIS);
        String previous = current.put(grant.key(), token);
        if (previous != null) {
            byToken.remove(previous);
        }
        byToken.put(token, grant);
        return token;
    }

    /** The grant of {@code token}, used up; null when unknown, used or expired. */
    Grant take(String token) {
        Grant g = byToken.remove(token);
        if (g != null) {
            current.remove(g.key(), token);
        }
        return g == null || g.expiresAt <= clock.getAsLong() ? null : g;
    }
}
