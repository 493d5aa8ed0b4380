package chat.client.desktop;

import chat.client.ServerAddress;
import chat.client.desktop.model.ChatFailure;
import chat.client.desktop.model.ChatService;
import chat.client.desktop.model.ChatService.Server;
import com.formdev.flatlaf.FlatClientProperties;
import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.Insets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JCheckBox;
import javax.swing.JComponent;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JPasswordField;
import javax.swing.JTextField;
import javax.swing.SwingConstants;
import javax.swing.event.DocumentEvent;
import javax.swing.event.DocumentListener;
import javax.swing.text.JTextComponent;

/**
 * Sign in or create an account: server, port, account, password. The server field takes one
 * server, or the servers of a cluster separated by commas ({@code a.example.org,b.example.org:9000},
 * IPv6 as {@code [::1]:8899}); an entry without a port takes the port field's, so one host and a
 * port work as they always did. The article's rule stands: with
 * an empty field nothing is sent (the button stays disabled, and Enter says which field is
 * missing). Errors appear in the window, under the fields. The last server and account are
 * remembered in {@link Settings}; a kept session offers "Continue as …" without the password.
 */
public final class LoginWindow extends JFrame {
    private static final long serialVersionUID = 1L;

    private final transient ChatService service;
    private final transient Settings settings;
    private final transient Executor ui;
    private final transient Consumer<String> signedIn;

    final JTextField server = field("login.server");
    final JTextField port = field("login.port");
    final JTextField account = field("login.account");
    final JPasswordField password = new JPasswordField();
    final JCheckBox tls = new JCheckBox(Text.get("login.tls"));
    final JButton signIn = new JButton(Text.get("login.signIn"));
    final JButton register = new JButton(Text.get("login.register"));
    final JButton resume = new JButton();
    final JLabel status = new JLabel(" ");
    private boolean busy;

    /**
     * @param signedIn called on the EDT with my account name once the server let me in; the
     *                 window is closed by then
     */
    public LoginWindow(ChatService service, Settings settings, Executor ui, Consumer<String> signedIn) {
        super(Text.get("app.name") + " · " + Text.get("login.title"));
        this.service = service;
        this.settings = settings;
        this.ui = ui;
        this.signedIn = signedIn;
        setName("login");
        setIconImages(Logo.windowIcons());
        setDefaultCloseOperation(DISPOSE_ON_CLOSE);

        password.setName("login.password");
        password.putClientProperty(FlatClientProperties.STYLE, "showRevealButton: true");
        signIn.setName("login.signIn");
        register.setName("login.register");
        resume.setName("login.resume");
        status.setName("login.error");
        server.setText(settings.get(Settings.SERVER, "localhost"));
        server.setToolTipText("<html><body style='width: 300px'>" + escape(Text.get("login.serverHint")) + "</body></html>");
        server.putClientProperty(FlatClientProperties.PLACEHOLDER_TEXT, Text.get("login.serverPlaceholder"));
        port.setText(settings.get(Settings.PORT, "8899"));
        tls.setSelected(Boolean.parseBoolean(settings.get(Settings.TLS, "false")));
        tls.setName("login.tls");
        account.setText(settings.get(Settings.ACCOUNT, ""));

        setContentPane(form());
        getRootPane().setDefaultButton(signIn);
        signIn.addActionListener(e -> submit(false));
        register.addActionListener(e -> submit(true));
        resume.addActionListener(e -> resume());
        DocumentListener change = new DocumentListener() {
            @Override public void insertUpdate(DocumentEvent e) { refresh(); }
            @Override public void removeUpdate(DocumentEvent e) { refresh(); }
            @Override public void changedUpdate(DocumentEvent e) { refresh(); }
        };
        for (JTextComponent f : fields()) {
            f.getDocument().addDocumentListener(change);
            // Enter in any field tries to sign in, so that an empty field is named rather than ignored.
            ((JTextField) f).addActionListener(e -> submit(false));
        }
        java.awt.event.FocusAdapter recheck = new java.awt.event.FocusAdapter() {
            @Override
            public void focusLost(java.awt.event.FocusEvent e) {
                checkResume();
            }
        };
        server.addFocusListener(recheck);
        port.addFocusListener(recheck);
        account.addFocusListener(recheck);
        refresh();
        addWindowListener(new java.awt.event.WindowAdapter() {
            @Override
            public void windowOpened(java.awt.event.WindowEvent e) {
                // The caret goes where typing starts: the first empty field, else the password.
                JTextComponent empty = firstEmpty();
                (empty == null ? password : empty).requestFocusInWindow();
            }
        });
        pack();
        setMinimumSize(getSize());
        setLocationRelativeTo(null);
    }

