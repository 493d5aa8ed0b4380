package chat.common.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Request.Accept;
import chat.common.proto.Request.Ack;
import chat.common.proto.Request.Add;
import chat.common.proto.Request.Alias;
import chat.common.proto.Request.Approve;
import chat.common.proto.Request.ConnectClient;
import chat.common.proto.Request.Contacts;
import chat.common.proto.Request.Create;
import chat.common.proto.Request.Decline;
import chat.common.proto.Request.Del;
import chat.common.proto.Request.Disband;
import chat.common.proto.Request.Find;
import chat.common.proto.Request.Friends;
import chat.common.proto.Request.Group;
import chat.common.proto.Request.Groups;
import chat.common.proto.Request.Hello;
import chat.common.proto.Request.History;
import chat.common.proto.Request.Invite;
import chat.common.proto.Request.Join;
import chat.common.proto.Request.Kick;
import chat.common.proto.Request.Leave;
import chat.common.proto.Request.Login;
import chat.common.proto.Request.Logout;
import chat.common.proto.Request.Members;
import chat.common.proto.Request.Msg;
import chat.common.proto.Request.Passwd;
import chat.common.proto.Request.Ping;
import chat.common.proto.Request.Quit;
import chat.common.proto.Request.Read;
import chat.common.proto.Request.Register;
import chat.common.proto.Request.Rename;
import chat.common.proto.Request.Requests;
import chat.common.proto.Request.Resume;
import chat.common.proto.Request.Search;
import chat.common.proto.Request.Stats;
import chat.common.proto.Request.Unread;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

class RequestTest {

    // ---- round trip ----

    /** What a client writes, the server reads as the same request, tagged or not. */
    @Property(tries = 3000)
    @StatisticsReport(onFailureOnly = true)
    void everyRequestSurvivesTheWire(@ForAll("requests") Request request, @ForAll("tags") String tag) {
        Line line = request.toLine(tag);
        String text = line.format();

        Line read = Line.parse(text);
        assertEquals(tag, read.tag(), text);
        assertEquals(request, Request.parse(read), text);

        Statistics.label("type").collect(request.getClass().getSimpleName());
        Statistics.label("type").coverage(c -> {
            for (Class<?> type : Request.class.getPermittedSubclasses()) {
                c.check(type.getSimpleName()).count(n -> n > 0);
            }
        });
    }

    @Property(tries = 500)
    void theLineIsTheCommandThenItsArguments(@ForAll("requests") Request request) {
        Line line = request.toLine(null);
        List<String> expected = new ArrayList<>();
        expected.add(request.command());
        expected.addAll(request.arguments());
        assertEquals(expected, line.fields());
    }

    @Provide
    Arbitrary<String> tags() {
        return Arbitraries.oneOf(Arbitraries.just(null), LineTest.validTags());
    }

