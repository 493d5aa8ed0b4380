package chat.client.term;

import chat.client.HistoryEntry;
import chat.common.proto.Conversation;
import chat.common.text.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Windows, as in irssi: window 1 is the main window (notices, and the catch-up after a login);
 * each conversation opened with {@code /chat X}, or by a message that arrives for it, gets the
 * lowest free number from 2. The active window is chat mode's conversation ({@link ChatMode}), or
 * window 1 outside chat mode, so that there is one state, not two. A window counts the messages
 * that arrived while it was not active: its unread ones, shown in the status line
 * ({@code [1] [2:bob(3)] [3:#team]}) until the window is shown again.
 *
 * <p>Conversations are keyed as the server names them: a friend's name key, a group's
 * {@code #name} key (a rename moves the window along). Called from the event thread and the
 * shell's, hence synchronized.
 */
final class Windows {

    /** An open window; {@code unread} counts what arrived while another window was active. */
    static final class Window {
        final int number;
        Conversation conversation;
        int unread;

        Window(int number, Conversation conversation) {
            this.number = number;
            this.conversation = conversation;
        }
    }

    private final Map<Integer, Window> open = new TreeMap<>();

    /** The window of {@code c}, opened when it has none. */
    synchronized Window open(Conversation c) {
        Window w = find(c);
        if (w != null) {
            return w;
        }
        int n = 2;
        while (open.containsKey(n)) {
            n++;
        }
        w = new Window(n, c);
        open.put(n, w);
        return w;
    }

    /** Window {@code n} (not 1), or {@code null}. */
    synchronized Window get(int n) {
        return open.get(n);
    }

    /** The window of {@code c}, or {@code null}. */
    synchronized Window find(Conversation c) {
        if (c == null) {
            return null;
        }
        String key = key(c);
        for (Window w : open.values()) {
            if (key(w.conversation).equals(key)) {
                return w;
            }
        }
        return null;
    }

    synchronized void close(Window w) {
        open.remove(w.number);
    }

    /** Window {@code w} is shown: nothing in it is unread any more. */
    synchronized void shown(Window w) {
        w.unread = 0;
    }

    /** A message for {@code w} arrived while it was not active. */
    synchronized void unseen(Window w) {
        w.unread++;
    }

    /** A group's window follows its rename. */
    synchronized void renamed(String oldName, String newName) {
        Window w = find(new Conversation.GroupName(oldName));
        if (w != null) {
            w.conversation = new Conversation.GroupName(newName);
        }
    }

    /** Every open window, by number. */
    synchronized List<Window> all() {
        return new ArrayList<>(open.values());
    }

    /** {@code [1] [2:bob(3)] [3:#team]}: every window, with its unread count when it has one. */
    synchronized String status() {
        var b = new StringBuilder("[1]");
        for (Window w : open.values()) {
            b.append(" [").append(w.number).append(':').append(Notices.printable(w.conversation.format()));
            if (w.unread > 0) {
                b.append('(').append(w.unread).append(')');
            }
            b.append(']');
        }
        return b.toString();
    }

    /** The conversation a message belongs to, seen from account {@code me}. */
    static Conversation of(HistoryEntry e, boolean fromMe) {
        if (e.isGroup()) {
            String to = e.to();
            return new Conversation.GroupName(to.startsWith("#") ? to.substring(1) : to);
        }
        return new Conversation.Direct(fromMe ? e.to() : e.from());
    }

    private static String key(Conversation c) {
        if (c instanceof Conversation.GroupId g) {
            return "!" + g.id();
        }
        return Names.key(c.format());
    }
}
