package chat.common.proto;

import static chat.common.proto.ErrorCode.BAD_REQUEST;
import static chat.common.proto.ErrorCode.UNKNOWN_COMMAND;

import java.util.ArrayList;
import java.util.List;

/**
 * Every command a client can send, one record each. {@link #parse} checks a line's shape (the
 * command and its number of fields); the server checks the meaning. {@link #toLine} writes the
 * command as a client sends it. docs/PROTOCOL.md describes each with its replies.
 */
public sealed interface Request {

    /** The command's name on the wire, as the client spelled it. */
    String command();

    /** The fields after the command. */
    List<String> arguments();

    default Line toLine(String tag) {
        List<String> fields = new ArrayList<>();
        fields.add(command());
        fields.addAll(arguments());
        return new Line(tag, fields);
    }

    /** {@code REGISTER:name:password}; {@code RESIGER} is the article's spelling, answered as such. */
    record Register(String spelling, String name, String password) implements Request {
        public Register(String name, String password) {
            this("REGISTER", name, password);
        }

        public String command() { return spelling; }
        public List<String> arguments() { return List.of(name, password); }
        @Override public String toString() { return "Register[" + name + "]"; }
    }

    record Login(String name, String password) implements Request {
        public String command() { return "LOGIN"; }
        public List<String> arguments() { return List.of(name, password); }
        @Override public String toString() { return "Login[" + name + "]"; }
    }

    record Logout() implements Request {
        public String command() { return "LOGOUT"; }
        public List<String> arguments() { return List.of(); }
    }

    record Friends() implements Request {
        public String command() { return "FRIENDS"; }
        public List<String> arguments() { return List.of(); }
    }

    record Find(String text) implements Request {
        public String command() { return "FIND"; }
        public List<String> arguments() { return List.of(text); }
    }

    /** A friend request. */
    record Add(String name) implements Request {
        public String command() { return "ADD"; }
        public List<String> arguments() { return List.of(name); }
    }

    record Accept(String name) implements Request {
        public String command() { return "ACCEPT"; }
        public List<String> arguments() { return List.of(name); }
    }

    record Decline(String name) implements Request {
        public String command() { return "DECLINE"; }
        public List<String> arguments() { return List.of(name); }
    }

    /** Deletes a friend, on both sides. */
    record Del(String name) implements Request {
        public String command() { return "DEL"; }
        public List<String> arguments() { return List.of(name); }
    }

    /** My remark for a friend; empty clears it. */
    record Alias(String name, String alias) implements Request {
        public String command() { return "ALIAS"; }
        public List<String> arguments() { return List.of(name, alias); }
    }

    /** The article's lookup of a friend's address. */
    record ConnectClient(String name) implements Request {
        public String command() { return "CONNECT_CLIENT"; }
        public List<String> arguments() { return List.of(name); }
    }

    /** A private message; {@code clientId} makes a resend harmless. */
    record Msg(String to, String clientId, String text) implements Request {
        public String command() { return "MSG"; }
        public List<String> arguments() { return List.of(to, clientId, text); }
    }

    /** I have received every message to me up to this id. */
    record Ack(long messageId) implements Request {
        public String command() { return "ACK"; }
        public List<String> arguments() { return List.of(Long.toString(messageId)); }
    }

    /** A page of a conversation: messages with ids below {@code beforeId} (0: the newest). */
    record History(String with, long beforeId, int limit) implements Request {
        public String command() { return "HISTORY"; }
        public List<String> arguments() { return List.of(with, Long.toString(beforeId), Integer.toString(limit)); }
    }

    record Search(String text, int limit) implements Request {
        public String command() { return "SEARCH"; }
        public List<String> arguments() { return List.of(text, Integer.toString(limit)); }
    }

    /** Creates a group; {@code open}: anyone may join, else the owner approves. */
    record Create(String group, boolean open) implements Request {
        public String command() { return "CREATE"; }
        public List<String> arguments() { return List.of(group, open ? "open" : "closed"); }
    }

    record Rename(String group, String newName) implements Request {
        public String command() { return "RENAME"; }
        public List<String> arguments() { return List.of(group, newName); }
    }

    /** Deletes a group (its owner only). */
    record Disband(String group) implements Request {
        public String command() { return "DISBAND"; }
        public List<String> arguments() { return List.of(group); }
    }

    record Invite(String group, String name) implements Request {
        public String command() { return "INVITE"; }
        public List<String> arguments() { return List.of(group, name); }
    }

    /** Joins an open group, or asks to join a closed one. */
    record Join(String group) implements Request {
        public String command() { return "JOIN"; }
        public List<String> arguments() { return List.of(group); }
    }

    /** The owner lets in someone who asked to join. */
    record Approve(String group, String name) implements Request {
        public String command() { return "APPROVE"; }
        public List<String> arguments() { return List.of(group, name); }
    }

    /** Join requests waiting for the owner. */
    record Requests(String group) implements Request {
        public String command() { return "REQUESTS"; }
        public List<String> arguments() { return List.of(group); }
    }

    record Leave(String group) implements Request {
        public String command() { return "LEAVE"; }
        public List<String> arguments() { return List.of(group); }
    }

    record Kick(String group, String name) implements Request {
        public String command() { return "KICK"; }
        public List<String> arguments() { return List.of(group, name); }
    }

    record Groups() implements Request {
        public String command() { return "GROUPS"; }
        public List<String> arguments() { return List.of(); }
    }

    record Members(String group) implements Request {
        public String command() { return "MEMBERS"; }
        public List<String> arguments() { return List.of(group); }
    }

    /** A group message, the article's {@code GROUP:}; {@code clientId} makes a resend harmless. */
    record Group(String group, String clientId, String text) implements Request {
        public String command() { return "GROUP"; }
        public List<String> arguments() { return List.of(group, clientId, text); }
    }

