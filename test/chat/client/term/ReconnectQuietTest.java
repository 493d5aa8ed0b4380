package chat.client.term;

import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.client.Relay;
import chat.server.TestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After a reconnect only what changed is printed: a friend still online is not announced again. */
class ReconnectQuietTest {

    @TempDir
    Path dir;

    @Test
    void aReconnectAnnouncesOnlyFriendsWhosePresenceChanged() throws Exception {
        try (var server = TestServer.start(); var relay = new Relay(server.port());
                var alice = ShellUser.start("alice", server.port(), dir.resolve("alice"), Locale.ENGLISH);
                var bob = ShellUser.start("bob", relay.port(), dir.resolve("bob"), Locale.ENGLISH)) {
            alice.registerAndLogIn("alice-secret-1");
            bob.registerAndLogIn("bob-secret-12");
            alice.befriend(bob); // bob is told alice is online on the way
            if (!bob.all().contains("alice is online.")) {
                bob.expect("alice is online."); // the presence comes just after the friendship: wait for it
            }

            relay.cut(); // bob's connection breaks; he comes back by himself, alice never left
            bob.expectStarting("Connection lost (");
            bob.expect("Logged in again as bob.");
            alice.type("/quit");
            alice.quit();
            List<String> between = bob.expect("alice went offline."); // a change: told
            assertTrue(between.stream().noneMatch(l -> l.equals("alice is online.")), between.toString());
        }
    }
}
