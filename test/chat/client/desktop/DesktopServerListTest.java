package chat.client.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.client.desktop.model.ConnectionState;
import chat.server.TestServer;
import chat.testing.MariaDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The desktop client signed in to a cluster's servers typed into the login window's server field:
 * the status bar names the server it is on, and when that server stops the client moves to the
 * next, says so there, and goes on (two servers on one MariaDB database, as the client tests).
 */
class DesktopServerListTest {

    @TempDir
    Path dir;

    private MariaDb db;
    private TestServer a;
    private TestServer b;
    private App alice;
    private App bob;

    @AfterEach
    void tearDown() throws Exception {
        DesktopFlowTest.stopAll(b, alice, bob);
        if (a != null) {
            a.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private TestServer server(String name) throws Exception {
        return TestServer.start(TestServer.settings().dbUrl(db.url()).data(Files.createDirectories(dir.resolve(name))));
    }

    /** Fills the login window with the list (entries without a port take the port field's) and creates the account. */
    private static void signUp(App app, String name, String servers, String port) {
        LoginWindow login = Gui.onEdt(app::loginWindow);
        Gui.run(() -> {
            login.server.setText(servers);
            login.port.setText(port);
            login.account.setText(name);
            login.password.setText("secret-" + name);
        });
        Gui.run(login.register::doClick);
        Gui.await(name + "'s main window", () -> app.mainWindow() != null && app.mainWindow().isShowing());
        Gui.await(name + " online", () -> app.model().state() == ConnectionState.ONLINE);
    }

    private static chat.client.ChatClient library(App app) {
        return ((LibraryService) app.model().service()).client();
    }

    @Test
    void theStatusBarNamesTheServerAndTheClientMovesToTheNextWhenItStops() throws Exception {
        Gui.requireDisplay();
        Gui.run(() -> {
            Text.use(Locale.ENGLISH);
            Theme.LIGHT.install();
        });
        db = MariaDb.fresh();
        a = server("a");
        b = server("b");
        String list = "127.0.0.1," + "127.0.0.1:" + b.port();
        alice = DesktopFlowTest.startApp(dir.resolve("alice"));
        bob = DesktopFlowTest.startApp(dir.resolve("bob"));
        signUp(alice, "alice", list, Integer.toString(a.port()));
        signUp(bob, "bob", list, Integer.toString(a.port()));
        Gui.await("alice's status names a", () -> alice.mainWindow().state.text().equals("Online · 127.0.0.1:" + a.port()));
        assertEquals("127.0.0.1," + "127.0.0.1:" + b.port(), Gui.onEdt(() -> new Settings(dir.resolve("alice"))
                .get(Settings.SERVER, "")), "the list is remembered as typed");

        Friends.befriend(library(alice), library(bob));
        ConversationPanel aliceView = DesktopFlowTest.open(alice, "bob");

        a.close();
        a = null;
        Gui.await("alice's status names b", () -> alice.model().state() == ConnectionState.ONLINE
                && alice.mainWindow().state.text().equals("Online · 127.0.0.1:" + b.port()));
        assertTrue(Gui.onEdt(() -> alice.mainWindow().state.getToolTipText()).contains("Connected to 127.0.0.1:" + b.port()));
        DesktopFlowTest.type(aliceView, "written on b");
        Gui.await("stored by b", () -> DesktopFlowTest.shown(aliceView).contains("alice: written on b [STORED]"));
        Gui.await("bob has it", () -> library(bob).localHistory(chat.common.proto.Conversation.parse("alice"), 10)
                .stream().anyMatch(e -> e.text().equals("written on b")));
    }

    @Test
    void theServerInTheStatusBarIsSaidInChineseToo() {
        Gui.requireDisplay();
        StatusPill pill = Gui.onEdt(() -> {
            Text.use(Locale.SIMPLIFIED_CHINESE);
            var p = new StatusPill();
            p.set(ConnectionState.ONLINE, "", "a.example.org:8899");
            return p;
        });
        try {
            assertEquals("在线 · a.example.org:8899", Gui.onEdt(pill::text));
            assertEquals("已连接到 a.example.org:8899", Gui.onEdt(pill::getToolTipText));
            Gui.run(() -> pill.set(ConnectionState.RECONNECTING, "", "a.example.org:8899"));
            assertEquals("正在重新连接…", Gui.onEdt(pill::text), "the server only while on it");
            Gui.run(() -> pill.set(ConnectionState.ONLINE, "", ""));
            assertEquals("在线", Gui.onEdt(pill::text), "one server: the word alone");
        } finally {
            Gui.run(() -> Text.use(Locale.ENGLISH));
        }
    }

    /** Friends through the library (the add-friend dialog has its own test). */
    private static final class Friends {
        static void befriend(chat.client.ChatClient one, chat.client.ChatClient other) throws Exception {
            one.friends().add(other.account().orElseThrow().name()).get(20, java.util.concurrent.TimeUnit.SECONDS);
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            while (true) {
                try {
                    other.friends().accept(one.account().orElseThrow().name()).get(20, java.util.concurrent.TimeUnit.SECONDS);
                    return;
                } catch (java.util.concurrent.ExecutionException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw notYet;
                    }
                    Thread.sleep(50);
                }
            }
        }
    }
}
