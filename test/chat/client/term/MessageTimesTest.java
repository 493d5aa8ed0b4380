package chat.client.term;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.server.TestServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every message shows its time, and its date when it is not from today; what waited while I was
 * away comes under a header that counts it, in both languages.
 */
class MessageTimesTest {

    private static final Locale EN = Locale.ENGLISH;

    @TempDir
    Path dir;

    @Test
    void aMessageShowsItsTimeTodayAndItsDateOnAnotherDay() throws Exception {
        // bob's clock is two days ahead: for him, today's messages are from another day
        Clock later = Clock.offset(Clock.systemDefaultZone(), Duration.ofDays(2));
        try (var server = TestServer.start();
                var alice = ShellUser.start("alice", server.port(), dir.resolve("alice"), EN);
                var bob = ShellUser.start("bob", server.port(), dir.resolve("bob"), EN, later)) {
            alice.registerAndLogIn("alice-secret-1");
            bob.registerAndLogIn("bob-secret-12");
            alice.befriend(bob);
            bob.type("/msg alice hi");
            String seen = alice.expectEnding("[bob] hi");
            assertTrue(seen.matches("\\d\\d:\\d\\d \\[bob\\] hi"), seen);
            alice.type("/msg bob hello");
            String date = bob.expectEnding("[alice] hello");
            assertTrue(date.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d \\[alice\\] hello"), date);
            assertTrue(!date.startsWith(LocalDate.now(later).toString()), date);
            bob.type("/history alice 2");
            String history = bob.expectEnding("[bob] hi");
            assertTrue(history.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d \\[bob\\] hi"), history);
            alice.type("/history bob 2"); // a record: with the date, today's too
            history = alice.expectEnding("[alice] hello");
            assertTrue(history.startsWith(LocalDate.now() + " ") || history.startsWith(LocalDate.now().minusDays(1) + " "),
                    history);
        }
    }

    @Test
    void whatCameWhileIWasAwayComesUnderAHeaderThatCountsIt() throws Exception {
        try (var server = TestServer.start();
                var alice = ShellUser.start("alice", server.port(), dir.resolve("alice"), EN)) {
            alice.registerAndLogIn("alice-secret-1");
            try (var bob = ShellUser.start("bob", server.port(), dir.resolve("bob"), EN)) {
                bob.registerAndLogIn("bob-secret-12");
                alice.befriend(bob);
                bob.type("/quit");
                bob.quit();
            }
            alice.expect("bob went offline.");
            alice.type("/msg bob one", "/msg bob two", "/history bob 2");
            alice.expectEnding("[alice] two");
            try (var bob = ShellUser.start("bob", server.port(), dir.resolve("bob"), Locale.forLanguageTag("zh-CN"))) {
                bob.expect("已登录为 bob."); // the saved session, no password
                bob.expect("\u2014\u2014 离开期间 (2) \u2014\u2014");
                assertEquals(List.of(), bob.await(l -> ShellUser.untimed(l).equals("[alice] one"), "one"));
                assertEquals(List.of(), bob.await(l -> ShellUser.untimed(l).equals("[alice] two"), "two"));
                // live again: no header
                alice.expect("bob is online.");
                alice.type("/msg bob three");
                List<String> before = bob.expect("[alice] three");
                assertTrue(before.stream().noneMatch(l -> l.contains("离开期间")), before.toString());
            }
        }
    }
}
