package chat.server.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Line;
import chat.common.proto.Request;
import chat.common.text.Names;
import chat.server.Await;
import chat.server.Backend;
import chat.server.TestServer;
import chat.server.TextClient;
import chat.server.TextClient.Reply;
import chat.server.reactor.Limits;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** REGISTER, LOGIN, LOGOUT, the connection table and the heartbeat, on both databases. */
class AccountsTest {

    @ParameterizedTest
    @EnumSource(Backend.class)
    void registerLoginAndTheirErrors(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(Limits.DEFAULT, db.url());
                var c = new TextClient(server.port(), "alice")) {
            assertEquals("FRIENDS:false:not-logged-in:LOGIN first", c.call(new Request.Friends()).line().format().replaceFirst("^#t\\d+:", ""));
            Reply r = c.call(new Request.Register("alice", "correct horse"));
            assertTrue(r.ok(), r.toString());
            assertEquals("alice", r.field(2));
            assertEquals("name-taken", c.call(new Request.Register("ALICE", "another one")).code(), "names are one in any case");
            assertEquals("bad-name", c.call(new Request.Register("a:b", "password1")).code());
            assertEquals("bad-name", c.call(new Request.Register("", "password1")).code());
            assertEquals("bad-password", c.call(new Request.Register("bob", "short")).code());
            // The article's spelling is answered in kind; Chinese names are welcome.
            c.sendRaw("#x:RESIGER:小明:mima12345");
            assertEquals("#x:RESIGER:true:小明", c.readLine().format());

            Reply wrong = c.call(new Request.Login("alice", "wrong password"));
            Reply unknown = c.call(new Request.Login("nobody", "wrong password"));
            assertEquals("auth-failed", wrong.code());
            assertEquals(wrong.line().fields().subList(1, 4), unknown.line().fields().subList(1, 4),
                    "a wrong name and a wrong password look the same");

            Reply ok = c.call(new Request.Login("Alice", "correct horse"));
            assertTrue(ok.ok(), ok.toString());
            assertEquals("alice", ok.field(3), "the account's own spelling comes back");
            assertEquals("already-logged-in", c.call(new Request.Login("alice", "correct horse")).code());
            assertTrue(c.call(new Request.Logout()).ok());
            assertEquals("not-logged-in", c.call(new Request.Logout()).code());
            c.sendRaw("LOGIN:小明:mima12345");
            assertEquals("LOGIN", c.readLine().command());
        }
    }

    /**
     * CHECK_NAME before any login, as a new user asks it before typing a password: free, taken in
     * another letter case or NFKC spelling, and REGISTER's bad names, each failure costing nothing
     * but its reply.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void checkNameTellsBeforeLoginWhatRegisterWouldSay(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(Limits.DEFAULT, db.url());
                var owner = new TextClient(server.port(), "alice");
                var newcomer = new TextClient(server.port(), "newcomer")) {
            newcomer.sendRaw("#c1:CHECK_NAME:alice");
            assertEquals("#c1:CHECK_NAME:true:free", newcomer.readLine().format());
            assertTrue(owner.call(new Request.Register("Alice", "correct horse")).ok());

            for (String spelling : List.of("alice", "ALICE", "ａｌｉｃｅ", "Ａｌｉｃｅ")) {
                Reply r = newcomer.call(new Request.CheckName(spelling));
                assertEquals(List.of("CHECK_NAME", "true", "taken"), r.line().fields(), spelling);
            }
            assertEquals(List.of("CHECK_NAME", "true", "free"), newcomer.call(new Request.CheckName("小明")).line().fields());
            for (String bad : List.of("a:b", "", "~bob", "x".repeat(33), "一".repeat(17))) {
                Reply r = newcomer.call(new Request.CheckName(bad));
                assertEquals("bad-name", r.code(), bad);
                assertEquals(Names.problem(bad), r.field(3), "REGISTER's own words: " + bad);
                assertEquals("bad-name", newcomer.call(new Request.Register(bad, "password1")).code(),
                        "REGISTER refuses it too: " + bad);
            }
            newcomer.sendRaw("#c2:CHECK_NAME");
            Line noName = newcomer.readLine();
            assertEquals("c2", noName.tag());
            assertEquals(List.of("CHECK_NAME", "false", "bad-request"), noName.fields().subList(0, 3));

            assertEquals("not-logged-in", newcomer.call(new Request.Friends()).code(), "still nobody");
            assertTrue(newcomer.call(new Request.Register("小明", "mima12345")).ok(), "free meant free");
            assertEquals("taken", newcomer.call(new Request.CheckName("小明")).field(2));
            assertTrue(owner.call(new Request.Login("alice", "correct horse")).ok());
            assertEquals("taken", owner.call(new Request.CheckName("小明")).field(2), "and after a login too");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void repeatedFailuresAreSlowedDown(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(Limits.DEFAULT, db.url());
                var c = new TextClient(server.port(), "victim")) {
            assertTrue(c.call(new Request.Register("victim", "the right one")).ok());
            for (int i = 0; i < LoginThrottle.ACCOUNT_BURST; i++) {
                assertEquals("auth-failed", c.call(new Request.Login("victim", "guess " + i)).code());
            }
            Reply r = c.call(new Request.Login("victim", "the right one"));
            assertEquals("throttled", r.code(), "even the right password waits, from the address that guessed");
            int seconds = Integer.parseInt(r.field(4)); // the seconds as a field of their own (1.4)
            assertTrue(seconds >= 1 && seconds <= LoginThrottle.ACCOUNT_SECONDS, r.toString());
            assertEquals("too many password attempts for this account; try again in " + seconds + " s", r.field(3));
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void theConnectionTableFollowsLoginAndDisconnect(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(Limits.DEFAULT, db.url())) {
            var c = TextClient.loggedIn(server.port(), "carol");
            awaitRow(db.url(), "carol", true);
            try (Connection sql = DriverManager.getConnection(db.url()); Statement s = sql.createStatement();
                    ResultSet rs = s.executeQuery("SELECT c.ip, c.port, u.status FROM connections c"
                            + " JOIN users u ON u.id = c.user_id WHERE u.name = 'carol'")) {
                assertTrue(rs.next());
                assertEquals("127.0.0.1", rs.getString(1));
                assertTrue(rs.getInt(2) > 0);
                assertEquals(1, rs.getInt(3));
            }
            c.close();
            awaitRow(db.url(), "carol", false);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aSecondLoginReplacesTheFirstWhichIsToldWhy(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(Limits.DEFAULT, db.url());
                var first = TextClient.loggedIn(server.port(), "dave")) {
            try (var second = new TextClient(server.port(), "dave")) {
                second.login();
                Line bye = first.awaitPush("BYE");
                assertEquals("replaced", bye.field(1));
                assertTrue(first.closedWithin(5_000));
                assertTrue(second.call(new Request.Friends()).ok(), "the new session works");
                assertEquals(1, server.hub().size());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aSilentConnectionIsClosedAndGoesOffline(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(Limits.DEFAULT, db.url(), 1_500, db.data());
                var friend = TextClient.loggedIn(server.port(), "erin");
                var ghost = TextClient.loggedIn(server.port(), "ghost")) {
            FriendsTest.befriend(friend, ghost);
            // erin keeps talking; ghost says nothing.
            Await.until(() -> {
                friend.call(new Request.Ping());
                return friend.pushes().contains(Line.of(null, "PRESENCE", "ghost", "0"));
            }, "erin sees ghost go offline");
            assertEquals("idle-timeout", ghost.awaitPush("BYE").field(1));
            assertTrue(ghost.closedWithin(5_000));
            awaitRow(db.url(), "ghost", false);
            assertTrue(server.hub().users().stream().noneMatch(u -> u.get(0).name.equals("ghost")));
        }
    }

    /** Waits until the user's connection row exists (or not), with status to match. */
    static void awaitRow(String url, String name, boolean online) throws Exception {
        Await.until(() -> {
            try (Connection sql = DriverManager.getConnection(url); Statement s = sql.createStatement();
                    ResultSet rs = s.executeQuery("SELECT u.status, (SELECT COUNT(*) FROM connections c WHERE c.user_id = u.id)"
                            + " FROM users u WHERE u.name = '" + name + "'")) {
                return rs.next() && rs.getInt(1) == (online ? 1 : 0) && rs.getInt(2) == (online ? 1 : 0);
            }
        }, name + " is " + (online ? "online" : "offline") + " in the connection table");
    }
}
