package chat.client.desktop;

import chat.client.desktop.model.FriendRequest;
import com.formdev.flatlaf.FlatClientProperties;
import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.util.List;
import java.util.function.BiConsumer;
import javax.swing.BorderFactory;
import javax.swing.Box;
import javax.swing.BoxLayout;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JPanel;

/** Friend requests above the conversation list: mine waiting (muted), others' with Accept and Decline. */
final class RequestsPanel extends JPanel {
    private static final long serialVersionUID = 1L;

    private final transient BiConsumer<String, Boolean> answer;

    /** @param answer called with the requester's name and true to accept, false to decline */
    RequestsPanel(BiConsumer<String, Boolean> answer) {
        this.answer = answer;
        setName("main.requests");
        setOpaque(false);
        setLayout(new BoxLayout(this, BoxLayout.Y_AXIS));
        setAlignmentX(LEFT_ALIGNMENT);
    }

    /** Shows {@code pending}, replacing what was shown. */
    void setRequests(List<FriendRequest> pending) {
        removeAll();
        if (!pending.isEmpty()) {
            add(Box.createVerticalStrut(10));
            JLabel head = new JLabel(Text.get("main.requests"));
            head.putClientProperty(FlatClientProperties.STYLE, "font: -1 bold");
            head.setForeground(Theme.muted());
            add(head);
            add(Box.createVerticalStrut(4));
        }
        for (FriendRequest r : pending) {
            JPanel row = new JPanel(new BorderLayout(8, 4));
            row.setName("request:" + r.name());
            row.setOpaque(false);
            row.setAlignmentX(LEFT_ALIGNMENT);
            row.setBorder(BorderFactory.createEmptyBorder(4, 0, 4, 0));
            JLabel what = new JLabel(Text.get(r.incoming() ? "main.requestFrom" : "main.requestTo", r.name()));
            what.setName("request.text:" + r.name());
            if (!r.incoming()) {
                what.setForeground(Theme.muted());
            }
            row.add(what, BorderLayout.CENTER);
            if (r.incoming()) {
                JPanel buttons = new JPanel(new FlowLayout(FlowLayout.LEFT, 0, 0));
                buttons.setOpaque(false);
                JButton accept = new JButton(Text.get("main.accept"));
                accept.setName("request.accept:" + r.name());
                Theme.primary(accept, "");
                accept.addActionListener(e -> answer.accept(r.name(), true));
                JButton decline = new JButton(Text.get("main.decline"));
                decline.setName("request.decline:" + r.name());
                decline.addActionListener(e -> answer.accept(r.name(), false));
                buttons.add(accept);
                buttons.add(Box.createHorizontalStrut(6));
                buttons.add(decline);
                row.add(buttons, BorderLayout.SOUTH);
            }
            row.setMaximumSize(new Dimension(Integer.MAX_VALUE, row.getPreferredSize().height));
            add(row);
        }
        revalidate();
        repaint();
    }
}
