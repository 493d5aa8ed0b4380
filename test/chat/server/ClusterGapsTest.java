package chat.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Request;
import chat.common.wire.LegacyRecord;
import chat.testing.Redis;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What a user of a cluster could tell apart from one server, closed: a file uploaded through one
 * node is downloaded through another (the nodes share a files folder; a node given a folder of
 * its own refuses to start), the lobby lists its members on every node, and a ban made while a
 * node's subscriber link was down reaches that node once the link is back. Nodes in this JVM
 * ({@link TestCluster}), sharing a files folder of the test's own.
 */
class ClusterGapsTest {

    /** A cluster whose nodes share a files folder ({@link #node}), deleted with it. */
    static final class Fixture implements AutoCloseable {
        final TestCluster cluster = TestCluster.empty();
        final Path files = Files.createTempDirectory("chat-cmore-files");

        Fixture() throws Exception {}

        TestServer node(String id) throws IOException {
            return node(id, files, Redis.shared(), List.of());
        }

        /** A node with its files in {@code folder}, reaching Redis on {@code redisPort}, closed with the cluster. */
        TestServer node(String id, Path folder, int redisPort, List<String> admins) throws IOException {
            return cluster.node(id, s -> s.files(folder).admins(admins)
                    .cluster(TestCluster.settings(cluster.redisUrl(redisPort), id)));
        }