    @Provide
    Arbitrary<Request> requests() {
        Arbitrary<String> s = LineTest.fields();
        Arbitrary<Long> id = Arbitraries.oneOf(Arbitraries.longs().between(0, Long.MAX_VALUE),
                Arbitraries.of(0L, 1L, Long.MAX_VALUE));
        Arbitrary<Integer> limit = Arbitraries.oneOf(Arbitraries.integers().between(1, Request.MAX_PAGE),
                Arbitraries.of(1, Request.MAX_PAGE));
        return Arbitraries.oneOf(List.of(
                Combinators.combine(Arbitraries.of("REGISTER", "RESIGER"), s, s).as(Register::new),
                s.map(Request.CheckName::new),
                Combinators.combine(s, s).as(Login::new),
                Combinators.combine(s, s, devices()).as(Login::new),
                Combinators.combine(s, s, devices()).as(Resume::new),
                Combinators.combine(clientNames(), s).as(Hello::new),
                Combinators.combine(s, s).as(Passwd::new),
                Arbitraries.just(new Contacts()),
                Arbitraries.just(new Logout()),
                Arbitraries.just(new Friends()),
                s.map(Find::new),
                s.map(Add::new),
                s.map(Accept::new),
                s.map(Decline::new),
                s.map(Del::new),
                Combinators.combine(s, s).as(Alias::new),
                s.map(ConnectClient::new),
                Combinators.combine(s, s, s).as(Msg::new),
                id.map(Ack::new),
                Combinators.combine(s, id, limit).as(History::new),
                Combinators.combine(s, limit).as(Search::new),
                Combinators.combine(s, Arbitraries.of(true, false)).as(Create::new),
                Combinators.combine(s, s).as(Rename::new),
                s.map(Disband::new),
                Combinators.combine(s, s).as(Invite::new),
                s.map(Join::new),
                Combinators.combine(s, s).as(Approve::new),
                Combinators.combine(s, s).as(Request.Reject::new),
                s.map(Request.DeclineInvite::new),
                Arbitraries.just(new Request.Invitations()),
                Arbitraries.of("", "anyone", "friends", "nobody").map(Request.InvitePolicy::new),
                s.map(Request.Block::new),
                s.map(Request.Unblock::new),
                Arbitraries.just(new Request.Blocks()),
                s.map(Requests::new),
                s.map(Leave::new),
                Combinators.combine(s, s).as(Kick::new),
                Arbitraries.just(new Groups()),
                s.map(Members::new),
                Combinators.combine(s, s, s).as(Group::new),
                Arbitraries.just(new Unread()),
                s.map(Read::new),
                Combinators.combine(s, id).as(Read::new),
                Arbitraries.just(new Ping()),
                Arbitraries.just(new Stats()),
                Arbitraries.just(new Quit()),
                Combinators.combine(s, s, s, sizes(), hashes()).as(Request.SendFile::new),
                fileIds().map(Request.FileUpload::new),
                fileIds().map(Request.FileGet::new),
                fileIds().map(Request.FileCancel::new),
                Arbitraries.just(new Request.Files()),
                Combinators.combine(s, s, ports()).as(Request.FileTran::new),
                Combinators.combine(s, s, ports(), s, Arbitraries.oneOf(sizes(), Arbitraries.just(Request.FileTran.NO_SIZE)),
                        s).as(Request.FileTran::new),
                Combinators.combine(s, sizes()).as(Request.Upload::new),
                Combinators.combine(s, sizes()).as(Request.Download::new),
                Arbitraries.just(new Request.Connections()),
                id.map(Request.Disconnect::new),
                Combinators.combine(s, Arbitraries.longs().between(0, Request.Ban.MAX_MINUTES), s).as(Request.Ban::new),
                s.map(Request.Unban::new),
                Arbitraries.just(new Request.Bans())));
    }

