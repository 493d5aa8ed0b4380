package chat.server.command;

import chat.common.io.PrivateFiles;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The audit log of admin actions, {@code DATA/audit.log}: one line per action that changed
 * something (a connection closed, a ban set or lifted), appended, tab-separated:
 *
 * <pre>time  admin  action  target  reason</pre>
 *
 * <p>time is ISO-8601 UTC. Every field is escaped as the protocol escapes one ({@code %} as
 * {@code %25}), and so is every control character ({@code %0A} for a newline, {@code %09} for a tab):
 * a reason cannot end its line and start a forged one. Each action also goes to the server log.
 *
 * <p>The file is written on a thread of its own, never on the reactor: an append to a slow disk
 * must not hold every connection. Lines keep the order of {@link #record} calls.
 */
public final class Audit implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Audit.class.getName());
    /** The file's name in the data folder. */
    public static final String FILE = "audit.log";

    private final Path file;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        var t = new Thread(r, "audit");
        t.setDaemon(true);
        return t;
    });

    /** Creates the file, 0600 as the database is, unless it exists; the folder must exist. */
    public Audit(Path dataFolder) throws IOException {
        this.file = dataFolder.resolve(FILE);
        PrivateFiles.createFile(file);
    }

    /** Records an action; {@code time} in ms since 1970. Returns at once; the line follows. */
    void record(long time, String admin, String action, String target, String reason) {
        String line = String.join("\t", Instant.ofEpochMilli(time).toString(), escape(admin), escape(action),
                escape(target), escape(reason)) + "\n";
        // Escaped in the server's log too: a reason must not forge a line there either.
        LOG.log(Level.INFO, () -> "audit: " + line.strip().replace('\t', ' '));
        writer.execute(() -> {
            try {
                Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            } catch (IOException e) {
                LOG.log(Level.ERROR, "writing the audit log " + file + " failed: " + line.strip(), e);
            }
        });
    }

    /** {@code %} and every control character as {@code %XX}; nothing else changes. */
    static String escape(String field) {
        var out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '%' || Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                if (c > 0xff) {
                    out.append(String.format("%%u%04X", (int) c));
                } else {
                    out.append(String.format("%%%02X", (int) c));
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() throws InterruptedException {
        writer.shutdown();
        writer.awaitTermination(10, TimeUnit.SECONDS);
    }
}
