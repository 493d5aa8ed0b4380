package chat.server;

import chat.common.proto.ErrorCode;
import chat.common.proto.Reply;
import chat.common.wire.ProtocolSniffer;
import chat.server.command.Bans;
import chat.server.files.DataConnections;
import chat.server.reactor.Connection;
import chat.server.reactor.Handler;
import chat.server.tls.ServerTls;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Every connection's first handler: waits until the first bytes tell which protocol the peer
 * speaks ({@link ProtocolSniffer}), then hands the connection, and those bytes, to that protocol:
 * legacy records, text lines, or, when the first line is {@code UPLOAD:} or {@code DOWNLOAD:}, a
 * data connection that carries a file's bytes.
 * A connection that has not told within the identify timeout is closed without a word: there is
 * no protocol yet to say goodbye in; so is one from an address an admin banned, as it is accepted.
 *
 * <p>A TLS record first ({@code 0x16 0x03}) makes the connection speak TLS ({@link ServerTls}),
 * when the server has a certificate; the router stays its handler and sniffs the plain bytes
 * that come out of the handshake the same way, so every protocol works inside TLS. Without a
 * certificate such a connection is closed (before TLS was known it was taken for a legacy record
 * and relayed to the room). A handshake not finished within the handshake timeout closes it.
 */
final class ProtocolRouter implements Handler {

    private static final System.Logger LOG = System.getLogger(ProtocolRouter.class.getName());

    private final Handler legacy;
    private final Handler text;
    private final Handler data;
    private final long identifyMillis;
    private final Bans bans;
    /** Null when the server has no certificate. */
    private final ServerTls tls;
    private final long handshakeMillis;

    ProtocolRouter(Handler legacy, Handler text, Handler data, long identifyMillis, Bans bans, ServerTls tls,
            long handshakeMillis) {
        this.legacy = legacy;
        this.text = text;
        this.data = data;
        this.identifyMillis = identifyMillis;
        this.bans = bans;
        this.tls = tls;
        this.handshakeMillis = handshakeMillis;
    }

    /**
     * A connection from a banned address is closed at once, before a byte is read: it has no
     * protocol yet to be told why in, and an address an admin banned gets nothing of the server.
     */
    @Override
    public void onOpen(Connection c) {
        if (bans.refuses(c.remoteAddress().getAddress())) {
            LOG.log(Level.DEBUG, () -> c + " - refused: the address is banned");
            c.close("address banned");
            return;
        }
        c.setTicking(true); // for the identify timeout
    }

    @Override
    public void onRead(Connection c, ByteBuffer in) {
        ProtocolSniffer.Kind kind = ProtocolSniffer.sniff(in);
        if (kind == null) {
            return; // not enough bytes yet: they stay in the buffer
        }
        if (kind == ProtocolSniffer.Kind.TLS) {
            startTls(c, in);
            return;
        }
        Handler next = kind == ProtocolSniffer.Kind.LEGACY ? legacy
                : DataConnections.isDataRequest(in) ? data : text; // a file's bytes: see docs/PROTOCOL.md
        c.setTicking(false); // the protocol decides whether it needs the clock
        c.setHandler(next);
        next.onRead(c, in);
    }

    private void startTls(Connection c, ByteBuffer in) {
        if (tls == null) {
            in.position(in.limit());
            c.close("spoke TLS, and this server has no certificate (--tls-cert)");
        } else if (c.isTls()) {
            in.position(in.limit());
            c.close("a TLS record inside TLS");
        } else {
            tls.start(c, in);
        }
    }

    @Override
    public void onTick(Connection c, long nowMillis) {
        if (c.isTls() && !c.isTlsHandshaken() && nowMillis - c.openedAt() >= handshakeMillis) {
            LOG.log(Level.DEBUG, () -> c + " - no TLS handshake within " + handshakeMillis + " ms");
            c.close("did not finish its TLS handshake within " + handshakeMillis + " ms");
        } else if (nowMillis - c.openedAt() >= identifyMillis) {
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
