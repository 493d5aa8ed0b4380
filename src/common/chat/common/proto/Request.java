package chat.common.proto;

import static chat.common.proto.ErrorCode.BAD_REQUEST;
import static chat.common.proto.ErrorCode.UNKNOWN_COMMAND;

import java.util.ArrayList;
import java.util.List;

/**
 * Every command a client can send, one record each. {@link #parse} checks a line's shape (the
 * command and its fields); the server checks the meaning. {@link #toLine} writes the command as a
 * client sends it. docs/PROTOCOL.md describes each with its replies.
 *
 * <p>For forward compatibility a request may carry more fields than this version knows: they are
 * ignored. An optional field a client leaves out takes its default (and {@link #toLine} leaves out
 * one that has its default, so that a 1.0 server still understands the line).
 *
 * <p>The {@code toString} of a request that carries a password or a token does not show it: requests
 * end up in logs.
 */
public sealed interface Request {

    /** The device of a LOGIN or RESUME that names none. */
    String DEFAULT_DEVICE = "default";

    /** Most characters of a device name. */
    int MAX_DEVICE = 64;

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

    /**
     * {@code CHECK_NAME:name}: whether REGISTER would take the name, asked before the password
     * (1.3); allowed before login, as REGISTER is.
     */
    record CheckName(String name) implements Request {
        public String command() { return "CHECK_NAME"; }
        public List<String> arguments() { return List.of(name); }
    }

    /** {@code HELLO:client-name:protocol-version}: who is talking, allowed before login. */
    record Hello(String clientName, String version) implements Request {
        /** Most characters of a client name. */
        public static final int MAX_CLIENT_NAME = 64;

        /** The protocol version this code speaks, as a client says it in HELLO. */
        public static final String PROTOCOL_VERSION = "1.4";

        public String command() { return "HELLO"; }
        public List<String> arguments() { return List.of(clientName, version); }
    }

    /** {@code LOGIN:name:password[:device]}. */
    record Login(String name, String password, String device) implements Request {
        /** A login as the default device, as a 1.0 client logs in. */
        public Login(String name, String password) {
            this(name, password, DEFAULT_DEVICE);
        }

        public String command() { return "LOGIN"; }
        public List<String> arguments() { return withDevice(device, name, password); }
        @Override public String toString() { return "Login[" + name + ", " + device + "]"; }
    }

    /** {@code RESUME:name:token[:device]}: a login with the token of an earlier LOGIN. */
    record Resume(String name, String token, String device) implements Request {
        public Resume(String name, String token) {
            this(name, token, DEFAULT_DEVICE);
        }

        public String command() { return "RESUME"; }
        public List<String> arguments() { return withDevice(device, name, token); }
        @Override public String toString() { return "Resume[" + name + ", " + device + "]"; }
    }

    /** {@code PASSWD:old:new}: changes my password and signs out my other devices. */
    record Passwd(String oldPassword, String newPassword) implements Request {
        public String command() { return "PASSWD"; }
        public List<String> arguments() { return List.of(oldPassword, newPassword); }
        @Override public String toString() { return "Passwd[]"; }
    }

    /** My friends, groups and pending friend requests, in one list. */
    record Contacts() implements Request {
        public String command() { return "CONTACTS"; }
        public List<String> arguments() { return List.of(); }
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

    /** Turns down an invitation to a group (1.4): the inviter is told. JOIN accepts one. */
    record DeclineInvite(String group) implements Request {
        public String command() { return "DECLINE_INVITE"; }
        public List<String> arguments() { return List.of(group); }
    }

    /** The invitations waiting for my answer (1.4). */
    record Invitations() implements Request {
        public String command() { return "INVITATIONS"; }
        public List<String> arguments() { return List.of(); }
    }

    /**
     * {@code INVITE_POLICY[:anyone|friends|nobody]} (1.4): whose invitations make me a member at
     * once; without a policy, asks what it is. {@code policy} is empty for the question.
     */
    record InvitePolicy(String policy) implements Request {
        public static final List<String> POLICIES = List.of("anyone", "friends", "nobody");

