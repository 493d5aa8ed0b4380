package chat.server;

import static chat.common.wire.LegacyRecord.CHAT;
import static chat.common.wire.LegacyRecord.OFFLINE;
import static chat.common.wire.LegacyRecord.ONLINE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Line;
import chat.common.proto.Request;
import chat.common.wire.LegacyRecord;
import chat.testing.Needs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lobby keeps a legacy client apart from the account of the same name: the legacy one is
 * {@code ~bob} to the accounts and to the other legacy clients alike, its coming and going never
 * moves the account's membership, and MEMBERS lists both, once each. Checked on what each side
 * receives: the lines of the account clients, the bytes of the legacy clients' records.
 */
class LobbyNamesTest {

    @TempDir
    Path dir;

    private TestServer server;
    /** A legacy client that only watches: the records the room sends to the article's clients. */
    private LegacyClient carol;
    private TextClient alice;
    private TextClient bob;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start();
        carol = LegacyClient.join(server.port(), "carol");
        alice = TextClient.loggedIn(server.port(), "alice");
        bob = TextClient.loggedIn(server.port(), "bob");
        assertTrue(alice.call(new Request.Join("lobby")).ok());
        assertArrayEquals(LegacyRecord.encode("alice", "", ONLINE), carol.readRaw(), "an account under its own name");
        assertTrue(bob.call(new Request.Join("lobby")).ok());
        assertArrayEquals(LegacyRecord.encode("bob", "", ONLINE), carol.readRaw());
        assertEquals("GROUP_JOINED:0:T:0:lobby:bob:", timeless(alice.awaitPush("GROUP_JOINED")));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {bob, alice, carol, server}) {
            if (c != null) {
                c.close();
            }
        }
    }

    /** A push with its time (which the test cannot know) as {@code T}. */
    private static String timeless(Line push) {
        List<String> fields = new ArrayList<>(push.fields());
        fields.set(2, "T");
        return new Line(null, fields).format();
    }

    private static List<String> members(TextClient c) throws IOException {
        return c.call(new Request.Members("lobby")).items().stream().map(l -> l.field(1)).toList();
    }

    /** Both account clients get {@code push} (its time aside). */
    private void accountsGet(String push) throws IOException {
        String name = push.substring(0, push.indexOf(':'));
        assertEquals(push, timeless(alice.awaitPush(name)), "alice");
        assertEquals(push, timeless(bob.awaitPush(name)), "bob");
    }

    /** A legacy client shown as {@code shown} came: what the accounts and the other legacy client get. */
    private void legacyJoined(String shown) throws IOException {
        accountsGet(new Line(null, List.of("GROUP_JOINED", "0", "T", "0", "lobby", shown, "")).format());
        assertArrayEquals(LegacyRecord.encode(shown, "", ONLINE), carol.readRaw(), shown);
    }

    /** It went. */
    private void legacyLeft(String shown) throws IOException {
        accountsGet(new Line(null, List.of("GROUP_LEFT", "0", "T", "0", "lobby", shown, "left", "")).format());
        assertArrayEquals(LegacyRecord.encode(shown, "", OFFLINE), carol.readRaw(), shown);
    }

    /** The account bob is in the lobby and is told nothing about itself. */
    private void bobIsStillInTheLobby() throws IOException {
        assertEquals("0", bob.call(new Request.Groups()).items().get(0).field(1), "the lobby first in bob's GROUPS");
        assertTrue(bob.call(new Request.Group("lobby", "b2", "still here")).ok());
        assertArrayEquals(LegacyRecord.encode("bob", "still here", CHAT), carol.readRaw());
        assertEquals("MESSAGE:0:T:bob:#lobby:0::still here", timeless(alice.awaitPush("MESSAGE")));
        for (String line : bob.transcript) {
            assertTrue(!line.matches("GROUP_(JOINED|LEFT):0:\\d+:0:lobby:bob:.*"), "bob was told of itself: " + line);
        }
    }

    @Test
    void aJavaLegacyClientNamedBobIsTildeBobToEveryone() throws Exception {
        try (var fake = LegacyClient.join(server.port(), "bob")) {
            legacyJoined("~bob");
            assertEquals(List.of("~carol", "~bob", "alice", "bob"), members(alice));
            assertEquals(List.of("~carol", "~bob", "alice", "bob"), members(bob));

            fake.say("I am bob, trust me");
            accountsGet("MESSAGE:0:T:~bob:#lobby:0::I am bob, trust me");
            assertArrayEquals(LegacyRecord.encode("~bob", "I am bob, trust me", CHAT), carol.readRaw());

            assertTrue(bob.call(new Request.Group("lobby", "b1", "the real bob")).ok());
            assertArrayEquals(LegacyRecord.encode("bob", "the real bob", CHAT), fake.readRaw());
            assertArrayEquals(LegacyRecord.encode("bob", "the real bob", CHAT), carol.readRaw());
            assertEquals("MESSAGE:0:T:bob:#lobby:0::the real bob", timeless(alice.awaitPush("MESSAGE")));
            carol.say("hi both");
            assertArrayEquals(LegacyRecord.encode("~carol", "hi both", CHAT), fake.readRaw());
            accountsGet("MESSAGE:0:T:~carol:#lobby:0::hi both");
        }
        legacyLeft("~bob");
        assertEquals(List.of("~carol", "alice", "bob"), members(alice));
        bobIsStillInTheLobby();
    }

    @Test
    void theArticlesClientNamedBobIsTildeBobToEveryone() throws Exception {
        Path exe = Needs.compileSeedC("client_app.c", dir);
        try (var fake = new SeedClient(exe, server.port(), "bob")) {
            legacyJoined("~bob");
            assertEquals(List.of("~carol", "~bob", "alice", "bob"), members(bob));

            fake.type("我是 bob");
            accountsGet("MESSAGE:0:T:~bob:#lobby:0::我是 bob");
            assertArrayEquals(LegacyRecord.encode("~bob", "我是 bob", CHAT), carol.readRaw());

            assertTrue(bob.call(new Request.Group("lobby", "b1", "the real bob")).ok());
            assertEquals("bob:the real bob", fake.nextLine(), "accounts reach the article's client by their own name");
            assertArrayEquals(LegacyRecord.encode("bob", "the real bob", CHAT), carol.readRaw());
            assertEquals("MESSAGE:0:T:bob:#lobby:0::the real bob", timeless(alice.awaitPush("MESSAGE")));
            carol.say("hi C");
            assertEquals("~carol:hi C", fake.nextLine());
            accountsGet("MESSAGE:0:T:~carol:#lobby:0::hi C");

            fake.quit();
        }
        legacyLeft("~bob");
        assertEquals(List.of("~carol", "alice", "bob"), members(bob));
        bobIsStillInTheLobby();
    }

    @Test
    void aLegacyNameIsMarkedWhateverItHolds() throws Exception {
        String longest = "n".repeat(LegacyRecord.MAX_NAME_BYTES); // 49 bytes: the mark pushes one out
        String chinese = "a" + "长".repeat(16); // 49 bytes: the cut falls inside the last 长
        for (String[] named : new String[][] {
                {"~x", "~~x"}, {"alice", "~alice"}, {"", "~"},
                {longest, "~" + "n".repeat(48)}, {chinese, "~a" + "长".repeat(15)}}) {
            try (var legacy = LegacyClient.join(server.port(), named[0])) {
                legacyJoined(named[1]);
                assertEquals(List.of("~carol", named[1], "alice", "bob"), members(alice));
            }
            legacyLeft(named[1]);
        }
        for (String line : alice.transcript) {
            assertTrue(!line.matches("GROUP_(JOINED|LEFT):0:\\d+:0:lobby:alice:.*"),
                    "alice was told of itself: " + line);
        }
    }
}
