package chat.client.desktop;

import chat.client.desktop.model.ChatFailure;
import chat.client.desktop.model.ChatModel;
import chat.client.desktop.model.Conversation;
import chat.client.desktop.model.Member;
import java.awt.BorderLayout;
import java.awt.Component;
import java.awt.Desktop;
import java.awt.Dimension;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import javax.swing.BorderFactory;
import javax.swing.BoxLayout;
import javax.swing.DefaultListModel;
import javax.swing.JButton;
import javax.swing.JCheckBox;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JOptionPane;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTextField;
import javax.swing.SwingUtilities;

/**
 * The small dialogs of the main window: add a friend, aliases, groups and their owner's tools.
 * Each sends one request and reports a refusal in a dialog; the lists update from the events the
 * server sends back, not from the reply, so every device shows the same.
 */
final class Dialogs {

    private Dialogs() {}

    static void browse(Component parent, String url) {
        try {
            if (Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
                Desktop.getDesktop().browse(URI.create(url));
                return;
            }
        } catch (Exception e) {
            // Fall through: show the address so the user can copy it.
        }
        JOptionPane.showInputDialog(parent, null, url);
    }

    /**
     * Shows the folder holding {@code file}: selected in the file manager where the desktop can
     * (macOS, Windows), else the folder opened; else its path in a dialog, to copy.
     */
    static void showInFolder(Component parent, java.nio.file.Path file) {
        try {
            if (Desktop.isDesktopSupported()) {
                Desktop d = Desktop.getDesktop();
                if (d.isSupported(Desktop.Action.BROWSE_FILE_DIR)) {
                    d.browseFileDirectory(file.toFile());
                    return;
                }
                if (d.isSupported(Desktop.Action.OPEN) && file.getParent() != null) {
                    d.open(file.getParent().toFile());
                    return;
                }
            }
        } catch (Exception e) {
            // Fall through: show the path.
        }
        JOptionPane.showInputDialog(parent, null, file.toAbsolutePath().toString());
    }

    /** Opens {@code file} with the desktop's application for its type; else shows its folder. */
    static void open(Component parent, java.nio.file.Path file) {
        try {
            if (Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(Desktop.Action.OPEN)) {
                Desktop.getDesktop().open(file.toFile());
                return;
            }
        } catch (Exception e) {
            // Fall through.
        }
        showInFolder(parent, file);
    }

    /** Runs {@code request}; on failure shows its message; on success hands the value to {@code then} (EDT). */
    static <T> void run(Component parent, CompletableFuture<T> request, Consumer<T> then) {
        request.whenComplete((v, error) -> SwingUtilities.invokeLater(() -> {
            if (error != null) {
                JOptionPane.showMessageDialog(parent, ChatFailure.of(error).getMessage(), Text.get("error.title"),
                        JOptionPane.ERROR_MESSAGE);
            } else {
                then.accept(v);
            }
        }));
    }

    private static String ask(Component parent, String message, String initial) {
        Object answer = JOptionPane.showInputDialog(parent, message, Text.get("app.name"),
                JOptionPane.PLAIN_MESSAGE, null, null, initial);
        return answer == null ? null : answer.toString().strip();
    }

    private static boolean confirm(Component parent, String message) {
        return JOptionPane.showConfirmDialog(parent, message, Text.get("app.name"), JOptionPane.OK_CANCEL_OPTION)
                == JOptionPane.OK_OPTION;
    }

