package chat.client.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.client.HistoryEntry;
import chat.client.Timings;
import chat.client.desktop.model.ChatMessage;
import chat.client.desktop.model.ConnectionState;
import chat.client.desktop.model.Conversation;
import chat.server.TestServer;
import java.awt.Window;
import java.awt.event.KeyEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.swing.JButton;
import javax.swing.JList;
import javax.swing.JTextField;
import javax.swing.SwingUtilities;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two desktop clients, each its own App with its own config folder, on the real client library
 * and a real server in this JVM: they register in the login window, become friends through the
 * add-friend dialog and the request's Accept button, exchange messages (Chinese and emoji too)
 * typed into the conversation view, and see them in both windows and both local stores. The
 * server is stopped and started again in the middle; what alice types meanwhile goes when it is
 * back.
 */
class DesktopFlowTest {

    /** Reconnect quickly: the tests should not wait out the 1-to-10-second backoff. */
    static final Timings FAST = new Timings(Duration.ofSeconds(5), Duration.ofSeconds(30),
            Duration.ofSeconds(30), Duration.ofMillis(50), Duration.ofMillis(300));

    @TempDir
    Path dir;

    private TestServer server;
    private App alice;
    private App bob;

    @BeforeEach
    void setUp() throws Exception {
        server = startServer(dir);
    }

    @AfterEach
    void tearDown() throws Exception {
        stopAll(server, alice, bob);
    }

    /** English, the light theme, and a server on port 0 keeping its data in {@code dir/server}: a desktop test's start. */
    static TestServer startServer(Path dir) throws Exception {
        Gui.requireDisplay();
        Gui.run(() -> {
            Text.use(Locale.ENGLISH);
            Theme.LIGHT.install();
        });
        return TestServer.start(TestServer.settings().data(java.nio.file.Files.createDirectories(dir.resolve("server"))));
    }

    /** Closes the apps a test started (null: not started), every window, then the server. */
    static void stopAll(TestServer server, App... apps) throws Exception {
        for (App app : apps) {
            if (app != null) {
                Gui.run(app::close);
            }
        }
        Gui.disposeAll();
        if (server != null) {
            server.close();
        }
    }

    private App start(String who) {
        return startApp(dir.resolve(who));
    }

    /** A desktop app on the real library, its settings and data in {@code config}. */
    static App startApp(Path config) {
        return Gui.onEdt(() -> {
            App app = new App(new Settings(config), () -> new LibraryService(config, FAST), () -> {});
            app.start();
            return app;
        });
    }

    private void register(App app, String name) {
        signUp(app, name, server.port());
    }

    /** Fills the login window and presses Create account; waits for the main window, online. */
    static void signUp(App app, String name, int port) {
        LoginWindow login = Gui.onEdt(app::loginWindow);
        Gui.run(() -> {
            login.server.setText("127.0.0.1");
            login.port.setText(Integer.toString(port));
            login.account.setText(name);
            login.password.setText("secret-" + name);
        });
        Gui.run(login.register::doClick);
        Gui.await(name + "'s main window", () -> app.mainWindow() != null && app.mainWindow().isShowing());
        Gui.await(name + " online", () -> app.model().state() == ConnectionState.ONLINE);
        assertEquals(name, Gui.onEdt(() -> app.mainWindow().state.isShowing() ? app.model().me() : ""));
    }

    static Conversation row(App app, String key) {
        return Gui.onEdt(() -> {
            MainWindow w = app.mainWindow();
            for (int i = 0; i < w.items.size(); i++) {
                if (w.items.get(i).key().equals(key)) {
                    return w.items.get(i);
                }
            }
            return null;
        });
    }

    /** Opens a conversation as the user does: select it in the list, press Enter. */
    static ConversationPanel open(App app, String key) {
        Gui.await("conversation " + key + " in the list", () -> row(app, key) != null);
        Gui.run(() -> {
            MainWindow w = app.mainWindow();
            for (int i = 0; i < w.items.size(); i++) {
                if (w.items.get(i).key().equals(key)) {
                    w.list.setSelectedIndex(i);
                }
            }
            w.list.getActionMap().get("open").actionPerformed(null);
        });
        return Gui.onEdt(() -> app.mainWindow().openConversation());
    }

