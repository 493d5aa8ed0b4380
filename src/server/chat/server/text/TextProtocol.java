package chat.server.text;

import chat.common.proto.ErrorCode;
import chat.common.proto.Line;
import chat.common.proto.ProtocolException;
import chat.common.proto.Push;
import chat.common.proto.Request;
import chat.common.text.LogSafe;
import chat.common.wire.LineDecoder;
import chat.server.command.Client;
import chat.server.command.Dispatcher;
import chat.server.config.Settings;
import chat.server.reactor.Connection;
import chat.server.reactor.Handler;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;

/**
 * The text protocol on the server: frames lines, parses each into a {@link Request} and hands it
 * to the {@link Dispatcher}. A malformed line gets an error reply and the connection stays; a line
 * over the cap gets an error, then a close. A connection that sends nothing for the idle timeout
 * (clients PING when idle) is closed, so that nobody stays online as a ghost. See
 * docs/PROTOCOL.md.
 */
public final class TextProtocol implements Handler {

    private static final System.Logger LOG = System.getLogger(TextProtocol.class.getName());

    /** 64 KiB: far above any command; a peer sending more without a newline is not speaking it. */
    public static final int MAX_LINE_BYTES = 64 * 1024;
    /** The default idle timeout ({@link Settings#DEFAULT_IDLE_TIMEOUT}), in milliseconds. */
    public static final long DEFAULT_IDLE_MILLIS = Settings.DEFAULT_IDLE_TIMEOUT.toMillis();

    private final int maxLineBytes;
    private final long idleMillis;
    private final long loginMillis;
    private final Dispatcher dispatcher;

    /** The timeouts are the settings' idle and login timeouts, in milliseconds. */
    public TextProtocol(int maxLineBytes, long idleMillis, long loginMillis, Dispatcher dispatcher) {
        this.maxLineBytes = maxLineBytes;
        this.idleMillis = idleMillis;
        this.loginMillis = loginMillis;
        this.dispatcher = dispatcher;
    }

    /**
     * Output waiting for this connection past which it is not read: a client that pipelines
     * requests and reads its replies slowly is slowed by TCP rather than queued up to the
     * connection's output cap (and cut there). A quarter of the default cap.
     */
    static final int MAX_OUTPUT_BEHIND = 1024 * 1024;

    /** What a text connection carries: its way in, and its client as the commands see it. */
    private static final class Text {
        final Inbox inbox;
        final Client client;
        /** True while {@link #drain} runs: a request answered at once does not start another drain. */
        boolean draining;

        Text(Inbox inbox, Client client) {
            this.inbox = inbox;
            this.client = client;
        }
    }

    private static Client client(Connection conn) {
        return ((Text) conn.attachment()).client;
    }

    /**
     * The client on a connection this protocol carries, or null before its first line: who is
     * logged in on it, for an operator's list of connections.
     */
    public static Client clientOf(Connection conn) {
        return conn.attachment() instanceof Text t ? t.client : null;
    }

    @Override
    public void onRead(Connection conn, ByteBuffer in) {
        var t = (Text) conn.attachment();
        if (t == null) {
            t = new Text(new Inbox(maxLineBytes), new Client(conn));
            Text text = t;
            t.client.setOnIdle(() -> drain(text));
            conn.attach(t);
            conn.setTicking(true);
        }
        Client c = t.client;
        while (c.isOpen() && !c.isQuitting()) {
            String text;
            try {
                text = t.inbox.decoder.next(in);
            } catch (LineDecoder.FrameTooLongException e) {
                c.error(null, ErrorCode.LINE_TOO_LONG, e.getMessage());
                conn.closeAfterFlush(e.getMessage());
                in.position(in.limit());
                return;
            }
            if (text == null) {
                break;
            }
            if (!text.isBlank()) { // a blank line, as nc or telnet may send, is ignored
                t.inbox.enqueue(text);
            }
        }
        drain(t);
        if (c.isQuitting()) {
            in.position(in.limit()); // after QUIT, nothing more is read
        }
    }

