package chat.server.reactor;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Fixed-size direct buffer chunks for the reactor thread (not thread-safe).
 *
 * <p>Connections borrow chunks while they have bytes in flight and give them back when drained, so
 * thousands of idle connections hold none. Direct, because the JDK copies a heap buffer into a
 * temporary direct one on every socket read and write.
 */
final class BufferPool {

    /** 4 KiB: 27 legacy records, one page; a backlog is a chain of these. */
    static final int CHUNK_SIZE = 4096;

    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private final int size;
    private final int maxRetained;
    private long created;
    private int borrowed;

    BufferPool(int maxRetained) {
        this(CHUNK_SIZE, maxRetained);
    }

    /** A pool of {@code size}-byte buffers: TLS records need whole ones (about 17 KiB). */
    BufferPool(int size, int maxRetained) {
        this.size = size;
        this.maxRetained = maxRetained;
    }

    /** The capacity of every buffer this pool lends. */
    int size() {
        return size;
    }

    ByteBuffer acquire() {
        ByteBuffer b = free.pollFirst();
        if (b == null) {
            b = ByteBuffer.allocateDirect(size);
            created++;
        }
        borrowed++;
        return b;
    }

    void release(ByteBuffer b) {
        borrowed--;
        if (free.size() < maxRetained) {
            b.clear();
            free.addFirst(b); // last in, first out: the warmest chunk is reused first
        }
    }

    /** Chunks lent out now. */
    int borrowed() {
        return borrowed;
    }

    /** Chunks ever allocated. */
    long created() {
        return created;
    }
}
