package chat.server.reactor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The bounds on TLS handshakes waiting for tasks: per address, in all, and places given back. */
class HandshakeGateTest {

    @Test
    void oneAddressGetsItsShareAndNoMoreAndTheTotalHolds() throws Exception {
        var gate = new HandshakeGate();
        InetAddress one = InetAddress.getByName("10.0.0.1");
        for (int i = 0; i < HandshakeGate.PER_ADDRESS; i++) {
            assertTrue(gate.enter(one));
        }
        assertFalse(gate.enter(one), "over its share");
        gate.leave(one);
        assertTrue(gate.enter(one), "a place given back");
        int others = 0;
        for (int i = 2; gate.enter(InetAddress.getByAddress(new byte[] {10, 0, (byte) (i / 250), (byte) (i % 250)})); i++) {
            others++;
        }
        assertTrue(others + HandshakeGate.PER_ADDRESS == HandshakeGate.MAX_WAITING, "the total bound: " + others);
        assertFalse(gate.enter(InetAddress.getByName("10.9.9.9")), "a new address, over the total");
    }
}
