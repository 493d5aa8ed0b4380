package chat.client.desktop;

import chat.client.desktop.model.Conversation;
import java.awt.Color;
import java.awt.Component;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import javax.swing.JComponent;
import javax.swing.JList;
import javax.swing.ListCellRenderer;

/**
 * One row of the conversation list, painted rather than built from labels (the list repaints
 * often and has many rows): avatar with a presence dot, title, time, preview, unread badge.
 */
final class ConversationCell extends JComponent implements ListCellRenderer<Conversation> {
    private static final long serialVersionUID = 1L;
    private static final int HEIGHT = 64;
    private static final int AVATAR = 42;

    private transient Conversation value;
    private boolean selected;

    @Override
    public Component getListCellRendererComponent(JList<? extends Conversation> list, Conversation c, int index,
            boolean isSelected, boolean cellHasFocus) {
        value = c;
        selected = isSelected;
        setFont(list.getFont());
        return this;
    }

    @Override
    public Dimension getPreferredSize() {
        return new Dimension(260, HEIGHT);
    }

    @Override
    protected void paintComponent(Graphics graphics) {
        Graphics2D g = (Graphics2D) graphics.create();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_LCD_HRGB);
        Color bg = Theme.sidebar();
        g.setColor(bg);
        g.fillRect(0, 0, getWidth(), getHeight());
        if (selected) {
            bg = Theme.selection();
            g.setColor(bg);
            g.fillRoundRect(6, 2, getWidth() - 12, getHeight() - 4, 12, 12);
        }
        int x = 16;
        int y = (getHeight() - AVATAR) / 2;
        Avatars.paint(g, value.name(), value.isGroup(), x, y, AVATAR);
        if (!value.isGroup()) {
            Avatars.paintPresence(g, value.online(), x, y, AVATAR, bg);
        }
        int textX = x + AVATAR + 12;
        int right = getWidth() - 16;

        Font base = getFont();
        Font small = base.deriveFont(base.getSize2D() - 1f);
        g.setFont(small);
        FontMetrics sm = g.getFontMetrics();
        String time = Times.shortly(value.lastTime());
        int timeW = sm.stringWidth(time);
        g.setColor(value.unread() > 0 ? Theme.ACCENT : Theme.muted());
        int line1 = getHeight() / 2 - 4;
        g.drawString(time, right - timeW, line1);

        Font titleFont = base.deriveFont(Font.BOLD, base.getSize2D() + 0.5f);
        g.setFont(titleFont);
        g.setColor(Theme.text());
        g.drawString(fit(g.getFontMetrics(), value.title(), right - timeW - 8 - textX), textX, line1);

        int line2 = getHeight() / 2 + 15;
        String badge = value.unread() > 99 ? "99+" : Integer.toString(value.unread());
        int badgeW = 0;
        if (value.unread() > 0) {
            g.setFont(small.deriveFont(Font.BOLD));
            FontMetrics bm = g.getFontMetrics();
            badgeW = Math.max(20, bm.stringWidth(badge) + 12);
            int bh = 20;
            int bx = right - badgeW;
            int by = line2 - bh + 5;
            g.setColor(Theme.ACCENT);
            g.fillRoundRect(bx, by, badgeW, bh, bh, bh);
            g.setColor(Color.WHITE);
            g.drawString(badge, bx + (badgeW - bm.stringWidth(badge)) / 2, by + (bh - bm.getHeight()) / 2 + bm.getAscent());
            badgeW += 8;
        }
        g.setFont(base);
        g.setColor(Theme.muted());
        String preview = value.preview().isEmpty() ? subtitle() : value.preview();
        g.drawString(fit(g.getFontMetrics(), preview, right - badgeW - textX), textX, line2);
        g.dispose();
    }

    private String subtitle() {
        if (value.isGroup()) {
            return value.members() > 0 ? Text.get("main.members", value.members()) : "";
        }
        return Text.get(value.online() ? "conv.online" : "conv.offline");
    }

    /** {@code s} cut with an ellipsis to fit {@code width} pixels, on a code point boundary. */
    static String fit(FontMetrics fm, String s, int width) {
        if (fm.stringWidth(s) <= width) {
            return s;
        }
        int end = s.length();
        while (end > 0 && fm.stringWidth(s.substring(0, end) + "…") > width) {
            end = s.offsetByCodePoints(end, -1);
        }
        return s.substring(0, end) + "…";
    }
}
