package chat.server.command;

import static chat.server.command.LoginThrottle.ACCOUNT_BURST;
import static chat.server.command.LoginThrottle.ACCOUNT_SECONDS;
import static chat.server.command.LoginThrottle.ADDRESS_ACCOUNTS;
import static chat.server.command.LoginThrottle.ADDRESS_ACCOUNT_SECONDS;
import static chat.server.command.LoginThrottle.BAD_TOKENS;
import static chat.server.command.LoginThrottle.BAD_TOKEN_SECONDS;
import static chat.server.command.LoginThrottle.CLEAN_BURST;
import static chat.server.command.LoginThrottle.CLEAN_SECONDS;
import static chat.server.command.LoginThrottle.DIRTY_MINUTES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The throttle's policy, on a clock of the test's: every figure of its Javadoc, to the second. */
class LoginThrottleTest {

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final LoginThrottle throttle = new LoginThrottle(clock::get);

    private LoginThrottle.Check check(String account, String address) {
        return assertInstanceOf(LoginThrottle.Check.class, throttle.reserve(account, address),
                account + " from " + address);
    }

    private long refusedSeconds(String account, String address) {
        return assertInstanceOf(LoginThrottle.Refusal.class, throttle.reserve(account, address),
                account + " from " + address).seconds();
    }

    /** {@code times} wrong passwords for {@code account} from {@code address}, each let through. */
    private void fail(String account, String address, int times) {
        for (int i = 0; i < times; i++) {
            check(account, address).failed();
        }
    }

    private void seconds(long s) {
        clock.addAndGet(s * 1000);
    }

    /** Checks in flight count before they finish: parallel guesses find the budget spent. */
    @Test
    void checksInFlightCountAsFailuresWhateverTheirAddresses() {
        List<LoginThrottle.Check> running = new ArrayList<>();
        int refused = 0;
        for (int i = 0; i < 40; i++) {
            var r = throttle.reserve("dave", "10.0.0." + i);
            if (r instanceof LoginThrottle.Check c) {
                running.add(c);
            } else {
                refused++;
            }
        }
        assertEquals(ACCOUNT_BURST + CLEAN_BURST, running.size(), "40 parallel guesses from 40 addresses");
        assertEquals(40 - ACCOUNT_BURST - CLEAN_BURST, refused);
        running.forEach(LoginThrottle.Check::failed);
        assertEquals(ACCOUNT_SECONDS, refusedSeconds("dave", "10.0.0.1"));
        assertEquals(ACCOUNT_SECONDS, refusedSeconds("dave", "10.0.1.1"), "a fresh address waits as long");
    }

    /** Then one guess per interval of each lane: a few a minute, however many addresses ask. */
    @Test
    void aSteadyAttackGetsAFewGuessesAMinute() {
        int checks = 0;
        for (int second = 0; second < 600; second++) {
            for (int a = 0; a < 5; a++) {
                var r = throttle.reserve("dave", "10." + second + "." + a + ".1"); // always a fresh address
                if (r instanceof LoginThrottle.Check c) {
                    c.failed();
                    checks++;
                }
            }
            seconds(1);
        }
        // Both bursts at second 0, then one per lane every 30 s: seconds 30 to 570.
        int refills = (600 / ACCOUNT_SECONDS - 1) + (600 / CLEAN_SECONDS - 1);
        assertEquals(ACCOUNT_BURST + CLEAN_BURST + refills, checks, "both bursts, then 4 a minute");
    }

    @Test
    void aSuccessGivesItsTokenBackAndACancelledCheckCountsForNothing() {
        for (int i = 0; i < 3 * ACCOUNT_BURST; i++) {
            check("erin", "10.0.0.1").succeeded();
            check("erin", "10.0.0.1").cancelled();
        }
        fail("erin", "10.0.0.1", ACCOUNT_BURST);
        refusedSeconds("erin", "10.0.0.1");
    }

    @Test
    void failuresOnOneAccountDoNotLockAnotherBehindTheSameAddress() {
        fail("dave", "192.168.1.1", ACCOUNT_BURST);
        refusedSeconds("dave", "192.168.1.1");
        for (int i = 0; i < 3; i++) {
            check("carol", "192.168.1.1").succeeded();
        }
        check("carol", "192.168.1.1").failed();
        check("carol", "192.168.1.1").succeeded();
    }

