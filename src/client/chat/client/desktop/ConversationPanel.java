package chat.client.desktop;

import chat.client.desktop.model.ChatMessage;
import chat.client.desktop.model.ChatModel;
import chat.client.desktop.model.ConnectionState;
import chat.client.desktop.model.Conversation;
import com.formdev.flatlaf.FlatClientProperties;
import java.awt.BorderLayout;
import java.awt.Cursor;
import java.awt.Dimension;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.event.ComponentAdapter;
import java.awt.event.ComponentEvent;
import java.awt.event.KeyEvent;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.util.List;
import javax.swing.AbstractAction;
import javax.swing.BorderFactory;
import javax.swing.Box;
import javax.swing.BoxLayout;
import javax.swing.DefaultListModel;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.JScrollBar;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;
import javax.swing.KeyStroke;
import javax.swing.ListSelectionModel;
import javax.swing.ScrollPaneConstants;

/**
 * One conversation: a header (who, presence or members, tools), the messages (newest at the
 * bottom; scrolling to the top loads the page before), and the composer (Enter sends, Shift+Enter
 * adds a line). Used in the main window and, popped out, in a window of its own.
 *
 * <p>Files: the paper-clip button picks files to send, and files dropped (or pasted) anywhere on
 * the conversation are sent too ({@link FileDrop}); each shows as a {@link FileBubble} with its
 * progress, Save and Open folder.
 */
final class ConversationPanel extends JPanel implements ChatModel.Listener {
    private static final long serialVersionUID = 1L;

