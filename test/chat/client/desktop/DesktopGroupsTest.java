package chat.client.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.client.desktop.model.Conversation;
import chat.client.desktop.model.Member;
import chat.common.wire.LegacyRecord;
import chat.common.proto.Line;
import chat.common.proto.Request;
import chat.server.LegacyClient;
import chat.server.TestServer;
import chat.server.TextClient;
import java.awt.Component;
import java.awt.Container;
import java.awt.Window;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.swing.AbstractButton;
import javax.swing.JButton;
import javax.swing.JDialog;
import javax.swing.JList;
import javax.swing.JMenuItem;
import javax.swing.JOptionPane;
import javax.swing.JTextField;
import javax.swing.MenuSelectionManager;
import javax.swing.SwingUtilities;
import javax.swing.UIManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The group tools of the desktop client used as a user uses them: the menus of the main window
 * and of a conversation, and the dialogs they open (typed into, their buttons pressed), on the
 * real client library and a real server in this JVM. One test joins the lobby and talks there with
 * a client of the article's 151-byte protocol; the other creates a group, invites a friend,
 * renames the group and removes the friend from it, and checks the friend's window each time.
 */
class DesktopGroupsTest {

    @TempDir
    Path dir;

    private TestServer server;
    private App alice;
    private App bob;

    @BeforeEach
    void setUp() throws Exception {
        server = DesktopFlowTest.startServer(dir);
    }

    @AfterEach
    void tearDown() throws Exception {
        DesktopFlowTest.stopAll(server, alice, bob);
    }

    @Test
    void theDesktopUserJoinsTheLobbyAndTalksWithTheArticlesClient() throws Exception {
        alice = start("alice");
        register(alice, "alice");

        // The group button's menu: Join group, the name typed into the dialog, then the confirmation.
        openMenu(alice.mainWindow(), "main.newGroup", "main.joinGroup");
        answer(null, "lobby");
        Gui.await("the joined note", () -> message(pane()).equals("You joined lobby."));
        press(okText());
        Gui.await("#lobby in alice's list", () -> DesktopFlowTest.row(alice, "!0") != null);
        assertEquals(Conversation.Kind.LOBBY, DesktopFlowTest.row(alice, "!0").kind());
        assertEquals("#lobby", DesktopFlowTest.row(alice, "!0").title());
        ConversationPanel lobby = DesktopFlowTest.open(alice, "!0");

        try (var old = LegacyClient.join(server.port(), "oldtimer")) {
            old.say("你好 alice，好久不见");
            Gui.await("the legacy line in the lobby view", () -> DesktopFlowTest.shown(lobby).stream()
                    .anyMatch(s -> s.startsWith("~oldtimer: 你好 alice，好久不见 [")));

            DesktopFlowTest.type(lobby, "hi 老朋友，最近好吗？");
            LegacyRecord.Message line = nextChat(old);
            assertEquals("alice", line.name());
            assertEquals("hi 老朋友，最近好吗？", line.text());
            assertEquals(1, DesktopFlowTest.shown(lobby).stream()
                    .filter(s -> s.startsWith("~oldtimer: 你好 alice，好久不见 [")).count(), "shown once");
        }
        try (var impostor = LegacyClient.join(server.port(), "alice")) {
            impostor.say("我才是 alice");
            Gui.await("the impostor's line, as it came", () -> DesktopFlowTest.shown(lobby).stream()
                    .anyMatch(s -> s.startsWith("~alice: 我才是 alice [")));
            assertEquals(List.of(false), Gui.onEdt(() -> {
                List<Boolean> mine = new java.util.ArrayList<>();
                for (int i = 0; i < lobby.list.getModel().getSize(); i++) {
                    if (lobby.list.getModel().getElementAt(i) instanceof Row.Msg m
                            && m.message().from().equals("~alice")) {
                        mine.add(m.mine());
                    }
                }
                return mine;
            }), "a legacy alice's line is not shown as mine");
        }
    }

