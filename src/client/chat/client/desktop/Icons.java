package chat.client.desktop;

import java.awt.BasicStroke;
import java.awt.Component;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import javax.swing.Icon;
import javax.swing.UIManager;

/** The few line icons the windows use, drawn in the label colour so they follow the theme. */
public enum Icons implements Icon {
    ADD_FRIEND, NEW_GROUP, MENU, MORE, SEND, SEARCH, ATTACH;

    private static final int SIZE = 18;

    @Override
    public void paintIcon(Component c, Graphics graphics, int x, int y) {
        Graphics2D g = (Graphics2D) graphics.create();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.translate(x, y);
        g.setColor(c != null && c.isEnabled() ? c.getForeground() : UIManager.getColor("Label.disabledForeground"));
        if (this == SEND && c != null && c.isEnabled()) {
            g.setColor(java.awt.Color.WHITE);
        }
        g.setStroke(new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        switch (this) {
            case ADD_FRIEND -> {
                g.draw(new Ellipse2D.Float(3.5f, 2.5f, 7, 7));
                g.draw(new Path2D.Float(arc(1f, 16f, 13f)));
                g.draw(new Line2D.Float(14.5f, 4f, 14.5f, 10f));
                g.draw(new Line2D.Float(11.5f, 7f, 17.5f, 7f));
            }
            case NEW_GROUP -> {
                g.draw(new Ellipse2D.Float(2.5f, 3f, 6, 6));
                g.draw(new Ellipse2D.Float(9.5f, 3f, 6, 6));
                g.draw(new Path2D.Float(arc(0.5f, 15.5f, 10.5f)));
                g.draw(new Path2D.Float(arc(7.5f, 15.5f, 10.5f)));
            }
            case MENU -> {
                for (int i = 0; i < 3; i++) {
                    g.draw(new Line2D.Float(3, 5 + i * 4, 15, 5 + i * 4));
                }
            }
            case MORE -> {
                for (int i = 0; i < 3; i++) {
                    g.fill(new Ellipse2D.Float(3 + i * 5, 7.5f, 3, 3));
                }
            }
            case SEND -> {
                Path2D p = new Path2D.Float();
                p.moveTo(2.5, 3);
                p.lineTo(16, 9);
                p.lineTo(2.5, 15);
                p.lineTo(5, 9);
                p.closePath();
                g.fill(p);
            }
            case SEARCH -> {
                g.draw(new Ellipse2D.Float(3, 3, 9, 9));
                g.draw(new Line2D.Float(10.5f, 10.5f, 15, 15));
            }
            case ATTACH -> {
                // A paper clip, drawn upright, then leant as people draw it.
                Path2D p = new Path2D.Float();
                p.moveTo(12.5, 6.5);
                p.lineTo(12.5, 12.5);
                p.curveTo(12.5, 16.5, 5.5, 16.5, 5.5, 12.5);
                p.lineTo(5.5, 4.5);
                p.curveTo(5.5, 1.5, 10.5, 1.5, 10.5, 4.5);
                p.lineTo(10.5, 12);
                p.curveTo(10.5, 13.5, 7.5, 13.5, 7.5, 12);
                p.lineTo(7.5, 6.5);
                g.rotate(Math.toRadians(40), 9, 9);
                g.draw(p);
            }
        }
        g.dispose();
    }

    /** A head-and-shoulders curve under a circle. */
    private static Path2D arc(float left, float bottom, float width) {
        Path2D p = new Path2D.Float();
        p.moveTo(left, bottom);
        p.curveTo(left, bottom - 5, left + width, bottom - 5, left + width, bottom);
        return p;
    }

    @Override
    public int getIconWidth() {
        return SIZE;
    }

    @Override
    public int getIconHeight() {
        return SIZE;
    }
}
