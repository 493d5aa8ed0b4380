package chat.server.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Line;
import chat.common.proto.Request;
import chat.server.Backend;
import chat.server.TestServer;
import chat.server.TextClient;
import chat.server.TextClient.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 13's attacks on the login throttle, through real sockets from several loopback
 * addresses, on a clock of the test's (it never moves unless the test moves it, so the budgets
 * do not refill behind its back).
 */
class LoginThrottlingTest {

    private final AtomicLong clock = new AtomicLong(System.currentTimeMillis());

    private static long started(TextClient observer) throws Exception {
        return HashGateTest.stats(observer).get("hashes_started");
    }

    /**
     * 40 connections from 40 addresses send LOGIN for dave at once: a few passwords are checked,
     * the rest are refused before any hash. Meanwhile dave's phone RESUMEs, carol behind an
     * attacking address logs in, and dave at home waits a stated, bounded time.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void parallelGuessesCheckAFewPasswordsAndLockNobodyOut(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(TestServer.settings().dbUrl(db.url()).hashPerAddress(4).admins(List.of("observer")), clock::get);
                var observer = TextClient.loggedIn(new TextClient(server.port(), "observer", "default", "127.0.0.9"))) {
            String phoneToken;
            try (var phone = TextClient.loggedIn(server.port(), "dave", "phone")) {
                phoneToken = phone.token;
            }
            TextClient.loggedIn(server.port(), "carol").close();
            long before = started(observer);

            List<TextClient> attackers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                attackers.add(new TextClient(server.port(), "dave", "default", "127.0.1." + (i + 10)));
            }
            for (var a : attackers) {
                a.send(new Request.Login("dave", "guess " + a.hashCode()));
            }
            Map<String, Integer> codes = new HashMap<>();
            for (var a : attackers) {
                Line reply = a.readLine();
                codes.merge(reply.field(2), 1, Integer::sum);
                a.close();
            }
            int checked = LoginThrottle.ACCOUNT_BURST + LoginThrottle.CLEAN_BURST;
            assertEquals(Map.of("auth-failed", checked, "throttled", 40 - checked), codes);
            assertEquals(before + checked, started(observer), "only the checked ones were hashed");

            try (var phone = new TextClient(server.port(), "dave", "phone", "127.0.1.10")) {
                assertTrue(phone.resume(phoneToken).ok(), "the known device gets in, even from an attacking address");
            }
            try (var carol = new TextClient(server.port(), "carol", "default", "127.0.1.10")) {
                carol.login(); // behind the same address as an attacker, another account is not locked
            }
            try (var home = new TextClient(server.port(), "dave", "laptop", "127.0.0.2")) {
                Reply r = home.call(new Request.Login("dave", TextClient.password("dave"), "laptop"));
                assertEquals("throttled", r.code(), "both lanes are spent, so dave at a clean address waits");
                long wait = Long.parseLong(r.field(4));
                assertEquals(LoginThrottle.CLEAN_SECONDS, wait, "and is told how long: one interval");
                clock.addAndGet(Duration.ofSeconds(wait).toMillis());
                assertTrue(home.call(new Request.Login("dave", TextClient.password("dave"), "laptop")).ok(),
                        "then his password is checked");
            }
        }
    }

    /** REGISTER: --register-limit per --register-window and address, then throttled with its wait. */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void registrationsAreLimitedPerAddress(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(TestServer.settings().dbUrl(db.url()).registerLimit(5)
                        .registerWindow(Duration.ofMinutes(10)), clock::get);
                var c = new TextClient(server.port(), "maker", "default", "127.0.2.1");
                var elsewhere = new TextClient(server.port(), "other", "default", "127.0.2.2")) {
            for (int i = 0; i < 5; i++) {
                assertTrue(c.call(new Request.Register("maker" + i, "password " + i)).ok());
            }
            Reply r = c.call(new Request.Register("maker5", "password 5"));
            assertEquals("throttled", r.code());
            assertEquals("too many registrations from this address; try again in 120 s", r.field(3));
            assertEquals("120", r.field(4));
            assertTrue(elsewhere.call(new Request.Register("other", "password 9")).ok(), "another address is not");
            clock.addAndGet(Duration.ofMinutes(2).toMillis());
            assertTrue(c.call(new Request.Register("maker5", "password 5")).ok(), "one more every two minutes");
            assertEquals("throttled", c.call(new Request.Register("maker6", "password 6")).code());
        }
    }

    /** CHECK_NAME tells whether a name exists: a burst per address, then one every few seconds. */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void nameChecksAreLimitedPerAddress(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(TestServer.settings().dbUrl(db.url()), clock::get);
                var c = new TextClient(server.port(), "asker", "default", "127.0.3.1");
                var elsewhere = new TextClient(server.port(), "other", "default", "127.0.3.2")) {
            for (int i = 0; i < Accounts.NAME_CHECKS; i++) {
                assertEquals("free", c.call(new Request.CheckName("name" + i)).field(2));
            }
            Reply r = c.call(new Request.CheckName("one-more"));
            assertEquals("throttled", r.code());
            assertEquals(Integer.toString(Accounts.NAME_CHECK_SECONDS), r.field(4));
            assertEquals("bad-name", c.call(new Request.CheckName("a:b")).code(), "a bad name costs no lookup");
            assertEquals("free", elsewhere.call(new Request.CheckName("one-more")).field(2));
            clock.addAndGet(Duration.ofSeconds(Accounts.NAME_CHECK_SECONDS).toMillis());
            assertEquals("free", c.call(new Request.CheckName("one-more")).field(2));
        }
    }
}
