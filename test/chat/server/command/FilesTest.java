package chat.server.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Line;
import chat.common.proto.Request;
import chat.server.Backend;
import chat.server.TestServer;
import chat.server.TextClient;
import chat.server.TextClient.Reply;
import chat.server.reactor.Limits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * File transfer end to end, through real sockets: offers on the chat connection, bytes on data
 * connections (UPLOAD, DOWNLOAD), on both databases where the store is involved.
 */
class FilesTest {

    // ---- helpers: a data connection as a client opens one ----

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** Sends {@code UPLOAD:token:offset} and {@code bytes[from, to)}, closes its side after {@code to}; the reply or null. */
    /**
     * Uploads {@code bytes[from, to)} on a data connection: with {@code waitReply}, the server's
     * reply; without, a cut transfer, whose end waits until the server has closed its side. By
     * then it has taken the token: a FILE_UPLOAD asked for afterwards (polling what it holds)
     * replaces a token already used, not the one this connection was still to present (it then
     * found its token replaced, bad-token, and held nothing: 4 runs in 17 under load).
     */
    static String upload(int port, String token, byte[] bytes, int from, int to, boolean waitReply) throws IOException {
        try (var s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(("UPLOAD:" + token + ":" + from + "\n").getBytes(StandardCharsets.UTF_8));
            out.write(bytes, from, to - from);
            out.flush();
            if (waitReply) {
                return readLine(s.getInputStream());
            }
            s.shutdownOutput();
            awaitClosed(s.getInputStream());
            return null;
        }
    }

    /** Reads until the server closes the connection. */
    private static void awaitClosed(InputStream in) throws IOException {
        byte[] ignored = new byte[256];
        try {
            while (in.read(ignored) >= 0) {
                // a reply (a refusal) is not what the caller asked about
            }
        } catch (java.net.SocketException reset) {
            // closed all the same
        }
    }