    /** Unread counts per friend and per group. */
    record Unread() implements Request {
        public String command() { return "UNREAD"; }
        public List<String> arguments() { return List.of(); }
    }

    /** Marks a conversation read: a friend's name, or {@code #group}. */
    record Read(String conversation) implements Request {
        public String command() { return "READ"; }
        public List<String> arguments() { return List.of(conversation); }
    }

    record Ping() implements Request {
        public String command() { return "PING"; }
        public List<String> arguments() { return List.of(); }
    }

    record Stats() implements Request {
        public String command() { return "STATS"; }
        public List<String> arguments() { return List.of(); }
    }

    record Quit() implements Request {
        public String command() { return "QUIT"; }
        public List<String> arguments() { return List.of(); }
    }

    /** Most items a list request may ask for at once. */
    int MAX_PAGE = 200;

    /**
     * The request on a line.
     *
     * @throws ProtocolException {@code unknown-command} or {@code bad-request}
     */
    static Request parse(Line line) {
        String command = line.command();
        List<String> f = line.fields().subList(1, line.size());
        return switch (command) {
            case "REGISTER", "RESIGER" -> {
                expect(command, f, 2, "name", "password");
                yield new Register(command, f.get(0), f.get(1));
            }
            case "LOGIN" -> {
                expect(command, f, 2, "name", "password");
                yield new Login(f.get(0), f.get(1));
            }
            case "LOGOUT" -> none(command, f, new Logout());
            case "GROUPS" -> none(command, f, new Groups());
            case "UNREAD" -> none(command, f, new Unread());
            case "CREATE" -> {
                expect(command, f, 2, "group", "open|closed");
                yield new Create(f.get(0), switch (f.get(1)) {
                    case "open" -> true;
                    case "closed" -> false;
                    default -> throw new ProtocolException(BAD_REQUEST, "a group is open or closed, not " + f.get(1));
                });
            }
            case "RENAME" -> {
                expect(command, f, 2, "group", "new-name");
                yield new Rename(f.get(0), f.get(1));
            }
            case "DISBAND" -> new Disband(one(command, f, "group"));
            case "INVITE" -> {
                expect(command, f, 2, "group", "name");
                yield new Invite(f.get(0), f.get(1));
            }
            case "JOIN" -> new Join(one(command, f, "group"));
            case "APPROVE" -> {
                expect(command, f, 2, "group", "name");
                yield new Approve(f.get(0), f.get(1));
            }
            case "REQUESTS" -> new Requests(one(command, f, "group"));
            case "LEAVE" -> new Leave(one(command, f, "group"));
            case "KICK" -> {
                expect(command, f, 2, "group", "name");
                yield new Kick(f.get(0), f.get(1));
            }
            case "MEMBERS" -> new Members(one(command, f, "group"));
            case "GROUP" -> {
                expect(command, f, 3, "group", "client-id", "text");
                yield new Group(f.get(0), f.get(1), f.get(2));
            }
            case "READ" -> new Read(one(command, f, "name-or-#group"));
            case "FRIENDS" -> none(command, f, new Friends());
            case "PING" -> none(command, f, new Ping());
            case "STATS" -> none(command, f, new Stats());
            case "QUIT" -> none(command, f, new Quit());
            case "FIND" -> new Find(one(command, f, "text"));
            case "ADD" -> new Add(one(command, f, "name"));
            case "ACCEPT" -> new Accept(one(command, f, "name"));
            case "DECLINE" -> new Decline(one(command, f, "name"));
            case "DEL" -> new Del(one(command, f, "name"));
            case "CONNECT_CLIENT" -> new ConnectClient(one(command, f, "name"));
            case "ALIAS" -> {
                expect(command, f, 2, "name", "alias");
                yield new Alias(f.get(0), f.get(1));
            }
            case "MSG" -> {
                expect(command, f, 3, "name", "client-id", "text");
                yield new Msg(f.get(0), f.get(1), f.get(2));
            }
            case "ACK" -> new Ack(number(one(command, f, "message-id"), "message-id"));
            case "HISTORY" -> {
                expect(command, f, 3, "name", "before-id", "limit");
                yield new History(f.get(0), number(f.get(1), "before-id"), limit(f.get(2)));
            }
            case "SEARCH" -> {
                expect(command, f, 2, "text", "limit");
                yield new Search(f.get(0), limit(f.get(1)));
            }
            default -> throw new ProtocolException(UNKNOWN_COMMAND, "unknown command " + command);
        };
    }

    private static Request none(String command, List<String> f, Request r) {
        expect(command, f, 0);
        return r;
    }

    private static String one(String command, List<String> f, String what) {
        expect(command, f, 1, what);
        return f.get(0);
    }

    private static void expect(String command, List<String> f, int n, String... names) {
        if (f.size() != n) {
            String shape = command + (names.length == 0 ? "" : ":" + String.join(":", names));
            throw new ProtocolException(BAD_REQUEST, command + " takes " + n + " field" + (n == 1 ? "" : "s")
                    + " (" + shape + "), not " + f.size());
        }
    }

    private static long number(String s, String what) {
        try {
            // ASCII digits only: Long.parseLong also takes a sign and other scripts' digits ("١٢", "１２").
            if (s.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Long.parseLong(s);
            }
        } catch (NumberFormatException e) {
            // the error below says it
        }
        throw new ProtocolException(BAD_REQUEST, what + " must be a whole number, not " + s);
    }

    private static int limit(String s) {
        long n = number(s, "limit");
        if (n < 1 || n > MAX_PAGE) {
            throw new ProtocolException(BAD_REQUEST, "limit must be from 1 to " + MAX_PAGE + ", not " + s);
        }
        return (int) n;
    }
}
