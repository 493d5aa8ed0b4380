package chat.client.desktop;

import chat.client.desktop.model.ChatMessage;
import chat.client.desktop.model.FileStatus;
import java.awt.Color;
import java.awt.Component;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.swing.JComponent;
import javax.swing.JEditorPane;
import javax.swing.JList;
import javax.swing.JTextPane;
import javax.swing.ListCellRenderer;
import javax.swing.text.SimpleAttributeSet;
import javax.swing.text.StyleConstants;
import javax.swing.text.StyledDocument;

/**
 * Paints one {@link Row} of a conversation: a bubble (mine on the right in the accent colour,
 * others' on the left), the sender's name above the first of a run in groups, the time and, for
 * mine, the delivery state under it. The text is a {@link JTextPane}, so it wraps, renders any
 * script (right-to-left too) and shows links, which {@link #linkAt} finds for clicks. A file
 * message's bubble holds a {@link FileBubble} instead of the text.
 */
final class MessageCell extends JComponent implements ListCellRenderer<Row> {
    private static final long serialVersionUID = 1L;
    /** http(s) links, in ASCII (so that Chinese punctuation after one ends it), without a trailing stop. */
    static final Pattern LINK = Pattern.compile("\\bhttps?://[!-~&&[^<>\"]]*[!-~&&[^<>\".,;:!?)\\]']]");
    private static final int PAD_X = 12;
    private static final int PAD_Y = 8;
    private static final int SIDE = 20;
    private static final int AVATAR = 32;

    private final JTextPane pane = new JTextPane();
    private final boolean group;
    private final transient Function<ChatMessage, FileStatus> files;
    private final transient Thumbnails thumbnails;
    private final transient FileBubble file = new FileBubble();
    private transient Row row;
    private final Rectangle bubble = new Rectangle();
    private int height;

    MessageCell(boolean group) {
        this(group, m -> FileStatus.UNKNOWN, null);
    }

    /**
     * @param files      what is known of a file message's file (the model's)
     * @param thumbnails where images on this device get their thumbnails; null: none
     */
    MessageCell(boolean group, Function<ChatMessage, FileStatus> files, Thumbnails thumbnails) {
        this.group = group;
        this.files = files;
        this.thumbnails = thumbnails;
        pane.setOpaque(false);
        pane.setEditable(false);
        pane.setBorder(null);
        pane.putClientProperty(JEditorPane.HONOR_DISPLAY_PROPERTIES, Boolean.TRUE);
        add(pane);
    }

    @Override
    public Component getListCellRendererComponent(JList<? extends Row> list, Row value, int index,
            boolean isSelected, boolean cellHasFocus) {
        row = value;
        setFont(list.getFont());
        layoutFor(Math.max(list.getWidth(), 300));
        return this;
    }

