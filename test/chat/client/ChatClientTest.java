package chat.client;

import static chat.client.Device.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.client.HistoryEntry.DeliveryState;
import chat.common.proto.Conversation;
import chat.common.proto.ErrorCode;
import chat.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client library against the real 1.1 server, in this JVM, over real sockets. */
class ChatClientTest {

    @TempDir
    Path dir;

    private TestServer server(Path data) throws Exception {
        return TestServer.start(TestServer.settings().data(Files.createDirectories(data)));
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

            // what one device did, the other was told of: the friend request and the friendship
            List<ChatEvent> told = phone.all();
            assertTrue(told.stream().anyMatch(e -> e instanceof ChatEvent.FriendRequested r
                    && r.from().equals("alice") && r.to().equals("bob")), told.toString());
            assertTrue(told.stream().anyMatch(e -> e instanceof ChatEvent.FriendAdded a && a.friend().equals("bob")),
                    told.toString());
            Contacts contacts = get(phone.client.contacts());
            assertEquals(List.of("bob"), contacts.friends().stream().map(f -> f.name()).toList());
            assertTrue(contacts.friends().get(0).online());
            assertEquals(sent.id(), contacts.friends().get(0).lastId());

            // read on one device: the other is told how far
            long mark = get(laptop.client.markRead(Conversation.parse("bob")));
            assertEquals(sent.id(), mark, "up to the newest message the laptop has");
            var read = phone.await(ChatEvent.ReadMark.class);
            assertEquals(new ChatEvent.ReadMark(Conversation.parse("bob"), mark), read);

            laptop.assertLocal("bob", "hello both", "from the laptop");
            phone.assertLocal("bob", "hello both", "from the laptop");
            bob.assertLocal("alice", "hello both", "from the laptop");
            assertEquals(1, count(phone.all(), "from the laptop"), "told once");
        }
    }

    @Test
    void aServerRestartMidConversationLosesAndDuplicatesNothingOnAnyDevice() throws Exception {
        Path serverData = dir.resolve("server");
        var first = server(serverData);
        try (var relay = new Relay(first.port());
                var laptop = new Device("alice-laptop", relay.port(), dir.resolve("laptop"));
                var phone = new Device("alice-phone", relay.port(), dir.resolve("phone"));
                var bob = new Device("bob", relay.port(), dir.resolve("bob"))) {
            laptop.signUp("alice", "alice-pw-1");
            phone.signUp("alice", "alice-pw-1");
            bob.signUp("bob", "bob-pw-1");
            befriend(laptop, bob, "bob");
            bob.send("alice", "one");
            laptop.awaitMessage("one");
            phone.awaitMessage("one");
            laptop.send("bob", "two");
            bob.awaitMessage("two");
            phone.awaitMessage("two");

            first.close();
            relay.down();
            for (Device d : List.of(laptop, phone, bob)) {
                d.await(ChatEvent.ConnectionChanged.class, c -> c.state() == ChatEvent.ConnectionState.RECONNECTING,
                        "the connection going");
            }
            // typed while the server is away: kept, pending, sent once it is back
            assertEquals(DeliveryState.PENDING, laptop.send("bob", "three, typed offline").state());
            assertEquals(DeliveryState.PENDING, bob.send("alice", "four, typed offline").state());
            laptop.assertLocal("bob", "one", "two", "three, typed offline");

            try (var second = server(serverData)) {
                relay.up(second.port());
                for (Device d : List.of(laptop, phone, bob)) {
                    var again = d.await(ChatEvent.LoggedIn.class);
                    assertTrue(again.automatic(), d.label + " logged in again by itself");
                }
                bob.awaitMessage("three, typed offline");
                phone.awaitMessage("three, typed offline");
                laptop.awaitMessage("four, typed offline");
                phone.awaitMessage("four, typed offline");

                // the network breaks without the server noticing first: nothing comes twice
                relay.cut();
                for (Device d : List.of(laptop, phone, bob)) {
                    d.await(ChatEvent.LoggedIn.class);
                }
                bob.send("alice", "five");
                laptop.awaitMessage("five");
                phone.awaitMessage("five");

                // the two typed offline may have either order (who reconnected first), the same on every device
                List<String> order = laptop.local("bob");
                assertEquals(List.of("five", "four, typed offline", "one", "three, typed offline", "two"),
                        order.stream().sorted().toList(), "each once on the laptop");
                for (Device d : List.of(laptop, phone)) {
                    get(d.client.history(Conversation.parse("bob"), 50)); // the server's merged in
                    assertEquals(order, d.local("bob"), d.label);
                    for (String text : List.of("one", "two", "three, typed offline", "four, typed offline", "five")) {
                        long told = count(d.all(), text);
                        assertTrue(told <= 1, d.label + " was told " + told + " times of " + text);
                    }
                }
                assertEquals(order, bob.local("alice"), "bob");
                for (Device d : List.of(laptop, phone, bob)) {
                    assertTrue(d.client.localHistory(Conversation.parse(d == bob ? "alice" : "bob"), 50)
                            .stream().noneMatch(e -> e.state() == DeliveryState.PENDING || e.id() == 0),
                            d.label + ": every message has its server id");
                }
            }
        }
    }

    @Test
    void aRestartedClientLogsInByResumeWithoutThePasswordAcrossAServerRestart() throws Exception {
        Path serverData = dir.resolve("server");
        var first = server(serverData);
        try (var relay = new Relay(first.port())) {
            Account account;
            try (var once = new Device("alice", relay.port(), dir.resolve("alice"))) {
                account = once.signUp("alice", "alice-pw-1");
            }
            first.close();
            relay.down();
            try (var second = server(serverData)) {
                relay.up(second.port());
                var profiles = new Profiles(dir.resolve("alice"), "127.0.0.1_" + relay.port(), "test");
                Profiles.Saved saved = profiles.last().orElseThrow();
                try (var again = new Device("alice again", relay.port(), dir.resolve("alice"))) {
                    assertEquals(Optional.of("alice"), again.client.savedAccount());
                    assertEquals(account, get(again.client.resume()), "the same account on the same device");
                    assertTrue(again.client.isLoggedIn());
                    // a logout revokes the token on the server and forgets it here
                    get(again.client.logout());
                    assertEquals(Optional.empty(), again.client.savedAccount());
                }
                profiles.saveToken(saved.account(), saved.token()); // as if the file had been copied away before
                try (var third = new Device("alice third", relay.port(), dir.resolve("alice"))) {
                    var refused = assertThrows(ExecutionException.class,
                            () -> third.client.resume().get(Device.WAIT_SECONDS, TimeUnit.SECONDS));
                    assertEquals(ErrorCode.AUTH_FAILED, ((RefusedException) refused.getCause()).code());
                    assertEquals(Optional.empty(), third.client.savedAccount(), "a refused token is forgotten");
                }
            }
        }
    }

    @Test
    void eventsAndAnswersComeOnTheExecutorTheCallerChose() throws Exception {
        var thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "the-ui-thread"));
        var threads = ConcurrentHashMap.<String>newKeySet();
        try (var server = server(dir.resolve("server"));
                var bob = new Device("bob", server.port(), dir.resolve("bob"));
                var alice = new Device("alice", server.port(), dir.resolve("alice"), r -> thread.execute(() -> {
                    threads.add(Thread.currentThread().getName());
                    r.run();
                }))) {
            alice.signUp("alice", "alice-pw-1");
            bob.signUp("bob", "bob-pw-1");
            befriend(bob, alice, "alice");
            String answeredOn = get(alice.client.friends().list()
                    .thenApply(friends -> Thread.currentThread().getName()));
            bob.send("alice", "hi");
            alice.awaitMessage("hi");
            assertEquals("the-ui-thread", answeredOn);
            assertEquals(Set.of("the-ui-thread"), threads);
        } finally {
            thread.shutdownNow();
        }
    }

    @Test
    void aConnectionNobodyLogsInOnIsClosedByTheServerAndComesBackByItself() throws Exception {
        var settings = TestServer.settings().data(Files.createDirectories(dir.resolve("server")))
                .loginTimeout(Duration.ofSeconds(1));
        try (var server = TestServer.start(settings);
                var idle = new Device("idle", server.port(), dir.resolve("idle"))) {
            idle.await(ChatEvent.Bye.class, b -> b.reason().equals("login-timeout"), "the login timeout");
            idle.await(ChatEvent.ConnectionChanged.class, c -> c.state() == ChatEvent.ConnectionState.ONLINE,
                    "the connection back");
            assertEquals("idle", get(idle.client.register("idle", "idle-pw-12")), "usable again");
        }
    }

    /** The server's refusal at connect (its per-address cap) is the reason the client gives. */
    @Test
    void aConnectionRefusedForTooManyFromTheAddressSaysSo() throws Exception {
        var settings = TestServer.settings().data(Files.createDirectories(dir.resolve("server")))
                .limits(chat.server.reactor.Limits.DEFAULT.withMaxConnectionsPerAddress(1));
        try (var server = TestServer.start(settings);
                var holder = new java.net.Socket("127.0.0.1", server.port());
                var refused = new Device("refused", server.port(), dir.resolve("refused"))) {
            refused.await(ChatEvent.ConnectionChanged.class, c -> c.state() == ChatEvent.ConnectionState.RECONNECTING
                    && c.reason().contains("too many connections"), "the refusal as the reason");
        }
    }

    @Test
    void aGroupsHistoryIsKeptByItsIdAcrossARename() throws Exception {
        try (var server = server(dir.resolve("server"));
                var alice = new Device("alice", server.port(), dir.resolve("alice"));
                var bob = new Device("bob", server.port(), dir.resolve("bob"))) {
            alice.signUp("alice", "alice-pw-1");
            bob.signUp("bob", "bob-pw-1");
            assertEquals("team", get(alice.client.groups().create("#team", true)));
            assertTrue(get(bob.client.groups().join("team")), "an open group lets me in");
            var joined = alice.await(ChatEvent.GroupJoined.class);
            assertEquals("bob", joined.who());

            HistoryEntry hi = alice.send("#team", "hi team");
            assertTrue(hi.isGroup());
            assertEquals(joined.groupId(), hi.message().groupId(), "sent to the group by its id");
            assertEquals("hi team", bob.awaitMessage("hi team").text());

            assertEquals("crew", get(alice.client.groups().rename("team", "crew")));
            var renamed = bob.await(ChatEvent.GroupRenamed.class);
            assertEquals(new ChatEvent.GroupRenamed(joined.groupId(), "team", "crew", renamed.time()), renamed);
            bob.send("#crew", "under the new name");
            alice.awaitMessage("under the new name");
            for (Device d : List.of(alice, bob)) {
                d.assertLocal("#crew", "hi team", "under the new name");
                d.assertLocal("!" + joined.groupId(), "hi team", "under the new name");
                HistoryPage page = get(d.client.history(Conversation.parse("#crew"), 10));
                assertEquals(List.of("#crew", "#crew"), page.entries().stream().map(HistoryEntry::to).toList(),
                        d.label + ": the group's current name on every line");
            }
        }
    }

    @Test
    void theOwnerRejectsAJoinRequestAndTheAskerIsToldOnEveryDevice() throws Exception {
        try (var server = server(dir.resolve("server"));
                var laptop = new Device("alice-laptop", server.port(), dir.resolve("laptop"));
                var phone = new Device("alice-phone", server.port(), dir.resolve("phone"));
                var bob = new Device("bob", server.port(), dir.resolve("bob"))) {
            laptop.signUp("alice", "alice-pw-1");
            phone.signUp("alice", "alice-pw-1");
            bob.signUp("bob", "bob-pw-1");
            get(laptop.client.groups().create("vip", false));
            assertFalse(get(bob.client.groups().join("#vip")), "a closed group asks its owner");
            var asked = laptop.await(ChatEvent.GroupJoinRequested.class);
            assertEquals("bob", asked.who());

            get(laptop.client.groups().reject("vip", "bob"));
            var told = bob.await(ChatEvent.GroupRejected.class);
            assertEquals(new ChatEvent.GroupRejected(asked.groupId(), "vip", "alice", "bob", told.time()), told);
            assertEquals(told, phone.await(ChatEvent.GroupRejected.class), "the owner's other device");
            assertEquals(List.of(), get(laptop.client.groups().requests("vip")));
            var again = assertThrows(ExecutionException.class,
                    () -> laptop.client.groups().reject("vip", "bob").get(Device.WAIT_SECONDS, TimeUnit.SECONDS));
            assertEquals(ErrorCode.NO_REQUEST, ((RefusedException) again.getCause()).code());
            assertTrue(laptop.all().stream().noneMatch(e -> e instanceof ChatEvent.GroupRejected),
                    "the device that rejected had the answer");
        }
    }

    /** How many events tell of a message with this text. */
    private static long count(List<ChatEvent> events, String text) {
        return events.stream().filter(e -> e instanceof ChatEvent.MessageReceived m && m.entry().text().equals(text)
                || e instanceof ChatEvent.OwnMessage o && o.entry().text().equals(text)).count();
    }
}
