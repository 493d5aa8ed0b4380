package chat.server.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Line;
import chat.common.proto.Request;
import chat.server.Await;
import chat.server.Backend;
import chat.server.LegacyClient;
import chat.server.TestServer;
import chat.server.TextClient;
import chat.server.TextClient.Reply;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The admins' commands (protocol 1.4) through real sockets, on both databases: who may use them,
 * CONNECTIONS, DISCONNECT, bans of accounts and addresses (cut at once, refused after, ended by
 * time or UNBAN, kept across a restart), and the audit log.
 */
class AdminTest {

    private static final String ADMIN = "root";

    private static chat.server.config.Settings.Builder settings(Backend.Fresh db) {
        return TestServer.settings().dbUrl(db.url()).data(db.data()).admins(List.of(ADMIN));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void onlyAdminsMayUseTheAdminRequests(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(settings(db));
                var bob = TextClient.loggedIn(server.port(), "bob");
                var root = TextClient.loggedIn(server.port(), "Root");
                var anonymous = new TextClient(server.port(), "nobody")) {
            List<Request> admins = List.of(new Request.Stats(), new Request.Connections(), new Request.Disconnect(1),
                    new Request.Ban("Root", 5, "no"), new Request.Unban("Root"), new Request.Bans());
            for (Request r : admins) {
                assertEquals("forbidden", bob.call(r).code(), r.command() + " from a user");
                assertEquals("not-logged-in", anonymous.call(r).code(), r.command() + " before login");
            }
            Reply stats = root.call(new Request.Stats());
            assertTrue(stats.ok(), stats.line().toString());
            assertTrue(stats.line().format().matches("#t\\d+:STATS:true:connections=3:.*:logged_in=2:hashers=\\d+:hashes_started=\\d+:hashes_dropped=0:hashes_refused=0:hashes_waiting=0"), stats.line().format());
            assertTrue(root.call(new Request.Bans()).ok(), "the admin's name in another spelling");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void connectionsListsEveryKindOfConnection(Backend backend) throws Exception {
        long before = System.currentTimeMillis();
        try (var db = backend.fresh();
                var server = TestServer.start(settings(db));
                var root = new TextClient(server.port(), ADMIN);
                var bob = TextClient.loggedIn(server.port(), "bob");
                var ann = LegacyClient.join(server.port(), "ann");
                var anonymous = new TextClient(server.port(), "nobody")) {
            TextClient.loggedIn(root);
            anonymous.call(new Request.Ping());
            Await.until(() -> server.online().size() == 1, "the legacy client is in the room");
            Reply r = root.call(new Request.Connections());
            assertTrue(r.ok(), r.line().toString());
            assertEquals(4, r.items().size(), r.items().toString());
            var rows = r.items();
            for (Line row : rows) {
                assertEquals("CONNECTION_INFO", row.command());
                assertTrue(row.field(3).matches("127\\.0\\.0\\.1:\\d+"), row.toString());
                long since = Long.parseLong(row.field(5));
                assertTrue(since >= before - 1000 && since <= System.currentTimeMillis() + 1000, row.toString());
                assertTrue(Long.parseLong(row.field(6)) < 60, "idle seconds: " + row);
                assertEquals("0", row.field(7), "nothing waits to be written: " + row);
            }
            assertEquals(Set.of("root text", "bob text", "~ann legacy", "- text"),
                    Set.copyOf(rows.stream().map(l -> l.field(2) + " " + l.field(4)).toList()));
            Line own = rows.stream().filter(l -> l.field(2).equals(ADMIN)).findFirst().orElseThrow();
            assertEquals("127.0.0.1:" + root.socketPort(), own.field(3), "the peer's address and port");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void disconnectClosesTheConnectionItNames(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(settings(db));
                var root = TextClient.loggedIn(server.port(), ADMIN);
                var bob = TextClient.loggedIn(server.port(), "bob");
                var ann = LegacyClient.join(server.port(), "ann")) {
            Await.until(() -> server.online().size() == 1, "the legacy client is in the room");
            var rows = root.call(new Request.Connections()).items();
            long bobs = id(rows, "bob");
            long anns = id(rows, "~ann");
            long own = id(rows, ADMIN);
            assertTrue(root.call(new Request.Disconnect(bobs)).ok());
            Line bye = bob.awaitPush("BYE");
            assertEquals("disconnected", bye.field(1));
            assertTrue(bob.closedWithin(5_000));
            assertTrue(root.call(new Request.Disconnect(anns)).ok());
            assertTrue(ann.awaitClosed(5_000), "a legacy client is closed without a word");
            assertEquals("no-such-connection", root.call(new Request.Disconnect(bobs)).code(), "closed already");
            assertEquals("self", root.call(new Request.Disconnect(own)).code());
            assertEquals(1, root.call(new Request.Connections()).items().size(), "the admin's own is left");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aBanCutsEveryDeviceAndKeepsTheAccountOutUntilLifted(Backend backend) throws Exception {
        try (var db = backend.fresh()) {
            String phoneToken;
            try (var server = TestServer.start(settings(db));
                    var root = TextClient.loggedIn(server.port(), ADMIN);
                    var phone = TextClient.loggedIn(server.port(), "bob", "phone");
                    var laptop = TextClient.loggedIn(server.port(), "bob", "laptop")) {
                phoneToken = phone.token;
                Reply r = root.call(new Request.Ban("Bob", 0, "spam"));
                assertTrue(r.ok(), r.line().toString());
                assertEquals("0", r.field(2), "for good");
                for (TextClient device : List.of(phone, laptop)) {
                    Line bye = device.awaitPush("BYE");
                    assertEquals("banned", bye.field(1));
                    assertTrue(bye.field(2).contains("for good: spam"), bye.toString());
                    assertTrue(device.closedWithin(5_000), device.device + " is closed");
                }
                assertEquals("no-such-user", root.call(new Request.Ban("nobody", 5, "x")).code());
                assertEquals("self", root.call(new Request.Ban("ROOT", 5, "x")).code());
                assertEquals("bad-request", root.call(new Request.Ban("bob", 5, " ")).code(), "a ban has a reason");
                var bans = root.call(new Request.Bans()).items();
                assertEquals(1, bans.size());
                assertEquals(List.of("BAN_INFO", "account", "bob", "0", "spam", ADMIN), bans.get(0).fields().subList(0, 6));
            }
            // Kept across a restart.
            try (var server = TestServer.start(settings(db));
                    var root = TextClient.loggedIn(server.port(), ADMIN)) {
                try (var bob = new TextClient(server.port(), "bob", "phone")) {
                    Reply login = bob.call(new Request.Login("bob", TextClient.password("bob"), "phone"));
                    assertEquals("banned", login.code(), login.line().toString());
                    assertEquals("banned", bob.resume(phoneToken).code());
                    assertEquals("auth-failed", bob.call(new Request.Login("bob", "wrong-password")).code(),
                            "a ban is told only to who proves to be bob");
                }
                assertTrue(root.call(new Request.Unban("BOB")).ok());
                assertEquals("not-banned", root.call(new Request.Unban("bob")).code());
                assertEquals(0, root.call(new Request.Bans()).items().size());
                try (var bob = new TextClient(server.port(), "bob", "phone")) {
                    assertTrue(bob.resume(phoneToken).ok(), "the token outlived the ban");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aBanEndsWithItsTime(Backend backend) throws Exception {
        var clock = new AtomicLong(System.currentTimeMillis());
        try (var db = backend.fresh();
                var server = TestServer.start(settings(db), clock::get);
                var root = TextClient.loggedIn(server.port(), ADMIN)) {
            TextClient.loggedIn(server.port(), "bob").close();
            Reply r = root.call(new Request.Ban("bob", 2, "cool down"));
            assertEquals(clock.get() + 120_000, Long.parseLong(r.field(2)));
            try (var bob = new TextClient(server.port(), "bob")) {
                Reply login = bob.call(new Request.Login("bob", TextClient.password("bob")));
                assertEquals("banned", login.code());
                assertTrue(login.line().field(3).contains("cool down"), login.line().toString());
            }
            clock.addAndGet(120_000);
            try (var bob = new TextClient(server.port(), "bob")) {
                bob.login();
            }
            assertEquals(0, root.call(new Request.Bans()).items().size(), "an ended ban is not listed");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void anAddressBanCutsItsConnectionsAndRefusesNewOnes(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(settings(db));
                var root = TextClient.loggedIn(new TextClient(server.port(), ADMIN, "default", "127.0.0.2"));
                var bob = TextClient.loggedIn(server.port(), "bob");
                var ann = LegacyClient.join(server.port(), "ann")) {
            Await.until(() -> server.online().size() == 1, "the legacy client is in the room");
            assertEquals("self", root.call(new Request.Ban("@127.0.0.2", 5, "oops")).code(), "the admin's own address");
            assertEquals("bad-request", root.call(new Request.Ban("@localhost", 5, "x")).code(), "no name is looked up");
            assertEquals("bad-request", root.call(new Request.Ban("@300.1.1.1", 5, "x")).code());
            assertTrue(root.call(new Request.Ban("@127.0.0.1", 5, "flood")).ok());
            assertEquals("banned", bob.awaitPush("BYE").field(1));
            assertTrue(bob.closedWithin(5_000));
            assertTrue(ann.awaitClosed(5_000));
            assertTrue(refusedAtOnce(server.port()), "a new connection from the address");
            var bans = root.call(new Request.Bans()).items();
            assertEquals(List.of("address", "127.0.0.1"), bans.get(0).fields().subList(1, 3));
            assertTrue(root.call(new Request.Unban("@127.0.0.1")).ok());
            try (var again = TextClient.loggedIn(server.port(), "bob")) {
                assertTrue(again.call(new Request.Ping()).ok(), "connections are taken again");
            }
        }
    }

    /** Whether a connection from 127.0.0.1 is closed before it has said anything. */
    private static boolean refusedAtOnce(int port) throws Exception {
        try (var s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(5_000);
            InputStream in = s.getInputStream();
            try {
                return in.read() < 0;
            } catch (java.net.SocketException reset) {
                return true;
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void theAuditLogHasALineForEachActionAndNoneForged(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(settings(db));
                var root = TextClient.loggedIn(server.port(), ADMIN)) {
            TextClient.loggedIn(server.port(), "bob").close();
            String forged = "x\n2026-01-01T00:00:00Z\troot\tunban\tbob\t%0A";
            assertTrue(root.call(new Request.Ban("bob", 0, forged)).ok());
            assertTrue(root.call(new Request.Unban("bob")).ok());
            Path log = db.data().resolve(Audit.FILE);
            Await.until(() -> Files.exists(log) && Files.readAllLines(log).size() == 2, "two lines in the audit log");
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            String[] ban = lines.get(0).split("\t", -1);
            assertEquals(5, ban.length, lines.get(0));
            assertEquals(List.of(ADMIN, "ban", "bob"), List.of(ban[1], ban[2], ban[3]));
            assertEquals("for good: x%0A2026-01-01T00:00:00Z%09root%09unban%09bob%09%250A", ban[4]);
            assertTrue(ban[0].matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), ban[0]);
            assertEquals(List.of(ADMIN, "unban", "bob", ""), List.of(lines.get(1).split("\t", -1)).subList(1, 5));
        }
    }

    private static long id(List<Line> rows, String user) {
        return Long.parseLong(rows.stream().filter(l -> l.field(2).equals(user)).findFirst().orElseThrow().field(1));
    }
}
