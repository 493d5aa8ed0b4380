package chat.server.reactor;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * A bound on the TLS handshakes waiting for their delegated tasks (the signature with the
 * server's key), in all and per client address: 3,000 ClientHellos from one address that hang up
 * at once made a real client's handshake wait 6.8 s behind them. One more is refused, and that
 * connection ends, as {@code HashGate} refuses a hash. Reactor thread only.
 */
final class HandshakeGate {

    /** Handshakes waiting for or running tasks, in all: about a quarter of a second of RSA work. */
    static final int MAX_WAITING = 256;
    /** The same from one address: more than a client and a few tabs of it ever need at once. */
    static final int PER_ADDRESS = 8;

    private final Map<InetAddress, Integer> byAddress = new HashMap<>();
    private int waiting;

    /** Counts one more handshake from {@code address}; false (nothing counted) when over a bound. */
    boolean enter(InetAddress address) {
        if (waiting >= MAX_WAITING || byAddress.getOrDefault(address, 0) >= PER_ADDRESS) {
            return false;
        }
        waiting++;
        byAddress.merge(address, 1, Integer::sum);
        return true;
    }

    /** Its tasks are done, or its connection closed while they waited. */
    void leave(InetAddress address) {
        waiting--;
        byAddress.computeIfPresent(address, (a, n) -> n > 1 ? n - 1 : null);
    }
}
