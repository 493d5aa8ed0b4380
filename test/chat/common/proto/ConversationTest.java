package chat.common.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Conversation.Direct;
import chat.common.proto.Conversation.GroupId;
import chat.common.proto.Conversation.GroupName;
import java.util.List;
import java.util.OptionalLong;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ConversationTest {

    @Property(tries = 1000)
    void formatThenParseGivesTheSameConversation(@ForAll("conversations") Conversation c) {
        assertEquals(c, Conversation.parse(c.format()), c::format);
    }

    @Provide
    Arbitrary<Conversation> conversations() {
        return ProtoGen.conversations();
    }

    @Example
    void theThreeForms() {
        assertEquals(new Direct("bob"), Conversation.parse("bob"));
        assertEquals(new GroupName("team"), Conversation.parse("#team"));
        assertEquals(new GroupId(42), Conversation.parse("!42"));
        assertEquals(new Direct("小红"), Conversation.parse("小红"));
        assertEquals("!42", Conversation.of(42).format());
        assertEquals("#team", new GroupName("team").format());
    }

    @Example
    void isGroupAndGroupId() {
        assertFalse(Conversation.parse("bob").isGroup());
        assertTrue(Conversation.parse("#team").isGroup());
        assertTrue(Conversation.parse("!42").isGroup());
        assertEquals(OptionalLong.of(42), Conversation.parse("!42").groupId());
        assertEquals(OptionalLong.empty(), Conversation.parse("#team").groupId());
        assertEquals(OptionalLong.empty(), Conversation.parse("bob").groupId());
    }

    /** Where only a group can be meant, a bare name is a group's. */
    @Example
    void aGroupFieldTakesThreeSpellings() {
        assertEquals(new GroupName("team"), Conversation.group("team"));
        assertEquals(new GroupName("team"), Conversation.group("#team"));
        assertEquals(new GroupId(42), Conversation.group("!42"));
    }

    @Example
    void theLobbyIsGroupZero() {
        assertTrue(Conversation.LOBBY.isLobby());
        assertTrue(Conversation.parse("!0").isLobby());
        assertTrue(Conversation.parse("#lobby").isLobby());
        assertTrue(Conversation.parse("#Lobby").isLobby());
        assertTrue(Conversation.group("lobby").isLobby());
        assertFalse(Conversation.parse("lobby").isLobby()); // a person may be called lobby
        assertFalse(Conversation.parse("!1").isLobby());
    }

    @Example
    void malformedReferencesAreBadRequests() {
        for (String text : List.of("", "#", "!", "!x", "!-1", "!4.2", "!99999999999999999999", "! 1")) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> Conversation.parse(text), text);
            assertEquals(ErrorCode.BAD_REQUEST, e.code(), text);
        }
    }

    @Example
    void aValueThatCannotBeWrittenIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Direct(""));
        assertThrows(IllegalArgumentException.class, () -> new Direct("#team"));
        assertThrows(IllegalArgumentException.class, () -> new Direct("!42"));
        assertThrows(IllegalArgumentException.class, () -> new GroupName(""));
        assertThrows(IllegalArgumentException.class, () -> new GroupId(-1));
    }

    /** A message knows its conversation: the group, or the other person whoever sent it. */
    @Example
    void aMessagesConversation() {
        ChatMessage toMe = ChatMessage.direct(1, 2, "bob", "alice", "", "hi");
        ChatMessage fromMe = ChatMessage.direct(3, 4, "Alice", "bob", "c", "hi");
        ChatMessage inGroup = ChatMessage.inGroup(5, 6, "bob", 42, "team", "c", "hi");
        assertEquals(new Direct("bob"), toMe.conversationFor("alice"));
        assertEquals(new Direct("bob"), fromMe.conversationFor("alice"));
        assertEquals(new GroupId(42), inGroup.conversationFor("alice"));
        assertEquals("team", inGroup.groupName());
        assertEquals(null, toMe.groupName());
        assertFalse(toMe.isGroup());
        assertTrue(inGroup.isGroup());
        assertThrows(IllegalArgumentException.class, () -> new ChatMessage(1, 2, "a", "b", -2, "", ""));
    }
}