    /** Types {@code text} into the conversation's input and presses Enter. */
    static void type(ConversationPanel conv, String text) {
        Gui.run(() -> {
            conv.input.requestFocusInWindow();
            conv.input.setText(text);
            conv.input.dispatchEvent(new KeyEvent(conv.input, KeyEvent.KEY_PRESSED, System.currentTimeMillis(), 0,
                    KeyEvent.VK_ENTER, '\n'));
        });
    }

    /** The texts the conversation view shows, oldest first, with their delivery states. */
    static List<String> shown(ConversationPanel conv) {
        return Gui.onEdt(() -> {
            List<String> out = new java.util.ArrayList<>();
            for (int i = 0; i < conv.list.getModel().getSize(); i++) {
                if (conv.list.getModel().getElementAt(i) instanceof Row.Msg m) {
                    out.add(m.message().from() + ": " + m.message().text() + " [" + m.message().delivery() + "]");
                }
            }
            return out;
        });
    }

    private static List<String> stored(App app, String conversation) {
        LibraryService service = (LibraryService) app.model().service();
        return service.client().localHistory(chat.common.proto.Conversation.parse(conversation), 50).stream()
                .map(HistoryEntry::text).toList();
    }

    @Test
    void twoClientsBecomeFriendsAndChatThroughAServerRestart() throws Exception {
        alice = start("alice");
        bob = start("bob");
        register(alice, "alice");
        register(bob, "bob");

        // alice finds bob in the add-friend dialog and sends him a request.
        JButton add = Gui.find(alice.mainWindow(), "main.addFriend", JButton.class);
        Gui.run(() -> SwingUtilities.invokeLater(add::doClick)); // the dialog is modal: open it later
        Gui.await("the add-friend dialog", () -> Gui.window("friend.dialog") != null);
        Window dialog = Gui.window("friend.dialog");
        JTextField query = Gui.find((java.awt.Container) dialog, "friend.query", JTextField.class);
        Gui.run(() -> {
            query.setText("bob");
            query.postActionEvent();
        });
        @SuppressWarnings("unchecked")
        JList<String> results = Gui.find((java.awt.Container) dialog, "friend.results", JList.class);
        Gui.await("bob among the search results", () -> results.getModel().getSize() > 0
                && "bob".equals(results.getSelectedValue()));
        Gui.run(Gui.find((java.awt.Container) dialog, "friend.send", JButton.class)::doClick);

        // bob accepts it in his main window.
        Gui.await("alice's request in bob's window", () -> Gui.onEdt(() -> find(bob, "request.accept:alice")) != null);
        Gui.run(() -> find(bob, "request.accept:alice").doClick());
        Gui.run(dialog::dispose);
        Gui.await("bob in alice's list", () -> row(alice, "bob") != null);
        Gui.await("alice in bob's list", () -> row(bob, "alice") != null);
        Gui.await("bob online for alice", () -> row(alice, "bob").online());

        // alice writes, in English and in Chinese with an emoji.
        ConversationPanel aliceView = open(alice, "bob");
        type(aliceView, "hello bob");
        type(aliceView, "你好，鲍勃！周末一起吃饭吗？🍜");
        Gui.await("both stored on alice's side", () -> shown(aliceView).equals(List.of(
                "alice: hello bob [STORED]", "alice: 你好，鲍勃！周末一起吃饭吗？🍜 [STORED]")));

        // bob sees them: unread in his list, then in the conversation.
        Gui.await("the preview in bob's list", () -> row(bob, "alice").preview().equals("你好，鲍勃！周末一起吃饭吗？🍜"));
        assertEquals(2, row(bob, "alice").unread());
        ConversationPanel bobView = open(bob, "alice");
        Gui.await("alice's messages in bob's window", () -> shown(bobView).equals(List.of(
                "alice: hello bob [STORED]", "alice: 你好，鲍勃！周末一起吃饭吗？🍜 [STORED]")));
        Gui.await("read once opened", () -> row(bob, "alice").unread() == 0);
        type(bobView, "好的！Saturday?");
        Gui.await("bob's answer in alice's window", () -> shown(aliceView).contains("bob: 好的！Saturday? [STORED]"));

        // The server goes away; both windows say so; alice's message waits.
        int port = server.port();
        server.close();
        server = null;
        Gui.await("alice sees the connection is gone", () -> alice.model().state() == ConnectionState.RECONNECTING
                && alice.mainWindow().state.text().equals("Reconnecting…"));
        type(aliceView, "typed while the server was down");
        Gui.await("shown as sending", () -> shown(aliceView).contains("alice: typed while the server was down [SENDING]"));

        server = TestServer.start(TestServer.settings().data(dir.resolve("server")).port(port));
        Gui.await("alice back online", () -> alice.model().state() == ConnectionState.ONLINE);
        Gui.await("the waiting message stored", () -> shown(aliceView).contains(
                "alice: typed while the server was down [STORED]"));
        Gui.await("and in bob's window, once", () -> shown(bobView).stream()
                .filter(s -> s.contains("typed while the server was down")).count() == 1
                && bob.model().state() == ConnectionState.ONLINE);

        // Both local stores have the whole conversation.
        List<String> all = List.of("hello bob", "你好，鲍勃！周末一起吃饭吗？🍜", "好的！Saturday?", "typed while the server was down");
        Gui.await("alice's store", () -> stored(alice, "bob").equals(all));
        Gui.await("bob's store", () -> stored(bob, "alice").equals(all));
        assertTrue(shown(bobView).size() == 4, () -> "bob's window shows each message once: " + shown(bobView));
        assertEquals(ChatMessage.Delivery.STORED, Gui.onEdt(() -> alice.model().messages("bob")).get(3).delivery());

        // A group: alice creates it and invites bob; both see it and its messages with the sender.
        String team = Gui.onEdt(() -> alice.model().service().createGroup("team", false)).get(20, java.util.concurrent.TimeUnit.SECONDS);
        Gui.onEdt(() -> alice.model().service().invite(team, "bob")).get(20, java.util.concurrent.TimeUnit.SECONDS);
        Gui.await("#team in bob's list", () -> row(bob, team) != null && row(bob, team).title().equals("#team"));
        Gui.await("#team in alice's list", () -> row(alice, team) != null && row(alice, team).owner().equals("alice"));
        ConversationPanel aliceTeam = open(alice, team);
        type(aliceTeam, "欢迎 bob 加入 👋");
        Gui.await("the group message in bob's list", () -> row(bob, team).preview().equals("欢迎 bob 加入 👋"));
        ConversationPanel bobTeam = open(bob, team);
        Gui.await("and in his window", () -> shown(bobTeam).equals(List.of("alice: 欢迎 bob 加入 👋 [STORED]")));

        // The owner's tools: a rename reaches bob's list; a kick takes the group out of it.
        Gui.onEdt(() -> alice.model().service().renameGroup(team, "crew")).get(20, java.util.concurrent.TimeUnit.SECONDS);
        Gui.await("the new name in bob's list", () -> row(bob, team) != null && row(bob, team).title().equals("#crew"));
        List<String> members = Gui.onEdt(() -> alice.model().service().members(team)).get(20, java.util.concurrent.TimeUnit.SECONDS)
                .stream().map(m -> m.name() + (m.owner() ? "*" : "")).sorted().toList();
        assertEquals(List.of("alice*", "bob"), members);
        Gui.onEdt(() -> alice.model().service().kick(team, "bob")).get(20, java.util.concurrent.TimeUnit.SECONDS);
        Gui.await("the group gone from bob's list", () -> row(bob, team) == null);

        // alice quits; her next start signs in with the kept session, without the password.
        Gui.run(() -> {
            alice.close();
            alice.mainWindow().dispose();
        });
        alice = start("alice");
        Gui.await("alice's main window, resumed", () -> alice.mainWindow() != null && alice.mainWindow().isShowing());
        Gui.await("online again", () -> alice.model().state() == ConnectionState.ONLINE);
        Gui.await("with her conversations", () -> row(alice, "bob") != null && row(alice, team) != null);
    }

