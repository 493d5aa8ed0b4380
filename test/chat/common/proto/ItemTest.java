package chat.common.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Item.Friend;
import chat.common.proto.Item.GroupInfo;
import chat.common.proto.Item.FileInfo;
import chat.common.proto.Item.Hist;
import chat.common.proto.Item.HistFile;
import chat.common.proto.Item.JoinRequested;
import chat.common.proto.Item.Member;
import chat.common.proto.Item.Pending;
import chat.common.proto.Item.UnreadCount;
import chat.common.proto.Item.Unknown;
import chat.common.proto.Item.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

class ItemTest {

    // ---- round trip ----

    /** What the server writes after a list head, a client reads as the same item, with the tag. */
    @Property(tries = 3000)
    @StatisticsReport(onFailureOnly = true)
    void everyItemSurvivesTheWire(@ForAll("items") Item item, @ForAll("tags") String tag) {
        String text = item.toLine(tag).format();
        Line read = Line.parse(text);
        assertEquals(tag, read.tag(), text);
        assertEquals(item, Item.parse(read), text);

        Statistics.label("type").collect(item instanceof GroupInfo g && g.brief() ? "GroupInfo.brief"
                : item.getClass().getSimpleName());
        Statistics.label("type").coverage(c -> {
            for (Class<?> type : Item.class.getPermittedSubclasses()) {
                c.check(type.getSimpleName()).count(k -> k > 0);
            }
            c.check("GroupInfo.brief").count(k -> k > 0);
        });
    }

    @Property(tries = 1000)
    void extraTrailingFieldsAreIgnored(@ForAll("items") Item item, @ForAll("extra") List<String> extra) {
        if (item instanceof Unknown || item instanceof GroupInfo g && g.brief()) {
            return; // Unknown keeps whatever came; a brief GROUP_INFO's next fields are its optional ones
        }
        List<String> fields = new ArrayList<>(item.toLine().fields());
        fields.addAll(extra);
        Line line = Line.parse(new Line(null, fields).format());
        assertEquals(item, Item.parse(line), line::format);
    }

    @Property(tries = 300)
    void anUnknownNameIsAnUnknownItem(@ForAll("unknownLines") Line line) {
        Item item = Item.parse(Line.parse(line.format()));
        assertEquals(new Unknown(line), item);
        assertEquals(line, item.toLine());
    }

