package chat.client;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The client's user-facing text, from {@code chat/client/messages*.properties} (UTF-8, as Java 9+
 * reads property bundles). Patterns are {@link MessageFormat}s: a literal apostrophe is written
 * {@code ''}. Pass numbers as strings, or MessageFormat groups them by locale (port 18,899).
 */
public final class Messages {

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

    private Messages(ResourceBundle bundle, Locale locale) {
        this.bundle = bundle;
        this.locale = locale;
    }

    /** The messages for {@code locale}: {@code zh*} gives Simplified Chinese, anything else English. */
    public static Messages of(Locale locale) {
        return new Messages(ResourceBundle.getBundle(BUNDLE, locale, NO_DEFAULT_FALLBACK), locale);
    }

    /** The text for {@code key} with {@code args} filled in. */
    public String get(String key, Object... args) {
        return new MessageFormat(bundle.getString(key), locale).format(args);
    }

    public Locale locale() {
        return locale;
    }
}
