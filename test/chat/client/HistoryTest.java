package chat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.client.HistoryEntry.DeliveryState;
import chat.common.proto.ChatMessage;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local history: one SQLite file per account and device, keyed by server id. */
class HistoryTest {

    @TempDir
    Path dir;

    private History open() {
        return History.open(dir.resolve("user-alice.db"), "alice");
    }

    private static List<String> texts(List<HistoryEntry> entries) {
        return entries.stream().map(HistoryEntry::text).toList();
    }

    @Test
    void aMessageDeliveredTwiceIsStoredOnce() {
        try (var h = open()) {
            var m = ChatMessage.direct(5, 1000, "bob", "alice", "c1", "hi");
            assertTrue(h.addDelivered(m));
            assertFalse(h.addDelivered(m), "the same id again");
            assertEquals(List.of("hi"), texts(h.conversation(History.personKey("Bob"), 10)), "keyed by the name's key");
            assertEquals(DeliveryState.RECEIVED, h.conversation("bob", 10).get(0).state());
        }
    }

    @Test
    void myMessageIsPendingUntilConfirmedAndAHistItemWithItsClientIdConfirmsIt() {
        try (var h = open()) {
            h.addOutgoing(ChatMessage.direct(0, 10, "alice", "bob", "mine-1", "one"));
            h.addOutgoing(ChatMessage.direct(0, 20, "alice", "bob", "mine-2", "two"));
            assertEquals(List.of("one", "two"), texts(h.pending()));
            assertEquals(DeliveryState.SENT, h.markSent("mine-1", 7, 1000).state());
            // the reply to "two" was lost, but HISTORY lists it with its client id: no second copy
            assertFalse(h.addDelivered(ChatMessage.direct(8, 1001, "alice", "bob", "mine-2", "two")));
            assertEquals(List.of(), h.pending());
            var all = h.conversation("bob", 10);
            assertEquals(List.of("one", "two"), texts(all));
            assertEquals(List.of(7L, 8L), all.stream().map(HistoryEntry::id).toList());
            assertEquals(8, h.newestId("bob"));
        }
    }

    @Test
    void aRefusedMessageIsFailedAndNotSentAgain() {
        try (var h = open()) {
            h.addOutgoing(ChatMessage.direct(0, 10, "alice", "bob", "mine-1", "one"));
            assertEquals(DeliveryState.FAILED, h.markFailed("mine-1").state());
            assertEquals(List.of(), h.pending());
            assertNull(h.byClientId("nobody's"));
        }
    }

    @Test
    void aGroupsHistoryIsKeptByItsIdAndShowsItsCurrentName() {
        try (var h = open()) {
            h.bindGroup(42, "team");
            h.addDelivered(ChatMessage.inGroup(5, 1000, "bob", 42, "team", "c1", "before"));
            h.bindGroup(42, "crew"); // renamed
            h.addDelivered(ChatMessage.inGroup(6, 1001, "bob", 42, "crew", "c2", "after"));
            var entries = h.conversation(History.groupKey(42), 10);
            assertEquals(List.of("before", "after"), texts(entries));
            assertEquals(List.of("#crew", "#crew"), entries.stream().map(HistoryEntry::to).toList());
            assertEquals(OptionalLong.of(42), h.groupId("CREW"));
            assertEquals(OptionalLong.empty(), h.groupId("team"));

            h.leftGroup(42); // another group may take the name now; the history stays
            assertEquals(OptionalLong.empty(), h.groupId("crew"));
            assertEquals(OptionalLong.of(42), h.groupId("crew", false));
            assertEquals(2, h.conversation(History.groupKey(42), 10).size());
        }
    }

    @Test
    void aVersionOneFileKeepsItsGroupRowsAndMovesThemToTheIdWhenItIsKnown() throws Exception {
        Path file = dir.resolve("user-alice.db");
        try (var db = DriverManager.getConnection("jdbc:sqlite:" + file); var s = db.createStatement()) {
            s.execute("""
                    CREATE TABLE message (seq INTEGER PRIMARY KEY AUTOINCREMENT, server_id INTEGER UNIQUE,
                        sent_at INTEGER NOT NULL, sender TEXT NOT NULL, recipient TEXT NOT NULL,
                        peer_key TEXT NOT NULL, body TEXT NOT NULL, client_id TEXT UNIQUE, state TEXT NOT NULL)""");
            s.execute("INSERT INTO message (server_id, sent_at, sender, recipient, peer_key, body, state)"
                    + " VALUES (3, 900, 'bob', '#Team', '#team', 'from 1.0', 'RECEIVED')");
            s.execute("INSERT INTO message (server_id, sent_at, sender, recipient, peer_key, body, state)"
                    + " VALUES (4, 901, 'bob', 'alice', 'bob', 'private', 'RECEIVED')");
        }
        try (var h = open()) {
            assertEquals(List.of("private"), texts(h.conversation("bob", 10)));
            assertEquals(List.of("from 1.0"), texts(h.conversation("#team", 10)), "under its 1.0 key until bound");
            h.bindGroup(42, "team");
            assertEquals(List.of("from 1.0"), texts(h.conversation(History.groupKey(42), 10)));
        }
    }

    @Test
    void storedEventsAreToldOnce() {
        try (var h = open()) {
            assertTrue(h.firstSeen(9));
            assertFalse(h.firstSeen(9));
        }
    }

    @Test
    void searchFindsMessagesNewestFirstIgnoringAsciiCase() {
        try (var h = open()) {
            h.addDelivered(ChatMessage.direct(1, 1, "bob", "alice", "", "Hello there"));
            h.addDelivered(ChatMessage.direct(2, 2, "bob", "alice", "", "hello again"));
            h.addDelivered(ChatMessage.direct(3, 3, "bob", "alice", "", "bye"));
            assertEquals(List.of("hello again", "Hello there"), texts(h.search("HELLO", 10)));
        }
    }
}
