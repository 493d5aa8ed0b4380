package chat.client.term;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The terminal client's file commands against the real server (SQLite) over real sockets: two
 * scripted users, one of them in Chinese, send a file with /send (through the server to a friend
 * who is offline, straight to one online on the same machine), see it offered, list it with
 * /files, fetch it with /get (twice: the second copy takes a new name), cancel one with /cancel;
 * an oversized file and one over the quota are refused in the user's words.
 */
class FileShellTest {

    private static final Locale EN = Locale.ENGLISH;
    private static final Locale ZH = Locale.forLanguageTag("zh-CN");
    private static final int SIZE = 2 * 1024 * 1024 + 777;

    @TempDir
    Path dir;

    private static void registerAndLogIn(ShellUser u, String password, Locale locale) {
        u.type("/register " + u.name, password);
        u.expectStarting(locale == ZH ? "已注册 " : "Registered ");
        u.type("/login " + u.name, password);
        u.expect(locale == ZH ? "已登录为 " + u.name + "." : "Logged in as " + u.name + ".");
    }

    /** alice (in English) and 小红 (in Chinese) sign up and become friends, 小红 asking. */
    private static void aliceAndRedAreFriends(ShellUser alice, ShellUser red) {
        registerAndLogIn(alice, "alice-secret-1", EN);
        registerAndLogIn(red, "小红的密码-123", ZH);
        red.type("/add alice");
        red.expectStarting("已向 alice");
        alice.type("/accept 小红");
        red.expect("alice 已成为你的好友.");
    }

    private static void befriend(ShellUser a, ShellUser b) {
        a.type("/add " + b.name);
        a.expectStarting("Friend request sent to");
        b.type("/accept " + a.name);
        a.expect(b.name + " is now your friend.");
    }

    private Path file(String name, int size) throws Exception {
        byte[] bytes = new byte[size];
        new Random().nextBytes(bytes);
        return Files.write(Files.createDirectories(dir.resolve("outbox")).resolve(name), bytes);
    }

    /** The file id in "Offered NAME (SIZE) to WHO as file ID; sending it." */
    private static long offeredId(String line) {
        String tail = line.substring(line.lastIndexOf("as file ") + "as file ".length());
        return Long.parseLong(tail.substring(0, tail.indexOf(';')));
    }

    @Test
    void aFileIsSentListedFetchedTwiceAndCancelled() throws Exception {
        try (var server = TestServer.start(TestServer.settings().data(Files.createDirectories(dir.resolve("server"))));
                var alice = ShellUser.start("alice", server.port(), dir.resolve("alice"), EN);
                var bob = ShellUser.start("bob", server.port(), dir.resolve("bob"), EN)) {
            registerAndLogIn(alice, "alice-secret-1", EN);
            registerAndLogIn(bob, "bob-secret-1", EN);
            befriend(alice, bob);

            bob.type("/logout");
            bob.expect("Logged out.");
            Path sent = file("holiday photos.zip", SIZE);
            alice.type("/send bob " + sent);
            alice.expect("bob is offline or not on your network: the file goes through the server.");
            long id = offeredId(alice.expectStarting("Offered holiday photos.zip (2.0 MB) to bob as file "));
            alice.expect("Sent holiday photos.zip to bob (file " + id + ").");
            bob.type("/login bob", "bob-secret-1");
            bob.expect("[alice] holiday photos.zip (2.0 MB, /get " + id + ")");

            bob.type("/files");
            bob.expect("Files (1):");
            bob.expect("  " + id + "  holiday photos.zip  2.0 MB  alice -> bob  ready");

            Path inbox = dir.resolve("in box");
            bob.type("/get " + id + " " + inbox);
            bob.expect("Downloading holiday photos.zip (2.0 MB) to " + inbox + "...");
            bob.expect("Saved holiday photos.zip as " + inbox.resolve("holiday photos.zip") + ".");
            bob.type("/get " + id + " " + inbox);
            bob.expect("Saved holiday photos.zip as " + inbox.resolve("holiday photos (1).zip") + ".");
            assertArrayEquals(Files.readAllBytes(sent), Files.readAllBytes(inbox.resolve("holiday photos.zip")));
            assertArrayEquals(Files.readAllBytes(sent), Files.readAllBytes(inbox.resolve("holiday photos (1).zip")));

            bob.type("/history alice");
            bob.expectEnding("[alice] holiday photos.zip (2.0 MB, /get " + id + ")");

            alice.type("/cancel " + id);
            alice.expect("Cancelled file " + id + ".");
            bob.expect("holiday photos.zip (file " + id + ") was cancelled by its sender.");
            bob.type("/get " + id + " " + inbox);
            bob.expect("File " + id + " was cancelled by its sender.");
            bob.type("/get 999999 " + inbox);
            bob.expectStarting("There is no file 999999 for you (");
            bob.type("/send alice " + dir.resolve("nothing-here"));
            bob.expect("No such file to send: " + dir.resolve("nothing-here"));
            assertEquals(Client.Exit.OK, alice.quit());
        }
    }

