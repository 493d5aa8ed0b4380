package chat.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Several nodes behind one address ({@code --cluster redis://HOST:PORT[/PREFIX]}): the Redis
 * that links them, this node's id, and how often it proves it is alive.
 *
 * <ul>
 *   <li>{@code redisUrl}: {@code redis://HOST:PORT}, optionally {@code /PREFIX}, the prefix of
 *       every key and channel (default {@code chat}): tests use their own so that they share the
 *       machine's Redis.
 *   <li>{@code nodeId}: unique per process start (default host-pid-random), so that a node that
 *       restarts is a new node and its old self can be reaped.
 *   <li>{@code heartbeat} 1 s: how often the node refreshes its heartbeat key and looks for dead
 *       nodes.
 *   <li>{@code ttl} 5 s: how long the heartbeat key lives; a node silent that long is dead and
 *       reaped, so a dead node's users are offline to their friends within ttl + heartbeat (6 s,
 *       under the 10). At least twice the heartbeat, so that one late refresh is no death.
 * </ul>
 */
public record ClusterSettings(String redisUrl, String nodeId, Duration heartbeat, Duration ttl) {

    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(5);
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern URL = Pattern.compile("redis://[^/:]+(:\\d{1,5})?(/[A-Za-z0-9._:-]{1,64})?");

    public ClusterSettings {
        if (redisUrl == null || !URL.matcher(redisUrl).matches()) {
            throw new IllegalArgumentException("--cluster takes redis://HOST[:PORT][/PREFIX], not " + redisUrl);
        }
        if (nodeId == null) {
            nodeId = generatedId();
        }
        if (!NODE_ID.matcher(nodeId).matches()) {
            throw new IllegalArgumentException("--node-id is 1 to 64 of A-Z a-z 0-9 . _ -, not " + nodeId);
        }
        if (heartbeat == null || heartbeat.toMillis() <= 0 || ttl == null || ttl.compareTo(heartbeat.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("--cluster-ttl must be at least twice --cluster-heartbeat: "
                    + ttl + ", " + heartbeat);
        }
    }

    /** host-pid-random: unique per process start. */
    static String generatedId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9.-]", "");
        } catch (UnknownHostException e) {
            host = "node";
        }
        if (host.isEmpty() || host.length() > 40) {
            host = "node";
        }
        long pid = ProcessHandle.current().pid();
        return host + "-" + pid + "-" + Long.toHexString(ThreadLocalRandom.current().nextInt() & 0xffffffffL);
    }

    /** {@code 1s}, {@code 1.5s}, {@code 250ms}, {@code 5} (seconds); whole milliseconds. */
    public static Duration duration(String s, String option) {
        try {
            if (s.endsWith("ms")) {
                return positive(Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2))), option, s);
            }
            String n = s.endsWith("s") ? s.substring(0, s.length() - 1) : s;
            long millis = new java.math.BigDecimal(n).movePointRight(3).longValueExact();
            return positive(Duration.ofMillis(millis), option, s);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(option + " is a duration such as 1s, 1.5s or 250ms, not " + s);
        }
    }

    private static Duration positive(Duration d, String option, String s) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(option + " must be positive, not " + s);
        }
        return d;
    }
}
