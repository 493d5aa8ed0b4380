package chat.client.term;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.client.Relay;
import chat.server.Backend;
import chat.server.TestServer;
import chat.server.reactor.Limits;
import chat.server.text.TextProtocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The scripted terminal client against the real server over real sockets: two users (one with a
 * Chinese name, whose client speaks Chinese) become friends and write to each other online and
 * offline, across a logout, a server restart and a cut network, without losing or doubling a
 * message; the local history answers when the server cannot.
 */
class AccountShellTest {

    private static final Locale EN = Locale.ENGLISH;
    private static final Locale ZH = Locale.forLanguageTag("zh-CN");
    private static final String PW_ALICE = "alice-secret-1";
    private static final String PW_RED = "小红的密码-123";

    @TempDir
    Path dir;

    /** The server of the moment: stopped and started again by a test, closed once at the end. */
    private static final class Servers implements AutoCloseable {
        private TestServer current;

        Servers(TestServer first) {
            current = first;
        }

        int port() {
            return current.port();
        }

        void stop() throws InterruptedException {
            if (current != null) {
                current.close();
                current = null;
            }
        }

        void restart(TestServer next) throws InterruptedException {
            stop();
            current = next;
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }

    /** Registers and logs in, waiting for the (empty) friend list that follows a first login. */
    private static void registerAndLogIn(ShellUser u, String password, Locale locale) {
        u.type("/register " + u.name, password);
        u.expect(locale == ZH ? "已注册 " + u.name + ". 现在可以 /login " + u.name + "." : "Registered " + u.name + ". Now /login " + u.name + ".");
        u.type("/login " + u.name, password);
        u.expect(locale == ZH ? "已登录为 " + u.name + "." : "Logged in as " + u.name + ".");
        u.expect(locale == ZH ? "还没有好友: 先 /find 找人, 再 /add 加好友." : "No friends yet: /find someone, then /add them.");
    }

    /** alice asks 小红, 小红 accepts. */
    private static void befriend(ShellUser alice, ShellUser red) {
        alice.type("/find 红");
        alice.expect("Users (1):");
        alice.expect("  小红");
        alice.type("/add 小红");
        alice.expect("Friend request sent to 小红.");
        red.expect("alice 请求加你为好友: /accept alice 同意, /decline alice 拒绝");
        red.type("/accept alice");
        red.expect("alice 已成为你的好友.");
        alice.expect("小红 is now your friend.");
        alice.type("/friends");
        alice.expect("Friends (1):");
        alice.expect("  小红: online");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void twoUsersBecomeFriendsAndWriteOnlineAndOffline(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = new Servers(TestServer.start(Limits.DEFAULT, db.url(), TextProtocol.DEFAULT_IDLE_MILLIS, db.data()));
                var alice = ShellUser.start("alice", server.port(), dir.resolve("alice"), EN);
                var red = ShellUser.start("小红", server.port(), dir.resolve("red"), ZH)) {
            registerAndLogIn(alice, PW_ALICE, EN);
            registerAndLogIn(red, PW_RED, ZH);
            befriend(alice, red);

            // online, both ways; a colon and a percent sign travel as they are
            alice.type("/msg 小红 你好: 100% 真的");
            red.expect("[alice] 你好: 100% 真的");
            red.type("/chat alice");
            red.expect("正在与 alice 聊天: 直接输入的行都发给 alice; 单独输入 /chat 结束.");
            red.type("hi alice", "//slash");
            alice.expect("[小红] hi alice");
            alice.expect("[小红] /slash");

            // alice leaves; 小红 writes meanwhile
            alice.type("/logout");
            alice.expect("Logged out.");
            red.expect("alice 用户下线.");
            for (int i = 1; i <= 3; i++) {
                red.type("offline " + i);
            }
            red.type("/history alice 2"); // answered after the three are stored
            red.expectEnding("[小红] offline 2");
            red.expectEnding("[小红] offline 3");

            // back: the three arrive in order (the friend list, asked after the login, may come among them)
            alice.type("/login alice", PW_ALICE);
            alice.expect("Logged in as alice.");
            alice.expect("[小红] offline 1");
            alice.expect("[小红] offline 2");
            alice.expect("[小红] offline 3");
            red.expect("alice 用户上线.");
            alice.type("/history 小红 4");
            alice.expectEnding("[小红] /slash");
            alice.expectEnding("[小红] offline 1");
            alice.expectEnding("[小红] offline 2");
            alice.expectEnding("[小红] offline 3");

            // the server goes: the local history still answers
            server.stop();
            alice.expectStarting("Connection lost (");
            alice.type("/history 小红 5");
            alice.expectEnding("[小红] hi alice");
            alice.expectEnding("[小红] /slash");
            alice.expectEnding("[小红] offline 1");
            alice.expectEnding("[小红] offline 2");
            alice.expectEnding("[小红] offline 3");
            alice.type("/search OFFLINE");
            alice.expectEnding("[小红 -> alice] offline 3");
            alice.expectEnding("[小红 -> alice] offline 2");
            alice.expectEnding("[小红 -> alice] offline 1");
            alice.type("/friends");
            alice.expect("Not connected to the server (retrying in the background).");

            assertEquals(Client.Exit.OK, alice.quit());
            for (String m : List.of("[小红] hi alice", "[小红] offline 1", "[小红] offline 2", "[小红] offline 3")) {
                assertEquals(1, alice.count(m), m + " in " + alice.all());
            }
            assertEquals(1, red.count("[alice] 你好: 100% 真的"), red.all().toString());
        }
    }

