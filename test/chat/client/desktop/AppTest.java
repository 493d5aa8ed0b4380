package chat.client.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The application around the windows: switching language and theme (remembered), signing out. */
class AppTest {

    @TempDir
    Path config;

    private final DemoService demo = new DemoService();
    private App app;

    @BeforeEach
    void signIn() {
        Gui.requireDisplay();
        Settings settings = new Settings(config);
        settings.put(Settings.LANGUAGE, "en");
        app = Gui.onEdt(() -> {
            App.setUp(settings);
            App a = new App(settings, () -> demo, () -> {});
            a.start();
            return a;
        });
        LoginWindow login = Gui.onEdt(app::loginWindow);
        Gui.run(() -> {
            login.account.setText("mei");
            login.password.setText("secret123");
            login.signIn.doClick();
        });
        Gui.await("the main window", () -> app.mainWindow() != null && app.mainWindow().isShowing());
    }

    @AfterEach
    void close() {
        Gui.disposeAll();
        Gui.run(() -> {
            Text.use(Locale.ENGLISH);
            Theme.LIGHT.install();
        });
    }

    @Test
    void languageAndThemeSwitchRebuildTheWindowAndAreRemembered() throws Exception {
        assertEquals("Online", Gui.onEdt(() -> app.mainWindow().state.text()));
        Gui.run(() -> app.switchLanguage(Locale.SIMPLIFIED_CHINESE));
        assertEquals("在线", Gui.onEdt(() -> app.mainWindow().state.text()));
        assertEquals("聊天", Gui.onEdt(() -> app.mainWindow().getTitle()));
        Gui.run(() -> app.switchTheme(Theme.DARK));
        assertTrue(Gui.onEdt(Theme::dark));
        assertTrue(Gui.onEdt(() -> app.mainWindow().isShowing()));

        String saved = Files.readString(config.resolve("settings.properties"));
        assertTrue(saved.contains("language=zh-CN"), saved);
        assertTrue(saved.contains("theme=dark"), saved);
        assertTrue(saved.contains("account=mei"), saved);
    }

    @Test
    void signingOutLogsOutAndShowsTheLoginWindowAgain() {
        Gui.run(app::signOut);
        Gui.await("the login window again", () -> app.loginWindow() != null && app.loginWindow().isShowing());
        assertTrue(demo.calls.contains("logout"), demo.calls::toString);
        assertEquals("mei", Gui.onEdt(() -> app.loginWindow().account.getText()), "the account is remembered");
    }
}
