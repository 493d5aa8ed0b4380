package chat.client.term;

import java.io.Reader;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Input a test types into a session: a {@link Reader} whose reads block until a line is typed or
 * the input is ended. (A {@code PipedReader} would do, were it not to fail reads once the thread
 * that last wrote to it has died.)
 */
final class Keyboard extends Reader {

    private static final String END = new String("end of input"); // compared by identity

    private final LinkedBlockingQueue<String> typed = new LinkedBlockingQueue<>();
    private String current = "";
    private int pos;
    private boolean ended;

    /** Types {@code line} and Enter. */
    void type(String line) {
        typed.add(line + "\n");
    }

    /** Ends the input, as Ctrl-D on a terminal. */
    void end() {
        typed.add(END);
    }

    @Override
    public int read(char[] buf, int off, int len) {
        if (len == 0) {
            return 0;
        }
        while (pos == current.length()) {
            if (ended) {
                return -1;
            }
            try {
                current = typed.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
            pos = 0;
            if (current == END) {
                ended = true;
                current = "";
            }
        }
        int n = Math.min(len, current.length() - pos);
        current.getChars(pos, pos + n, buf, off);
        pos += n;
        return n;
    }

    @Override
    public void close() {
        end();
    }
}
