package chat.client;

import java.time.Duration;
import java.util.List;

/**
 * The connection's timings; {@link #DEFAULT} follows docs/PROTOCOL.md (ping after 30 s of quiet;
 * the server drops a connection silent for 90). Reconnecting waits {@code retryFirst}, doubling up
 * to {@code retryMax} while attempts fail (the article's client retries every second).
 */
public record Timings(Duration connectTimeout, Duration pingAfter, Duration pongWait, Duration retryFirst,
        Duration retryMax) {

    public static final Timings DEFAULT = new Timings(Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(10));

    public Timings {
        for (Duration d : List.of(connectTimeout, pingAfter, pongWait, retryFirst, retryMax)) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timings must be positive: " + d);
            }
        }
        if (retryMax.compareTo(retryFirst) < 0) {
            throw new IllegalArgumentException("retryMax " + retryMax + " is below retryFirst " + retryFirst);
        }
    }
}
