package chat.client.term;

import static org.junit.jupiter.api.Assertions.fail;

import chat.client.Timings;
import chat.client.Texts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

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

    private ShellUser(String name, int port, Path data, Locale locale) {
        this.name = name;
        this.data = data;
        this.console = new PlainConsole(keyboard, screen.stream);
        this.shell = new AccountShell("127.0.0.1", port, data, FAST, console, Texts.of(locale));
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
        return new ShellUser(name, port, data, locale);
    }

    void type(String... lines) {
        for (String l : lines) {
            keyboard.type(l);
        }
    }

    /** Waits for a line equal to {@code expected}, passing over others; returns the lines passed over. */
    List<String> expect(String expected) {
        return await(expected::equals, "\"" + expected + "\"");
    }

    /** Waits for a line starting with {@code prefix}. */
    String expectStarting(String prefix) {
        await(l -> l.startsWith(prefix), "a line starting with \"" + prefix + "\"");
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
        return all().stream().filter(line::equals).count();
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
