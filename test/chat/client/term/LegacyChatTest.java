package chat.client.term;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.wire.LegacyRecord;
import chat.server.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Our terminal clients chatting through our server, over real sockets; each sees the others marked, {@code ~bob}. */
class LegacyChatTest {

    private static final Locale EN = Locale.ENGLISH;
    private static final Locale ZH = Locale.SIMPLIFIED_CHINESE;

    private TestServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = TestServer.start();
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    @Test
    void twoClientsChatBothWaysInChineseAndEmoji() {
        try (var alice = ChatUser.join(server, "小红", EN); var bob = ChatUser.join(server, "Bob 🐻", EN)) {
            alice.expect("~Bob 🐻 is online.");

            bob.type("你好, 小红! 😀");
            alice.expect("~Bob 🐻:你好, 小红! 😀");

            alice.type("收到 👍 see you");
            bob.expect("~小红:收到 👍 see you");
        }
    }

    @Test
    void aLongLineArrivesAsSeveralRecordsCutOnCharacterBoundaries() {
        // 250 bytes laid out so that cuts at 99 bytes would fall inside a Chinese character (byte
        // 99 of 2 + 3 * 40) and then inside an emoji (byte 98 + 99 of 2 + 120 + 68 + 4 * 12).
        String line = "ab" + "中".repeat(40) + "x".repeat(68) + "😀".repeat(12) + "文".repeat(4);
        assertEquals(250, line.getBytes(StandardCharsets.UTF_8).length);
        try (var alice = ChatUser.join(server, "alice", EN); var bob = ChatUser.join(server, "bob", EN)) {
            alice.expect("~bob is online.");

            bob.type(line);
            var joined = new StringBuilder();
            int records = 0;
            while (joined.length() < line.length()) {
                String shown = alice.next();
                assertTrue(shown.startsWith("~bob:"), shown);
                String part = shown.substring("~bob:".length());
                assertFalse(part.isEmpty(), "an empty part");
                assertFalse(part.contains("\uFFFD"), "a broken character in " + part);
                assertTrue(part.getBytes(StandardCharsets.UTF_8).length <= LegacyRecord.MAX_TEXT_BYTES, part);
                joined.append(part);
                records++;
            }
            assertEquals(line, joined.toString());
            assertEquals(3, records, "250 bytes need three records of at most 99");
        }
    }

    @Test
    void anEmptyLineSendsNothing() {
        try (var alice = ChatUser.join(server, "alice", EN); var bob = ChatUser.join(server, "bob", EN)) {
            alice.expect("~bob is online.");
            bob.type("");
            bob.type("after the empty line");
            alice.expect("~bob:after the empty line");
        }
    }

    @Test
    void joinAndLeaveNoticesInEnglishWhenInputEnds() {
        try (var alice = ChatUser.join(server, "alice", EN)) {
            var bob = ChatUser.join(server, "鲍勃", EN);
            alice.expect("~鲍勃 is online.");
            bob.type("bye");
            bob.keyboard.end();
            alice.expect("~鲍勃:bye");
            alice.expect("~鲍勃 went offline.");
            bob.expectExit(Client.Exit.OK);
        }
    }

    @Test
    void joinAndLeaveNoticesInChineseOnQuit() {
        try (var alice = ChatUser.join(server, "小红", ZH)) {
            var bob = ChatUser.join(server, "鲍勃", ZH);
            alice.expect("~鲍勃 用户上线.");
            bob.type("我走了");
            bob.type(LegacyChat.QUIT);
            bob.type("typed after /quit: never sent");
            alice.expect("~鲍勃:我走了");
            alice.expect("~鲍勃 用户下线.");
            bob.expectExit(Client.Exit.OK);

            var carol = ChatUser.join(server, "carol", EN);
            alice.expect("~carol 用户上线."); // and not Bob's line typed after /quit
            carol.close();
            alice.expect("~carol 用户下线.");
            carol.expectExit(Client.Exit.OK);
        }
    }

    @Test
    void serverShutdownPrintsTheNoticeAndEndsTheSession() throws Exception {
        var alice = ChatUser.join(server, "alice", EN);
        var bob = ChatUser.join(server, "bob", ZH);
        alice.expect("~bob is online.");

        server.close();

        alice.expect("The server closed the connection.");
        bob.expect("服务器断开连接.");
        alice.expectExit(Client.Exit.SERVER_GONE);
        bob.expectExit(Client.Exit.SERVER_GONE);
        alice.close();
        bob.close();
    }
}
