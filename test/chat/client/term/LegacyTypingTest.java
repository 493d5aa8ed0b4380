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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.jline.terminal.Attributes;
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

        /**
         * The screen's text as lines, as a terminal would show it: carriage return, line feed,
         * backspace, cursor left and right ({@code ESC[nD}, {@code ESC[nC}), to a column
         * ({@code ESC[nG}), up and down, and erase to the end of the line ({@code ESC[K}) are
         * applied; other escape sequences are dropped. (JLine redraws a line by moving the cursor
         * back as often as by a carriage return.)
         */
        List<String> lines() {
            String raw;
            synchronized (output) {
                raw = output.toString(StandardCharsets.UTF_8);
            }
            List<StringBuilder> screen = new ArrayList<>(List.of(new StringBuilder()));
            int row = 0;
            int col = 0;
            for (int i = 0; i < raw.length(); i++) {
                char ch = raw.charAt(i);
                if (ch == '\u001b' && i + 1 < raw.length() && raw.charAt(i + 1) == '[') {
                    int end = i + 2;
                    while (end < raw.length() && !Character.isLetter(raw.charAt(end))) {
                        end++;
                    }
                    if (end == raw.length()) {
                        break;
                    }
                    String arg = raw.substring(i + 2, end).replaceAll("[^0-9]", "");
                    int n = arg.isEmpty() ? 1 : Integer.parseInt(arg);
                    switch (raw.charAt(end)) {
                        case 'D' -> col = Math.max(0, col - n);
                        case 'C' -> col += n;
                        case 'G' -> col = n - 1;
                        case 'A' -> row = Math.max(0, row - n);
                        case 'B' -> row += n;
                        case 'K' -> {
                            StringBuilder line = screen.get(row);
                            line.setLength(Math.min(line.length(), col));
                        }
                        default -> { }
                    }
                    i = end;
                } else if (ch == '\u001b') {
                    i++; // a two-character sequence such as ESC= or ESC(B: dropped
                    if (i + 1 < raw.length() && (raw.charAt(i) == '(' || raw.charAt(i) == ')')) {
                        i++;
                    }
                } else if (ch == '\r') {
                    col = 0;
                } else if (ch == '\b') {
                    col = Math.max(0, col - 1);
                } else if (ch == '\n') {
                    row++;
                    col = 0;
                } else if (ch >= ' ') {
                    while (screen.size() <= row) {
                        screen.add(new StringBuilder());
                    }
                    StringBuilder line = screen.get(row);
                    while (line.length() < col) {
                        line.append(' ');
                    }
                    if (col < line.length()) {
                        line.setCharAt(col, ch);
                    } else {
                        line.append(ch);
                    }
                    col++;
                }
                while (screen.size() <= row) {
                    screen.add(new StringBuilder());
                }
            }
            return screen.stream().map(b -> b.toString().stripTrailing()).filter(l -> !l.isEmpty()).toList();
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
            // Keys typed before JLine reads are echoed by the terminal and then again by JLine, as on a
            // real one: type once carol's line editor has the terminal (echo off, raw mode).
            Await.until(() -> !screen.terminal.getAttributes().getLocalFlag(Attributes.LocalFlag.ECHO),
                    "carol's line editor reading");
            screen.type("half typed");
            try {
                Await.until(() -> screen.lines().contains("half typed"), "carol's typing echoed");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; the screen: " + screen.lines(), e);
            }

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
