package chat.client;

import static chat.client.Device.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.client.HistoryEntry.DeliveryState;
import chat.common.proto.Conversation;
import chat.server.TestServer;
import chat.testing.MariaDb;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client given a list of servers, against real servers in this JVM over real sockets: two
 * servers on one MariaDB database (without --cluster: moving from one to the other needs nothing
 * of it), the first stopped under the clients' feet.
 */
class ServerListTest {

    @TempDir
    Path dir;

    private static ChatClient.Config config(List<ServerAddress> servers, Path data) {
        return new ChatClient.Config(servers, data, "test/1.1", "test", Device.FAST);
    }

    private static ServerAddress local(int port) {
        return new ServerAddress("127.0.0.1", port);
    }

    private TestServer server(String name, String dbUrl) throws Exception {
        return TestServer.start(TestServer.settings().dbUrl(dbUrl).data(Files.createDirectories(dir.resolve(name))));
    }

    @Test
    void whenItsServerStopsTheClientMovesToTheNextResumesAndLosesAndDuplicatesNothing() throws Exception {
        try (var db = MariaDb.fresh()) {
            var a = server("a", db.url());
            try (var b = server("b", db.url())) {
                List<ServerAddress> list = List.of(local(a.port()), local(b.port()));
                try (var alice = new Device("alice", config(list, dir.resolve("alice")), Runnable::run);
                        var bob = new Device("bob", config(list, dir.resolve("bob")), Runnable::run)) {
                    alice.signUp("alice", "alice-pw-1");
                    bob.signUp("bob", "bob-pw-1");
                    assertEquals(new ChatEvent.ServerChanged(local(a.port()), null), alice.await(ChatEvent.ServerChanged.class));
                    assertEquals(local(a.port()), alice.client.server());
                    assertFalse(get(alice.client.friends().add("bob")));
                    bob.await(ChatEvent.FriendRequested.class);
                    get(bob.client.friends().accept("alice"));
                    alice.await(ChatEvent.FriendAdded.class);
                    alice.send("bob", "before");
                    bob.awaitMessage("before");

                    // messages go while the server stops: some confirmed by a, some resent to b
                    List<CompletableFuture<HistoryEntry>> sending = new ArrayList<>();
                    Thread stopper = new Thread(() -> {
                        try {
                            a.close();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                    List<String> texts = new ArrayList<>();
                    for (int i = 0; i < 40; i++) {
                        texts.add("moving " + i);
                        sending.add(alice.client.send(Conversation.parse("bob"), "moving " + i));
                        if (i == 10) {
                            stopper.start();
                        }
                        Thread.sleep(5);
                    }
                    stopper.join();
                    for (Device d : List.of(alice, bob)) {
                        var moved = d.await(ChatEvent.ServerChanged.class, e -> e.previous() != null, "the move");
                        assertEquals(new ChatEvent.ServerChanged(local(b.port()), local(a.port())), moved, d.label);
                        assertTrue(d.await(ChatEvent.LoggedIn.class).automatic(), d.label + " resumed by itself");
                        assertEquals(local(b.port()), d.client.server());
                    }
                    for (var f : sending) {
                        get(f); // SENT, or PENDING and resent: none refused
                    }
                    for (String text : texts) {
                        bob.awaitMessage(text);
                    }
                    alice.send("bob", "after the move");
                    bob.awaitMessage("after the move");
                    bob.send("alice", "answer on b");
                    alice.awaitMessage("answer on b");

                    // every message once, on both sides, with the server's id; told once to bob
                    List<String> expected = new ArrayList<>(List.of("before"));
                    expected.addAll(texts);
                    expected.add("after the move");
                    expected.add("answer on b");
                    awaitAllSent(alice);
                    get(alice.client.history(Conversation.parse("bob"), 200)); // the server's view merged in
                    get(bob.client.history(Conversation.parse("alice"), 200));
                    // (a message typed while the login on b was under way may overtake those resent
                    // after it, as after any reconnect: the order is the server's, the same on both sides)
                    List<String> order = alice.local("bob");
                    assertEquals(expected.stream().sorted().toList(), order.stream().sorted().toList(),
                            "alice's history: each once");
                    assertEquals(order, bob.local("alice"), "bob's history: the same, in the same order");
                    for (String text : expected.subList(0, expected.size() - 1)) {
                        assertEquals(1, told(bob.all(), text), "bob told once of " + text);
                    }
                    assertEquals(1, told(alice.all(), "answer on b"), "alice told once");
                    assertTrue(alice.all().stream().anyMatch(e -> e instanceof ChatEvent.MessageStateChanged c && c.resent()),
                            "some went while the client moved: sent again on b after the login");
                    List<Long> ids = alice.client.localHistory(Conversation.parse("bob"), 200).stream()
                            .map(HistoryEntry::id).toList();
                    assertEquals(ids.size(), ids.stream().distinct().count(), "one server id each: " + ids);

                    // a file's data connections go to b, where the chat connection is
                    Path file = Files.writeString(dir.resolve("report.txt"), "the report, ".repeat(5000));
                    FileTransfer up = get(alice.client.sendFile(Conversation.parse("bob"), file, TransferListener.NONE));
                    get(up.done());
                    var offered = bob.await(ChatEvent.FileOffered.class);
                    FileTransfer down = get(bob.client.download(offered.entry().fileId(), dir.resolve("inbox"),
                            TransferListener.NONE));
                    Path saved = down.done().get(Device.WAIT_SECONDS, TimeUnit.SECONDS);
                    assertEquals(Files.readString(file), Files.readString(saved));

                    // one local store per cluster, named by the list's first server
                    assertTrue(Files.exists(dir.resolve("alice").resolve("127.0.0.1_" + a.port()).resolve("user-alice.db")));
                    assertFalse(Files.exists(dir.resolve("alice").resolve("127.0.0.1_" + b.port())));
                }
            } finally {
                a.close();
            }
        }
    }

    @Test
    void aServerDownAtStartIsPassedOverAtOnceForTheNextThatAnswers() throws Exception {
        int closed;
        try (var s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        try (var server = TestServer.start(TestServer.settings().data(Files.createDirectories(dir.resolve("s"))))) {
            var slow = new Timings(Device.FAST.connectTimeout(), Device.FAST.pingAfter(), Device.FAST.pongWait(),
                    java.time.Duration.ofSeconds(60), java.time.Duration.ofSeconds(60));
            var list = List.of(local(closed), local(server.port()));
            try (var alice = new Device("alice", new ChatClient.Config(list, dir.resolve("alice"), "test/1.1", "test", slow),
                    Runnable::run)) {
                // the backoff (a minute here) waits only when every server of the list failed
                get(alice.client.whenOnline());
                assertEquals(new ChatEvent.ServerChanged(local(server.port()), null), alice.await(ChatEvent.ServerChanged.class));
                assertTrue(alice.all().stream().noneMatch(e -> e instanceof ChatEvent.ConnectionChanged c
                        && c.state() == ChatEvent.ConnectionState.RECONNECTING), "no round failed: " + alice.all());
                alice.signUp("alice", "alice-pw-1");
                assertEquals(local(server.port()), alice.client.server());
            }
        }
    }

    @Test
    void whenEveryServerFailsTheReasonNamesEachAndTheClientKeepsTrying() throws Exception {
        int first;
        int second;
        try (var s1 = new ServerSocket(0); var s2 = new ServerSocket(0)) {
            first = s1.getLocalPort();
            second = s2.getLocalPort();
        }
        var list = List.of(local(first), local(second));
        try (var alice = new Device("alice", config(list, dir.resolve("alice")), Runnable::run)) {
            var down = alice.await(ChatEvent.ConnectionChanged.class,
                    c -> c.state() == ChatEvent.ConnectionState.RECONNECTING, "the round failing");
            assertTrue(down.reason().startsWith("127.0.0.1:" + first + ": "), down.reason());
            assertTrue(down.reason().contains("; 127.0.0.1:" + second + ": "), down.reason());
            // the second comes up where the first was not: the client finds it by itself
            try (var server = TestServer.start(TestServer.settings().port(second)
                    .data(Files.createDirectories(dir.resolve("s"))))) {
                get(alice.client.whenOnline());
                assertEquals(local(second), alice.client.server());
            }
        }
    }

    @Test
    void aServerWhoseCertificateIsRefusedIsPassedOverAndEachServerHasItsOwnKnownHostsLine() throws Exception {
        try (var refused = TestServer.start(chat.server.TlsFixture.settings()
                        .data(Files.createDirectories(dir.resolve("r"))));
                var trusted = TestServer.start(chat.server.TlsFixture.settings()
                        .data(Files.createDirectories(dir.resolve("t"))))) {
            String yes = "127.0.0.1:" + trusted.port();
            HostTrust onlyTrusted = (server, fingerprint) -> server.equals(yes);
            var list = List.of(local(refused.port()), local(trusted.port()));
            try (var alice = new Device("alice", config(list, dir.resolve("alice")).withTls(onlyTrusted), Runnable::run)) {
                get(alice.client.whenOnline());
                assertEquals(local(trusted.port()), alice.client.server());
                alice.signUp("alice", "alice-pw-1");
                List<String> known = Files.readAllLines(dir.resolve("alice").resolve(KnownHosts.FILE));
                assertEquals(1, known.size(), known.toString());
                assertTrue(known.get(0).startsWith(yes + " "), known.toString());
            }
        }
    }

    /** Waits until none of alice's messages is PENDING any more (each resent one confirmed). */
    private static void awaitAllSent(Device alice) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Device.WAIT_SECONDS);
        while (alice.client.localHistory(Conversation.parse("bob"), 200).stream()
                .anyMatch(e -> e.state() == DeliveryState.PENDING || e.id() == 0)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still pending: " + alice.client.localHistory(Conversation.parse("bob"), 200));
            }
            Thread.sleep(20);
        }
    }

    private static long told(List<ChatEvent> events, String text) {
        return events.stream().filter(e -> e instanceof ChatEvent.MessageReceived m && m.entry().text().equals(text)).count();
    }
}
