package chat.server.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Line;
import chat.common.proto.Request;
import chat.common.wire.LegacyRecord;
import chat.common.wire.Resp;
import chat.server.Await;
import chat.server.LegacyClient;
import chat.server.TestServer;
import chat.server.TextClient;
import chat.server.config.ClusterSettings;
import chat.testing.MariaDb;
import chat.testing.Redis;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * What a user of a cluster could tell apart from one server, closed: a file uploaded through one
 * node is downloaded through another (the nodes share a files folder; a node given a folder of
 * its own refuses to start), the lobby lists its members on every node, and a ban made while a
 * node's subscriber link was down reaches that node once the link is back. Nodes in this JVM, one
 * MariaDB database, the machine's Redis under a prefix of the test's own.
 */
class ClusterGapsTest {

    static final Duration HEARTBEAT = Duration.ofMillis(250);
    static final Duration TTL = Duration.ofMillis(1500);

    /** The shared Redis under a prefix of this test's own, its keys deleted at close; and a files folder. */
    static final class Fixture implements AutoCloseable {
        final String prefix = Redis.uniquePrefix("cmore");
        final int port = Redis.shared();
        final MariaDb db = MariaDb.fresh();
        final Path files = Files.createTempDirectory("chat-cmore-files");

        Fixture() throws Exception {}

        String url(int redisPort) {
            return "redis://" + Redis.HOST + ":" + redisPort + "/" + prefix;
        }

        TestServer node(String id) throws IOException {
            return node(id, files, port, List.of());
        }

        /** A node with its files in {@code folder}, reaching Redis on {@code redisPort}. */
        TestServer node(String id, Path folder, int redisPort, List<String> admins) throws IOException {
            return TestServer.start(TestServer.settings().dbUrl(db.url()).files(folder).admins(admins)
                    .logLevel(System.getProperty("clusterLog", "WARNING"))
                    .cluster(new ClusterSettings(url(redisPort), id, HEARTBEAT, TTL)));
        }

