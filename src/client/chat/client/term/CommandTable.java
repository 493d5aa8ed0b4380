package chat.client.term;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The account shell's commands, as groups of them register: each group ({@link AccountCommands},
 * {@link FriendCommands}, {@link GroupCommands}, the shell's own, and any later file of commands)
 * adds its handler with the names it answers to, in one line:
 * {@code commands.add(files::run, "send", "files", "get", "cancel")}. A line is offered to the
 * handlers in the order they were added until one takes it; the names feed tab completion.
 */
final class CommandTable {

    /** Runs {@code command} (without its slash) with what followed it, if it is one of its own; whether it was. */
    @FunctionalInterface
    interface Handler {
        boolean run(String command, String rest);
    }

    private final List<Handler> handlers = new ArrayList<>();
    private final Set<String> names = new TreeSet<>();

    /** Adds {@code handler}, which answers to {@code names} (the names are for completion and must be new). */
    void add(Handler handler, String... names) {
        for (String name : names) {
            if (!this.names.add(name)) {
                throw new IllegalArgumentException("two handlers for /" + name);
            }
        }
        handlers.add(handler);
    }

    /** Runs {@code command}; {@code false} when no handler knows it. */
    boolean run(String command, String rest) {
        for (Handler h : handlers) {
            if (h.run(command, rest)) {
                return true;
            }
        }
        return false;
    }

    /** Every command's name, sorted, without its slash. */
    Set<String> names() {
        return Set.copyOf(names);
    }
}
