package chat.client.term;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.client.Texts;
import chat.server.Await;
import chat.server.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;

/**
 * Legacy mode at a terminal: a message that arrives while carol types prints above her line, and
 * what she had typed is still there (and goes out whole) afterwards. The terminal is JLine's, on
 * streams: what the client writes to it is read back here, escape sequences removed.
 */
class LegacyTypingTest {

    /** A terminal that carol types into and whose output the test reads. */
    static final class TestTerminal implements AutoCloseable {
        final PipedOutputStream keys = new PipedOutputStream();
        final ByteArrayOutputStream output = new ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] b, int off, int len) {
                super.write(b, off, len);
            }
        };
        final Terminal terminal;

        TestTerminal() throws Exception {
            var in = new PipedInputStream(keys, 4096);
            terminal = TerminalBuilder.builder().system(false).streams(in, output).type("xterm")
                    .encoding(StandardCharsets.UTF_8).size(new org.jline.terminal.Size(120, 40)).build();
        }

        void type(String s) throws Exception {
            keys.write(s.getBytes(StandardCharsets.UTF_8));
            keys.flush();
        }

        /** The screen's text as lines: escape sequences removed, a carriage return starts a line again. */
        List<String> lines() {
            String raw;
            synchronized (output) {
                raw = output.toString(StandardCharsets.UTF_8);
            }
            String plain = raw.replaceAll("\u001b\\[[0-9;?]*[A-Za-z]", "").replaceAll("\u001b[()][0-9A-Za-z]", "")
                    .replaceAll("\u001b[=>]", "");
            return Arrays.stream(plain.split("[\r\n]")).filter(l -> !l.isEmpty()).toList();
        }

        @Override
        public void close() throws Exception {
            keys.close();
            terminal.close();
        }
    }

    @Test
    void aMessageArrivingWhileCarolTypesPrintsAboveHerLine() throws Exception {
        try (var server = TestServer.start(); var screen = new TestTerminal();
                var dave = ChatUser.join(server, "dave", Locale.ENGLISH)) {
            var chat = new LegacyChat("127.0.0.1", server.port(), "carol", new JLineConsole(screen.terminal),
                    Texts.of(Locale.ENGLISH));
            var exit = CompletableFuture.supplyAsync(() -> {
                try {
                    return chat.run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            dave.expect("~carol is online.");
            screen.type("half typed");
            Await.until(() -> screen.lines().contains("half typed"), "carol's typing echoed");

            dave.type("dave interrupts");
            try {
                Await.until(() -> screen.lines().contains("~dave:dave interrupts"), "dave's line on a line of its own");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; the screen: " + screen.lines(), e);
            }
            List<String> lines = screen.lines();
            assertTrue(lines.stream().noneMatch(l -> l.contains("typeddave")), lines.toString());
            // below it, her line again as she left it
            int shown = lines.lastIndexOf("~dave:dave interrupts");
            assertTrue(lines.subList(shown, lines.size()).contains("half typed"), lines.toString());

            screen.type(" and done\r");
            dave.expect("~carol:half typed and done");
            screen.type("/quit\r");
            assertEquals(Client.Exit.OK, exit.get());
            assertFalse(screen.lines().isEmpty());
        }
    }
}