        @Override
        public void close() throws Exception {
            try (var cli = new Redis.Cli(port)) {
                if (cli.call("KEYS", prefix + ":*") instanceof Resp.Array keys && !keys.isNil()) {
                    for (Resp.Value k : keys.items()) {
                        cli.call("DEL", ((Resp.Bulk) k).text());
                    }
                }
            } finally {
                db.close();
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

    static void befriend(TextClient a, TextClient b) throws IOException {
        assertEquals("requested", a.call(new Request.Add(b.name)).field(2));
        Line request = b.awaitPush("FRIEND_REQUEST");
        b.send(new Request.Ack(Long.parseLong(request.field(1))));
        assertTrue(b.call(new Request.Accept(a.name)).ok());
        Line added = a.awaitPush("FRIEND_ADDED");
        a.send(new Request.Ack(Long.parseLong(added.field(1))));
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
            befriend(alice, bob);
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
            var refused = assertThrows(IOException.class, () -> cluster.node("b", own, cluster.port, List.of()).close());
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
     * from node a's list and alice hears them leave.
     */
    @Test
    void theLobbyListsItsMembersOnEveryNodeAndDropsAReapedNodes() throws Exception {
        try (var cluster = new Fixture();
                var a = cluster.node("a");
                var b = cluster.node("b");
                var alice = TextClient.loggedIn(a.port(), "alice");
                var bob = TextClient.loggedIn(b.port(), "bob");
                var lx = LegacyClient.join(a.port(), "lx")) {
            assertTrue(alice.call(new Request.Join("lobby")).ok());
            assertTrue(bob.call(new Request.Join("lobby")).ok());
            alice.awaitPush(l -> l.command().equals("GROUP_JOINED") && l.fields().contains("bob"));
            try (var ly = LegacyClient.join(b.port(), "ly")) {
                alice.awaitPush(l -> l.command().equals("GROUP_JOINED") && l.fields().contains("~ly"));
                List<String> all = List.of("~lx", "~ly", "alice", "bob");
                Await.until(() -> sorted(members(alice)).equals(all), "node a lists the members on both nodes");
                Await.until(() -> sorted(members(bob)).equals(all), "node b lists the members on both nodes");
                var groups = alice.call(new Request.Groups()).items();
                assertEquals("4", groups.get(0).field(5), "the lobby's member count in GROUPS: " + groups);

                ly.send(LegacyRecord.encode("lz", "renamed", LegacyRecord.CHAT));
                List<String> renamed = List.of("~lx", "~lz", "alice", "bob");
                Await.until(() -> sorted(members(alice)).equals(renamed), "node a lists ~ly by its new name");

                Runnable thaw = b.freeze();
                try {
                    alice.awaitPush(l -> l.command().equals("GROUP_LEFT") && l.fields().contains("~lz"));
                    alice.awaitPush(l -> l.command().equals("GROUP_LEFT") && l.fields().contains("bob"));
                    assertEquals(List.of("~lx", "alice"), sorted(members(alice)), "node b's members went with it");
                } finally {
                    thaw.run();
                }
            }
        }
    }

    // ---- bans ----

    /**
     * A TCP relay to Redis for one node that can keep that node's subscriber link down while its
     * command link (heartbeats, so it is not reaped) passes: a link names itself first, and the
     * subscriber's name ends in {@code -sub}.
     */
    static final class SubscriberCut implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName(Redis.HOST));
        private final List<Socket[]> subscribers = new CopyOnWriteArrayList<>();
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private volatile boolean down;

        SubscriberCut(int target) throws IOException {
            daemon(() -> {
                try {
                    while (true) {
                        var in = server.accept();
                        var out = new Socket(Redis.HOST, target);
                        sockets.add(in);
                        sockets.add(out);
                        var pair = new Socket[] {in, out};
                        pump(in, out, pair);
                        pump(out, in, null);
                    }
                } catch (IOException closed) {
                    // closed
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        /** Cuts the subscriber link, and keeps cutting it while {@code down}. */
        void down(boolean down) throws IOException {
            this.down = down;
            if (down) {
                for (Socket[] pair : subscribers) {
                    pair[0].close();
                    pair[1].close();
                }
            }
        }

        /** {@code pair}: the node's side of a connection whose first bytes may name it a subscriber. */
        private void pump(Socket from, Socket to, Socket[] pair) {
            daemon(() -> {
                byte[] buffer = new byte[8192];
                boolean subscriber = false;
                try {
                    for (int n; (n = from.getInputStream().read(buffer)) >= 0; ) {
                        if (pair != null && !subscriber
                                && new String(buffer, 0, n, StandardCharsets.ISO_8859_1).contains("-sub\r\n")) {
                            subscriber = true;
                            subscribers.add(pair);
                        }
                        if (subscriber && down) {
                            from.close();
                            to.close();
                            return;
                        }
                        to.getOutputStream().write(buffer, 0, n);
                    }
                    to.close();
                } catch (IOException closed) {
                    // closed
                }
            });
        }

        private static void daemon(Runnable r) {
            Thread t = new Thread(r, "subscriber-cut");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (var socket : sockets) {
                socket.close();
            }
        }
    }

    /**
     * Node b's subscriber link is down while root, on node a, bans bob and later unbans him: b
     * hears neither. Once the link is back, b's resync reads the bans again: bob's session on b
     * gets BYE:banned and his login there is refused; after the unban, also made while the link
     * was down, he may log in on b again.
     */
    @Test
    void aBanOrUnbanMadeWhileANodesSubscriberWasDownReachesItWhenTheLinkIsBack() throws Exception {
        try (var cluster = new Fixture();
                var cut = new SubscriberCut(cluster.port);
                var a = cluster.node("a", cluster.files, cluster.port, List.of("root"));
                var b = cluster.node("b", cluster.files, cut.port(), List.of());
                var root = TextClient.loggedIn(a.port(), "root");
                var bob = TextClient.loggedIn(b.port(), "bob")) {
            cut.down(true);
            assertTrue(root.call(new Request.Ban("bob", 60, "spam")).ok());
            assertTrue(bob.quietFor(500), "node b did not hear of the ban: " + bob.pushes());
            cut.down(false);
            assertEquals("banned", bob.awaitPush("BYE").field(1));
            assertTrue(bob.closedWithin(5_000));
            try (var again = new TextClient(b.port(), "bob")) {
                var r = again.call(new Request.Login("bob", TextClient.password("bob")));
                assertEquals("banned", r.code(), r.toString());
            }

            cut.down(true);
            assertTrue(root.call(new Request.Unban("bob")).ok());
            try (var again = new TextClient(b.port(), "bob")) {
                var r = again.call(new Request.Login("bob", TextClient.password("bob")));
                assertEquals("banned", r.code(), "b has not heard of the unban yet: " + r);
            }
            cut.down(false);
            Await.until(() -> {
                try (var again = new TextClient(b.port(), "bob")) {
                    return again.call(new Request.Login("bob", TextClient.password("bob"))).ok();
                }
            }, "bob may log in on node b again");
        }
    }
}
