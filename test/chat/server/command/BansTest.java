package chat.server.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.server.store.Store;
import chat.server.store.Store.Ban;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What an address ban holds: an IPv4 address, or an IPv6 address's whole /64, so that a banned
 * host cannot step to the next address of its own network (issue 13's review).
 */
class BansTest {

    private static Bans banning(String literal) {
        String target = Bans.normalize(literal);
        return new Bans(List.of(new Ban(Store.BAN_ADDRESS, target, 0, "spam", "root", 1)), () -> 1_000);
    }

    @Test
    void anIpv6BanHoldsItsWholeSlash64() throws Exception {
        assertEquals("2001:db8:0:0::/64", Bans.normalize("2001:db8::7"));
        assertEquals("2001:db8:0:0::/64", Bans.normalize("2001:DB8:0:0:ffff::1"), "any spelling, any host part");
        Bans bans = banning("2001:db8::7");
        assertTrue(bans.refuses(InetAddress.getByName("2001:db8::99")), "the next address of the same /64");
        assertTrue(bans.refuses(InetAddress.getByName("2001:db8:0:0:1:2:3:4")));
        assertFalse(bans.refuses(InetAddress.getByName("2001:db8:0:1::7")), "another /64");
        assertEquals("spam", bans.address(Bans.normalize("2001:db8::1234")).reason(), "UNBAN finds it from any address in it");
    }

    @Test
    void anIpv4BanHoldsOneAddressAndNamesAreNeverLookedUp() throws Exception {
        assertEquals("10.0.0.7", Bans.normalize("10.0.0.7"));
        assertNull(Bans.normalize("localhost"));
        assertNull(Bans.normalize("300.1.1.1"));
        Bans bans = banning("10.0.0.7");
        assertTrue(bans.refuses(InetAddress.getByName("10.0.0.7")));
        assertFalse(bans.refuses(InetAddress.getByName("10.0.0.8")));
    }
}
