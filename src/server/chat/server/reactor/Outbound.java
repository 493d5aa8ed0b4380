package chat.server.reactor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;

/**
 * A connection's bytes waiting to be written: a chain of pooled chunks.
 *
 * <p>Every chunk but the last is full and in read mode (position = next byte to send, limit = end).
 * The last chunk, the tail, is in write mode (position = where the next byte goes); {@code
 * tailRead} marks how much of it was sent. Drained chunks go back to the pool at once, so an idle
 * connection holds none.
 */
final class Outbound {

    private ByteBuffer[] ring = new ByteBuffer[4];
    private int head;
    private int count;
    private int tailRead;
    private int pending;
    /** The last write took less than it was offered: the socket's buffer is full. */
    private boolean socketFull;

    int pending() {
        return pending;
    }

    boolean socketFull() {
        return socketFull;
    }

    boolean isEmpty() {
        return pending == 0;
    }

    void append(byte[] src, int off, int len, BufferPool pool) {
        pending += len;
        while (len > 0) {
            ByteBuffer tail = writableTail(pool);
            int n = Math.min(len, tail.remaining());
            tail.put(src, off, n);
            off += n;
            len -= n;
        }
    }

    void append(ByteBuffer src, BufferPool pool) {
        pending += src.remaining();
        while (src.hasRemaining()) {
            ByteBuffer tail = writableTail(pool);
            int n = Math.min(src.remaining(), tail.remaining());
            tail.put(tail.position(), src, src.position(), n);
            tail.position(tail.position() + n);
            src.position(src.position() + n);
        }
    }

    private ByteBuffer writableTail(BufferPool pool) {
        if (count > 0) {
            ByteBuffer tail = ring[(head + count - 1) & (ring.length - 1)];
            if (tail.hasRemaining()) {
                return tail;
            }
            tail.limit(tail.position()).position(tailRead); // full: it becomes a read-mode chunk
        }
        if (count == ring.length) {
            grow();
        }
        ByteBuffer fresh = pool.acquire();
        ring[(head + count) & (ring.length - 1)] = fresh;
        count++;
        tailRead = 0;
        return fresh;
    }

    private void grow() {
        ByteBuffer[] bigger = new ByteBuffer[ring.length * 2];
        for (int i = 0; i < count; i++) {
            bigger[i] = ring[(head + i) & (ring.length - 1)];
        }
        ring = bigger;
        head = 0;
    }

    /**
     * Writes as much as the socket takes in one gathering write of up to {@code scratch.length}
     * chunks, returning the bytes written. Drained chunks return to the pool. {@code ch} is the
     * socket, or the TLS layer in front of it ({@link TlsTransport}), which encrypts what it takes.
     */
    long writeTo(GatheringByteChannel ch, ByteBuffer[] scratch, BufferPool pool) throws IOException {
        if (count == 0) {
            return 0;
        }
        int n = Math.min(count, scratch.length);
        int mask = ring.length - 1;
        ByteBuffer tail = ring[(head + count - 1) & mask];
        boolean tailIncluded = n == count;
        int tailWrite = tail.position();
        if (tailIncluded) {
            tail.limit(tailWrite).position(tailRead);
        }
        long offered = 0;
        for (int i = 0; i < n; i++) {
            scratch[i] = ring[(head + i) & mask];
            offered += scratch[i].remaining();
        }
        long written;
        try {
            // One chunk, the usual case for chat: a plain write, without the gathering write's
            // iovec set-up.
            written = n == 1 ? ch.write(scratch[0]) : ch.write(scratch, 0, n);
        } finally {
            for (int i = 0; i < n; i++) {
                scratch[i] = null;
            }
            if (tailIncluded) {
                tailRead = tail.position();
                tail.limit(tail.capacity()).position(tailWrite);
            }
        }
        pending -= (int) written;
        socketFull = written < offered;
        releaseDrained(pool);
        return written;
    }

    private void releaseDrained(BufferPool pool) {
        int mask = ring.length - 1;
        while (count > 1 && !ring[head].hasRemaining()) {
            pool.release(ring[head]);
            ring[head] = null;
            head = (head + 1) & mask;
            count--;
        }
        if (count == 1 && tailRead == ring[head].position()) {
            pool.release(ring[head]);
            ring[head] = null;
            count = 0;
            head = 0;
            tailRead = 0;
        }
    }

    /** Gives every chunk back; the bytes are dropped (the connection is closing). */
    void release(BufferPool pool) {
        int mask = ring.length - 1;
        for (int i = 0; i < count; i++) {
            pool.release(ring[(head + i) & mask]);
            ring[(head + i) & mask] = null;
        }
        head = 0;
        count = 0;
        tailRead = 0;
        pending = 0;
    }
}