    /** Search accounts by name and send one a friend request. */
    static void addFriend(java.awt.Frame parent, ChatModel model) {
        JDialog d = new JDialog(parent, Text.get("friend.title"), true);
        d.setName("friend.dialog");
        JTextField query = new JTextField();
        query.setName("friend.query");
        query.putClientProperty("JTextField.placeholderText", Text.get("friend.search"));
        query.putClientProperty("JTextField.leadingIcon", Icons.SEARCH);
        DefaultListModel<String> found = new DefaultListModel<>();
        JList<String> results = new JList<>(found);
        results.setName("friend.results");
        JLabel note = new JLabel(" ");
        JButton send = new JButton(Text.get("friend.send"));
        send.setName("friend.send");
        Theme.primary(send, "");
        send.setEnabled(false);
        results.addListSelectionListener(e -> send.setEnabled(results.getSelectedValue() != null));
        query.addActionListener(e -> {
            String text = query.getText().strip();
            if (text.isEmpty()) {
                return;
            }
            run(d, model.service().searchUsers(text), names -> {
                found.clear();
                names.stream().filter(n -> !n.equals(model.me())).forEach(found::addElement);
                note.setText(found.isEmpty() ? Text.get("friend.none") : " ");
                if (!found.isEmpty()) {
                    results.setSelectedIndex(0);
                }
            });
        });
        send.addActionListener(e -> {
            String name = results.getSelectedValue();
            if (name != null) {
                run(d, model.service().requestFriend(name), v -> note.setText(Text.get("friend.sent", name)));
            }
        });
        JPanel p = new JPanel(new BorderLayout(0, 10));
        p.setBorder(BorderFactory.createEmptyBorder(16, 16, 16, 16));
        p.add(query, BorderLayout.NORTH);
        JScrollPane scroll = new JScrollPane(results);
        scroll.setPreferredSize(new Dimension(340, 200));
        p.add(scroll, BorderLayout.CENTER);
        JPanel bottom = new JPanel(new BorderLayout(8, 0));
        bottom.add(note, BorderLayout.CENTER);
        bottom.add(send, BorderLayout.EAST);
        p.add(bottom, BorderLayout.SOUTH);
        d.setContentPane(p);
        d.pack();
        d.setLocationRelativeTo(parent);
        d.setVisible(true);
    }

    /**
     * Searches messages (in every conversation, or only in {@code onlyKey}); Enter or a double
     * click opens the conversation of the one selected. Not modal: it can stay open while reading.
     */
    static void searchMessages(MainWindow parent, ChatModel model, String onlyKey) {
        Conversation only = onlyKey == null ? null : model.conversation(onlyKey);
        JDialog d = new JDialog(parent, only == null ? Text.get("search.title") : Text.get("search.in", only.title()), false);
        d.setName("search.dialog");
        JTextField query = new JTextField();
        query.setName("search.query");
        query.putClientProperty("JTextField.placeholderText", Text.get("search.hint"));
        query.putClientProperty("JTextField.leadingIcon", Icons.SEARCH);
        DefaultListModel<chat.client.desktop.model.Found> found = new DefaultListModel<>();
        JList<chat.client.desktop.model.Found> results = new JList<>(found);
        results.setName("search.results");
        JLabel note = new JLabel(" ");
        results.setCellRenderer((l, f, i, selected, focus) -> {
            Conversation c = model.conversation(f.key());
            String where = c == null ? f.key() : c.title();
            JLabel label = new JLabel("<html><b>" + LoginWindow.escape(where) + "</b> · "
                    + LoginWindow.escape(f.message().from()) + " · " + Times.shortly(f.message().time()) + "<br>"
                    + LoginWindow.escape(Conversation.preview(f.message().text())) + "</html>");
            label.setBorder(BorderFactory.createEmptyBorder(6, 8, 6, 8));
            label.setOpaque(selected);
            if (selected) {
                label.setBackground(Theme.selection());
            }
            return label;
        });
        query.addActionListener(e -> {
            String text = query.getText().strip();
            if (text.isEmpty()) {
                return;
            }
            run(d, model.service().searchMessages(text, 100), list -> {
                found.clear();
                list.stream().filter(f -> onlyKey == null || f.key().equals(onlyKey)).forEach(found::addElement);
                note.setText(found.isEmpty() ? Text.get("search.none") : Text.get("search.count", found.size()));
                if (!found.isEmpty()) {
                    results.setSelectedIndex(0);
                }
            });
        });
        Runnable open = () -> {
            chat.client.desktop.model.Found f = results.getSelectedValue();
            if (f != null) {
                parent.open(f.key());
                parent.toFront();
            }
        };
        results.addMouseListener(new java.awt.event.MouseAdapter() {
            @Override
            public void mouseClicked(java.awt.event.MouseEvent e) {
                if (e.getClickCount() == 2) {
                    open.run();
                }
            }
        });
        results.getInputMap().put(javax.swing.KeyStroke.getKeyStroke(java.awt.event.KeyEvent.VK_ENTER, 0), "open");
        results.getActionMap().put("open", new javax.swing.AbstractAction() {
            private static final long serialVersionUID = 1L;

            @Override
            public void actionPerformed(java.awt.event.ActionEvent e) {
                open.run();
            }
        });
        JPanel p = new JPanel(new BorderLayout(0, 10));
        p.setBorder(BorderFactory.createEmptyBorder(16, 16, 16, 16));
        p.add(query, BorderLayout.NORTH);
        JScrollPane scroll = new JScrollPane(results);
        scroll.setPreferredSize(new Dimension(460, 320));
        p.add(scroll, BorderLayout.CENTER);
        p.add(note, BorderLayout.SOUTH);
        d.setContentPane(p);
        d.pack();
        d.setLocationRelativeTo(parent);
        d.setVisible(true);
    }

