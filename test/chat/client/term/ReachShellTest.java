package chat.client.term;

import chat.server.TestServer;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may reach whom, from the terminal (issue 13): /invites sets whose invitations join at once,
 * a refused invitation is told in the inviter's words, /block keeps a user's requests and
 * messages away without telling them, /blocks lists, /unblock undoes; in English and Chinese.
 */
class ReachShellTest {

    private static final Locale ZH = Locale.forLanguageTag("zh-CN");

    @TempDir
    Path dir;

    @Test
    void invitationPolicyAndBlocks() throws Exception {
        try (var server = TestServer.start();
                var alice = ShellUser.start("alice", server.port(), dir.resolve("alice"), Locale.ENGLISH);
                var bob = ShellUser.start("bob", server.port(), dir.resolve("bob"), Locale.ENGLISH);
                var red = ShellUser.start("小红", server.port(), dir.resolve("red"), ZH)) {
            alice.registerAndLogIn("alice-secret-1");
            bob.registerAndLogIn("bob-secret-12");
            red.type("/register 小红", "小红的密码-123");
            red.expect("已注册 小红. 现在可以 /login 小红.");
            red.type("/login 小红", "小红的密码-123");
            red.expect("已登录为 小红.");

            red.type("/invites");
            red.expect("入群邀请: 好友的邀请直接入群; 其他人的邀请等你同意.");
            red.type("/invites nobody");
            red.expect("入群邀请: 任何人都不能邀请你.");
            red.type("/invites maybe");
            red.expect("用法: /invites [anyone|friends|nobody]");
            alice.type("/create den");
            alice.expect("Created #den (open); you own it.");
            alice.type("/invite den 小红");
            alice.expect("小红 does not take invitations to groups.");

            bob.befriend(alice);
            alice.type("/block bob");
            alice.expect("bob is blocked: their messages, friend requests and invitations no longer reach you (they are not told).");
            bob.expect("alice is no longer your friend.");
            alice.type("/blocks");
            alice.expect("You blocked (1):");
            alice.expect("  bob");
            bob.type("/add alice");
            bob.expect("Friend request sent to alice."); // as far as bob can tell
            bob.type("/msg alice are you there?");
            bob.expect("Not sent to alice: Only friends can message each other: use /add alice first.");
            alice.type("/add bob");
            alice.expect("You blocked bob: /unblock bob first.");
            alice.type("/invite den bob");
            alice.expect("You blocked bob: /unblock bob first.");
            alice.type("/unblock bob");
            alice.expect("bob is unblocked.");
            alice.type("/blocks");
            alice.expect("You have blocked no one.");
            bob.type("/add alice");
            alice.expect("bob asks to be your friend: /accept bob or /decline bob");
        }
    }
}