        public String command() { return "INVITE_POLICY"; }
        public List<String> arguments() { return policy.isEmpty() ? List.of() : List.of(policy); }
    }

    /** Blocks a user (1.4): their messages, friend requests and invitations no longer reach me. */
    record Block(String name) implements Request {
        public String command() { return "BLOCK"; }
        public List<String> arguments() { return List.of(name); }
    }

    record Unblock(String name) implements Request {
        public String command() { return "UNBLOCK"; }
        public List<String> arguments() { return List.of(name); }
    }

    /** Whom I blocked (1.4). */
    record Blocks() implements Request {
        public String command() { return "BLOCKS"; }
        public List<String> arguments() { return List.of(); }
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

    /** The owner turns down someone who asked to join: the request is dropped and the asker told. */
    record Reject(String group, String name) implements Request {
        public String command() { return "REJECT"; }
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

    /**
     * Marks a conversation read ({@code bob}, {@code #team} or {@code !42}) up to a message id;
     * {@code upTo} 0 (the default) means up to the newest.
     */
    record Read(String conversation, long upTo) implements Request {
        public Read(String conversation) {
            this(conversation, 0);
        }

        public String command() { return "READ"; }
        public List<String> arguments() {
            return upTo == 0 ? List.of(conversation) : List.of(conversation, Long.toString(upTo));
        }
    }

    /** Answered {@code PING:true}; a client sends it when it has sent nothing for a while. */
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

    // ---- administration (1.4): an admin's requests, refused with forbidden to anyone else ----

    /**
     * {@code CONNECTIONS}: every open connection of the server, a {@code CONNECTION_INFO} item
     * each (admins only).
     */
    record Connections() implements Request {
        public String command() { return "CONNECTIONS"; }
        public List<String> arguments() { return List.of(); }
    }

    /** {@code DISCONNECT:connection-id}: closes one connection, as CONNECTIONS numbers them (admins only). */
    record Disconnect(long connectionId) implements Request {
        public String command() { return "DISCONNECT"; }
        public List<String> arguments() { return List.of(Long.toString(connectionId)); }
    }

    /**
     * {@code BAN:target:minutes:reason}: an account ({@code bob}) or an address ({@code @10.0.0.7},
     * which no name can be: names hold no {@code @}) kept out for {@code minutes}, 0 for good
     * (admins only).
     */
    record Ban(String target, long minutes, String reason) implements Request {
        /** Marks an address where a name would stand: {@code @10.0.0.7}. */
        public static final String ADDRESS_MARK = "@";
        /** Longest ban that is not for good: ten years, so that minutes times 60,000 cannot overflow. */
        public static final long MAX_MINUTES = 10L * 366 * 24 * 60;
        /** Most characters of a reason. */
        public static final int MAX_REASON = 200;

        public String command() { return "BAN"; }
        public List<String> arguments() { return List.of(target, Long.toString(minutes), reason); }
    }

    /** {@code UNBAN:target}: lifts a ban, a name or an {@code @address} as BAN takes it (admins only). */
    record Unban(String target) implements Request {
        public String command() { return "UNBAN"; }
        public List<String> arguments() { return List.of(target); }
    }

    /** {@code BANS}: the bans in force, a {@code BAN_INFO} item each (admins only). */
    record Bans() implements Request {
        public String command() { return "BANS"; }
        public List<String> arguments() { return List.of(); }
    }

    // ---- files (1.2) ----

    /**
     * {@code SEND_FILE:to:client-id:name:size:sha256}: offers a file to a friend or a group; the
     * offer is stored as a message at once, the bytes follow on a data connection ({@link Upload}).
     */
    record SendFile(String to, String clientId, String name, long size, String sha256) implements Request {
        public String command() { return "SEND_FILE"; }
        public List<String> arguments() { return List.of(to, clientId, name, Long.toString(size), sha256); }
    }

