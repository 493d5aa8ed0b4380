package chat.server;

import chat.server.config.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The test certificates (test/resources/chat/tls, self-signed for localhost and 127.0.0.1, made
 * with openssl: see the README there) and TLS sockets that trust them.
 */
public final class TlsFixture {

    private TlsFixture() {}

    /** {@code rsa} or {@code ec}: that fixture's certificate file. */
    public static Path cert(String kind) {
        return resource(kind + "-cert.pem");
    }

    public static Path key(String kind) {
        return resource(kind + "-key.pem");
    }

    /** Test settings with the RSA certificate: TLS on the server's port. */
    public static Settings.Builder settings() {
        return TestServer.settings().tlsCert(cert("rsa")).tlsKey(key("rsa"));
    }

    /** A context that trusts the fixture's certificates and nothing else. */
    public static SSLContext trusting() {
        try {
            var store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            var factory = CertificateFactory.getInstance("X.509");
            for (String kind : new String[] {"rsa", "ec"}) {
                try (InputStream in = TlsFixture.class.getResourceAsStream("/chat/tls/" + kind + "-cert.pem")) {
                    store.setCertificateEntry(kind, (X509Certificate) factory.generateCertificate(in));
                }
            }
            var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            var context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the test certificates", e);
        }
    }

    /** A TLS socket to the server on {@code port}, its handshake done. */
    public static SSLSocket connect(int port) throws IOException {
        var socket = (SSLSocket) trusting().getSocketFactory().createSocket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

    /** A text client over TLS, not logged in. */
    public static TextClient client(int port, String name) throws IOException {
        return new TextClient(connect(port), name, chat.common.proto.Request.DEFAULT_DEVICE);
    }

    private static Path resource(String name) {
        try {
            return Path.of(TlsFixture.class.getResource("/chat/tls/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
