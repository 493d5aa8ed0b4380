package chat.client;

import static chat.client.Device.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.client.HistoryEntry.DeliveryState;
import chat.server.TestServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client library against the real 1.1 server, in this JVM, over real sockets. */
class ChatClientTest {

    @TempDir
    Path dir;

    private TestServer server(Path data) throws Exception {
        return TestServer.start(TestServer.settings().data(java.nio.file.Files.createDirectories(data)));
    }

    /** alice (on {@code a}) and bob (on {@code b}) become friends. */
    private static void befriend(Device a, Device b, String bob) {
        assertFalse(get(a.client.friends().add(bob)));
        b.await(ChatEvent.FriendRequested.class);
        get(b.client.friends().accept(a.client.account().orElseThrow().name()));
        a.await(ChatEvent.FriendAdded.class);
    }

    @Test
    void twoDevicesOfOneAccountEachGetEveryMessageOnceAndStoreIt() throws Exception {
        try (var server = server(dir.resolve("server"));
                var laptop = new Device("alice-laptop", server.port(), dir.resolve("laptop"));
                var phone = new Device("alice-phone", server.port(), dir.resolve("phone"));
                var bob = new Device("bob", server.port(), dir.resolve("bob"))) {
            Account onLaptop = laptop.signUp("alice", "alice-pw-1");
            Account onPhone = phone.signUp("alice", "alice-pw-1");
            assertEquals("alice", onPhone.name());
            assertNotEquals(onLaptop.device(), onPhone.device(), "one device name per installation");
            assertTrue(onLaptop.device().startsWith("test-"), onLaptop.device());
            bob.signUp("bob", "bob-pw-1");
            befriend(laptop, bob, "bob");

            bob.send("alice", "hello both");
            assertEquals("hello both", laptop.awaitMessage("hello both").text());
            assertEquals("hello both", phone.awaitMessage("hello both").text());

            HistoryEntry sent = laptop.send("bob", "from the laptop");
            assertEquals(DeliveryState.SENT, sent.state());
            assertTrue(sent.id() > 0);
            bob.awaitMessage("from the laptop");
            var own = phone.await(ChatEvent.OwnMessage.class);
            assertEquals("from the laptop", own.entry().text());
            assertEquals(sent.id(), own.entry().id());

            laptop.assertLocal("bob", "hello both", "from the laptop");
            phone.assertLocal("bob", "hello both", "from the laptop");
            bob.assertLocal("alice", "hello both", "from the laptop");
            assertEquals(1, count(phone.all(), "from the laptop"), "told once");
        }
    }

    /** How many events tell of a message with this text. */
    private static long count(List<ChatEvent> events, String text) {
        return events.stream().filter(e -> e instanceof ChatEvent.MessageReceived m && m.entry().text().equals(text)
                || e instanceof ChatEvent.OwnMessage o && o.entry().text().equals(text)).count();
    }
}