    /** {@code FILE_UPLOAD:file-id}: a fresh upload token and the offset to resume from (the sender's). */
    record FileUpload(long fileId) implements Request {
        public String command() { return "FILE_UPLOAD"; }
        public List<String> arguments() { return List.of(Long.toString(fileId)); }
    }

    /** {@code FILE_GET:file-id}: a download token for a ready file (a recipient's or the sender's). */
    record FileGet(long fileId) implements Request {
        public String command() { return "FILE_GET"; }
        public List<String> arguments() { return List.of(Long.toString(fileId)); }
    }

    /** {@code FILE_CANCEL:file-id}: the sender withdraws an offer; its bytes go. */
    record FileCancel(long fileId) implements Request {
        public String command() { return "FILE_CANCEL"; }
        public List<String> arguments() { return List.of(Long.toString(fileId)); }
    }

    /** {@code FILES}: the offers to me and from me, newest first. */
    record Files() implements Request {
        public String command() { return "FILES"; }
        public List<String> arguments() { return List.of(); }
    }

    /**
     * {@code FileTran:name:ip:port[:file-name:size:sha256]}, the article's spelling: tells a friend's
     * devices where to fetch a file directly ({@code FILE_PEER}). Without the last three fields
     * {@code fileName} and {@code sha256} are empty and {@code size} is {@link #NO_SIZE}.
     */
    record FileTran(String name, String ip, int port, String fileName, long size, String sha256) implements Request {
        public static final long NO_SIZE = -1;

        /** The article's form: an address only. */
        public FileTran(String name, String ip, int port) {
            this(name, ip, port, "", NO_SIZE, "");
        }

        public String command() { return "FileTran"; }
        public List<String> arguments() {
            List<String> head = List.of(name, ip, Integer.toString(port));
            if (fileName.isEmpty() && size == NO_SIZE && sha256.isEmpty()) {
                return head;
            }
            List<String> all = new ArrayList<>(head);
            all.addAll(List.of(fileName, size == NO_SIZE ? "" : Long.toString(size), sha256));
            return all;
        }
    }

    /**
     * {@code UPLOAD:token:offset}: the first line of a data connection, then the file's bytes from
     * {@code offset}. Only ever a connection's first line; on a chat connection it is {@code bad-request}.
     * toString hides the token.
     */
    record Upload(String token, long offset) implements Request {
        public String command() { return "UPLOAD"; }
        public List<String> arguments() { return List.of(token, Long.toString(offset)); }
        @Override public String toString() { return "Upload[" + offset + "]"; }
    }

    /** {@code DOWNLOAD:token:offset}: the first line of a data connection that fetches a file's bytes. */
    record Download(String token, long offset) implements Request {
        public String command() { return "DOWNLOAD"; }
        public List<String> arguments() { return List.of(token, Long.toString(offset)); }
        @Override public String toString() { return "Download[" + offset + "]"; }
    }

    /** Most items a list request may ask for at once. */
    int MAX_PAGE = 200;

