package chat.client;

import chat.common.io.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The certificates trusted on first use, in {@code known_hosts} in the client's data directory:
 * one line per server, {@code host:port FINGERPRINT}, the SHA-256 of the server's own (leaf)
 * certificate as {@code AB:CD:...}. A person can read it, compare it with
 * {@code openssl x509 -noout -fingerprint -sha256}, and delete a line. Private to the user
 * (0600), like the tokens beside it. Thread-safe: every read goes to the file.
 */
final class KnownHosts {

    static final String FILE = "known_hosts";

    private final Path file;

    KnownHosts(Path dataDir) {
        this.file = dataDir.resolve(FILE);
    }

    Path file() {
        return file;
    }

    /** The fingerprint remembered for {@code server}, if any. */
    synchronized Optional<String> get(String server) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length == 2 && parts[0].equals(server)) {
                    return Optional.of(parts[1]);
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    /** Remembers {@code fingerprint} for {@code server} (which has none yet). */
    synchronized void add(String server, String fingerprint) {
        try {
            PrivateFiles.createFolders(file.getParent());
            if (!Files.exists(file)) {
                PrivateFiles.createFile(file);
            }
            Files.writeString(file, server + " " + fingerprint + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }

    /** {@code AB:CD:...}: the SHA-256 of the certificate's DER bytes, as browsers and openssl show it. */
    static String fingerprint(X509Certificate cert) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("SHA-256 of a certificate", e);
        }
    }
}