    @Provide
    Arbitrary<Item> items() {
        return ProtoGen.items();
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
    Arbitrary<Line> unknownLines() {
        return ProtoGen.unknownLines();
    }

    // ---- the table ----

    static List<Item> oneOfEach() {
        return List.of(
                new Friend("bob", "", true, 3, 120, 1_700_000_000_000L, "see you: 8%"),
                new Friend("小红", "red", false, 0, 0, 0, ""),
                new GroupInfo(42, "team", "alice", false, 5, 2, 119, 1_700_000_000_000L, "meeting\nat 3"),
                new GroupInfo(0, "lobby", "", true, 7, 0, 0, 0, ""),
                GroupInfo.brief(42, "team", "alice", false, 5),
                new Pending("carol", true, 1_700_000_000_000L),
                new Pending("dave", false, 5),
                new Hist(ChatMessage.direct(120, 6, "bob", "alice", "c-9", "😀")),
                new Hist(ChatMessage.inGroup(119, 5, "alice", 42, "team", "", "hi")),
                new User("bobby", false),
                new Member("alice", true, true),
                new JoinRequested(43, "closed", "dave", 7),
                new Item.Invitation(44, "trap", "mallory", 8),
                new Item.Blocked("mallory", 9),
                new UnreadCount(Conversation.parse("!42"), 2),
                new UnreadCount(Conversation.parse("bob"), 3),
                new HistFile(new FileOffer(121, 7, "bob", "alice", ChatMessage.PRIVATE, "f1", 3, "a:b.txt", 12, "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12")),
                new FileInfo(3, 121, 7, "bob", "alice", "a:b.txt", 12, "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12", FileStatus.UPLOADING, 4, 604_800_007L),
                new Unknown(Line.of(null, "SESSION", "phone", "1")),
                new Item.ConnectionInfo(7, "~bob", "10.0.0.7:51000", "legacy", 1_700_000_000_000L, 12, 151),
                new Item.BanInfo("account", "bob", 0, "spam: again", "root", 5));
    }

    static final List<String> WIRE = List.of(
            "FRIEND:bob::1:3:120:1700000000000:see you%3A 8%25",
            "FRIEND:小红:red:0:0:0:0:",
            "GROUP_INFO:42:team:alice:closed:5:2:119:1700000000000:meeting%0Aat 3",
            "GROUP_INFO:0:lobby::open:7:0:0:0:",
            "GROUP_INFO:42:team:alice:closed:5",
            "PENDING:carol:in:1700000000000",
            "PENDING:dave:out:5",
            "HIST:120:6:bob:alice::c-9:😀",
            "HIST:119:5:alice:#team:42::hi",
            "USER:bobby:0",
            "MEMBER:alice:1:1",
            "JOIN_REQUESTED:43:closed:dave:7",
            "INVITATION:44:trap:mallory:8",
            "BLOCKED:mallory:9",
            "UNREAD_COUNT:!42:2",
            "UNREAD_COUNT:bob:3",
            "HIST_FILE:121:7:bob:alice::f1:3:a%3Ab.txt:12:ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12",
            "FILE_INFO:3:121:7:bob:alice:a%3Ab.txt:12:ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12:uploading:4:604800007",
            "SESSION:phone:1",
            "CONNECTION_INFO:7:~bob:10.0.0.7%3A51000:legacy:1700000000000:12:151",
            "BAN_INFO:account:bob:0:spam%3A again:root:5");

    @Example
    void theTableHasEveryType() {
        Set<Class<?>> covered = oneOfEach().stream().map(Object::getClass).collect(Collectors.toSet());
        assertEquals(Set.of(Item.class.getPermittedSubclasses()), covered);
    }

    @Example
    void eachItemIsWrittenAsTheSpecSays() {
        for (int i = 0; i < WIRE.size(); i++) {
            Item item = oneOfEach().get(i);
            assertEquals(WIRE.get(i), item.toLine().format(), item::toString);
            assertEquals(item, Item.parse(Line.parse(WIRE.get(i))), WIRE.get(i));
        }
    }

    /** GROUPS writes five fields, CONTACTS nine; the brief form reads back as brief. */
    @Example
    void groupInfoHasABriefForm() {
        GroupInfo brief = GroupInfo.brief(42, "team", "alice", true, 5);
        assertEquals(6, brief.toLine().size());
        assertTrue(brief.brief());
        GroupInfo full = new GroupInfo(42, "team", "alice", true, 5, 0, 0, 0, "");
        assertEquals(10, full.toLine().size());
        assertFalse(full.brief());
        assertTrue(((GroupInfo) Item.parse(Line.parse("GROUP_INFO:42:team:alice:open:5"))).brief());
        // Some of the activity fields: a full item whose missing fields take their defaults.
        assertEquals(new GroupInfo(42, "team", "alice", true, 5, 3, 0, 0, ""),
                Item.parse(Line.parse("GROUP_INFO:42:team:alice:open:5:3")));
    }

    /** A 1.0 server's FRIEND has three fields: the rest take their defaults. */
    @Example
    void aShortFriendReadsWithDefaults() {
        assertEquals(new Friend("bob", "", true, 0, 0, 0, ""), Item.parse(Line.parse("FRIEND:bob::1")));
    }

    @Example
    void theListWriterTagsEveryItem() {
        List<Line> lines = Reply.list("t7", "CONTACTS", List.of(new Friend("bob", "", true, 0, 0, 0, ""),
                new Pending("carol", true, 1)));
        assertEquals(List.of("#t7:CONTACTS:true:2", "#t7:FRIEND:bob::1:0:0:0:", "#t7:PENDING:carol:in:1"),
                lines.stream().map(Line::format).toList());
        assertEquals(List.of("GROUPS:true:0"), Reply.list(null, "GROUPS", List.of()).stream().map(Line::format).toList());
    }

    // ---- malformed known items ----

    @Example
    void aMalformedKnownItemIsABadRequest() {
        for (String text : List.of("FRIEND:bob:", "FRIEND:bob::yes", "FRIEND:bob::1:x", "GROUP_INFO:x:team:a:open:5",
                "GROUP_INFO:1:team:a:public:5", "GROUP_INFO:1:team:a:open", "GROUP_INFO:1:team:a:open:99999999999",
                "PENDING:bob:maybe:1", "PENDING:bob:in", "HIST:1:2:a:b::c", "USER:bob", "USER:bob:2",
                "MEMBER:bob:1", "JOIN_REQUESTED:g:team:bob:1", "UNREAD_COUNT:#:1", "UNREAD_COUNT:bob:-1",
                "HIST_FILE:1:2:a:b::c:3:n:12", "HIST_FILE:1:2:a:b::c:x:n:12:h",
                "FILE_INFO:3:121:7:bob:alice:a:12:h:ready:4", "FILE_INFO:3:121:7:bob:alice:a:-1:h:ready:4:5")) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> Item.parse(Line.parse(text)), text);
            assertEquals(ErrorCode.BAD_REQUEST, e.code(), text);
        }
    }
}
