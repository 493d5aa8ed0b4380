package chat.client.term;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jline.keymap.KeyMap;
import org.jline.reader.Binding;
import org.jline.reader.Reference;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.CompletionMatcherImpl;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.Status;

/**
 * A terminal, through JLine: line editing and input history, passwords read without echo, and
 * lines from other threads (incoming messages, presence) printed above the prompt with
 * {@link LineReader#printAbove}, which redraws the prompt and the half-typed line below them.
 */
final class JLineConsole implements Console {

    private final Terminal terminal;
    private final LineReader reader;
    private final Colours colours;
    /** The status lines by who shows them ({@code files}, {@code windows}), in the order they came. */
    private final Map<String, List<String>> statusParts = new LinkedHashMap<>();

    /** On {@code terminal}: the process's, or one a test builds on streams. */
    JLineConsole(Terminal terminal) {
        this(terminal, System.getenv());
    }

    /** {@code env}: whether NO_COLOR is set. */
    JLineConsole(Terminal terminal, Map<String, String> env) {
        this.terminal = terminal;
        this.colours = Colours.of(!Terminal.TYPE_DUMB.equals(terminal.getType()), env);
        this.reader = LineReaderBuilder.builder().terminal(terminal).appName("chat-client")
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // "!" is text, not a history reference
                .completionMatcher(new ChosenMatcher())
                .build();
        bindWindowKeys();
    }

    /**
     * Takes every candidate the completer gives: {@link Completions} chooses them itself, by a
     * friend's name or by my alias for them, and JLine's own matching knows only the names (it
     * would drop {@code bob} for {@code Ro} typed after my alias Robert).
     */
    private static final class ChosenMatcher extends CompletionMatcherImpl {
        @Override
        protected void defaultMatchers(Map<LineReader.Option, Boolean> options, boolean prefix,
                CompletingParsedLine line, boolean caseInsensitive, int errors, String originalGroupName) {
            super.defaultMatchers(options, prefix, line, caseInsensitive, errors, originalGroupName);
            matchers.add(0, simpleMatcher(candidate -> true));
        }
    }

    /** The process's terminal, UTF-8 whatever the locale says (as the rest of the client). */
    static JLineConsole open() throws IOException {
        return new JLineConsole(TerminalBuilder.builder().system(true).encoding(StandardCharsets.UTF_8).build());
    }

    @Override
    public String readLine(String prompt) {
        while (true) {
            try {
                return reader.readLine(prompt);
            } catch (UserInterruptException e) {
                // Ctrl-C drops the line being typed, as in a shell; Ctrl-D or /quit leaves
            } catch (EndOfFileException e) {
                return null;
            }
        }
    }

    @Override
    public String readPassword(String prompt) {
        try {
            // NULL_MASK shows nothing at all, not even stars; masked lines stay out of the history
            return reader.readLine(prompt, LineReaderImpl.NULL_MASK);
        } catch (UserInterruptException | EndOfFileException e) {
            return null;
        }
    }

    @Override
    public void promptChanged(String prompt) {
        // printAbove, which prints the line saying why, redraws the prompt from this field
        if (reader instanceof LineReaderImpl impl) {
            impl.setPrompt(prompt);
        }
    }

    @Override
    public void print(String line) {
        reader.printAbove(line);
    }

    @Override
    public void status(String part, List<String> lines) {
        List<AttributedString> all = new ArrayList<>();
        synchronized (statusParts) {
            if (lines.isEmpty()) {
                statusParts.remove(part);
            } else {
                statusParts.put(part, List.copyOf(lines));
            }
            statusParts.values().forEach(l -> l.forEach(line -> all.add(new AttributedString(line))));
        }
        Status status = Status.getStatus(terminal, !all.isEmpty());
        if (status != null) {
            status.update(all);
        }
    }

    @Override
    public int rows() {
        int height = terminal.getHeight();
        return height > 0 ? height : Console.super.rows();
    }

    /**
     * Alt-1…9 (Escape then the digit, as terminals send it) switch windows as irssi's do: the line
     * becomes {@code /win N} and is entered (what was half typed is dropped).
     */
    private void bindWindowKeys() {
        KeyMap<Binding> keys = reader.getKeyMaps().get(LineReader.MAIN);
        for (int n = 1; n <= 9; n++) {
            String command = "/win " + n;
            String name = "chat-window-" + n;
            reader.getWidgets().put(name, () -> {
                reader.getBuffer().clear();
                reader.getBuffer().write(command);
                reader.callWidget(LineReader.ACCEPT_LINE);
                return true;
            });
            keys.bind(new Reference(name), KeyMap.alt(Character.forDigit(n, 10)));
        }
    }

    @Override
    public void close() {
        try {
            terminal.close();
        } catch (IOException e) {
            // the terminal is the process's; nothing more to do
        }
    }

    /** What the locale says of the terminal's characters (LC_ALL, LC_CTYPE, LANG, as the C library reads them). */
    @Override
    public boolean unicode() {
        return unicode(System.getenv());
    }

    static boolean unicode(java.util.Map<String, String> env) {
        for (String name : new String[] {"LC_ALL", "LC_CTYPE", "LANG"}) {
            String value = env.get(name);
            if (value != null && !value.isEmpty()) {
                String v = value.toLowerCase(java.util.Locale.ROOT);
                return v.contains("utf-8") || v.contains("utf8");
            }
        }
        return false; // C/POSIX: ASCII
    }

    @Override
    public void completeWith(Completions completions) {
        if (reader instanceof LineReaderImpl impl) {
            impl.setCompleter(completions);
        }
    }

    @Override
    public Colours colours() {
        return colours;
    }

    @Override
    public boolean interactive() {
        return true;
    }
}
