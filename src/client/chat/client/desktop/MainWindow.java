package chat.client.desktop;

import chat.client.desktop.model.ChatFailure;
import chat.client.desktop.model.ChatModel;
import chat.client.desktop.model.Conversation;
import com.formdev.flatlaf.FlatClientProperties;
import java.awt.BorderLayout;
import java.awt.CardLayout;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.Window;
import java.awt.event.KeyEvent;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.swing.AbstractAction;
import javax.swing.BorderFactory;
import javax.swing.Box;
import javax.swing.BoxLayout;
import javax.swing.DefaultListModel;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JMenu;
import javax.swing.JMenuItem;
import javax.swing.JOptionPane;
import javax.swing.JPanel;
import javax.swing.JPopupMenu;
import javax.swing.JScrollPane;
import javax.swing.JTextField;
import javax.swing.KeyStroke;
import javax.swing.ListSelectionModel;
import javax.swing.ScrollPaneConstants;
import javax.swing.SwingConstants;
import javax.swing.SwingUtilities;

/**
 * The one main window: me and the link's state at the top left, the conversation list under
 * them (newest first, filtered by the search field), friend requests above it, and the open
 * conversation on the right. Double-click or Enter opens a conversation; its menu pops it out.
 */
public final class MainWindow extends JFrame implements ChatModel.Listener {
    private static final long serialVersionUID = 1L;

    /** What the window asks of the application: switching theme or language, signing out. */
    public interface Shell {
        void switchTheme(Theme theme);

        void switchLanguage(Locale locale);

        void signOut();

        /** Where Save puts received files. */
        default java.nio.file.Path downloads() {
            return java.nio.file.Path.of(System.getProperty("user.home"));
        }
    }

    private final transient ChatModel model;
    private final transient Shell shell;
    final DefaultListModel<Conversation> items = new DefaultListModel<>();
    final JList<Conversation> list = new JList<>(items);
    final JTextField search = new JTextField();
    final StatusPill state = new StatusPill();
    private final JLabel me = new JLabel();
    private final RequestsPanel requests;
    private final JPanel content = new JPanel(new CardLayout());
    private final Map<String, JFrame> popped = new HashMap<>();
    private ConversationPanel open;
    private final transient ConversationPanel.Actions actions = new ConversationPanel.Actions() {
        @Override
        public void showMenu(String key, JComponent anchor) {
            JPopupMenu menu = menuFor(key);
            menu.show(anchor, 0, anchor.getHeight());
        }

        @Override
        public void openLink(String url) {
            Dialogs.browse(MainWindow.this, url);
        }

        @Override
        public java.nio.file.Path downloads() {
            return shell.downloads();
        }

        @Override
        public void openFolder(java.nio.file.Path file) {
            Dialogs.showInFolder(MainWindow.this, file);
        }

        @Override
        public void openFile(java.nio.file.Path file) {
            Dialogs.open(MainWindow.this, file);
        }

        @Override
        public void report(CompletableFuture<?> request) {
            MainWindow.this.report(request);
        }
    };

