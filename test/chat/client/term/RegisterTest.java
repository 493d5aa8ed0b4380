package chat.client.term;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.server.TestServer;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /register NAME} checks the name before it asks for a password (its form here, whether it
 * is taken with the server's CHECK_NAME, logged in or not), asks for the password twice on a
 * terminal and asks again when the two differ; over real sockets.
 */
class RegisterTest {

    @TempDir
    Path dir;

    @Test
    void onATerminalTheNameIsCheckedFirstAndThePasswordAskedTwiceUntilBothAgree() throws Exception {
        try (var server = TestServer.start(); var bob = ShellUser.start("bob", server.port(), dir.resolve("bob"),
                Locale.ENGLISH); var alice = TermUser.start(server.port(), dir.resolve("alice"))) {
            bob.registerAndLogIn("bob-secret-12");
            alice.await("Connected to 127.0.0.1");
            alice.type("/register no:colon");
            alice.await("no:colon cannot be a name");
            assertEquals(0, alice.count("Password:"), "no password asked for a bad name: " + alice.lines());
            alice.type("/register Bob"); // alice is not logged in: the server's CHECK_NAME tells
            alice.await("The name Bob is taken, or looks like one that is: choose another.");
            alice.type("/register ｂｏｂ");
            alice.await("The name ｂｏｂ is taken, or looks like one that is: choose another.");
            assertEquals(0, alice.count("Password:"), "no password asked for a taken name before login: "
                    + alice.lines());

            alice.type("/register alice");
            alice.await("Password:");
            alice.type("alice-secret-1");
            alice.await("Password again:");
            alice.type("not-the-same-1");
            alice.await("The two passwords differ; type them again.");
            alice.type("alice-secret-1");
            alice.await("Password again:", 2);
            alice.type("alice-secret-1");
            alice.await("Registered alice. Now /login alice.");

            alice.type("/login alice");
            alice.type("alice-secret-1"); // the agreed password is the one registered
            alice.await("Logged in as alice.");
            long asked = alice.count("Password:");
            alice.type("/register Bob");
            alice.await("The name Bob is taken, or looks like one that is: choose another.");
            alice.type("/friends"); // the shell goes on at once: no password was being read
            alice.await("No friends yet");
            assertEquals(asked, alice.count("Password:"), "a taken name is told before any password: "
                    + alice.lines());
        }
    }

    @Test
    void aScriptGetsTheTakenNameBeforeItsPasswordLineWhichIsReadAllTheSame() throws Exception {
        try (var server = TestServer.start();
                var bob = ShellUser.start("bob", server.port(), dir.resolve("bob"), Locale.ENGLISH);
                var carol = ShellUser.start("carol", server.port(), dir.resolve("carol"), Locale.ENGLISH)) {
            bob.registerAndLogIn("bob-secret-12");
            carol.type("/register Bob", "/msg bob not a password either"); // before carol's login
            carol.expect("The name Bob is taken, or looks like one that is: choose another.");
            carol.registerAndLogIn("carol-secret-1");
            carol.type("/register BOB", "/msg bob not a password");
            carol.expect("The name BOB is taken, or looks like one that is: choose another.");
            carol.type("/register x:y", "still-a-password");
            carol.expect("x:y cannot be a name: a name has 1 to 32 letters, digits, '_', '-' or '.' (16 Chinese characters at most), in one script (Latin may go with Chinese), with nothing invisible.");
            carol.type("/unread");
            carol.expect("No unread messages.");
            assertTrue(carol.all().stream().noneMatch(l -> l.startsWith("Not a command") || l.contains("Not sent")),
                    "the password lines were read as passwords: " + carol.all());
            carol.type("/register dora", "dora-secret-1");
            carol.expect("Registered dora. Now /login dora.");
        }
    }
}
