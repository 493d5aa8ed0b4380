package chat.server.command;

import chat.common.proto.ErrorCode;
import chat.common.proto.Item;
import chat.common.proto.Line;
import chat.common.proto.ProtocolException;
import chat.common.proto.Push;
import chat.common.proto.Replies;
import chat.common.proto.Reply;
import chat.common.proto.Request;
import chat.common.wire.LineDecoder;
import chat.server.hub.Session;
import chat.server.reactor.Connection;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A connection speaking the text protocol: its line decoder, its session once logged in, and the
 * ways to answer it. Reactor thread only.
 */
public final class Client {

    private static final System.Logger LOG = System.getLogger(Client.class.getName());

    public final Connection connection;
    public final LineDecoder decoder;
    Session session;
    /** Requests whose work is with the workers and whose reply has not been sent yet. */
    private int inFlight;
    /** Lines received and not yet handled: one request at a time is in the workers' hands. */
    private final ArrayDeque<String> queued = new ArrayDeque<>();
    private int queuedChars;
    private Runnable onIdle;
    /** The tag of a QUIT waiting for the requests before it (null when it had none). */
    private String quitTag;
    private boolean quitting;

    /** Since when the connection has had no session, on the reactor's clock (the login timeout). */
    private long anonymousSince;

    public Client(Connection connection, int maxLineBytes) {
        this.connection = connection;
        this.decoder = new LineDecoder(maxLineBytes);
        this.anonymousSince = connection.openedAt();
    }

    public Session session() {
        return session;
    }

    public long anonymousSince() {
        return anonymousSince;
    }

    /** The session ended (LOGOUT, or replaced): the login timeout starts again from the last read. */
    void endSession() {
        session = null;
        anonymousSince = connection.lastReadAt();
    }

    /**
     * How many characters of requests may wait behind the one being carried out: 256 Ki, far more
     * than a client needs to pipeline, little enough that a flood of them costs only its sender.
     */
    public static final int MAX_QUEUED_CHARS = 256 * 1024;

    /** What to run when the request in flight has been answered: the next queued lines. */
    public void setOnIdle(Runnable onIdle) {
        this.onIdle = onIdle;
    }

    /** True while a request waits for the workers; the lines after it wait their turn. */
    public boolean isBusy() {
        return inFlight > 0;
    }

    /** Queues a received line; false when the queue is over its cap. */
    public boolean enqueue(String line) {
        queued.add(line);
        queuedChars += line.length();
        return queuedChars <= MAX_QUEUED_CHARS;
    }

    /** The next queued line, or null. */
    public String nextQueued() {
        String line = queued.poll();
        if (line != null) {
            queuedChars -= line.length();
        }
        return line;
    }

    /** True once QUIT has been asked: later lines are ignored. */
    public boolean isQuitting() {
        return quitting;
    }

    /**
     * QUIT: answered, and the connection closed, once every request before it has had its
     * reply, so that a client that sends a few requests and QUIT gets all its answers.
     */
    void quit(String tag) {
        quitting = true;
        quitTag = tag;
        if (inFlight == 0) {
            finishQuit();
        }
    }

    private void finishQuit() {
        ok(quitTag, "QUIT");
        connection.closeAfterFlush("quit");
    }

    /** Wraps a reply callback so that the request counts as in flight until it has run. */
    <T> BiConsumer<T, Throwable> track(BiConsumer<T, Throwable> then) {
        inFlight++;
        return (result, failure) -> {
            try {
                then.accept(result, failure);
            } finally {
                if (--inFlight == 0) {
                    if (quitting) {
                        finishQuit();
                    } else if (onIdle != null) {
                        onIdle.run();
                    }
                }
            }
        };
    }

    public boolean isOpen() {
        return connection.isWritable();
    }

    private void send(Line line) {
        connection.write(LineDecoder.encode(line.format()));
    }

    /** A push to this connection alone (a goodbye, a catch-up page). */
    public void push(Push push) {
        send(push.toLine());
    }

    /** {@code COMMAND:true[:fields]}, tagged as the request was. */
    void ok(String tag, String command, String... fields) {
        send(Reply.ok(tag, command, fields).toLine());
    }

    /** {@code COMMAND:true:results}, answering {@code request} under the name the client used. */
    void ok(String tag, Request request, Replies.Result result) {
        send(Reply.ok(tag, request, result).toLine());
    }

    /** {@code COMMAND:false:code:message}. */
    public void fail(String tag, String command, ErrorCode code, String message) {
        send(Reply.fail(tag, command, code, message).toLine());
    }

    /**
     * Answers a request whose work failed, and returns true; returns false when it did not fail.
     * A {@link ProtocolException} is the request's own fault and goes back as its code and
     * message; anything else is the server's, logged, and answered {@code internal}.
     */
    boolean failed(String tag, String command, String doing, Throwable failure) {
        if (failure == null) {
            return false;
        }
        if (failure instanceof ProtocolException e) {
            fail(tag, command, e.code(), e.getMessage());
        } else {
            LOG.log(Level.ERROR, this + " - " + doing + " failed", failure);
            fail(tag, command, ErrorCode.INTERNAL, doing + " failed on the server; try again");
        }
        return true;
    }

    /** {@code ERR:code:message}, for a line that is no command. */
    public void error(String tag, ErrorCode code, String message) {
        send(Reply.err(tag, code, message).toLine());
    }

    /**
     * A list reply: {@code COMMAND:true:N}, then the N items with the same tag, written together
     * so that nothing comes between them.
     */
    void list(String tag, String command, List<? extends Item> items) {
        for (Line line : Reply.list(tag, command, items)) {
            send(line);
        }
    }

    @Override
    public String toString() {
        return session != null ? connection + " " + session : connection.toString();
    }
}
