package chat.server;

import static chat.common.wire.LegacyRecord.CHAT;
import static chat.common.wire.LegacyRecord.OFFLINE;
import static chat.common.wire.LegacyRecord.ONLINE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.wire.LegacyRecord;
import chat.common.wire.LegacyRecord.Message;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The article's group chat over real sockets: announce, chat, leave. Members see each other as the
 * lobby shows legacy clients, {@code ~name} (LobbyNamesTest has the accounts' side).
 */
class LegacyRoomTest {

    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void threeClientsAnnounceChatAndLeave() throws Exception {
        try (var alice = LegacyClient.join(server.port(), "alice")) {
            awaitMembers(1);
            try (var bob = LegacyClient.join(server.port(), "bob")) {
                assertEquals(new Message("~bob", "", ONLINE), alice.read());
                try (var carol = LegacyClient.join(server.port(), "小红")) {
                    assertEquals(new Message("~小红", "", ONLINE), alice.read());
                    assertEquals(new Message("~小红", "", ONLINE), bob.read());

                    // One at a time: records from different connections have no order between them.
                    alice.say("hello");
                    assertEquals(new Message("~alice", "hello", CHAT), bob.read());
                    assertEquals(new Message("~alice", "hello", CHAT), carol.read());
                    bob.say("你好，世界 🌏");
                    assertEquals(new Message("~bob", "你好，世界 🌏", CHAT), alice.read());
                    assertEquals(new Message("~bob", "你好，世界 🌏", CHAT), carol.read());
                    carol.say("third");
                    carol.say("fourth");
                    // From one connection, in the order sent.
                    assertEquals(new Message("~小红", "third", CHAT), alice.read());
                    assertEquals(new Message("~小红", "fourth", CHAT), alice.read());
                    assertEquals(new Message("~小红", "third", CHAT), bob.read());
                    assertEquals(new Message("~小红", "fourth", CHAT), bob.read());
                }
                assertEquals(new Message("~小红", "", OFFLINE), alice.read());
                assertEquals(new Message("~小红", "", OFFLINE), bob.read());
            }
            assertEquals(new Message("~bob", "", OFFLINE), alice.read());
            assertTrue(alice.quietFor(200), "nothing echoed back to the sender");
        }
    }

    @Test
    void relaysRecordsCanonicallyWithoutTheGarbageAfterTheNul() throws Exception {
        try (var alice = LegacyClient.join(server.port(), "alice");
                var bob = LegacyClient.join(server.port(), "bob")) {
            assertEquals("~bob", alice.read().name());
            byte[] dirty = new byte[LegacyRecord.SIZE];
            Arrays.fill(dirty, (byte) 'x'); // stack garbage, as the C client leaves it
            byte[] name = "bob".getBytes(StandardCharsets.UTF_8);
            System.arraycopy(name, 0, dirty, 0, name.length);
            dirty[name.length] = 0;
            byte[] text = "hi".getBytes(StandardCharsets.UTF_8);
            System.arraycopy(text, 0, dirty, 50, text.length);
            dirty[50 + text.length] = 0;
            dirty[150] = CHAT;
            bob.send(dirty);
            assertArrayEquals(LegacyRecord.encode("~bob", "hi", CHAT), alice.readRaw());
        }
    }

    @Test
    void recordsSplitAndMergedByTcpAreReassembled() throws Exception {
        try (var alice = LegacyClient.join(server.port(), "alice");
                var bob = LegacyClient.join(server.port(), "bob")) {
            assertEquals("~bob", alice.read().name());
            byte[] two = new byte[2 * LegacyRecord.SIZE];
            System.arraycopy(LegacyRecord.encode("bob", "one", CHAT), 0, two, 0, LegacyRecord.SIZE);
            System.arraycopy(LegacyRecord.encode("bob", "two", CHAT), 0, two, LegacyRecord.SIZE, LegacyRecord.SIZE);
            // Byte by byte for the first, then the rest in one write.
            for (int i = 0; i < LegacyRecord.SIZE; i++) {
                bob.send(new byte[] {two[i]});
            }
            bob.send(Arrays.copyOfRange(two, LegacyRecord.SIZE, two.length));
            assertEquals(new Message("~bob", "one", CHAT), alice.read());
            assertEquals(new Message("~bob", "two", CHAT), alice.read());
        }
    }

    @Test
    void aRecordCutOffByADisconnectIsDroppedAndTheLeaveIsAnnounced() throws Exception {
        try (var alice = LegacyClient.join(server.port(), "alice")) {
            awaitMembers(1);
            var bob = LegacyClient.join(server.port(), "bob");
            assertEquals("~bob", alice.read().name());
            bob.send(Arrays.copyOf(LegacyRecord.encode("bob", "never whole", CHAT), 100));
            bob.close();
            assertEquals(new Message("~bob", "", OFFLINE), alice.read());
            assertTrue(alice.quietFor(200));
        }
    }

    @Test
    void anUnknownRecordTypeGetsAnErrorAndCostsOnlyThatConnection() throws Exception {
        try (var alice = LegacyClient.join(server.port(), "alice");
                var mallory = LegacyClient.join(server.port(), "mallory")) {
            assertEquals("~mallory", alice.read().name());
            byte[] bad = LegacyRecord.encode("mallory", "boom", (byte) 7);
            mallory.send(bad);
            Message error = mallory.read();
            assertEquals("server", error.name());
            assertTrue(error.text().contains("unknown record type 7"), error.text());
            assertTrue(mallory.awaitClosed(5_000));
            assertEquals(new Message("~mallory", "", OFFLINE), alice.read());
            try (var bob = LegacyClient.join(server.port(), "bob")) {
                assertEquals(new Message("~bob", "", ONLINE), alice.read());
                bob.say("still here");
                assertEquals(new Message("~bob", "still here", CHAT), alice.read());
            }
        }
    }

    @Test
    void aGoodbyeRecordClosesAndTellsTheOthersOnce() throws Exception {
        try (var alice = LegacyClient.join(server.port(), "alice");
                var bob = LegacyClient.join(server.port(), "bob")) {
            assertEquals("~bob", alice.read().name());
            bob.send(LegacyRecord.encode("bob", "", OFFLINE));
            assertTrue(bob.awaitClosed(5_000));
            assertEquals(new Message("~bob", "", OFFLINE), alice.read());
            assertTrue(alice.quietFor(300), "the leave is announced once");
        }
    }

    @Test
    void theOnlineListFollowsNames() throws Exception {
        try (var alice = LegacyClient.join(server.port(), "alice")) {
            awaitMembers(1);
            assertEquals("~alice", server.online().entries().iterator().next().name());
        }
        awaitMembers(0);
    }

    private void awaitMembers(int n) throws Exception {
        Await.until(() -> server.online().size() == n, n + " in the room");
    }
}
