package chat.client.term;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


import chat.client.Relay;
import chat.common.wire.LegacyRecord;
import chat.server.LegacyClient;
import chat.server.TestServer;
import chat.server.reactor.Limits;
import chat.server.text.TextProtocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The terminal client's group commands against the real server (SQLite) over real sockets: three
 * scripted users (one with a Chinese name, whose client speaks Chinese) make groups open and
 * closed, join, invite, approve, talk both ways, catch up at login in order and once, read their
 * unread counts and clear them by reading; a group renamed, left, kicked from, disbanded, and a
 * group message written while the server is down going out once it is back; the lobby shared
 * with a legacy client of the article.
 */
class GroupShellTest {

    private static final Locale EN = Locale.ENGLISH;
    private static final Locale ZH = Locale.forLanguageTag("zh-CN");

    @TempDir
    Path dir;

    private static void registerAndLogIn(ShellUser u, String password, Locale locale) {
        u.type("/register " + u.name, password);
        u.expect(locale == ZH ? "已注册 " + u.name + ". 现在可以 /login " + u.name + "." : "Registered " + u.name + ". Now /login " + u.name + ".");
        u.type("/login " + u.name, password);
        u.expect(locale == ZH ? "已登录为 " + u.name + "." : "Logged in as " + u.name + ".");
    }

