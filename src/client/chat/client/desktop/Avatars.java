package chat.client.desktop;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;

/** Round avatars drawn from a name (its first letter on a colour of its own) and presence dots. */
public final class Avatars {

    /** Calm colours that take white text in both themes. */
    private static final Color[] COLORS = {
        new Color(0x5B8DEF), new Color(0x34A37E), new Color(0xE0873A), new Color(0x9B6BDF),
        new Color(0xD9577A), new Color(0x3FA7C4), new Color(0x7C8B3A), new Color(0xC2693E),
    };

    private Avatars() {}

    public static Color color(String name) {
        return COLORS[Math.floorMod(name.toLowerCase(java.util.Locale.ROOT).hashCode(), COLORS.length)];
    }

    /** What the circle shows: the first character (a CJK name's first character, a Latin one upper-cased). */
    public static String initial(String name) {
        String n = name.startsWith("#") ? name.substring(1) : name;
        if (n.isEmpty()) {
            return "?";
        }
        return new String(Character.toChars(n.codePointAt(0))).toUpperCase(java.util.Locale.ROOT);
    }

    /** Paints a circle of {@code size} at x, y; groups get a rounded square, as chat apps tell them apart. */
    public static void paint(Graphics2D g, String name, boolean group, int x, int y, int size) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(color(name));
        if (group) {
            g.fillRoundRect(x, y, size, size, size / 2, size / 2);
        } else {
            g.fillOval(x, y, size, size);
        }
        String initial = group ? "#" : initial(name);
        Font font = g.getFont().deriveFont(Font.BOLD, size * 0.42f);
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();
        g.setColor(Color.WHITE);
        g.drawString(initial, x + (size - fm.stringWidth(initial)) / 2, y + (size - fm.getHeight()) / 2 + fm.getAscent());
    }

    /** The presence dot at an avatar's lower right, ringed in the background colour. */
    public static void paintPresence(Graphics2D g, boolean online, int x, int y, int avatarSize, Color ring) {
        int d = Math.max(10, avatarSize / 4);
        int dx = x + avatarSize - d + 1;
        int dy = y + avatarSize - d + 1;
        g.setColor(ring);
        g.fillOval(dx - 2, dy - 2, d + 4, d + 4);
        g.setColor(online ? Theme.ONLINE : new Color(0x9CA3AF));
        g.fillOval(dx, dy, d, d);
        if (!online) {
            g.setColor(ring);
            g.setStroke(new BasicStroke(1f));
            g.fillOval(dx + d / 4 + 1, dy + d / 4 + 1, d / 2 - 1, d / 2 - 1);
        }
    }
}
