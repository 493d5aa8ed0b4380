package chat.client;

/**
 * The user's word on a server whose certificate the system's trust store does not vouch for (a
 * self-signed one): trust on first use, the way ssh does. The library asks once per server; a
 * yes is remembered in the data directory's {@code known_hosts} ({@link KnownHosts}), and from
 * then on that certificate is taken without asking and any other one is refused
 * ({@link CertificateChangedException}, told as {@link ChatEvent.CertificateChanged}).
 *
 * <p>Called on the thread that connects (the library's own, or the caller's in
 * {@link ChatClient#verifyServer}); it may block while the user decides.
 */
@FunctionalInterface
public interface HostTrust {

    /**
     * First sight of {@code server} ({@code host:port}) presenting a certificate the system does
     * not trust, whose SHA-256 fingerprint is {@code fingerprint} ({@code AB:CD:...}, as
     * {@code openssl x509 -noout -fingerprint -sha256} shows it): trust it from now on?
     */
    boolean trustFirstSight(String server, String fingerprint);

    /** Never trusts a certificate the system does not: for a client that cannot ask. */
    HostTrust SYSTEM_ONLY = (server, fingerprint) -> false;
}
