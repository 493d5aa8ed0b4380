package chat.server.files;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The one-time tokens that let a data connection move a file's bytes: 128 random bits in hex, good
 * for {@link #LIFETIME_MILLIS}, for one file, one user and one direction, used up when a connection
 * presents one. A user holds one token per file and direction: a new one replaces the last, so
 * the tokens outstanding are bounded by the live files and their users, however often a client
 * asks. Kept in memory only: after a restart a client asks again (FILE_UPLOAD, FILE_GET).
 * In a cluster they are kept in Redis instead ({@link Shared}), since the data connection may
 * reach another node than the chat connection that asked (one address for every node: a load
 * balancer, round-robin DNS). Reactor thread only.
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

    private record Key(long fileId, long userId, Direction direction) {
        String text() {
            return fileId + ":" + userId + ":" + direction;
        }
    }

    /**
     * Cluster mode: where the tokens are kept so that every node may take them. Both calls are
     * the reactor's, and {@code take}'s answer comes back on it.
     */
    public interface Shared {
        /**
         * Keeps {@code grant} under {@code token} for {@code millis}, and makes it the token of
         * {@code key}: the token {@code key} had before stops working.
         */
        void put(String token, String key, String grant, long millis);

        /** Takes, once, what is kept under {@code token}: {@code then} gets it, or null. */
        void take(String token, Consumer<String> then);
    }

    /** What {@link #issue} makes: 128 bits in hex. */
    private static final Pattern TOKEN = Pattern.compile("[0-9a-f]{32}");

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Grant> byToken = new HashMap<>();
    /** The token each (file, user, direction) holds now. */
    private final Map<Key, String> current = new HashMap<>();
    private final LongSupplier clock;
    /** Cluster mode: the tokens are there, not in the maps above; null with one node. */
    private Shared shared;

    public Grants(LongSupplier clock) {
        this.clock = clock;
    }

    public void share(Shared shared) {
        this.shared = shared;
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
        if (shared != null) {
            shared.put(token, grant.key().text(), encode(grant), LIFETIME_MILLIS);
            return token;
        }
        String previous = current.put(grant.key(), token);
        if (previous != null) {
            byToken.remove(previous);
        }
        byToken.put(token, grant);
        return token;
    }

    /** The grant of {@code token}, used up, to {@code then}: null when unknown, used or expired. */
    void take(String token, Consumer<Grant> then) {
        if (shared == null) {
            then.accept(take(token));
        } else if (!TOKEN.matcher(token).matches()) {
            then.accept(null); // not one of ours: nothing to ask Redis
        } else {
            shared.take(token, kept -> then.accept(live(decode(kept))));
        }
    }

    private Grant take(String token) {
        Grant g = byToken.remove(token);
        if (g != null) {
            current.remove(g.key(), token);
        }
        return live(g);
    }

    private Grant live(Grant g) {
        return g == null || g.expiresAt <= clock.getAsLong() ? null : g;
    }

    private static String encode(Grant g) {
        return g.fileId + ":" + g.userId + ":" + g.direction + ":" + g.size + ":" + g.sha256 + ":" + g.expiresAt;
    }

    /** {@link #encode}'s grant; null for null, or for what does not parse (not a token of ours). */
    private static Grant decode(String kept) {
        if (kept == null) {
            return null;
        }
        String[] f = kept.split(":", -1);
        try {
            return new Grant(Long.parseLong(f[0]), Long.parseLong(f[1]), Direction.valueOf(f[2]), Long.parseLong(f[3]),
                    f[4], Long.parseLong(f[5]));
        } catch (RuntimeException e) {
            return null;
        }
    }
}
