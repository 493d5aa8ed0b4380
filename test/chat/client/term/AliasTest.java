package chat.client.term;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.server.TestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * My alias for a friend shows wherever the friend's name does ({@code Zhang (bob)}): messages,
 * presence, /friends, /members, /find, and Tab, where typing the alias completes the name; on the
 * device that set it at once, on my other devices from the server's contact list; over real
 * sockets, alice at a JLine terminal on streams.
 */
class AliasTest {

    @TempDir
    Path dir;

    @Test
    void anAliasShowsBeforeTheNameEverywhereAndCompletesToIt() throws Exception {
        try (var server = TestServer.start();
                var bob = ShellUser.start("bob", server.port(), dir.resolve("bob"), Locale.ENGLISH);
                var alice = TermUser.start(server.port(), dir.resolve("alice"))) {
            bob.registerAndLogIn("bob-secret-12");
            alice.registerAliceAndBefriend(bob);

            alice.type("/alias bob Zhang");
            alice.await("bob is now shown as Zhang.");
            alice.type("/chat bob"); // on a terminal, only the window shown prints its messages
            alice.await("Chatting with bob");
            bob.type("/msg alice hi there");
            alice.await("[Zhang (bob)] hi there");
            alice.type("/friends");
            alice.await("Zhang (bob): online");
            alice.type("/find bo");
            alice.await("Zhang (bob)");
            alice.type("/create den");
            alice.await("Created #den");
            alice.type("/invite den bob");
            alice.await("Zhang (bob) joined #den.");
            alice.type("/members den");
            alice.await("  Zhang (bob): online");

            Completions tab = alice.shell.completions();
            assertEquals(List.of("bob"), tab.candidates("zha", false), "the alias completes to the name");
            alice.keys("/msg Zha\t"); // Tab makes it /msg bob, else the line would go to nobody called Zha
            alice.type("by alias");
            bob.expect("[alice] by alias"); // bob has no alias for alice

            try (var phone = ShellUser.start("alice", server.port(), dir.resolve("phone"), Locale.ENGLISH)) {
                phone.type("/login alice", "alice-secret-1");
                phone.expect("Logged in as alice.");
                phone.expect("Friends (1):");
                phone.expect("  Zhang (bob): online");
                bob.type("/msg alice to both");
                phone.expect("[Zhang (bob)] to both");
            }
            bob.quit();
            alice.await("Zhang (bob) went offline.");
        }
    }
}
