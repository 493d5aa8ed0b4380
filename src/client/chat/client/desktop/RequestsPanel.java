package chat.client.desktop;

import chat.client.desktop.model.FriendRequest;
import chat.client.desktop.model.Invitation;
import com.formdev.flatlaf.FlatClientProperties;
import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javax.swing.BorderFactory;
import javax.swing.Box;
import javax.swing.BoxLayout;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JPanel;

/**
 * Friend requests above the conversation list, mine waiting (muted) and others' with Accept,
 * Decline and Block; then invitations to groups waiting for my answer, with Join, Decline and
 * Block (the inviter): a stranger's invitation is a request like a friend's, never a membership.
 */
final class RequestsPanel extends JPanel {
    private static final long serialVersionUID = 1L;

    private final transient BiConsumer<String, Boolean> answer;
    private final transient BiConsumer<String, Boolean> answerInvitation;
    private final transient Consumer<String> block;

    /**
     * @param answer called with the requester's name and true to accept, false to decline
     * @param answerInvitation called with the group's key and true to join, false to decline
     * @param block called with the name of a requester or inviter to block
     */
    RequestsPanel(BiConsumer<String, Boolean> answer, BiConsumer<String, Boolean> answerInvitation,
            Consumer<String> block) {
        this.answer = answer;
        this.answerInvitation = answerInvitation;
        this.block = block;
        setName("main.requests");
        setOpaque(false);
        setLayout(new BoxLayout(this, BoxLayout.Y_AXIS));
        setAlignmentX(LEFT_ALIGNMENT);
    }

    /** Shows {@code pending} and {@code invitations}, replacing what was shown. */
    void setRequests(List<FriendRequest> pending, List<Invitation> invitations) {
        removeAll();
        if (!pending.isEmpty()) {
            head("main.requests");
        }
        for (FriendRequest r : pending) {
            JLabel what = new JLabel(Text.get(r.incoming() ? "main.requestFrom" : "main.requestTo", r.name()));
            what.setName("request.text:" + r.name());
            if (!r.incoming()) {
                what.setForeground(Theme.muted());
            }
            JPanel row = row("request:" + r.name(), what);
            if (r.incoming()) {
                row.add(buttons("request", r.name(), "main.accept", accept -> answer.accept(r.name(), accept), r.name()),
                        BorderLayout.SOUTH);
            }
            add(fitted(row));
        }
        if (!invitations.isEmpty()) {
            head("main.invitations");
        }
        for (Invitation i : invitations) {
            JLabel what = new JLabel(Text.get("main.invitationFrom", i.group(), i.by()));
            what.setName("invitation.text:" + i.key());
            JPanel row = row("invitation:" + i.key(), what);
            row.add(buttons("invitation", i.key(), "main.join", join -> answerInvitation.accept(i.key(), join), i.by()),
                    BorderLayout.SOUTH);
            add(fitted(row));
        }
        revalidate();
        repaint();
    }

    private void head(String key) {
        add(Box.createVerticalStrut(10));
        JLabel head = new JLabel(Text.get(key));
        head.putClientProperty(FlatClientProperties.STYLE, "font: -1 bold");
        head.setForeground(Theme.muted());
        add(head);
        add(Box.createVerticalStrut(4));
    }

    private static JPanel row(String name, JLabel what) {
        JPanel row = new JPanel(new BorderLayout(8, 4));
        row.setName(name);
        row.setOpaque(false);
        row.setAlignmentX(LEFT_ALIGNMENT);
        row.setBorder(BorderFactory.createEmptyBorder(4, 0, 4, 0));
        row.add(what, BorderLayout.CENTER);
        return row;
    }

    private static JPanel fitted(JPanel row) {
        row.setMaximumSize(new Dimension(Integer.MAX_VALUE, row.getPreferredSize().height));
        return row;
    }

    /** Yes ({@code yesKey}), Decline and Block, named {@code kind.accept:id} and so on for tests. */
    private JPanel buttons(String kind, String id, String yesKey, Consumer<Boolean> yesOrNo, String blocked) {
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.LEFT, 0, 0));
        buttons.setOpaque(false);
        JButton yes = new JButton(Text.get(yesKey));
        yes.setName(kind + ".accept:" + id);
        Theme.primary(yes, "");
        yes.addActionListener(e -> yesOrNo.accept(true));
        JButton no = new JButton(Text.get("main.decline"));
        no.setName(kind + ".decline:" + id);
        no.addActionListener(e -> yesOrNo.accept(false));
        JButton blockIt = new JButton(Text.get("main.block"));
        blockIt.setName(kind + ".block:" + id);
        blockIt.addActionListener(e -> block.accept(blocked));
        buttons.add(yes);
        buttons.add(Box.createHorizontalStrut(6));
        buttons.add(no);
        buttons.add(Box.createHorizontalStrut(6));
        buttons.add(blockIt);
        return buttons;
    }
}