    @Test
    void theHistoryAndItsFoldersAreReadableByTheirOwnerOnly() throws Exception {
        Path data = dir.resolve("alice");
        try (var server = TestServer.start(Limits.DEFAULT);
                var alice = ShellUser.start("alice", server.port(), data, EN)) {
            registerAndLogIn(alice, PW_ALICE, EN);
            alice.type("/history alice 1"); // stored in the history file: it exists by now
            assertEquals(Client.Exit.OK, alice.quit());
        }
        if (!Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            return; // nothing to check where there are no POSIX permissions
        }
        Path history;
        try (var files = Files.walk(data)) {
            history = files.filter(f -> f.getFileName().toString().equals("user-alice.db")).findFirst().orElseThrow();
        }
        for (Path folder = history.getParent(); !folder.equals(dir); folder = folder.getParent()) {
            assertEquals("rwx------", permissions(folder), folder.toString());
        }
        try (var files = Files.list(history.getParent())) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("user-alice.db")).toList()) {
                assertEquals("rw-------", permissions(f), f.toString());
            }
        }
    }

    private static String permissions(Path p) throws java.io.IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void withNoServerItSaysSoAndTheLoginWaitsWithoutChangingThePrompt() throws Exception {
        Path serverData = Files.createDirectories(dir.resolve("server"));
        try (var before = TestServer.start(TestServer.settings().data(serverData));
                var registering = new chat.server.TextClient(before.port(), "zed")) {
            assertTrue(registering.call(new chat.common.proto.Request.Register("zed", "zed-secret-1")).ok());
        }
        int port = freePort();
        try (var zed = ShellUser.start("zed", port, dir.resolve("zed"), EN)) {
            zed.expect("Connecting to 127.0.0.1 port " + port + "...");
            String said = zed.expectStarting("Cannot reach 127.0.0.1 port " + port + " (");
            assertTrue(said.endsWith("); still trying in the background."), said);
            zed.type("/login zed", "zed-secret-1");
            zed.expect("Not connected: you will be logged in as zed when the connection is back.");
            assertEquals("> ", zed.shell.prompt(), "no name before the server has accepted it");

            // the server comes: the login goes through, and only then does the prompt change
            try (var server = TestServer.start(TestServer.settings().data(serverData).port(port))) {
                zed.expect("Logged in as zed.");
                assertEquals("zed> ", zed.shell.prompt());
                assertEquals(Client.Exit.OK, zed.quit());
            }
            assertEquals(1, zed.all().stream().filter(l -> l.startsWith("Cannot reach")).count(),
                    "told once, not at every attempt: " + zed.all());
        }
    }

    @Test
    void withNoServerAndNoInputItExitsWithAFailureAndSaysWhy() throws Exception {
        int port = freePort();
        try (var red = ShellUser.start("小红", port, dir.resolve("red"), ZH)) {
            red.expect("正在连接 127.0.0.1 端口 " + port + "...");
            assertEquals(Client.Exit.CONNECT_FAILED, red.quit());
            red.expect("始终无法连接 127.0.0.1 端口 " + port + ": 什么都没有发出.");
        }
    }

    private static int freePort() throws java.io.IOException {
        try (var probe = new java.net.ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    @Test
    void afterAServerRestartItReconnectsLogsInAgainAndCatchesUpWithoutDuplicates() throws Exception {
        Path serverData = Files.createDirectories(dir.resolve("server"));
        try (var servers = new Servers(TestServer.start(Limits.DEFAULT, null, TextProtocol.DEFAULT_IDLE_MILLIS, serverData));
                var relay = new Relay(servers.port());
                var alice = ShellUser.start("alice", relay.port(), dir.resolve("alice"), EN);
                var bob = ShellUser.start("bob", relay.port(), dir.resolve("bob"), EN)) {
            registerAndLogIn(alice, PW_ALICE, EN);
            registerAndLogIn(bob, "bob-secret-1", EN);
            alice.type("/add bob");
            alice.expect("Friend request sent to bob.");
            bob.expect("alice asks to be your friend: /accept alice or /decline alice");
            bob.type("/accept alice");
            bob.expect("alice is now your friend.");
            alice.type("/msg bob before");
            bob.expect("[alice] before");

            servers.stop();
            relay.down();
            alice.expectStarting("Connection lost (");
            bob.expectStarting("Connection lost (");
            // written while the server is down: kept, shown as not sent yet, sent once it is back
            alice.type("/msg bob while down");
            alice.expect("Not connected: the message to bob will be sent when the connection is back.");
            alice.type("/history bob 2");
            alice.expectEnding("[alice] before");
            alice.expectEnding("[alice] while down (not sent yet)");

            servers.restart(TestServer.start(Limits.DEFAULT, null, TextProtocol.DEFAULT_IDLE_MILLIS, serverData));
            relay.up(servers.port());
            alice.expect("Logged in again as alice.");
            bob.expect("Logged in again as bob.");
            bob.expect("[alice] while down");
            alice.type("/msg bob after the restart");
            bob.expect("[alice] after the restart");

            // the network breaks without the server noticing first: nothing comes twice
            relay.cut();
            alice.expect("Logged in again as alice.");
            bob.expect("Logged in again as bob.");
            alice.type("/msg bob after the cut");
            bob.expect("[alice] after the cut");
            alice.type("/history bob 10");
            alice.expectEnding("[alice] before");
            alice.expectEnding("[alice] while down");
            alice.expectEnding("[alice] after the restart");
            alice.expectEnding("[alice] after the cut");

            bob.type("/history alice 10");
            List<String> bobHistory = List.of(
                    bob.expectEnding("[alice] before"), bob.expectEnding("[alice] while down"),
                    bob.expectEnding("[alice] after the restart"), bob.expectEnding("[alice] after the cut"));
            assertEquals(4, bobHistory.size());
            assertEquals(Client.Exit.OK, bob.quit());
            for (String m : List.of("[alice] before", "[alice] while down", "[alice] after the restart", "[alice] after the cut")) {
                assertEquals(1, bob.count(m), m + " in " + bob.all());
            }
            assertTrue(alice.all().stream().noneMatch(l -> l.contains("Error")), alice.all().toString());
        }
    }

    @Test
    void offlineAFreshSessionReadsTheLocalHistoryAndLogsInWhenTheServerComesBack() throws Exception {
        Path serverData = Files.createDirectories(dir.resolve("server"));
        try (var servers = new Servers(TestServer.start(Limits.DEFAULT, null, TextProtocol.DEFAULT_IDLE_MILLIS, serverData));
                var relay = new Relay(servers.port())) {
            try (var alice = ShellUser.start("alice", relay.port(), dir.resolve("alice"), EN);
                    var bob = ShellUser.start("bob", relay.port(), dir.resolve("bob"), EN)) {
                registerAndLogIn(alice, PW_ALICE, EN);
                registerAndLogIn(bob, "bob-secret-1", EN);
                bob.type("/add alice");
                alice.expect("bob asks to be your friend: /accept bob or /decline bob");
                alice.type("/accept bob");
                bob.expect("alice is now your friend.");
                bob.type("/msg alice kept locally");
                alice.expect("[bob] kept locally");
                alice.quit();
                bob.type("/msg alice sent while alice was away");
                bob.type("/history alice 1");
                bob.expectEnding("[bob] sent while alice was away");
            }
            servers.stop();
            relay.down();
            try (var alice = ShellUser.start("alice", relay.port(), dir.resolve("alice"), EN)) {
                // the session saved by the last run: alice is known at once, offline
                alice.type("/history bob");
                alice.expectEnding("[bob] kept locally");
                alice.type("/login alice", PW_ALICE);
                alice.expect("Not connected: you will be logged in as alice when the connection is back.");
                servers.restart(TestServer.start(Limits.DEFAULT, null, TextProtocol.DEFAULT_IDLE_MILLIS, serverData));
                relay.up(servers.port());
                alice.expect("Logged in as alice.");
                alice.expect("[bob] sent while alice was away");
                assertEquals(1, alice.count("[bob] sent while alice was away"));
                assertEquals(0, alice.count("[bob] kept locally"), "acknowledged before: not delivered again");
            }
        }
    }

    @Test
    void aRestartedClientResumesWithoutThePasswordAndPasswdAndLogoutEndOtherSessions() throws Exception {
        Path serverData = Files.createDirectories(dir.resolve("server"));
        try (var server = TestServer.start(Limits.DEFAULT, null, TextProtocol.DEFAULT_IDLE_MILLIS, serverData)) {
            try (var alice = ShellUser.start("alice", server.port(), dir.resolve("alice"), EN)) {
                registerAndLogIn(alice, PW_ALICE, EN);
                assertEquals(Client.Exit.OK, alice.quit());
            }
            try (var alice = ShellUser.start("alice", server.port(), dir.resolve("alice"), EN);
                    var phone = ShellUser.start("alice", server.port(), dir.resolve("phone"), EN)) {
                alice.expect("Logged in as alice."); // by the token the last run saved: no password typed
                phone.type("/login alice", PW_ALICE);
                phone.expect("Logged in as alice.");
                alice.type("/passwd", PW_ALICE, "alice-new-secret");
                alice.expect("Password changed. Your other devices are logged out.");
                phone.expectStarting("Logged out: ");
                alice.type("/logout");
                alice.expect("Logged out.");
                assertEquals(Client.Exit.OK, alice.quit());
            }
            try (var alice = ShellUser.start("alice", server.port(), dir.resolve("alice"), EN)) {
                alice.type("/friends"); // the logout ended the saved session: nobody is logged in
                alice.expect("Log in first: /login USER");
                alice.type("/login alice", PW_ALICE);
                alice.expect("Wrong name or password.");
                alice.type("/login alice", "alice-new-secret");
                alice.expect("Logged in as alice.");
                assertEquals(Client.Exit.OK, alice.quit());
            }
        }
    }

    @Test
    void errorsAreInTheUsersWordsInBothLanguagesAndUsageComesFromTheShell() throws Exception {
        try (var server = TestServer.start();
                var carol = ShellUser.start("carol", server.port(), dir.resolve("carol"), EN);
                var chen = ShellUser.start("陈明", server.port(), dir.resolve("chen"), ZH)) {
            carol.type("/friends");
            carol.expect("Log in first: /login USER");
            carol.type("/login carol", "wrong-password");
            carol.expect("Wrong name or password.");
            carol.type("/register carol", "short");
            carol.expect("A password has 8 to 1024 characters.");
            carol.type("/register no:colon", "carol-secret");
            carol.expect("no:colon cannot be a name: a name has 1 to 32 letters, digits, '_', '-' or '.' (16 Chinese characters at most), in one script (Latin may go with Chinese), with nothing invisible.");
            registerAndLogIn(carol, "carol-secret", EN);
            registerAndLogIn(chen, PW_RED, ZH);
            carol.type("/register Carol", "carol-secret");
            carol.expect("The name Carol is taken, or looks like one that is: choose another.");
            carol.type("/add nobody");
            carol.expect("There is no user nobody: /find TEXT looks for names.");
            carol.type("/msg carol hi");
            carol.expect("Not sent to carol: That is you.");
            carol.type("/msg 陈明 hi");
            carol.expect("Not sent to 陈明: Only friends can message each other: use /add 陈明 first.");
            chen.type("/msg carol 你好");
            chen.expect("未能发给 carol: 只有好友之间才能发消息: 请先 /add carol.");
            chen.type("/accept carol");
            chen.expect("carol 没有请求加你为好友.");
            carol.type("/leave team");
            carol.expect("There is no group #team: /groups lists yours.");
            carol.type("/add");
            carol.expect("usage: /add USER");
            carol.type("/history carol x");
            carol.expect("x is not a number from 1 to 10000.");
            carol.type("/bogus");
            carol.expect("Unknown command /bogus; /help lists them.");
            carol.type("just text");
            carol.expect("Not a command: /chat USER first, or /msg USER TEXT.");
            carol.type("/help");
            carol.expect("Commands:");
            carol.type("/quit");
            assertEquals(Client.Exit.OK, carol.quit());
        }
    }
}
