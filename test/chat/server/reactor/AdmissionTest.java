package chat.server.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The accept decision on its own: the per-address cap and the descriptor reserve, with figures of the test's. */
class AdmissionTest {

    /** Descriptor figures the test moves. */
    private static final class Figures implements Admission.Descriptors {
        long open;
        long max;

        Figures(long open, long max) {
            this.open = open;
            this.max = max;
        }

        public long open() { return open; }
        public long max() { return max; }
    }

    @Test
    void theReserveIsKeptAndUnknownFiguresNeverRefuse() {
        assertFalse(Admission.descriptorsLow(900, 1024, 64), "124 left");
        assertFalse(Admission.descriptorsLow(960, 1024, 64), "64 left: the reserve itself is still there");
        assertTrue(Admission.descriptorsLow(961, 1024, 64), "63 left");
        assertTrue(Admission.descriptorsLow(1024, 1024, 64));
        assertFalse(Admission.descriptorsLow(-1, 1024, 64), "open count unknown");
        assertFalse(Admission.descriptorsLow(1000, -1, 64), "limit unknown");
        assertFalse(Admission.descriptorsLow(1024, 1024, 0), "no reserve asked for");
    }

    @Test
    void connectionsAcceptedSinceTheLastMeasureCountUntilTheNext() throws Exception {
        var figures = new Figures(900, 1024);
        var admission = new Admission(1000, 64, figures);
        InetAddress a = InetAddress.getByName("192.0.2.1");
        // 900 open: the accepted one makes 901, then each opened one more, up to 960.
        for (int i = 0; i < 59; i++) {
            assertEquals(Admission.Verdict.ACCEPT, admission.admit(a), "connection " + i);
            admission.opened(a);
        }
        assertEquals(Admission.Verdict.ACCEPT, admission.admit(a), "960 open with it: 64 left");
        admission.opened(a);
        assertEquals(Admission.Verdict.DESCRIPTORS_LOW, admission.admit(a), "961 with it: under the reserve");
        admission.closed(a);
        assertEquals(Admission.Verdict.ACCEPT, admission.admit(a), "a close gives one back");
        figures.open = 1000; // the database opened files meanwhile
        admission.measure();
        assertEquals(Admission.Verdict.DESCRIPTORS_LOW, admission.admit(a));
    }

    @Test
    void eachAddressHasItsCapAndAClosedConnectionGivesItsPlaceBack() throws Exception {
        var admission = new Admission(2, 64, new Figures(10, 100_000));
        InetAddress a = InetAddress.getByName("192.0.2.1");
        InetAddress b = InetAddress.getByName("2001:db8::1");
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (InetAddress address : new InetAddress[] {a, b, loopback}) {
            for (int i = 0; i < 2; i++) {
                assertEquals(Admission.Verdict.ACCEPT, admission.admit(address));
                admission.opened(address);
            }
            assertEquals(Admission.Verdict.TOO_MANY_FROM_ADDRESS, admission.admit(address), address.toString());
        }
        admission.closed(b);
        assertEquals(Admission.Verdict.ACCEPT, admission.admit(b));
        assertEquals(Admission.Verdict.TOO_MANY_FROM_ADDRESS, admission.admit(a));
        for (InetAddress address : new InetAddress[] {a, a, b, loopback, loopback}) {
            admission.closed(address);
        }
        assertEquals(0, admission.addresses(), "no address is remembered once its connections are closed");
    }
}
