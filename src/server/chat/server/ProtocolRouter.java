package chat.server;

import chat.common.proto.ErrorCode;
import chat.common.proto.Reply;
import chat.common.wire.ProtocolSniffer;
import chat.server.files.DataConnections;
import chat.server.reactor.Connection;
import chat.server.reactor.Handler;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Every connection's first handler: waits until the first bytes tell which protocol the peer
 * speaks ({@link ProtocolSniffer}), then hands the connection, and those bytes, to that protocol:
 * legacy records, text lines, or, when the first line is {@code UPLOAD:} or {@code DOWNLOAD:}, a
 * data connection that carries a file's bytes.
 * A connection that has not told within the identify timeout is closed without a word: there is
 * no protocol yet to say goodbye in.
 */
final class ProtocolRouter implements Handler {

    private static final System.Logger LOG = System.getLogger(ProtocolRouter.class.getName());

    private final Handler legacy;
    private final Handler text;
    private final Handler data;
    private final long identifyMillis;

    ProtocolRouter(Handler legacy, Handler text, Handler data, long identifyMillis) {
        this.legacy = legacy;
        this.text = text;
        this.data = data;
        this.identifyMillis = identifyMillis;
    }

    @Override
    public void onOpen(Connection c) {
        c.setTicking(true); // for the identify timeout
    }

    @Override
    public void onRead(Connection c, ByteBuffer in) {
        ProtocolSniffer.Kind kind = ProtocolSniffer.sniff(in);
        if (kind == null) {
            return; // not enough bytes yet: they stay in the buffer
        }
        Handler next = kind == ProtocolSniffer.Kind.LEGACY ? legacy
                : DataConnections.isDataRequest(in) ? data : text; // a file's bytes: see docs/PROTOCOL.md
        c.setTicking(false); // the protocol decides whether it needs the clock
        c.setHandler(next);
        next.onRead(c, in);
    }

    @Override
    public void onTick(Connection c, long nowMillis) {
        if (nowMillis - c.openedAt() >= identifyMillis) {
            LOG.log(Level.DEBUG, () -> c + " - no protocol within " + identifyMillis + " ms");
            c.close("did not identify its protocol within " + identifyMillis + " ms");
        }
    }

    /**
     * {@code ERR:too-many-connections:…}: a text client reads it as the reason; a legacy client
     * gets fewer bytes than a record before the close, never a record it could show.
     */
    @Override
    public byte[] refusal() {
        String line = Reply.err(null, ErrorCode.TOO_MANY_CONNECTIONS,
                "too many connections from this address; close some and try again").toLine().format();
        return (line + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void onClose(Connection c) {
        // Closed before it said anything: nobody to tell.
    }
}
