package chat.client.term;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.server.TestServer;
import chat.testing.Needs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The article's C client ({@code client_app.c}, compiled here with gcc) and ours in one room of our
 * server: they understand each other, and in Chinese ours prints what the C client prints. The
 * server marks every legacy name, {@code ~name}, so both show the others that way.
 */
class SeedCClientInteropTest {

    @TempDir
    Path dir;

    private Path exe;
    private TestServer server;
    private Process app;
    private final Screen appScreen = new Screen();

    @BeforeEach
    void start() throws Exception {
        exe = Needs.compileSeedC("client_app.c", dir);
        server = TestServer.start();
    }

    /** Starts {@code ./app 127.0.0.1 PORT NAME} and waits until the server has it in the room. */
    private void startApp() throws IOException {
        int before = server.online().size();
        app = new ProcessBuilder(exe.toString(), "127.0.0.1", Integer.toString(server.port()), appName())
                .redirectErrorStream(true) // perror() and the like show up as unexpected lines
                .start();
        var pump = new Thread(() -> {
            try (var out = app.getInputStream()) {
                out.transferTo(appScreen);
            } catch (IOException e) {
                // the process is gone
            }
        }, "app-stdout");
        pump.setDaemon(true);
        pump.start();
        ChatUser.awaitOnline(server, before + 1);
    }

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.destroyForcibly().waitFor(Screen.WAIT_SECONDS, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
    }

    /** A Chinese name when the JVM passes arguments to programs as UTF-8 (Maven's tests run so). */
    private static String appName() {
        String jnu = System.getProperty("sun.jnu.encoding", "");
        return Charset.isSupported(jnu) && Charset.forName(jnu).equals(StandardCharsets.UTF_8) ? "老王" : "wang";
    }

    private void appTypes(String line) throws IOException {
        OutputStream stdin = app.getOutputStream();
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    private void appEndsInput() throws Exception {
        app.getOutputStream().close();
        assertTrue(app.waitFor(Screen.WAIT_SECONDS, TimeUnit.SECONDS), "the C client did not exit at end of input");
        assertEquals(0, app.exitValue());
    }

    @Test
    void chatBothWaysAndTheSameNoticesAsTheCClient() throws Exception {
        String wang = appName();
        try (var xiaohong = ChatUser.join(server, "小红", Locale.SIMPLIFIED_CHINESE)) {
            startApp();
            xiaohong.expect("~" + wang + " 用户上线.");

            appTypes("你好, 我是 C 客户端");
            xiaohong.expect("~" + wang + ":你好, 我是 C 客户端");

            xiaohong.type("Java 说: hi 😀");
            appScreen.expect("~小红:Java 说: hi 😀");

            var bob = ChatUser.join(server, "bob", Locale.ENGLISH);
            String online = appScreen.next();
            assertEquals("~bob 用户上线.", online);
            xiaohong.expect(online);

            bob.type("from bob 鲍勃");
            appScreen.expect("~bob:from bob 鲍勃");
            xiaohong.expect("~bob:from bob 鲍勃");
            appTypes("你好 bob");
            bob.expect("~" + wang + ":你好 bob");
            xiaohong.expect("~" + wang + ":你好 bob");
            bob.close();
            String offline = appScreen.next();
            assertEquals("~bob 用户下线.", offline);
            xiaohong.expect(offline);
            bob.expectExit(Client.Exit.OK);

            appEndsInput();
            xiaohong.expect("~" + wang + " 用户下线.");
        }
    }

    @Test
    void theServerGoingIsAnnouncedAsTheCClientDoes() throws Exception {
        try (var xiaohong = ChatUser.join(server, "小红", Locale.SIMPLIFIED_CHINESE)) {
            startApp();
            xiaohong.expect("~" + appName() + " 用户上线.");

            server.close();

            String gone = appScreen.next();
            assertEquals("服务器断开连接.", gone);
            xiaohong.expect(gone);
            xiaohong.expectExit(Client.Exit.SERVER_GONE);
            appEndsInput(); // the C client waits on its input after the server went
        }
    }
}
