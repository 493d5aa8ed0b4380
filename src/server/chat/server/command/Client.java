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
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A connection speaking the text protocol, as the commands see it: its session once logged in,
 * the request being carried out, and the ways to answer it. (Its framing and the lines waiting
 * their turn are the text protocol's: {@code text/Inbox}.) Reactor thread only.
 */
public final class Client {

    private static final System.Logger LOG = System.getLogger(Client.class.getName());

    public final Connection connection;
    Session session;
    /** Requests whose work is with the workers and whose reply has not been sent yet. */
    private int inFlight;
    private Runnable onIdle;
    /** The tag of a QUIT waiting for the requests before it (null when it had none). */
    private String quitTag;
    private boolean quitting;

    /** Since when the connection has had no session, on the reactor's clock (the login timeout). */
    private long anonymousSince;

    public Client(Connection connection) {
        this.connection = connection;
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

    /** What to run when the request in flight has been answered: the next queued lines. */
    public void setOnIdle(Runnable onIdle) {
        this.onIdle = onIdle;
    }

    /** True while a request waits for the workers; the lines after it wait their turn. */
    public boolean isBusy() {
        return inFlight > 0;
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
