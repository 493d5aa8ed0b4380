package chat.client.desktop;

import java.awt.AWTException;
import java.awt.SystemTray;
import java.awt.Taskbar;
import java.awt.TrayIcon;
import java.awt.Window;

/**
 * Tells the user about messages while the window is not focused, with what the platform has: a
 * system notification from a tray icon, a badge and an attention request on the task bar. The
 * unread count in the window title works everywhere and is the main window's own.
 */
final class Notifier {

    private static TrayIcon tray;

    private Notifier() {}

    /** A system notification, where the desktop has a tray; nothing otherwise. */
    static void notify(Window window, String title, String text) {
        try {
            if (Taskbar.isTaskbarSupported() && Taskbar.getTaskbar().isSupported(Taskbar.Feature.USER_ATTENTION_WINDOW)) {
                Taskbar.getTaskbar().requestWindowUserAttention(window);
            }
            if (!SystemTray.isSupported()) {
                return;
            }
            if (tray == null) {
                tray = new TrayIcon(Logo.windowIcons().get(1), Text.get("app.name"));
                tray.setImageAutoSize(true);
                tray.addActionListener(e -> window.toFront());
                SystemTray.getSystemTray().add(tray);
            }
            tray.displayMessage(title, text, TrayIcon.MessageType.NONE);
        } catch (AWTException | UnsupportedOperationException | SecurityException e) {
            // No tray or no permission: the title and the badge still show the unread count.
        }
    }

    /** The unread count on the task bar icon, where the platform draws badges (0 removes it). */
    static void badge(int unread) {
        try {
            if (Taskbar.isTaskbarSupported() && Taskbar.getTaskbar().isSupported(Taskbar.Feature.ICON_BADGE_NUMBER)) {
                Taskbar.getTaskbar().setIconBadge(unread > 0 ? Integer.toString(unread) : null);
            }
        } catch (UnsupportedOperationException | SecurityException e) {
            // As above: the title has it.
        }
    }
}