    static String readLine(InputStream in) throws IOException {
        var line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /** The first line, then every byte until the server closes. */
    record Downloaded(String head, byte[] bytes) {}

    static Downloaded download(int port, String token, long offset, int maxBytes) throws IOException {
        try (var s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(("DOWNLOAD:" + token + ":" + offset + "\n").getBytes(StandardCharsets.UTF_8));
            InputStream in = s.getInputStream();
            String head = readLine(in);
            var body = new ByteArrayOutputStream();
            byte[] buf = new byte[65536];
            for (int n; body.size() < maxBytes && (n = in.read(buf, 0, Math.min(buf.length, maxBytes - body.size()))) > 0; ) {
                body.write(buf, 0, n);
            }
            return new Downloaded(head, body.toByteArray());
        }
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static Reply offer(TextClient from, String to, String clientId, String name, byte[] bytes) throws Exception {
        return from.call(new Request.SendFile(to, clientId, name, bytes.length, sha256(bytes)));
    }

    // ---- the tests ----

    /** Offer to an online friend, upload, download byte for byte; history, search and FILES show it. */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void anOnlineFriendGetsTheOfferThenTheBytes(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(TestServer.settings().dbUrl(db.url()).data(db.data()));
                var a = TextClient.loggedIn(server.port(), "alice");
                var b = TextClient.loggedIn(server.port(), "bob")) {
            FriendsTest.befriend(a, b);
            byte[] bytes = randomBytes(3 * 256 * 1024 + 17, 1);
            Reply sent = offer(a, "bob", "f1", "报告 v2.pdf", bytes);
            assertTrue(sent.ok(), sent.toString());
            long fileId = Long.parseLong(sent.field(2));
            assertEquals("0", sent.field(7), "nothing held yet");
            Line push = b.awaitPush("FILE");
            assertEquals(List.of(sent.field(3), sent.field(4), "alice", "bob", "", "f1", sent.field(2), "报告 v2.pdf",
                    Integer.toString(bytes.length), sha256(bytes)), push.fields().subList(1, 11));

            assertEquals("not-ready", b.call(new Request.FileGet(fileId)).code());
            assertEquals("UPLOAD:true:" + fileId, upload(server.port(), sent.field(6), bytes, 0, bytes.length, true));
            assertEquals(Line.of(null, "FILE_STATE", Long.toString(fileId), "ready"), b.awaitPush("FILE_STATE"));
            assertEquals(Line.of(null, "FILE_STATE", Long.toString(fileId), "ready"), a.awaitPush("FILE_STATE"));

            Reply get = b.call(new Request.FileGet(fileId));
            assertEquals(List.of(Integer.toString(bytes.length), sha256(bytes), "报告 v2.pdf"), get.line().fields().subList(3, 6));
            Downloaded d = download(server.port(), get.field(2), 0, Integer.MAX_VALUE);
            assertEquals("DOWNLOAD:true:" + bytes.length, d.head());
            assertArrayEquals(bytes, d.bytes());

            Reply history = b.call(new Request.History("alice", 0, 10));
            assertEquals("HIST_FILE", history.items().get(0).command());
            assertEquals(sent.field(2), history.items().get(0).field(7));
            assertEquals("HIST_FILE", b.call(new Request.Search("报告", 10)).items().get(0).command());
            Line info = b.call(new Request.Files()).items().get(0);
            assertEquals(List.of(sent.field(2), sent.field(3)), info.fields().subList(1, 3));
            assertEquals("ready", info.field(9));
            assertEquals(Integer.toString(bytes.length), info.field(10));

            // The same content again: stored once, ready at once, nothing to upload.
            Reply again = offer(a, "bob", "f2", "copy.pdf", bytes);
            assertEquals(Integer.toString(bytes.length), again.field(7));
            assertEquals("complete", a.call(new Request.FileUpload(Long.parseLong(again.field(2)))).code());
            // A resend with the same client id: the same file and message.
            Reply resent = offer(a, "bob", "f1", "报告 v2.pdf", bytes);
            assertEquals(sent.line().fields().subList(2, 6), resent.line().fields().subList(2, 6));
        }
    }

    /** An offer to a friend who is offline reaches them after a server restart, in order with messages, and is ACKed. */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void anOfflineFriendGetsTheOfferAfterARestart(Backend backend) throws Exception {
        byte[] bytes = randomBytes(1000, 2);
        String fileId;
        try (var db = backend.fresh()) {
            try (var server = TestServer.start(TestServer.settings().dbUrl(db.url()).data(db.data()));
                    var a = TextClient.loggedIn(server.port(), "alice");
                    var b = TextClient.loggedIn(server.port(), "bob")) {
                FriendsTest.befriend(a, b);
                b.close();
                assertTrue(a.call(new Request.Msg("bob", "m1", "before")).ok());
                Reply sent = offer(a, "bob", "f1", "a.txt", bytes);
                fileId = sent.field(2);
                assertTrue(a.call(new Request.Msg("bob", "m2", "after")).ok());
                assertEquals("UPLOAD:true:" + fileId, upload(server.port(), sent.field(6), bytes, 0, bytes.length, true));
            }
            try (var server = TestServer.start(TestServer.settings().dbUrl(db.url()).data(db.data()));
                    var b = new TextClient(server.port(), "bob")) {
                assertTrue(b.login().ok());
                List<Line> caught = b.catchUp(); // ACKs them as it goes
                List<String> kinds = caught.stream().map(Line::command).toList();
                assertEquals(List.of("MESSAGE", "FILE", "MESSAGE"), kinds.subList(kinds.size() - 3, kinds.size()));
                assertEquals(fileId, caught.get(caught.size() - 2).field(7));
                Reply get = b.call(new Request.FileGet(Long.parseLong(fileId)));
                assertArrayEquals(bytes, download(server.port(), get.field(2), 0, Integer.MAX_VALUE).bytes());
            }
            try (var server = TestServer.start(TestServer.settings().dbUrl(db.url()).data(db.data()));
                    var b = new TextClient(server.port(), "bob")) {
                assertTrue(b.login().ok());
                assertTrue(b.catchUp().stream().noneMatch(l -> l.command().equals("FILE")), "the ACK held");
            }
        }
    }

    @Test
    void aGroupsMembersGetTheOffer() throws Exception {
        try (var server = TestServer.start();
                var a = TextClient.loggedIn(server.port(), "alice");
                var b = TextClient.loggedIn(server.port(), "bob")) {
            assertTrue(a.call(new Request.Create("team", true)).ok());
            assertTrue(b.call(new Request.Join("team")).ok());
            byte[] bytes = randomBytes(5000, 3);
            Reply sent = offer(a, "#team", "f1", "plan.txt", bytes);
            Line push = b.awaitPush("FILE");
            assertEquals("#team", push.field(4));
            assertEquals(sent.field(2), push.field(7));
            upload(server.port(), sent.field(6), bytes, 0, bytes.length, true);
            b.awaitPush("FILE_STATE");
            Reply get = b.call(new Request.FileGet(Long.parseLong(sent.field(2))));
            assertArrayEquals(bytes, download(server.port(), get.field(2), 0, Integer.MAX_VALUE).bytes());
            assertEquals("bad-request", a.call(new Request.SendFile("#lobby", "f2", "x", 1, sha256(new byte[1]))).code());
        }
    }

    /** An upload cut at a random point resumes with FILE_UPLOAD; a download resumes at an offset. */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void cutTransfersResume(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(TestServer.settings().dbUrl(db.url()).data(db.data()));
                var a = TextClient.loggedIn(server.port(), "alice");
                var b = TextClient.loggedIn(server.port(), "bob")) {
            FriendsTest.befriend(a, b);
            byte[] bytes = randomBytes(2_000_000, 4);
            int cut = 1 + new Random().nextInt(bytes.length - 2);
            Reply sent = offer(a, "bob", "f1", "big.bin", bytes);
            long fileId = Long.parseLong(sent.field(2));
            upload(server.port(), sent.field(6), bytes, 0, cut, false);
            Reply resume = null;
            for (int i = 0; i < 500; i++) { // the server records what it holds once it sees the close
                resume = a.call(new Request.FileUpload(fileId));
                if (resume.ok() && resume.field(3).equals(Integer.toString(cut))) {
                    break;
                }
                Thread.sleep(10);
            }
            assertEquals(Integer.toString(cut), resume.field(3), "the server holds what arrived: " + resume);
            String wrong = upload(server.port(), a.call(new Request.FileUpload(fileId)).field(2), bytes, 0, 10, true);
            assertEquals("UPLOAD:false:bad-offset:holds " + cut, wrong);
            assertEquals("UPLOAD:true:" + fileId, upload(server.port(), a.call(new Request.FileUpload(fileId)).field(2),
                    bytes, cut, bytes.length, true));

            int at = new Random().nextInt(bytes.length);
            Reply get = b.call(new Request.FileGet(fileId));
            Downloaded first = download(server.port(), get.field(2), 0, at);
            Downloaded rest = download(server.port(), b.call(new Request.FileGet(fileId)).field(2), at, Integer.MAX_VALUE);
            var whole = new ByteArrayOutputStream();
            whole.write(first.bytes());
            whole.write(rest.bytes());
            assertArrayEquals(bytes, whole.toByteArray());
            assertEquals("bad-token", download(server.port(), get.field(2), 0, 10).head().split(":")[2], "a token is used once");
            assertEquals("bad-token", download(server.port(), "00", 0, 10).head().split(":")[2]);
            assertEquals("DOWNLOAD:false:bad-offset:the file has " + bytes.length + " bytes",
                    download(server.port(), b.call(new Request.FileGet(fileId)).field(2), bytes.length + 1L, 10).head());
            assertEquals("bad-token", upload(server.port(), b.call(new Request.FileGet(fileId)).field(2), bytes, 0, 1, true)
                    .split(":")[2], "a download token does not upload");
        }
    }

