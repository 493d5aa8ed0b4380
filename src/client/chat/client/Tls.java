package chat.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS to the servers of a list: the system's trust store first, with the host name checked as a
 * browser does; when it does not vouch for the certificate, trust on first use ({@link HostTrust},
 * {@link KnownHosts}), per server ({@code host:port}: each node of a cluster has its own line, and
 * its own question). TLS 1.3 and 1.2 only, as the server.
 */
final class Tls {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final KnownHosts known;
    private final HostTrust trust;
    private final Consumer<CertificateChangedException> onChanged;
    /** One context per server, made at its first connection: its trust manager knows whom it checks. */
    private final Map<ServerAddress, SSLContext> contexts = new ConcurrentHashMap<>();

    /** {@code onChanged} hears each refusal of a changed certificate (on the connecting thread). */
    Tls(java.util.List<ServerAddress> servers, KnownHosts known, HostTrust trust,
            Consumer<CertificateChangedException> onChanged) {
        this.known = known;
        this.trust = trust;
        this.onChanged = onChanged;
        servers.forEach(this::context); // a JDK without what TLS needs fails here, not on the reader thread
    }

    private SSLContext context(ServerAddress server) {
        return contexts.computeIfAbsent(server, this::newContext);
    }

    private SSLContext newContext(ServerAddress server) {
        try {
            var factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null); // the system's (the JDK's cacerts)
            X509ExtendedTrustManager system = null;
            for (TrustManager m : factory.getTrustManagers()) {
                if (m instanceof X509ExtendedTrustManager x) {
                    system = x;
                }
            }
            if (system == null) {
                throw new IllegalStateException("the JDK has no X509ExtendedTrustManager");
            }
            SSLContext context = SSLContext.getInstance("TLS");
            // known_hosts names a server host:port, as it always has (an IPv6 host without brackets)
            String name = server.host() + ":" + server.port();
            context.init(null, new TrustManager[] {new FirstUse(system, name, known, trust, onChanged)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("setting up TLS", e);
        }
    }

    /** A TLS socket to {@code server}, connected and its handshake done; the caller closes it. */
    SSLSocket connect(ServerAddress server, Duration timeout) throws IOException {
        var socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(server.host(), server.port()), (int) timeout.toMillis());
            socket.setTcpNoDelay(true);
            // SNI and the host-name check need the name the user gave, not the resolved address.
            var layered = (SSLSocket) context(server).getSocketFactory().createSocket(socket, server.host(),
                    server.port(), true);
            SSLParameters p = layered.getSSLParameters();
            p.setProtocols(PROTOCOLS);
            p.setEndpointIdentificationAlgorithm("HTTPS");
            layered.setSSLParameters(p);
            layered.setSoTimeout((int) timeout.toMillis());
            layered.startHandshake();
            layered.setSoTimeout(0);
            return layered;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The system's verdict, else the one remembered, else the user's. */
    private static final class FirstUse extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager system;
        private final String server;
        private final KnownHosts known;
        private final HostTrust trust;
        private final Consumer<CertificateChangedException> onChanged;

        FirstUse(X509ExtendedTrustManager system, String server, KnownHosts known, HostTrust trust,
                Consumer<CertificateChangedException> onChanged) {
            this.system = system;
            this.server = server;
            this.known = known;
            this.trust = trust;
            this.onChanged = onChanged;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain, () -> system.checkServerTrusted(chain, authType, socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain, () -> system.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain, () -> system.checkServerTrusted(chain, authType));
        }

        /** One of the system's checks, which throws when it does not vouch. */
        private interface SystemCheck {
            void run() throws CertificateException;
        }

        private void check(X509Certificate[] chain, SystemCheck system) throws CertificateException {
            try {
                system.run();
            } catch (CertificateException e) {
                firstUse(chain, e);
            }
        }

        private void firstUse(X509Certificate[] chain, CertificateException systemSays) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw systemSays;
            }
            String presented = KnownHosts.fingerprint(chain[0]);
            Optional<String> remembered = known.get(server);
            if (remembered.isPresent()) {
                if (remembered.get().equals(presented)) {
                    return;
                }
                var changed = new CertificateChangedException(server, remembered.get(), presented, known.file());
                onChanged.accept(changed);
                throw changed;
            }
            if (!trust.trustFirstSight(server, presented)) {
                throw new CertificateException(server + " presented a certificate that is not trusted (SHA-256 "
                        + presented + "): " + systemSays.getMessage());
            }
            known.add(server, presented);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("a client does not check clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("a client does not check clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a client does not check clients");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return system.getAcceptedIssuers();
        }
    }
}
