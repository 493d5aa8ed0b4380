package chat.bench;

import chat.common.wire.LegacyRecord;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/** One simulated client: its socket, the tail of a record split across reads, queued output. */
final class Conn {

    final int index;
    SocketChannel channel;
    SelectionKey key;
    int interest;
    int connectAttempts;

    /** Bytes of a record whose rest has not arrived yet; at most {@code SIZE - 1}. */
    final byte[] partial = new byte[LegacyRecord.SIZE];
    int partialLen;

    /** Output the socket did not take yet, in fill mode; null until needed. */
    ByteBuffer out;
    boolean writeBlocked;

    boolean connected;
    boolean closed;
    /** Every 151-byte unit this client received, whatever it holds. */
    long units;
    /** {@link #units} when the load started: announcements and probes came before. */
    long unitsBase;
    /** The highest synchronisation probe this client has received. */
    long sync = -1;

    Conn(int index) {
        this.index = index;
    }

    boolean hasOutput() {
        return out != null && out.position() > 0;
    }
}
