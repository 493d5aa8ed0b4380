package chat.client.term;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.server.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line: arguments, usage, exit statuses, and one whole run with piped input. */
class ClientTest {

    /** One run of {@link Client#run}: its exit and what it printed. */
    private record Run(Client.Exit exit, List<String> out, List<String> err) {}

    private static Run run(String input, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        Client.Exit exit = Client.run(args, new StringReader(input),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, lines(out), lines(err));
    }

    private static List<String> lines(ByteArrayOutputStream bytes) {
        String s = bytes.toString(StandardCharsets.UTF_8);
        return s.isEmpty() ? List.of() : List.of(s.split("\n", -1)).subList(0, s.split("\n", -1).length - 1);
    }

    @Test
    void wrongArgumentCountsPrintTheUsage() {
        for (String[] args : new String[][] {{}, {"host"}, {"host", "1", "name", "extra"}}) {
            var run = run("", append(args, "--lang", "en"));
            assertEquals(Client.Exit.USAGE, run.exit());
            assertEquals(List.of("usage: chat-client [--lang TAG] [--data DIR] [--tls] (HOST PORT | --server HOST:PORT,...) [NAME]"),
                    run.err());
            assertEquals(List.of(), run.out());
        }
    }

    @Test
    void withoutANameAScriptRunsAnAccountSession(@org.junit.jupiter.api.io.TempDir java.nio.file.Path data)
            throws Exception {
        try (var server = TestServer.start()) {
            String port = Integer.toString(server.port());
            String script = "/register dora\nsecret123\n/login dora\nsecret123\n/find dor\n/quit\n/never run\n";
            var run = run(script, "--lang", "en", "--data", data.toString(), "127.0.0.1", port);
            assertEquals(Client.Exit.OK, run.exit());
            assertEquals(List.of(), run.err());
            assertEquals("Connecting to 127.0.0.1 port " + port + "...", run.out().get(0));
            assertTrue(run.out().containsAll(List.of("Connected to 127.0.0.1 port " + port + ".",
                    "Registered dora. Now /login dora.", "Logged in as dora.", "Users (1):", "  dora")), run.out().toString());
            assertTrue(java.nio.file.Files.exists(data.resolve("127.0.0.1_" + port).resolve("user-dora.db")));
        }
    }

    @Test
    void serverTakesAListInsteadOfHostAndPortForBothModes() throws Exception {
        var a = new chat.client.ServerAddress("a.example.org", 8899);
        var b = new chat.client.ServerAddress("::1", 9000);
        assertEquals(new Client.Options(List.of(a, b), null, Client.defaultData(), true),
                Client.parse(new String[] {"--server", "a.example.org:8899, [::1]:9000", "--tls"}));
        assertEquals(new Client.Options(List.of(a), "alice", null, false),
                Client.parse(new String[] {"--server", "a.example.org:8899", "alice"}));
        assertEquals(new Client.Options("localhost", 8899, null, Client.defaultData(), false),
                Client.parse(new String[] {"localhost", "8899"}), "the old form stays");
        var run = run("", "--lang", "en", "--server", "a:1,b", "alice");
        assertEquals(Client.Exit.USAGE, run.exit());
        assertEquals("chat-client: not a server: \"b\" (--server takes HOST:PORT, several separated by commas; IPv6 as "
                + "[::1]:8899)", run.err().get(0));
        run = run("", "--lang", "en", "--server", "a:1", "localhost", "8899");
        assertEquals(Client.Exit.USAGE, run.exit());
        assertEquals("chat-client: give the server as HOST PORT or with --server, not both", run.err().get(0));
        run = run("", "--lang", "en", "--server");
        assertEquals("chat-client: --server needs a value", run.err().get(0));
        run = run("", "--lang", "en", "--tls", "--server", "a:1", "alice");
        assertEquals(Client.Exit.USAGE, run.exit(), "the article's group chat is plain text on every server");
    }

