package chat.server.text;

import chat.common.wire.LineDecoder;
import chat.server.reactor.Connection;
import chat.server.reactor.Handler;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The text-command protocol's framing on the server: newline-terminated UTF-8 lines, each a
 * command. This first cut answers {@code PING}, {@code STATS} and {@code QUIT}; every other line gets an error
 * reply and the connection stays open. A line over the cap gets an error, then a close.
 * See docs/PROTOCOL.md.
 */
public final class TextProtocol implements Handler {

    private static final System.Logger LOG = System.getLogger(TextProtocol.class.getName());

    /** 64 KiB: far above any command; a peer sending more without a newline is not speaking it. */
    public static final int MAX_LINE_BYTES = 64 * 1024;

    private final int maxLineBytes;
    private final java.util.function.Supplier<String> stats;

    /** {@code stats} answers {@code STATS}; it runs on the reactor thread. */
    public TextProtocol(int maxLineBytes, java.util.function.Supplier<String> stats) {
        this.maxLineBytes = maxLineBytes;
        this.stats = stats;
    }

    @Override
    public void onRead(Connection c, ByteBuffer in) {
        var decoder = (LineDecoder) c.attachment();
        if (decoder == null) {
            decoder = new LineDecoder(maxLineBytes);
            c.attach(decoder);
        }
        while (c.isWritable()) {
            String line;
            try {
                line = decoder.next(in);
            } catch (LineDecoder.FrameTooLongException e) {
                reply(c, "ERR:line-too-long:" + e.getMessage());
                c.closeAfterFlush(e.getMessage());
                in.position(in.limit());
                return;
            }
            if (line == null) {
                return;
            }
            handle(c, line);
        }
    }

    private void handle(Connection c, String line) {
        String command = line.indexOf(':') < 0 ? line : line.substring(0, line.indexOf(':'));
        switch (command) {
            case "PING" -> reply(c, "PONG");
            case "STATS" -> reply(c, stats.get());
            case "QUIT" -> {
                reply(c, "BYE");
                c.closeAfterFlush("quit");
            }
            case "" -> { } // a blank line, as nc or telnet may send: ignored
            default -> {
                LOG.log(Level.DEBUG, () -> c + " - unknown command " + command);
                reply(c, "ERR:unknown-command:unknown command " + command);
            }
        }
    }

    private static void reply(Connection c, String line) {
        c.write(LineDecoder.encode(line.replace('\n', ' ')));
    }

    @Override
    public void onClose(Connection c) {}
}