    /** An address may fail on ten accounts, then one more a minute: spraying runs out, hammering does not. */
    @Test
    void anAddressRunsOutOfNewAccountsToTry() {
        for (int i = 0; i < ADDRESS_ACCOUNTS; i++) {
            check("user" + i, "10.9.9.9").failed();
        }
        assertEquals(ADDRESS_ACCOUNT_SECONDS, refusedSeconds("user-new", "10.9.9.9"));
        check("user0", "10.9.9.9").failed(); // one it failed on already: the account's budget decides
        check("user-new", "10.9.9.10").succeeded(); // another address is not affected
        seconds(ADDRESS_ACCOUNT_SECONDS);
        check("user-new", "10.9.9.9").failed();
        refusedSeconds("user-newer", "10.9.9.9");
    }

    /** A campus NAT at nine o'clock: many logins at once, all right, cost the address nothing. */
    @Test
    void peopleWhoTypeTheirPasswordRightUseNoneOfTheAddresssBudget() {
        List<LoginThrottle.Check> running = new ArrayList<>();
        for (int i = 0; i < 5 * ADDRESS_ACCOUNTS; i++) {
            running.add(check("student" + i, "10.1.1.1"));
        }
        running.forEach(LoginThrottle.Check::succeeded);
        fail("mallory", "10.1.1.1", 1);
        for (int i = 0; i < 5 * ADDRESS_ACCOUNTS; i++) {
            check("student" + i, "10.1.1.1").succeeded();
        }
    }

    /** Failures charge the address after the fact, so parallel failures cannot overdraw it for long. */
    @Test
    void parallelFailuresOnNewAccountsAreAllCharged() {
        List<LoginThrottle.Check> running = new ArrayList<>();
        for (int i = 0; i < ADDRESS_ACCOUNTS + 4; i++) {
            running.add(check("user" + i, "10.9.9.9"));
        }
        running.forEach(LoginThrottle.Check::failed);
        assertEquals(5 * ADDRESS_ACCOUNT_SECONDS, refusedSeconds("user-new", "10.9.9.9"), "four over: five minutes");
    }

    /**
     * The bounded wait: the attacker keeps the account's budget empty from his addresses; the
     * victim, at an address with no failure on the account, is checked at once, and after the
     * clean lane is spent too, within {@value LoginThrottle#CLEAN_SECONDS} s.
     */
    @Test
    void aPersonAtACleanAddressIsCheckedWithinTheCleanInterval() {
        fail("dave", "10.6.6.6", ACCOUNT_BURST);
        assertEquals(ACCOUNT_SECONDS, refusedSeconds("dave", "10.6.6.6"), "the attacker waits");
        check("dave", "172.16.0.9").succeeded(); // dave, from home

        for (int i = 0; i < CLEAN_BURST; i++) {
            check("dave", "10.7.7." + i).failed(); // the attacker spends fresh addresses on the clean lane
        }
        long wait = refusedSeconds("dave", "172.16.0.9");
        assertEquals(Math.min(ACCOUNT_SECONDS, CLEAN_SECONDS), wait);
        seconds(wait);
        check("dave", "172.16.0.9").succeeded();
    }

    @Test
    void anAddressStaysDirtyForFifteenMinutesAfterAFailure() {
        fail("dave", "10.6.6.6", ACCOUNT_BURST);
        seconds(DIRTY_MINUTES * 60L - ACCOUNT_SECONDS * ACCOUNT_BURST);
        // The account's budget is full again by now, so spend it from elsewhere first.
        fail("dave", "10.8.8.8", ACCOUNT_BURST);
        refusedSeconds("dave", "10.6.6.6");
        seconds(ACCOUNT_SECONDS * ACCOUNT_BURST);
        fail("dave", "10.8.8.8", ACCOUNT_BURST);
        check("dave", "10.6.6.6").succeeded(); // clean again: the clean lane takes it
    }

