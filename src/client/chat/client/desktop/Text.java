package chat.client.desktop;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The windows' words, English or Simplified Chinese, from {@code chat/client/desktop/messages*}.
 * One language for the whole application at a time: switching rebuilds the windows, so the
 * current language is kept here rather than threaded through every constructor.
 */
public final class Text {

    private static final String BUNDLE = "chat.client.desktop.messages";
    private static volatile ResourceBundle bundle = load(Locale.getDefault());

    private Text() {}

    /** English unless the locale's language is Chinese (the two languages the client has). */
    public static Locale supported(Locale locale) {
        return "zh".equals(locale.getLanguage()) ? Locale.SIMPLIFIED_CHINESE : Locale.ENGLISH;
    }

    public static void use(Locale locale) {
        bundle = load(locale);
    }

    public static Locale locale() {
        return bundle.getLocale().getLanguage().isEmpty() ? Locale.ENGLISH : bundle.getLocale();
    }

    private static ResourceBundle load(Locale locale) {
        // Without NoFallback, an English user on a machine whose default locale is Chinese would get Chinese.
        return ResourceBundle.getBundle(BUNDLE, supported(locale),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    /** The text for {@code key}, with {@code args} put in; the key itself when it is missing. */
    public static String get(String key, Object... args) {
        String pattern;
        try {
            pattern = bundle.getString(key);
        } catch (MissingResourceException e) {
            return key;
        }
        return args.length == 0 ? pattern : new MessageFormat(pattern, locale()).format(args);
    }
}
