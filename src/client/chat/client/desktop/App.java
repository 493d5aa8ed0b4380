package chat.client.desktop;

import chat.client.desktop.model.ChatModel;
import chat.client.desktop.model.ChatService;
import com.formdev.flatlaf.FlatLaf;
import java.awt.Window;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.swing.SwingUtilities;

/**
 * The desktop application's life: the login window, then the main window on a fresh model;
 * switching theme or language (remembered in {@link Settings}); signing out back to the login.
 * Everything here runs on the EDT.
 */
public final class App implements MainWindow.Shell {

    /** The library delivers events here: Swing's event thread. */
    public static final Executor EDT = SwingUtilities::invokeLater;

    private final Settings settings;
    private final Supplier<ChatService> services;
    private final Runnable onExit;
    private ChatService service;
    private ChatModel model;
    private LoginWindow login;
    private MainWindow main;

    /** @param onExit run when the user closes the last window (the launcher exits the JVM) */
    public App(Settings settings, Supplier<ChatService> services, Runnable onExit) {
        this.settings = settings;
        this.services = services;
        this.onExit = onExit;
    }

    /** Applies the remembered theme and language; call once on the EDT before {@link #start}. */
    public static void setUp(Settings settings) {
        String language = settings.get(Settings.LANGUAGE, "");
        Text.use(language.isEmpty() ? Locale.getDefault() : Locale.forLanguageTag(language));
        Theme.parse(settings.get(Settings.THEME, "light")).install();
    }

    /** Shows the login window. */
    public LoginWindow start() {
        service = services.get();
        model = new ChatModel(service, EDT);
        login = new LoginWindow(service, settings, EDT, this::signedIn);
        LoginWindow shown = login;
        shown.addWindowListener(new java.awt.event.WindowAdapter() {
            @Override
            public void windowClosing(java.awt.event.WindowEvent e) {
                // Closed by the user, not by signing in: the application ends.
                quit();
            }
        });
        login.setVisible(true);
        // Once the window is up: a session kept from the last start signs in again without the password.
        SwingUtilities.invokeLater(() -> {
            shown.checkResume();
            if (shown.resume.isVisible() && shown.isShowing()) {
                shown.resume.doClick();
            }
        });
        return login;
    }

    private void signedIn(String me) {
        login = null;
        model.signedIn(me);
        showMain();
    }

    private void showMain() {
        main = new MainWindow(model, this);
        MainWindow shown = main;
        shown.addWindowListener(new java.awt.event.WindowAdapter() {
            @Override
            public void windowClosing(java.awt.event.WindowEvent e) {
                quit();
            }
        });
        main.setVisible(true);
    }

    private void quit() {
        close();
        for (Window w : Window.getWindows()) {
            w.dispose();
        }
        onExit.run();
    }

    public MainWindow mainWindow() {
        return main;
    }

    public LoginWindow loginWindow() {
        return login;
    }

    public ChatModel model() {
        return model;
    }

    @Override
    public void switchTheme(Theme theme) {
        settings.put(Settings.THEME, theme.name().toLowerCase(Locale.ROOT));
        settings.save();
        theme.install();
        // Our own colours are read when components are built: rebuild the windows, not only updateUI.
        rebuild();
    }

    @Override
    public void switchLanguage(Locale locale) {
        settings.put(Settings.LANGUAGE, Text.supported(locale).toLanguageTag());
        settings.save();
        Text.use(locale);
        rebuild();
    }

    private void rebuild() {
        FlatLaf.updateUI();
        if (main != null) {
            String open = main.openConversation() == null ? null : main.openConversation().key;
            java.awt.Rectangle bounds = main.getBounds();
            main.dispose();
            showMain();
            main.setBounds(bounds);
            if (open != null) {
                main.open(open);
            }
        }
    }

    @Override
    public java.nio.file.Path downloads() {
        return settings.downloads();
    }

    @Override
    public void signOut() {
        service.logout().whenComplete((v, e) -> SwingUtilities.invokeLater(() -> {
            service.close();
            for (Window w : Window.getWindows()) {
                w.dispose();
            }
            main = null;
            start();
        }));
    }

    /** Closes the link (at exit, and in tests). */
    public void close() {
        if (service != null) {
            service.close();
        }
    }
}
