package chat.client.desktop;

import chat.client.ChatEvent;
import java.awt.GraphicsEnvironment;
import java.lang.reflect.InvocationTargetException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.swing.JOptionPane;
import javax.swing.SwingUtilities;

/**
 * The desktop's trust on first use: a dialog shows a new server certificate's fingerprint and
 * asks, once per server (the library remembers a yes); a changed certificate is an error dialog
 * with both fingerprints, once per change. Both are asked from the library's connecting thread
 * and shown on the event thread.
 */
final class CertificateDialogs {

    /** Changed certificates already shown: the library tells each refused attempt. */
    private static final Set<String> SHOWN = ConcurrentHashMap.newKeySet();

    private CertificateDialogs() {}

    /** {@link chat.client.HostTrust}: asks on the event thread and waits for the answer. */
    static boolean trustFirstSight(String server, String fingerprint) {
        if (GraphicsEnvironment.isHeadless()) {
            return false;
        }
        var yes = new AtomicBoolean();
        try {
            SwingUtilities.invokeAndWait(() -> yes.set(JOptionPane.showConfirmDialog(null,
                    Text.get("tls.firstSight", server, fingerprint), Text.get("tls.title"),
                    JOptionPane.YES_NO_OPTION, JOptionPane.WARNING_MESSAGE) == JOptionPane.YES_OPTION));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (InvocationTargetException e) {
            return false;
        }
        return yes.get();
    }

    /** Shows the refusal of a changed certificate, loudly, once per change (on the event thread). */
    static void changed(ChatEvent.CertificateChanged c) {
        if (GraphicsEnvironment.isHeadless() || !SHOWN.add(c.server() + " " + c.presented())) {
            return;
        }
        SwingUtilities.invokeLater(() -> JOptionPane.showMessageDialog(null,
                Text.get("tls.changed", c.server(), c.known(), c.presented(), c.file().toString()),
                Text.get("tls.changedTitle"), JOptionPane.ERROR_MESSAGE));
    }
}