    /** Lays the row out for a list {@code width} pixels wide: bubble, text and the row's height. */
    private void layoutFor(int width) {
        pane.setVisible(row instanceof Row.Msg);
        if (!(row instanceof Row.Msg m)) {
            height = row instanceof Row.Day ? 44 : 40;
            return;
        }
        ChatMessage msg = m.message();
        int avatarSpace = group && !m.mine() ? AVATAR + 10 : 0;
        int top = m.first() ? 10 : 2;
        if (m.first() && group && !m.mine()) {
            top += getFontMetrics(getFont()).getHeight() + 2;
        }
        if (msg.isFile()) {
            pane.setVisible(false);
            FileStatus status = files.apply(msg);
            int contentH = file.layout(this, getFont(), msg, status, m.mine(), thumbnail(msg, status));
            int bw = FileBubble.WIDTH + 2 * PAD_X;
            int bx = m.mine() ? width - SIDE - bw : SIDE + avatarSpace;
            bubble.setBounds(bx, top, bw, contentH + 2 * PAD_Y);
            file.place(bx + PAD_X, top + PAD_Y);
            height = top + bubble.height + metaHeight() + 2;
            return;
        }
        pane.setFont(getFont().deriveFont(getFont().getSize2D() + 1f));
        pane.setForeground(m.mine() ? Color.WHITE : Theme.text());
        setText(msg.text(), m.mine());
        int max = Math.min(560, (int) ((width - 2 * SIDE - avatarSpace) * 0.72));
        pane.setSize(new Dimension(Integer.MAX_VALUE / 4, Integer.MAX_VALUE / 4));
        int natural = pane.getPreferredSize().width + 2;
        int textW = Math.max(24, Math.min(natural, max));
        pane.setSize(new Dimension(textW, Integer.MAX_VALUE / 4));
        int textH = pane.getPreferredSize().height;
        pane.setSize(textW, textH);

        int bw = textW + 2 * PAD_X;
        int bh = textH + 2 * PAD_Y;
        int bx = m.mine() ? width - SIDE - bw : SIDE + avatarSpace;
        bubble.setBounds(bx, top, bw, bh);
        pane.setLocation(bx + PAD_X, top + PAD_Y);
        height = top + bh + metaHeight() + 2;
    }

    /** The thumbnail of an image file that is on this device (mine as sent, or someone's once saved). */
    private BufferedImage thumbnail(ChatMessage msg, FileStatus status) {
        if (thumbnails == null || !msg.file().isImage() || status.path() == null || msg.id() == 0
                || status.transfer() == FileStatus.Transfer.DOWNLOADING) {
            return null;
        }
        return thumbnails.get(status.path());
    }

    /** The file part of the row last rendered (its buttons, bar and thumbnail), for clicks and tests. */
    FileBubble file() {
        return row instanceof Row.Msg m && m.message().isFile() ? file : null;
    }

    private int metaHeight() {
        return getFontMetrics(getFont().deriveFont(getFont().getSize2D() - 1.5f)).getHeight() + 2;
    }

    private void setText(String text, boolean mine) {
        pane.setText(text);
        StyledDocument doc = pane.getStyledDocument();
        SimpleAttributeSet link = new SimpleAttributeSet();
        StyleConstants.setUnderline(link, true);
        StyleConstants.setForeground(link, mine ? Color.WHITE : Theme.ACCENT);
        Matcher matcher = LINK.matcher(text);
        while (matcher.find()) {
            doc.setCharacterAttributes(matcher.start(), matcher.end() - matcher.start(), link, false);
        }
    }

    @Override
    public Dimension getPreferredSize() {
        return new Dimension(300, height);
    }

    /** The link under {@code p} (in the cell's coordinates, after rendering it), or null. */
    String linkAt(Point p) {
        if (!(row instanceof Row.Msg m) || m.message().isFile() || !pane.getBounds().contains(p)) {
            return null;
        }
        int offset = pane.viewToModel2D(new Point(p.x - pane.getX(), p.y - pane.getY()));
        Matcher matcher = LINK.matcher(m.message().text());
        while (matcher.find()) {
            if (offset >= matcher.start() && offset < matcher.end()) {
                return matcher.group();
            }
        }
        return null;
    }

    /** Whether {@code p} is on the bubble or its status line. */
    boolean onBubble(Point p) {
        Rectangle r = new Rectangle(bubble);
        r.height += metaHeight();
        return row instanceof Row.Msg && r.contains(p);
    }

