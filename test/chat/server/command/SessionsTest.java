package chat.server.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Request;
import chat.server.Await;
import chat.server.Backend;
import chat.server.TestServer;
import chat.server.TextClient;
import chat.server.TextClient.Reply;
import chat.server.store.Passwords;
import chat.server.store.Store;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Login tokens: RESUME, LOGOUT revoking, expiry, PASSWD, and --single-session; on both databases. */
class SessionsTest {

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aTokenResumesItsOwnDeviceAndNothingElse(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(TestServer.settings().dbUrl(db.url()))) {
            TextClient.loggedIn(server.port(), "bob").close();
            String token;
            try (var phone = TextClient.loggedIn(server.port(), "rita", "phone")) {
                token = phone.token;
                assertTrue(token.matches("[0-9a-f]{64}"), token);
            }
            try (var phone = new TextClient(server.port(), "Rita", "phone")) {
                Reply r = phone.resume(token);
                assertTrue(r.ok(), r.toString());
                assertEquals(List.of("rita", "phone"), r.line().fields().subList(3, 5), "the account's spelling, the device");
                phone.awaitPush("SYNCED");
                assertEquals("already-logged-in", phone.resume(token).code());
                assertTrue(phone.call(new Request.Contacts()).ok(), "the session works");
            }
            assertEquals("auth-failed", new TextClient(server.port(), "bob", "phone").resume(token).code(),
                    "another account's name");
            assertEquals("auth-failed", new TextClient(server.port(), "rita", "laptop").resume(token).code(),
                    "another device");
            assertEquals("auth-failed", new TextClient(server.port(), "rita", "phone").resume("not-a-token").code());
            try (var c = new TextClient(server.port(), "rita")) {
                assertEquals("bad-request", c.call(new Request.Login("rita", TextClient.password("rita"), "my phone")).code(),
                        "a device name has no space");
                assertEquals("bad-request", c.call(new Request.Login("rita", TextClient.password("rita"), "x".repeat(65))).code());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void logoutRevokesTheToken(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(TestServer.settings().dbUrl(db.url()))) {
            String token;
            try (var c = TextClient.loggedIn(server.port(), "lou", "desk")) {
                token = c.token;
                assertTrue(c.call(new Request.Logout()).ok());
                assertEquals("not-logged-in", c.call(new Request.Contacts()).code());
                assertEquals("auth-failed", c.resume(token).code(), "LOGOUT:true means the token is dead");
            }
            try (var c = new TextClient(server.port(), "lou", "desk")) {
                assertEquals("auth-failed", c.resume(token).code());
            }
        }
    }

    /** Bad tokens cost their address: past its budget a bad one is answered throttled and costs its connection. */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void failedResumesAreThrottledByAddress(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(TestServer.settings().dbUrl(db.url()));
                var c = new TextClient(server.port(), "guesser")) {
            String guess = "0".repeat(64);
            for (int i = 0; i < LoginThrottle.BAD_TOKENS; i++) {
                assertEquals("auth-failed", c.resume(guess).code());
            }
            Reply r = c.resume(guess);
            assertEquals("throttled", r.code(), "tokens cannot be tried at speed");
            assertTrue(c.closedWithin(5_000), "and the guesser's connection goes");
        }
    }