    /** The next {@code n} lines starting with two spaces (a list's items), as a set. */
    private static Set<String> items(ShellUser u, int n) {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < n; i++) {
            out.add(u.expectStarting("  "));
        }
        return out;
    }

    @Test
    void threeUsersTalkInGroupsCatchUpInOrderAndReadTheirUnreadCounts() throws Exception {
        var server = TestServer.start(Limits.DEFAULT, null);
        boolean serverUp = true;
        try (var alice = ShellUser.start("alice", server.port(), dir.resolve("alice"), EN);
                var bob = ShellUser.start("bob", server.port(), dir.resolve("bob"), EN);
                var red = ShellUser.start("小红", server.port(), dir.resolve("red"), ZH)) {
            registerAndLogIn(alice, "alice-secret-1", EN);
            registerAndLogIn(bob, "bob-secret-1", EN);
            registerAndLogIn(red, "小红的密码-123", ZH);
            alice.type("/add bob");
            alice.expect("Friend request sent to bob.");
            bob.expect("alice asks to be your friend: /accept alice or /decline alice");
            bob.type("/accept alice");
            bob.expect("alice is now your friend.");
            alice.expect("bob is now your friend.");

            // an open group anyone joins, a closed one whose owner lets people in
            alice.type("/create team");
            alice.expect("Created #team (open); you own it.");
            alice.type("/create vip closed");
            alice.expect("Created #vip (closed); you own it.");
            bob.type("/join team");
            bob.expect("You are now a member of #team.");
            alice.expect("bob joined #team.");
            alice.type("/invite team 小红"); // no friend of alice's: the invitation waits for her answer
            alice.expect("Invited 小红 to #team; they join once they accept.");
            red.expect("alice 邀请你加入 #team: /join team 接受, /decline-invite team 拒绝");
            red.type("/invitations");
            red.expect("等你回复的入群邀请 (1):");
            red.expect("  #team, 来自 alice: /join team 接受, /decline-invite team 拒绝");
            red.type("/join team");
            red.expect("你已成为 #team 的成员.");
            alice.expect("小红 joined #team.");
            bob.expect("小红 joined #team.");
            bob.type("/join #vip");
            bob.expect("Asked the owner of #vip to let you in.");
            alice.expect("bob asks to join #vip: /approve vip bob or /reject vip bob");
            alice.type("/requests vip");
            alice.expect("Asking to join #vip (1):");
            alice.expect("  bob: /approve vip bob or /reject vip bob");
            alice.type("/approve vip bob");
            bob.expect("alice added you to #vip: you are a member now.");
            alice.expect("bob joined #vip.");
            alice.type("/requests vip");
            alice.expect("No one is asking to join #vip.");
            red.type("/join vip");
            red.expect("已请求 #vip 的群主让你加入.");
            alice.expect("小红 asks to join #vip: /approve vip 小红 or /reject vip 小红");
            alice.type("/reject vip 小红");
            alice.expect("You turned down 小红's request to join #vip.");
            red.expect("#vip 的群主 alice 拒绝了你的入群申请.");
            alice.type("/reject vip 小红");
            alice.expect("小红 has not asked to join #vip.");
            alice.type("/groups");
            alice.expect("Your groups (2):");
            assertEquals(Set.of("  #team: open, owner alice, members: 3", "  #vip: closed, owner alice, members: 2"),
                    items(alice, 2));
            red.type("/groups");
            red.expect("我的群 (1):");
            red.expect("  #team: 开放, 群主 alice, 成员数: 3");

            // what members may not do
            bob.type("/kick team 小红");
            bob.expect("Only the owner of #team can do that.");
            red.type("/msg #vip 让我进去");
            red.expect("未能发给 #vip: 你不是 #vip 的成员: 请先 /join.");

            // both ways, Chinese, a colon and a percent sign included
            alice.type("/msg #team hello team");
            bob.expect("[#team alice] hello team");
            red.expect("[#team alice] hello team");
            red.type("/chat #team");
            red.expect("正在与 #team 聊天: 直接输入的行都发给 #team; 单独输入 /chat 结束.");
            red.type("你好, 大家: 100%");
            alice.expect("[#team 小红] 你好, 大家: 100%");
            bob.expect("[#team 小红] 你好, 大家: 100%");

            bob.type("/members team");
            bob.expect("Members of #team (3):");
            assertEquals(Set.of("  alice (owner): online", "  bob: online", "  小红: online"), items(bob, 3));

            // bob goes; the others write meanwhile, one after the other
            bob.type("/logout");
            bob.expect("Logged out.");
            alice.type("/members #team");
            alice.expect("Members of #team (3):");
            assertEquals(Set.of("  alice (owner): online", "  bob: offline", "  小红: online"), items(alice, 3));
            alice.type("/msg #team one");
            red.expect("[#team alice] one");
            red.type("two");
            alice.expect("[#team 小红] two");
            alice.type("/msg #team three");
            red.expect("[#team alice] three");
            alice.type("/msg bob psst");
            alice.type("/history bob 1"); // answered once psst is stored
            alice.expectEnding("[alice] psst");

            // back: what he missed, in order
            bob.type("/login bob", "bob-secret-1");
            bob.expect("Logged in as bob.");
            bob.expect("[#team alice] one");
            bob.expect("[#team 小红] two");
            bob.expect("[#team alice] three");
            bob.expect("[alice] psst");

            // unread: counted since he joined, cleared by reading
            bob.type("/unread");
            bob.expect("Conversations with unread messages (2):");
            assertEquals(Set.of("  #team: 5", "  alice: 1"), items(bob, 2));
            bob.type("/history #team 3");
            bob.expectEnding("[#team alice] one");
            bob.expectEnding("[#team 小红] two");
            bob.expectEnding("[#team alice] three");
            bob.type("/unread");
            bob.expect("Conversations with unread messages (1):");
            bob.expect("  alice: 1");
            bob.type("/chat alice");
            bob.expect("Chatting with alice: plain lines go to alice; /chat alone ends it.");
            bob.type("/unread");
            bob.expect("No unread messages.");

            // 小红 had #team open when one and three came: shown on her screen, so read
            red.type("/unread");
            red.expect("没有未读消息.");
            red.type("/chat");
            red.expect("与 #team 的聊天已结束.");
            red.type("/unread");
            red.expect("没有未读消息.");

            // the server goes: the local history still answers
            server.close();
            serverUp = false;
            bob.expectStarting("Connection lost (");
            bob.type("/history #team 10");
            bob.expectEnding("[#team alice] hello team");
            bob.expectEnding("[#team 小红] 你好, 大家: 100%");
            bob.expectEnding("[#team alice] one");
            bob.expectEnding("[#team 小红] two");
            bob.expectEnding("[#team alice] three");
            bob.type("/unread");
            bob.expect("Not connected to the server (retrying in the background).");

            assertEquals(Client.Exit.OK, bob.quit());
            for (String m : List.of("[#team alice] hello team", "[#team 小红] 你好, 大家: 100%", "[#team alice] one",
                    "[#team 小红] two", "[#team alice] three", "[alice] psst")) {
                assertEquals(1, bob.count(m), m + " in " + bob.all());
            }
            assertEquals(0, alice.count("[#team alice] hello team"), "no echo to the sender: " + alice.all());
            assertEquals(1, red.count("[#team alice] one"), red.all().toString());
        } finally {
            if (serverUp) {
                server.close();
            }
        }
    }

    @Test
    void aGroupRenamedLeftKickedAndDisbandedAndAMessageWrittenWhileTheServerIsDown() throws Exception {
        Path serverData = Files.createDirectories(dir.resolve("server"));
        TestServer server = TestServer.start(Limits.DEFAULT, null, TextProtocol.DEFAULT_IDLE_MILLIS, serverData);
        try (var relay = new Relay(server.port());
                var alice = ShellUser.start("alice", relay.port(), dir.resolve("alice"), EN);
                var bob = ShellUser.start("bob", relay.port(), dir.resolve("bob"), EN)) {
            registerAndLogIn(alice, "alice-secret-1", EN);
            registerAndLogIn(bob, "bob-secret-1", EN);
            alice.type("/create 工作组");
            alice.expect("Created #工作组 (open); you own it.");
            bob.type("/join 工作组");
            bob.expect("You are now a member of #工作组.");
            alice.type("/chat #工作组");
            alice.expect("Chatting with #工作组: plain lines go to #工作组; /chat alone ends it.");
            alice.type("first");
            bob.expect("[#工作组 alice] first");

            // written while the server is down: kept, shown as not sent yet, sent once it is back
            server.close();
            relay.down();
            alice.expectStarting("Connection lost (");
            bob.expectStarting("Connection lost (");
            alice.type("while down");
            alice.expect("Not connected: the message to #工作组 will be sent when the connection is back.");
            alice.type("/history #工作组 2");
            alice.expectEnding("[#工作组 alice] first");
            alice.expectEnding("[#工作组 alice] while down (not sent yet)");
            server = TestServer.start(Limits.DEFAULT, null, TextProtocol.DEFAULT_IDLE_MILLIS, serverData);
            relay.up(server.port());
            alice.expect("Logged in again as alice.");
            bob.expect("Logged in again as bob.");
            bob.expect("[#工作组 alice] while down");

            // renamed: the chat and the local history follow
            alice.type("/rename 工作组 crew");
            alice.expect("#工作组 is now called #crew.");
            bob.expect("#工作组 is now called #crew.");
            alice.type("renamed");
            bob.expect("[#crew alice] renamed");
            bob.type("/history #crew 3");
            bob.expectEnding("[#crew alice] first");
            bob.expectEnding("[#crew alice] while down");
            bob.expectEnding("[#crew alice] renamed");

            bob.type("/leave crew");
            bob.expect("You left #crew.");
            alice.expect("bob left #crew.");
            alice.type("/leave crew");
            alice.expect("You own #crew, so you cannot leave it: /disband #crew deletes it.");
            alice.type("/invite crew bob"); // they are no friends: bob answers the invitation
            alice.expect("Invited bob to #crew; they join once they accept.");
            bob.expect("alice invites you to #crew: /join crew to accept, /decline-invite crew to turn it down.");
            bob.type("/decline-invite crew");
            bob.expect("You turned down the invitation to #crew.");
            alice.expect("bob turned down your invitation to #crew.");
            alice.type("/invite crew bob");
            alice.expect("Invited bob to #crew; they join once they accept.");
            bob.expect("alice invites you to #crew: /join crew to accept, /decline-invite crew to turn it down.");
            bob.type("/join crew");
            bob.expect("You are now a member of #crew.");
            alice.expect("bob joined #crew.");
            alice.type("/invite crew bob");
            alice.expect("bob is a member of #crew already.");
            alice.type("/kick crew bob");
            bob.expect("You were removed from #crew.");
            alice.expect("bob was removed from #crew.");
            bob.type("/msg #crew let me in");
            bob.expect("Not sent to #crew: You are not a member of #crew: /join it first.");
            bob.type("/history #crew 5"); // not a member now: the server says so, the local copy stays
            bob.expect("You are not a member of #crew: /join it first.");
            bob.expectEnding("[#crew alice] renamed");

            alice.type("/disband crew");
            alice.expect("#crew was disbanded.");
            alice.expect("Chat with #crew ended.");
            alice.type("/groups");
            alice.expect("You are in no group: /create GROUP, or /join GROUP (/join lobby: the article's room).");
            alice.type("/chat #crew");
            alice.expect("There is no group #crew: /groups lists yours.");

            // usage and the server's errors
            alice.type("/create");
            alice.expect("usage: /create GROUP [open|closed]");
            alice.type("/create x secret");
            alice.expect("usage: /create GROUP [open|closed]");
            alice.type("/create lobby");
            alice.expect("#lobby cannot be a group's name: a name has 1 to 32 letters, digits, '_', '-' or '.', and lobby is taken.");
            alice.type("/join nosuch");
            alice.expect("There is no group #nosuch: /create makes one.");
            alice.type("/msg #nosuch hi");
            alice.expect("Not sent to #nosuch: There is no group #nosuch: /groups lists yours.");
            alice.type("/invite crew");
            alice.expect("usage: /invite GROUP USER");
            alice.type("/help");
            alice.expect("Commands:");
            alice.expectStarting("  /msg #GROUP TEXT");

            assertEquals(Client.Exit.OK, alice.quit());
            assertEquals(1, bob.count("[#工作组 alice] while down"), bob.all().toString());
            assertTrue(bob.all().stream().noneMatch(l -> l.startsWith("There is no group")), bob.all().toString());
        } finally {
            server.close();
        }
    }

    /** The next chat record (type 0) a legacy client reads, passing over comings and goings. */
    private static LegacyRecord.Message nextChat(LegacyClient c) throws IOException {
        for (int i = 0; i < 10; i++) {
            LegacyRecord.Message m = c.read(); // a bounded wait: the socket's timeout
            if (m.type() == LegacyRecord.CHAT) {
                return m;
            }
        }
        throw new AssertionError("no chat record among 10");
    }

    @Test
    void aChatEndedByAKickOrALeaveChangesThePromptAndTheNextLineIsToldWhy() throws Exception {
        try (var server = TestServer.start(Limits.DEFAULT, null);
                var alice = ShellUser.start("alice", server.port(), dir.resolve("alice"), EN);
                var bob = ShellUser.start("bob", server.port(), dir.resolve("bob"), EN)) {
            registerAndLogIn(alice, "alice-secret-1", EN);
            registerAndLogIn(bob, "bob-secret-1", EN);
            alice.type("/create team");
            alice.expect("Created #team (open); you own it.");
            bob.type("/join team", "/chat #team");
            bob.expect("Chatting with #team: plain lines go to #team; /chat alone ends it.");
            bob.type("hello team");
            alice.expect("[#team bob] hello team");
            awaitPrompt(bob, "bob -> #team> ");

            // kicked while the prompt waits for a line: it changes at once, and the next line is told why
            alice.type("/kick team bob");
            bob.expect("Chat with #team ended.");
            assertEquals("bob> ", bob.console.prompt());
            bob.type("still there?");
            bob.expect("Not sent: the chat with #team has ended. /chat USER|#GROUP to start another, or /msg USER|#GROUP TEXT.");
            bob.type("again?");
            bob.expect("Not a command: /chat USER first, or /msg USER TEXT.");

            // leaving it myself ends it too
            bob.type("/join team", "/chat #team");
            bob.expect("Chatting with #team: plain lines go to #team; /chat alone ends it.");
            awaitPrompt(bob, "bob -> #team> ");
            bob.type("/leave team");
            bob.expect("Chat with #team ended.");
            awaitPrompt(bob, "bob> ");
            assertEquals(Client.Exit.OK, bob.quit());
            assertEquals(0, alice.count("[#team bob] still there?"));
        }
    }

    /** Waits until the shell reads its next line with {@code prompt}: it does once the line before is done. */
    private static void awaitPrompt(ShellUser u, String prompt) throws Exception {
        chat.server.Await.until(() -> prompt.equals(u.console.prompt()), u.name + "'s prompt \"" + prompt + "\"");
    }

    @Test
    void theLobbyIsStillJoinedAfterTheServerRestarts() throws Exception {
        Path serverData = Files.createDirectories(dir.resolve("server"));
        TestServer server = TestServer.start(Limits.DEFAULT, null, TextProtocol.DEFAULT_IDLE_MILLIS, serverData);
        try (var relay = new Relay(server.port());
                var bob = ShellUser.start("bob", relay.port(), dir.resolve("bob"), EN)) {
            registerAndLogIn(bob, "bob-secret-1", EN);
            bob.type("/join lobby");
            bob.expect("Joined #lobby, the room of the article's clients: /msg #lobby TEXT or /chat #lobby.");

            server.close();
            relay.down();
            bob.expectStarting("Connection lost (");
            server = TestServer.start(Limits.DEFAULT, null, TextProtocol.DEFAULT_IDLE_MILLIS, serverData);
            relay.up(server.port());
            bob.expect("Logged in again as bob.");
            bob.type("/members lobby");
            bob.expect("Members of #lobby (1):");
            bob.expect("  bob: online");
            try (var old = LegacyClient.join(server.port(), "oldtimer")) {
                bob.expect("~oldtimer joined #lobby.");
                old.say("still there, bob?");
                bob.expect("[#lobby ~oldtimer] still there, bob?");
            }
            assertEquals(Client.Exit.OK, bob.quit());
        } finally {
            server.close();
        }
    }

    @Test
    void anAccountUserJoinsTheLobbyAndTalksWithTheArticlesClient() throws Exception {
        try (var server = TestServer.start(Limits.DEFAULT, null);
                var alice = ShellUser.start("alice", server.port(), dir.resolve("alice"), EN)) {
            registerAndLogIn(alice, "alice-secret-1", EN);
            alice.type("/msg #lobby too early");
            alice.expect("Not sent to #lobby: You are not a member of #lobby: /join it first.");
            alice.type("/join lobby");
            alice.expect("Joined #lobby, the room of the article's clients: /msg #lobby TEXT or /chat #lobby.");
            try (var old = LegacyClient.join(server.port(), "oldtimer")) {
                alice.expect("~oldtimer joined #lobby.");
                alice.type("/msg #lobby hi 老朋友");
                LegacyRecord.Message m = nextChat(old);
                assertEquals("alice", m.name());
                assertEquals("hi 老朋友", m.text());
                old.say("你好 alice");
                alice.expect("[#lobby ~oldtimer] 你好 alice");
                alice.type("/chat #lobby");
                alice.expect("Chatting with #lobby: plain lines go to #lobby; /chat alone ends it.");
                alice.type("a plain line");
                m = nextChat(old);
                assertEquals("alice", m.name());
                assertEquals("a plain line", m.text());

                // A legacy client calling itself alice is ~alice, and its leaving is not mine.
                try (var impostor = LegacyClient.join(server.port(), "alice")) {
                    alice.expect("~alice joined #lobby.");
                    impostor.say("I am alice");
                    alice.expect("[#lobby ~alice] I am alice");
                    m = nextChat(old);
                    assertEquals(List.of("~alice", "I am alice"), List.of(m.name(), m.text()));
                }
                alice.expect("~alice left #lobby.");
                alice.type("still chatting");
                m = nextChat(old);
                assertEquals(List.of("alice", "still chatting"), List.of(m.name(), m.text()), "the chat goes on");

                alice.type("/groups");
                alice.expect("Your groups (1):");
                alice.expect("  #lobby: the room of the article's clients, in it: 2");
                alice.type("/members lobby");
                alice.expect("Members of #lobby (2):");
                assertEquals(Set.of("  ~oldtimer: online", "  alice: online"), items(alice, 2));
                alice.type("/history #lobby");
                alice.expect("The lobby keeps no history: what is said there is not stored.");
                alice.type("/unread");
                alice.expect("No unread messages.");
            }
            alice.expect("~oldtimer left #lobby.");
            alice.type("/leave lobby");
            alice.expect("You left #lobby.");
            alice.expect("Chat with #lobby ended.");
            alice.type("/msg #lobby anyone?");
            alice.expect("Not sent to #lobby: You are not a member of #lobby: /join it first.");
            assertEquals(Client.Exit.OK, alice.quit());
            assertEquals(1, alice.count("[#lobby ~oldtimer] 你好 alice"));
            assertEquals(1, alice.count("You left #lobby."), "only my own leave was mine");
            assertEquals(0, alice.count("You are now a member of #lobby."), "the impostor's coming was not mine");
        }
    }
}