    private final transient ChatModel model;
    final String key;
    private final DefaultListModel<Row> rows = new DefaultListModel<>();
    final JList<Row> list = new JList<>(rows);
    private final JScrollPane scroll;
    final JTextArea input = new JTextArea(1, 20) {
        private static final long serialVersionUID = 1L;

        @Override
        protected void paintComponent(Graphics g) {
            super.paintComponent(g);
            if (getDocument().getLength() == 0) {
                // The hint, in the muted colour, where the text will start.
                Graphics2D g2 = (Graphics2D) g.create();
                g2.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING,
                        java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_LCD_HRGB);
                g2.setColor(Theme.muted());
                java.awt.Insets in = getInsets();
                g2.drawString(Text.get("conv.type"), in.left, in.top + g2.getFontMetrics().getAscent());
                g2.dispose();
            }
        }
    };
    final JButton send = new JButton(Icons.SEND);
    final JButton attach = new JButton(Icons.ATTACH);
    private final JLabel title = new JLabel();
    private final JLabel subtitle = new JLabel();
    private final JLabel offline = new JLabel(Text.get("conv.offlineQueue"));
    private final MessageCell cell;
    private final transient Actions actions;
    private final transient Thumbnails thumbnails = new Thumbnails(this::remeasure);
    /** Each file bubble's {@link FileBubble#shape} when last measured: progress alone only repaints. */
    private final java.util.Map<Long, String> shapes = new java.util.HashMap<>();
    private int lastValue;
    /** The folder the file chooser showed last, for the next (per panel, like the dialog itself). */
    private java.io.File lastFolder;

    ConversationPanel(ChatModel model, String key, Actions actions) {
        super(new BorderLayout());
        this.model = model;
        this.key = key;
        this.actions = actions;
        setName("conv:" + key);
        Conversation c = model.conversation(key);
        cell = new MessageCell(c != null && c.isGroup(), model::fileStatus, thumbnails);
        setBackground(Theme.content());

        list.setName("conv.messages");
        list.setCellRenderer(cell);
        list.setBackground(Theme.content());
        list.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        list.setFocusable(false);
        scroll = new JScrollPane(new BottomAligned(list), ScrollPaneConstants.VERTICAL_SCROLLBAR_AS_NEEDED,
                ScrollPaneConstants.HORIZONTAL_SCROLLBAR_NEVER);
        scroll.setBorder(null);
        scroll.getVerticalScrollBar().setUnitIncrement(24);
        scroll.getViewport().setBackground(Theme.content());
        add(header(), BorderLayout.NORTH);
        add(scroll, BorderLayout.CENTER);
        add(composer(), BorderLayout.SOUTH);
        // Files dropped on the messages, the empty space above them, the input or the header go here.
        for (JComponent target : new JComponent[] {this, list, (JComponent) list.getParent(), input}) {
            FileDrop.install(target, this::sendFiles);
        }

        // Row heights depend on the width (text wraps): recompute them when it changes.
        list.addComponentListener(new ComponentAdapter() {
            private int width = -1;

            @Override
            public void componentResized(ComponentEvent e) {
                if (list.getWidth() != width) {
                    width = list.getWidth();
                    list.setFixedCellHeight(10);
                    list.setFixedCellHeight(-1);
                }
            }
        });
        // Older pages load when the user scrolls up to the top (not when a reload passes by it),
        // or turns the wheel up while already there.
        scroll.getVerticalScrollBar().addAdjustmentListener(e -> {
            int before = lastValue;
            lastValue = e.getValue();
            if (e.getValue() == 0 && before > 0 && !e.getValueIsAdjusting()) {
                loadOlder();
            }
        });
        list.addMouseWheelListener(e -> {
            if (e.getWheelRotation() < 0 && scroll.getVerticalScrollBar().getValue() == 0) {
                loadOlder();
            }
            scroll.dispatchEvent(javax.swing.SwingUtilities.convertMouseEvent(list, e, scroll));
        });
        list.addMouseListener(new MouseAdapter() {
            @Override
            public void mouseClicked(MouseEvent e) {
                if (javax.swing.SwingUtilities.isLeftMouseButton(e)) {
                    click(e.getPoint());
                }
            }

            @Override
            public void mousePressed(MouseEvent e) {
                messageMenu(e);
            }

            @Override
            public void mouseReleased(MouseEvent e) {
                messageMenu(e);
            }
        });
        list.addMouseMotionListener(new MouseAdapter() {
            @Override
            public void mouseMoved(MouseEvent e) {
                list.setCursor(Cursor.getPredefinedCursor(target(e.getPoint()) != null ? Cursor.HAND_CURSOR : Cursor.DEFAULT_CURSOR));
            }
        });
        refreshHeader();
        reload(true);
    }

    /** What the panel asks of its window: the conversation menu's actions. */
    interface Actions {
        void showMenu(String key, JComponent anchor);

        void openLink(String url);

        /** Where Save puts files: the user's downloads folder. */
        java.nio.file.Path downloads();

        /** Shows the folder holding {@code file}, as the desktop's file manager does. */
        void openFolder(java.nio.file.Path file);

        /** Opens {@code file} with the desktop's application for it. */
        void openFile(java.nio.file.Path file);

        /** Shows a failed request's message. */
        void report(java.util.concurrent.CompletableFuture<?> request);
    }

    private JComponent header() {
        JPanel h = new JPanel(new BorderLayout(12, 0)) {
            private static final long serialVersionUID = 1L;

            @Override
            protected void paintComponent(Graphics g) {
                super.paintComponent(g);
                g.setColor(Theme.line());
                g.fillRect(0, getHeight() - 1, getWidth(), 1);
            }
        };
        h.setBackground(Theme.content());
        h.setBorder(BorderFactory.createEmptyBorder(12, 20, 12, 12));
        JComponent avatar = new JComponent() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void paintComponent(Graphics g) {
                Conversation c = model.conversation(key);
                if (c != null) {
                    Avatars.paint((Graphics2D) g, c.name(), c.isGroup(), 0, 0, 38);
                    if (!c.isGroup()) {
                        Avatars.paintPresence((Graphics2D) g, c.online(), 0, 0, 38, Theme.content());
                    }
                }
            }
        };
        avatar.setPreferredSize(new Dimension(38, 38));
        h.add(avatar, BorderLayout.WEST);
        JPanel names = new JPanel();
        names.setOpaque(false);
        names.setLayout(new BoxLayout(names, BoxLayout.Y_AXIS));
        title.setName("conv.title");
        title.putClientProperty(FlatClientProperties.STYLE, "font: +3 bold");
        subtitle.setForeground(Theme.muted());
        names.add(title);
        names.add(Box.createVerticalStrut(2));
        names.add(subtitle);
        h.add(names, BorderLayout.CENTER);
        JButton more = new JButton(Icons.MORE);
        more.setName("conv.menu");
        more.putClientProperty(FlatClientProperties.BUTTON_TYPE, FlatClientProperties.BUTTON_TYPE_TOOLBAR_BUTTON);
        more.addActionListener(e -> actions.showMenu(key, more));
        h.add(more, BorderLayout.EAST);
        return h;
    }

    private JComponent composer() {
        JPanel p = new JPanel(new BorderLayout(10, 0));
        p.setBackground(Theme.content());
        p.setBorder(BorderFactory.createEmptyBorder(6, 20, 16, 20));
        input.setName("conv.input");
        input.setLineWrap(true);
        input.setWrapStyleWord(true);
        input.setRows(1);
        input.putClientProperty(FlatClientProperties.STYLE, "margin: 9,12,9,12; font: +1");
        JScrollPane inputScroll = new JScrollPane(input, ScrollPaneConstants.VERTICAL_SCROLLBAR_AS_NEEDED,
                ScrollPaneConstants.HORIZONTAL_SCROLLBAR_NEVER) {
            private static final long serialVersionUID = 1L;

            @Override
            public Dimension getPreferredSize() {
                // Grows with the text up to six lines, then scrolls.
                Dimension d = super.getPreferredSize();
                int line = input.getFontMetrics(input.getFont()).getHeight();
                d.height = Math.min(d.height, line * 6 + 22);
                return d;
            }
        };
        inputScroll.putClientProperty(FlatClientProperties.STYLE, "arc: 18");
        p.add(inputScroll, BorderLayout.CENTER);
        send.setName("conv.send");
        send.setToolTipText(Text.get("conv.send"));
        Theme.primary(send, "arc: 999; margin: 8,8,8,8");
        JPanel sendBox = new JPanel(new BorderLayout());
        sendBox.setOpaque(false);
        sendBox.add(send, BorderLayout.SOUTH);
        p.add(sendBox, BorderLayout.EAST);
        offline.setName("conv.offline");
        offline.setForeground(Theme.muted());
        offline.setBorder(BorderFactory.createEmptyBorder(0, 4, 6, 0));
        p.add(offline, BorderLayout.NORTH);
        attach.setName("conv.attach");
        attach.setToolTipText(Text.get("conv.attach"));
        attach.putClientProperty(FlatClientProperties.BUTTON_TYPE, FlatClientProperties.BUTTON_TYPE_TOOLBAR_BUTTON);
        attach.putClientProperty(FlatClientProperties.STYLE, "margin: 8,8,8,8");
        attach.addActionListener(e -> chooseFiles());
        JPanel attachBox = new JPanel(new BorderLayout());
        attachBox.setOpaque(false);
        attachBox.add(attach, BorderLayout.SOUTH);
        p.add(attachBox, BorderLayout.WEST);

        input.getInputMap().put(KeyStroke.getKeyStroke(KeyEvent.VK_ENTER, 0), "send");
        input.getInputMap().put(KeyStroke.getKeyStroke(KeyEvent.VK_ENTER, KeyEvent.SHIFT_DOWN_MASK), "newline");
        input.getActionMap().put("send", new AbstractAction() {
            private static final long serialVersionUID = 1L;

            @Override
            public void actionPerformed(java.awt.event.ActionEvent e) {
                sendInput();
            }
        });
        input.getActionMap().put("newline", new AbstractAction() {
            private static final long serialVersionUID = 1L;

            @Override
            public void actionPerformed(java.awt.event.ActionEvent e) {
                input.replaceSelection("\n");
            }
        });
        input.getDocument().addDocumentListener(new javax.swing.event.DocumentListener() {
            @Override public void insertUpdate(javax.swing.event.DocumentEvent e) { grow(); }
            @Override public void removeUpdate(javax.swing.event.DocumentEvent e) { grow(); }
            @Override public void changedUpdate(javax.swing.event.DocumentEvent e) { grow(); }
        });
        send.addActionListener(e -> sendInput());
        return p;
    }

    private void grow() {
        send.setEnabled(!input.getText().isBlank());
        revalidate();
    }

    /** Sends what is typed (nothing when it is only blanks), even offline: it waits and goes later. */
    void sendInput() {
        String text = input.getText().strip();
        if (text.isEmpty()) {
            return;
        }
        input.setText("");
        model.send(key, text);
        scrollToBottom();
    }

    /** The send-a-file button: a file chooser, then each file picked goes as {@link #sendFiles} sends it. */
    private void chooseFiles() {
        javax.swing.JFileChooser chooser = new javax.swing.JFileChooser(lastFolder);
        chooser.setName("conv.chooser");
        chooser.setDialogTitle(Text.get("conv.attach"));
        chooser.setMultiSelectionEnabled(true);
        chooser.setApproveButtonText(Text.get("conv.send"));
        if (chooser.showOpenDialog(this) == javax.swing.JFileChooser.APPROVE_OPTION) {
            lastFolder = chooser.getCurrentDirectory();
            sendFiles(java.util.Arrays.stream(chooser.getSelectedFiles()).map(java.io.File::toPath)
                    .filter(java.nio.file.Files::isRegularFile).toList());
        }
    }

    /** Offers each file to this conversation, in order; each shows at once as its own bubble. */
    void sendFiles(List<java.nio.file.Path> files) {
        for (java.nio.file.Path f : files) {
            model.sendFile(key, f);
        }
        if (!files.isEmpty()) {
            scrollToBottom();
        }
    }

    /** A message's menu (right button): copy its text; send a failed one of mine again. */
    private void messageMenu(MouseEvent e) {
        int i = list.locationToIndex(e.getPoint());
        if (!e.isPopupTrigger() || i < 0 || !(rows.get(i) instanceof Row.Msg m)) {
            return;
        }
        javax.swing.JPopupMenu menu = menuFor(m);
        menu.show(list, e.getX(), e.getY());
    }

    javax.swing.JPopupMenu menuFor(Row.Msg m) {
        javax.swing.JPopupMenu menu = new javax.swing.JPopupMenu();
        javax.swing.JMenuItem copy = new javax.swing.JMenuItem(Text.get("conv.copy"));
        copy.setName("conv.copy");
        copy.addActionListener(a -> java.awt.Toolkit.getDefaultToolkit().getSystemClipboard()
                .setContents(new java.awt.datatransfer.StringSelection(m.message().text()), null));
        menu.add(copy);
        if (m.message().isFile() && m.message().file().fileId() != 0 && !m.mine()
                && model.fileStatus(m.message()).state() == chat.client.desktop.model.FileStatus.State.READY) {
            javax.swing.JMenuItem saveTo = new javax.swing.JMenuItem(Text.get("file.saveTo"));
            saveTo.setName("conv.saveTo");
            saveTo.addActionListener(a -> saveTo(m.message()));
            menu.add(saveTo);
        }
        if (m.mine() && m.message().delivery() == ChatMessage.Delivery.FAILED) {
            javax.swing.JMenuItem retry = new javax.swing.JMenuItem(Text.get("conv.retry"));
            retry.setName("conv.retry");
            retry.addActionListener(a -> model.retry(key, m.message()));
            menu.add(retry);
        }
        return menu;
    }

    /** Save to…: a folder chooser, then the download as Save does it. */
    private void saveTo(ChatMessage m) {
        javax.swing.JFileChooser chooser = new javax.swing.JFileChooser(actions.downloads().toFile());
        chooser.setFileSelectionMode(javax.swing.JFileChooser.DIRECTORIES_ONLY);
        chooser.setDialogTitle(Text.get("file.saveTo"));
        if (chooser.showSaveDialog(this) == javax.swing.JFileChooser.APPROVE_OPTION) {
            model.download(m.file(), chooser.getSelectedFile().toPath());
        }
    }

    private void click(Point p) {
        Object target = target(p);
        if (target instanceof FileClick f) {
            fileAction(f.message(), f.action());
        } else if (target instanceof String url) {
            actions.openLink(url);
        } else if (target instanceof ChatMessage failed) {
            model.retry(key, failed);
        }
    }

    /** A click on a file bubble's button. */
    private record FileClick(ChatMessage message, FileBubble.Action action) {}

    private void fileAction(ChatMessage m, FileBubble.Action action) {
        chat.client.desktop.model.FileStatus s = model.fileStatus(m);
        long id = m.file().fileId();
        switch (action) {
            case SAVE -> model.download(m.file(), actions.downloads());
            case STOP -> model.stopDownload(id);
            case CANCEL -> actions.report(model.cancelFile(id));
            case WITHDRAW -> {
                if (javax.swing.JOptionPane.showConfirmDialog(this, Text.get("file.withdrawConfirm", m.file().name()),
                        Text.get("app.name"), javax.swing.JOptionPane.OK_CANCEL_OPTION) == javax.swing.JOptionPane.OK_OPTION) {
                    actions.report(model.cancelFile(id));
                }
            }
            case OPEN_FOLDER -> {
                if (s.path() != null) {
                    actions.openFolder(s.path());
                }
            }
            case OPEN -> {
                if (s.path() != null) {
                    actions.openFile(s.path());
                }
            }
        }
    }

    /** What a click at {@code p} would do: a file button, a link's URL, a failed message to retry, or null. */
    private Object target(Point p) {
        int i = list.locationToIndex(p);
        if (i < 0) {
            return null;
        }
        Rectangle r = list.getCellBounds(i, i);
        if (r == null || !r.contains(p)) {
            return null;
        }
        Row row = rows.get(i);
        list.getCellRenderer().getListCellRendererComponent(list, row, i, false, false);
        cell.setBounds(r);
        Point inCell = new Point(p.x - r.x, p.y - r.y);
        FileBubble file = cell.file();
        FileBubble.Action action = file == null ? null : file.actionAt(inCell);
        if (action != null && row instanceof Row.Msg m) {
            return new FileClick(m.message(), action);
        }
        String url = cell.linkAt(inCell);
        if (url != null) {
            return url;
        }
        if (row instanceof Row.Msg m && m.mine() && m.message().delivery() == ChatMessage.Delivery.FAILED
                && cell.onBubble(inCell)) {
            return m.message();
        }
        return null;
    }

    private void loadOlder() {
        if (!model.hasOlder(key) || rows.isEmpty()) {
            return;
        }
        int before = rows.size();
        JScrollBar bar = scroll.getVerticalScrollBar();
        int fromBottom = bar.getMaximum() - bar.getValue();
        model.loadOlder(key).thenAccept(more -> {
            if (more && rows.size() > before) {
                // Keep the message the user was looking at where it was.
                bar.setValue(bar.getMaximum() - fromBottom);
            }
        });
    }

    private void reload(boolean toBottom) {
        JScrollBar bar = scroll.getVerticalScrollBar();
        boolean atBottom = toBottom || bar.getValue() + bar.getVisibleAmount() >= bar.getMaximum() - 8;
        int fromBottom = bar.getMaximum() - bar.getValue();
        List<ChatMessage> messages = model.messages(key);
        List<Row> fresh = Row.of(messages, model.me(), !model.hasOlder(key));
        rows.clear();
        rows.addAll(fresh);
        list.revalidate();
        if (atBottom) {
            scrollToBottom();
        } else {
            javax.swing.SwingUtilities.invokeLater(() -> bar.setValue(bar.getMaximum() - fromBottom));
        }
    }

    private void scrollToBottom() {
        javax.swing.SwingUtilities.invokeLater(() -> {
            list.validate();
            scroll.validate();
            JScrollBar bar = scroll.getVerticalScrollBar();
            bar.setValue(bar.getMaximum());
        });
    }

    private void refreshHeader() {
        Conversation c = model.conversation(key);
        if (c == null) {
            return;
        }
        title.setText(c.title());
        String sub;
        if (c.isGroup()) {
            sub = c.members() > 0 ? Text.get("main.members", c.members()) : Text.get("main.lobby");
        } else {
            sub = Text.get(c.online() ? "conv.online" : "conv.offline")
                    + (c.alias().isEmpty() ? "" : " · " + c.name());
        }
        subtitle.setText(sub);
        offline.setVisible(model.state() != ConnectionState.ONLINE);
        send.setEnabled(!input.getText().isBlank());
        repaint();
    }

    @Override
    public void contactsChanged() {
        refreshHeader();
    }

    @Override
    public void connectionChanged() {
        refreshHeader();
    }

    /**
     * A file's state or progress changed: its bubble is measured again when its shape changed
     * (buttons came or went), else only repainted.
     */
    @Override
    public void fileChanged(long fileId) {
        boolean measure = false;
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i) instanceof Row.Msg m && m.message().isFile() && m.message().file().fileId() == fileId) {
                String shape = FileBubble.shape(model.fileStatus(fileId), m.mine());
                if (!shape.equals(shapes.put(fileId, shape))) {
                    measure = true;
                } else {
                    Rectangle r = list.getCellBounds(i, i);
                    if (r != null) {
                        list.repaint(r);
                    }
                }
            }
        }
        if (measure) {
            remeasure();
        }
    }

    /** Measures every row again (a bubble's height changed), keeping the bottom in view if it was. */
    private void remeasure() {
        JScrollBar bar = scroll.getVerticalScrollBar();
        boolean atBottom = bar.getValue() + bar.getVisibleAmount() >= bar.getMaximum() - 8;
        list.setFixedCellHeight(10);
        list.setFixedCellHeight(-1);
        list.revalidate();
        list.repaint();
        if (atBottom) {
            scrollToBottom();
        }
    }

    /** The row of the message offering file {@code fileId}, or -1. */
    int rowOfFile(long fileId) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i) instanceof Row.Msg m && m.message().isFile() && m.message().file().fileId() == fileId) {
                return i;
            }
        }
        return -1;
    }

    /** The file bubble of row {@code i} as rendered now (in list coordinates via {@link #cellOrigin}); null if none. */
    FileBubble fileBubble(int i) {
        list.getCellRenderer().getListCellRendererComponent(list, rows.get(i), i, false, false);
        Rectangle r = list.getCellBounds(i, i);
        cell.setBounds(r);
        return cell.file();
    }

    /** Where row {@code i}'s cell starts in the list. */
    Point cellOrigin(int i) {
        return list.getCellBounds(i, i).getLocation();
    }

    /** Row {@code i} painted as the list paints it (for tests that look at the pixels). */
    java.awt.image.BufferedImage paintRow(int i) {
        Rectangle r = list.getCellBounds(i, i);
        java.awt.Component c = list.getCellRenderer().getListCellRendererComponent(list, rows.get(i), i, false, false);
        c.setBounds(0, 0, r.width, r.height);
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(r.width, r.height,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = image.createGraphics();
        try {
            c.paint(g);
        } finally {
            g.dispose();
        }
        return image;
    }

    @Override
    public void messagesChanged(String changed) {
        if (changed.equals(key)) {
            reload(false);
        }
    }

    /** Starts listening and tells the model this conversation is on screen. */
    @Override
    public void addNotify() {
        super.addNotify();
        model.addListener(this);
        model.setVisible(key, true);
        reload(true);
    }

    @Override
    public void removeNotify() {
        model.removeListener(this);
        model.setVisible(key, false);
        super.removeNotify();
    }

    /**
     * Holds the message list at the bottom of the view while it is shorter than the view, as chat
     * applications do: a new conversation's first messages sit above the composer, not at the top.
     */
    private static final class BottomAligned extends JPanel implements javax.swing.Scrollable {
        private static final long serialVersionUID = 1L;
        private final JList<Row> list;

        BottomAligned(JList<Row> list) {
            super(new BorderLayout());
            this.list = list;
            setBackground(Theme.content());
            add(list, BorderLayout.SOUTH);
        }

        @Override
        public Dimension getPreferredScrollableViewportSize() {
            return list.getPreferredScrollableViewportSize();
        }

        @Override
        public int getScrollableUnitIncrement(Rectangle visible, int orientation, int direction) {
            return 24;
        }

        @Override
        public int getScrollableBlockIncrement(Rectangle visible, int orientation, int direction) {
            return Math.max(24, visible.height - 48);
        }

        @Override
        public boolean getScrollableTracksViewportWidth() {
            return true;
        }

        @Override
        public boolean getScrollableTracksViewportHeight() {
            return getParent() instanceof javax.swing.JViewport v && v.getHeight() > list.getPreferredSize().height;
        }
    }
}
