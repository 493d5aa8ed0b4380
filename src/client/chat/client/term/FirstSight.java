package chat.client.term;

import chat.client.HostTrust;
import chat.client.Texts;
import java.util.Locale;

/**
 * The terminal's trust on first use: shows a new server certificate's fingerprint and asks y/n,
 * as ssh does. It asks only while the shell lets it ({@link #asking}: at start, before commands are
 * read, so that the question and the command line never share the input); a certificate first seen
 * later (the user said no at start) is refused without asking, and the background attempts say so.
 */
final class FirstSight implements HostTrust {

    private final Console console;
    private final Texts texts;
    private volatile boolean mayAsk;

    FirstSight(Console console, Texts texts) {
        this.console = console;
        this.texts = texts;
    }

    /** Lets {@link #trustFirstSight} ask, or stops it. */
    void asking(boolean ask) {
        mayAsk = ask;
    }

    @Override
    public boolean trustFirstSight(String server, String fingerprint) {
        if (!mayAsk) {
            return false;
        }
        console.print(texts.get("tls.firstSight", server, fingerprint));
        String answer = console.readLine(texts.get("tls.trustPrompt", server));
        boolean yes = answer != null && isYes(answer.trim().toLowerCase(Locale.ROOT));
        console.print(texts.get(yes ? "tls.trusted" : "tls.notTrusted", server));
        return yes;
    }

    private static boolean isYes(String answer) {
        return answer.equals("y") || answer.equals("yes") || answer.equals("是");
    }
}
