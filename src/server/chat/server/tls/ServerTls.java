package chat.server.tls;

import chat.server.reactor.Connection;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * The server's TLS: its certificate and key, turned into an {@link SSLContext} once at start, and
 * an engine for each connection whose first bytes are a TLS record. TLS 1.3 and 1.2 only: 1.1 and
 * older are deprecated (RFC 8996) and the JDK's own defaults disable them too; naming them here
 * keeps that true on a JDK configured otherwise.
 *
 * <p>The engines' delegated tasks (the signature with the server's key, the slow part of a
 * handshake: about a millisecond for EC P-256, several for RSA 2048) run on {@link #TASK_THREADS}
 * threads of their own, never on the reactor. Their queue has no bound of its own: the reactor
 * hands a task over only while its {@code HandshakeGate} lets the handshake wait (256 in all, 8
 * from one address), and a task whose connection closed meanwhile is skipped.
 */
public final class ServerTls implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ServerTls.class.getName());

    /** The protocols offered, newest first. */
    public static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /**
     * Threads for handshake tasks: two, one a core of this two-core class of machine, leaving the
     * reactor its own; more would only queue on the same cores.
     */
    static final int TASK_THREADS = 2;

    private final SSLContext context;
    private final ExecutorService tasks;

    private ServerTls(SSLContext context) {
        this.context = context;
        this.tasks = Executors.newFixedThreadPool(TASK_THREADS, r -> {
            var t = new Thread(r, "tls-tasks");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Reads {@code certFile} (the chain, PEM) and {@code keyFile} (PKCS#8, PEM); an
     * {@link IOException} says what is wrong with which, including a key that is not the
     * certificate's.
     */
    public static ServerTls load(Path certFile, Path keyFile) throws IOException {
        X509Certificate[] chain = PemFiles.certificates(certFile);
        var key = PemFiles.privateKey(keyFile);
        if (!key.getAlgorithm().equals(chain[0].getPublicKey().getAlgorithm())) {
            throw new IOException(keyFile + " holds an " + key.getAlgorithm() + " key but " + certFile
                    + " certifies an " + chain[0].getPublicKey().getAlgorithm() + " key");
        }
        // Renegotiation started by a client is refused with a fatal alert (the JDK reads this once,
        // before its first server handshake): nothing here needs it, and a client renegotiating
        // over and over costs the tls-tasks a signature each time.
        System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
        try {
            var store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] none = new char[0];
            store.setKeyEntry("server", key, none, chain);
            var managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            managers.init(store, none);
            var context = SSLContext.getInstance("TLS");
            context.init(managers.getKeyManagers(), null, null);
            LOG.log(Level.INFO, () -> "TLS with " + chain[0].getSubjectX500Principal().getName() + ", valid until "
                    + chain[0].getNotAfter().toInstant());
            return new ServerTls(context);
        } catch (GeneralSecurityException e) {
            throw new IOException(certFile + " and " + keyFile + " do not make a TLS key: " + e.getMessage(), e);
        }
    }

    /** A server engine for a new connection, TLS 1.3 and 1.2 only. */
    public SSLEngine engine() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setEnabledProtocols(PROTOCOLS);
        return engine;
    }

    /** Makes {@code c} speak TLS; {@code firstBytes} are the start of its ClientHello. */
    public void start(Connection c, ByteBuffer firstBytes) {
        c.startTls(engine(), tasks, firstBytes);
    }

    @Override
    public void close() {
        tasks.shutdown();
        try {
            tasks.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
