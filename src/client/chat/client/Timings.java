package chat.client;

import java.time.Duration;
import java.util.List;

/**
 * The connection's timings; {@link #DEFAULT} follows docs/PROTOCOL.md (ping after 30 s of quiet;
 * the server drops a connection silent for 90). Reconnecting waits {@code retryFirst}, doubling up
 * to {@code retryMax} while attempts fail (the article's client retries every second).
 *
 * <p>{@code directFallback}: how long a direct send ({@link ChatClient#sendDirect}) waits for the
 * friend to start fetching before it sends the file through the server instead. A friend's client
 * that fetches does so as soon as its user says Save; one that never will (the article's client,
 * a user away from the screen) should not keep the file from them for long.
 */
public record Timings(Duration connectTimeout, Duration pingAfter, Duration pongWait, Duration retryFirst,
        Duration retryMax, Duration directFallback) {

    /** {@link #directFallback}'s default: long enough to see the offer and press Save. */
    public static final Duration DIRECT_FALLBACK = Duration.ofSeconds(30);

    public static final Timings DEFAULT = new Timings(Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(10));

    /** Timings with the default {@link #directFallback}. */
    public Timings(Duration connectTimeout, Duration pingAfter, Duration pongWait, Duration retryFirst,
            Duration retryMax) {
        this(connectTimeout, pingAfter, pongWait, retryFirst, retryMax, DIRECT_FALLBACK);
    }

    /** These timings with another {@link #directFallback} (tests make it short). */
    public Timings withDirectFallback(Duration d) {
        return new Timings(connectTimeout, pingAfter, pongWait, retryFirst, retryMax, d);
    }

    public Timings {
        for (Duration d : List.of(connectTimeout, pingAfter, pongWait, retryFirst, retryMax, directFallback)) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timings must be positive: " + d);
            }
        }
        if (retryMax.compareTo(retryFirst) < 0) {
            throw new IllegalArgumentException("retryMax " + retryMax + " is below retryFirst " + retryFirst);
        }
    }
}