    @Test
    void friendsOnOneMachineSendDirectlyAndTheServerCarriesNothing() throws Exception {
        try (var server = TestServer.start(TestServer.settings().data(Files.createDirectories(dir.resolve("server"))));
                var alice = ShellUser.start("alice", server.port(), dir.resolve("alice"), EN);
                var red = ShellUser.start("小红", server.port(), dir.resolve("red"), ZH)) {
            aliceAndRedAreFriends(alice, red);

            Path sent = file("song.flac", SIZE);
            alice.type("/send 小红 " + sent);
            alice.expect("Offered song.flac (2.0 MB) to 小红 directly, on your network; waiting for 小红 to fetch it.");
            red.expect("alice 从同一网络上的客户端直接发给你 song.flac (2.0 MB): /get p1");
            Path inbox = dir.resolve("inbox");
            red.type("/get p1 " + inbox);
            red.expect("已保存 song.flac 为 " + inbox.resolve("song.flac") + ".");
            alice.expect("Sent song.flac to 小红 directly (the server did not carry it).");
            assertArrayEquals(Files.readAllBytes(sent), Files.readAllBytes(inbox.resolve("song.flac")));

            // /get alone takes the latest direct offer
            alice.type("/send 小红 " + sent);
            alice.expectStarting("Offered song.flac (2.0 MB) to 小红 directly");
            red.expect("alice 从同一网络上的客户端直接发给你 song.flac (2.0 MB): /get p2");
            red.type("/get");
            String saved = red.expectStarting("已保存 song.flac 为 ");
            // without a folder it goes to ~/Downloads, else the current folder: not the test's to keep
            Path where = Path.of(saved.substring(saved.indexOf(" 为 ") + 3, saved.length() - 1));
            assertArrayEquals(Files.readAllBytes(sent), Files.readAllBytes(where));
            Files.delete(where);
            alice.expect("Sent song.flac to 小红 directly (the server did not carry it).");

            alice.type("/files");
            alice.expect("No files.");
            try (var blobs = Files.walk(dir.resolve("server"))) {
                assertEquals(0, blobs.filter(p -> p.toString().contains("files") && Files.isRegularFile(p)).count(),
                        "no byte went through the server");
            }
        }
    }

    @Test
    void anOversizedFileAndOneOverTheQuotaAreRefusedInTheUsersWords() throws Exception {
        var settings = TestServer.settings().data(Files.createDirectories(dir.resolve("server")))
                .fileMaxSize(SIZE).fileQuota(SIZE + SIZE / 2);
        try (var server = TestServer.start(settings);
                var alice = ShellUser.start("alice", server.port(), dir.resolve("alice"), EN);
                var red = ShellUser.start("小红", server.port(), dir.resolve("red"), ZH)) {
            aliceAndRedAreFriends(alice, red);

            // each recipient offline at the time, so that the files go through the server and its limits
            red.type("/logout");
            red.expect("已退出登录.");
            alice.type("/send 小红 " + file("big.iso", SIZE + 1));
            alice.expectStarting("big.iso is too large for this server (");

            alice.type("/logout");
            alice.expect("Logged out.");
            red.type("/login 小红", "小红的密码-123");
            red.expect("已登录为 小红.");
            red.type("/send alice " + file("one.bin", SIZE));
            red.expectStarting("已发送 one.bin 给 alice");
            red.type("/send alice " + file("two.bin", SIZE));
            red.expectStarting("未发送: 你在服务器上的文件会超出配额 (");
            alice.type("/login alice", "alice-secret-1");
            alice.expectStarting("[小红] one.bin (2.0 MB, /get ");
        }
    }
}