    private static JTextField field(String name) {
        JTextField f = new JTextField();
        f.setName(name);
        return f;
    }

    private JTextComponent[] fields() {
        return new JTextComponent[] {server, port, account, password};
    }

    private JComponent form() {
        JPanel form = new JPanel(new GridBagLayout());
        form.setBorder(BorderFactory.createEmptyBorder(36, 44, 28, 44));
        GridBagConstraints c = new GridBagConstraints();
        c.gridx = 0;
        c.gridwidth = 2;
        c.fill = GridBagConstraints.HORIZONTAL;
        c.weightx = 1;

        JLabel logo = new JLabel(new Logo(64));
        c.insets = new Insets(0, 0, 18, 0);
        form.add(logo, c);
        JLabel heading = new JLabel(Text.get("login.heading"), SwingConstants.CENTER);
        heading.putClientProperty(FlatClientProperties.STYLE, "font: +9 bold");
        c.insets = new Insets(0, 0, 4, 0);
        form.add(heading, c);
        JLabel sub = new JLabel(Text.get("login.subheading"), SwingConstants.CENTER);
        sub.setForeground(Theme.muted());
        c.insets = new Insets(0, 0, 24, 0);
        form.add(sub, c);

        c.gridwidth = 1;
        c.insets = new Insets(0, 0, 4, 10);
        form.add(label("login.server", server), c);
        c.gridx = 1;
        c.weightx = 0;
        c.insets = new Insets(0, 0, 4, 0);
        form.add(label("login.port", port), c);
        c.gridx = 0;
        c.weightx = 1;
        c.insets = new Insets(0, 0, 14, 10);
        form.add(server, c);
        c.gridx = 1;
        c.weightx = 0;
        c.insets = new Insets(0, 0, 14, 0);
        port.setColumns(5);
        form.add(port, c);

        c.gridx = 0;
        c.gridwidth = 2;
        c.weightx = 1;
        c.insets = new Insets(0, 0, 4, 0);
        form.add(label("login.account", account), c);
        c.insets = new Insets(0, 0, 14, 0);
        form.add(account, c);
        c.insets = new Insets(0, 0, 4, 0);
        form.add(label("login.password", password), c);
        c.insets = new Insets(0, 0, 8, 0);
        form.add(password, c);
        form.add(tls, c);

        status.setForeground(Theme.DANGER);
        status.setName("login.error");
        status.setPreferredSize(new Dimension(300, status.getFontMetrics(status.getFont()).getHeight() * 2 + 4));
        status.setVerticalAlignment(SwingConstants.TOP);
        c.insets = new Insets(0, 0, 8, 0);
        form.add(status, c);

        Theme.primary(signIn, "font: +1 bold; margin: 8,14,8,14");
        c.insets = new Insets(0, 0, 10, 0);
        form.add(signIn, c);
        resume.setVisible(false);
        form.add(resume, c);
        register.putClientProperty(FlatClientProperties.BUTTON_TYPE, FlatClientProperties.BUTTON_TYPE_BORDERLESS);
        register.setForeground(Theme.ACCENT);
        c.insets = new Insets(0, 0, 0, 0);
        form.add(register, c);

        JPanel root = new JPanel(new BorderLayout());
        root.add(form, BorderLayout.CENTER);
        root.setPreferredSize(new Dimension(440, root.getPreferredSize().height + 40));
        return root;
    }

    private static JLabel label(String key, JComponent field) {
        JLabel l = new JLabel(Text.get(key));
        l.putClientProperty(FlatClientProperties.STYLE, "font: -1 bold");
        l.setLabelFor(field);
        return l;
    }

