package chat.client.term;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.client.Relay;
import chat.server.TestServer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * My messages show where they stand: … waiting (offline), ✓ stored by the server, ✓✓ received by
 * a device of my friend's (the server's DELIVERED receipt), over real sockets.
 */
class DeliveryMarksTest {

    private static final Locale EN = Locale.ENGLISH;

    @TempDir
    Path dir;

    @Test
    void myMessagesGoFromWaitingToStoredToDelivered() throws Exception {
        try (var server = TestServer.start(); var relay = new Relay(server.port());
                var alice = ShellUser.start("alice", relay.port(), dir.resolve("alice"), EN)) {
            alice.registerAndLogIn("alice-secret-1");
            try (var bob = ShellUser.start("bob", server.port(), dir.resolve("bob"), EN)) {
                bob.registerAndLogIn("bob-secret-12");
                alice.befriend(bob);

                // bob online: stored, then delivered once his client ACKs it
                alice.type("/msg bob hi");
                alice.expect("[alice -> bob] hi \u2713");
                bob.expect("[alice] hi");
                alice.expect("[alice -> bob] hi \u2713\u2713");
                bob.type("/quit");
                bob.quit();
            }
            alice.expect("bob went offline.");

            // bob away: stored only
            alice.type("/msg bob later");
            alice.expect("[alice -> bob] later \u2713");

            // alice's connection down: waiting, then stored when it went by itself
            relay.down();
            alice.expectStarting("Connection lost (");
            alice.type("/msg bob typed offline");
            alice.expect("[alice -> bob] typed offline \u2026");
            alice.expect("Not connected: the message to bob will be sent when the connection is back.");
            relay.up(server.port());
            alice.expect("[alice -> bob] typed offline \u2713");

            // bob back: his catch-up's ACKs deliver both
            try (var bob = ShellUser.start("bob", server.port(), dir.resolve("bob"), EN)) {
                bob.expect("[alice] typed offline");
                alice.expect("[alice -> bob] typed offline \u2713\u2713");
            }
        }
    }

    @Test
    void marksAreAsciiWhereTheTerminalIsNotUtf8() {
        assertTrue(JLineConsole.unicode(Map.of("LANG", "zh_CN.UTF-8")));
        assertTrue(JLineConsole.unicode(Map.of("LC_ALL", "en_US.utf8", "LANG", "C")));
        assertEquals(false, JLineConsole.unicode(Map.of("LC_ALL", "C", "LANG", "en_US.UTF-8")));
        assertEquals(false, JLineConsole.unicode(Map.of()));
    }
}
