package chat.server.reactor;

/**
 * The reactor's memory and time bounds. Defaults, and why:
 *
 * <ul>
 *   <li>{@code maxPendingPerConnection} 4 MiB: about 27,000 legacy records, minutes of a busy
 *       room, on top of what the kernel's socket buffer already holds. A client that falls that
 *       far behind has stopped reading; it is disconnected so that it costs nobody else anything
 *       (compare Redis's {@code client-output-buffer-limit pubsub 32mb} and NATS's
 *       {@code max_pending}).
 *   <li>{@code stallMillis} 30 s: a client that accepts no byte at all for that long while
 *       output waits for it is disconnected even below the cap, so that a few stuck clients
 *       cannot hold the high-water mark (and so everyone's reads) for long.
 *   <li>{@code highWater} 16 MiB, four times one client's cap: when output waiting in user space
 *       across all connections passes it, the reactor stops reading, TCP pushes back on the
 *       senders, and nothing is dropped; it reads again below {@code lowWater}, 8 MiB.
 *   <li>{@code maxRetainedChunks}: how many free buffer chunks the pool keeps for reuse.
 * </ul>
 */
public record Limits(
        int maxPendingPerConnection,
        long stallMillis,
        long highWater,
        long lowWater,
        int maxRetainedChunks) {

    public static final Limits DEFAULT = new Limits(4 << 20, 30_000, 16 << 20, 8 << 20, 4096);

    public Limits {
        if (maxPendingPerConnection <= 0) {
            throw new IllegalArgumentException(
                    "maxPendingPerConnection must be a positive integer: " + maxPendingPerConnection);
        }
        if (stallMillis <= 0) {
            throw new IllegalArgumentException("stallMillis must be positive: " + stallMillis);
        }
        // highWater below one client's cap is allowed: then a flood pauses reading before any
        // client can be cut, at the price of one stuck client pausing everyone until it stalls out.
        if (lowWater <= 0 || highWater <= lowWater) {
            throw new IllegalArgumentException(
                    "need 0 < lowWater < highWater, got " + lowWater + " and " + highWater);
        }
        if (maxRetainedChunks < 0) {
            throw new IllegalArgumentException("maxRetainedChunks must not be negative: " + maxRetainedChunks);
        }
    }

    public Limits withMaxPending(int bytes) {
        long high = Math.max(highWater, 4L * bytes);
        return new Limits(bytes, stallMillis, high, Math.min(lowWater, high / 2), maxRetainedChunks);
    }

    public Limits withStallMillis(long millis) {
        return new Limits(maxPendingPerConnection, millis, highWater, lowWater, maxRetainedChunks);
    }

    public Limits withWaterMarks(long high, long low) {
        return new Limits(maxPendingPerConnection, stallMillis, high, low, maxRetainedChunks);
    }
}
