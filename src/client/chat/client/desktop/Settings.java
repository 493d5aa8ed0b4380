package chat.client.desktop;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/**
 * What the desktop client remembers between starts: the last server and account, the theme and
 * the language. A properties file in the user's config directory
 * ({@code $XDG_CONFIG_HOME/chat-desktop}, else {@code ~/.config/chat-desktop}), readable only by
 * the user. Never the password.
 */
public final class Settings {

    public static final String SERVER = "server";
    public static final String PORT = "port";
    /** "true" when the login window's Use TLS was ticked at the last sign-in. */
    public static final String TLS = "tls";
    public static final String ACCOUNT = "account";
    public static final String THEME = "theme";
    public static final String LANGUAGE = "language";
    /** Where Save puts received files. */
    public static final String DOWNLOADS = "downloads";

    private final Path dir;
    private final Properties values = new Properties();

    public Settings(Path dir) {
        this.dir = dir;
        Path file = file();
        if (Files.isRegularFile(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                values.load(r);
            } catch (IOException e) {
                // An unreadable settings file is not worth failing a start for: defaults are fine.
            }
        }
    }

    /** The user's config directory for this client. */
    public static Path defaultDir() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("chat-desktop");
    }

    public Path dir() {
        return dir;
    }

    private Path file() {
        return dir.resolve("settings.properties");
    }

    /** Where Save puts files: as set, else the user's Downloads folder when there is one, else home. */
    public Path downloads() {
        String set = get(DOWNLOADS, "");
        if (!set.isBlank()) {
            return Path.of(set);
        }
        Path home = Path.of(System.getProperty("user.home"));
        Path downloads = home.resolve("Downloads");
        return Files.isDirectory(downloads) ? downloads : home;
    }

    public String get(String key, String fallback) {
        return values.getProperty(key, fallback);
    }

    public void put(String key, String value) {
        values.setProperty(key, value);
    }

    /** Writes the file, owner-only where the file system has POSIX permissions. */
    public void save() {
        try {
            Files.createDirectories(dir);
            Path file = file();
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system (Windows): the user's profile directory is private already.
            }
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                values.store(w, "chat-desktop settings");
            }
        } catch (IOException e) {
            // Remembering the last server is a convenience; failing to is no reason to stop the user.
        }
    }
}
