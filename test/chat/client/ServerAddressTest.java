package chat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Lists of servers as people write them, and the order the transport tries them in. */
class ServerAddressTest {

    @Test
    void oneServerIsAListOfOne() {
        assertEquals(List.of(new ServerAddress("chat.example.org", 8899)), ServerAddress.list("chat.example.org:8899", 0));
        assertEquals(List.of(new ServerAddress("localhost", 8899)), ServerAddress.list("localhost", 8899));
    }

    @Test
    void aListKeepsItsOrderTakesSpacesAndIPv6InBracketsAndCountsARepeatOnce() {
        assertEquals(List.of(new ServerAddress("a.example.org", 8899), new ServerAddress("10.0.0.2", 9000),
                new ServerAddress("::1", 8899), new ServerAddress("fe80::1", 7000)),
                ServerAddress.list(" a.example.org:8899 , 10.0.0.2:9000,[::1]:8899,[fe80::1]:7000,A.example.org:8899", 0));
        assertEquals(List.of(new ServerAddress("a", 8899), new ServerAddress("b", 9000), new ServerAddress("::1", 8899)),
                ServerAddress.list("a,b:9000,[::1]", 8899), "a host alone takes the default port");
    }

    @Test
    void writtenBackAsRead() {
        var list = List.of(new ServerAddress("a", 1), new ServerAddress("::1", 8899), new ServerAddress("10.0.0.1", 65535));
        assertEquals("a:1,[::1]:8899,10.0.0.1:65535", ServerAddress.format(list));
        assertEquals(list, ServerAddress.list(ServerAddress.format(list), 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "a:8899,", ",a:8899", "a:8899,,b:8899", "a", "a:", "a:0", "a:65536", "a:-1", "a:88x",
        "a:123456", "::1:8899", "[::1", "[::1]8899", "[a]:8899", "[]:8899", ":8899", "a b:8899", "user@a:8899",
        "a/b:8899"})
    void aBadListIsRefusedWithTheEntryAtFault(String text) {
        var e = assertThrows(IllegalArgumentException.class, () -> ServerAddress.list(text, 0));
        assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
    }

    @Test
    void theMessageNamesTheEntry() {
        var e = assertThrows(IllegalArgumentException.class, () -> ServerAddress.list("a:1,b:99999", 0));
        assertEquals("the port is a number from 1 to 65535: b:99999", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ServerAddress.list("::1:8899", 0));
        assertTrue(e.getMessage().contains("[::1]:8899"), e.getMessage());
    }

    @Test
    void theRotationMovesOnAfterEachFailureAndWaitsOnlyWhenEveryServerFailedInARow() {
        var a = new ServerAddress("a", 1);
        var b = new ServerAddress("b", 2);
        var c = new ServerAddress("c", 3);
        var r = new ServerRotation(List.of(a, b, c));
        assertEquals(a, r.target());
        assertEquals(a, r.connected(), "the first before any connection");
        assertNull(r.failed("refused"), "b has not been tried: at once");
        assertEquals(b, r.target());
        r.opened();
        assertEquals(b, r.connected());
        r.dropped(); // BYE:shutdown: the next, not b again
        assertEquals(c, r.target());
        assertNull(r.failed("refused"));
        assertEquals(a, r.target());
        assertNull(r.failed("timed out"));
        assertEquals(b, r.target(), "b, the one that went, only after each of the others");
        assertEquals("c:3: refused; a:1: timed out; b:2: refused", r.failed("refused"), "a round: wait, and say why");
        assertEquals(c, r.target());
        assertEquals(b, r.connected(), "the last one up");
    }

    @Test
    void withOneServerEveryFailureIsARoundAndTheReasonIsAsBefore() {
        var a = new ServerAddress("a", 1);
        var r = new ServerRotation(List.of(a));
        assertEquals("Connection refused", r.failed("Connection refused"));
        assertEquals(a, r.target());
        r.dropped();
        assertEquals(a, r.target());
    }
}
