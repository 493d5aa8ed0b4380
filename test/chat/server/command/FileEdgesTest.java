package chat.server.command;

import static chat.server.command.FilesTest.offer;
import static chat.server.command.FilesTest.randomBytes;
import static chat.server.command.FilesTest.readLine;
import static chat.server.command.FilesTest.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Request;
import chat.server.Await;
import chat.server.TestServer;
import chat.server.TextClient;
import chat.server.TextClient.Reply;
import chat.server.reactor.Limits;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The edges of file transfer, through real sockets: clients that stop reading or read slowly,
 * cancels and expiry in the middle of a transfer, restarts, tokens. {@link FilesTest} has the
 * ordinary paths.
 */
class FileEdgesTest {

    /** A data connection whose client reads nothing: a receive buffer as small as the kernel allows. */
    static Socket stuckDownload(int port, String token, long offset) throws IOException {
        var s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", port));
        s.setSoTimeout(20_000);
        s.getOutputStream().write(("DOWNLOAD:" + token + ":" + offset + "\n").getBytes(StandardCharsets.UTF_8));
        return s;
    }

    /** Alice offers {@code bytes} to her friend bob and uploads them; the file's id. */
    static long uploaded(TestServer server, TextClient a, byte[] bytes, String clientId) throws Exception {
        Reply sent = offer(a, "bob", clientId, clientId + ".bin", bytes);
        assertTrue(sent.ok(), sent.toString());
        long fileId = Long.parseLong(sent.field(2));
        assertEquals("UPLOAD:true:" + fileId, upload(server.port(), sent.field(6), bytes, 0, bytes.length, true));
        return fileId;
    }

    /**
     * Twenty downloads whose clients never read keep up to a megabyte queued each, past the
     * reactor's high-water mark together: chat must go on (PING answered, a message delivered),
     * since each download bounds its own queue. The mark is 1 MiB here so that twenty stalled
     * downloads pass it whatever share of their window the kernel's socket buffers took.
     */
    @Test
    void downloadsThatNobodyReadsDoNotStopTheChat() throws Exception {
        Limits limits = Limits.DEFAULT.withWaterMarks(1 << 20, 1 << 19);
        try (var server = TestServer.start(limits);
                var a = TextClient.loggedIn(server.port(), "alice");
                var b = TextClient.loggedIn(server.port(), "bob")) {
            FriendsTest.befriend(a, b);
            byte[] bytes = randomBytes(8 << 20, 11);
            long fileId = uploaded(server, a, bytes, "f1");
            List<Socket> stuck = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    stuck.add(stuckDownload(server.port(), b.call(new Request.FileGet(fileId)).field(2), 0));
                }
                Await.until(() -> {
                    var stats = server.reactor().stats().get(5, TimeUnit.SECONDS);
                    return stats.pendingBytes() + stats.drainWatchedBytes() > limits.highWater();
                }, "the downloads queue more than the high-water mark");
                assertTrue(a.call(new Request.Ping()).ok());
                assertTrue(a.call(new Request.Msg("bob", "m1", "still here")).ok());
                assertEquals("still here", b.awaitPush("MESSAGE").field(7));
                assertTrue(b.call(new Request.Ping()).ok());
            } finally {
                for (Socket s : stuck) {
                    s.close();
                }
            }
        }
    }
}
