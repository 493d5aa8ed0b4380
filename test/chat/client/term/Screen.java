package chat.client.term;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** What a session prints, line by line (UTF-8), for a test to wait on. */
final class Screen extends OutputStream {

    /** The longest a test waits for a line; a wait, never an assertion on time. */
    static final long WAIT_SECONDS = 10;

    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    final PrintStream stream = new PrintStream(this, true, StandardCharsets.UTF_8);

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            lines.add(partial.toString(StandardCharsets.UTF_8));
            partial.reset();
        } else {
            partial.write(b);
        }
    }

    /** The next line printed, waiting for it up to {@link #WAIT_SECONDS}. */
    String next() {
        try {
            String line = lines.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (line == null) {
                fail("no line printed within " + WAIT_SECONDS + " s; printed so far: " + seen);
            }
            seen.add(line);
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    void expect(String line) {
        assertEquals(line, next(), () -> "printed before: " + seen.subList(0, seen.size() - 1));
    }

    /** Lines printed and not yet taken with {@link #next}. */
    List<String> rest() {
        var rest = new ArrayList<String>();
        lines.drainTo(rest);
        return rest;
    }
}
