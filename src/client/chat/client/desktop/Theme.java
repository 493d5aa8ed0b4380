package chat.client.desktop;

import com.formdev.flatlaf.FlatDarkLaf;
import com.formdev.flatlaf.FlatLaf;
import com.formdev.flatlaf.FlatLightLaf;
import java.awt.Color;
import java.util.Map;
import javax.swing.UIManager;

/**
 * Light and dark, both FlatLaf with one accent colour and rounder corners than the default, and
 * the few colours of our own (bubbles, presence, badges) that FlatLaf has no key for.
 */
public enum Theme {
    LIGHT, DARK;

    /** The accent: buttons, selection, my bubbles, unread badges. */
    public static final Color ACCENT = new Color(0x2F6FEB);
    public static final Color ONLINE = new Color(0x2EB67D);
    public static final Color DANGER = new Color(0xE5484D);

    /**
     * A primary button: filled with the accent in both themes (FlatLaf's light default button is
     * only outlined), paler when disabled.
     */
    public static void primary(javax.swing.JButton b, String extraStyle) {
        b.putClientProperty(com.formdev.flatlaf.FlatClientProperties.STYLE, "background: #2F6FEB; foreground: #FFFFFF;"
                + " borderColor: #2F6FEB; hoverBorderColor: #2A63D4; focusedBorderColor: #A9C4FA;"
                + " hoverBackground: #2A63D4; pressedBackground: #2458BD; disabledBackground: #9DB5EE;"
                + " disabledText: #F2F5FD; disabledBorderColor: #9DB5EE;"
                // The window's default button takes its colours from these keys instead.
                + " default.background: #2F6FEB; default.foreground: #FFFFFF; default.borderColor: #2F6FEB;"
                + " default.hoverBackground: #2A63D4; default.pressedBackground: #2458BD;"
                + " default.hoverBorderColor: #2A63D4; default.focusedBorderColor: #A9C4FA; " + extraStyle);
    }

    public static Theme parse(String s) {
        return "dark".equalsIgnoreCase(s) ? DARK : LIGHT;
    }

    /** Installs this theme; call on the EDT, then {@code FlatLaf.updateUI()} for open windows. */
    public void install() {
        FlatLaf.setGlobalExtraDefaults(Map.of("@accentColor", "#2F6FEB"));
        if (this == DARK) {
            FlatDarkLaf.setup();
        } else {
            FlatLightLaf.setup();
        }
        UIManager.put("Component.arc", 12);
        UIManager.put("Button.arc", 12);
        UIManager.put("TextComponent.arc", 12);
        UIManager.put("TextField.margin", new java.awt.Insets(6, 8, 6, 8));
        UIManager.put("PasswordField.margin", new java.awt.Insets(6, 8, 6, 8));
        UIManager.put("Component.focusWidth", 1);
        UIManager.put("ScrollBar.thumbArc", 999);
        UIManager.put("ScrollBar.thumbInsets", new java.awt.Insets(2, 2, 2, 2));
        UIManager.put("ScrollBar.width", 10);
        UIManager.put("List.selectionArc", 10);
        UIManager.put("TitlePane.unifiedBackground", true);
    }

    public static boolean dark() {
        return FlatLaf.isLafDark();
    }

    /** The background of the side bar (conversation list), a shade off the window's. */
    public static Color sidebar() {
        return dark() ? new Color(0x1E1F22) : new Color(0xF3F4F7);
    }

    public static Color content() {
        return dark() ? new Color(0x2B2D31) : Color.WHITE;
    }

    public static Color line() {
        return dark() ? new Color(0x3A3C42) : new Color(0xE3E5EA);
    }

    public static Color muted() {
        return dark() ? new Color(0x9A9DA5) : new Color(0x6B7280);
    }

    public static Color text() {
        return dark() ? new Color(0xE6E7EA) : new Color(0x1F2328);
    }

    /** Others' bubbles; mine are {@link #ACCENT} with white text. */
    public static Color bubble() {
        return dark() ? new Color(0x3A3C43) : new Color(0xEEF0F4);
    }

    public static Color selection() {
        return dark() ? new Color(0x35373D) : new Color(0xE1E8F8);
    }
}