    /** Enables sending only when every field has something, and offers a kept session. */
    private void refresh() {
        boolean filled = firstEmpty() == null;
        signIn.setEnabled(filled && !busy);
        register.setEnabled(filled && !busy);
        for (JTextComponent f : fields()) {
            f.setEnabled(!busy);
        }
        resume.setEnabled(resume.isVisible() && !busy);
    }

    /**
     * Offers "Continue as …" when a session of the account typed is kept for the server typed.
     * It reads the client's data folder, so it runs when the window is up and when one of those
     * fields loses the focus, not on every key.
     */
    void checkResume() {
        Server s = serverOrNull();
        String name = account.getText().strip();
        boolean kept = s != null && !name.isEmpty() && service.canResume(s, name);
        resume.setText(Text.get("login.resume", name));
        resume.setVisible(kept);
        resume.setEnabled(kept && !busy);
    }

    /** The first field left empty, in the order they are shown, or null. */
    JTextComponent firstEmpty() {
        for (JTextComponent f : fields()) {
            boolean empty = f instanceof JPasswordField p ? p.getPassword().length == 0 : f.getText().isBlank();
            if (empty) {
                return f;
            }
        }
        return null;
    }

    private Server serverOrNull() {
        return problem() == null ? new Server(server.getText().strip(), portOr0(), tls.isSelected()) : null;
    }

    /** The port field's number, 0 when it is not a port. */
    private int portOr0() {
        try {
            int p = Integer.parseInt(port.getText().strip());
            return p < 1 || p > 65535 ? 0 : p;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** What is wrong with the server and port fields, as the text to show; null when nothing is. */
    String problem() {
        int p = portOr0();
        if (p == 0) {
            return Text.get("login.badPort");
        }
        try {
            ServerAddress.list(server.getText().strip(), p);
            return null;
        } catch (IllegalArgumentException e) {
            return Text.get("login.badServer", server.getText().strip());
        }
    }

    private void submit(boolean create) {
        if (busy) {
            return;
        }
        JTextComponent empty = firstEmpty();
        if (empty != null) {
            String what = Text.get(empty.getName());
            showError(Text.get("login.empty", what));
            empty.requestFocusInWindow();
            return;
        }
        String problem = problem();
        if (problem != null) {
            showError(problem);
            (portOr0() == 0 ? port : server).requestFocusInWindow();
            return;
        }
        Server s = serverOrNull();
        String name = account.getText().strip();
        String secret = new String(password.getPassword());
        setBusy(true, Text.get(create ? "login.registering" : "login.signingIn"));
        CompletableFuture<String> done = create
                ? service.register(s, name, secret).thenCompose(v -> service.login(s, name, secret))
                : service.login(s, name, secret);
        done.whenCompleteAsync((me, error) -> finish(s, me, error, create ? "login.registerFailed" : "login.failed"), ui);
    }

    private void resume() {
        Server s = serverOrNull();
        if (s == null || busy) {
            return;
        }
        setBusy(true, Text.get("login.signingIn"));
        service.resume(s, account.getText().strip())
                .whenCompleteAsync((me, error) -> finish(s, me, error, "login.failed"), ui);
    }

    private void finish(Server s, String me, Throwable error, String failureKey) {
        if (error != null) {
            setBusy(false, " ");
            showError(Text.get(failureKey, ChatFailure.of(error).getMessage()));
            return;
        }
        settings.put(Settings.SERVER, s.host());
        settings.put(Settings.PORT, Integer.toString(s.port()));
        settings.put(Settings.TLS, Boolean.toString(s.tls()));
        settings.put(Settings.ACCOUNT, me);
        settings.save();
        dispose();
        signedIn.accept(me);
    }

    private void setBusy(boolean b, String message) {
        busy = b;
        status.setForeground(Theme.muted());
        status.setText(message);
        refresh();
    }

    private void showError(String message) {
        status.setForeground(Theme.DANGER);
        // HTML so that a long server message wraps inside the window instead of widening it.
        status.setText("<html>" + escape(message) + "</html>");
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** The text the window shows under the fields (without the HTML that wraps it). */
    String statusText() {
        return status.getText().replaceAll("<[^>]*>", "").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
