package chat.client.term;

import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.server.Await;
import chat.server.TestServer;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * irssi's windows: a conversation gets a window by /chat or by a message; a terminal's status line
 * counts what was not shown; Alt-N and /win N show a window's last messages again, which reads
 * them; /unread counts only what the screen did not show (read marks batched); scripts get /win
 * too, without a status line. Over real sockets.
 */
class WindowsTest {

    @TempDir
    Path dir;

    @Test
    void onATerminalMessagesForAnotherWindowCountInTheStatusLineUntilAltNShowsThem() throws Exception {
        try (var server = TestServer.start();
                var bob = ShellUser.start("bob", server.port(), dir.resolve("bob"), Locale.ENGLISH);
                var alice = TermUser.start(server.port(), dir.resolve("alice"))) {
            bob.registerAndLogIn("bob-secret-12");
            alice.registerAliceAndBefriend(bob);

            bob.type("/msg alice one", "/msg alice two");
            alice.await("Window 2: bob (/win 2 or Alt-2).");
            Await.until(() -> alice.shell.windowStatus().equals("[1] [2:bob(2)]"), "the status line counts bob's two");
            assertTrue(alice.raw().contains("[1] [2:bob(1)]"), "drawn at the bottom of the terminal");
            assertTrue(alice.lines().stream().noneMatch(l -> l.contains("[bob] one")), "not shown in window 1");

            alice.keys("\u001b2"); // Alt-2
            alice.await("--- window 2: bob ---");
            alice.await("[bob] one");
            alice.await("[bob] two");
            alice.await("Chatting with bob");
            Await.until(() -> alice.shell.windowStatus().equals("[1] [2:bob]"), "the count gone once shown");
            bob.type("/msg alice three"); // shown in the window alice is in: read
            alice.await("[bob] three");
            alice.type("/unread");
            alice.await("No unread messages.");
            alice.type("/win list");
            alice.await("  1: main");
            alice.await("* 2: bob");
            alice.type("/win close");
            alice.await("Window 2 (bob) closed.");
            Await.until(() -> alice.shell.windowStatus().equals("[1]"), "window 2 gone");
        }
    }

    @Test
    void aScriptSeesEveryMessageButOnlyTheActiveWindowsAreRead() throws Exception {
        try (var server = TestServer.start();
                var alice = ShellUser.start("alice", server.port(), dir.resolve("alice"), Locale.ENGLISH);
                var bob = ShellUser.start("bob", server.port(), dir.resolve("bob"), Locale.ENGLISH);
                var carol = ShellUser.start("carol", server.port(), dir.resolve("carol"), Locale.ENGLISH)) {
            alice.registerAndLogIn("alice-secret-1");
            bob.registerAndLogIn("bob-secret-12");
            carol.registerAndLogIn("carol-secret-1");
            alice.befriend(bob);
            alice.befriend(carol);
            alice.type("/chat bob");
            alice.expectStarting("Chatting with bob");
            bob.type("/msg alice seen");
            alice.expect("[bob] seen");
            carol.type("/msg alice not looked at");
            alice.expect("[carol] not looked at"); // a script prints it all the same
            alice.type("/unread"); // still in bob's chat: what it showed is read without leaving it
            alice.expect("Conversations with unread messages (1):");
            alice.expect("  carol: 1");
            alice.type("/win list");
            alice.expect("  1: main");
            alice.expect("* 2: bob");
            alice.expect("  3: carol (1 unread)");
            alice.type("/win 3");
            alice.expect("--- window 3: carol ---");
            alice.expect("[carol] not looked at");
            alice.type("/unread");
            alice.expect("No unread messages.");
            alice.type("/win 7");
            alice.expect("There is no window 7: /win list shows them.");
            alice.type("/win 1");
            alice.expect("Chat with carol ended.");
            Await.until(() -> alice.console.prompt().equals("alice> "), "the prompt of window 1");
        }
    }
}