    static Arbitrary<Long> sizes() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, Long.MAX_VALUE), Arbitraries.of(0L, 1L, Long.MAX_VALUE));
    }

    static Arbitrary<Long> fileIds() {
        return Arbitraries.oneOf(Arbitraries.longs().between(1, Long.MAX_VALUE), Arbitraries.of(1L, Long.MAX_VALUE));
    }

    static Arbitrary<Integer> ports() {
        return Arbitraries.integers().between(0, 65535);
    }

    /** SHA-256s as the protocol writes them: 64 lower-case hex digits. */
    static Arbitrary<String> hashes() {
        return Arbitraries.strings().withCharRange('0', '9').withCharRange('a', 'f').ofLength(64);
    }

    /** Valid devices: 1 to 64 of A-Z a-z 0-9 - _ . (the default among them). */
    static Arbitrary<String> devices() {
        var chars = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withCharRange('0', '9')
                .withChars('-', '_', '.');
        return Arbitraries.oneOf(chars.ofMinLength(1).ofMaxLength(Request.MAX_DEVICE),
                chars.ofLength(Request.MAX_DEVICE), Arbitraries.just(Request.DEFAULT_DEVICE));
    }

    /** Client names of at most 64 characters, Chinese and emoji among them. */
    static Arbitrary<String> clientNames() {
        return LineTest.fields().filter(f -> f.codePointCount(0, f.length()) <= Hello.MAX_CLIENT_NAME);
    }

    /**
     * One of each, also the table the shape tests below walk through. Requests with optional
     * fields appear with their defaults and without.
     */
    static List<Request> oneOfEach() {
        return List.of(
                new Register("alice", "wonderland"),
                new Register("RESIGER", "alice", "wonderland"),
                new Request.CheckName("小红"),
                new Hello("chat-term 1.1 终端", "1.1"),
                new Login("alice", "wonderland"),
                new Login("alice", "wonderland", "term-7f3a9c"),
                new Resume("alice", "ab".repeat(32)),
                new Resume("alice", "ab".repeat(32), "phone.2"),
                new Passwd("wonderland", "looking glass"),
                new Contacts(),
                new Logout(),
                new Friends(),
                new Find("ali"),
                new Add("bob"),
                new Accept("bob"),
                new Decline("bob"),
                new Del("bob"),
                new Alias("小红", "Red: the best"),
                new ConnectClient("bob"),
                new Msg("bob", "m1", "hello: 100% 😀\nsecond line"),
                new Ack(42),
                new History("bob", 0, 50),
                new Search("hello", Request.MAX_PAGE),
                new Create("家人", true),
                new Create("work", false),
                new Rename("work", "work-2"),
                new Disband("work"),
                new Invite("work", "bob"),
                new Join("work"),
                new Approve("work", "bob"),
                new Request.Reject("work", "bob"),
                new Request.DeclineInvite("#work"),
                new Request.Invitations(),
                new Request.InvitePolicy(""),
                new Request.InvitePolicy("nobody"),
                new Request.Block("mallory"),
                new Request.Unblock("mallory"),
                new Request.Blocks(),
                new Requests("work"),
                new Leave("work"),
                new Kick("work", "bob"),
                new Groups(),
                new Members("work"),
                new Group("work", "g1", "hi all: 😀"),
                new Unread(),
                new Read("#work"),
                new Read("!42", 1234),
                new Ping(),
                new Stats(),
                new Quit(),
                new Request.SendFile("bob", "f1", "报告 v2: final.pdf", 1_048_576, HASH),
                new Request.SendFile("#team", "f2", "empty", 0, HASH),
                new Request.FileUpload(7),
                new Request.FileGet(7),
                new Request.FileCancel(7),
                new Request.Files(),
                new Request.FileTran("bob", "192.168.1.20", 40000),
                new Request.FileTran("bob", "192.168.1.20", 40000, "a.txt", 12, HASH),
                new Request.Upload("tok", 0),
                new Request.Download("tok", 1024),
                new Request.Connections(),
                new Request.Disconnect(12),
                new Request.Ban("bob", 0, "spam: again"),
                new Request.Ban("@10.0.0.7", 60, "flood"),
                new Request.Unban("@::1"),
                new Request.Bans());
    }

    @Example
    void theTableHasEveryType() {
        Set<Class<?>> covered = oneOfEach().stream().map(Object::getClass).collect(Collectors.toSet());
        assertEquals(Set.of(Request.class.getPermittedSubclasses()), covered);
    }

    @Example
    void theTableSurvivesTheWire() {
        for (Request r : oneOfEach()) {
            assertEquals(r, Request.parse(Line.parse(r.toLine("7").format())), r::toString);
            assertEquals(r, Request.parse(Line.parse(r.toLine(null).format())), r::toString);
        }
    }

    @Example
    void theArticlesLinesParse() {
        assertEquals(new Login("alice", "secret"), Request.parse(Line.parse("LOGIN:alice:secret")));
        assertEquals(new Msg("bob", "m1", "hello"), Request.parse(Line.parse("MSG:bob:m1:hello")));
        assertEquals(new History("bob", 0, 200), Request.parse(Line.parse("#9:HISTORY:bob:0:200")));
        assertEquals(new Alias("bob", ""), Request.parse(Line.parse("ALIAS:bob:")));
        assertEquals(new Msg("bob", "m1", "a:b"), Request.parse(Line.parse("MSG:bob:m1:a%3Ab")));
    }

    @Example
    void checkNameIsWrittenAsTheSpecSays() {
        assertEquals("#c:CHECK_NAME:Alice", new Request.CheckName("Alice").toLine("c").format());
        assertEquals(new Request.CheckName("a:b"), Request.parse(Line.parse("CHECK_NAME:a%3Ab")));
    }

    // ---- files ----

    @Example
    void fileRequestsAreWrittenAsTheSpecSays() {
        assertEquals("SEND_FILE:bob:f1:a%3Ab.txt:12:" + HASH, new Request.SendFile("bob", "f1", "a:b.txt", 12, HASH)
                .toLine(null).format());
        assertEquals("FileTran:bob:10.0.0.2:40000", new Request.FileTran("bob", "10.0.0.2", 40000).toLine(null).format());
        assertEquals("FileTran:bob:10.0.0.2:40000:a.txt:12:" + HASH,
                new Request.FileTran("bob", "10.0.0.2", 40000, "a.txt", 12, HASH).toLine(null).format());
        assertEquals(new Request.FileTran("bob", "10.0.0.2", 40000),
                Request.parse(Line.parse("FileTran:bob:10.0.0.2:40000:::")));
        assertEquals("UPLOAD:tok:5", new Request.Upload("tok", 5).toLine(null).format());
        assertEquals(new Request.Download("tok", 0), Request.parse(Line.parse("DOWNLOAD:tok:0")));
    }

    @Example
    void malformedFileRequestsAreBadRequests() {
        for (String text : List.of("SEND_FILE:bob:f1:a.txt:-1:" + HASH, "SEND_FILE:bob:f1:a.txt:12:" + HASH.toUpperCase(),
                "SEND_FILE:bob:f1:a.txt:12:" + HASH.substring(1), "SEND_FILE:bob:f1:a.txt:12", "FILE_GET:0",
                "FILE_GET:x", "FILE_UPLOAD", "FILE_CANCEL:-3", "FileTran:bob:1.2.3.4:70000", "FileTran:bob:1.2.3.4",
                "FileTran:bob:1.2.3.4:80:a:x:", "UPLOAD:tok", "UPLOAD:tok:-1", "DOWNLOAD:tok:x")) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> Request.parse(Line.parse(text)), text);
            assertEquals(ErrorCode.BAD_REQUEST, e.code(), text);
        }
    }

    @Example
    void fileNamesThatCouldNameAPathAreInvalid() {
        for (String bad : List.of("", ".", "..", "../../etc/passwd", "a/b", "a\\b", "nul\0", "tab\there", "del\u007f",
                "x".repeat(256), "文".repeat(86))) {
            assertFalse(FileOffer.validName(bad), bad);
        }
        for (String good : List.of("a.txt", "...", ".hidden", "报告 v2: final.pdf", "😀.png", "x".repeat(255),
                "文".repeat(85))) {
            assertTrue(FileOffer.validName(good), good);
        }
    }

    static final String HASH = "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12";

    // ---- RESIGER ----

    @Example
    void resigerIsRegisterSpelledTheArticlesWay() {
        Request r = Request.parse(Line.parse("RESIGER:alice:wonderland"));
        assertEquals(new Register("RESIGER", "alice", "wonderland"), r);
        Register reg = (Register) r;
        assertEquals("alice", reg.name());
        assertEquals("wonderland", reg.password());
        assertEquals("RESIGER", reg.command());
        assertEquals("RESIGER:alice:wonderland", r.toLine(null).format());
        assertEquals("#1:RESIGER:alice:wonderland", r.toLine("1").format());
    }

    @Example
    void registerIsSpelledRegisterByDefault() {
        Register r = new Register("alice", "wonderland");
        assertEquals("REGISTER", r.spelling());
        assertEquals("REGISTER:alice:wonderland", r.toLine(null).format());
        assertEquals(r, Request.parse(Line.parse("REGISTER:alice:wonderland")));
    }

    // ---- shapes ----

    /** Every command's shape, as the error message names it; optional fields in brackets. */
    static final Map<String, String> SHAPES = new LinkedHashMap<>();

    static {
        SHAPES.put("HELLO", "HELLO:client-name:protocol-version");
        SHAPES.put("REGISTER", "REGISTER:name:password");
        SHAPES.put("RESIGER", "RESIGER:name:password");
        SHAPES.put("CHECK_NAME", "CHECK_NAME:name");
        SHAPES.put("LOGIN", "LOGIN:name:password[:device]");
        SHAPES.put("RESUME", "RESUME:name:token[:device]");
        SHAPES.put("PASSWD", "PASSWD:old-password:new-password");
        SHAPES.put("CONTACTS", "CONTACTS");
        SHAPES.put("LOGOUT", "LOGOUT");
        SHAPES.put("FRIENDS", "FRIENDS");
        SHAPES.put("FIND", "FIND:text");
        SHAPES.put("ADD", "ADD:name");
        SHAPES.put("ACCEPT", "ACCEPT:name");
        SHAPES.put("DECLINE", "DECLINE:name");
        SHAPES.put("DEL", "DEL:name");
        SHAPES.put("ALIAS", "ALIAS:name:alias");
        SHAPES.put("CONNECT_CLIENT", "CONNECT_CLIENT:name");
        SHAPES.put("MSG", "MSG:name:client-id:text");
        SHAPES.put("ACK", "ACK:message-id");
        SHAPES.put("HISTORY", "HISTORY:name:before-id:limit");
        SHAPES.put("SEARCH", "SEARCH:text:limit");
        SHAPES.put("CREATE", "CREATE:group:open|closed");
        SHAPES.put("RENAME", "RENAME:group:new-name");
        SHAPES.put("DISBAND", "DISBAND:group");
        SHAPES.put("INVITE", "INVITE:group:name");
        SHAPES.put("JOIN", "JOIN:group");
        SHAPES.put("APPROVE", "APPROVE:group:name");
        SHAPES.put("REQUESTS", "REQUESTS:group");
        SHAPES.put("LEAVE", "LEAVE:group");
        SHAPES.put("KICK", "KICK:group:name");
        SHAPES.put("GROUPS", "GROUPS");
        SHAPES.put("MEMBERS", "MEMBERS:group");
        SHAPES.put("GROUP", "GROUP:group:client-id:text");
        SHAPES.put("UNREAD", "UNREAD");
        SHAPES.put("READ", "READ:conversation[:up-to-id]");
        SHAPES.put("PING", "PING");
        SHAPES.put("STATS", "STATS");
        SHAPES.put("QUIT", "QUIT");
        SHAPES.put("SEND_FILE", "SEND_FILE:to:client-id:name:size:sha256");
        SHAPES.put("FILE_UPLOAD", "FILE_UPLOAD:file-id");
        SHAPES.put("FILE_GET", "FILE_GET:file-id");
        SHAPES.put("FILE_CANCEL", "FILE_CANCEL:file-id");
        SHAPES.put("FILES", "FILES");
        SHAPES.put("FileTran", "FileTran:name:ip:port[:file-name:size:sha256]");
        SHAPES.put("UPLOAD", "UPLOAD:token:offset");
        SHAPES.put("DOWNLOAD", "DOWNLOAD:token:offset");
        SHAPES.put("REJECT", "REJECT:group:name");
        SHAPES.put("CONNECTIONS", "CONNECTIONS");
        SHAPES.put("DISCONNECT", "DISCONNECT:connection-id");
        SHAPES.put("BAN", "BAN:target:minutes:reason");
        SHAPES.put("UNBAN", "UNBAN:target");
        SHAPES.put("BANS", "BANS");
        SHAPES.put("DECLINE_INVITE", "DECLINE_INVITE:group");
        SHAPES.put("INVITATIONS", "INVITATIONS");
        SHAPES.put("INVITE_POLICY", "INVITE_POLICY[:anyone|friends|nobody]");
        SHAPES.put("BLOCK", "BLOCK:name");
        SHAPES.put("UNBLOCK", "UNBLOCK:name");
        SHAPES.put("BLOCKS", "BLOCKS");
    }

    @Example
    void theShapeTableHasEveryCommand() {
        Set<String> commands = oneOfEach().stream().map(Request::command).collect(Collectors.toSet());
        assertEquals(commands, SHAPES.keySet());
        assertEquals(Vocabulary.REQUESTS, SHAPES.keySet());
    }

    /** How many fields a command requires: those of its shape outside brackets. */
    private static int required(String command) {
        String shape = SHAPES.get(command);
        int bracket = shape.indexOf('[');
        return (int) (bracket < 0 ? shape : shape.substring(0, bracket)).chars().filter(c -> c == ':').count();
    }

    /** How many fields a command knows, optional ones included. */
    private static int known(String command) {
        return (int) SHAPES.get(command).chars().filter(c -> c == ':').count();
    }

    /**
     * Too few fields (one fewer than required, and none at all) is bad-request, with a message that
     * names the command's shape and how many came.
     */
    @Example
    void tooFewFieldsAreBadRequests() {
        for (Request r : oneOfEach()) {
            int required = required(r.command());
            if (required == 0) {
                continue;
            }
            for (List<String> a : List.of(r.arguments().subList(0, required - 1), List.<String>of())) {
                List<String> fields = new ArrayList<>();
                fields.add(r.command());
                fields.addAll(a);
                Line line = new Line(null, fields);
                ProtocolException e = assertThrows(ProtocolException.class, () -> Request.parse(line), line::format);
                assertEquals(ErrorCode.BAD_REQUEST, e.code(), line::format);
                String shape = SHAPES.get(r.command());
                assertTrue(e.getMessage().contains(shape), () -> line.format() + " -> " + e.getMessage());
                assertTrue(e.getMessage().contains("not " + a.size()), () -> line.format() + " -> " + e.getMessage());
            }
        }
    }

    /**
     * Forward compatibility: a newer client may send fields this server does not know. After every
     * field a command knows, more fields change nothing.
     */
    @Example
    void extraTrailingFieldsAreIgnored() {
        Set<String> checked = new java.util.HashSet<>();
        for (Request r : oneOfEach()) {
            if (r.arguments().size() < known(r.command())) {
                continue; // its optional fields are left out: an extra field would be one of them
            }
            if (ENDS_WITH_TEXT.contains(r.command())) {
                checked.add(r.command()); // its text takes the rest of the line: see below
                continue;
            }
            for (List<String> extra : List.of(List.of("1"), List.of("x", ""), List.of("新", "😀", "a:b"))) {
                Line line = new Line("9", append(r.toLine("9").fields(), extra.toArray(String[]::new)));
                assertEquals(r, Request.parse(Line.parse(line.format())), line::format);
            }
            checked.add(r.command());
        }
        assertEquals(SHAPES.keySet(), checked, "every command is checked with all its fields");
    }

    @Property(tries = 500)
    void extraTrailingFieldsAreIgnoredWhateverTheyHold(@ForAll("requests") Request request,
            @ForAll("extraFields") List<String> extra) {
        Line full = request.toLine(null);
        if (request.arguments().size() < known(request.command()) || ENDS_WITH_TEXT.contains(request.command())) {
            return;
        }
        Line line = new Line(null, append(full.fields(), extra.toArray(String[]::new)));
        assertEquals(request, Request.parse(Line.parse(line.format())), line::format);
    }

    @Provide
    Arbitrary<List<String>> extraFields() {
        return LineTest.fields().list().ofMinSize(1).ofMaxSize(4);
    }

    @Example
    void aWrongFieldCountMessageReadsWell() {
        ProtocolException e = assertThrows(ProtocolException.class, () -> Request.parse(Line.parse("LOGIN:alice")));
        assertEquals("LOGIN takes at least 2 fields (LOGIN:name:password[:device]), not 1", e.getMessage());
        e = assertThrows(ProtocolException.class, () -> Request.parse(Line.parse("ADD")));
        assertEquals("ADD takes at least 1 field (ADD:name), not 0", e.getMessage());
    }

    /** The requests whose last field is free text, which takes the rest of the line. */
    static final Set<String> ENDS_WITH_TEXT = Set.of("MSG", "GROUP");

    /**
     * A colon typed in a message without escaping stays in the text: a message's text takes the
     * rest of the line, so nothing a person types into nc is dropped. Other requests ignore what
     * follows their fields.
     */
    @Example
    void anUnescapedColonStaysInTheMessage() {
        assertEquals(new Msg("bob", "m1", "see: this"), Request.parse(Line.parse("MSG:bob:m1:see: this")));
        assertEquals(new Group("team", "m2", "a:b::c"), Request.parse(Line.parse("GROUP:team:m2:a:b::c")));
        assertEquals(new Ping(), Request.parse(Line.parse("PING:x")));
    }

    // ---- optional fields ----

    @Example
    void aLoginWithoutDeviceIsTheDefaultDevice() {
        assertEquals(new Login("alice", "secret", "default"), Request.parse(Line.parse("LOGIN:alice:secret")));
        assertEquals(new Login("alice", "secret", "default"), Request.parse(Line.parse("LOGIN:alice:secret:")));
        assertEquals(new Login("alice", "secret", "term-7f3a9c"),
                Request.parse(Line.parse("LOGIN:alice:secret:term-7f3a9c")));
        assertEquals(new Resume("alice", "t0k", "default"), Request.parse(Line.parse("RESUME:alice:t0k")));
        assertEquals(new Resume("alice", "t0k", "A.b_c-9"), Request.parse(Line.parse("RESUME:alice:t0k:A.b_c-9")));
        // The default device is left out, so that a 1.0 server reads the line too.
        assertEquals("LOGIN:alice:secret", new Login("alice", "secret").toLine(null).format());
        assertEquals("LOGIN:alice:secret:phone", new Login("alice", "secret", "phone").toLine(null).format());
        assertEquals("RESUME:alice:t0k", new Resume("alice", "t0k").toLine(null).format());
    }

    @Example
    void aDeviceIsUpTo64SafeCharacters() {
        String longest = "d".repeat(Request.MAX_DEVICE);
        assertEquals(longest, ((Login) Request.parse(Line.parse("LOGIN:a:b:" + longest))).device());
        for (String bad : List.of("d".repeat(Request.MAX_DEVICE + 1), "my phone", "手机", "a/b", "a%25b", "😀")) {
            for (String command : List.of("LOGIN", "RESUME")) {
                Line line = Line.of(null, command, "alice", "secret", bad);
                ProtocolException e = assertThrows(ProtocolException.class, () -> Request.parse(line), line::format);
                assertEquals(ErrorCode.BAD_REQUEST, e.code(), line::format);
            }
        }
        assertTrue(Request.validDevice("term-7f3a9c"));
        assertFalse(Request.validDevice(""));
    }

    @Example
    void readTakesAnOptionalUpToId() {
        assertEquals(new Read("bob", 0), Request.parse(Line.parse("READ:bob")));
        assertEquals(new Read("bob", 0), Request.parse(Line.parse("READ:bob:0")));
        assertEquals(new Read("!42", 17), Request.parse(Line.parse("READ:!42:17")));
        assertEquals("READ:bob", new Read("bob").toLine(null).format());
        assertEquals("READ:#team:17", new Read("#team", 17).toLine(null).format());
        for (String text : List.of("READ:bob:x", "READ:bob:-1", "READ:bob:", "READ:bob:1.0")) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> Request.parse(Line.parse(text)), text);
            assertEquals(ErrorCode.BAD_REQUEST, e.code(), text);
        }
    }

    @Example
    void helloNamesTheClientInUpTo64Characters() {
        assertEquals(new Hello("chat-term", "1.1"), Request.parse(Line.parse("HELLO:chat-term:1.1")));
        String longest = "终".repeat(Hello.MAX_CLIENT_NAME);
        assertEquals(new Hello(longest, "1.1"), Request.parse(Line.of(null, "HELLO", longest, "1.1")));
        String emoji = "😀".repeat(Hello.MAX_CLIENT_NAME); // 128 chars of UTF-16, 64 characters
        assertEquals(new Hello(emoji, "1.1"), Request.parse(Line.of(null, "HELLO", emoji, "1.1")));
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> Request.parse(Line.of(null, "HELLO", longest + "x", "1.1")));
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
        e = assertThrows(ProtocolException.class, () -> Request.parse(Line.parse("HELLO:chat-term")));
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
    }

    // ---- unknown commands ----

    @Example
    void unknownCommandsAreUnknown() {
        for (String text : List.of("HOLA", "HOLA:x", "login:alice:secret", "Ping", "REGISTERX:a:b", "RESIGN:a:b",
                "#7:HOLA", "#t1:", "", ":PING", " PING", "PING ", "#bad tag:PING", "#t1", "PONG", "ERR:x:y",
                "MESSAGE:1:2:a:b::c:d", "FRIEND:bob::1")) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> Request.parse(Line.parse(text)), text);
            assertEquals(ErrorCode.UNKNOWN_COMMAND, e.code(), text);
        }
    }

    @Example
    void theUnknownCommandIsNamed() {
        ProtocolException e = assertThrows(ProtocolException.class, () -> Request.parse(Line.parse("HOLA")));
        assertEquals("unknown command HOLA", e.getMessage());
    }

    // ---- numbers ----

    @Example
    void badNumbersAreBadRequests() {
        List<String> bad = List.of(
                "ACK:-1", "ACK:x", "ACK:", "ACK:1.5", "ACK: 1", "ACK:1 ", "ACK:0x10", "ACK:+1", "ACK:１２", "ACK:١٢",
                "ACK:99999999999999999999", "ACK:9223372036854775808",
                "HISTORY:bob:-1:10", "HISTORY:bob:x:10", "HISTORY:bob::10", "HISTORY:bob:0:0", "HISTORY:bob:0:-1",
                "HISTORY:bob:0:201", "HISTORY:bob:0:x", "HISTORY:bob:0:", "HISTORY:bob:0:99999999999",
                "HISTORY:bob:0:4294967297",
                "SEARCH:hi:0", "SEARCH:hi:201", "SEARCH:hi:-5", "SEARCH:hi:ten", "SEARCH:hi:", "SEARCH:hi:2147483648");
        for (String text : bad) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> Request.parse(Line.parse(text)), text);
            assertEquals(ErrorCode.BAD_REQUEST, e.code(), text);
        }
    }

    @Example
    void numbersAtTheirBoundsAreFine() {
        assertEquals(new Ack(0), Request.parse(Line.parse("ACK:0")));
        assertEquals(new Ack(Long.MAX_VALUE), Request.parse(Line.parse("ACK:" + Long.MAX_VALUE)));
        assertEquals(new Ack(7), Request.parse(Line.parse("ACK:007")));
        assertEquals(new History("bob", 0, 1), Request.parse(Line.parse("HISTORY:bob:0:1")));
        assertEquals(new History("bob", 99, Request.MAX_PAGE), Request.parse(Line.parse("HISTORY:bob:99:200")));
        assertEquals(new Search("hi", 1), Request.parse(Line.parse("SEARCH:hi:1")));
        assertEquals(new Search("hi", 200), Request.parse(Line.parse("SEARCH:hi:200")));
        assertEquals(200, Request.MAX_PAGE);
    }

    @Example
    void aBadNumberMessageNamesTheField() {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> Request.parse(Line.parse("HISTORY:bob:x:10")));
        assertTrue(e.getMessage().contains("before-id"), e.getMessage());
        e = assertThrows(ProtocolException.class, () -> Request.parse(Line.parse("SEARCH:hi:500")));
        assertTrue(e.getMessage().contains("limit") && e.getMessage().contains("500"), e.getMessage());
        e = assertThrows(ProtocolException.class, () -> Request.parse(Line.parse("ACK:-3")));
        assertTrue(e.getMessage().contains("message-id"), e.getMessage());
    }

    // ---- groups ----

    @Example
    void aGroupIsOpenOrClosed() {
        assertEquals(new Create("work", true), Request.parse(Line.parse("CREATE:work:open")));
        assertEquals(new Create("work", false), Request.parse(Line.parse("CREATE:work:closed")));
        assertEquals("CREATE:work:open", new Create("work", true).toLine(null).format());
        assertEquals("CREATE:work:closed", new Create("work", false).toLine(null).format());
        for (String text : List.of("CREATE:work:", "CREATE:work:OPEN", "CREATE:work:true", "CREATE:work:1",
                "CREATE:work:open ")) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> Request.parse(Line.parse(text)), text);
            assertEquals(ErrorCode.BAD_REQUEST, e.code(), text);
        }
    }

    // ---- passwords stay out of logs ----

    @Example
    void toStringHidesThePassword() {
        String password = "correct horse battery staple";
        for (Request r : List.of(new Register("alice", password), new Register("RESIGER", "alice", password),
                new Login("alice", password), Request.parse(Line.parse("LOGIN:alice:" + password)),
                Request.parse(Line.parse("RESIGER:alice:" + password)), new Login("alice", password, "phone"),
                new Resume("alice", password), new Resume("alice", password, "phone"))) {
            assertFalse(r.toString().contains(password), r::toString);
            assertFalse(r.toString().contains("horse"), r::toString);
            assertTrue(r.toString().contains("alice"), r::toString);
        }
    }

    @Example
    void toStringHidesBothPasswordsOfPasswd() {
        String text = new Passwd("correct horse", "battery staple").toString();
        assertFalse(text.contains("horse") || text.contains("staple"), text);
    }

    private static List<String> append(List<String> list, String... more) {
        List<String> out = new ArrayList<>(list);
        out.addAll(Arrays.asList(more));
        return out;
    }
}