    @Test
    void limitsAndNamesAreRefusedBeforeAnyByte() throws Exception {
        Path data = Files.createTempDirectory("chat-files");
        try (var server = TestServer.start(TestServer.settings().data(data).fileMaxSize(1000).fileQuota(1500));
                var a = TextClient.loggedIn(server.port(), "alice");
                var b = TextClient.loggedIn(server.port(), "bob")) {
            FriendsTest.befriend(a, b);
            String hash = sha256(new byte[0]);
            assertEquals("too-large", a.call(new Request.SendFile("bob", "f1", "a", 1001, hash)).code());
            assertTrue(a.call(new Request.SendFile("bob", "f2", "a", 1000, hash)).ok());
            assertEquals("over-quota", a.call(new Request.SendFile("bob", "f3", "b", 600, hash)).code());
            for (String name : List.of("../../etc/passwd", "..", ".", "a/b", "a\\b", "nul\0", "")) {
                assertEquals("bad-name", a.call(new Request.SendFile("bob", "n" + name.length(), name, 1, hash)).code(), name);
            }
            assertEquals("self", a.call(new Request.SendFile("alice", "f4", "a", 1, hash)).code());
            assertEquals("no-such-user", a.call(new Request.SendFile("nobody", "f5", "a", 1, hash)).code());
            assertEquals("bad-request", a.call(new Request.Upload("x", 0)).code(), "not on a chat connection");
            // A name that is fine as a name is still never a path: what is on disk is named by id and hash.
            byte[] bytes = randomBytes(100, 9);
            Reply named = offer(b, "alice", "p1", "passwd", bytes);
            assertEquals("UPLOAD:true:" + named.field(2), upload(server.port(), named.field(6), bytes, 0, bytes.length, true));
            try (var walk = Files.walk(data)) {
                List<String> names = walk.filter(Files::isRegularFile).map(p -> data.relativize(p).toString())
                        .filter(p -> p.startsWith("files")).toList();
                assertEquals(List.of("files/blobs/" + sha256(bytes).substring(0, 2) + "/" + sha256(bytes)), names);
            }
        } finally {
            FileEdgesTest.deleteTree(data);
        }
    }

