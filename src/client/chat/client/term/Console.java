package chat.client.term;

/**
 * Where the account shell reads lines and prints: a terminal with line editing ({@link
 * JLineConsole}), or plain input and output for scripts ({@link PlainConsole}).
 */
interface Console extends AutoCloseable {

    /** The next input line, {@code null} at the end of the input. */
    String readLine(String prompt);

    /**
     * A password: read without echo on a terminal; from a script, simply the next input line.
     * {@code null} at the end of the input.
     */
    String readPassword(String prompt);

    /**
     * Prints a line from any thread; on a terminal above the prompt, leaving the line being typed
     * as it was.
     */
    void print(String line);

    /**
     * The prompt of the line being read is now {@code prompt}: a chat ended (or was renamed) on
     * another thread while the line was read. A terminal shows it at its next redraw, which the
     * line that says why brings; the next line read takes the prompt it is given.
     */
    void promptChanged(String prompt);

    /**
     * {@code part}'s status lines at the bottom of a terminal, redrawn in place: each part
     * ({@code files}: transfers in progress, {@code windows}: the window list) keeps its own
     * lines, shown in the order the parts first came; empty clears a part's. Plain output has no
     * such place and ignores them.
     */
    default void status(String part, java.util.List<String> lines) {}

    /** How many lines the screen shows: a window shows that many of its conversation again. */
    default int rows() {
        return 20;
    }

    /**
     * Whether a person types here: then a saved session is used without asking the password. A
     * script's password line is read all the same, so that a script reads alike either way.
     */
    boolean interactive();

    /**
     * Whether the terminal shows what is not ASCII (a UTF-8 locale): delivery marks are then
     * {@code … ✓ ✓✓}, else {@code ... v vv}. Scripts get UTF-8, as all the client's output.
     */
    default boolean unicode() {
        return true;
    }

    /** Completes words with {@code completions} (a terminal's Tab); scripts have none. */
    default void completeWith(Completions completions) {}

    /** Names, errors and notices in colour: a terminal's, unless NO_COLOR says not. */
    default Colours colours() {
        return Colours.OFF;
    }

    @Override
    void close();
}
