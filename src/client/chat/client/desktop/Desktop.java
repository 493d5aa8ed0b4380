package chat.client.desktop;

import chat.client.Timings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import javax.swing.SwingUtilities;

/**
 * {@code chat-desktop}: the desktop client. Options: {@code --lang en|zh} (default: the system
 * locale), {@code --theme light|dark} (default: the last one chosen), {@code --config DIR} (where
 * settings, session tokens and the local history live; default {@code ~/.config/chat-desktop}).
 */
public final class Desktop {

    /** Exit statuses. */
    enum Exit {
        OK(0), USAGE(2);

        final int code;

        Exit(int code) {
            this.code = code;
        }
    }

    private Desktop() {}

    public static void main(String[] args) {
        Path config = Settings.defaultDir();
        String lang = null;
        String theme = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--lang" -> lang = need(a, value);
                case "--theme" -> theme = need(a, value);
                case "--config" -> config = Path.of(need(a, value));
                case "-h", "--help" -> {
                    System.out.println("usage: chat-desktop [--lang en|zh] [--theme light|dark] [--config DIR]");
                    System.exit(Exit.OK.code);
                }
                default -> usage("unknown option " + a);
            }
            i++;
        }
        Settings settings = new Settings(config);
        if (lang != null) {
            settings.put(Settings.LANGUAGE, Text.supported(Locale.forLanguageTag(lang)).toLanguageTag());
        }
        if (theme != null) {
            settings.put(Settings.THEME, Theme.parse(theme).name().toLowerCase(Locale.ROOT));
        }
        Path data = privateDir(config);
        SwingUtilities.invokeLater(() -> {
            App.setUp(settings);
            new App(settings, () -> new LibraryService(data, Timings.DEFAULT), () -> System.exit(Exit.OK.code)).start();
        });
    }

    /** The config folder, made readable by the user only: it holds session tokens and history. */
    private static Path privateDir(Path dir) {
        try {
            Files.createDirectories(dir);
            try {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException e) {
                // Not POSIX (Windows): the profile folder is the user's already.
            }
        } catch (IOException e) {
            usage("cannot use " + dir + ": " + e.getMessage());
        }
        return dir;
    }

    private static String need(String option, String value) {
        if (value == null) {
            usage(option + " needs a value");
        }
        return value;
    }

    private static void usage(String problem) {
        System.err.println("chat-desktop: " + problem);
        System.err.println("usage: chat-desktop [--lang en|zh] [--theme light|dark] [--config DIR]");
        System.exit(Exit.USAGE.code);
    }
}