    /**
     * A known device is never locked out: a good token gets in from an address past its budget of
     * bad tokens, and past its account's budget of password guesses.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aGoodTokenGetsInWhateverFailedBefore(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(TestServer.settings().dbUrl(db.url()))) {
            String token;
            try (var c = TextClient.loggedIn(server.port(), "gail", "phone")) {
                token = c.token;
            }
            String guess = "0".repeat(64);
            try (var c = new TextClient(server.port(), "gail", "phone")) {
                for (int i = 0; i < LoginThrottle.BAD_TOKENS; i++) {
                    assertEquals("auth-failed", c.resume(guess).code());
                }
                for (int i = 0; i < LoginThrottle.ACCOUNT_BURST; i++) {
                    assertEquals("auth-failed", c.call(new Request.Login("gail", "guess " + i, "phone")).code());
                }
                assertEquals("throttled", c.call(new Request.Login("gail", TextClient.password("gail"), "phone")).code());
                assertTrue(c.resume(token).ok(), "the device's token still gets in");
            }
        }
    }

    /** A server whose clients only RESUME still deletes the sessions that expired. */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aResumeDeletesExpiredSessionsToo(Backend backend) throws Exception {
        var clock = new AtomicLong(System.currentTimeMillis());
        long day = Duration.ofDays(1).toMillis();
        try (var db = backend.fresh();
                var server = TestServer.start(TestServer.settings().dbUrl(db.url()).sessionLifetime(Duration.ofDays(30)),
                        clock::get)) {
            String unused;
            String used;
            try (var tablet = TextClient.loggedIn(server.port(), "ida", "tablet");
                    var phone = TextClient.loggedIn(server.port(), "ida", "phone")) {
                unused = tablet.token;
                used = phone.token;
            }
            for (int i = 0; i < 2; i++) {
                clock.addAndGet(20 * day);
                try (var phone = new TextClient(server.port(), "ida", "phone")) {
                    assertTrue(phone.resume(used).ok());
                }
            }
            // The tablet's token expired 10 days ago; that last RESUME, days after the last
            // purge, deleted it.
            String hash = Tokens.hash(unused);
            Await.until(() -> {
                try (var sql = java.sql.DriverManager.getConnection(db.url());
                        var st = sql.prepareStatement("SELECT COUNT(*) FROM sessions WHERE token_hash = ?")) {
                    st.setString(1, hash);
                    try (var rs = st.executeQuery()) {
                        return rs.next() && rs.getInt(1) == 0;
                    }
                }
            }, "the expired session is deleted");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aTokenExpiresSessionDaysAfterItsLastUse(Backend backend) throws Exception {
        var clock = new AtomicLong(System.currentTimeMillis());
        long day = Duration.ofDays(1).toMillis();
        try (var db = backend.fresh();
                var server = TestServer.start(TestServer.settings().dbUrl(db.url()).sessionLifetime(Duration.ofDays(30)),
                        clock::get)) {
            String token;
            try (var c = TextClient.loggedIn(server.port(), "tess", "tablet")) {
                token = c.token;
            }
            clock.addAndGet(20 * day);
            try (var c = new TextClient(server.port(), "tess", "tablet")) {
                assertTrue(c.resume(token).ok(), "20 days after the login");
            }
            clock.addAndGet(20 * day);
            try (var c = new TextClient(server.port(), "tess", "tablet")) {
                assertTrue(c.resume(token).ok(), "40 days after the login, 20 after the last use: sliding");
            }
            clock.addAndGet(31 * day);
            try (var c = new TextClient(server.port(), "tess", "tablet")) {
                assertEquals("auth-failed", c.resume(token).code(), "31 days unused");
                c.login();
                assertTrue(c.call(new Request.Contacts()).ok(), "the password still works");
            }
            // That login, an hour and more after the last purge, deleted the expired session.
            String hash = Tokens.hash(token);
            Await.until(() -> {
                try (var sql = java.sql.DriverManager.getConnection(db.url());
                        var st = sql.prepareStatement("SELECT COUNT(*) FROM sessions WHERE token_hash = ?")) {
                    st.setString(1, hash);
                    try (var rs = st.executeQuery()) {
                        return rs.next() && rs.getInt(1) == 0;
                    }
                }
            }, "the expired session is deleted");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void passwdRevokesTheOtherTokensAndClosesTheOtherDevices(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(TestServer.settings().dbUrl(db.url()))) {
            String old = TextClient.password("pat");
            String tabletToken;
            try (var tablet = TextClient.loggedIn(server.port(), "pat", "tablet")) {
                tabletToken = tablet.token;
            }
            try (var phone = TextClient.loggedIn(server.port(), "pat", "phone");
                    var laptop = TextClient.loggedIn(server.port(), "pat", "laptop")) {
                assertEquals("auth-failed", phone.call(new Request.Passwd("wrong one", "new password 1")).code());
                assertEquals("bad-password", phone.call(new Request.Passwd(old, "short")).code());
                assertTrue(phone.call(new Request.Passwd(old, "new password 1")).ok());

                assertEquals("password-changed", laptop.awaitPush("BYE").field(1));
                assertTrue(laptop.closedWithin(10_000));
                assertTrue(phone.call(new Request.Ping()).ok(), "the device that changed it stays");
                String phoneToken = phone.token;
                phone.close();
                try (var again = new TextClient(server.port(), "pat", "phone")) {
                    assertTrue(again.resume(phoneToken).ok(), "its own token is kept");
                }
            }
            try (var tablet = new TextClient(server.port(), "pat", "tablet")) {
                assertEquals("auth-failed", tablet.resume(tabletToken).code(), "every other token is revoked");
                assertEquals("auth-failed", tablet.call(new Request.Login("pat", old, "tablet")).code());
                assertTrue(tablet.call(new Request.Login("pat", "new password 1", "tablet")).ok());
            }
        }
    }

    /**
     * The race: a LOGIN reads the password hash, a PASSWD commits, then the LOGIN (its old
     * password checked against the old hash) starts its session. The wrapped store makes the
     * PASSWD commit right after the login's read, every time.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aLoginThatCheckedTheOldPasswordFailsWhenPasswdCommittedMeanwhile(Backend backend) throws Exception {
        String newPassword = "new password 1";
        String newHash = new Passwords(TestServer.TEST_ITERATIONS).hash(newPassword);
        var armed = new AtomicBoolean();
        UnaryOperator<Store> passwdAfterTheRead = real -> (Store) Proxy.newProxyInstance(
                Store.class.getClassLoader(), new Class<?>[] {Store.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("userByKey") && armed.getAndSet(false)) {
                        long userId = ((Optional<?>) result).map(u -> ((Store.User) u).id()).orElseThrow();
                        real.setPasswordHash(userId, newHash); // what PASSWD's transaction does
                        real.revokeOtherSessions(userId, null);
                    }
                    return result;
                });
        try (var db = backend.fresh();
                var server = TestServer.start(TestServer.settings().dbUrl(db.url()), System::currentTimeMillis,
                        passwdAfterTheRead)) {
            TextClient.loggedIn(server.port(), "vic", "phone").close();
            try (var c = new TextClient(server.port(), "vic", "laptop")) {
                armed.set(true);
                assertEquals("auth-failed", c.call(new Request.Login("vic", TextClient.password("vic"), "laptop")).code(),
                        "the old password, checked before the change, starts no session after it");
                assertTrue(c.call(new Request.Login("vic", newPassword, "laptop")).ok(), "the new one works");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aLoginRevokesTheSameDevicesEarlierTokensOnly(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(TestServer.settings().dbUrl(db.url()))) {
            String first;
            String laptopToken;
            try (var phone = TextClient.loggedIn(server.port(), "dora", "phone");
                    var laptop = TextClient.loggedIn(server.port(), "dora", "laptop")) {
                first = phone.token;
                laptopToken = laptop.token;
            }
            String second;
            try (var phone = TextClient.loggedIn(server.port(), "dora", "phone")) {
                second = phone.token;
            }
            try (var phone = new TextClient(server.port(), "dora", "phone")) {
                assertEquals("auth-failed", phone.resume(first).code(), "the first login's token died with the second");
            }
            try (var phone = new TextClient(server.port(), "dora", "phone")) {
                assertTrue(phone.resume(second).ok(), "the second login's token lives");
            }
            try (var laptop = new TextClient(server.port(), "dora", "laptop")) {
                assertTrue(laptop.resume(laptopToken).ok(), "another device's token lives");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void singleSessionMakesANewLoginReplaceEveryOtherDevice(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(TestServer.settings().dbUrl(db.url()).singleSession(true));
                var phone = TextClient.loggedIn(server.port(), "solo", "phone");
                var laptop = TextClient.loggedIn(server.port(), "solo", "laptop")) {
            assertEquals("replaced", phone.awaitPush("BYE").field(1));
            assertTrue(phone.closedWithin(10_000));
            assertTrue(laptop.call(new Request.Contacts()).ok());
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void withoutItTwoDevicesStayAndTheSameDeviceReplacesItself(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(TestServer.settings().dbUrl(db.url()));
                var phone = TextClient.loggedIn(server.port(), "duo", "phone");
                var laptop = TextClient.loggedIn(server.port(), "duo", "laptop")) {
            assertTrue(phone.call(new Request.Ping()).ok());
            assertTrue(phone.pushes().stream().noneMatch(l -> l.command().equals("BYE")));
            try (var phone2 = new TextClient(server.port(), "duo", "phone")) {
                assertTrue(phone2.resume(phone.token).ok());
                assertEquals("replaced", phone.awaitPush("BYE").field(1));
                assertTrue(phone.closedWithin(10_000));
                assertTrue(laptop.call(new Request.Ping()).ok());
                assertTrue(laptop.pushes().stream().noneMatch(l -> l.command().equals("BYE")));
            }
        }
    }
}
