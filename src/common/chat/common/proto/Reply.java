package chat.common.proto;

import static chat.common.proto.ErrorCode.BAD_REQUEST;

import java.util.ArrayList;
import java.util.List;

/**
 * A reply line, in one of its three forms, each carrying the request's tag:
 * <ul>
 *   <li>{@link Ok}: {@code COMMAND:true[:results]}, the results typed by {@link Replies};
 *   <li>{@link Fail}: {@code COMMAND:false:code:message}, or {@code ERR:code:message} for a line
 *       that is no request;
 *   <li>{@link ListHead}: {@code COMMAND:true:N}, followed by N {@link Item} lines with the same tag.
 * </ul>
 * The server writes {@code Reply.ok(tag, request, new Replies.LoginOk(...)).toLine()}; a client
 * reads {@code Reply.parse(line).as(Replies.LoginOk.class)}, which throws the failure when the
 * reply is one.
 */
public sealed interface Reply {

    /** The first field of a reply to a line that is no request. */
    String ERR = "ERR";

    /** The request's tag, or null. */
    String tag();

    /** The request answered (as the client spelled it: {@code RESIGER} too), or {@link #ERR}. */
    String command();

    Line toLine();

    default boolean ok() {
        return !(this instanceof Fail);
    }

    /**
     * The typed results of a success.
     *
     * @throws ProtocolException the failure's own code and message when this is a {@link Fail};
     *         {@code bad-request} when the results are malformed or this is a list head
     */
    default <T extends Replies.Result> T as(Class<T> type) {
        if (this instanceof Fail f) {
            throw f.exception();
        }
        if (this instanceof Ok ok) {
            return Replies.read(type, ok.toLine());
        }
        throw new ProtocolException(BAD_REQUEST, command() + " answered a list, which has no results");
    }

    /** {@code COMMAND:true[:results]}. */
    record Ok(String tag, String command, List<String> results) implements Reply {
        public Ok {
            results = List.copyOf(results);
        }

        public Line toLine() {
            List<String> fields = new ArrayList<>(results.size() + 2);
            fields.add(command);
            fields.add("true");
            fields.addAll(results);
            return new Line(tag, fields);
        }
    }

    /** {@code COMMAND:false:code:message}, or {@code ERR:code:message} when {@code command} is {@link #ERR}. */
    record Fail(String tag, String command, ErrorCode code, String message) implements Reply {
        public Line toLine() {
            return command.equals(ERR) ? Line.of(tag, ERR, code.wire(), message)
                    : Line.of(tag, command, "false", code.wire(), message);
        }

        /** The failure as an exception, for a caller that expected a success. */
        public ProtocolException exception() {
            return new ProtocolException(code, message);
        }
    }

    /** {@code COMMAND:true:N}: the head of a list of N items. */
    record ListHead(String tag, String command, int count) implements Reply {
        public Line toLine() {
            return Line.of(tag, command, "true", Integer.toString(count));
        }
    }

    // ---- writing ----

    /** A success with results as plain fields ({@code PASSWD:true}: none). */
    static Ok ok(String tag, String command, String... results) {
        return new Ok(tag, command, List.of(results));
    }

    static Ok ok(String tag, String command, Replies.Result result) {
        return new Ok(tag, command, result.fields());
    }

    /** A success answering {@code request}, under the name the client used for it. */
    static Ok ok(String tag, Request request, Replies.Result result) {
        return ok(tag, request.command(), result);
    }

    static Fail fail(String tag, String command, ErrorCode code, String message) {
        return new Fail(tag, command, code, message);
    }

    /** {@code ERR:code:message}, for a line that is no request. */
    static Fail err(String tag, ErrorCode code, String message) {
        return new Fail(tag, ERR, code, message);
    }

    /**
     * A whole list reply: the head, then every item with the request's tag, to be written together
     * so that nothing comes between them.
     */
    static List<Line> list(String tag, String command, List<? extends Item> items) {
        List<Line> lines = new ArrayList<>(items.size() + 1);
        lines.add(new ListHead(tag, command, items.size()).toLine());
        for (Item item : items) {
            lines.add(item.toLine(tag));
        }
        return lines;
    }

    // ---- reading ----

    /**
     * The seconds a {@code COMMAND:false:throttled:message:seconds} line asks to wait (1.4), or 0
     * for any other line, or one without them (a 1.3 server's).
     */
    static long retryAfterSeconds(Line line) {
        if (line.size() < 5 || !line.field(1).equals("false") || !line.field(2).equals(ErrorCode.THROTTLED.wire())) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(line.field(4)));
        } catch (NumberFormatException e) {
            return 0; // a field this version does not understand is ignored
        }
    }

    /**
     * The reply on a line. Whether {@code COMMAND:true:N} heads a list is known from the command
     * ({@link Vocabulary#LISTS}). Fields past the ones a form takes are kept in {@link Ok#results}
     * (the typed results ignore them); an unknown error code reads as {@link ErrorCode#UNKNOWN}.
     *
     * @throws ProtocolException {@code bad-request} when the line is no reply
     */
    static Reply parse(Line line) {
        String command = line.command();
        if (command.equals(ERR)) {
            Fields f = Fields.of(line, 1, 1, "ERR:code:message");
            return new Fail(line.tag(), ERR, ErrorCode.fromWire(f.text(0)), f.text(1, ""));
        }
        String outcome = line.size() > 1 ? line.field(1) : "";
        return switch (outcome) {
            case "true" -> {
                if (Vocabulary.LISTS.contains(command)) {
                    Fields f = Fields.of(line, 2, 1, command + ":true:count");
                    yield new ListHead(line.tag(), command, f.count(0, "count"));
                }
                yield new Ok(line.tag(), command, line.fields().subList(2, line.size()));
            }
            case "false" -> {
                Fields f = Fields.of(line, 2, 1, command + ":false:code:message");
                yield new Fail(line.tag(), command, ErrorCode.fromWire(f.text(0)), f.text(1, ""));
            }
            default -> throw new ProtocolException(BAD_REQUEST, "not a reply: " + line.format());
        };
    }
}