    /**
     * A device name: 1 to {@value #MAX_DEVICE} characters of {@code A-Z a-z 0-9 - _ .} (so that it
     * can name a file and show in a log as it is).
     */
    static boolean validDevice(String device) {
        if (device.isEmpty() || device.length() > MAX_DEVICE) {
            return false;
        }
        for (int i = 0; i < device.length(); i++) {
            char c = device.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * The request on a line. Fields past the ones the command takes are ignored.
     *
     * @throws ProtocolException {@code unknown-command} or {@code bad-request}
     */
    static Request parse(Line line) {
        String command = line.command();
        return switch (command) {
            case "REGISTER", "RESIGER" -> {
                Fields f = shape(line, 2, "name:password");
                yield new Register(command, f.text(0), f.text(1));
            }
            case "CHECK_NAME" -> new CheckName(one(line, "name"));
            case "HELLO" -> {
                Fields f = shape(line, 2, "client-name:protocol-version");
                if (f.text(0).codePointCount(0, f.text(0).length()) > Hello.MAX_CLIENT_NAME) {
                    throw new ProtocolException(BAD_REQUEST, "a client name has at most " + Hello.MAX_CLIENT_NAME
                            + " characters");
                }
                yield new Hello(f.text(0), f.text(1));
            }
            case "LOGIN" -> {
                Fields f = shape(line, 2, "name:password[:device]");
                yield new Login(f.text(0), f.text(1), device(f));
            }
            case "RESUME" -> {
                Fields f = shape(line, 2, "name:token[:device]");
                yield new Resume(f.text(0), f.text(1), device(f));
            }
            case "PASSWD" -> {
                Fields f = shape(line, 2, "old-password:new-password");
                yield new Passwd(f.text(0), f.text(1));
            }
            case "LOGOUT" -> new Logout();
            case "CONTACTS" -> new Contacts();
            case "GROUPS" -> new Groups();
            case "UNREAD" -> new Unread();
            case "FRIENDS" -> new Friends();
            case "PING" -> new Ping();
            case "STATS" -> new Stats();
            case "QUIT" -> new Quit();
            case "CREATE" -> {
                Fields f = shape(line, 2, "group:open|closed");
                yield new Create(f.text(0), f.word(1, "open", "closed", "a group"));
            }
            case "RENAME" -> {
                Fields f = shape(line, 2, "group:new-name");
                yield new Rename(f.text(0), f.text(1));
            }
            case "DISBAND" -> new Disband(one(line, "group"));
            case "INVITE" -> {
                Fields f = shape(line, 2, "group:name");
                yield new Invite(f.text(0), f.text(1));
            }
            case "JOIN" -> new Join(one(line, "group"));
            case "APPROVE" -> {
                Fields f = shape(line, 2, "group:name");
                yield new Approve(f.text(0), f.text(1));
            }
            case "REJECT" -> {
                Fields f = shape(line, 2, "group:name");
                yield new Reject(f.text(0), f.text(1));
            }
            case "REQUESTS" -> new Requests(one(line, "group"));
            case "DECLINE_INVITE" -> new DeclineInvite(one(line, "group"));
            case "INVITATIONS" -> new Invitations();
            case "INVITE_POLICY" -> {
                String policy = line.size() > 1 ? line.field(1) : "";
                if (!policy.isEmpty() && !InvitePolicy.POLICIES.contains(policy)) {
                    throw new ProtocolException(BAD_REQUEST, "INVITE_POLICY takes anyone, friends or nobody, not " + policy);
                }
                yield new InvitePolicy(policy);
            }
            case "BLOCK" -> new Block(one(line, "name"));
            case "UNBLOCK" -> new Unblock(one(line, "name"));
            case "BLOCKS" -> new Blocks();
            case "LEAVE" -> new Leave(one(line, "group"));
            case "KICK" -> {
                Fields f = shape(line, 2, "group:name");
                yield new Kick(f.text(0), f.text(1));
            }
            case "MEMBERS" -> new Members(one(line, "group"));
            case "GROUP" -> {
                Fields f = shape(line, 3, "group:client-id:text");
                yield new Group(f.text(0), f.text(1), f.rest(2));
            }
            case "READ" -> {
                Fields f = shape(line, 1, "conversation[:up-to-id]");
                yield new Read(f.text(0), f.number(1, "up-to-id", 0));
            }
            case "FIND" -> new Find(one(line, "text"));
            case "ADD" -> new Add(one(line, "name"));
            case "ACCEPT" -> new Accept(one(line, "name"));
            case "DECLINE" -> new Decline(one(line, "name"));
            case "DEL" -> new Del(one(line, "name"));
            case "CONNECT_CLIENT" -> new ConnectClient(one(line, "name"));
            case "ALIAS" -> {
                Fields f = shape(line, 2, "name:alias");
                yield new Alias(f.text(0), f.text(1));
            }
            case "MSG" -> {
                Fields f = shape(line, 3, "name:client-id:text");
                yield new Msg(f.text(0), f.text(1), f.rest(2));
            }
            case "ACK" -> new Ack(shape(line, 1, "message-id").number(0, "message-id"));
            case "HISTORY" -> {
                Fields f = shape(line, 3, "name:before-id:limit");
                yield new History(f.text(0), f.number(1, "before-id"), limit(f.text(2)));
            }
            case "SEARCH" -> {
                Fields f = shape(line, 2, "text:limit");
                yield new Search(f.text(0), limit(f.text(1)));
            }
            case "SEND_FILE" -> {
                Fields f = shape(line, 5, "to:client-id:name:size:sha256");
                String hash = f.text(4);
                if (!FileOffer.validSha256(hash)) {
                    throw new ProtocolException(BAD_REQUEST, "a sha256 is 64 lower-case hex digits, not " + hash);
                }
                yield new SendFile(f.text(0), f.text(1), f.text(2), f.number(3, "size"), hash);
            }
            case "FILE_UPLOAD" -> new FileUpload(fileId(line));
            case "FILE_GET" -> new FileGet(fileId(line));
            case "FILE_CANCEL" -> new FileCancel(fileId(line));
            case "FILES" -> new Files();
            case "FileTran" -> {
                Fields f = shape(line, 3, "name:ip:port[:file-name:size:sha256]");
                long port = f.number(2, "port");
                if (port > 65535) {
                    throw new ProtocolException(BAD_REQUEST, "a port is at most 65535, not " + port);
                }
                String size = f.text(4, "");
                yield new FileTran(f.text(0), f.text(1), (int) port, f.text(3, ""),
                        size.isEmpty() ? FileTran.NO_SIZE : Fields.number(size, "size"), f.text(5, ""));
            }
            case "CONNECTIONS" -> new Connections();
            case "DISCONNECT" -> new Disconnect(shape(line, 1, "connection-id").number(0, "connection-id"));
            case "BAN" -> {
                Fields f = shape(line, 3, "target:minutes:reason");
                long minutes = f.number(1, "minutes");
                if (minutes > Ban.MAX_MINUTES) {
                    throw new ProtocolException(BAD_REQUEST, "a ban lasts at most " + Ban.MAX_MINUTES
                            + " minutes (0: for good), not " + minutes);
                }
                yield new Ban(f.text(0), minutes, f.text(2));
            }
            case "UNBAN" -> new Unban(one(line, "target"));
            case "BANS" -> new Bans();
            case "UPLOAD" -> {
                Fields f = shape(line, 2, "token:offset");
                yield new Upload(f.text(0), f.number(1, "offset"));
            }
            case "DOWNLOAD" -> {
                Fields f = shape(line, 2, "token:offset");
                yield new Download(f.text(0), f.number(1, "offset"));
            }
            default -> throw new ProtocolException(UNKNOWN_COMMAND, "unknown command " + command);
        };
    }

    private static Fields shape(Line line, int required, String shape) {
        return Fields.of(line, 1, required, line.command() + ":" + shape);
    }

    private static long fileId(Line line) {
        long id = shape(line, 1, "file-id").number(0, "file-id");
        if (id < 1) {
            throw new ProtocolException(BAD_REQUEST, "a file id is positive, not " + id);
        }
        return id;
    }

    private static String one(Line line, String what) {
        return shape(line, 1, what).text(0);
    }

    /** The optional third field of LOGIN and RESUME; an empty one is the default too. */
    private static String device(Fields f) {
        String device = f.text(2, "");
        if (device.isEmpty()) {
            return DEFAULT_DEVICE;
        }
        if (!validDevice(device)) {
            throw new ProtocolException(BAD_REQUEST, "a device is 1 to " + MAX_DEVICE
                    + " characters of A-Z a-z 0-9 - _ ., not " + device);
        }
        return device;
    }

    private static List<String> withDevice(String device, String name, String secret) {
        return device.equals(DEFAULT_DEVICE) ? List.of(name, secret) : List.of(name, secret, device);
    }

    private static int limit(String s) {
        long n = Fields.number(s, "limit");
        if (n < 1 || n > MAX_PAGE) {
            throw new ProtocolException(BAD_REQUEST, "limit must be from 1 to " + MAX_PAGE + ", not " + s);
        }
        return (int) n;
    }
}
