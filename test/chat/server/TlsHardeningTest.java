package chat.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Line;
import chat.common.proto.Request;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TLS connections that misbehave or are cut in the middle of a handshake: each costs only itself.
 * Real sockets, the JDK's SSLSocket or hand-made records on one side, the reactor on the other.
 */
class TlsHardeningTest {

    /**
     * A TLS 1.2 client that starts a new handshake on its connection is refused with an alert and
     * closed (its renegotiation would stall its own replies and cost a signature each time); a
     * client beside it is answered as before.
     */
    @Test
    void aClientThatRenegotiatesIsClosedAndOthersCarryOn() throws Exception {
        try (var server = TestServer.start(TlsFixture.settings())) {
            var s = (SSLSocket) TlsFixture.trusting().getSocketFactory().createSocket("127.0.0.1", server.port());
            try (s) {
                s.setSoTimeout(10_000);
                s.setEnabledProtocols(new String[] {"TLSv1.2"});
                s.startHandshake();
                assertTrue(ping(s).startsWith("PING:true"), "answered before it renegotiates");
                s.getSession().invalidate();
                IOException refused = assertThrows(IOException.class, () -> {
                    s.startHandshake();
                    ping(s);
                });
                assertFalse(refused instanceof SocketTimeoutException, "closed, not left waiting: " + refused);
            }
            try (var other = TlsFixture.connect(server.port())) {
                assertTrue(ping(other).startsWith("PING:true"), "the server still answers others");
            }
        }
    }

    /**
     * An admin's DISCONNECT of a connection halfway through its TLS handshake closes it at once,
     * not at the handshake timeout: it reads no more, so its handshake could never end.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aConnectionDisconnectedMidHandshakeIsClosedAtOnce(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(TlsFixture.settings().dbUrl(db.url()).data(db.data())
                        .admins(List.of("root")).tlsHandshakeTimeout(Duration.ofSeconds(60))
                        .identifyTimeout(Duration.ofSeconds(60)));
                var root = TextClient.loggedIn(server.port(), "root");
                var half = new Socket("127.0.0.1", server.port())) {
            half.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, 0x40, 0x01}); // a ClientHello begins
            String port = "127.0.0.1:" + half.getLocalPort();
            var row = new Line[1];
            Await.until(() -> (row[0] = root.call(new Request.Connections()).items().stream()
                    .filter(l -> l.field(3).equals(port)).findFirst().orElse(null)) != null, "the half-made TLS connection is listed");
            assertTrue(root.call(new Request.Disconnect(Long.parseLong(row[0].field(1)))).ok());
            half.setSoTimeout(10_000);
            InputStream in = half.getInputStream();
            byte[] last = in.readAllBytes(); // until the close, well before the 60 s timeout
            assertTrue(last.length == 0 || last[0] == 0x15, "nothing, or an alert");
        }
    }

    /** Sends PING and reads the reply line; the end of the stream is an {@link EOFException}. */
    private static String ping(Socket s) throws IOException {
        s.getOutputStream().write("PING\n".getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
        var line = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new EOFException("closed");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
