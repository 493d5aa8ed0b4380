package chat.server.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files certbot writes: {@code fullchain.pem} (the server's certificate, then the
 * intermediates) and {@code privkey.pem} (a PKCS#8 key, {@code BEGIN PRIVATE KEY}, RSA or EC).
 * With the JDK alone: Base64 between the armour lines, {@link CertificateFactory} for the chain,
 * {@link PKCS8EncodedKeySpec} for the key. Every failure says which file and what to do.
 */
public final class PemFiles {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    /** The key algorithms a TLS server certificate carries, tried in turn on a PKCS#8 key. */
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC");

    private PemFiles() {}

    /** The chain in {@code file}, the server's own certificate first. */
    public static X509Certificate[] certificates(Path file) throws IOException {
        var factory = x509();
        var chain = new ArrayList<X509Certificate>();
        for (Block b : blocks(file)) {
            if (b.type.equals("CERTIFICATE")) {
                try {
                    chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der)));
                } catch (CertificateException e) {
                    throw new IOException(file + ": certificate " + (chain.size() + 1) + " is not valid X.509: "
                            + e.getMessage(), e);
                }
            }
        }
        if (chain.isEmpty()) {
            throw new IOException(file + ": no BEGIN CERTIFICATE block (give the certificate chain, e.g. certbot's fullchain.pem)");
        }
        return chain.toArray(X509Certificate[]::new);
    }

    /** The private key in {@code file}: PKCS#8, RSA or EC. */
    public static PrivateKey privateKey(Path file) throws IOException {
        for (Block b : blocks(file)) {
            switch (b.type) {
                case "PRIVATE KEY" -> {
                    return pkcs8(file, b.der);
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new IOException(file
                        + ": the key is encrypted; give it without a passphrase (openssl pkcs8 -topk8 -nocrypt)");
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new IOException(file + ": a " + b.type
                        + " block is not PKCS#8; convert it: openssl pkcs8 -topk8 -nocrypt -in "
                        + file.getFileName() + " -out key.pem");
                default -> {
                    // a certificate or parameters beside the key: not ours
                }
            }
        }
        throw new IOException(file + ": no BEGIN PRIVATE KEY block (give the PKCS#8 key, e.g. certbot's privkey.pem)");
    }

    private static PrivateKey pkcs8(Path file, byte[] der) throws IOException {
        var spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // the next algorithm
            }
        }
        throw new IOException(file + ": the key is neither RSA nor EC in PKCS#8");
    }

    private record Block(String type, byte[] der) {}

    private static List<Block> blocks(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        var blocks = new ArrayList<Block>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            try {
                blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": a " + m.group(1) + " block is not Base64: " + e.getMessage(), e);
            }
        }
        return blocks;
    }

    private static CertificateFactory x509() {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("every JDK has X.509", e);
        }
    }
}
