package chat.server;

import chat.common.text.LogSafe;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Set;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One line per event on standard error: time, level, the class, then the message, which starts
 * with the connection or user it concerns. The code logs through {@code System.Logger}, which the
 * JDK routes to java.util.logging; this only sets its format and level.
 *
 * <p>One event is one line: text a client chose goes into a message through
 * {@link LogSafe#field}, and the format escapes whatever breaks a line in the message all the
 * same ({@link LogSafe#line}), and in each exception's message, so that no field, not even one a
 * log call forgot, can start a line of its own (a forged {@code SEVERE}).
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
        handler.setFormatter(new OneLine());
        handler.setLevel(julLevel);
        root.addHandler(handler);
        root.setLevel(julLevel);
    }

    /** {@code 2026-11-26 19:28:31.042 WARNING chat.server.X - message}, then the stack trace if any. */
    static final class OneLine extends Formatter {

        private static final DateTimeFormatter TIME =
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

        @Override
        public String format(LogRecord r) {
            var out = new StringBuilder(128);
            out.append(TIME.format(Instant.ofEpochMilli(r.getMillis()))).append(' ');
            String level = r.getLevel().getLocalizedName();
            out.append(level).append(" ".repeat(Math.max(1, 8 - level.length())));
            out.append(r.getSourceClassName() != null ? r.getSourceClassName() : r.getLoggerName());
            out.append(" - ").append(LogSafe.line(formatMessage(r))).append(System.lineSeparator());
            if (r.getThrown() != null) {
                trace(out, r.getThrown(), "", Collections.newSetFromMap(new IdentityHashMap<>()));
            }
            return out.toString();
        }

        /**
         * As {@link Throwable#printStackTrace()} writes it (without eliding common frames), each
         * exception's message on its line: it may carry a client's text (a driver's message
         * quoting a value).
         */
        private static void trace(StringBuilder out, Throwable t, String caption, Set<Throwable> seen) {
            if (!seen.add(t)) {
                out.append(caption).append("[CIRCULAR REFERENCE: ").append(LogSafe.line(t.toString())).append(']')
                        .append(System.lineSeparator());
                return;
            }
            out.append(caption).append(LogSafe.line(t.toString())).append(System.lineSeparator());
            for (StackTraceElement frame : t.getStackTrace()) {
                out.append("\tat ").append(frame).append(System.lineSeparator());
            }
            for (Throwable suppressed : t.getSuppressed()) {
                trace(out, suppressed, "Suppressed: ", seen);
            }
            if (t.getCause() != null) {
                trace(out, t.getCause(), "Caused by: ", seen);
            }
        }
    }
}