    /**
     * A resend with the same client id, at the quota, is answered from the offer it repeats (same
     * file and message, a fresh token, the bytes held so far): it is counted once, and no limit is
     * checked again. The recipient is told of the offer once.
     */
    @Test
    void aResendAtTheQuotaIsAnsweredFromTheOffer() throws Exception {
        try (var server = TestServer.start(TestServer.settings().fileMaxSize(1000).fileQuota(1500));
                var a = TextClient.loggedIn(server.port(), "alice");
                var b = TextClient.loggedIn(server.port(), "bob")) {
            FriendsTest.befriend(a, b);
            byte[] bytes = randomBytes(1000, 8);
            Reply sent = offer(a, "bob", "f1", "big.bin", bytes);
            assertTrue(sent.ok(), sent.toString());
            assertEquals("over-quota", offer(a, "bob", "f2", "other.bin", randomBytes(600, 9)).code(),
                    "the quota holds 1000 of 1500");
            upload(server.port(), sent.field(6), bytes, 0, 400, false);
            chat.server.Await.until(() -> a.call(new Request.Files()).items().get(0).field(10).equals("400"), "400 bytes held");

            Reply resent = offer(a, "bob", "f1", "big.bin", bytes);
            assertTrue(resent.ok(), "a resend is not refused over-quota: " + resent);
            assertEquals(sent.line().fields().subList(2, 6), resent.line().fields().subList(2, 6), "same file and message");
            assertFalse(resent.field(6).equals(sent.field(6)), "a fresh token");
            assertEquals("400", resent.field(7), "the offset is what the server holds");
            assertEquals("UPLOAD:true:" + sent.field(2), upload(server.port(), resent.field(6), bytes, 400, 1000, true));

            Line offered = b.awaitPush("FILE");
            assertEquals(sent.field(2), offered.field(7));
            a.call(new Request.Msg("bob", "m1", "after the resend"));
            Line next = b.awaitPush(l -> l.command().equals("FILE") || l.command().equals("MESSAGE"));
            assertEquals("MESSAGE", next.command(), "the resend pushed no second offer: " + next);
        }
    }

    /** A corrupted byte is caught by the hash: hash-mismatch, state failed, upload again from 0. */
    @Test
    void aCorruptedByteFailsTheUpload() throws Exception {
        try (var server = TestServer.start();
                var a = TextClient.loggedIn(server.port(), "alice");
                var b = TextClient.loggedIn(server.port(), "bob")) {
            FriendsTest.befriend(a, b);
            byte[] bytes = randomBytes(300_000, 5);
            Reply sent = offer(a, "bob", "f1", "x.bin", bytes);
            long fileId = Long.parseLong(sent.field(2));
            byte[] bad = bytes.clone();
            bad[123_456] ^= 1;
            assertTrue(upload(server.port(), sent.field(6), bad, 0, bad.length, true).startsWith("UPLOAD:false:hash-mismatch:"));
            assertEquals(Line.of(null, "FILE_STATE", Long.toString(fileId), "failed"), b.awaitPush("FILE_STATE"));
            assertEquals("not-ready", b.call(new Request.FileGet(fileId)).code());
            Reply again = a.call(new Request.FileUpload(fileId));
            assertEquals("0", again.field(3));
            assertEquals("UPLOAD:true:" + fileId, upload(server.port(), again.field(2), bytes, 0, bytes.length, true));
        }
    }

