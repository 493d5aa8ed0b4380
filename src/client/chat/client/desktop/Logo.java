package chat.client.desktop;

import java.awt.Color;
import java.awt.Component;
import java.awt.GradientPaint;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import javax.swing.Icon;

/** The application's mark, drawn rather than shipped, so it is sharp at every size and scale. */
public final class Logo implements Icon {

    private final int size;

    public Logo(int size) {
        this.size = size;
    }

    /** Window icons in the sizes task bars ask for. */
    public static List<Image> windowIcons() {
        return List.of(image(16), image(32), image(48), image(128));
    }

    private static Image image(int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        new Logo(size).paintIcon(null, g, 0, 0);
        g.dispose();
        return img;
    }

    @Override
    public void paintIcon(Component c, Graphics graphics, int x, int y) {
        Graphics2D g = (Graphics2D) graphics.create();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.translate(x, y);
        float s = size;
        g.setPaint(new GradientPaint(0, 0, new Color(0x4C8DFF), s, s, new Color(0x2450C8)));
        g.fill(new RoundRectangle2D.Float(0, 0, s, s, s * 0.45f, s * 0.45f));
        // Two overlapping speech bubbles: a conversation.
        g.setColor(new Color(255, 255, 255, 150));
        g.fill(bubble(s * 0.36f, s * 0.34f, s * 0.44f, s * 0.32f, false));
        g.setColor(Color.WHITE);
        g.fill(bubble(s * 0.18f, s * 0.22f, s * 0.48f, s * 0.36f, true));
        g.dispose();
    }

    private static Path2D bubble(float x, float y, float w, float h, boolean tailLeft) {
        Path2D p = new Path2D.Float();
        p.append(new RoundRectangle2D.Float(x, y, w, h, h * 0.8f, h * 0.8f), false);
        float tx = tailLeft ? x + w * 0.22f : x + w * 0.78f;
        p.moveTo(tx - h * 0.14f, y + h * 0.85f);
        p.lineTo(tailLeft ? tx - h * 0.3f : tx + h * 0.3f, y + h * 1.3f);
        p.lineTo(tx + h * 0.18f, y + h * 0.9f);
        p.closePath();
        return p;
    }

    @Override
    public int getIconWidth() {
        return size;
    }

    @Override
    public int getIconHeight() {
        return size;
    }
}
