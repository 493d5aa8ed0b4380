package chat.client.term;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.client.Texts;
import chat.server.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Names in their own colour, errors red, notices yellow; none for scripts or with NO_COLOR. */
class ColoursTest {

    @TempDir
    Path dir;

    @Test
    void aNameHasOneColourAndNamesSpreadOverThePalette() {
        var on = new Colours(true);
        assertEquals(on.name("bob"), on.name("bob"));
        assertEquals(on.name("Bob").replace("Bob", "bob"), on.name("bob"), "a name's key picks it: Bob is bob");
        Set<String> colours = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            String shown = on.name("user" + i);
            assertTrue(shown.endsWith("user" + i + "\u001b[0m"), shown);
            colours.add(shown.substring(0, shown.indexOf('m') + 1));
        }
        assertEquals(12, colours.size(), colours.toString());
        assertEquals("\u001b[31mno\u001b[0m", on.error("no"));
        assertNotEquals("x", on.notice("x"));
        assertEquals("bob", Colours.OFF.name("bob"));
        assertEquals("no", Colours.OFF.error("no"));
        assertFalse(Colours.of(true, Map.of("NO_COLOR", "")).on(), "NO_COLOR with any value, empty too");
        assertFalse(Colours.of(false, Map.of()).on(), "not a terminal");
        assertFalse(new PlainConsole(new java.io.StringReader(""), System.out).colours().on());
    }

    @Test
    void onATerminalANoticeIsYellowAndNoColorTurnsItOff() throws Exception {
        assertTrue(shellSays(Map.of()).contains("\u001b[33mCannot reach 127.0.0.1"));
        String plain = shellSays(Map.of("NO_COLOR", "1"));
        assertTrue(plain.contains("Cannot reach 127.0.0.1") && !plain.contains("\u001b[33m"), plain);
    }

    /** What the account shell writes to a terminal while no server answers, until /quit. */
    private String shellSays(Map<String, String> env) throws Exception {
        int port;
        try (var probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (var screen = new LegacyTypingTest.TestTerminal()) {
            var shell = new AccountShell("127.0.0.1", port, dir.resolve("d" + env.size()), ShellUser.FAST,
                    new JLineConsole(screen.terminal, env), Texts.of(Locale.ENGLISH));
            var exit = CompletableFuture.supplyAsync(shell::run);
            Await.until(() -> screen.lines().stream().anyMatch(l -> l.contains("Cannot reach")), "the notice");
            screen.type("/quit\r");
            exit.get();
            synchronized (screen.output) {
                return screen.output.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