    public MainWindow(ChatModel model, Shell shell) {
        super(Text.get("app.name"));
        this.model = model;
        this.shell = shell;
        this.requests = new RequestsPanel((name, accept) -> report(model.service().answerFriend(name, accept)),
                (key, join) -> report(model.service().answerInvitation(key, join)),
                name -> Dialogs.block(this, model, name));
        setName("main");
        setIconImages(Logo.windowIcons());
        setDefaultCloseOperation(DISPOSE_ON_CLOSE);
        JPanel root = new JPanel(new BorderLayout());
        root.add(sidebar(), BorderLayout.WEST);
        content.setBackground(Theme.content());
        content.add(placeholder(), "empty");
        root.add(content, BorderLayout.CENTER);
        setContentPane(root);
        setSize(1080, 720);
        setMinimumSize(new Dimension(720, 480));
        setLocationRelativeTo(null);
        model.addListener(this);
        addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosed(WindowEvent e) {
                model.removeListener(MainWindow.this);
                popped.values().forEach(Window::dispose);
            }

            @Override
            public void windowOpened(WindowEvent e) {
                // Typing goes to the open conversation, else to the conversation finder.
                (open != null ? open.input : search).requestFocusInWindow();
            }

            @Override
            public void windowActivated(WindowEvent e) {
                if (open != null) {
                    model.setVisible(open.key, true);
                }
            }

            @Override
            public void windowDeactivated(WindowEvent e) {
                // Not focused: new messages count as unread and show in the title.
                if (open != null) {
                    model.setVisible(open.key, false);
                }
            }
        });
        keys(getRootPane());
        connectionChanged();
        contactsChanged();
        // After the window is up, while the user looks at the list: the first conversation opened
        // then costs what the others do (MessageCell.warmUp says what it loads).
        SwingUtilities.invokeLater(MessageCell::warmUp);
    }

    /** Keyboard use throughout: Ctrl+K finds a conversation, Ctrl+Shift+F searches messages, Alt+Up/Down moves. */
    private void keys(JComponent root) {
        bind(root, KeyStroke.getKeyStroke(KeyEvent.VK_K, java.awt.event.InputEvent.CTRL_DOWN_MASK), "find", () -> {
            search.requestFocusInWindow();
            search.selectAll();
        });
        bind(root, KeyStroke.getKeyStroke(KeyEvent.VK_F, java.awt.event.InputEvent.CTRL_DOWN_MASK
                | java.awt.event.InputEvent.SHIFT_DOWN_MASK), "searchMessages", () -> Dialogs.searchMessages(this, model, null));
        bind(root, KeyStroke.getKeyStroke(KeyEvent.VK_DOWN, java.awt.event.InputEvent.ALT_DOWN_MASK), "next", () -> step(1));
        bind(root, KeyStroke.getKeyStroke(KeyEvent.VK_UP, java.awt.event.InputEvent.ALT_DOWN_MASK), "previous", () -> step(-1));
        search.getInputMap().put(KeyStroke.getKeyStroke(KeyEvent.VK_ESCAPE, 0), "clear");
        search.getActionMap().put("clear", new AbstractAction() {
            private static final long serialVersionUID = 1L;

            @Override
            public void actionPerformed(java.awt.event.ActionEvent e) {
                search.setText("");
            }
        });
    }

    private static void bind(JComponent root, KeyStroke key, String name, Runnable action) {
        root.getInputMap(JComponent.WHEN_IN_FOCUSED_WINDOW).put(key, name);
        root.getActionMap().put(name, new AbstractAction() {
            private static final long serialVersionUID = 1L;

            @Override
            public void actionPerformed(java.awt.event.ActionEvent e) {
                action.run();
            }
        });
    }

    /** Opens the conversation {@code delta} rows below (or above) the selected one. */
    private void step(int delta) {
        if (items.isEmpty()) {
            return;
        }
        int i = Math.floorMod(Math.max(list.getSelectedIndex(), delta > 0 ? -1 : 0) + delta, items.size());
        list.setSelectedIndex(i);
        list.ensureIndexIsVisible(i);
        openSelected();
    }

    private JComponent sidebar() {
        JPanel side = new JPanel(new BorderLayout()) {
            private static final long serialVersionUID = 1L;

            @Override
            protected void paintComponent(Graphics g) {
                super.paintComponent(g);
                g.setColor(Theme.line());
                g.fillRect(getWidth() - 1, 0, 1, getHeight());
            }
        };
        side.setBackground(Theme.sidebar());
        side.setPreferredSize(new Dimension(330, 600));

        JPanel top = new JPanel();
        top.setOpaque(false);
        top.setLayout(new BoxLayout(top, BoxLayout.Y_AXIS));
        top.setBorder(BorderFactory.createEmptyBorder(14, 16, 8, 12));

        JPanel who = new JPanel(new BorderLayout(10, 0));
        who.setOpaque(false);
        JComponent avatar = new JComponent() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void paintComponent(Graphics g) {
                Avatars.paint((Graphics2D) g, model.me().isEmpty() ? "?" : model.me(), false, 0, 0, 36);
            }
        };
        avatar.setPreferredSize(new Dimension(36, 36));
        who.add(avatar, BorderLayout.WEST);
        JPanel names = new JPanel();
        names.setOpaque(false);
        names.setLayout(new BoxLayout(names, BoxLayout.Y_AXIS));
        me.setName("main.me");
        me.putClientProperty(FlatClientProperties.STYLE, "font: +2 bold");
        names.add(me);
        names.add(Box.createVerticalStrut(2));
        names.add(state);
        state.setAlignmentX(LEFT_ALIGNMENT);
        who.add(names, BorderLayout.CENTER);
        JPanel tools = new JPanel(new FlowLayout(FlowLayout.RIGHT, 2, 0));
        tools.setOpaque(false);
        tools.add(toolButton(Icons.ADD_FRIEND, "main.addFriend", e -> Dialogs.addFriend(this, model)));
        tools.add(toolButton(Icons.NEW_GROUP, "main.newGroup", e -> groupMenu((JComponent) e.getSource())));
        tools.add(toolButton(Icons.MENU, "main.menu", e -> appMenu((JComponent) e.getSource())));
        who.add(tools, BorderLayout.EAST);
        who.setAlignmentX(LEFT_ALIGNMENT);
        top.add(who);
        top.add(Box.createVerticalStrut(12));

        search.setName("main.search");
        search.putClientProperty(FlatClientProperties.PLACEHOLDER_TEXT, Text.get("main.search"));
        search.putClientProperty(FlatClientProperties.TEXT_FIELD_LEADING_ICON, Icons.SEARCH);
        search.putClientProperty(FlatClientProperties.TEXT_FIELD_SHOW_CLEAR_BUTTON, true);
        search.putClientProperty(FlatClientProperties.STYLE, "arc: 999; margin: 5,8,5,8");
        search.setMaximumSize(new Dimension(Integer.MAX_VALUE, search.getPreferredSize().height + 6));
        search.setAlignmentX(LEFT_ALIGNMENT);
        search.getDocument().addDocumentListener(new javax.swing.event.DocumentListener() {
            @Override public void insertUpdate(javax.swing.event.DocumentEvent e) { contactsChanged(); }
            @Override public void removeUpdate(javax.swing.event.DocumentEvent e) { contactsChanged(); }
            @Override public void changedUpdate(javax.swing.event.DocumentEvent e) { contactsChanged(); }
        });
        top.add(search);
        top.add(requests);
        side.add(top, BorderLayout.NORTH);

        list.setName("main.conversations");
        list.setCellRenderer(new ConversationCell());
        list.setBackground(Theme.sidebar());
        list.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        list.addMouseListener(new MouseAdapter() {
            @Override
            public void mouseClicked(MouseEvent e) {
                if (SwingUtilities.isLeftMouseButton(e) && e.getClickCount() == 2) {
                    openSelected();
                }
            }

            @Override
            public void mousePressed(MouseEvent e) {
                popup(e);
            }

            @Override
            public void mouseReleased(MouseEvent e) {
                popup(e);
            }

            private void popup(MouseEvent e) {
                if (!e.isPopupTrigger()) {
                    return;
                }
                int i = list.locationToIndex(e.getPoint());
                if (i >= 0) {
                    list.setSelectedIndex(i);
                    menuFor(items.get(i).key()).show(list, e.getX(), e.getY());
                }
            }
        });
        list.getInputMap().put(KeyStroke.getKeyStroke(KeyEvent.VK_ENTER, 0), "open");
        list.getActionMap().put("open", new AbstractAction() {
            private static final long serialVersionUID = 1L;

            @Override
            public void actionPerformed(java.awt.event.ActionEvent e) {
                openSelected();
            }
        });
        // Down from the search field goes to the list, as in chat applications' quick switchers.
        search.getInputMap().put(KeyStroke.getKeyStroke(KeyEvent.VK_DOWN, 0), "toList");
        search.getActionMap().put("toList", new AbstractAction() {
            private static final long serialVersionUID = 1L;

            @Override
            public void actionPerformed(java.awt.event.ActionEvent e) {
                if (!items.isEmpty()) {
                    list.setSelectedIndex(Math.max(0, list.getSelectedIndex()));
                    list.requestFocusInWindow();
                }
            }
        });
        search.addActionListener(e -> {
            if (!items.isEmpty()) {
                list.setSelectedIndex(0);
                openSelected();
            }
        });
        JScrollPane scroll = new JScrollPane(list, ScrollPaneConstants.VERTICAL_SCROLLBAR_AS_NEEDED,
                ScrollPaneConstants.HORIZONTAL_SCROLLBAR_NEVER);
        scroll.setBorder(null);
        scroll.getViewport().setBackground(Theme.sidebar());
        side.add(scroll, BorderLayout.CENTER);
        return side;
    }

    private static JButton toolButton(javax.swing.Icon icon, String tip, java.awt.event.ActionListener action) {
        JButton b = new JButton(icon);
        b.setName(tip);
        b.setToolTipText(Text.get(tip));
        b.putClientProperty(FlatClientProperties.BUTTON_TYPE, FlatClientProperties.BUTTON_TYPE_TOOLBAR_BUTTON);
        b.addActionListener(action);
        return b;
    }

    private JComponent placeholder() {
        JPanel p = new JPanel();
        p.setBackground(Theme.content());
        p.setLayout(new BoxLayout(p, BoxLayout.Y_AXIS));
        p.add(Box.createVerticalGlue());
        JLabel logo = new JLabel(new Logo(72));
        logo.setAlignmentX(CENTER_ALIGNMENT);
        p.add(logo);
        p.add(Box.createVerticalStrut(16));
        JLabel pick = new JLabel(Text.get("main.pick"), SwingConstants.CENTER);
        pick.putClientProperty(FlatClientProperties.STYLE, "font: +3 bold");
        pick.setAlignmentX(CENTER_ALIGNMENT);
        p.add(pick);
        p.add(Box.createVerticalStrut(4));
        JLabel hint = new JLabel(Text.get("main.pickHint"), SwingConstants.CENTER);
        hint.setForeground(Theme.muted());
        hint.setAlignmentX(CENTER_ALIGNMENT);
        p.add(hint);
        p.add(Box.createVerticalGlue());
        return p;
    }

    private void openSelected() {
        Conversation c = list.getSelectedValue();
        if (c != null) {
            open(c.key());
        }
    }

    /** Shows conversation {@code key} on the right (or brings its own window forward). */
    public void open(String key) {
        JFrame own = popped.get(key);
        if (own != null) {
            own.toFront();
            return;
        }
        if (open != null && open.key.equals(key)) {
            open.input.requestFocusInWindow();
            return;
        }
        if (open != null) {
            content.remove(open);
        }
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).key().equals(key) && list.getSelectedIndex() != i) {
                list.setSelectedIndex(i);
            }
        }
        open = new ConversationPanel(model, key, actions);
        content.add(open, "conv");
        ((CardLayout) content.getLayout()).show(content, "conv");
        content.revalidate();
        open.input.requestFocusInWindow();
    }

    /** The conversation shown on the right, or null. */
    ConversationPanel openConversation() {
        return open;
    }

    /** Moves a conversation into a window of its own. */
    void popOut(String key) {
        if (open != null && open.key.equals(key)) {
            content.remove(open);
            open = null;
            ((CardLayout) content.getLayout()).show(content, "empty");
        }
        JFrame own = popped.get(key);
        if (own == null) {
            Conversation c = model.conversation(key);
            own = new JFrame(c == null ? key : c.title());
            own.setName("popout:" + key);
            own.setIconImages(Logo.windowIcons());
            own.setContentPane(new ConversationPanel(model, key, actions));
            own.setSize(560, 640);
            own.setLocationByPlatform(true);
            own.setDefaultCloseOperation(DISPOSE_ON_CLOSE);
            own.addWindowListener(new WindowAdapter() {
                @Override
                public void windowClosed(WindowEvent e) {
                    popped.remove(key);
                }
            });
            popped.put(key, own);
            own.setVisible(true);
        }
        own.toFront();
    }

    JPopupMenu menuFor(String key) {
        Conversation c = model.conversation(key);
        JPopupMenu menu = new JPopupMenu();
        menu.setName("menu:" + key);
        if (c == null) {
            return menu;
        }
        menu.add(item("menu.open", () -> open(key)));
        menu.add(item("menu.popOut", () -> popOut(key)));
        menu.add(item("menu.searchHere", () -> Dialogs.searchMessages(this, model, key)));
        menu.addSeparator();
        if (c.kind() == Conversation.Kind.FRIEND) {
            menu.add(item("menu.alias", () -> Dialogs.alias(this, model, c)));
            menu.add(item("menu.removeFriend", () -> Dialogs.removeFriend(this, model, c)));
            menu.add(item("menu.block", () -> Dialogs.block(this, model, c.name())));
        } else {
            menu.add(item("menu.members", () -> Dialogs.members(this, model, c)));
            if (c.kind() == Conversation.Kind.GROUP) {
                menu.add(item("menu.invite", () -> Dialogs.invite(this, model, c)));
                if (c.owner().equals(model.me())) {
                    menu.add(item("menu.requests", () -> Dialogs.joinRequests(this, model, c)));
                    menu.add(item("menu.rename", () -> Dialogs.rename(this, model, c)));
                    menu.add(item("menu.disband", () -> Dialogs.disband(this, model, c)));
                }
            }
            menu.add(item("menu.leave", () -> Dialogs.leave(this, model, c)));
        }
        return menu;
    }

    private static JMenuItem item(String key, Runnable action) {
        JMenuItem item = new JMenuItem(Text.get(key));
        item.setName(key);
        item.addActionListener(e -> action.run());
        return item;
    }

    private void groupMenu(JComponent anchor) {
        JPopupMenu menu = new JPopupMenu();
        menu.add(item("main.newGroup", () -> Dialogs.createGroup(this, model)));
        menu.add(item("main.joinGroup", () -> Dialogs.joinGroup(this, model)));
        menu.show(anchor, 0, anchor.getHeight());
    }

    private void appMenu(JComponent anchor) {
        JPopupMenu menu = new JPopupMenu();
        menu.add(item(Theme.dark() ? "main.theme.light" : "main.theme.dark",
                () -> shell.switchTheme(Theme.dark() ? Theme.LIGHT : Theme.DARK)));
        JMenu language = new JMenu(Text.get("main.language"));
        JMenuItem en = new JMenuItem("English");
        en.addActionListener(e -> shell.switchLanguage(Locale.ENGLISH));
        JMenuItem zh = new JMenuItem("简体中文");
        zh.addActionListener(e -> shell.switchLanguage(Locale.SIMPLIFIED_CHINESE));
        language.add(en);
        language.add(zh);
        menu.add(language);
        menu.add(item("main.searchMessages", () -> Dialogs.searchMessages(this, model, null)));
        menu.add(item("main.blocked", () -> Dialogs.blocked(this, model)));
        menu.addSeparator();
        menu.add(item("main.signOut", shell::signOut));
        menu.show(anchor, 0, anchor.getHeight());
    }

    @Override
    public void messageArrived(String key, chat.client.desktop.model.ChatMessage message) {
        JFrame own = popped.get(key);
        boolean seen = own != null ? own.isFocused() : isFocused() && open != null && open.key.equals(key);
        Conversation c = model.conversation(key);
        if (!seen && c != null && model.state() == chat.client.desktop.model.ConnectionState.ONLINE) {
            String title = c.isGroup() ? c.title() + " · " + message.from() : c.title();
            Notifier.notify(this, title, Conversation.preview(message.text()));
        }
    }

    @Override
    public void connectionChanged() {
        me.setText(model.me());
        state.set(model.state(), model.stateDetail(), model.server());
    }

    @Override
    public void contactsChanged() {
        String selected = list.getSelectedValue() == null ? null : list.getSelectedValue().key();
        String filter = search.getText().strip().toLowerCase(Locale.ROOT);
        List<Conversation> shown = model.conversations().stream()
                .filter(c -> filter.isEmpty() || c.title().toLowerCase(Locale.ROOT).contains(filter)
                        || c.name().toLowerCase(Locale.ROOT).contains(filter))
                .toList();
        items.clear();
        items.addAll(shown);
        for (int i = 0; i < shown.size(); i++) {
            if (shown.get(i).key().equals(selected) || (selected == null && open != null && shown.get(i).key().equals(open.key))) {
                list.setSelectedIndex(i);
            }
        }
        int unread = model.totalUnread();
        setTitle(unread > 0 ? "(" + unread + ") " + Text.get("app.name") : Text.get("app.name"));
        Notifier.badge(unread);
        requests.setRequests(model.requests(), model.invitations());
    }

    /** Shows a failed request's message in a dialog over this window (on the EDT). */
    void report(CompletableFuture<?> request) {
        request.whenComplete((v, error) -> {
            if (error != null) {
                SwingUtilities.invokeLater(() -> JOptionPane.showMessageDialog(this, ChatFailure.of(error).getMessage(),
                        Text.get("error.title"), JOptionPane.ERROR_MESSAGE));
            }
        });
    }
}
