package chat.client.term;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.client.ServerAddress;
import chat.client.Texts;
import chat.server.TestServer;
import chat.testing.MariaDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The terminal client given several servers ({@code --server A,B}): an account session moves to
 * the second when the first stops, says so in a line, and goes on; the article's group chat does
 * the same in its room.
 */
class ServerListShellTest {

    @TempDir
    Path dir;

    private static ServerAddress local(TestServer s) {
        return new ServerAddress("127.0.0.1", s.port());
    }

    @Test
    void anAccountSessionMovesToTheNextServerSaysSoAndGoesOn() throws Exception {
        try (var db = MariaDb.fresh()) {
            var a = TestServer.start(TestServer.settings().dbUrl(db.url()).data(Files.createDirectories(dir.resolve("a"))));
            try (var b = TestServer.start(TestServer.settings().dbUrl(db.url())
                    .data(Files.createDirectories(dir.resolve("b"))))) {
                var list = List.of(local(a), local(b));
                try (var alice = ShellUser.start("alice", list, dir.resolve("alice"), Locale.ENGLISH);
                        var bob = ShellUser.start("bob", list, dir.resolve("bob"), Locale.ENGLISH)) {
                    alice.expect("Connecting to one of " + ServerAddress.format(list) + "...");
                    alice.expect("Connected to 127.0.0.1 port " + a.port() + ".");
                    alice.registerAndLogIn("alice-secret-1");
                    bob.registerAndLogIn("bob-secret-12");
                    alice.befriend(bob);

                    a.close();
                    alice.expectStarting("Connection lost (");
                    alice.expect("Connected to 127.0.0.1 port " + b.port() + " (moved from 127.0.0.1:" + a.port() + ").");
                    alice.expect("Logged in again as alice.");
                    bob.expect("Logged in again as bob.");
                    alice.type("/msg bob on the second server");
                    bob.expect("[alice] on the second server");
                }
            } finally {
                a.close();
            }
        }
    }

    @Test
    void theArticlesGroupChatMovesToTheNextServerAndAnnouncesItselfThere() throws Exception {
        var a = TestServer.start();
        try (var b = TestServer.start()) {
            try (var carol = ChatUser.connect(List.of(local(a), local(b)), "carol", Locale.ENGLISH)) {
                ChatUser.awaitOnline(a, 1);
                try (var dave = ChatUser.join(b, "dave", Locale.ENGLISH)) {
                    a.close();
                    carol.expect("(The server closed the connection; now on 127.0.0.1:" + b.port() + ".)");
                    dave.expect("~carol is online.");
                    carol.type("hello from a");
                    dave.expect("~carol:hello from a");
                    dave.type("hi carol");
                    carol.expect("~dave:hi carol");
                }
            }
        } finally {
            a.close();
        }
    }

    @Test
    void theMoveIsSaidInChineseToo() {
        var zh = Texts.of(Locale.SIMPLIFIED_CHINESE);
        assertEquals("已连接到 127.0.0.1 端口 2 (从 127.0.0.1:1 换过来).", zh.get("account.moved", "127.0.0.1", "2", "127.0.0.1:1"));
        assertTrue(zh.get("notice.moved", "b:2").contains("b:2"));
    }
}
