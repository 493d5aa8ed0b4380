package chat.common.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Push.Bye;
import chat.common.proto.Push.FriendAdded;
import chat.common.proto.Push.FriendDeclined;
import chat.common.proto.Push.FriendRemoved;
import chat.common.proto.Push.FriendRequest;
import chat.common.proto.Push.GroupDeleted;
import chat.common.proto.Push.GroupJoinRequest;
import chat.common.proto.Push.GroupJoined;
import chat.common.proto.Push.GroupLeft;
import chat.common.proto.Push.GroupRenamed;
import chat.common.proto.Push.Message;
import chat.common.proto.Push.Presence;
import chat.common.proto.Push.ReadMark;
import chat.common.proto.Push.Synced;
import chat.common.proto.Push.Unknown;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

class PushTest {

    // ---- round trip ----

    /** What the server writes, a client reads as the same push. */
    @Property(tries = 3000)
    @StatisticsReport(onFailureOnly = true)
    void everyPushSurvivesTheWire(@ForAll("pushes") Push push) {
        String text = push.toLine().format();
        Line read = Line.parse(text);
        assertNull(read.tag(), text);
        assertEquals(push, Push.parse(read), text);

        Statistics.label("type").collect(push.getClass().getSimpleName());
        Statistics.label("type").coverage(c -> {
            for (Class<?> type : permitted()) {
                c.check(type.getSimpleName()).count(k -> k > 0);
            }
        });
    }

    /** A newer server may add fields at the end of any push: this version reads what it knows. */
    @Property(tries = 1000)
    void extraTrailingFieldsAreIgnored(@ForAll("pushes") Push push, @ForAll("extra") List<String> extra) {
        if (push instanceof Unknown) {
            return; // its fields are whatever came
        }
        List<String> fields = new ArrayList<>(push.toLine().fields());
        fields.addAll(extra);
        Line line = Line.parse(new Line(null, fields).format());
        assertEquals(push, Push.parse(line), line::format);
    }

    @Property(tries = 300)
    void anUnknownNameIsAnUnknownPush(@ForAll("unknownLines") Line line) {
        Push push = Push.parse(Line.parse(line.format()));
        assertEquals(new Unknown(line), push);
        assertEquals(line, push.toLine());
    }

