package chat.client.desktop;

import chat.client.desktop.model.ConnectionState;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.FontMetrics;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import javax.swing.JComponent;

/**
 * The connection state, always in view: a coloured dot and a word (Online, Reconnecting…), and
 * with a cluster's servers the one the connection is on ({@code Online · host:port}).
 */
final class StatusPill extends JComponent {
    private static final long serialVersionUID = 1L;

    private ConnectionState state = ConnectionState.OFFLINE;
    private String server = "";

    StatusPill() {
        setName("main.state");
    }

    /** {@code server}: which of a cluster's servers the connection is on, empty with one server. */
    void set(ConnectionState s, String detail, String server) {
        state = s;
        this.server = server == null ? "" : server;
        String tip = detail == null || detail.isEmpty() ? null : detail;
        if (!this.server.isEmpty()) {
            String on = Text.get("state.serverTip", this.server);
            tip = tip == null ? on : on + " — " + tip;
        }
        setToolTipText(tip);
        revalidate();
        repaint();
    }

    /** The words shown, for tests and screen readers. */
    String text() {
        String word = Text.get("state." + state.name());
        return server.isEmpty() || state != ConnectionState.ONLINE ? word : Text.get("state.withServer", word, server);
    }

    private Color color() {
        return switch (state) {
            case ONLINE -> Theme.ONLINE;
            case CONNECTING, RECONNECTING -> new Color(0xE3A008);
            case OFFLINE -> Theme.DANGER;
        };
    }

    @Override
    public Dimension getPreferredSize() {
        FontMetrics fm = getFontMetrics(getFont().deriveFont(getFont().getSize2D() - 1f));
        return new Dimension(fm.stringWidth(text()) + 16, fm.getHeight());
    }

    @Override
    protected void paintComponent(Graphics graphics) {
        Graphics2D g = (Graphics2D) graphics.create();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_LCD_HRGB);
        g.setFont(getFont().deriveFont(getFont().getSize2D() - 1f));
        FontMetrics fm = g.getFontMetrics();
        int d = 8;
        g.setColor(color());
        g.fillOval(0, (getHeight() - d) / 2, d, d);
        g.setColor(Theme.muted());
        g.drawString(text(), d + 6, (getHeight() - fm.getHeight()) / 2 + fm.getAscent());
        g.dispose();
    }
}
