package chat.client;

import java.nio.file.Path;
import java.security.cert.CertificateException;

/**
 * The server presented another certificate than the one remembered for it (trust on first use):
 * someone may be in the middle, or the server has a new certificate. Refused, always; the user
 * removes the server's line from {@code file} if the change is expected.
 */
public final class CertificateChangedException extends CertificateException {

    private static final long serialVersionUID = 1L;

    public final String server;
    public final String known;
    public final String presented;
    public final transient Path file;

    CertificateChangedException(String server, String known, String presented, Path file) {
        super("THE CERTIFICATE OF " + server + " HAS CHANGED: remembered SHA-256 " + known + ", presented "
                + presented + ". Someone may be intercepting the connection; refused. If the server really has a "
                + "new certificate, remove its line from " + file + ".");
        this.server = server;
        this.known = known;
        this.presented = presented;
        this.file = file;
    }
}
