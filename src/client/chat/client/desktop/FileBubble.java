package chat.client.desktop;

import chat.client.desktop.model.ChatMessage;
import chat.client.desktop.model.FileStatus;
import chat.client.desktop.model.FileStatus.State;
import chat.client.desktop.model.FileStatus.Transfer;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Component;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The inside of a file message's bubble, laid out and painted by hand like the rest of a
 * {@link MessageCell} (a list cell is a rubber stamp: no live components in it, so buttons are
 * rectangles that {@link #actionAt} finds for clicks). From the top: the thumbnail of an image
 * that is on this device, the file's icon, name and size, a progress bar while (and after) this
 * device moves its bytes, a status line with the rate, and the buttons the state allows.
 *
 * <p>Its height depends on the state and the thumbnail only, never on the progress: a transfer
 * repaints its row ten times a second without the list measuring every row again
 * ({@link #shape} tells the panel when it must).
 */
final class FileBubble {

    /** What a click on the bubble does. */
    enum Action {
        /** Download someone's file into the downloads folder. */
        SAVE,
        /** Show the folder the file is in, here. */
        OPEN_FOLDER,
        /** Open the file (a click on its thumbnail). */
        OPEN,
        /** Stop my upload and withdraw the offer. */
        CANCEL,
        /** Withdraw my offer once uploaded: the server deletes its bytes (asks first). */
        WITHDRAW,
        /** Stop my download. */
        STOP
    }

    /** The content's width: wide enough for a name, a bar and two buttons, narrow as a phone's bubble. */
    static final int WIDTH = 280;
    static final int THUMB_MAX_H = 200;
    private static final int ICON_W = 34;
    private static final int ICON_H = 40;
    private static final int BAR_H = 6;
    private static final int BUTTON_H = 28;
    private static final int GAP = 8;

    private final Map<Action, Rectangle> buttons = new EnumMap<>(Action.class);
    private final Rectangle thumbRect = new Rectangle();
    private final Rectangle barRect = new Rectangle();
    private ChatMessage message;
    private FileStatus status = FileStatus.UNKNOWN;
    private boolean mine;
    private BufferedImage thumb;
    private String statusLine = "";
    private boolean danger;
    private int height;
    /** Where the content's top-left corner is in the cell; rectangles above are relative to it. */
    private final Point origin = new Point();

    /** Lays the content out for {@code m} in {@code s}; returns its height ({@link #WIDTH} wide). */
    int layout(Component c, Font base, ChatMessage m, FileStatus s, boolean isMine, BufferedImage thumbnail) {
        message = m;
        status = s;
        mine = isMine;
        thumb = thumbnail;
        buttons.clear();
        int y = 0;
        if (thumb != null) {
            thumbRect.setBounds(0, 0, thumb.getWidth(), thumb.getHeight());
            y += thumb.getHeight() + GAP;
        } else {
            thumbRect.setBounds(0, 0, 0, 0);
        }
        y += ICON_H;
        boolean bar = s.transfer() != Transfer.NONE && s.transfer() != Transfer.FAILED;
        if (bar) {
            barRect.setBounds(0, y + GAP, WIDTH, BAR_H);
            y += GAP + BAR_H;
        } else {
            barRect.setBounds(0, 0, 0, 0);
        }
        statusLine = statusLine();
        if (!statusLine.isEmpty()) {
            y += 4 + c.getFontMetrics(meta(base)).getHeight();
        }
        List<Action> actions = actions();
        if (!actions.isEmpty()) {
            y += GAP;
            FontMetrics fm = c.getFontMetrics(button(base));
            int x = 0;
            for (Action a : actions) {
                int w = fm.stringWidth(label(a)) + 24;
                buttons.put(a, new Rectangle(x, y, w, BUTTON_H));
                x += w + GAP;
            }
            y += BUTTON_H;
        }
        if (thumb != null) {
            buttons.put(Action.OPEN, new Rectangle(thumbRect));
        }
        height = y;
        return height;
    }

    void place(int x, int y) {
        origin.setLocation(x, y);
    }

    /**
     * What decides the height, but for the thumbnail (whose arrival the panel hears of by itself):
     * the panel measures the rows again when it changes, and only repaints when it does not (progress).
     */
    static String shape(FileStatus s, boolean isMine) {
        return s.state() + "/" + s.transfer() + "/" + isMine + "/" + (s.path() != null);
    }

    /** The buttons, in the order they show. */
    private List<Action> actions() {
        List<Action> out = new ArrayList<>(2);
        State state = status.state();
        Transfer t = status.transfer();
        if (mine) {
            if (message.id() == 0) {
                return out; // still being offered: nothing to act on yet
            }
            if (t == Transfer.DONE && status.path() != null) {
                out.add(Action.OPEN_FOLDER);
            }
            if (!state.isFinal() && state != State.FAILED) {
                out.add(t == Transfer.UPLOADING || state == State.UPLOADING ? Action.CANCEL : Action.WITHDRAW);
            }
            return out;
        }
        if (t == Transfer.DOWNLOADING) {
            out.add(Action.STOP);
        } else if (t == Transfer.DONE) {
            out.add(Action.OPEN_FOLDER);
        } else if (state == State.READY) {
            out.add(Action.SAVE);
        }
        return out;
    }

    private String statusLine() {
        danger = false;
        State state = status.state();
        Transfer t = status.transfer();
        if (t == Transfer.UPLOADING || t == Transfer.DOWNLOADING) {
            if (mine && message.id() == 0) {
                return Text.get("file.preparing");
            }
            String moved = Text.get("file.progress", Sizes.of(status.bytes()), Sizes.of(status.total()));
            return status.rate() > 0 ? moved + " · " + Sizes.rate(status.rate()) : moved;
        }
        if (t == Transfer.FAILED) {
            danger = true;
            String key = !mine ? "file.downloadFailed" : message.id() == 0 ? "file.notSent" : "file.uploadFailed";
            return Text.get(key, status.error());
        }
        if (state.isFinal()) {
            danger = t != Transfer.DONE;
            return Text.get("file.state." + state.name());
        }
        if (t == Transfer.DONE) {
            return mine ? Text.get("file.uploaded") : Text.get("file.saved", folderName());
        }
        return switch (state) {
            case UPLOADING -> mine ? Text.get("file.state.UPLOADING") : Text.get("file.waiting", message.from());
            case FAILED -> {
                danger = true;
                yield Text.get("file.state.FAILED");
            }
            case READY -> mine ? Text.get("file.uploaded") : message.file().isDirect()
                    ? Text.get("file.direct", message.from()) : "";
            default -> "";
        };
    }

    private String folderName() {
        var parent = status.path() == null ? null : status.path().getParent();
        return parent == null || parent.getFileName() == null ? "" : parent.getFileName().toString();
    }

    static String label(Action a) {
        return Text.get("file." + a.name().toLowerCase(Locale.ROOT).replace("_f", "F"));
    }

    /** The action under {@code p} (in the cell's coordinates), or null. */
    Action actionAt(Point p) {
        Point in = new Point(p.x - origin.x, p.y - origin.y);
        for (Map.Entry<Action, Rectangle> e : buttons.entrySet()) {
            if (e.getValue().contains(in)) {
                return e.getKey();
            }
        }
        return null;
    }

    /** Where button {@code a} is in the cell, or null when the bubble has none. */
    Rectangle button(Action a) {
        Rectangle r = buttons.get(a);
        return r == null ? null : new Rectangle(r.x + origin.x, r.y + origin.y, r.width, r.height);
    }

    /** Where the thumbnail is in the cell; empty when there is none. */
    Rectangle thumbnail() {
        return thumb == null ? new Rectangle() : new Rectangle(thumbRect.x + origin.x, thumbRect.y + origin.y,
                thumbRect.width, thumbRect.height);
    }

    /** The status line under the bar (progress and rate, or the state in words). */
    String status() {
        return statusLine;
    }

    /** What the bar shows, 0 to 1; -1 when it is not shown. */
    double barFraction() {
        return barRect.isEmpty() ? -1 : status.fraction();
    }

    void paint(Graphics2D g0, Font base) {
        Graphics2D g = (Graphics2D) g0.create();
        g.translate(origin.x, origin.y);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        Color fg = mine ? Color.WHITE : Theme.text();
        Color soft = mine ? new Color(255, 255, 255, 190) : Theme.muted();
        Color track = mine ? new Color(255, 255, 255, 70) : Theme.line();
        Color fill = mine ? Color.WHITE : Theme.ACCENT;
        if (thumb != null) {
            g.setClip(new java.awt.geom.RoundRectangle2D.Float(0, 0, thumbRect.width, thumbRect.height, 12, 12));
            g.drawImage(thumb, 0, 0, null);
            g.setClip(null);
        }
        int y = thumb == null ? 0 : thumbRect.height + GAP;
        paintIcon(g, 0, y, fg, mine ? new Color(255, 255, 255, 40) : Theme.content());

        Font nameFont = base.deriveFont(Font.BOLD, base.getSize2D() + 0.5f);
        g.setFont(nameFont);
        FontMetrics fm = g.getFontMetrics();
        int textX = ICON_W + 10;
        g.setColor(fg);
        g.drawString(elide(message.file().name(), fm, WIDTH - textX), textX, y + fm.getAscent() + 1);
        Font metaFont = meta(base);
        g.setFont(metaFont);
        FontMetrics mm = g.getFontMetrics();
        g.setColor(soft);
        g.drawString(Sizes.of(message.file().size()), textX, y + ICON_H - mm.getDescent() - 1);
        y += ICON_H;

        if (!barRect.isEmpty()) {
            g.setColor(track);
            g.fillRoundRect(barRect.x, barRect.y, barRect.width, barRect.height, BAR_H, BAR_H);
            int w = (int) Math.round(barRect.width * status.fraction());
            if (w > 0) {
                g.setColor(fill);
                g.fillRoundRect(barRect.x, barRect.y, Math.max(w, BAR_H), barRect.height, BAR_H, BAR_H);
            }
            y = barRect.y + barRect.height;
        }
        if (!statusLine.isEmpty()) {
            g.setFont(metaFont);
            g.setColor(danger ? (mine ? new Color(0xFFE1E1) : Theme.DANGER) : soft);
            g.drawString(elide(statusLine, mm, WIDTH), 0, y + 4 + mm.getAscent());
        }
        Font bf = button(base);
        g.setFont(bf);
        FontMetrics bm = g.getFontMetrics();
        for (Map.Entry<Action, Rectangle> e : buttons.entrySet()) {
            if (e.getKey() == Action.OPEN) {
                continue;
            }
            Rectangle r = e.getValue();
            g.setColor(mine ? new Color(255, 255, 255, 55) : Theme.content());
            g.fillRoundRect(r.x, r.y, r.width, r.height, 12, 12);
            g.setColor(mine ? new Color(255, 255, 255, 120) : Theme.line());
            g.drawRoundRect(r.x, r.y, r.width - 1, r.height - 1, 12, 12);
            g.setColor(mine ? Color.WHITE : (e.getKey() == Action.SAVE ? Theme.ACCENT : Theme.text()));
            String text = label(e.getKey());
            g.drawString(text, r.x + (r.width - bm.stringWidth(text)) / 2, r.y + (r.height - bm.getHeight()) / 2 + bm.getAscent());
        }
        g.dispose();
    }

    /** A sheet with a folded corner and the file's extension on it. */
    private void paintIcon(Graphics2D g, int x, int y, Color line, Color paper) {
        int fold = 10;
        Path2D p = new Path2D.Float();
        p.moveTo(x + 1, y + 1);
        p.lineTo(x + ICON_W - fold, y + 1);
        p.lineTo(x + ICON_W - 1, y + fold);
        p.lineTo(x + ICON_W - 1, y + ICON_H - 1);
        p.lineTo(x + 1, y + ICON_H - 1);
        p.closePath();
        g.setColor(paper);
        g.fill(p);
        g.setColor(line);
        g.setStroke(new BasicStroke(1.4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(p);
        Path2D corner = new Path2D.Float();
        corner.moveTo(x + ICON_W - fold, y + 1);
        corner.lineTo(x + ICON_W - fold, y + fold);
        corner.lineTo(x + ICON_W - 1, y + fold);
        g.draw(corner);
        String name = message.file().name();
        int dot = name.lastIndexOf('.');
        String ext = dot > 0 && name.length() - dot <= 5 ? name.substring(dot + 1).toUpperCase(Locale.ROOT) : "";
        if (!ext.isEmpty()) {
            g.setFont(g.getFont().deriveFont(Font.BOLD, 9f));
            FontMetrics fm = g.getFontMetrics();
            g.drawString(ext, x + (ICON_W - fm.stringWidth(ext)) / 2, y + ICON_H - 8);
        }
    }

    private static Font meta(Font base) {
        return base.deriveFont(base.getSize2D() - 1.5f);
    }

    private static Font button(Font base) {
        return base.deriveFont(Font.BOLD, base.getSize2D() - 1f);
    }

    /** {@code s} cut in the middle to fit {@code width} (a file's extension stays in view). */
    static String elide(String s, FontMetrics fm, int width) {
        if (fm.stringWidth(s) <= width) {
            return s;
        }
        int[] cps = s.codePoints().toArray();
        int keepEnd = Math.min(8, cps.length / 2);
        for (int front = cps.length - keepEnd - 1; front > 0; front--) {
            String cut = new String(cps, 0, front) + "…" + new String(cps, cps.length - keepEnd, keepEnd);
            if (fm.stringWidth(cut) <= width) {
                return cut;
            }
        }
        return "…";
    }
}
