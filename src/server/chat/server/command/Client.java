package chat.server.command;

import chat.common.proto.ErrorCode;
import chat.common.proto.Line;
import chat.common.wire.LineDecoder;
import chat.server.hub.Session;
import chat.server.reactor.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A connection speaking the text protocol: its line decoder, its session once logged in, and the
 * ways to answer it. Reactor thread only.
 */
public final class Client {

    public final Connection connection;
    public final LineDecoder decoder;
    Session session;
    boolean loginPending;
    /** Requests whose work is with the workers and whose reply has not been sent yet. */
    private int inFlight;
    /** The tag of a QUIT waiting for the requests before it (null when it had none). */
    private String quitTag;
    private boolean quitting;

    public Client(Connection connection, int maxLineBytes) {
        this.connection = connection;
        this.decoder = new LineDecoder(maxLineBytes);
    }

    public Session session() {
        return session;
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
                if (--inFlight == 0 && quitting) {
                    finishQuit();
                }
            }
        };
    }

    public boolean isOpen() {
        return connection.isWritable();
    }

    public void send(Line line) {
        connection.write(LineDecoder.encode(line.format()));
    }

    /** {@code COMMAND:true[:fields]}, tagged as the request was. */
    void ok(String tag, String command, String... fields) {
        List<String> all = new ArrayList<>(fields.length + 2);
        all.add(command);
        all.add("true");
        all.addAll(List.of(fields));
        send(new Line(tag, all));
    }

    /** {@code COMMAND:false:code:message}. */
    public void fail(String tag, String command, ErrorCode code, String message) {
        send(Line.of(tag, command, "false", code.wire(), message));
    }

    /** {@code ERR:code:message}, for a line that is no command. */
    public void error(String tag, ErrorCode code, String message) {
        send(Line.of(tag, "ERR", code.wire(), message));
    }

    /**
     * A list reply: {@code COMMAND:true:N}, then the N item lines with the same tag, written
     * together so that nothing comes between them.
     */
    void list(String tag, String command, List<Line> items) {
        ok(tag, command, Integer.toString(items.size()));
        for (Line item : items) {
            send(tag == null ? item : new Line(tag, item.fields()));
        }
    }

    @Override
    public String toString() {
        return session != null ? connection + " " + session : connection.toString();
    }
}
