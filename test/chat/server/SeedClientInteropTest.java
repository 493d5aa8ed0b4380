package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.wire.LegacyRecord;
import chat.common.wire.LegacyRecord.Message;
import chat.testing.Needs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The article's C client, compiled unchanged from ../shared, chats through our server with
 * another C client and with a Java client, both ways, Chinese included.
 */
class SeedClientInteropTest {

    @TempDir
    Path dir;

    /** One running C client: what it prints, line by line, and its keyboard. */
    private static final class SeedClient implements AutoCloseable {
        final Process process;
        final OutputStream stdin;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        SeedClient(Path exe, int port, String name) throws IOException {
            process = new ProcessBuilder(exe.toString(), "127.0.0.1", Integer.toString(port), name)
                    .redirectErrorStream(true).start();
            stdin = process.getOutputStream();
            Thread reader = new Thread(() -> {
                try (var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("<read failed: " + e + ">");
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        void type(String line) throws IOException {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        }

        String nextLine() throws InterruptedException {
            String line = lines.poll(10, TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError("the C client printed nothing within 10 s");
            }
            return line;
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    @Test
    void theArticlesClientChatsThroughOurServer() throws Exception {
        Path exe = Needs.compileSeedC("client_app.c", dir);
        var server = TestServer.start();
        try (var java = LegacyClient.join(server.port(), "java");
                var jia = new SeedClient(exe, server.port(), "小甲")) {
            assertEquals(new Message("小甲", "", LegacyRecord.ONLINE), java.read());
            try (var bob = new SeedClient(exe, server.port(), "bob")) {
                assertEquals(new Message("bob", "", LegacyRecord.ONLINE), java.read());
                assertEquals("bob 用户上线.", jia.nextLine());

                jia.type("你好，我是 C 客户端");
                assertEquals("小甲:你好，我是 C 客户端", bob.nextLine());
                assertEquals(new Message("小甲", "你好，我是 C 客户端", LegacyRecord.CHAT), java.read());

                java.say("hello from Java 🌏 你好");
                assertEquals("java:hello from Java 🌏 你好", jia.nextLine());
                assertEquals("java:hello from Java 🌏 你好", bob.nextLine());

                bob.type("bye");
                assertEquals("bob:bye", jia.nextLine());
                assertEquals(new Message("bob", "bye", LegacyRecord.CHAT), java.read());

                bob.stdin.close(); // end of input: the C client closes its socket and exits
                assertTrue(bob.process.waitFor(10, TimeUnit.SECONDS));
                assertEquals("bob 用户下线.", jia.nextLine());
                assertEquals(new Message("bob", "", LegacyRecord.OFFLINE), java.read());
            }
            server.close();
            assertEquals("服务器断开连接.", jia.nextLine());
        } finally {
            server.close();
        }
    }
}
