package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.common.wire.LegacyRecord;
import chat.common.wire.LegacyRecord.Message;
import chat.testing.Needs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The article's C client, compiled unchanged from ../shared, chats through our server with
 * another C client and with a Java client, both ways, Chinese included. Each sees the others as
 * the lobby shows legacy clients, {@code ~name}.
 */
class SeedClientInteropTest {

    @TempDir
    Path dir;

    @Test
    void theArticlesClientChatsThroughOurServer() throws Exception {
        Path exe = Needs.compileSeedC("client_app.c", dir);
        var server = TestServer.start();
        try (var java = LegacyClient.join(server.port(), "java");
                var jia = new SeedClient(exe, server.port(), "小甲")) {
            assertEquals(new Message("~小甲", "", LegacyRecord.ONLINE), java.read());
            try (var bob = new SeedClient(exe, server.port(), "bob")) {
                assertEquals(new Message("~bob", "", LegacyRecord.ONLINE), java.read());
                assertEquals("~bob 用户上线.", jia.nextLine());

                jia.type("你好，我是 C 客户端");
                assertEquals("~小甲:你好，我是 C 客户端", bob.nextLine());
                assertEquals(new Message("~小甲", "你好，我是 C 客户端", LegacyRecord.CHAT), java.read());

                java.say("hello from Java 🌏 你好");
                assertEquals("~java:hello from Java 🌏 你好", jia.nextLine());
                assertEquals("~java:hello from Java 🌏 你好", bob.nextLine());

                bob.type("bye");
                assertEquals("~bob:bye", jia.nextLine());
                assertEquals(new Message("~bob", "bye", LegacyRecord.CHAT), java.read());

                bob.quit();
                assertEquals("~bob 用户下线.", jia.nextLine());
                assertEquals(new Message("~bob", "", LegacyRecord.OFFLINE), java.read());
            }
            server.close();
            assertEquals("服务器断开连接.", jia.nextLine());
        } finally {
            server.close();
        }
    }
}
