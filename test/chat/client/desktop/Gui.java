package chat.client.desktop;

import static org.junit.jupiter.api.Assertions.fail;

import chat.testing.Needs;
import java.awt.Component;
import java.awt.Container;
import java.awt.GraphicsEnvironment;
import java.awt.Toolkit;
import java.awt.Window;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import javax.swing.SwingUtilities;

/**
 * Drives real Swing windows from a test thread: runs code on the EDT and waits for it, finds
 * components by name, waits for a condition the windows reach on their own. Needs an X display:
 * {@code make test} starts Xvfb when it is installed; without one the test is skipped with the
 * reason (under CI=true it fails: CI installs Xvfb).
 */
final class Gui {

    /** How long a window may take to reach a state before the test fails saying which. */
    static final Duration PATIENCE = Duration.ofSeconds(20);

    private Gui() {}

    static void requireDisplay() {
        Needs.require(!GraphicsEnvironment.isHeadless(),
                "an X display for the desktop windows (install xvfb: make test starts it; or set DISPLAY)");
    }

    /** Runs {@code task} on the EDT and returns its result, rethrowing what it threw. */
    static <T> T onEdt(Callable<T> task) {
        if (SwingUtilities.isEventDispatchThread()) {
            try {
                return task.call();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        try {
            SwingUtilities.invokeAndWait(() -> {
                try {
                    result.set(task.call());
                } catch (Throwable t) {
                    error.set(t);
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (InvocationTargetException e) {
            throw new AssertionError(e.getCause());
        }
        if (error.get() instanceof RuntimeException r) {
            throw r;
        }
        if (error.get() instanceof Error r) {
            throw r;
        }
        if (error.get() != null) {
            throw new AssertionError(error.get());
        }
        return result.get();
    }

    static void run(Runnable task) {
        onEdt(() -> {
            task.run();
            return null;
        });
    }

    /** Lets queued events and repaints run: two EDT round trips and an X server sync. */
    static void settle() {
        run(() -> {});
        Toolkit.getDefaultToolkit().sync();
        run(() -> {});
    }

    /** Waits until {@code condition} (evaluated on the EDT) holds; fails saying {@code what} otherwise. */
    static void await(String what, BooleanSupplier condition) {
        try {
            chat.server.Await.until(() -> onEdt(condition::getAsBoolean), PATIENCE, what);
        } catch (AssertionError | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError("waiting for " + what, e);
        }
    }

    /** The component named {@code name} inside {@code root}, of {@code type}; fails when there is none. */
    static <T extends Component> T find(Container root, String name, Class<T> type) {
        T found = onEdt(() -> search(root, name, type));
        if (found == null) {
            fail("no " + type.getSimpleName() + " named " + name + " in " + root.getName());
        }
        return found;
    }

    private static <T extends Component> T search(Component c, String name, Class<T> type) {
        if (name.equals(c.getName()) && type.isInstance(c)) {
            return type.cast(c);
        }
        if (c instanceof Container container) {
            for (Component child : container.getComponents()) {
                T t = search(child, name, type);
                if (t != null) {
                    return t;
                }
            }
        }
        return null;
    }

    /** A showing window whose name is {@code name}, or null. */
    static Window window(String name) {
        return onEdt(() -> {
            for (Window w : Window.getWindows()) {
                if (w.isShowing() && name.equals(w.getName())) {
                    return w;
                }
            }
            return null;
        });
    }

    /** Closes every window this JVM opened, so that one test's windows do not meet the next's. */
    static void disposeAll() {
        run(() -> {
            for (Window w : Window.getWindows()) {
                w.dispose();
            }
        });
    }
}
