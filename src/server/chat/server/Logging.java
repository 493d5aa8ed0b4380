package chat.server;

import java.util.Locale;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * One line per event on standard error: time, level, the class, then the message, which starts
 * with the connection or user it concerns. The code logs through {@code System.Logger}, which the
 * JDK routes to java.util.logging; this only sets its format and level.
 */
final class Logging {

    private Logging() {}

    static String checkLevel(String level) {
        return switch (level.toUpperCase(Locale.ROOT)) {
            case "ERROR", "WARNING", "INFO", "DEBUG" -> level.toUpperCase(Locale.ROOT);
            default -> throw new IllegalArgumentException("unknown log level " + level);
        };
    }

    static void configure(String level) {
        System.setProperty("java.util.logging.SimpleFormatter.format",
                "%1$tF %1$tT.%1$tL %4$-7s %3$s - %5$s%6$s%n");
        Level julLevel = switch (level) {
            case "ERROR" -> Level.SEVERE;
            case "WARNING" -> Level.WARNING;
            case "DEBUG" -> Level.FINE;
            default -> Level.INFO;
        };
        Logger root = Logger.getLogger("");
        for (var h : root.getHandlers()) {
            root.removeHandler(h);
        }
        var handler = new ConsoleHandler();
        handler.setFormatter(new SimpleFormatter());
        handler.setLevel(julLevel);
        root.addHandler(handler);
        root.setLevel(julLevel);
    }
}
