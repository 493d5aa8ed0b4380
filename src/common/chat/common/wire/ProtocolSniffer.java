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
 *
 * <p>Before that rule, a TLS record: a handshake record starts {@code 0x16 0x03} (content type
 * 22, then the major version 3 of every SSL/TLS version since SSL 3.0). No legacy name starts
 * with a control character 22 and no text command does, so the two bytes are enough; a client
 * that speaks TLS says so in its very first byte, and the server answers in TLS.
 */
public final class ProtocolSniffer {

    public enum Kind { LEGACY, TEXT, TLS }

    /** A TLS record's first byte: content type 22, handshake. */
    static final byte TLS_HANDSHAKE = 0x16;
    /** A TLS record's second byte: the major version, 3 for SSL 3.0 up to TLS 1.3. */
    static final byte TLS_MAJOR = 0x03;

    private ProtocolSniffer() {}

    /** The protocol, or {@code null} when the bytes so far do not tell yet. Consumes nothing. */
    public static Kind sniff(ByteBuffer in) {
        int p = in.position();
        if (in.remaining() > 0 && in.get(p) == TLS_HANDSHAKE) {
            if (in.remaining() < 2) {
                return null;
            }
            if (in.get(p + 1) == TLS_MAJOR) {
                return Kind.TLS;
            }
        }
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
