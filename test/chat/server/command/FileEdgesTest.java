package chat.server.command;

import static chat.server.command.FilesTest.offer;
import static chat.server.command.FilesTest.randomBytes;
import static chat.server.command.FilesTest.readLine;
import static chat.server.command.FilesTest.upload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Request;
import chat.server.Await;
import chat.server.TestServer;
import chat.server.TextClient;
import chat.server.TextClient.Reply;
import chat.server.reactor.Limits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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

    /**
     * A known hash is ready at once only for a sender who has stored that content with that size:
     * a fake size is no proof, and nobody learns whether someone else holds a given content.
     */
    @Test
    void onlyTheSendersOwnContentIsReadyAtOnce() throws Exception {
        try (var server = TestServer.start();
                var a = TextClient.loggedIn(server.port(), "alice");
                var b = TextClient.loggedIn(server.port(), "bob")) {
            FriendsTest.befriend(a, b);
            byte[] bytes = randomBytes(5000, 12);
            uploaded(server, a, bytes, "f1");
            String hash = FilesTest.sha256(bytes);
            assertEquals(Integer.toString(bytes.length), offer(a, "bob", "f2", "again", bytes).field(7), "her own content");
            assertEquals("0", a.call(new Request.SendFile("bob", "f3", "fake", 5, hash)).field(7), "a fake size");
            Reply bobs = b.call(new Request.SendFile("alice", "g1", "same", bytes.length, hash));
            assertEquals("0", bobs.field(7), "bob learns nothing of alice's content and uploads his own");
            assertEquals("UPLOAD:true:" + bobs.field(2), upload(server.port(), bobs.field(6), bytes, 0, bytes.length, true));
        }
    }

    /** Two offers share a blob: cancelling one (the other still uploading, then ready) keeps it. */
    @Test
    void cancellingOneOfTwoOffersSharingABlobKeepsIt() throws Exception {
        Path data = Files.createTempDirectory("chat-files");
        try (var server = TestServer.start(TestServer.settings().data(data));
                var a = TextClient.loggedIn(server.port(), "alice");
                var b = TextClient.loggedIn(server.port(), "bob")) {
            FriendsTest.befriend(a, b);
            byte[] bytes = randomBytes(3 * 256 * 1024 + 5, 13);
            long first = uploaded(server, a, bytes, "f1");
            Reply bobs = b.call(new Request.SendFile("alice", "g1", "same", bytes.length, FilesTest.sha256(bytes)));
            upload(server.port(), bobs.field(6), bytes, 0, 256 * 1024, false);
            assertTrue(a.call(new Request.FileCancel(first)).ok());
            long second = Long.parseLong(bobs.field(2));
            Await.until(() -> b.call(new Request.FileUpload(second)).field(3).equals(Integer.toString(256 * 1024)),
                    "the first quarter is held");
            assertEquals("UPLOAD:true:" + second, upload(server.port(), b.call(new Request.FileUpload(second)).field(2),
                    bytes, 256 * 1024, bytes.length, true));
            Reply third = offer(b, "alice", "g2", "third", bytes);
            assertEquals(Integer.toString(bytes.length), third.field(7));
            assertTrue(a.call(new Request.FileCancel(first)).code().equals("cancelled"));
            assertTrue(b.call(new Request.FileCancel(second)).ok());
            Reply get = a.call(new Request.FileGet(Long.parseLong(third.field(2))));
            assertArrayEquals(bytes, FilesTest.download(server.port(), get.field(2), 0, Integer.MAX_VALUE).bytes(),
                    "the blob stays while an offer needs it");
        } finally {
            deleteTree(data);
        }
    }

    static void deleteTree(Path root) throws IOException {
        try (var files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Bytes held when the server stops (the upload still open) are there after its restart. */
    @Test
    void anUploadResumesAfterAServerRestartFromTheBytesHeld() throws Exception {
        Path data = Files.createTempDirectory("chat-files");
        byte[] bytes = randomBytes(2_000_000, 14);
        int held = 3 * 256 * 1024; // whole chunks: each goes to disk as soon as it is full
        long fileId;
        try {
            try (var up = new Socket()) { // still open when the server stops
                try (var server = TestServer.start(TestServer.settings().data(data));
                        var a = TextClient.loggedIn(server.port(), "alice");
                        var b = TextClient.loggedIn(server.port(), "bob")) {
                    FriendsTest.befriend(a, b);
                    Reply sent = offer(a, "bob", "f1", "big.bin", bytes);
                    fileId = Long.parseLong(sent.field(2));
                    up.connect(new InetSocketAddress("127.0.0.1", server.port()));
                    up.getOutputStream().write(("UPLOAD:" + sent.field(6) + ":0\n").getBytes(StandardCharsets.UTF_8));
                    up.getOutputStream().write(bytes, 0, held);
                    up.getOutputStream().flush();
                    Path partial = data.resolve("files/partial/" + fileId);
                    Await.until(() -> Files.exists(partial) && Files.size(partial) == held, "the chunks are on disk");
                }
            }
            try (var server = TestServer.start(TestServer.settings().data(data));
                    var a = new TextClient(server.port(), "alice")) {
                assertTrue(a.login().ok());
                Reply resume = a.call(new Request.FileUpload(fileId));
                assertEquals(Integer.toString(held), resume.field(3), resume.toString());
                assertEquals("UPLOAD:true:" + fileId, upload(server.port(), resume.field(2), bytes, held, bytes.length, true));
            }
        } finally {
            deleteTree(data);
        }
    }

    /**
     * A download whose client reads slowly (a queued megabyte lasts seconds) is not idle while the
     * socket takes bytes: it gets the whole file, with the idle time at a second.
     */
    @Test
    void aSlowDownloadIsNotClosedAsIdle() throws Exception {
        try (var server = TestServer.start(TestServer.settings().fileIdle(Duration.ofSeconds(1)));
                var a = TextClient.loggedIn(server.port(), "alice");
                var b = TextClient.loggedIn(server.port(), "bob")) {
            FriendsTest.befriend(a, b);
            byte[] bytes = randomBytes(2 << 20, 15);
            long fileId = uploaded(server, a, bytes, "f1");
            try (Socket s = stuckDownload(server.port(), b.call(new Request.FileGet(fileId)).field(2), 0)) {
                InputStream in = s.getInputStream();
                assertEquals("DOWNLOAD:true:" + bytes.length, readLine(in));
                var got = new ByteArrayOutputStream();
                byte[] buf = new byte[32 * 1024];
                for (int n; (n = in.read(buf)) > 0; ) {
                    got.write(buf, 0, n);
                    Thread.sleep(n * 100L / buf.length); // about 320 KB/s: a megabyte lasts 3 s
                }
                assertArrayEquals(bytes, got.toByteArray());
            }
        }
    }

    /** A data connection that moves no byte at all is closed after the idle time. */
    @Test
    void anIdleDataConnectionIsClosed() throws Exception {
        try (var server = TestServer.start(TestServer.settings().fileIdle(Duration.ofSeconds(1)));
                var a = TextClient.loggedIn(server.port(), "alice");
                var b = TextClient.loggedIn(server.port(), "bob")) {
            FriendsTest.befriend(a, b);
            byte[] bytes = randomBytes(1000, 16);
            Reply sent = offer(a, "bob", "f1", "x", bytes);
            try (var s = new Socket("127.0.0.1", server.port())) {
                s.setSoTimeout(20_000);
                s.getOutputStream().write(("UPLOAD:" + sent.field(6) + ":0\n").getBytes(StandardCharsets.UTF_8));
                s.getOutputStream().write(bytes, 0, 10);
                assertEquals(-1, s.getInputStream().read(), "closed without a word");
            }
            Await.until(() -> a.call(new Request.FileUpload(Long.parseLong(sent.field(2)))).field(3).equals("10"),
                    "what arrived is kept");
        }
    }

    /**
     * A cancel in the middle of a download closes it without a line: what the client got is a
     * prefix of the file (a DOWNLOAD:false line would have been read as file bytes).
     */
    @Test
    void aCancelMidDownloadClosesWithoutALine() throws Exception {
        try (var server = TestServer.start();
                var a = TextClient.loggedIn(server.port(), "alice");
                var b = TextClient.loggedIn(server.port(), "bob")) {
            FriendsTest.befriend(a, b);
            byte[] bytes = randomBytes(16 << 20, 17);
            long fileId = uploaded(server, a, bytes, "f1");
            try (Socket s = stuckDownload(server.port(), b.call(new Request.FileGet(fileId)).field(2), 0)) {
                InputStream in = s.getInputStream();
                assertEquals("DOWNLOAD:true:" + bytes.length, readLine(in));
                assertTrue(in.read() >= 0);
                assertTrue(a.call(new Request.FileCancel(fileId)).ok());
                byte[] rest = in.readAllBytes();
                assertTrue(rest.length + 1 < bytes.length, "cut short: " + (rest.length + 1));
                assertArrayEquals(Arrays.copyOfRange(bytes, 1, 1 + rest.length), rest, "only the file's bytes");
            }
        }
    }

    /**
     * A partial file shorter than its row says (cut outside the server): the upload is answered
     * with the bytes really held, the row corrected, and the upload goes on from there.
     */
    @Test
    void aPartialFileShorterThanRecordedIsResumedFromWhatItHolds() throws Exception {
        Path data = Files.createTempDirectory("chat-files");
        try (var server = TestServer.start(TestServer.settings().data(data));
                var a = TextClient.loggedIn(server.port(), "alice");
                var b = TextClient.loggedIn(server.port(), "bob")) {
            FriendsTest.befriend(a, b);
            byte[] bytes = randomBytes(1_000_000, 18);
            Reply sent = offer(a, "bob", "f1", "x.bin", bytes);
            long fileId = Long.parseLong(sent.field(2));
            upload(server.port(), sent.field(6), bytes, 0, 600_000, false);
            Await.until(() -> a.call(new Request.FileUpload(fileId)).field(3).equals("600000"), "the bytes are recorded");
            try (var partial = FileChannel.open(data.resolve("files/partial/" + fileId), StandardOpenOption.WRITE)) {
                partial.truncate(100_000);
            }
            assertEquals("UPLOAD:false:bad-offset:holds 100000", upload(server.port(),
                    a.call(new Request.FileUpload(fileId)).field(2), bytes, 600_000, bytes.length, true));
            Await.until(() -> a.call(new Request.FileUpload(fileId)).field(3).equals("100000"), "the row is corrected");
            assertEquals("UPLOAD:true:" + fileId, upload(server.port(), a.call(new Request.FileUpload(fileId)).field(2),
                    bytes, 100_000, bytes.length, true));
        } finally {
            deleteTree(data);
        }
    }

    /** A cancel while an upload's connection is open: the uploader is told, the partial file goes. */
    @Test
    void aCancelDuringALiveUploadEndsItAndDeletesThePartialFile() throws Exception {
        Path data = Files.createTempDirectory("chat-files");
        try (var server = TestServer.start(TestServer.settings().data(data));
                var a = TextClient.loggedIn(server.port(), "alice");
                var b = TextClient.loggedIn(server.port(), "bob");
                var up = new Socket("127.0.0.1", server.port())) {
            FriendsTest.befriend(a, b);
            byte[] bytes = randomBytes(1_000_000, 19);
            Reply sent = offer(a, "bob", "f1", "x.bin", bytes);
            long fileId = Long.parseLong(sent.field(2));
            up.setSoTimeout(20_000);
            up.getOutputStream().write(("UPLOAD:" + sent.field(6) + ":0\n").getBytes(StandardCharsets.UTF_8));
            up.getOutputStream().write(bytes, 0, 300_000);
            Path partial = data.resolve("files/partial/" + fileId);
            Await.until(() -> Files.exists(partial) && Files.size(partial) >= 256 * 1024, "a chunk is on disk");
            assertTrue(a.call(new Request.FileCancel(fileId)).ok());
            assertEquals("UPLOAD:false:cancelled:the file was cancelled", readLine(up.getInputStream()));
            assertEquals(-1, up.getInputStream().read());
            Await.until(() -> !Files.exists(partial), "the partial file is deleted");
            b.awaitPush(l -> l.command().equals("FILE_STATE") && l.field(2).equals("cancelled"));
        } finally {
            deleteTree(data);
        }
    }

    /**
     * A token is good for 10 minutes (the clock is the test's), and a new one for the same file,
     * user and direction replaces the last.
     */
    @Test
    void tokensExpireAndANewOneReplacesTheLast() throws Exception {
        var clock = new AtomicLong(1_700_000_000_000L);
        try (var server = TestServer.start(TestServer.settings(), clock::get);
                var a = TextClient.loggedIn(server.port(), "alice");
                var b = TextClient.loggedIn(server.port(), "bob")) {
            FriendsTest.befriend(a, b);
            byte[] bytes = randomBytes(1000, 20);
            long fileId = uploaded(server, a, bytes, "f1");
            String old = b.call(new Request.FileGet(fileId)).field(2);
            String fresh = b.call(new Request.FileGet(fileId)).field(2);
            assertEquals("bad-token", FilesTest.download(server.port(), old, 0, 10).head().split(":")[2], "replaced");
            assertArrayEquals(bytes, FilesTest.download(server.port(), fresh, 0, Integer.MAX_VALUE).bytes());
            String late = b.call(new Request.FileGet(fileId)).field(2);
            String inTime = a.call(new Request.FileGet(fileId)).field(2); // another user's: not replaced
            clock.addAndGet(10 * 60 * 1000 - 1);
            assertArrayEquals(bytes, FilesTest.download(server.port(), inTime, 0, Integer.MAX_VALUE).bytes());
            clock.addAndGet(1);
            assertEquals("bad-token", FilesTest.download(server.port(), late, 0, 10).head().split(":")[2], "expired");
        }
    }
}