    static void alias(Component parent, ChatModel model, Conversation c) {
        String alias = ask(parent, Text.get("alias.prompt", c.name()), c.alias());
        if (alias != null) {
            run(parent, model.service().setAlias(c.name(), alias), v -> model.upsert(c.withAlias(alias)));
        }
    }

    static void removeFriend(Component parent, ChatModel model, Conversation c) {
        if (confirm(parent, Text.get("remove.confirm", c.title()))) {
            run(parent, model.service().removeFriend(c.name()), v -> {});
        }
    }

    /** Blocks a friend or a stranger (one who asked or invited), once the user confirms. */
    static void block(Component parent, ChatModel model, String name) {
        if (confirm(parent, Text.get("block.confirm", name))) {
            run(parent, model.service().block(name), v -> {});
        }
    }

    static void createGroup(Component parent, ChatModel model) {
        JTextField name = new JTextField(20);
        name.setName("group.name");
        JCheckBox open = new JCheckBox(Text.get("group.open"), true);
        JPanel p = new JPanel();
        p.setLayout(new BoxLayout(p, BoxLayout.Y_AXIS));
        p.add(new JLabel(Text.get("group.name")));
        p.add(name);
        p.add(open);
        if (JOptionPane.showConfirmDialog(parent, p, Text.get("main.newGroup"), JOptionPane.OK_CANCEL_OPTION,
                JOptionPane.PLAIN_MESSAGE) == JOptionPane.OK_OPTION && !name.getText().isBlank()) {
            String group = name.getText().strip();
            run(parent, model.service().createGroup(group, open.isSelected()), key ->
                    model.upsert(Conversation.group(Long.parseLong(key.substring(1)), group, model.me(), 1, 0, "", 0)));
        }
    }

    static void joinGroup(Component parent, ChatModel model) {
        String name = ask(parent, Text.get("group.name"), "");
        if (name != null && !name.isEmpty()) {
            run(parent, model.service().joinGroup(name), joined -> JOptionPane.showMessageDialog(parent,
                    Text.get(joined ? "group.joined" : "group.requested", name)));
        }
    }

    static void leave(Component parent, ChatModel model, Conversation c) {
        if (confirm(parent, Text.get("group.leaveConfirm", c.title()))) {
            run(parent, model.service().leaveGroup(c.key()), v -> {});
        }
    }

    static void invite(Component parent, ChatModel model, Conversation c) {
        String name = ask(parent, Text.get("group.invitePrompt", c.title()), "");
        if (name != null && !name.isEmpty()) {
            run(parent, model.service().invite(c.key(), name), v -> {});
        }
    }

    static void rename(Component parent, ChatModel model, Conversation c) {
        String name = ask(parent, Text.get("group.renamePrompt", c.title()), c.name());
        if (name != null && !name.isEmpty() && !name.equals(c.name())) {
            run(parent, model.service().renameGroup(c.key(), name), v -> {});
        }
    }

    static void disband(Component parent, ChatModel model, Conversation c) {
        if (confirm(parent, Text.get("group.disbandConfirm", c.title()))) {
            run(parent, model.service().disband(c.key()), v -> {});
        }
    }