    @Test
    void aScriptWithAListStartsOnTheFirstServerThatAnswers(@org.junit.jupiter.api.io.TempDir java.nio.file.Path data)
            throws Exception {
        int down;
        int alsoDown;
        try (var s = new ServerSocket(0); var t = new ServerSocket(0)) {
            down = s.getLocalPort();
            alsoDown = t.getLocalPort();
        }
        try (var server = TestServer.start()) {
            String list = "127.0.0.1:" + down + ",127.0.0.1:" + server.port();
            var run = run("/register dora\nsecret123\n/login dora\nsecret123\n/quit\n",
                    "--lang", "en", "--data", data.toString(), "--server", list);
            assertEquals(Client.Exit.OK, run.exit(), run.out().toString());
            assertEquals("Connecting to one of " + list + "...", run.out().get(0));
            assertTrue(run.out().containsAll(List.of("Connected to 127.0.0.1 port " + server.port() + ".",
                    "Logged in as dora.")), run.out().toString());
            assertTrue(java.nio.file.Files.exists(data.resolve("127.0.0.1_" + down).resolve("user-dora.db")),
                    "the local store is the cluster's: named by the first server of the list");
        }
        String dead = "127.0.0.1:" + down + ",127.0.0.1:" + alsoDown;
        var none = run("", "--lang", "en", "--server", dead, "al");
        assertEquals(Client.Exit.CONNECT_FAILED, none.exit());
        assertTrue(none.err().get(0).startsWith("chat-client: cannot connect to any of " + dead + ": "), none.err().toString());
    }

    @Test
    void accountModeNeedsAValueForData() {
        var run = run("", "--lang", "en", "localhost", "8899", "--data");
        assertEquals(Client.Exit.USAGE, run.exit());
        assertEquals("chat-client: --data needs a value", run.err().get(0));
    }

    @Test
    void badPortsAndOptionsAreUsageErrors() {
        for (String port : new String[] {"x", "0", "65536", "-1"}) {
            var run = run("", "--lang", "en", "localhost", "--", port, "me");
            assertEquals(Client.Exit.USAGE, run.exit(), port);
            assertEquals("chat-client: PORT must be a number from 1 to 65535, not " + port, run.err().get(0));
        }
        var run = run("", "--lang", "en", "--colour", "localhost", "1", "me");
        assertEquals(Client.Exit.USAGE, run.exit());
        assertEquals("chat-client: unknown option --colour", run.err().get(0));
        run = run("", "localhost", "1", "me", "--lang");
        assertEquals(Client.Exit.USAGE, run.exit());
        run = run("", "--lang", "en", "localhost", "1", "");
        assertEquals(Client.Exit.USAGE, run.exit());
        assertEquals("chat-client: NAME must not be empty or contain a line break", run.err().get(0));
        run = run("", "--lang", "en", "localhost", "1", "two\nlines");
        assertEquals(Client.Exit.USAGE, run.exit());
    }

    @Test
    void langChoosesTheLanguageOfErrorsToo() {
        var run = run("", "--lang", "zh_CN");
        assertEquals(Client.Exit.USAGE, run.exit());
        assertEquals(List.of("用法: chat-client [--lang 语言] [--data 目录] [--tls] (HOST PORT | --server HOST:PORT,...) [NAME]"),
                run.err());
        assertEquals(Locale.CHINESE.getLanguage(), Client.locale(new String[] {"--lang", "zh"}).getLanguage());
    }

    @Test
    void anUnknownLanguageIsAOneLineErrorThatNamesTheKnownOnes() {
        var run = run("", "--lang", "fr", "localhost", "1");
        assertEquals(Client.Exit.USAGE, run.exit());
        assertEquals(1, run.err().size(), run.err().toString());
        assertTrue(run.err().get(0).contains("fr") && run.err().get(0).contains("en, zh"), run.err().toString());
        assertEquals(List.of(), run.out());
        assertEquals(Client.Exit.USAGE, run("", "--lang", "", "localhost", "1").exit());
        assertEquals(Client.Exit.OK, run("", "--lang", "zh-TW", "--help").exit());
    }

    @Test
    void theEnvironmentChoosesTheLanguageTheWayPosixProgramsDo() {
        assertEquals(Locale.forLanguageTag("zh-CN"), Client.environmentLocale(Map.of("LANG", "zh_CN.UTF-8")));
        assertEquals(Locale.forLanguageTag("zh-TW"), Client.environmentLocale(Map.of("LANG", "zh_TW.Big5@x")));
        assertEquals(Locale.ENGLISH, Client.environmentLocale(Map.of("LANG", "zh_CN.UTF-8", "LC_ALL", "C.UTF-8")));
        assertEquals(Locale.forLanguageTag("zh"),
                Client.environmentLocale(Map.of("LANG", "en_US.UTF-8", "LC_MESSAGES", "zh", "LC_ALL", "")));
        assertEquals(null, Client.environmentLocale(Map.of("LC_CTYPE", "zh_CN.UTF-8")));
        assertEquals("小明 用户上线.",
                chat.client.Texts.of(Client.environmentLocale(Map.of("LANG", "zh_CN.UTF-8"))).get("notice.online", "小明"));
    }

