package chat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryTest {

    @TempDir
    Path dir;

    private static List<String> texts(List<History.Entry> entries) {
        return entries.stream().map(History.Entry::text).toList();
    }

    @Test
    void aMessageDeliveredTwiceIsStoredOnce() {
        try (History h = History.open(dir, "host_1", "小红")) {
            assertTrue(h.addDelivered(7, 1000, "alice", "小红", "你好"));
            assertFalse(h.addDelivered(7, 1000, "alice", "小红", "你好"));
            assertEquals(List.of("你好"), texts(h.conversation("Alice", 10)));
            assertEquals(History.State.RECEIVED, h.conversation("alice", 10).get(0).state());
        }
    }

    @Test
    void pendingUntilTheServerConfirmsThenSentWithItsId() {
        try (History h = History.open(dir, "host_1", "alice")) {
            h.addOutgoing("c1", 5, "alice", "Bob", "one");
            h.addOutgoing("c2", 6, "alice", "bob", "two");
            assertEquals(List.of("c1", "c2"), h.pending().stream().map(History.Entry::clientId).toList());
            h.markSent("c1", 40, 4000);
            h.markFailed("c2");
            assertEquals(List.of(), h.pending());
            var c1 = h.byClientId("c1");
            assertEquals(40, c1.serverId());
            assertEquals(History.State.SENT, c1.state());
            assertEquals(History.State.FAILED, h.byClientId("c2").state());
            // "Bob" and "bob" are one conversation
            assertEquals(List.of("one", "two"), texts(h.conversation("BOB", 10)));
        }
    }

    @Test
    void aCopyFetchedFromTheServerGivesWayToTheConfirmedOriginal() {
        try (History h = History.open(dir, "host_1", "alice")) {
            h.addOutgoing("c1", 5, "alice", "bob", "hello");
            // the reply was lost; /history fetched the stored message before the resend's reply
            assertTrue(h.addDelivered(40, 4000, "alice", "bob", "hello"));
            h.markSent("c1", 40, 4000);
            var all = h.conversation("bob", 10);
            assertEquals(1, all.size(), all.toString());
            assertEquals("c1", all.get(0).clientId());
            assertEquals(History.State.SENT, all.get(0).state());
        }
    }

    @Test
    void newestNOldestFirstWithUnsentLast() {
        try (History h = History.open(dir, "s", "alice")) {
            for (int i = 1; i <= 5; i++) {
                h.addDelivered(i * 10, i, i % 2 == 0 ? "alice" : "bob", i % 2 == 0 ? "bob" : "alice", "m" + i);
            }
            h.addOutgoing("p", 0, "alice", "bob", "unsent");
            h.addDelivered(99, 9, "carol", "alice", "other conversation");
            assertEquals(List.of("m4", "m5", "unsent"), texts(h.conversation("bob", 3)));
            assertEquals(List.of("m1", "m2", "m3", "m4", "m5", "unsent"), texts(h.conversation("bob", 100)));
            assertEquals(List.of("other conversation"), texts(h.conversation("carol", 100)));
            assertEquals(List.of("m5", "m4"), texts(h.search("M", 2)));
        }
    }

    @Test
    void searchFindsChineseAndIgnoresAsciiCase() {
        try (History h = History.open(dir, "s", "alice")) {
            h.addDelivered(1, 1, "bob", "alice", "Hello World");
            h.addDelivered(2, 2, "小红", "alice", "今天天气很好");
            h.addDelivered(3, 3, "alice", "小红", "天气");
            assertEquals(List.of("天气", "今天天气很好"), texts(h.search("天气", 10)));
            assertEquals(List.of("Hello World"), texts(h.search("hello", 10)));
            assertEquals(List.of(), texts(h.search("nothing", 10)));
        }
    }

    @Test
    void oneFilePerServerAndAccountWhateverTheSpelling() throws Exception {
        assertEquals(History.file(dir, "h_1", "Alice"), History.file(dir, "h_1", "alice"));
        assertFalse(History.file(dir, "h_1", "alice").equals(History.file(dir, "h_2", "alice")));
        Path odd = History.file(dir, "::1_80", "..");
        assertTrue(odd.normalize().startsWith(dir), odd.toString());
        try (History h = History.open(dir, "h_1", "Alice")) {
            h.addDelivered(1, 1, "bob", "Alice", "kept");
        }
        assertTrue(Files.exists(History.file(dir, "h_1", "ALICE")));
        try (History h = History.open(dir, "h_1", "alice")) {
            assertEquals(List.of("kept"), texts(h.conversation("bob", 5)));
        }
    }

    @Test
    void aGroupIsOneConversationWhoeverWroteAndFollowsARename() {
        try (History h = History.open(dir, "s", "alice")) {
            assertTrue(h.addDelivered(1, 1, "bob", "#Team", "from bob"));
            assertTrue(h.addDelivered(2, 2, "alice", "#team", "mine, fetched"));
            h.addOutgoing("g1", 3, "alice", "#team", "pending");
            h.addDelivered(3, 3, "bob", "alice", "private");
            assertEquals(List.of("from bob", "mine, fetched", "pending"), texts(h.conversation("#TEAM", 10)));
            assertEquals(List.of("private"), texts(h.conversation("bob", 10)));

            h.renameGroup("team", "crew");
            assertEquals(List.of(), h.conversation("#team", 10));
            assertEquals(List.of("from bob", "mine, fetched", "pending"), texts(h.conversation("#crew", 10)));
            // the pending message goes to the group by its new name
            assertEquals("#crew", h.pending().get(0).to());
            assertEquals(List.of("private"), texts(h.conversation("bob", 10)));
        }
    }
}
