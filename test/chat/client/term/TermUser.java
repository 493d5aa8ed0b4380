package chat.client.term;

import chat.client.Texts;
import chat.server.Await;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Someone at a terminal running {@code chat-client HOST PORT}: an {@link AccountShell} on a
 * {@link JLineConsole} over a JLine terminal built on streams (keys typed in, the screen read back
 * without its escape sequences), no colours, UTF-8.
 */
final class TermUser implements AutoCloseable {

    final LegacyTypingTest.TestTerminal screen;
    final AccountShell shell;
    private final CompletableFuture<Client.Exit> exit;

    private TermUser(int port, Path data, Locale locale) throws Exception {
        this.screen = new LegacyTypingTest.TestTerminal();
        this.shell = new AccountShell("127.0.0.1", port, data, ShellUser.FAST,
                new JLineConsole(screen.terminal, Map.of("NO_COLOR", "1")), Texts.of(locale));
        this.exit = CompletableFuture.supplyAsync(shell::run);
    }

    static TermUser start(int port, Path data) throws Exception {
        return new TermUser(port, data, Locale.ENGLISH);
    }

    /** Types {@code line} and Enter. */
    void type(String line) throws Exception {
        screen.type(line + "\r");
    }

    /** Types keys as they are (Alt-2 is {@code "\u001b2"}). */
    void keys(String keys) throws Exception {
        screen.type(keys);
    }

    /**
     * Registers alice (the password twice, as a terminal asks), logs her in, and makes her
     * {@code friend}'s friend (friend accepting, in English).
     */
    void registerAliceAndBefriend(ShellUser friend) throws Exception {
        type("/register alice");
        type("alice-secret-1");
        type("alice-secret-1");
        await("Registered alice.");
        type("/login alice");
        type("alice-secret-1");
        await("Logged in as alice.");
        type("/add " + friend.name);
        friend.expectStarting("alice asks to be your friend");
        friend.type("/accept alice");
        await(friend.name + " is now your friend.");
    }

    /** Waits for a screen line that contains {@code text}. */
    void await(String text) throws Exception {
        Await.until(() -> screen.lines().stream().anyMatch(l -> l.contains(text)), "a line with \"" + text + "\"");
    }

    /** Waits for {@code times} screen lines that contain {@code text}. */
    void await(String text, long times) throws Exception {
        Await.until(() -> count(text) >= times, times + " lines with \"" + text + "\"");
    }

    long count(String text) {
        return screen.lines().stream().filter(l -> l.contains(text)).count();
    }

    /** The screen's lines so far. */
    List<String> lines() {
        return screen.lines();
    }

    /** Everything written to the terminal, escape sequences and all. */
    String raw() {
        synchronized (screen.output) {
            return screen.output.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            type("/quit");
            exit.get(ShellUser.WAIT_SECONDS, TimeUnit.SECONDS);
        } finally {
            screen.close();
        }
    }
}