    /** The members with presence; the owner may remove one. */
    static void members(Component parent, ChatModel model, Conversation c) {
        run(parent, model.service().members(c.key()), members -> {
            boolean owner = c.owner().equals(model.me());
            JList<Member> list = new JList<>(members.toArray(Member[]::new));
            list.setName("group.members");
            list.setCellRenderer((l, m, i, selected, focus) -> {
                JLabel label = new JLabel(m.name() + (m.owner() ? "  · " + Text.get("group.owner") : ""));
                label.setIcon(new PresenceIcon(m.online()));
                label.setIconTextGap(8);
                label.setBorder(BorderFactory.createEmptyBorder(4, 6, 4, 6));
                label.setOpaque(selected);
                if (selected) {
                    label.setBackground(Theme.selection());
                }
                return label;
            });
            JScrollPane scroll = new JScrollPane(list);
            scroll.setPreferredSize(new Dimension(300, 260));
            Object[] options = owner ? new Object[] {Text.get("group.kick"), "OK"} : new Object[] {"OK"};
            int chosen = JOptionPane.showOptionDialog(parent, scroll, Text.get("group.membersTitle", c.title()),
                    JOptionPane.DEFAULT_OPTION, JOptionPane.PLAIN_MESSAGE, null, options, options[options.length - 1]);
            Member m = list.getSelectedValue();
            if (owner && chosen == 0 && m != null && !m.owner()) {
                run(parent, model.service().kick(c.key(), m.name()), v -> {});
            }
        });
    }

    static void joinRequests(Component parent, ChatModel model, Conversation c) {
        run(parent, model.service().joinRequests(c.key()), (List<String> names) -> {
            if (names.isEmpty()) {
                JOptionPane.showMessageDialog(parent, Text.get("group.noRequests"));
                return;
            }
            JList<String> list = new JList<>(names.toArray(String[]::new));
            list.setSelectedIndex(0);
            Object[] options = {Text.get("group.approve"), Text.get("group.reject"), "OK"};
            int chosen = JOptionPane.showOptionDialog(parent, new JScrollPane(list), Text.get("menu.requests"),
                    JOptionPane.DEFAULT_OPTION, JOptionPane.PLAIN_MESSAGE, null, options, options[2]);
            String name = list.getSelectedValue();
            if (chosen == 0 && name != null) {
                run(parent, model.service().approve(c.key(), name), v -> {});
            } else if (chosen == 1 && name != null) {
                run(parent, model.service().reject(c.key(), name), v -> {});
            }
        });
    }

    /** Whom I blocked, with Unblock for the one chosen. */
    static void blocked(Component parent, ChatModel model) {
        run(parent, model.service().blocked(), (List<String> names) -> {
            if (names.isEmpty()) {
                JOptionPane.showMessageDialog(parent, Text.get("blocked.none"));
                return;
            }
            JList<String> list = new JList<>(names.toArray(String[]::new));
            list.setName("blocked.list");
            list.setSelectedIndex(0);
            Object[] options = {Text.get("blocked.unblock"), "OK"};
            int chosen = JOptionPane.showOptionDialog(parent, new JScrollPane(list), Text.get("main.blocked"),
                    JOptionPane.DEFAULT_OPTION, JOptionPane.PLAIN_MESSAGE, null, options, options[1]);
            String name = list.getSelectedValue();
            if (chosen == 0 && name != null) {
                run(parent, model.service().unblock(name), v -> {});
            }
        });
    }

    /** A presence dot for plain labels. */
    private record PresenceIcon(boolean online) implements javax.swing.Icon {
        @Override
        public void paintIcon(Component c, java.awt.Graphics g, int x, int y) {
            java.awt.Graphics2D g2 = (java.awt.Graphics2D) g.create();
            g2.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
            g2.setColor(online ? Theme.ONLINE : new java.awt.Color(0x9CA3AF));
            g2.fillOval(x, y + 1, 8, 8);
            g2.dispose();
        }

        @Override
        public int getIconWidth() {
            return 8;
        }

        @Override
        public int getIconHeight() {
            return 10;
        }
    }
}
