package chat.server.reactor;

/**
 * The reactor's memory, time and connection bounds. Defaults, and why:
 *
 * <ul>
 *   <li>{@code maxPendingPerConnection} 4 MiB: about 27,000 legacy records, minutes of a busy
 *       room, on top of what the kernel's socket buffer already holds. A client that falls that
 *       far behind has stopped reading; it is disconnected so that it costs nobody else anything
 *       (compare Redis's {@code client-output-buffer-limit pubsub 32mb} and NATS's
 *       {@code max_pending}).
 *   <li>{@code stallMillis} 30 s: a client that accepts no byte at all for that long while
 *       output waits for it is disconnected even below the cap.
 *   <li>{@code highWater} 16 MiB, four times one client's cap: when output waiting in user space
 *       for connections that take it passes it, the reactor stops reading, TCP pushes back on the
 *       senders, and nothing is dropped; it reads again below {@code lowWater}, 8 MiB.
 *   <li>{@code stuckMillis} 1 s: a connection that has taken no byte for that long while output
 *       waits, or that still holds more than 64 KiB that long into a pause of everyone's
 *       reading, is <em>stuck</em>: its bytes stop counting toward the water marks until its
 *       queue is empty. So clients that do not read can pause the others for about that long,
 *       never until the stall cut (issue 13's goal is 2 s), while a flood by clients that read
 *       still pauses reading and loses nothing. A client that needs longer than that to take its
 *       backlog is no longer waited for; falling further behind, it meets its cap.
 *   <li>{@code maxStuckTotal} 32 MiB, twice the high-water mark: what stuck connections may hold
 *       together. A stuck connection holding more than 64 KiB that takes them past it is
 *       disconnected, so that clients that do not read cost a bounded amount of memory however
 *       many they are.
 *   <li>{@code maxConnectionsPerAddress} 32: connections open at once from one IP address,
 *       loopback included. A person runs a few devices behind one address and a household or
 *       office a few dozen; one address holding thousands is an attack on the descriptors.
 *       Benchmarks and tests that open thousands of loopback connections raise it.
 *   <li>{@code reservedDescriptors} 64: accepting stops while fewer descriptors than this are
 *       left under the process's limit, so that the database, its journal files and file
 *       transfers can still open theirs.
 *   <li>{@code maxRetainedChunks}: how many free buffer chunks the pool keeps for reuse.
 * </ul>
 */
public record Limits(
        int maxPendingPerConnection,
        long stallMillis,
        long highWater,
        long lowWater,
        long stuckMillis,
        long maxStuckTotal,
        int maxConnectionsPerAddress,
        int reservedDescriptors,
        int maxRetainedChunks) {

    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 32;

    public static final Limits DEFAULT = new Limits(4 << 20, 30_000, 16 << 20, 8 << 20, 1_000, 32 << 20,
            DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, 64, 4096);

    public Limits {
        if (maxPendingPerConnection <= 0) {
            throw new IllegalArgumentException(
                    "maxPendingPerConnection must be a positive integer: " + maxPendingPerConnection);
        }
        if (stallMillis <= 0 || stuckMillis <= 0) {
            throw new IllegalArgumentException("stallMillis and stuckMillis must be positive: " + stallMillis
                    + ", " + stuckMillis);
        }
        // highWater below one client's cap is allowed: then a flood pauses reading before any
        // client can be cut.
        if (lowWater <= 0 || highWater <= lowWater) {
            throw new IllegalArgumentException(
                    "need 0 < lowWater < highWater, got " + lowWater + " and " + highWater);
        }
        if (maxStuckTotal <= 0) {
            throw new IllegalArgumentException("maxStuckTotal must be positive: " + maxStuckTotal);
        }
        if (maxConnectionsPerAddress <= 0) {
            throw new IllegalArgumentException(
                    "maxConnectionsPerAddress must be a positive integer: " + maxConnectionsPerAddress);
        }
        if (reservedDescriptors < 0 || maxRetainedChunks < 0) {
            throw new IllegalArgumentException("reservedDescriptors and maxRetainedChunks must not be negative: "
                    + reservedDescriptors + ", " + maxRetainedChunks);
        }
    }

    public Limits withMaxPending(int bytes) {
        long high = Math.max(highWater, 4L * bytes);
        return new Limits(bytes, stallMillis, high, Math.min(lowWater, high / 2), stuckMillis,
                Math.max(maxStuckTotal, 2 * high), maxConnectionsPerAddress, reservedDescriptors, maxRetainedChunks);
    }

    public Limits withStallMillis(long millis) {
        return new Limits(maxPendingPerConnection, millis, highWater, lowWater, stuckMillis, maxStuckTotal,
                maxConnectionsPerAddress, reservedDescriptors, maxRetainedChunks);
    }

    public Limits withWaterMarks(long high, long low) {
        return new Limits(maxPendingPerConnection, stallMillis, high, low, stuckMillis, maxStuckTotal,
                maxConnectionsPerAddress, reservedDescriptors, maxRetainedChunks);
    }

    public Limits withMaxConnectionsPerAddress(int n) {
        return new Limits(maxPendingPerConnection, stallMillis, highWater, lowWater, stuckMillis, maxStuckTotal,
                n, reservedDescriptors, maxRetainedChunks);
    }
}
