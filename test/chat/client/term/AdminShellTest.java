package chat.client.term;

import chat.server.TestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The terminal's admin commands against the real server over real sockets: an admin in English
 * lists, bans and lifts; a user in Chinese is refused in words, and told when banned.
 */
class AdminShellTest {

    @TempDir
    Path dir;

    private static void logIn(ShellUser u, String password, String registered, String loggedIn) {
        u.type("/register " + u.name, password);
        u.expect(registered);
        u.type("/login " + u.name, password);
        u.expect(loggedIn);
    }

    @Test
    void anAdminBansAndLiftsAndAUserIsRefusedInWords() throws Exception {
        try (var server = TestServer.start(TestServer.settings().admins(List.of("root")));
                var root = ShellUser.start("root", server.port(), dir.resolve("root"), Locale.ENGLISH);
                var red = ShellUser.start("小红", server.port(), dir.resolve("red"), Locale.forLanguageTag("zh-CN"))) {
            logIn(root, "root-secret-1", "Registered root. Now /login root.", "Logged in as root.");
            logIn(red, "小红的密码-123", "已注册 小红. 现在可以 /login 小红.", "已登录为 小红.");

            red.type("/bans");
            red.expect("只有服务器管理员可以这样做.");
            root.type("/help admin");
            root.expectStarting("Commands for the server's admins");
            root.type("/stats");
            root.expect("Server counters:");
            root.expectStarting("  logged_in: ");
            root.type("/connections");
            root.expect("2 connections:");
            root.expectStarting("  #");
            root.type("/disconnect abc");
            root.expect("Not a connection number: abc (/connections lists them).");
            root.type("/ban 小红 soon spam");
            root.expect("Not a number of minutes: soon (0 bans for good).");

            root.type("/ban 小红 0 spam and more");
            root.expect("小红 is banned for good.");
            red.expect("已退出登录: this account is banned for good: spam and more");
            root.type("/bans");
            root.expect("1 bans:");
            root.expectStarting("  小红 for good: spam and more (by root, ");
            root.type("/unban 小红");
            root.expect("小红 is no longer banned.");
            root.type("/unban 小红");
            root.expect("小红 is not banned: /bans lists the bans.");
        }
    }
}
