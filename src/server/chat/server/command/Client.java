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
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A connection speaking the text protocol, as the commands see it: its session once logged in,
 * the request being carried out, and the ways to answer it. (Its framing and the lines waiting
 * their turn are the text protocol's: {@code text/Inbox}.) Reactor thread only.
 */
public final class Client {

    private static final System.Logger LOG = System.getLogger(Client.class.getName());

    /**
     * How many requests may be carried out at once on one connection: enough that a client that
     * pipelines fills the writer's group commits on its own (at 20 ms of work a group, a few
     * hundred MSGs; the writer takes up to {@link chat.server.store.Workers#MAX_BATCH}).
     */
    public static final int MAX_IN_FLIGHT = 256;

    public final Connection connection;
    Session session;
    /**
     * The requests carried out and not yet answered in full, oldest first. Replies go out in this
     * order: the oldest one's are written at once, a later one's wait in its {@link Turn} until
     * every one before it is done.
     */
    private final ArrayDeque<Turn> turns = new ArrayDeque<>();
    /** How many of {@link #turns} are barriers (requests that run with nothing beside them). */
    private int barriers;
    /** The request whose code runs now (its dispatch, or one of its callbacks), or null. */
    private Turn current;
    private Runnable onIdle;
    /** The tag of the QUIT, answered when its turn (a barrier, so the last one open) settles. */
    private String quitTag;
    private boolean quitting;

    /** Since when the connection has had no session, on the reactor's clock (the login timeout). */
    private long anonymousSince;

    /** One request being carried out: how much of its work is still out, and its held replies. */
    private static final class Turn {
        final boolean barrier;
        /** Callbacks not yet run, plus one while the request is being dispatched. */
        int working;
        boolean done;
        /** Lines answered while an earlier request was still open; null when none. */
        List<byte[]> held;

        Turn(boolean barrier) {
            this.barrier = barrier;
        }
    }

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

    /** What to run when a request has been answered: the next queued lines. */
    public void setOnIdle(Runnable onIdle) {
        this.onIdle = onIdle;
    }

    /** True while a request has not been answered in full; the lines after it may wait their turn. */
    public boolean isBusy() {
        return !turns.isEmpty();
    }

    /**
     * Whether a request may be carried out now: any, when none is open; a pipelined one (whose work
     * is a write, which the writer runs in order, or nothing at all) beside other pipelined ones,
     * up to {@link #MAX_IN_FLIGHT}. Anything else is a barrier: it waits until every request
     * before it has been answered, so that a HISTORY after a MSG sees it.
     */
    public boolean mayStart(boolean pipelined) {
        return turns.isEmpty() || pipelined && barriers == 0 && turns.size() < MAX_IN_FLIGHT;
    }

    /**
     * Carries out one request ({@code dispatch} hands it to its command): its replies, now or from
     * the callbacks it starts, go out after those of the requests before it.
     */
    public void carryOut(boolean pipelined, Runnable dispatch) {
        var t = new Turn(!pipelined);
        turns.add(t);
        if (t.barrier) {
            barriers++;
        }
        t.working++;
        Turn outer = current;
        current = t;
        try {
            dispatch.run();
        } finally {
            current = outer;
            settle(t);
        }
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
        // QUIT is itself a turn (a barrier): it is answered when it is the only one left.
    }

    private void finishQuit() {
        ok(quitTag, "QUIT");
        connection.closeAfterFlush("quit");
    }

    /**
     * Wraps a reply callback so that its request stays open until it has run, and whatever it
     * answers takes the request's place in the order of replies.
     */
    <T> BiConsumer<T, Throwable> track(BiConsumer<T, Throwable> then) {
        Turn t = current;
        if (t == null) { // work started by no request: its replies come after the open ones
            t = new Turn(true);
            turns.add(t);
            barriers++;
        }
        t.working++;
        Turn turn = t;
        return (result, failure) -> {
            Turn outer = current;
            current = turn;
            try {
                then.accept(result, failure);
            } finally {
                current = outer;
                settle(turn);
            }
        };
    }

    /** One piece of a request's work has run; when none is left, the request is done. */
    private void settle(Turn t) {
        if (--t.working > 0) {
            return;
        }
        t.done = true;
        boolean popped = false;
        while (!turns.isEmpty() && turns.peekFirst().done) {
            if (turns.pollFirst().barrier) {
                barriers--;
            }
            popped = true;
            Turn next = turns.peekFirst();
            if (next != null && next.held != null) {
                next.held.forEach(connection::write);
                next.held = null;
            }
        }
        if (!popped) {
            return;
        }
        if (quitting) {
            if (turns.isEmpty() && connection.isWritable()) {
                finishQuit();
            }
        } else if (onIdle != null) {
            onIdle.run();
        }
    }

    public boolean isOpen() {
        return connection.isWritable();
    }

    /** A reply or push: written now, or held until the requests before this one are answered. */
    private void send(Line line) {
        byte[] bytes = LineDecoder.encode(line.format());
        Turn t = current;
        if (t == null || t == turns.peekFirst()) {
            connection.write(bytes);
        } else {
            if (t.held == null) {
                t.held = new ArrayList<>();
            }
            t.held.add(bytes);
        }
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

    /**
     * {@code COMMAND:false:throttled:message:seconds}: the message says why and when, and the
     * seconds to wait follow as a field of their own (1.4), which older clients ignore.
     */
    void throttled(String tag, String command, String why, long seconds) {
        send(Line.of(tag, command, "false", ErrorCode.THROTTLED.wire(), why + "; try again in " + seconds + " s",
                Long.toString(seconds)));
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