    @Override
    protected void paintComponent(Graphics graphics) {
        Graphics2D g = (Graphics2D) graphics.create();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_LCD_HRGB);
        g.setColor(Theme.content());
        g.fillRect(0, 0, getWidth(), getHeight());
        if (row instanceof Row.Day d) {
            paintPill(g, Times.dayLabel(d.day()));
        } else if (row instanceof Row.Start) {
            paintPill(g, Text.get("conv.start"));
        } else if (row instanceof Row.Msg m) {
            paintMessage(g, m);
        }
        g.dispose();
    }

    private void paintPill(Graphics2D g, String text) {
        Font f = getFont().deriveFont(Font.BOLD, getFont().getSize2D() - 1.5f);
        g.setFont(f);
        FontMetrics fm = g.getFontMetrics();
        int w = fm.stringWidth(text) + 20;
        int h = fm.getHeight() + 6;
        int x = (getWidth() - w) / 2;
        int y = (getHeight() - h) / 2;
        g.setColor(Theme.bubble());
        g.fillRoundRect(x, y, w, h, h, h);
        g.setColor(Theme.muted());
        g.drawString(text, x + 10, y + 3 + fm.getAscent());
    }

    private void paintMessage(Graphics2D g, Row.Msg m) {
        ChatMessage msg = m.message();
        if (m.first() && group && !m.mine()) {
            g.setFont(getFont().deriveFont(Font.BOLD, getFont().getSize2D() - 0.5f));
            g.setColor(Avatars.color(msg.from()));
            g.drawString(msg.from(), bubble.x + 4, bubble.y - 5);
            Avatars.paint(g, msg.from(), false, SIDE, bubble.y, AVATAR);
        }
        g.setColor(m.mine() ? (msg.delivery() == ChatMessage.Delivery.FAILED ? Theme.DANGER : Theme.ACCENT) : Theme.bubble());
        int arc = 18;
        g.fillRoundRect(bubble.x, bubble.y, bubble.width, bubble.height, arc, arc);
        if (msg.isFile()) {
            file.paint(g, getFont());
        }

        Font metaFont = getFont().deriveFont(getFont().getSize2D() - 1.5f);
        g.setFont(metaFont);
        FontMetrics fm = g.getFontMetrics();
        String meta = Times.clock(msg.time());
        if (m.mine()) {
            meta = switch (msg.delivery()) {
                case SENDING -> meta + " · " + Text.get("conv.sending");
                case STORED -> meta + " · " + Text.get("conv.stored") + " ✓";
                case FAILED -> meta + " · " + Text.get("conv.failed");
            };
        }
        g.setColor(msg.delivery() == ChatMessage.Delivery.FAILED ? Theme.DANGER : Theme.muted());
        int my = bubble.y + bubble.height + fm.getAscent() + 2;
        int mx = m.mine() ? bubble.x + bubble.width - fm.stringWidth(meta) - 4 : bubble.x + 4;
        g.drawString(meta, mx, my);
    }

    private static boolean warm;

    /**
     * Lays out and paints a few sample bubbles off screen, once per process, so that the first
     * conversation opened does not pay for loading the Swing text classes, the fallback font for
     * Chinese and the text pipeline's first use: most of the first open's time (OpenTime, timed with
     * stamps: about 170 ms laying out and painting the first bubbles, 30 ms more building the first
     * panel). Called on the EDT once the main window is up; once per process, as the loading is.
     * Only the EDT reads and sets {@code warm}.
     */
    static void warmUp() {
        if (warm) {
            return;
        }
        warm = true;
        JList<Row> list = new JList<>();
        list.setSize(600, 400);
        MessageCell cell = new MessageCell(false);
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(600, 120,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        String[] samples = {"Hello 你好", "https://example.com 消息", "Ok"};
        for (int i = 0; i < samples.length; i++) {
            ChatMessage m = new ChatMessage(0, "", System.currentTimeMillis(), "", samples[i],
                    ChatMessage.Delivery.STORED);
            Component c = cell.getListCellRendererComponent(list, new Row.Msg(m, i % 2 == 0, true), i, false, false);
            c.setSize(600, c.getPreferredSize().height);
            Graphics g = image.createGraphics();
            try {
                c.paint(g);
            } finally {
                g.dispose();
            }
        }
    }

    /** The text under a point that is no link, for copying; null when not on a message. */
    String textAt() {
        return row instanceof Row.Msg m ? m.message().text() : null;
    }

}
