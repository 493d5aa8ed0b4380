package chat.client.term;

import static org.junit.jupiter.api.Assertions.fail;

import chat.client.ServerAddress;
import chat.client.Timings;
import chat.client.Texts;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Someone scripting {@code chat-client HOST PORT}: an {@link AccountShell} over plain input and
 * output (no terminal) on its own thread, typed into and read line by line.
 */
final class ShellUser implements AutoCloseable {

    /** Reconnect quickly, so that tests do not wait out the 1-to-10-second backoff. */
    static final Timings FAST = new Timings(Duration.ofSeconds(5), Duration.ofSeconds(30),
            Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofMillis(500));

    /** The longest a test waits for an expected line while others keep coming. */
    static final long WAIT_SECONDS = 20;

    final String name;
    final Path data;
    final Keyboard keyboard = new Keyboard();
    final Screen screen = new Screen();
    private final List<String> seen = new ArrayList<>();
    private final CompletableFuture<Client.Exit> exit = new CompletableFuture<>();
    final AccountShell shell;
    /** What the shell reads and prints through; its prompt is the one a terminal would show. */
    final PlainConsole console;

    private ShellUser(String name, List<ServerAddress> servers, Path data, Locale locale, Clock clock) {
        this.name = name;
        this.data = data;
        this.console = new PlainConsole(keyboard, screen.stream);
        this.shell = new AccountShell(servers, data, FAST, console, Texts.of(locale), clock, false);
        var thread = new Thread(() -> {
            try {
                exit.complete(shell.run());
            } catch (Throwable e) {
                exit.completeExceptionally(e);
            }
        }, "shell-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    static ShellUser start(String name, int port, Path data, Locale locale) {
        return start(name, port, data, locale, Clock.systemDefaultZone());
    }

    /** With {@code clock} for what is today (a message from another day shows its date). */
    static ShellUser start(String name, int port, Path data, Locale locale, Clock clock) {
        return new ShellUser(name, List.of(new ServerAddress("127.0.0.1", port)), data, locale, clock);
    }

    /** {@code chat-client --server A,B}: the servers of a cluster. */
    static ShellUser start(String name, List<ServerAddress> servers, Path data, Locale locale) {
        return new ShellUser(name, servers, data, locale, Clock.systemDefaultZone());
    }

    /** A message's time today, {@code 12:00 }, before the rest of a line. */
    static final Pattern TIME = Pattern.compile("^\\d\\d:\\d\\d ");

    /**
     * {@code line} without the time a message line starts with: tests that are not about times
     * match messages as {@code [alice] hi}; the times' own test matches them whole.
     */
    static String untimed(String line) {
        return TIME.matcher(line).replaceFirst("");
    }

    void type(String... lines) {
        for (String l : lines) {
            keyboard.type(l);
        }
    }

    /** Waits for a line equal to {@code expected}, passing over others; returns the lines passed over. */
    List<String> expect(String expected) {
        return await(l -> expected.equals(l) || expected.equals(untimed(l)), "\"" + expected + "\"");
    }

    /** Waits for a line starting with {@code prefix}. */
    String expectStarting(String prefix) {
        await(l -> l.startsWith(prefix) || untimed(l).startsWith(prefix), "a line starting with \"" + prefix + "\"");
        return seen.get(seen.size() - 1);
    }

    /** Waits for a line ending with {@code suffix}. */
    String expectEnding(String suffix) {
        await(l -> l.endsWith(suffix), "a line ending with \"" + suffix + "\"");
        return seen.get(seen.size() - 1);
    }

    /** Waits for a line that matches; the lines passed over on the way. */
    List<String> await(Predicate<String> match, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        List<String> skipped = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            String line = screen.next(); // fails after Screen.WAIT_SECONDS of silence
            seen.add(line);
            if (match.test(line)) {
                return skipped;
            }
            skipped.add(line);
        }
        fail(name + ": no " + what + " within " + WAIT_SECONDS + " s; printed: " + seen);
        return skipped;
    }

    /** Every line printed so far, taken or not. */
    List<String> all() {
        seen.addAll(screen.rest());
        return List.copyOf(seen);
    }

    long count(String line) {
        return all().stream().filter(l -> line.equals(l) || line.equals(untimed(l))).count();
    }

    /** Registers and logs in (English texts). */
    void registerAndLogIn(String password) {
        type("/register " + name, password);
        expect("Registered " + name + ". Now /login " + name + ".");
        type("/login " + name, password);
        expect("Logged in as " + name + ".");
    }

    /** Asks {@code other} to be a friend, and {@code other} accepts (both in English). */
    void befriend(ShellUser other) {
        type("/add " + other.name);
        expect("Friend request sent to " + other.name + ".");
        other.expectStarting(name + " asks to be your friend");
        other.type("/accept " + name);
        other.expect(name + " is now your friend.");
        expect(other.name + " is now your friend.");
    }

    /** Ends the input and waits for the session to end. */
    Client.Exit quit() {
        keyboard.end();
        try {
            return exit.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(name + "'s session did not end cleanly", e);
        }
    }

    @Override
    public void close() {
        keyboard.end();
    }
}
