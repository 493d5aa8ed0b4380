package chat.client.term;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;

/**
 * Input that is not a terminal: lines from a pipe or a file, output as plain lines, no prompts
 * (they would only clutter what a script reads). The password is the next line, so a session can
 * be scripted: {@code printf '/login alice\nsecret123\n/friends\n' | chat-client HOST PORT}.
 */
final class PlainConsole implements Console {

    private final BufferedReader in;
    private final PrintStream out;
    /** The prompt a terminal would show now: not printed, kept for tests. */
    private volatile String prompt = "";

    PlainConsole(Reader in, PrintStream out) {
        this.in = new BufferedReader(in);
        this.out = out;
    }

    @Override
    public String readLine(String prompt) {
        this.prompt = prompt;
        try {
            return in.readLine();
        } catch (IOException e) {
            return null; // input we cannot read ends the session, as its end does
        }
    }

    @Override
    public String readPassword(String prompt) {
        return readLine(prompt);
    }

    @Override
    public void promptChanged(String prompt) {
        this.prompt = prompt;
    }

    /** The prompt a terminal would show now. */
    String prompt() {
        return prompt;
    }

    @Override
    public void print(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    @Override
    public boolean interactive() {
        return false;
    }

    @Override
    public void close() {
        out.flush();
    }
}
