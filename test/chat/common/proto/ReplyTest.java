package chat.common.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Replies.AddOk;
import chat.common.proto.Replies.ConnectClientOk;
import chat.common.proto.Replies.CreateOk;
import chat.common.proto.Replies.HelloOk;
import chat.common.proto.Replies.JoinOk;
import chat.common.proto.Replies.LoginOk;
import chat.common.proto.Replies.ReadOk;
import chat.common.proto.Replies.RegisterOk;
import chat.common.proto.Replies.RenameOk;
import chat.common.proto.Replies.ResumeOk;
import chat.common.proto.Replies.SentOk;
import java.util.ArrayList;
import java.util.List;
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

class ReplyTest {

    // ---- round trip ----

    /** A typed result the server writes, the client reads back as the same result, with its tag. */
    @Property(tries = 3000)
    @StatisticsReport(onFailureOnly = true)
    void everyResultSurvivesTheWire(@ForAll("answers") ProtoGen.Answer answer, @ForAll("tags") String tag) {
        Reply.Ok ok = Reply.ok(tag, answer.command(), answer.result());
        String text = ok.toLine().format();

        Reply read = Reply.parse(Line.parse(text));
        assertEquals(ok, read, text);
        assertEquals(tag, read.tag(), text);
        assertTrue(read.ok(), text);
        assertEquals(answer.result(), read.as(answer.result().getClass()), text);

        Statistics.label("type").collect(answer.result().getClass().getSimpleName());
        Statistics.label("type").coverage(c -> {
            for (Class<?> type : Replies.Result.class.getPermittedSubclasses()) {
                c.check(type.getSimpleName()).count(k -> k > 0);
            }
        });
    }

    @Property(tries = 1000)
    void failuresSurviveTheWire(@ForAll("failures") Reply.Fail fail) {
        String text = fail.toLine().format();
        Reply read = Reply.parse(Line.parse(text));
        assertEquals(fail, read, text);
        assertFalse(read.ok(), text);
        ProtocolException e = assertThrows(ProtocolException.class, () -> read.as(SentOk.class), text);
        assertEquals(fail.code(), e.code(), text);
        assertEquals(fail.message(), e.getMessage(), text);
    }

    @Property(tries = 300)
    void listHeadsSurviveTheWire(@ForAll("listHeads") Reply.ListHead head) {
        assertEquals(head, Reply.parse(Line.parse(head.toLine().format())));
    }

    /** A newer server may add results: the typed result ignores them. */
    @Property(tries = 1000)
    void extraTrailingResultsAreIgnored(@ForAll("answers") ProtoGen.Answer answer, @ForAll("extra") List<String> extra) {
        List<String> fields = new ArrayList<>(Reply.ok(null, answer.command(), answer.result()).toLine().fields());
        fields.addAll(extra);
        Reply read = Reply.parse(Line.parse(new Line(null, fields).format()));
        assertEquals(answer.result(), read.as(answer.result().getClass()));
    }

    @Provide
    Arbitrary<ProtoGen.Answer> answers() {
        return ProtoGen.answers();
    }

    @Provide
    Arbitrary<String> tags() {
        return Arbitraries.oneOf(Arbitraries.just(null), LineTest.validTags());
    }

