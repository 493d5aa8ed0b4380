package chat.client.term;

import chat.common.text.Names;
import java.util.Map;

/**
 * Colours on a terminal: each name its own (stable: a hash of the name's key into a palette of
 * twelve colours readable on dark and light backgrounds), errors red, notices yellow. Off when the
 * output is not a terminal (scripts read plain text) or {@code NO_COLOR} is set to anything
 * (no-color.org).
 */
final class Colours {

    static final Colours OFF = new Colours(false);

    /** xterm-256 colours of middle lightness: neither lost on black nor on white; no red (errors). */
    private static final int[] PALETTE = {32, 37, 39, 67, 70, 72, 97, 129, 130, 136, 166, 172};
    private static final String RESET = "\u001b[0m";
    private static final String RED = "\u001b[31m";
    private static final String YELLOW = "\u001b[33m";

    private final boolean on;

    Colours(boolean on) {
        this.on = on;
    }

    /** On for a terminal, unless the environment has {@code NO_COLOR}. */
    static Colours of(boolean terminal, Map<String, String> env) {
        return new Colours(terminal && !env.containsKey("NO_COLOR"));
    }

    boolean on() {
        return on;
    }

    /** {@code name} in its colour: the same one every time, in every window and run. */
    String name(String name) {
        return name(name, name);
    }

    /** {@code shown} ({@code Bobby (bob)}) in the colour of {@code name}: an alias does not change a friend's colour. */
    String name(String name, String shown) {
        if (!on) {
            return shown;
        }
        int colour = PALETTE[Math.floorMod(Names.key(name).hashCode(), PALETTE.length)];
        return "\u001b[38;5;" + colour + "m" + shown + RESET;
    }

    String error(String line) {
        return on ? RED + line + RESET : line;
    }

    String notice(String line) {
        return on ? YELLOW + line + RESET : line;
    }
}
