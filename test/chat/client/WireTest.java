package chat.client;

import static chat.client.Device.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Line;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library against a server the test scripts line by line ({@link FakeServer}): what a newer
 * or broken server may send, and what the library sends by itself.
 */
class WireTest {

    @TempDir
    Path dir;

    private final LinkedBlockingQueue<ChatEvent> events = new LinkedBlockingQueue<>();

    private ChatClient client(FakeServer server, Timings timings) {
        var c = ChatClient.create(new ChatClient.Config("127.0.0.1", server.port(), dir, "test/1.1", "test", timings),
                Runnable::run, events::add);
        c.connect();
        return c;
    }

    /** The refusal {@code f} fails with. */
    private static RefusedException refusal(java.util.concurrent.CompletableFuture<?> f) {
        var failure = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                () -> f.get(FakeServer.WAIT_SECONDS, TimeUnit.SECONDS));
        return (RefusedException) failure.getCause();
    }

    /** The next event that is not about the connection or the login. */
    private ChatEvent next() throws InterruptedException {
        while (true) {
            ChatEvent e = events.poll(FakeServer.WAIT_SECONDS, TimeUnit.SECONDS);
            assertTrue(e != null, "no event within " + FakeServer.WAIT_SECONDS + " s");
            if (!(e instanceof ChatEvent.ConnectionChanged || e instanceof ChatEvent.ServerChanged
                    || e instanceof ChatEvent.LoggedIn || e instanceof ChatEvent.Synced)) {
                return e;
            }
        }
    }

    @Test
    void unknownPushesAndFieldsAreIgnoredAndMalformedOnesSkipped() throws Exception {
        try (var server = new FakeServer(); var c = client(server, Device.FAST); var peer = server.accept()) {
            var login = c.login("alice", "alice-pw-1");
            Line asked = peer.answerLogin();
            assertTrue(asked.field(3).startsWith("test-"), "the device goes with the login: " + asked);
            get(login);

            peer.send(null, "SOMETHING_NEWER", "1", "2", "3");            // a push this version does not know
            peer.send(null, "MESSAGE", "oops");                           // a known one, malformed
            peer.send(null, "PRESENCE", "bob", "1", "a-newer-field");     // trailing fields
            peer.send(null, "MESSAGE", "7", "1000", "bob", "alice", "", "c1", "hi", "more", "fields");

            assertEquals(new ChatEvent.Presence("bob", true), next());
            var m = (ChatEvent.MessageReceived) next();
            assertEquals("hi", m.entry().text());
            assertEquals(7, m.entry().id());
            assertEquals(Line.of(null, "ACK", "7"), peer.readSkippingPings(), "stored, then acknowledged");

            // delivered again (its ACK lost, say): acknowledged again, told once
            peer.send(null, "MESSAGE", "7", "1000", "bob", "alice", "", "c1", "hi");
            assertEquals(Line.of(null, "ACK", "7"), peer.readSkippingPings());
            peer.send(null, "PRESENCE", "bob", "0");
            assertEquals(new ChatEvent.Presence("bob", false), next(), "nothing between: the repeat was not told");
            assertEquals(1, c.localHistory(chat.common.proto.Conversation.parse("bob"), 10).size());
        }
    }

    @Test
    void anUnknownErrorCodeReadsAsUnknownAndTheMessageStays() throws Exception {
        try (var server = new FakeServer(); var c = client(server, Device.FAST); var peer = server.accept()) {
            var login = c.login("alice", "alice-pw-1");
            peer.answerLogin();
            get(login);
            var found = c.friends().find("bo");
            Line find = peer.readSkippingPings();
            peer.send(find.tag(), "FIND", "false", "quota-exceeded", "too many searches today");
            var refused = refusal(found);
            assertEquals(chat.common.proto.ErrorCode.UNKNOWN, refused.code());
            assertEquals("too many searches today", refused.getMessage());
        }
    }

    /**
     * checkName asks CHECK_NAME only of a server whose HELLO offers it: an older one is not sent a
     * request it would call unknown, and the answer is UNKNOWN. A newer one's answers are typed,
     * its bad-name a refusal with the server's reason.
     */
    @Test
    void checkNameAsksOnlyAServerThatOffersIt() throws Exception {
        try (var server = new FakeServer(); var c = client(server, Device.FAST); var peer = server.accept()) {
            var check = c.checkName("bob");
            get(c.whenOnline()); // accepted is not yet opened: REGISTER, unlike CHECK_NAME, does not wait for it
            var register = c.register("bob", "bob-secret-1");
            Line next = peer.readSkippingPings(); // HELLO answered as a 1.1 server: no check-name
            assertEquals("REGISTER", next.command(), "no CHECK_NAME to a server without it: " + next);
            peer.send(next.tag(), "REGISTER", "true", "bob");
            assertEquals(NameCheck.UNKNOWN, get(check));
            assertEquals("bob", get(register));
        }
        try (var server = new FakeServer(); var c = client(server, Device.FAST); var peer = server.accept()) {
            Line hello = peer.read();
            peer.send(hello.tag(), "HELLO", "true", "fake-1.3", "resume,multi-device,contacts,events,files,check-name");
            var free = c.checkName("bob");
            Line asked = peer.readSkippingPings();
            assertEquals(List.of("CHECK_NAME", "bob"), asked.fields());
            peer.send(asked.tag(), "CHECK_NAME", "true", "free");
            assertEquals(NameCheck.FREE, get(free));
            var taken = c.checkName("ＢＯＢ");
            asked = peer.readSkippingPings();
            peer.send(asked.tag(), "CHECK_NAME", "true", "taken");
            assertEquals(NameCheck.TAKEN, get(taken));
            var bad = c.checkName("b~b");
            asked = peer.readSkippingPings();
            peer.send(asked.tag(), "CHECK_NAME", "false", "bad-name", "not with ~");
            var refused = refusal(bad);
            assertEquals(chat.common.proto.ErrorCode.BAD_NAME, refused.code());
            assertEquals("not with ~", refused.getMessage());
        }
    }

    @Test
    void aQuietConnectionIsPingedAndOneThatStaysSilentIsDropped() throws Exception {
        var timings = new Timings(Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofMillis(300),
                Duration.ofMillis(50), Duration.ofMillis(100));
        try (var server = new FakeServer(); var c = client(server, timings); var peer = server.accept()) {
            Line hello = peer.read();
            assertEquals("HELLO", hello.command());
            Line ping = peer.read();
            assertEquals("PING", ping.command(), "nothing was sent for a while: a PING");
            // no answer, no line at all: the client gives the connection up and makes a new one
            try (var again = server.accept()) {
                assertEquals("HELLO", again.read().command());
            }
            assertTrue(events.stream().anyMatch(e -> e instanceof ChatEvent.ConnectionChanged cc
                    && cc.state() == ChatEvent.ConnectionState.RECONNECTING), events.toString());
        }
    }
}