    @Provide
    Arbitrary<List<String>> extra() {
        return ProtoGen.text().list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<Reply.Fail> failures() {
        Arbitrary<String> command = Arbitraries.of(Vocabulary.REQUESTS.toArray(String[]::new));
        Arbitrary<ErrorCode> code = Arbitraries.of(ErrorCode.class);
        return Arbitraries.oneOf(
                Combinators.combine(tags(), command, code, ProtoGen.text()).as(Reply::fail),
                Combinators.combine(tags(), code, ProtoGen.text()).as(Reply::err));
    }

    @Provide
    Arbitrary<Reply.ListHead> listHeads() {
        return Combinators.combine(tags(), Arbitraries.of(Vocabulary.LISTS.toArray(String[]::new)), ProtoGen.counts())
                .as(Reply.ListHead::new);
    }

    // ---- the table ----

    static final List<ProtoGen.Answer> ONE_OF_EACH = List.of(
            new ProtoGen.Answer("HELLO", new HelloOk("chat 1.1.0", HelloOk.CAPS_1_1)),
            new ProtoGen.Answer("LOGIN", new LoginOk(53412, "Alice", "term-7f3a9c", "0f".repeat(32))),
            new ProtoGen.Answer("RESUME", new ResumeOk(53412, "Alice", "phone")),
            new ProtoGen.Answer("MSG", new SentOk(120, 1_700_000_000_000L, "c-1")),
            new ProtoGen.Answer("RESIGER", new RegisterOk("小红")),
            new ProtoGen.Answer("ADD", new AddOk(true)),
            new ProtoGen.Answer("CHECK_NAME", new Replies.CheckNameOk(true)),
            new ProtoGen.Answer("JOIN", new JoinOk(false, 12)),
            new ProtoGen.Answer("INVITE", new Replies.InviteOk(false)),
            new ProtoGen.Answer("INVITE_POLICY", new Replies.InvitePolicyOk("friends")),
            new ProtoGen.Answer("READ", new ReadOk(120)),
            new ProtoGen.Answer("CREATE", new CreateOk("team", 12)),
            new ProtoGen.Answer("RENAME", new RenameOk("团队")),
            new ProtoGen.Answer("CONNECT_CLIENT", new ConnectClientOk("bob", "10.0.0.2", 40000)),
            new ProtoGen.Answer("SEND_FILE", new Replies.SendFileOk(7, 121, 1_700_000_000_000L, "f1", "tok", 0)),
            new ProtoGen.Answer("FILE_UPLOAD", new Replies.FileUploadOk("tok", 4096)),
            new ProtoGen.Answer("FILE_GET", new Replies.FileGetOk("tok", 12, "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12", "报告.pdf")),
            new ProtoGen.Answer("UPLOAD", new Replies.UploadOk(7)),
            new ProtoGen.Answer("DOWNLOAD", new Replies.DownloadOk(12)),
            new ProtoGen.Answer("BAN", new Replies.BanOk(1_700_000_060_000L)));

    static final List<String> WIRE = List.of(
            "#1:HELLO:true:chat 1.1.0:resume,multi-device,contacts,events",
            "#1:LOGIN:true:53412:Alice:term-7f3a9c:" + "0f".repeat(32),
            "#1:RESUME:true:53412:Alice:phone",
            "#1:MSG:true:120:1700000000000:c-1",
            "#1:RESIGER:true:小红",
            "#1:ADD:true:friends",
            "#1:CHECK_NAME:true:taken",
            "#1:JOIN:true:requested:12",
            "#1:INVITE:true:invited",
            "#1:INVITE_POLICY:true:friends",
            "#1:READ:true:120",
            "#1:CREATE:true:team:12",
            "#1:RENAME:true:团队",
            "#1:CONNECT_CLIENT:true:bob:10.0.0.2:40000",
            "#1:SEND_FILE:true:7:121:1700000000000:f1:tok:0",
            "#1:FILE_UPLOAD:true:tok:4096",
            "#1:FILE_GET:true:tok:12:ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12:报告.pdf",
            "#1:UPLOAD:true:7",
            "#1:DOWNLOAD:true:12");

    @Example
    void theTableHasEveryResult() {
        Set<Class<?>> covered = ONE_OF_EACH.stream().map(a -> a.result().getClass()).collect(Collectors.toSet());
        assertEquals(Set.of(Replies.Result.class.getPermittedSubclasses()), covered);
    }

    @Example
    void eachResultIsWrittenAsTheSpecSays() {
        for (int i = 0; i < WIRE.size(); i++) {
            ProtoGen.Answer a = ONE_OF_EACH.get(i);
            assertEquals(WIRE.get(i), Reply.ok("1", a.command(), a.result()).toLine().format());
            assertEquals(a.result(), Reply.parse(Line.parse(WIRE.get(i))).as(a.result().getClass()));
        }
    }

    @Example
    void aReplyTakesItsNameFromTheRequest() {
        Request r = Request.parse(Line.parse("RESIGER:alice:wonderland"));
        assertEquals("#4:RESIGER:true:alice", Reply.ok("4", r, new RegisterOk("alice")).toLine().format());
        Request g = new Request.Group("team", "c-1", "hi");
        assertEquals("GROUP:true:1:2:c-1", Reply.ok(null, g, new SentOk(1, 2, "c-1")).toLine().format());
    }

    @Example
    void failuresAndErrorsAreWrittenAsTheSpecSays() {
        assertEquals("#2:LOGIN:false:auth-failed:wrong name or password",
                Reply.fail("2", "LOGIN", ErrorCode.AUTH_FAILED, "wrong name or password").toLine().format());
        assertEquals("ERR:unknown-command:unknown command HOLA",
                Reply.err(null, ErrorCode.UNKNOWN_COMMAND, "unknown command HOLA").toLine().format());
        assertEquals("PASSWD:true", Reply.ok(null, "PASSWD").toLine().format());
        assertEquals("PING:true", Reply.ok(null, "PING").toLine().format());
    }

    // ---- forward compatibility ----

    @Example
    void anUnknownErrorCodeReadsAsUnknown() {
        Reply r = Reply.parse(Line.parse("#3:MSG:false:rate-limited:slow down"));
        Reply.Fail f = assertInstanceOf(Reply.Fail.class, r);
        assertEquals(ErrorCode.UNKNOWN, f.code());
        assertEquals("slow down", f.message());
        Reply.Fail err = assertInstanceOf(Reply.Fail.class, Reply.parse(Line.parse("ERR:too-new")));
        assertEquals(ErrorCode.UNKNOWN, err.code());
        assertEquals(Reply.ERR, err.command());
        assertEquals("", err.message());
    }

    /** A 1.0 server's LOGIN has no device and no token: they read as the default and none. */
    @Example
    void aShortLoginReadsWithDefaults() {
        assertEquals(new LoginOk(53412, "alice", "default", ""),
                Reply.parse(Line.parse("LOGIN:true:53412:alice")).as(LoginOk.class));
    }

    /** A 1.0 server's CREATE and JOIN carry no group id: it reads as unknown, not as the lobby's 0. */
    @Example
    void aGroupReplyWithoutAnIdReadsAsUnknown() {
        assertEquals(new CreateOk("team", JoinOk.UNKNOWN_ID), Reply.parse(Line.parse("CREATE:true:team")).as(CreateOk.class));
        assertEquals(new JoinOk(true, JoinOk.UNKNOWN_ID), Reply.parse(Line.parse("JOIN:true:joined")).as(JoinOk.class));
        assertEquals(new Replies.InviteOk(true), Reply.parse(Line.parse("INVITE:true")).as(Replies.InviteOk.class),
                "a 1.3 server's invitee is a member at once");
    }

    @Example
    void aListCommandsTrueIsAHead() {
        assertEquals(new Reply.ListHead("5", "CONTACTS", 3), Reply.parse(Line.parse("#5:CONTACTS:true:3")));
        assertEquals(new Reply.Ok(null, "READ", List.of("3")), Reply.parse(Line.parse("READ:true:3")));
        assertEquals(new Reply.Fail(null, "FRIENDS", ErrorCode.NOT_LOGGED_IN, "log in first"),
                Reply.parse(Line.parse("FRIENDS:false:not-logged-in:log in first")));
        ProtocolException e = assertThrows(ProtocolException.class, () -> Reply.parse(Line.parse("GROUPS:true:3")).as(CreateOk.class));
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
    }

    // ---- malformed ----

    @Example
    void whatIsNoReplyIsABadRequest() {
        for (String text : List.of("PONG", "SYNCED", "LOGIN", "LOGIN:maybe", "LOGIN:false", "ERR", "FRIENDS:true",
                "FRIENDS:true:x", "FRIENDS:true:-1")) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> Reply.parse(Line.parse(text)), text);
            assertEquals(ErrorCode.BAD_REQUEST, e.code(), text);
        }
    }

    @Example
    void malformedResultsAreBadRequests() {
        List<String[]> cases = List.of(
                new String[] {"LOGIN:true:x:alice", "LoginOk"}, new String[] {"LOGIN:true:70000:alice", "LoginOk"},
                new String[] {"LOGIN:true:1", "LoginOk"}, new String[] {"MSG:true:1:2", "SentOk"},
                new String[] {"ADD:true:maybe", "AddOk"},
                new String[] {"CHECK_NAME:true:maybe", "CheckNameOk"}, new String[] {"CHECK_NAME:true", "CheckNameOk"}, new String[] {"JOIN:true:", "JoinOk"},
                new String[] {"READ:true", "ReadOk"}, new String[] {"CONNECT_CLIENT:true:bob:1.2.3.4:x", "ConnectClientOk"},
                new String[] {"HELLO:true:1.1", "HelloOk"});
        for (String[] c : cases) {
            Reply r = Reply.parse(Line.parse(c[0]));
            Class<? extends Replies.Result> type = ONE_OF_EACH.stream().map(a -> a.result().getClass())
                    .filter(t -> t.getSimpleName().equals(c[1])).findFirst().orElseThrow();
            ProtocolException e = assertThrows(ProtocolException.class, () -> r.as(type), c[0]);
            assertEquals(ErrorCode.BAD_REQUEST, e.code(), c[0]);
        }
    }

    @Example
    void theTokenStaysOutOfLogs() {
        String token = "0f".repeat(32);
        LoginOk ok = new LoginOk(1, "alice", "phone", token);
        assertFalse(ok.toString().contains(token), ok::toString);
        assertTrue(ok.toString().contains("alice"), ok::toString);
    }

    @Example
    void checkNameSaysFreeOrTakenAndABadNameIsAFailure() {
        assertEquals("CHECK_NAME:true:free", Reply.ok(null, new Request.CheckName("bob"), new Replies.CheckNameOk(false))
                .toLine().format());
        assertFalse(Reply.parse(Line.parse("#c:CHECK_NAME:true:free")).as(Replies.CheckNameOk.class).taken());
        Reply bad = Reply.parse(Line.parse("#c:CHECK_NAME:false:bad-name:a name must not be empty"));
        ProtocolException e = assertThrows(ProtocolException.class, () -> bad.as(Replies.CheckNameOk.class));
        assertEquals(ErrorCode.BAD_NAME, e.code());
        assertEquals("a name must not be empty", e.getMessage());
    }

    @Example
    void capsAreAList() {
        HelloOk hello = Reply.parse(Line.parse("HELLO:true:1.1:resume,events")).as(HelloOk.class);
        assertTrue(hello.has(HelloOk.RESUME));
        assertFalse(hello.has(HelloOk.CONTACTS));
        assertEquals(List.of(), Reply.parse(Line.parse("HELLO:true:1.1:")).as(HelloOk.class).caps());
    }

    /** 1.4's seconds after a throttled failure's message: read when there, 0 otherwise, never in the message. */
    @Example
    void aThrottledFailureCarriesItsSecondsAfterTheMessage() {
        Line line = Line.parse("#7:LOGIN:false:throttled:too many password attempts for this account; try again in 30 s:30");
        assertEquals(30, Reply.retryAfterSeconds(line));
        Reply.Fail f = assertInstanceOf(Reply.Fail.class, Reply.parse(line));
        assertEquals("too many password attempts for this account; try again in 30 s", f.message());
        assertEquals(0, Reply.retryAfterSeconds(Line.parse("LOGIN:false:throttled:too many failed logins")), "a 1.3 server's");
        assertEquals(0, Reply.retryAfterSeconds(Line.parse("LOGIN:false:throttled:wait:soon")), "not a number: ignored");
        assertEquals(0, Reply.retryAfterSeconds(Line.parse("LOGIN:false:busy:wait:30")), "only throttled has them");
        assertEquals(0, Reply.retryAfterSeconds(Line.parse("HELLO:true:1.4.0:resume:30")));
    }
}