    @Test
    void theGroupDialogsCreateInviteRenameAndRemove() throws Exception {
        alice = start("alice");
        bob = start("bob");
        register(alice, "alice");
        register(bob, "bob");
        // Friendship is not what is tested here: made through the library, as the dialogs need a friend.
        Gui.onEdt(() -> alice.model().service().requestFriend("bob")).get(20, TimeUnit.SECONDS);
        Gui.await("the request at bob's", () -> bob.model().requests().size() == 1);
        Gui.onEdt(() -> bob.model().service().answerFriend("alice", true)).get(20, TimeUnit.SECONDS);
        Gui.await("bob in alice's list", () -> DesktopFlowTest.row(alice, "bob") != null);

        // New group: the name typed, the open box left as it is, OK.
        openMenu(alice.mainWindow(), "main.newGroup", "main.newGroup");
        answer("group.name", "team");
        Gui.await("#team in alice's list", () -> key(alice, "#team") != null);
        String team = key(alice, "#team");
        assertEquals("alice", DesktopFlowTest.row(alice, team).owner());

        // Invite bob from the conversation's menu.
        ConversationPanel view = DesktopFlowTest.open(alice, team);
        openMenu(view, "conv.menu", "menu.invite");
        answer(null, "bob");
        Gui.await("#team in bob's list", () -> DesktopFlowTest.row(bob, team) != null
                && DesktopFlowTest.row(bob, team).title().equals("#team"));

        // Rename it: bob's list follows.
        openMenu(view, "conv.menu", "menu.rename");
        answer(null, "crew");
        Gui.await("the new name in bob's list", () -> DesktopFlowTest.row(bob, team) != null
                && DesktopFlowTest.row(bob, team).title().equals("#crew"));
        Gui.await("and in alice's", () -> DesktopFlowTest.row(alice, team).title().equals("#crew"));

        // The members dialog: bob selected, Remove from group.
        openMenu(view, "conv.menu", "menu.members");
        Gui.await("the members dialog", () -> pane() != null && search(pane(), "group.members", JList.class) != null);
        @SuppressWarnings("unchecked")
        JList<Member> members = search(pane(), "group.members", JList.class);
        Gui.run(() -> {
            for (int i = 0; i < members.getModel().getSize(); i++) {
                if (members.getModel().getElementAt(i).name().equals("bob")) {
                    members.setSelectedIndex(i);
                }
            }
        });
        assertEquals(2, Gui.onEdt(() -> members.getModel().getSize()));
        press(Text.get("group.kick"));
        Gui.await("the group gone from bob's list", () -> DesktopFlowTest.row(bob, team) == null);
        assertTrue(DesktopFlowTest.row(alice, team) != null, "still alice's");
    }

    @Test
    void theOwnerTurnsDownAJoinRequestWithTheRejectButton() throws Exception {
        alice = start("alice");
        register(alice, "alice");
        String vip = Gui.onEdt(() -> alice.model().service().createGroup("vip", false)).get(20, TimeUnit.SECONDS);
        try (var asker = TextClient.loggedIn(server.port(), "ask")) {
            assertEquals("requested", asker.call(new Request.Join("vip")).field(2));
            ConversationPanel view = DesktopFlowTest.open(alice, vip);
            openMenu(view, "conv.menu", "menu.requests");
            Gui.await("the requests dialog", () -> pane() != null && search(pane(), null, JList.class) != null);
            assertTrue(Gui.onEdt(() -> labelled(pane(), Text.get("group.approve"))) != null, "Approve beside it");
            press(Text.get("group.reject"));
            Line told = asker.awaitPush("GROUP_REJECTED");
            assertEquals(List.of(vip.substring(1), "vip", "alice", "ask"), told.fields().subList(3, told.size()));
            assertEquals(List.of(),
                    Gui.onEdt(() -> alice.model().service().joinRequests(vip)).get(20, TimeUnit.SECONDS));
        }
    }