    @Provide
    Arbitrary<Push> pushes() {
        return ProtoGen.pushes();
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

    static List<Push> oneOfEach() {
        return List.of(
                new Message(ChatMessage.direct(7, 1_700_000_000_000L, "alice", "小红", "c-1", "你好: 100% 😀\nok")),
                new Message(ChatMessage.inGroup(8, 1_700_000_000_001L, "alice", 42, "team", "c-2", "hi all")),
                new FriendRequest(9, 1, "bob", "alice"),
                new FriendAdded(10, 2, "bob"),
                new FriendRemoved(11, 3, "bob"),
                new FriendDeclined(12, 4, "bob"),
                new GroupJoined(13, 5, 42, "team", "carol", "alice"),
                new GroupLeft(14, 6, 42, "team", "carol", true, "alice"),
                new GroupRenamed(15, 7, 42, "team", "团队"),
                new GroupDeleted(16, 8, 42, "团队"),
                new GroupJoinRequest(17, 9, 43, "closed", "dave"),
                new Push.GroupRejected(18, 10, 43, "closed", "alice", "dave"),
                new Push.GroupInvited(20, 12, 44, "trap", "victim", "mallory"),
                new Push.GroupInviteDeclined(21, 13, 44, "trap", "victim", "mallory"),
                new Presence("bob", true),
                new ReadMark(Conversation.parse("!42"), 17),
                new Push.Delivered(Conversation.parse("小红"), 7),
                new Synced(),
                new Bye(Bye.REPLACED, "logged in again from 10.0.0.2"),
                new Push.File(new FileOffer(18, 10, "alice", "bob", ChatMessage.PRIVATE, "f1", 7, "报告: v2.pdf", 1024, "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12")),
                new Push.File(new FileOffer(19, 11, "alice", "#team", 42, "f2", 8, "a.txt", 0, "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12")),
                new Push.FileState(7, FileStatus.READY),
                new Push.FilePeer("bob", "192.168.1.20", 40000, "a.txt", 12, "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12"),
                new Push.FilePeer("bob", "192.168.1.20", 40000, "", Request.FileTran.NO_SIZE, ""),
                new Unknown(Line.of(null, "TYPING", "bob")));
    }

    /** The wire form of each, as docs/PROTOCOL.md shows it. */
    static final List<String> WIRE = List.of(
            "MESSAGE:7:1700000000000:alice:小红::c-1:你好%3A 100%25 😀%0Aok",
            "MESSAGE:8:1700000000001:alice:#team:42:c-2:hi all",
            "FRIEND_REQUEST:9:1:bob:alice",
            "FRIEND_ADDED:10:2:bob",
            "FRIEND_REMOVED:11:3:bob",
            "FRIEND_DECLINED:12:4:bob",
            "GROUP_JOINED:13:5:42:team:carol:alice",
            "GROUP_LEFT:14:6:42:team:carol:kicked:alice",
            "GROUP_RENAMED:15:7:42:team:团队",
            "GROUP_DELETED:16:8:42:团队",
            "GROUP_JOIN_REQUEST:17:9:43:closed:dave",
            "GROUP_REJECTED:18:10:43:closed:alice:dave",
            "GROUP_INVITED:20:12:44:trap:victim:mallory",
            "GROUP_INVITE_DECLINED:21:13:44:trap:victim:mallory",
            "PRESENCE:bob:1",
            "READ_MARK:!42:17",
            "DELIVERED:小红:7",
            "SYNCED",
            "BYE:replaced:logged in again from 10.0.0.2",
            "FILE:18:10:alice:bob::f1:7:报告%3A v2.pdf:1024:ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12",
            "FILE:19:11:alice:#team:42:f2:8:a.txt:0:ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12",
            "FILE_STATE:7:ready",
            "FILE_PEER:bob:192.168.1.20:40000:a.txt:12:ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12",
            "FILE_PEER:bob:192.168.1.20:40000:::",
            "TYPING:bob");

    @Example
    void theTableHasEveryType() {
        Set<Class<?>> covered = oneOfEach().stream().map(Object::getClass).collect(Collectors.toSet());
        assertEquals(permitted(), covered);
    }

    @Example
    void eachPushIsWrittenAsTheSpecSays() {
        for (int i = 0; i < WIRE.size(); i++) {
            Push push = oneOfEach().get(i);
            assertEquals(WIRE.get(i), push.toLine().format(), push::toString);
            assertEquals(push, Push.parse(Line.parse(WIRE.get(i))), WIRE.get(i));
        }
    }

    // ---- the lobby and legacy clients ----

    @Example
    void lobbyTrafficHasIdZero() {
        Push joined = Push.parse(Line.parse("GROUP_JOINED:0:1700000000000:0:lobby:oldtimer:"));
        assertEquals(new GroupJoined(0, 1_700_000_000_000L, 0, "lobby", "oldtimer", ""), joined);
        Push left = Push.parse(Line.parse("GROUP_LEFT:0:1700000000000:0:lobby:oldtimer:left:"));
        assertEquals(new GroupLeft(0, 1_700_000_000_000L, 0, "lobby", "oldtimer", false, ""), left);
        Push said = Push.parse(Line.parse("MESSAGE:0:5:oldtimer:#lobby:0::hello"));
        Message m = assertInstanceOf(Message.class, said);
        assertEquals(0, m.id());
        assertEquals(0, m.message().groupId());
        assertEquals("lobby", m.message().groupName());
        assertTrue(m.message().conversationFor("alice").isLobby());
    }

    /** A client acknowledges every stored push the same way, whatever it is. */
    @Example
    void storedPushesHaveAnIdAndATime() {
        for (Push push : oneOfEach()) {
            boolean stored = push instanceof Push.Stored;
            boolean live = push instanceof Presence || push instanceof ReadMark || push instanceof Synced
                    || push instanceof Bye || push instanceof Unknown || push instanceof Push.FileState
                    || push instanceof Push.FilePeer || push instanceof Push.Delivered;
            assertEquals(!live, stored, push::toString);
            if (push instanceof Push.Stored s) {
                assertEquals(Long.parseLong(push.toLine().field(1)), s.id(), push::toString);
                assertEquals(Long.parseLong(push.toLine().field(2)), s.time(), push::toString);
            }
        }
    }

    @Example
    void anUnknownWayToLeaveReadsAsLeft() {
        Push p = Push.parse(Line.parse("GROUP_LEFT:14:6:42:team:carol:banned:alice"));
        assertEquals(new GroupLeft(14, 6, 42, "team", "carol", false, "alice"), p);
    }

    @Example
    void aByeWithoutMessageStillReads() {
        assertEquals(new Bye("shutdown", ""), Push.parse(Line.parse("BYE:shutdown")));
    }

    // ---- malformed known pushes ----

    /** A known push with too few fields or a bad number is a broken server: bad-request, never Unknown. */
    @Example
    void aMalformedKnownPushIsABadRequest() {
        for (String text : List.of("MESSAGE:7:1:alice:bob::c-1", "MESSAGE:x:1:alice:bob::c:t",
                "MESSAGE:7:1:alice:#team:x:c:t", "MESSAGE:-7:1:alice:bob::c:t", "FRIEND_ADDED:1:2",
                "FRIEND_REQUEST:1:2:bob", "GROUP_JOINED:1:2:g:team:carol:", "PRESENCE:bob:yes", "PRESENCE:bob",
                "READ_MARK:bob", "READ_MARK::5", "READ_MARK:!x:5", "READ_MARK:bob:-1", "BYE",
                "GROUP_DELETED:1:2:3", "GROUP_RENAMED:1:2:3:a", "GROUP_JOIN_REQUEST:1:2:3:g",
                "GROUP_REJECTED:1:2:3:g:alice",
                "FRIEND_DECLINED:1:1.5:bob", "FRIEND_REMOVED:1:2", "GROUP_LEFT:1:2:3:g:w:left")) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> Push.parse(Line.parse(text)), text);
            assertEquals(ErrorCode.BAD_REQUEST, e.code(), text);
        }
    }

    @Example
    void aMalformedPushSaysWhatIsWrong() {
        ProtocolException e = assertThrows(ProtocolException.class, () -> Push.parse(Line.parse("FRIEND_ADDED:1:2")));
        assertEquals("FRIEND_ADDED takes at least 3 fields (FRIEND_ADDED:id:time:name), not 2", e.getMessage());
    }

    /** A tag on a push is no business of the push: it is read all the same. */
    @Example
    void aTaggedPushReadsAsThePush() {
        assertEquals(new Synced(), Push.parse(Line.parse("#3:SYNCED")));
    }

    /** An unknown push is kept untagged, unless its first field would then read as a tag. */
    @Example
    void anUnknownPushDropsItsTagWhereItCan() {
        assertEquals(new Unknown(Line.parse("TYPING:bob")), Push.parse(Line.parse("#3:TYPING:bob")));
        Line odd = Line.parse("#3:#t1:bob");
        assertEquals(new Unknown(odd), Push.parse(odd));
    }

    private static Set<Class<?>> permitted() {
        Set<Class<?>> leaves = new java.util.HashSet<>();
        for (Class<?> c : Push.class.getPermittedSubclasses()) {
            if (c.isInterface()) {
                leaves.addAll(List.of(c.getPermittedSubclasses()));
            } else {
                leaves.add(c);
            }
        }
        return leaves;
    }
}