    private static JButton find(App app, String name) {
        return searchButton(app.mainWindow(), name);
    }

    private static JButton searchButton(java.awt.Component c, String name) {
        if (c instanceof JButton b && name.equals(b.getName())) {
            return b;
        }
        if (c instanceof java.awt.Container container) {
            for (java.awt.Component child : container.getComponents()) {
                JButton found = searchButton(child, name);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    @Test
    void olderPagesComeFromTheLibraryWhenScrollingUp() throws Exception {
        alice = start("alice");
        bob = start("bob");
        register(alice, "alice");
        register(bob, "bob");
        var wait = java.util.concurrent.TimeUnit.SECONDS;
        Gui.onEdt(() -> alice.model().service().requestFriend("bob")).get(20, wait);
        Gui.await("the request at bob's", () -> bob.model().requests().size() == 1);
        Gui.onEdt(() -> bob.model().service().answerFriend("alice", true)).get(20, wait);
        Gui.await("alice in bob's list", () -> row(bob, "alice") != null);
        int total = 2 * chat.client.desktop.model.ChatModel.PAGE + 20;
        for (int i = 1; i <= total; i++) {
            int n = i;
            Gui.onEdt(() -> bob.model().service().send("alice", new ChatMessage(0, "", 0, "bob", "n" + n,
                    ChatMessage.Delivery.SENDING))).get(20, wait);
        }
        Gui.await("the last one in alice's list", () -> row(alice, "bob") != null
                && row(alice, "bob").preview().equals("n" + total));
        ConversationPanel view = open(alice, "bob");
        int page = chat.client.desktop.model.ChatModel.PAGE;
        Gui.await("the newest page", () -> shown(view).size() == page);
        assertEquals("bob: n" + total + " [STORED]", shown(view).get(page - 1));
        for (int expected : new int[] {2 * page, total}) {
            Gui.onEdt(() -> alice.model().loadOlder("bob")).get(20, wait);
            Gui.await(expected + " shown", () -> shown(view).size() == expected);
        }
        List<String> all = shown(view);
        for (int i = 0; i < total; i++) {
            assertEquals("bob: n" + (i + 1) + " [STORED]", all.get(i), "in order, each once");
        }
        assertTrue(!Gui.onEdt(() -> alice.model().hasOlder("bob")) || Gui.onEdt(() -> alice.model().loadOlder("bob")).get(20, wait) == false);
    }

    @Test
    void aServerThatIsNotThereIsSaidInTheLoginWindow() throws Exception {
        int port;
        try (var probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort(); // free once closed: nothing listens there
        }
        Path config = dir.resolve("carol");
        alice = Gui.onEdt(() -> {
            App app = new App(new Settings(config), () -> new LibraryService(config, FAST, Duration.ofSeconds(1)), () -> {});
            app.start();
            return app;
        });
        LoginWindow login = Gui.onEdt(alice::loginWindow);
        Gui.run(() -> {
            login.server.setText("127.0.0.1");
            login.port.setText(Integer.toString(port));
            login.account.setText("carol");
            login.password.setText("secret-carol");
            login.signIn.doClick();
        });
        Gui.await("the error in the window", () -> login.statusText().startsWith("Could not sign in"));
        assertEquals("Could not sign in: cannot reach 127.0.0.1 port " + port + ". Is the server running?",
                Gui.onEdt(login::statusText));
        assertTrue(Gui.onEdt(login.signIn::isEnabled), "the form can be used again");
    }
}
