package chat.client.term;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.server.Await;
import chat.server.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jline.reader.Candidate;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tab completes commands, friends' names and groups, kept current as they change, over real sockets. */
class CompletionTest {

    @TempDir
    Path dir;

    @Test
    void commandsFriendsAndGroupsCompleteAndFollowChanges() throws Exception {
        try (var server = TestServer.start();
                var alice = ShellUser.start("alice", server.port(), dir.resolve("alice"), Locale.ENGLISH);
                var bob = ShellUser.start("bob", server.port(), dir.resolve("bob"), Locale.ENGLISH)) {
            Completions tab = alice.shell.completions();
            assertEquals(List.of("/join"), tab.candidates("/jo", true));
            assertEquals(List.of("/decline", "/decline-invite", "/del", "/disband", "/disconnect"), tab.candidates("/d", true));
            alice.registerAndLogIn("alice-secret-1");
            bob.registerAndLogIn("bob-secret-12");
            alice.befriend(bob);
            Await.until(() -> tab.candidates("b", false).equals(List.of("bob")), "bob completes");
            alice.type("/create team");
            alice.expectStarting("Created #team");
            Await.until(() -> tab.candidates("#t", false).equals(List.of("#team")), "#team completes");
            bob.type("/del alice"); // told by an event
            Await.until(() -> tab.candidates("b", false).isEmpty(), "bob no longer completes");
            alice.type("/disband team");
            alice.expect("#team was disbanded.");
            Await.until(() -> tab.candidates("#", false).isEmpty(), "#team no longer completes");

            // as JLine asks: the word under the cursor
            alice.type("/create crew");
            Await.until(() -> tab.candidates("#c", false).equals(List.of("#crew")), "#crew completes");
            var asked = new ArrayList<Candidate>();
            tab.complete(null, new DefaultParser().parse("/msg #cr", 8), asked);
            assertEquals(List.of("#crew"), asked.stream().map(Candidate::value).toList());
        }
    }
}
