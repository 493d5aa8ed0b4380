package chat.client;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The clients' user-facing text (the terminal's, the desktop's), in English and Simplified
 * Chinese, from {@code chat/client/messages*.properties} (UTF-8, as Java 9+ reads property
 * bundles). Patterns are {@link MessageFormat}s: a literal apostrophe is written
 * {@code ''}. Pass numbers as strings, or MessageFormat groups them by locale (port 18,899).
 */
public final class Texts {

    private static final String BUNDLE = "chat.client.messages";

    /*
     * Without this, asking for English under a Chinese default locale would find no messages_en
     * and fall back to the default locale's bundle, i.e. Chinese. A locale without a bundle of its
     * own gets the base (English) bundle instead.
     */
    private static final ResourceBundle.Control NO_DEFAULT_FALLBACK =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    private final ResourceBundle bundle;
    private final Locale locale;

    private Texts(ResourceBundle bundle, Locale locale) {
        this.bundle = bundle;
        this.locale = locale;
    }

    /** The messages for {@code locale}: {@code zh*} gives Simplified Chinese, anything else English. */
    public static Texts of(Locale locale) {
        return new Texts(ResourceBundle.getBundle(BUNDLE, locale, NO_DEFAULT_FALLBACK), locale);
    }

    /** The text for {@code key} with {@code args} filled in. */
    public String get(String key, Object... args) {
        return new MessageFormat(bundle.getString(key), locale).format(args);
    }

    /** Whether there is a text for {@code key} (a refusal's text for one command, say). */
    public boolean has(String key) {
        return bundle.containsKey(key);
    }

    public Locale locale() {
        return locale;
    }
}