        @Override
        public void close() throws Exception {
            try {
                cluster.close();
            } finally {
                deleteTree(files);
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (var walk = Files.walk(root)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    // ---- files ----

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** {@code UPLOAD:token:offset}, then {@code bytes[from, to)}; the server's reply line. */
    static String upload(int port, String token, byte[] bytes, int from, int to) throws IOException {
        try (var s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(("UPLOAD:" + token + ":" + from + "\n").getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().write(bytes, from, to - from);
            s.getOutputStream().flush();
            return readLine(s.getInputStream());
        }
    }

    static String readLine(InputStream in) throws IOException {
        var line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /** FILE_GET through {@code c}, then the bytes through a data connection to {@code port} (any node's). */
    static byte[] download(TextClient c, int port, long fileId) throws IOException {
        var get = c.call(new Request.FileGet(fileId));
        assertTrue(get.ok(), get.toString());
        try (var s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(("DOWNLOAD:" + get.field(2) + ":0\n").getBytes(StandardCharsets.UTF_8));
            InputStream in = s.getInputStream();
            assertEquals("DOWNLOAD:true:" + get.field(3), readLine(in));
            return in.readAllBytes();
        }
    }

    /** The first line a data connection to {@code port} gets for {@code DOWNLOAD:token:0}. */
    static String downloadHead(int port, String token) throws IOException {
        try (var s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(("DOWNLOAD:" + token + ":0\n").getBytes(StandardCharsets.UTF_8));
            return readLine(s.getInputStream());
        }
    }

    /**
     * Nodes a and b share one files folder: a file alice uploads through a is downloaded by bob
     * through b, byte for byte, and through a with a token b issued (one address for every node:
     * the data connection may reach another node than the chat connection); a token replaced by
     * a newer one works on no node. A second upload, cut on a after three chunks, resumes on b from
     * what a recorded; while a's upload of a third file is still open, b answers busy (a's
     * upload holds the partial file's lock), and the file is whole once a's upload ends.
     */
    @Test
    void aFileUploadedThroughOneNodeIsDownloadedAndResumedThroughAnother() throws Exception {
        try (var cluster = new Fixture();
                var a = cluster.node("a");
                var b = cluster.node("b");
                var alice = TextClient.loggedIn(a.port(), "alice");
                var aliceOnB = TextClient.loggedIn(b.port(), "alice", "laptop");
                var bob = TextClient.loggedIn(b.port(), "bob")) {
            TestCluster.befriend(alice, bob);
            byte[] one = randomBytes(600_000, 1);
            var first = alice.call(new Request.SendFile("bob", "f1", "one.bin", one.length, sha256(one)));
            assertTrue(first.ok(), first.toString());
            long firstId = Long.parseLong(first.field(2));
            assertEquals("UPLOAD:true:" + firstId, upload(a.port(), first.field(6), one, 0, one.length));
            assertArrayEquals(one, download(bob, b.port(), firstId), "uploaded through a, downloaded through b");
            assertArrayEquals(one, download(bob, a.port(), firstId), "a token of b's taken on a");
            String replaced = bob.call(new Request.FileGet(firstId)).field(2);
            String newer = bob.call(new Request.FileGet(firstId)).field(2);
            assertTrue(downloadHead(a.port(), replaced).startsWith("DOWNLOAD:false:bad-token:"), "replaced");
            assertEquals("DOWNLOAD:true:" + one.length, downloadHead(a.port(), newer));
            assertTrue(downloadHead(b.port(), newer).startsWith("DOWNLOAD:false:bad-token:"), "used up, on every node");

            byte[] two = randomBytes(2_000_000, 2);
            int held = 3 * 256 * 1024; // whole chunks: each is on disk once full
            var second = alice.call(new Request.SendFile("bob", "f2", "two.bin", two.length, sha256(two)));
            long secondId = Long.parseLong(second.field(2));
            try (var cut = new Socket("127.0.0.1", a.port())) {
                cut.getOutputStream().write(("UPLOAD:" + second.field(6) + ":0\n").getBytes(StandardCharsets.UTF_8));
                cut.getOutputStream().write(two, 0, held);
                cut.getOutputStream().flush();
                Path partial = cluster.files.resolve("partial/" + secondId);
                Await.until(() -> Files.exists(partial) && Files.size(partial) == held, "the chunks are on disk");
            }
            Await.until(() -> aliceOnB.call(new Request.FileUpload(secondId)).field(3).equals(Integer.toString(held)),
                    "node b reads what node a recorded of the cut upload");
            var resume = aliceOnB.call(new Request.FileUpload(secondId));
            assertEquals("UPLOAD:true:" + secondId, upload(b.port(), resume.field(2), two, held, two.length));
            assertArrayEquals(two, download(bob, a.port(), secondId), "resumed on b, downloaded through a");

            byte[] three = randomBytes(1_000_000, 3);
            var third = alice.call(new Request.SendFile("bob", "f3", "three.bin", three.length, sha256(three)));
            long thirdId = Long.parseLong(third.field(2));
            try (var open = new Socket("127.0.0.1", a.port())) {
                open.setSoTimeout(20_000);
                open.getOutputStream().write(("UPLOAD:" + third.field(6) + ":0\n").getBytes(StandardCharsets.UTF_8));
                open.getOutputStream().write(three, 0, 256 * 1024);
                open.getOutputStream().flush();
                Path partial = cluster.files.resolve("partial/" + thirdId);
                Await.until(() -> Files.exists(partial) && Files.size(partial) == 256 * 1024, "a chunk is on disk");
                var elsewhere = aliceOnB.call(new Request.FileUpload(thirdId));
                assertEquals("0", elsewhere.field(3), "nothing recorded yet: the upload on a is open");
                String refused = upload(b.port(), elsewhere.field(2), three, 0, 0); // the line alone: it is refused
                assertTrue(refused.startsWith("UPLOAD:false:busy:"), refused);
                open.getOutputStream().write(three, 256 * 1024, three.length - 256 * 1024);
                open.getOutputStream().flush();
                assertEquals("UPLOAD:true:" + thirdId, readLine(open.getInputStream()));
            }
            assertArrayEquals(three, download(bob, b.port(), thirdId));
        }
    }

    /**
     * A node given a files folder of its own (not the one node a uses) sees no marker of a's in
     * it, and refuses to start, saying why; a node given the shared folder starts.
     */
    @Test
    void aNodeWhoseFilesFolderIsNotSharedRefusesToStart() throws Exception {
        Path own = Files.createTempDirectory("chat-cmore-own-files");
        try (var cluster = new Fixture();
                var a = cluster.node("a")) {
            var refused = assertThrows(IOException.class, () -> cluster.node("b", own, Redis.shared(), List.of()).close());
            assertTrue(refused.getMessage().contains("not the one the other nodes use"), refused.getMessage());
            assertTrue(refused.getMessage().contains(a.cluster().id()), refused.getMessage());
            try (var c = cluster.node("c")) {
                assertTrue(c.cluster() != null);
            }
        } finally {
            deleteTree(own);
        }
    }

    // ---- the lobby ----

    static List<String> members(TextClient c) throws IOException {
        return c.call(new Request.Members("lobby")).items().stream().map(l -> l.field(1)).toList();
    }

    /** The lobby's member list, legacy clients first, each part sorted (nodes list their own first). */
    static List<String> sorted(List<String> names) {
        List<String> legacy = names.stream().filter(n -> n.startsWith("~")).sorted().toList();
        List<String> accounts = names.stream().filter(n -> !n.startsWith("~")).sorted().toList();
        assertEquals(legacy, names.subList(0, legacy.size()).stream().sorted().toList(), "legacy clients first: " + names);
        var all = new java.util.ArrayList<>(legacy);
        all.addAll(accounts);
        return all;
    }

    /**
     * Members on two nodes: a legacy client and an account on each. MEMBERS:lobby on either node
     * lists all four; a coming on one node is a GROUP_JOINED on the other; a legacy client's new
     * name replaces its old one in the list; when node b stops and is reaped, its members are gone
     * from node a's list and alice hears them leave, but carol, in the lobby through both nodes,
     * stays, and nobody is told she left.
     */
    @Test
    void theLobbyListsItsMembersOnEveryNodeAndDropsAReapedNodes() throws Exception {
        try (var cluster = new Fixture();
                var a = cluster.node("a");
                var b = cluster.node("b");
                var alice = TextClient.loggedIn(a.port(), "alice");
                var bob = TextClient.loggedIn(b.port(), "bob");
                var lx = LegacyClient.join(a.port(), "lx");
                var carolOnA = TextClient.loggedIn(a.port(), "carol", "phone");
                var carolOnB = TextClient.loggedIn(b.port(), "carol", "laptop")) {
            assertTrue(alice.call(new Request.Join("lobby")).ok());
            assertTrue(bob.call(new Request.Join("lobby")).ok());
            alice.awaitPush(l -> l.command().equals("GROUP_JOINED") && l.fields().contains("bob"));
            assertTrue(carolOnA.call(new Request.Join("lobby")).ok());
            assertTrue(carolOnB.call(new Request.Join("lobby")).ok());
            alice.awaitPush(l -> l.command().equals("GROUP_JOINED") && l.fields().contains("carol"));
            try (var ly = LegacyClient.join(b.port(), "ly")) {
                alice.awaitPush(l -> l.command().equals("GROUP_JOINED") && l.fields().contains("~ly"));
                List<String> all = List.of("~lx", "~ly", "alice", "bob", "carol");
                Await.until(() -> sorted(members(alice)).equals(all), "node a lists the members on both nodes");
                Await.until(() -> sorted(members(bob)).equals(all), "node b lists the members on both nodes");
                var groups = alice.call(new Request.Groups()).items();
                assertEquals("5", groups.get(0).field(5), "the lobby's member count in GROUPS: " + groups);

                ly.send(LegacyRecord.encode("lz", "renamed", LegacyRecord.CHAT));
                List<String> renamed = List.of("~lx", "~lz", "alice", "bob", "carol");
                Await.until(() -> sorted(members(alice)).equals(renamed), "node a lists ~ly by its new name");

                Runnable thaw = b.freeze();
                try {
                    alice.awaitPush(l -> l.command().equals("GROUP_LEFT") && l.fields().contains("~lz"));
                    alice.awaitPush(l -> l.command().equals("GROUP_LEFT") && l.fields().contains("bob"));
                    assertEquals(List.of("~lx", "alice", "carol"), sorted(members(alice)),
                            "node b's members went with it, but carol is in through node a too");
                    // The reply came after every push of the reaping, which ran in one task.
                    assertTrue(alice.transcript.stream().noneMatch(t -> t.startsWith("GROUP_LEFT") && t.contains("carol")),
                            "nobody is told carol left: " + alice.transcript);
                } finally {
                    thaw.run();
                }
            }
        }
    }

    // ---- bans ----

    /**
     * Node b's subscriber link is down while root, on node a, bans bob and later unbans him: b
     * hears neither. Once the link is back, b's resync reads the bans again: bob's session on b
     * gets BYE:banned and his login there is refused; after the unban, also made while the link
     * was down, he may log in on b again.
     */
    @Test
    void aBanOrUnbanMadeWhileANodesSubscriberWasDownReachesItWhenTheLinkIsBack() throws Exception {
        try (var cluster = new Fixture();
                var cut = new RedisRelay(Redis.shared());
                var a = cluster.node("a", cluster.files, Redis.shared(), List.of("root"));
                var b = cluster.node("b", cluster.files, cut.port(), List.of());
                var root = TextClient.loggedIn(a.port(), "root");
                var bob = TextClient.loggedIn(b.port(), "bob")) {
            cut.subscriberDown(true);
            assertTrue(root.call(new Request.Ban("bob", 60, "spam")).ok());
            assertTrue(bob.quietFor(500), "node b did not hear of the ban: " + bob.pushes());
            cut.subscriberDown(false);
            assertEquals("banned", bob.awaitPush("BYE").field(1));
            assertTrue(bob.closedWithin(5_000));
            try (var again = new TextClient(b.port(), "bob")) {
                var r = again.call(new Request.Login("bob", TextClient.password("bob")));
                assertEquals("banned", r.code(), r.toString());
            }

            cut.subscriberDown(true);
            assertTrue(root.call(new Request.Unban("bob")).ok());
            try (var again = new TextClient(b.port(), "bob")) {
                var r = again.call(new Request.Login("bob", TextClient.password("bob")));
                assertEquals("banned", r.code(), "b has not heard of the unban yet: " + r);
            }
            cut.subscriberDown(false);
            Await.until(() -> {
                try (var again = new TextClient(b.port(), "bob")) {
                    return again.call(new Request.Login("bob", TextClient.password("bob"))).ok();
                }
            }, "bob may log in on node b again");
        }
    }
}