    /**
     * Issue 13: a stranger's invitation is shown with Join, Decline and Block, and makes nobody a
     * member until it is accepted; a stranger's friend request can be blocked from the same place.
     */
    @Test
    void aStrangersInvitationWaitsWithJoinDeclineAndBlock() throws Exception {
        bob = start("bob");
        register(bob, "bob");
        try (var mallory = TextClient.loggedIn(server.port(), "mallory")) {
            mallory.call(new Request.Create("den", true));
            String id = mallory.call(new Request.Groups()).items().get(0).field(1);
            String den = "!" + id;
            assertEquals("invited", mallory.call(new Request.Invite("den", "bob")).field(2));
            Gui.await("the invitation at bob's", () -> Gui.onEdt(() -> bob.model().invitations().size()) == 1);
            assertEquals("mallory invites you to #den", Gui.onEdt(() -> Gui.find(bob.mainWindow(),
                    "invitation.text:" + den, javax.swing.JLabel.class).getText()));
            assertEquals(null, DesktopFlowTest.row(bob, den), "not a member before answering");

            Gui.run(() -> Gui.find(bob.mainWindow(), "invitation.decline:" + den, JButton.class).doClick());
            assertEquals(List.of(id, "den", "bob", "mallory"), after(mallory.awaitPush("GROUP_INVITE_DECLINED")));
            Gui.await("the invitation gone", () -> Gui.onEdt(() -> bob.model().invitations().isEmpty()));

            mallory.call(new Request.Invite("den", "bob"));
            Gui.await("invited again", () -> Gui.onEdt(() -> bob.model().invitations().size()) == 1);
            Gui.run(() -> Gui.find(bob.mainWindow(), "invitation.accept:" + den, JButton.class).doClick());
            Gui.await("#den in bob's list once he joined", () -> DesktopFlowTest.row(bob, den) != null);
            assertEquals(List.of(id, "den", "bob", "mallory"), after(mallory.awaitPush("GROUP_JOINED")));

            // A friend request from the stranger, blocked from the requests panel.
            mallory.call(new Request.Add("bob"));
            Gui.await("the request at bob's", () -> Gui.onEdt(() -> bob.model().requests().size()) == 1);
            Gui.run(() -> SwingUtilities.invokeLater(
                    Gui.find(bob.mainWindow(), "request.block:mallory", JButton.class)::doClick));
            Gui.await("the confirmation", () -> pane() != null);
            press(okText());
            Gui.await("the request dropped", () -> Gui.onEdt(() -> bob.model().requests().isEmpty()));
            assertEquals("requested", mallory.call(new Request.Add("bob")).field(2), "mallory is not told");
            assertTrue(Gui.onEdt(() -> bob.model().requests().isEmpty() && bob.model().invitations().isEmpty()));

            // The app menu's Blocked users: mallory, unblocked; his next request arrives.
            openMenu(bob.mainWindow(), "main.menu", "main.blocked");
            Gui.await("the blocked list", () -> pane() != null && search(pane(), "blocked.list", JList.class) != null);
            assertEquals("mallory", Gui.onEdt(() -> search(pane(), "blocked.list", JList.class).getModel().getElementAt(0)));
            press(Text.get("blocked.unblock"));
            Gui.await("unblocked", () -> {
                try {
                    return mallory.call(new Request.Add("bob")).ok() && Gui.onEdt(() -> bob.model().requests().size()) == 1;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }

    /** A push's fields after its id and time. */
    private static List<String> after(Line push) {
        return push.fields().subList(3, push.size());
    }

    private App start(String who) {
        return DesktopFlowTest.startApp(dir.resolve(who));
    }

    private void register(App app, String name) {
        DesktopFlowTest.signUp(app, name, server.port());
    }

    /** The key of the conversation titled {@code title} in the app's list, or null. */
    private static String key(App app, String title) {
        return Gui.onEdt(() -> {
            MainWindow w = app.mainWindow();
            for (int i = 0; i < w.items.size(); i++) {
                if (w.items.get(i).title().equals(title)) {
                    return w.items.get(i).key();
                }
            }
            return null;
        });
    }

    /**
     * Clicks the button named {@code button} under {@code root} and chooses {@code item} from the
     * popup it opens. A popup shows only over a button on screen, and the window that holds it may
     * still be coming up: the click is repeated until the item shows.
     */
    private static void openMenu(java.awt.Container root, String button, String item) {
        JButton b = Gui.onEdt(() -> Gui.find(root, button, JButton.class));
        Gui.await("the button " + button + " on screen", () -> Gui.onEdt(b::isShowing));
        for (int attempt = 0; attempt < 10; attempt++) {
            Gui.run(b::doClick);
            long until = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < until) {
                if (Gui.onEdt(() -> showing(item, JMenuItem.class)) != null) {
                    choose(item);
                    return;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
        choose(item); // fails, saying which item never showed
    }

    /**
     * Clicks the showing menu item named {@code name} (of the popup just opened), later: what it
     * opens is modal and would block this thread. The popup is closed as a click would close it.
     */
    private static void choose(String name) {
        Gui.await("the menu item " + name, () -> showing(name, JMenuItem.class) != null);
        JMenuItem item = Gui.onEdt(() -> showing(name, JMenuItem.class));
        Gui.run(() -> {
            MenuSelectionManager.defaultManager().clearSelectedPath();
            SwingUtilities.invokeLater(item::doClick);
        });
    }

    /**
     * Types {@code text} into the option pane that opens (into its field named {@code field}, or,
     * when null, the input dialog's own field) and presses OK.
     */
    private static void answer(String field, String text) {
        Gui.await("a dialog asking", () -> pane() != null
                && search(pane(), field, JTextField.class) != null);
        Gui.run(() -> search(pane(), field, JTextField.class).setText(text));
        press(okText());
    }

    /** Presses the showing option pane's button labelled {@code label}. */
    private static void press(String label) {
        JOptionPane pane = Gui.onEdt(DesktopGroupsTest::pane);
        AbstractButton button = Gui.onEdt(() -> labelled(pane, label));
        assertTrue(button != null, () -> "no button " + label + " in the dialog");
        Gui.run(button::doClick);
        Gui.await("the dialog closed", () -> !pane.isShowing());
    }

    private static String okText() {
        return Gui.onEdt(() -> UIManager.getString("OptionPane.okButtonText", Locale.getDefault()));
    }

    /** The option pane of the showing modal dialog, or null (EDT). */
    private static JOptionPane pane() {
        for (Window w : Window.getWindows()) {
            if (w instanceof JDialog d && d.isShowing()) {
                JOptionPane p = search(d, null, JOptionPane.class);
                if (p != null) {
                    return p;
                }
            }
        }
        return null;
    }

    private static String message(JOptionPane p) {
        return p == null ? "" : String.valueOf(p.getMessage());
    }

    private static <T extends Component> T showing(String name, Class<T> type) {
        for (Window w : Window.getWindows()) {
            if (w.isShowing()) {
                T t = search(w, name, type);
                if (t != null && t.isShowing()) {
                    return t;
                }
            }
        }
        return null;
    }

    /** The first component of {@code type} inside {@code c} named {@code name} (any name when null). */
    private static <T extends Component> T search(Component c, String name, Class<T> type) {
        if (type.isInstance(c) && (name == null || name.equals(c.getName()))) {
            return type.cast(c);
        }
        if (c instanceof Container container) {
            for (Component child : container.getComponents()) {
                T t = search(child, name, type);
                if (t != null) {
                    return t;
                }
            }
        }
        return null;
    }

    private static AbstractButton labelled(Component c, String label) {
        if (c instanceof JButton b && label.equals(b.getText())) {
            return b;
        }
        if (c instanceof Container container) {
            for (Component child : container.getComponents()) {
                AbstractButton b = labelled(child, label);
                if (b != null) {
                    return b;
                }
            }
        }
        return null;
    }

    /** The next chat record (type 0) the legacy client reads, passing over comings and goings. */
    private static LegacyRecord.Message nextChat(LegacyClient c) throws IOException {
        for (int i = 0; i < 10; i++) {
            LegacyRecord.Message m = c.read(); // a bounded wait: the socket's timeout
            if (m.type() == LegacyRecord.CHAT) {
                return m;
            }
        }
        throw new AssertionError("no chat record among 10");
    }
}