    /**
     * Carries out queued requests in order. Writer-bound ones (see {@link Dispatcher#pipelined})
     * run side by side, up to {@link Client#MAX_IN_FLIGHT}, since the writer keeps their order;
     * any other waits until every request before it has been answered, so that a pipelined
     * REGISTER then LOGIN finds the account, and a HISTORY after a MSG sees it. Replies go out in
     * request order either way ({@link Client#carryOut}). Then reading pauses or resumes.
     */
    private void drain(Text t) {
        if (t.draining) {
            return;
        }
        t.draining = true;
        Client c = t.client;
        try {
            while (c.isOpen() && !c.isQuitting()) {
                Inbox.Waiting w = t.inbox.peek();
                if (w == null) {
                    break;
                }
                boolean pipelined = w.request() == null || Dispatcher.pipelined(w.request());
                if (!c.mayStart(pipelined)) {
                    break;
                }
                t.inbox.remove();
                c.carryOut(pipelined, () -> handle(c, w));
            }
        } finally {
            t.draining = false;
        }
        pace(t);
    }

    /**
     * Pauses reading while the inbox is full or the client is far behind reading its replies;
     * resumes once the inbox is half empty and the output has drained.
     */
    private static void pace(Text t) {
        Connection conn = t.client.connection;
        if (!conn.isWritable()) {
            return;
        }
        boolean behind = conn.pendingBytes() > MAX_OUTPUT_BEHIND;
        if (!conn.isReadingPaused()) {
            if (t.inbox.isFull() || behind) {
                conn.pauseReading();
                conn.setDrainWatch(behind);
            }
        } else if (t.inbox.isLow() && !behind) {
            conn.setDrainWatch(false);
            conn.resumeReading();
        } else if (behind) {
            conn.setDrainWatch(true);
        }
    }

    @Override
    public void onDrained(Connection conn) {
        if (conn.attachment() != null) {
            pace((Text) conn.attachment());
        }
    }

    private void handle(Client c, Inbox.Waiting w) {
        Line line = w.line();
        ProtocolException e = w.invalid();
        if (e == null) {
            dispatcher.dispatch(c, line.tag(), w.request());
            return;
        }
        LOG.log(Level.DEBUG, () -> c + " - " + LogSafe.field(e.getMessage())); // it may quote the line
        if (e.code() == ErrorCode.UNKNOWN_COMMAND) {
            c.error(line.tag(), e.code(), e.getMessage());
        } else {
            c.fail(line.tag(), line.command(), e.code(), e.getMessage());
        }
    }

    /**
     * The two clocks of a text connection: silence (the idle timeout, logged in or not), and time
     * spent not logged in (the login timeout, counted from the connection's start or its LOGOUT),
     * so that an anonymous connection cannot hold a socket by pinging. A LOGIN being checked when
     * the time is up still gets its answer.
     */
    @Override
    public void onTick(Connection conn, long now) {
        if (!conn.isWritable()) {
            return;
        }
        Client c = client(conn);
        if (now - conn.lastReadAt() > idleMillis && !conn.isReadingPaused() && !c.isBusy()) {
            c.push(new Push.Bye(Push.Bye.IDLE_TIMEOUT, "nothing received for " + idleMillis / 1000 + " s"));
            conn.closeAfterFlush("idle");
        } else if (c.session() == null && !c.isBusy() && now - c.anonymousSince() >= loginMillis) {
            c.push(new Push.Bye(Push.Bye.LOGIN_TIMEOUT, "not logged in within " + loginMillis / 1000 + " s"));
            conn.closeAfterFlush("no login");
        }
    }

    @Override
    public void onShutdown(Connection conn) {
        client(conn).push(new Push.Bye(Push.Bye.SHUTDOWN, "the server is shutting down"));
    }

    @Override
    public void onClose(Connection conn) {
        if (conn.attachment() != null) {
            dispatcher.closed(client(conn));
        }
    }
}
