package chat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Request;
import chat.server.TestServer;
import chat.server.TextClient;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files scenario end to end, small, against a real server on port 0 (in this JVM, so without
 * a pid: no RSS or CPU figures), and its data connections on their own. What is checked is the
 * scenario's bookkeeping and the bytes: the file reaches the server whole, comes back with its
 * hash checked, the chat beside it loses nothing, and nothing is left in the temporary directory.
 * No figure is asserted: rates belong to make bench.
 */
class FileTransferTest {

    @TempDir
    Path dir;

    @Test
    void theFileGoesUpAndComesBackWhileThePairChats() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        long size = 3 * 1024 * 1024 + 13; // several of the server's chunks, and a tail no multiple of 8
        try (var server = TestServer.start(TestServer.settings().data(Files.createDirectories(dir.resolve("data"))))) {
            var args = new Args(new String[] {"--port", Integer.toString(server.port()), "--size", Long.toString(size),
                    "--warmup", "0.2", "--baseline", "1", "--tmp-dir", relative(tmp), "--scenario", "files-sqlite",
                    "--label", "ours"}, 0);

            Result r = FileTransfer.result(args, "test");

            assertEquals(Boolean.TRUE, r.get("ok"), r::toJson);
            var o = Figures.read(FileTransfer.Outcome.class, r.fields());
            assertEquals(size, o.sizeBytes());
            assertTrue(o.uploadMbPerS() > 0 && o.downloadMbPerS() > 0, o::toString);
            assertTrue(o.sha256sumMbPerS() > 0 && o.ddReadMbPerS() > 0 && o.ddWriteMbPerS() > 0, o::toString);
            assertTrue(o.base().expected() > 0, "the chat ran in the window without a transfer: " + o);
            assertEquals(o.base().expected(), o.base().received(), o::toString);
            assertEquals(o.transfer().expected(), o.transfer().received(), o::toString);
            assertEquals(0, o.chatLost());
            assertEquals(0, o.chatDuplicated());
            assertTrue(Double.isNaN(o.rssGrowthMb()), "no pid, no RSS: " + o);
            try (Stream<Path> left = Files.list(tmp)) {
                assertEquals(List.of(), left.toList(), "the file and its copy are deleted");
            }
            try (Stream<Path> blobs = Files.walk(dir.resolve("data").resolve("files").resolve("blobs"))) {
                assertEquals(List.of(size), blobs.filter(Files::isRegularFile).map(FileTransferTest::sizeOf).toList(),
                        "the server holds the file, whole");
            }
        }
    }

    /** The download checks what arrives against the offer: a hash that does not match fails the run. */
    @Test
    void aDownloadIsCheckedAgainstTheOffersHash() throws Exception {
        Path file = dir.resolve("f.bin");
        long size = 700_001;
        String sha = FileTransfer.generate(file, size);
        try (var server = TestServer.start(TestServer.settings().data(Files.createDirectories(dir.resolve("data"))));
                var a = TextClient.loggedIn(server.port(), "alice");
                var b = TextClient.loggedIn(server.port(), "bob")) {
            assertEquals("requested", a.call(new Request.Add("bob")).field(2));
            assertEquals("friends", b.call(new Request.Add("alice")).field(2));
            var sent = a.call(new Request.SendFile("bob", "f1", "f.bin", size, sha));
            long fileId = Long.parseLong(sent.field(2));
            var address = new InetSocketAddress("127.0.0.1", server.port());

            assertTrue(FileTransfer.upload(address, sent.field(6), file, size, fileId) > 0);

            String wrong = sha.substring(1) + (sha.charAt(0) == '0' ? '1' : '0');
            var e = assertThrows(java.io.IOException.class, () -> FileTransfer.download(address,
                    b.call(new Request.FileGet(fileId)).field(2), size, wrong));
            assertTrue(e.getMessage().contains("SHA-256 " + sha + ", not " + size + " with " + wrong), e.getMessage());
            assertTrue(FileTransfer.download(address, b.call(new Request.FileGet(fileId)).field(2), size, sha) > 0);
        }
    }

    /** The generated file is what its hash says, and new each time (the server would not store a repeat). */
    @Test
    void theGeneratedFileIsHashedAsWrittenAndNewEachTime() throws Exception {
        String one = FileTransfer.generate(dir.resolve("1"), 100_003);
        String two = FileTransfer.generate(dir.resolve("2"), 100_003);

        assertEquals(100_003, Files.size(dir.resolve("1")));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                Files.readAllBytes(dir.resolve("1")))), one);
        assertNotEquals(one, two);
    }

    /** As bench/run.sh names it (bench-results): relative to the working directory. */
    private static String relative(Path p) {
        return Path.of("").toAbsolutePath().relativize(p).toString();
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
