package chat.server;

import chat.common.wire.ProtocolSniffer;
import chat.server.reactor.Connection;
import chat.server.reactor.Handler;
import java.nio.ByteBuffer;

/**
 * Every connection's first handler: waits until the first bytes tell which protocol the peer
 * speaks ({@link ProtocolSniffer}), then hands the connection, and those bytes, to that protocol.
 */
final class ProtocolRouter implements Handler {

    private final Handler legacy;
    private final Handler text;

    ProtocolRouter(Handler legacy, Handler text) {
        this.legacy = legacy;
        this.text = text;
    }

    @Override
    public void onRead(Connection c, ByteBuffer in) {
        ProtocolSniffer.Kind kind = ProtocolSniffer.sniff(in);
        if (kind == null) {
            return; // not enough bytes yet: they stay in the buffer
        }
        Handler next = kind == ProtocolSniffer.Kind.LEGACY ? legacy : text;
        c.setHandler(next);
        next.onRead(c, in);
    }

    @Override
    public void onClose(Connection c) {
        // Closed before it said anything: nobody to tell.
    }
}