    /** Cancel and expiry: the bytes go, everyone concerned is told, FILE_GET says why. */
    @Test
    void cancelAndExpiry() throws Exception {
        var clock = new AtomicLong(1_700_000_000_000L);
        Path data = Files.createTempDirectory("chat-files");
        try (var server = TestServer.start(TestServer.settings().data(data).fileDays(1), clock::get);
                var a = TextClient.loggedIn(server.port(), "alice");
                var b = TextClient.loggedIn(server.port(), "bob")) {
            FriendsTest.befriend(a, b);
            byte[] one = randomBytes(1000, 6);
            byte[] two = randomBytes(1000, 7);
            Reply first = offer(a, "bob", "f1", "one", one);
            upload(server.port(), first.field(6), one, 0, one.length, true);
            Path blob = data.resolve("files/blobs/" + sha256(one).substring(0, 2) + "/" + sha256(one));
            assertTrue(Files.exists(blob));
            assertTrue(a.call(new Request.FileCancel(Long.parseLong(first.field(2)))).ok());
            assertEquals("cancelled", b.call(new Request.FileGet(Long.parseLong(first.field(2)))).code());
            b.awaitPush(l -> l.command().equals("FILE_STATE") && l.field(2).equals("cancelled"));
            chat.server.Await.until(() -> !Files.exists(blob), "the blob is deleted");
            assertEquals("no-such-file", b.call(new Request.FileCancel(Long.parseLong(first.field(2)))).code(), "not his");

            Reply second = offer(a, "bob", "f2", "two", two);
            upload(server.port(), second.field(6), two, 0, two.length, true);
            clock.addAndGet(2L * 24 * 60 * 60 * 1000);
            server.sweepFiles();
            b.awaitPush(l -> l.command().equals("FILE_STATE") && l.field(2).equals("expired"));
            assertEquals("expired", b.call(new Request.FileGet(Long.parseLong(second.field(2)))).code());
            assertEquals("expired", b.call(new Request.Files()).items().get(0).field(9));
        } finally {
            try (var files = Files.walk(data)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * A chat connection keeps getting PING answers and messages while 200 MB go up and come down
     * (generated, never held whole by the test either).
     */
    @Test
    void chatFlowsDuringALargeTransfer() throws Exception {
        long size = 200L << 20;
        try (var server = TestServer.start(Limits.DEFAULT, null);
                var a = TextClient.loggedIn(server.port(), "alice");
                var b = TextClient.loggedIn(server.port(), "bob")) {
            FriendsTest.befriend(a, b);
            byte[] block = randomBytes(1 << 20, 8);
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (long i = 0; i < size; i += block.length) {
                md.update(block);
            }
            String hash = HexFormat.of().formatHex(md.digest());
            Reply sent = a.call(new Request.SendFile("bob", "big", "big.bin", size, hash));
            long fileId = Long.parseLong(sent.field(2));
            var uploadFailure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
            var uploader = new Thread(() -> {
                try (var s = new Socket("127.0.0.1", server.port())) {
                    OutputStream out = s.getOutputStream();
                    out.write(("UPLOAD:" + sent.field(6) + ":0\n").getBytes(StandardCharsets.UTF_8));
                    for (long i = 0; i < size; i += block.length) {
                        out.write(block);
                    }
                    out.flush();
                    String reply = readLine(s.getInputStream());
                    if (!reply.equals("UPLOAD:true:" + fileId)) {
                        throw new AssertionError("the upload was answered " + reply);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            uploader.setUncaughtExceptionHandler((t, e) -> uploadFailure.set(e));
            uploader.start();
            int rounds = 0;
            while (uploader.isAlive()) {
                assertTrue(a.call(new Request.Ping()).ok());
                assertTrue(a.call(new Request.Msg("bob", "m" + rounds, "during " + rounds)).ok());
                assertEquals("during " + rounds, b.awaitPush("MESSAGE").field(7));
                rounds++;
            }
            uploader.join();
            assertEquals(null, uploadFailure.get());
            b.awaitPush(l -> l.command().equals("FILE_STATE") && l.field(2).equals("ready"));
            assertTrue(rounds > 0, "chat went on during the upload");

            String token = b.call(new Request.FileGet(fileId)).field(2);
            var downloader = new Thread(() -> {
                try (var s = new Socket("127.0.0.1", server.port())) {
                    s.getOutputStream().write(("DOWNLOAD:" + token + ":0\n").getBytes(StandardCharsets.UTF_8));
                    InputStream in = s.getInputStream();
                    readLine(in);
                    MessageDigest got = MessageDigest.getInstance("SHA-256");
                    byte[] buf = new byte[1 << 16];
                    long total = 0;
                    for (int n; (n = in.read(buf)) > 0; ) {
                        got.update(buf, 0, n);
                        total += n;
                    }
                    if (total != size || !HexFormat.of().formatHex(got.digest()).equals(hash)) {
                        throw new AssertionError("downloaded " + total + " bytes, not the file");
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
            downloader.setUncaughtExceptionHandler((t, e) -> failure.set(e));
            downloader.start();
            int during = 0;
            while (downloader.isAlive()) {
                assertTrue(a.call(new Request.Ping()).ok());
                assertTrue(b.call(new Request.Msg("alice", "d" + during, "down " + during)).ok());
                assertEquals("down " + during, a.awaitPush("MESSAGE").field(7));
                during++;
            }
            downloader.join();
            assertEquals(null, failure.get());
            assertTrue(during > 0, "chat went on during the download");
        }
    }
}