    /**
     * --tls in a script: the certificate's fingerprint is shown, the script's next line answers
     * (y), and the session runs over TLS; the second run is not asked. --tls with a NAME (the
     * article's plain group chat) is a usage error.
     */
    @Test
    void tlsAsksAboutANewCertificateOnceThenRunsTheSession(@org.junit.jupiter.api.io.TempDir java.nio.file.Path data)
            throws Exception {
        try (var server = TestServer.start(chat.server.TlsFixture.settings())) {
            String port = Integer.toString(server.port());
            var run = run("y\n/register dora\nsecret123\n/login dora\nsecret123\n/quit\n",
                    "--lang", "en", "--tls", "--data", data.toString(), "127.0.0.1", port);
            assertEquals(Client.Exit.OK, run.exit(), run.out().toString());
            assertTrue(run.out().contains("The certificate of 127.0.0.1:" + port
                    + " is not signed by an authority this system trusts (self-signed?)."), run.out().toString());
            assertTrue(run.out().containsAll(List.of("Remembered: 127.0.0.1:" + port
                    + " is trusted with this certificate from now on.", "Logged in as dora.")), run.out().toString());
            var again = run("/find dor\n/quit\n", "--lang", "en", "--tls", "--data", data.toString(), "127.0.0.1", port);
            assertEquals(Client.Exit.OK, again.exit());
            assertTrue(again.out().stream().noneMatch(l -> l.contains("fingerprint")), again.out().toString());
            assertTrue(again.out().containsAll(List.of("Users (1):", "  dora")), again.out().toString());
        }
        var legacy = run("", "--lang", "en", "--tls", "127.0.0.1", "1", "bob");
        assertEquals(Client.Exit.USAGE, legacy.exit());
        assertTrue(legacy.err().get(0).contains("--tls is for account mode"), legacy.err().toString());
    }

    @Test
    void helpGoesToStdoutAndExitsZero() {
        var run = run("", "--lang", "en", "--help");
        assertEquals(Client.Exit.OK, run.exit());
        assertEquals("usage: chat-client [--lang TAG] [--data DIR] [--tls] (HOST PORT | --server HOST:PORT,...) [NAME]",
                run.out().get(0));
        assertEquals(List.of(), run.err());
    }

    @Test
    void connectionRefusedIsOneLineAndExitOne() throws Exception {
        int port;
        try (var closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        var run = run("never sent\n", "--lang", "en", "127.0.0.1", Integer.toString(port), "me");
        assertEquals(Client.Exit.CONNECT_FAILED, run.exit());
        assertEquals(1, run.err().size(), run.err().toString());
        assertTrue(run.err().get(0).startsWith("chat-client: cannot connect to 127.0.0.1 port " + port + ": "),
                run.err().get(0));
        assertEquals(List.of(), run.out());
    }

    @Test
    void aLongNameIsCutWithAWarning() throws Exception {
        try (var server = TestServer.start(); var alice = ChatUser.join(server, "alice", Locale.ENGLISH)) {
            var run = run("", "--lang", "en", "127.0.0.1", Integer.toString(server.port()), "名".repeat(20));
            assertEquals(Client.Exit.OK, run.exit());
            assertEquals(List.of("chat-client: NAME is longer than 49 bytes of UTF-8; the others will see "
                    + "名".repeat(16)), run.err());
            alice.expect("~" + "名".repeat(16) + " is online."); // 48 bytes: the mark still fits
        }
    }

    @Test
    void pipedInputIsSentWholeThenTheClientLeaves() throws Exception {
        try (var server = TestServer.start(); var alice = ChatUser.join(server, "alice", Locale.ENGLISH)) {
            // The input ends at once: what was typed must still arrive before the goodbye.
            var run = run("one\n\ntwo 二\n", "127.0.0.1", Integer.toString(server.port()), "piped", "--lang", "en");
            assertEquals(Client.Exit.OK, run.exit());
            assertEquals(List.of(), run.err());
            alice.expect("~piped is online.");
            alice.expect("~piped:one");
            alice.expect("~piped:two 二");
            alice.expect("~piped went offline.");
        }
    }

    private static String[] append(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }
}
