package chat.client.term;

import chat.client.RefusedException;
import chat.client.Texts;
import chat.common.proto.ErrorCode;
import java.util.Locale;
import java.util.Set;

/**
 * A server's refusal in the user's words, not the protocol's: its {@link ErrorCode} picks the
 * text ({@code error.code.not-friends}), worded for the command when that matters
 * ({@code error.code.not-friends.msg}: "only friends can message each other; use /add 陈明
 * first"), in the user's language. The server's own message is English protocol talk ("ADD bob
 * first") and shows only for codes that carry a detail the client cannot know (a bad name's rule,
 * an unknown code from a newer server).
 *
 * <p>Texts get {@code {0}} the first word the command was given, {@code {1}} the second,
 * {@code {2}} the server's message, and {@code {3}} the seconds a {@code throttled} refusal asked
 * to wait (a number, 0 when it said none: a {@code choice} format words both); for group commands
 * the first word with a {@code #} before it, typed or not. Every code has a text in every bundle
 * (RefusalsTest checks).
 */
final class Refusals {

    /** Commands whose first word is a group, {@code team} or {@code #team}: shown as {@code #team}. */
    private static final Set<String> GROUP_COMMANDS = Set.of("join", "leave", "invite", "kick", "approve", "reject",
            "rename", "disband", "members", "requests", "create", "decline-invite");

    private Refusals() {}

    /** The text key for {@code code}: the general one. */
    static String key(ErrorCode code) {
        return "error.code." + code.wire();
    }

    /**
     * {@code r} in words for someone who typed {@code /command words}; {@code command} without its
     * slash ({@code msg}), or empty for what no command asked (a message sent again by itself).
     */
    static String explain(Texts texts, String command, String[] words, RefusedException r) {
        String general = key(r.code());
        String specific = general + "." + command.toLowerCase(Locale.ROOT);
        String first = words.length > 0 ? words[0] : "";
        if (GROUP_COMMANDS.contains(command) && !first.isEmpty() && !first.startsWith("#") && !first.startsWith("!")) {
            first = "#" + first;
        }
        String second = words.length > 1 ? words[1] : "";
        String message = r.getMessage() == null ? "" : r.getMessage();
        return texts.get(texts.has(specific) ? specific : general,
                Notices.printable(first), Notices.printable(second), Notices.printable(message), r.retryAfterSeconds());
    }
}
