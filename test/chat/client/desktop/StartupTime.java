package chat.client.desktop;

import java.awt.EventQueue;
import java.awt.Window;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How long the desktop client takes from the JVM's start to its login window on screen, as the
 * launcher starts it (-Xmx256m), with a fresh configuration folder:
 *
 * <pre>make build && mvn -q test-compile && test/with-display.sh java -Xmx256m \
 *     -cp 'build/classes:build/test-classes:build/lib/*' chat.client.desktop.StartupTime</pre>
 *
 * (the JVM options as bin/chat-desktop passes them). A measurement, not a test: its number
 * belongs in docs/BENCHMARKS.md. The window counts once it is showing and the event queue has
 * run everything queued before it, its first paint included.
 */
public final class StartupTime {

    private StartupTime() {}

    public static void main(String[] args) throws Exception {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        Path config = Files.createTempDirectory("chat-startup");
        Desktop.main(new String[] {"--config", config.toString(), "--lang", "en"});
        AtomicBoolean shown = new AtomicBoolean();
        while (!shown.get()) {
            EventQueue.invokeAndWait(() -> {
                for (Window w : Window.getWindows()) {
                    if ("login".equals(w.getName()) && w.isShowing()) {
                        shown.set(true);
                    }
                }
            });
            if (!shown.get()) {
                Thread.sleep(5);
            }
        }
        EventQueue.invokeAndWait(() -> { }); // what was queued behind the window: its first paint
        long millis = System.currentTimeMillis() - jvmStart;
        System.out.println("start-up to the login window: " + millis + " ms");
        System.exit(0);
    }
}
