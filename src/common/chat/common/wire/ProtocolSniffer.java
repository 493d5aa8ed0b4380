package chat.common.wire;

import java.nio.ByteBuffer;

/**
 * Tells, from a connection's first bytes, which protocol its peer speaks.
 *
 * <p>The rule: whichever comes first of a NUL byte and a newline decides. A legacy record starts
 * with a NUL-terminated name (and a chat record ends in a NUL type byte), while a text command is
 * a line of UTF-8 that never contains a NUL. When a whole record's worth of bytes holds neither,
 * the peer is not a valid legacy client, and the bytes are handed to the line protocol, whose
 * length cap and error replies deal with them.
 */
public final class ProtocolSniffer {

    public enum Kind { LEGACY, TEXT }

    private ProtocolSniffer() {}

    /** The protocol, or {@code null} when the bytes so far do not tell yet. Consumes nothing. */
    public static Kind sniff(ByteBuffer in) {
        int end = Math.min(in.limit(), in.position() + LegacyRecord.SIZE);
        for (int i = in.position(); i < end; i++) {
            byte b = in.get(i);
            if (b == 0) {
                return Kind.LEGACY;
            }
            if (b == '\n') {
                return Kind.TEXT;
            }
        }
        return end - in.position() >= LegacyRecord.SIZE ? Kind.TEXT : null;
    }
}
