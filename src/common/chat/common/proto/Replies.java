package chat.common.proto;

import static chat.common.proto.ErrorCode.BAD_REQUEST;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The typed results of the successes that carry some: what follows {@code COMMAND:true}. A
 * result does not name its command (MSG and GROUP share one, and REGISTER may be spelled
 * RESIGER); {@link Reply#ok(String, Request, Result)} takes it from the request.
 *
 * <p>Reading is lenient like every parser here: extra trailing fields are ignored, and a result
 * read from a 1.0 server lacks the newer fields (LOGIN's device and token), which take defaults.
 */
public final class Replies {

    private Replies() {}

    /** The results of a success, in wire order. */
    public sealed interface Result {
        List<String> fields();
    }

    /** {@code HELLO:true:server-version:caps}, caps a comma list. */
    public record HelloOk(String serverVersion, List<String> caps) implements Result {
        public static final String RESUME = "resume";
        public static final String MULTI_DEVICE = "multi-device";
        public static final String CONTACTS = "contacts";
        public static final String EVENTS = "events";
        /** SEND_FILE and the rest of the file relay, with data connections (1.2). */
        public static final String FILES = "files";
        /** CHECK_NAME, before login (1.3). */
        public static final String CHECK_NAME = "check-name";
        /** The server's port also speaks TLS (a connection that starts with a TLS record) (1.4). */
        public static final String TLS = "tls";
        /** LOGIN, REGISTER, RESUME and PASSWD are refused over plain text ({@code tls-required}) (1.4). */
        public static final String TLS_REQUIRED = "tls-required";

        /** What a 1.1 server can do. */
        public static final List<String> CAPS_1_1 = List.of(RESUME, MULTI_DEVICE, CONTACTS, EVENTS);

        /** What a 1.2 server can do. */
        public static final List<String> CAPS_1_2 = List.of(RESUME, MULTI_DEVICE, CONTACTS, EVENTS, FILES);

        /** CONNECTIONS, DISCONNECT, BAN, UNBAN, BANS and STATS for the accounts named admins (1.4). */
        public static final String ADMIN = "admin";
        /** INVITATIONS, DECLINE_INVITE, INVITE_POLICY: an invitation waits for the invitee (1.4). */
        public static final String INVITATIONS = "invitations";
        /** BLOCK, UNBLOCK, BLOCKS (1.4). */
        public static final String BLOCKS = "blocks";

        /** What a 1.3 server can do. */
        public static final List<String> CAPS_1_3 = List.of(RESUME, MULTI_DEVICE, CONTACTS, EVENTS, FILES, CHECK_NAME);

        /**
         * 1.4: a {@code throttled} failure carries the seconds to wait as a field after its
         * message ({@code LOGIN:false:throttled:…; try again in 30 s:30}).
         */
        public static final String RETRY_AFTER = "retry-after";

        /** What a 1.4 server can do. */
        public static final List<String> CAPS_1_4 = List.of(RESUME, MULTI_DEVICE, CONTACTS, EVENTS, FILES, CHECK_NAME,
                RETRY_AFTER, ADMIN, INVITATIONS, BLOCKS);

        public HelloOk {
            caps = List.copyOf(caps);
        }

        public boolean has(String cap) {
            return caps.contains(cap);
        }

        public List<String> fields() { return List.of(serverVersion, String.join(",", caps)); }
    }

    /**
     * {@code LOGIN:true:port:name:device:token}: port is the client's own as the server sees it,
     * name the account's spelling, token what RESUME takes later. toString hides the token.
     */
    public record LoginOk(int port, String name, String device, String token) implements Result {
        public List<String> fields() { return List.of(Integer.toString(port), name, device, token); }
        @Override public String toString() { return "LoginOk[" + port + ", " + name + ", " + device + "]"; }
    }

    /** {@code RESUME:true:port:name:device}. */
    public record ResumeOk(int port, String name, String device) implements Result {
        public List<String> fields() { return List.of(Integer.toString(port), name, device); }
    }

    /** {@code MSG:true:id:time:client-id} and {@code GROUP:true:id:time:client-id}: the message is stored. */
    public record SentOk(long id, long time, String clientId) implements Result {
        public List<String> fields() { return List.of(Long.toString(id), Long.toString(time), clientId); }
    }

    /** {@code REGISTER:true:name}. */
    public record RegisterOk(String name) implements Result {
        public List<String> fields() { return List.of(name); }
    }

    /**
     * {@code CHECK_NAME:true:free} or {@code CHECK_NAME:true:taken}: whether an account has the
     * name, in any spelling (a name REGISTER would refuse is {@code CHECK_NAME:false:bad-name}).
     */
    public record CheckNameOk(boolean taken) implements Result {
        public List<String> fields() { return List.of(taken ? "taken" : "free"); }
    }

    /** {@code ADD:true:requested}, or {@code ADD:true:friends} when they had asked me too. */
    public record AddOk(boolean friends) implements Result {
        public List<String> fields() { return List.of(friends ? "friends" : "requested"); }
    }

    /**
     * {@code JOIN:true:joined:id} (an open group, or the lobby: id 0), or {@code JOIN:true:requested:id}
     * (a closed one). The id lets a client that keys groups by id file the group without asking again;
     * a 1.0 server sends none, read as {@link #UNKNOWN_ID}.
     */
    public record JoinOk(boolean joined, long groupId) implements Result {
        public static final long UNKNOWN_ID = -1;
        public List<String> fields() { return List.of(joined ? "joined" : "requested", Long.toString(groupId)); }
    }

    /**
     * {@code INVITE:true:joined} (the invitee is a member now: a friend's invitation, or one who
     * takes anyone's) or {@code INVITE:true:invited} (it waits for the invitee's answer). A 1.3
     * server sends no field: its invitee is a member at once, read as joined.
     */
    public record InviteOk(boolean joined) implements Result {
        public List<String> fields() { return List.of(joined ? "joined" : "invited"); }
    }

    /** {@code INVITE_POLICY:true:anyone|friends|nobody}: the policy now. */
    public record InvitePolicyOk(String policy) implements Result {
        public List<String> fields() { return List.of(policy); }
    }

    /** {@code READ:true:up-to-id}: where the read mark is now (it never moves backwards). */
    public record ReadOk(long upTo) implements Result {
        public List<String> fields() { return List.of(Long.toString(upTo)); }
    }

    /** {@code CREATE:true:group:id}: the group as spelled, and its id (-1 from a 1.0 server, which sends none). */
    public record CreateOk(String group, long groupId) implements Result {
        public List<String> fields() { return List.of(group, Long.toString(groupId)); }
    }

    /** {@code RENAME:true:new-name}. */
    public record RenameOk(String newName) implements Result {
        public List<String> fields() { return List.of(newName); }
    }

    /** {@code CONNECT_CLIENT:true:name:ip:port}: a friend's address as the server sees it. */
    public record ConnectClientOk(String name, String ip, int port) implements Result {
        public List<String> fields() { return List.of(name, ip, Integer.toString(port)); }
    }

    /**
     * {@code SEND_FILE:true:file-id:msg-id:time:client-id:token:offset}: the offer is stored; upload
     * from {@code offset} with {@code token} ({@code offset} = size: the server has the bytes already).
     * toString hides the token.
     */
    public record SendFileOk(long fileId, long messageId, long time, String clientId, String token, long offset)
            implements Result {
        public List<String> fields() {
            return List.of(Long.toString(fileId), Long.toString(messageId), Long.toString(time), clientId, token,
                    Long.toString(offset));
        }
        @Override public String toString() {
            return "SendFileOk[" + fileId + ", " + messageId + ", " + time + ", " + clientId + ", " + offset + "]";
        }
    }

    /** {@code FILE_UPLOAD:true:token:offset}: resume the upload from {@code offset}. */
    public record FileUploadOk(String token, long offset) implements Result {
        public List<String> fields() { return List.of(token, Long.toString(offset)); }
        @Override public String toString() { return "FileUploadOk[" + offset + "]"; }
    }

    /** {@code FILE_GET:true:token:size:sha256:name}: download with {@code token}. */
    public record FileGetOk(String token, long size, String sha256, String name) implements Result {
        public List<String> fields() { return List.of(token, Long.toString(size), sha256, name); }
        @Override public String toString() { return "FileGetOk[" + size + ", " + sha256 + ", " + name + "]"; }
    }

    /** {@code UPLOAD:true:file-id}, on a data connection: every byte arrived and the hash matched. */
    public record UploadOk(long fileId) implements Result {
        public List<String> fields() { return List.of(Long.toString(fileId)); }
    }

    /** {@code DOWNLOAD:true:size}, on a data connection: bytes offset..size follow, then the server closes. */
    public record DownloadOk(long size) implements Result {
        public List<String> fields() { return List.of(Long.toString(size)); }
    }

    /** {@code BAN:true:until}: the ban's end (ms since 1970 UTC), 0 when it is for good (1.4). */
    public record BanOk(long until) implements Result {
        public List<String> fields() { return List.of(Long.toString(until)); }
    }

    private static final Map<Class<? extends Result>, Function<Line, Result>> READERS = Map.ofEntries(
            Map.entry(HelloOk.class, l -> {
                Fields f = shape(l, 2, "server-version:caps");
                return new HelloOk(f.text(0), caps(f.text(1)));
            }),
            Map.entry(LoginOk.class, l -> {
                Fields f = shape(l, 2, "port:name:device:token");
                return new LoginOk(port(f, 0), f.text(1), f.text(2, Request.DEFAULT_DEVICE), f.text(3, ""));
            }),
            Map.entry(ResumeOk.class, l -> {
                Fields f = shape(l, 2, "port:name:device");
                return new ResumeOk(port(f, 0), f.text(1), f.text(2, Request.DEFAULT_DEVICE));
            }),
            Map.entry(SentOk.class, l -> {
                Fields f = shape(l, 3, "id:time:client-id");
                return new SentOk(f.number(0, "id"), f.number(1, "time"), f.text(2));
            }),
            Map.entry(RegisterOk.class, l -> new RegisterOk(shape(l, 1, "name").text(0))),
            Map.entry(CheckNameOk.class, l -> new CheckNameOk(shape(l, 1, "free|taken").word(0, "taken", "free", "CHECK_NAME's answer"))),
            Map.entry(AddOk.class, l -> new AddOk(shape(l, 1, "requested|friends").word(0, "friends", "requested", "ADD's outcome"))),
            Map.entry(JoinOk.class, l -> {
                Fields f = shape(l, 1, "joined|requested:id");
                return new JoinOk(f.word(0, "joined", "requested", "JOIN's outcome"), f.number(1, "id", JoinOk.UNKNOWN_ID));
            }),
            Map.entry(InviteOk.class, l -> new InviteOk(!shape(l, 0, "joined|invited").text(0, "joined").equals("invited"))),
            Map.entry(InvitePolicyOk.class, l -> new InvitePolicyOk(shape(l, 1, "policy").text(0))),
            Map.entry(ReadOk.class, l -> new ReadOk(shape(l, 1, "up-to-id").number(0, "up-to-id"))),
            Map.entry(CreateOk.class, l -> {
                Fields f = shape(l, 1, "group:id");
                return new CreateOk(f.text(0), f.number(1, "id", JoinOk.UNKNOWN_ID));
            }),
            Map.entry(RenameOk.class, l -> new RenameOk(shape(l, 1, "new-name").text(0))),
            Map.entry(ConnectClientOk.class, l -> {
                Fields f = shape(l, 3, "name:ip:port");
                return new ConnectClientOk(f.text(0), f.text(1), port(f, 2));
            }),
            Map.entry(SendFileOk.class, l -> {
                Fields f = shape(l, 6, "file-id:msg-id:time:client-id:token:offset");
                return new SendFileOk(f.number(0, "file-id"), f.number(1, "msg-id"), f.number(2, "time"), f.text(3),
                        f.text(4), f.number(5, "offset"));
            }),
            Map.entry(FileUploadOk.class, l -> {
                Fields f = shape(l, 2, "token:offset");
                return new FileUploadOk(f.text(0), f.number(1, "offset"));
            }),
            Map.entry(FileGetOk.class, l -> {
                Fields f = shape(l, 4, "token:size:sha256:name");
                return new FileGetOk(f.text(0), f.number(1, "size"), f.text(2), f.text(3));
            }),
            Map.entry(UploadOk.class, l -> new UploadOk(shape(l, 1, "file-id").number(0, "file-id"))),
            Map.entry(DownloadOk.class, l -> new DownloadOk(shape(l, 1, "size").number(0, "size"))),
            Map.entry(BanOk.class, l -> new BanOk(shape(l, 1, "until").number(0, "until"))));

    /** Reads a success line's results as {@code type}. */
    static <T extends Result> T read(Class<T> type, Line line) {
        Function<Line, Result> reader = READERS.get(type);
        if (reader == null) {
            throw new IllegalArgumentException("no reader for " + type.getName());
        }
        return type.cast(reader.apply(line));
    }

    private static Fields shape(Line line, int required, String shape) {
        return Fields.of(line, 2, required, line.command() + ":true:" + shape);
    }

    private static int port(Fields f, int i) {
        int port = f.count(i, "port");
        if (port > 65535) {
            throw new ProtocolException(BAD_REQUEST, "a port is at most 65535, not " + port);
        }
        return port;
    }

    private static List<String> caps(String field) {
        return field.isEmpty() ? List.of() : Arrays.asList(field.split(",", -1));
    }
}
