package chat.client.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The login window's rules, on a real window, against the in-memory service. */
class LoginWindowTest {

    @TempDir
    Path config;

    private final DemoService service = new DemoService();
    private final List<String> signedIn = new CopyOnWriteArrayList<>();
    private LoginWindow window;

    @BeforeEach
    void open() {
        Gui.requireDisplay();
        Gui.run(() -> {
            Text.use(Locale.ENGLISH);
            Theme.LIGHT.install();
        });
        window = show(new Settings(config));
    }

    private LoginWindow show(Settings settings) {
        return Gui.onEdt(() -> {
            LoginWindow w = new LoginWindow(service, settings, App.EDT, signedIn::add);
            w.setVisible(true);
            return w;
        });
    }

    @AfterEach
    void close() {
        Gui.disposeAll();
    }

    private void fill(String server, String port, String account, String password) {
        Gui.run(() -> {
            window.server.setText(server);
            window.port.setText(port);
            window.account.setText(account);
            window.password.setText(password);
        });
    }

    @Test
    void anEmptyFieldKeepsItFromSendingAndSaysWhich() {
        fill("localhost", "8899", "", "secret123");
        assertFalse(Gui.onEdt(window.signIn::isEnabled), "sign in is disabled while the account is empty");
        assertFalse(Gui.onEdt(window.register::isEnabled), "so is create account");

        Gui.run(window.password::postActionEvent); // Enter in the password field
        assertEquals("Fill in Account.", Gui.onEdt(window::statusText));
        assertEquals(List.of(), service.calls, "nothing was sent");
        assertTrue(Gui.onEdt(window::isShowing));

        fill("localhost", "8899", "alice", "");
        Gui.run(window.account::postActionEvent);
        assertEquals("Fill in Password.", Gui.onEdt(window::statusText));
        fill("  ", "8899", "alice", "secret123");
        Gui.run(window.account::postActionEvent);
        assertEquals("Fill in Server.", Gui.onEdt(window::statusText), "blanks count as empty");
        assertEquals(List.of(), service.calls);
    }

    @Test
    void theServerFieldTakesAClustersServersAndSaysHowInItsHint() {
        fill("a.example.org, b.example.org:9000,[::1]", "7001", "alice", "secret123");
        Gui.run(window.signIn::doClick);
        Gui.await("the sign-in callback", () -> !signedIn.isEmpty());
        assertEquals(List.of("login a.example.org, b.example.org:9000,[::1]:7001 alice"), service.calls,
                "the list as typed, the port field for the entries without one");
        assertEquals(List.of(new chat.client.ServerAddress("a.example.org", 7001),
                new chat.client.ServerAddress("b.example.org", 9000), new chat.client.ServerAddress("::1", 7001)),
                LibraryService.addresses(new chat.client.desktop.model.ChatService.Server(
                        "a.example.org, b.example.org:9000,[::1]", 7001)));
        assertTrue(Gui.onEdt(window.server::getToolTipText).contains("separated by commas"));
    }

    @Test
    void aServerListThatIsNoListIsRefusedInTheWindow() {
        fill("a.example.org,,b.example.org", "7001", "alice", "secret123");
        Gui.run(window.signIn::doClick);
        assertEquals("Not a server list: a.example.org,,b.example.org. Write a host, or host:port; several separated "
                + "by commas.", Gui.onEdt(window::statusText));
        assertEquals(List.of(), service.calls);
        fill("::1", "7001", "alice", "secret123");
        Gui.run(window.signIn::doClick);
        assertTrue(Gui.onEdt(window::statusText).startsWith("Not a server list: ::1."), "IPv6 goes in brackets");
    }

    @Test
    void theServerHintIsInChineseToo() {
        Gui.run(() -> Text.use(Locale.SIMPLIFIED_CHINESE));
        try {
            LoginWindow zh = show(new Settings(config));
            assertTrue(Gui.onEdt(zh.server::getToolTipText).contains("用逗号分隔"), "the hint in Chinese");
        } finally {
            Gui.run(() -> Text.use(Locale.ENGLISH));
        }
    }

    @Test
    void aPortThatIsNoPortIsRefusedInTheWindow() {
        fill("localhost", "99999", "alice", "secret123");
        Gui.run(window.signIn::doClick);
        assertEquals("The port is a number from 1 to 65535.", Gui.onEdt(window::statusText));
        assertEquals(List.of(), service.calls);
    }

    @Test
    void signingInClosesTheWindowAndRemembersServerAndAccount() throws Exception {
        fill("chat.example.org", "7001", "alice", "secret123");
        assertTrue(Gui.onEdt(window.signIn::isEnabled));
        Gui.run(window.signIn::doClick);
        Gui.await("the sign-in callback", () -> !signedIn.isEmpty());
        assertEquals(List.of("alice"), signedIn);
        assertEquals(List.of("login chat.example.org:7001 alice"), service.calls);
        assertFalse(Gui.onEdt(window::isDisplayable), "the login window is gone");

        Path file = config.resolve("settings.properties");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertFalse(Files.readString(file).contains("secret123"), "the password is never written");

        LoginWindow again = show(new Settings(config));
        assertEquals("chat.example.org", Gui.onEdt(again.server::getText));
        assertEquals("7001", Gui.onEdt(again.port::getText));
        assertEquals("alice", Gui.onEdt(again.account::getText));
        assertEquals("", Gui.onEdt(() -> new String(again.password.getPassword())));
    }

    @Test
    void aRefusalIsShownInTheWindowAndTheFormCanBeUsedAgain() {
        service.loginError = "wrong name or password";
        fill("localhost", "8899", "alice", "wrongpass1");
        Gui.run(window.signIn::doClick);
        Gui.await("the error under the fields", () -> window.statusText().contains("wrong name or password"));
        assertEquals("Could not sign in: wrong name or password", Gui.onEdt(window::statusText));
        assertTrue(Gui.onEdt(window::isShowing), "the window stays");
        assertTrue(Gui.onEdt(window.signIn::isEnabled), "and can be used again");
        assertTrue(Gui.onEdt(window.password::isEnabled));
        assertEquals(List.of(), signedIn);
    }

    @Test
    void createAccountRegistersThenSignsIn() {
        fill("localhost", "8899", "newbie", "secret123");
        Gui.run(window.register::doClick);
        Gui.await("the sign-in callback", () -> !signedIn.isEmpty());
        assertEquals(List.of("register newbie", "login localhost:8899 newbie"), service.calls);
    }

    @Test
    void theWindowSpeaksChineseWhenAskedTo() {
        Gui.disposeAll();
        Gui.run(() -> Text.use(Locale.SIMPLIFIED_CHINESE));
        try {
            window = show(new Settings(config));
            assertEquals("登录", Gui.onEdt(window.signIn::getText));
            fill("localhost", "8899", "", "secret123");
            Gui.run(window.password::postActionEvent);
            assertEquals("请填写账号。", Gui.onEdt(window::statusText));
        } finally {
            Gui.run(() -> Text.use(Locale.ENGLISH));
        }
    }
}