    @Test
    void aCheckReportsOnce() {
        var c = check("fay", "10.0.0.1");
        c.failed();
        c.succeeded(); // ignored: the failure stands
        fail("fay", "10.0.0.1", ACCOUNT_BURST - 1);
        refusedSeconds("fay", "10.0.0.1");
    }

    @Test
    void badTokensCostTheirAddressOnly() {
        for (int i = 0; i < BAD_TOKENS; i++) {
            assertNull(throttle.resumeFailed("10.0.0.1"));
        }
        assertEquals(BAD_TOKEN_SECONDS, throttle.resumeFailed("10.0.0.1").seconds());
        assertNull(throttle.resumeFailed("10.0.0.2"));
        seconds(BAD_TOKEN_SECONDS);
        assertNull(throttle.resumeFailed("10.0.0.1"));
        assertNotNull(throttle.resumeFailed("10.0.0.1"));
        check("anyone", "10.0.0.1").succeeded(); // password checks do not care
    }

    /** An IPv6 client counts by its /64, which one home or one cloud machine holds whole. */
    @Test
    void anIpv6AddressCountsByItsSlash64() throws Exception {
        String key = Accounts.addressKey(InetAddress.getByName("2001:db8:0:2a:1:2:3:4"));
        assertEquals("2001:db8:0:2a::/64", key);
        assertEquals(key, Accounts.addressKey(InetAddress.getByName("2001:db8:0:2a:ffff::9")));
        assertEquals("2001:db8:0:2b::/64", Accounts.addressKey(InetAddress.getByName("2001:db8:0:2b::1")));
        assertEquals("192.0.2.7", Accounts.addressKey(InetAddress.getByName("192.0.2.7")));
    }

    @Test
    void budgetsRefillOnePerIntervalAndForgetFullBuckets() {
        var b = new Budgets(2, 1_000, 3);
        assertEquals(0, b.take("a", 0));
        assertEquals(0, b.take("a", 0));
        assertEquals(1_000, b.take("a", 0));
        assertEquals(400, b.take("a", 600));
        assertEquals(0, b.take("a", 1_000));
        b.refund("a", 1_000);
        assertEquals(0, b.take("a", 1_000), "the refund made room for one");
        assertEquals(1_000, b.take("a", 1_000));
        assertEquals(0, b.take("b", 0));
        assertEquals(0, b.take("c", 0));
        assertEquals(1_000, b.take("d", 0), "a fourth key is refused while three are held");
        assertEquals(1_000, b.take("d", 5_000), "full again, but the last purge was less than a minute ago");
        assertEquals(0, b.take("d", Budgets.PURGE_MILLIS), "a take a minute on forgets the full buckets first");
        assertThrows(IllegalArgumentException.class, () -> new Budgets(0, 1, 1));
    }

    /**
     * A cluster: what one node's throttle charges is told once per charge, and a throttle that
     * takes another node's charges ends where the first is (the failures spread over both).
     */
    @Test
    void chargesToldToAnotherNodeSpendItsBudgetsAlike() {
        List<String> told = new ArrayList<>();
        var other = new LoginThrottle(clock::get);
        throttle.tell((budget, key, address, newToAddress) -> {
            told.add(budget + " " + key + " " + address + " " + newToAddress);
            other.chargedElsewhere(budget, key, address, newToAddress);
        });
        for (int i = 0; i < ACCOUNT_BURST; i++) {
            check("dave", "10.0.0.1").failed();
        }
        assertEquals(ACCOUNT_BURST, told.size());
        assertEquals("ACCOUNT dave 10.0.0.1 true", told.get(0), "the first failure is new to the address");
        assertEquals("ACCOUNT dave 10.0.0.1 false", told.get(1));
        assertInstanceOf(LoginThrottle.Refusal.class, other.reserve("dave", "10.0.0.1"),
                "the other node's account budget is spent and the address is dirty there too");
        check("dave", "10.0.0.2").succeeded(); // a clean address's lane, on this node
        assertEquals(ACCOUNT_BURST, told.size(), "a right password is told nothing");
        for (int i = 0; i < BAD_TOKENS; i++) {
            assertNull(throttle.resumeFailed("10.0.0.3"));
        }
        assertNotNull(other.resumeFailed("10.0.0.3"), "the bad tokens were charged there too");
    }
}
