package chat.client.term;

import chat.server.TestServer;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What others do to me is told: a declined friend request, who added me to a group, how to answer a join request. */
class ToldTest {

    @TempDir
    Path dir;

    @Test
    void aDeclineWhoAddedMeAndHowToAnswerAJoinRequestAreTold() throws Exception {
        try (var server = TestServer.start();
                var alice = ShellUser.start("alice", server.port(), dir.resolve("alice"), Locale.ENGLISH);
                var bob = ShellUser.start("bob", server.port(), dir.resolve("bob"), Locale.ENGLISH)) {
            alice.registerAndLogIn("alice-secret-1");
            bob.registerAndLogIn("bob-secret-12");
            alice.type("/add bob");
            bob.expect("alice asks to be your friend: /accept alice or /decline alice");
            bob.type("/decline alice");
            bob.expect("Declined alice's request.");
            alice.expect("bob declined your friend request.");

            bob.befriend(alice);
            alice.type("/create den closed");
            alice.expect("Created #den (closed); you own it.");
            alice.type("/invite den bob");
            bob.expect("alice added you to #den: you are a member now.");
            alice.type("/kick den bob");
            bob.expect("You were removed from #den.");
            bob.type("/join den");
            alice.expect("bob asks to join #den: /approve den bob or /reject den bob");
        }
    }
}
