package chat.client.term;

import chat.client.ChatEvent;
import chat.client.HistoryEntry;
import chat.common.proto.Conversation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code /win N}, {@code /win close [N]}, {@code /win list} (Alt-1…9 on a terminal type
 * {@code /win N}), and where each arriving message goes: to its conversation's {@link Windows}
 * window, opened for it if need be. A message for the active window is printed and so read: its
 * READ goes to the server, batched ({@link #READ_DELAY} after the first, or before /unread, a
 * switch or the end). One for another window counts unread in the status line and, on a
 * terminal, is not printed: switching to its window shows the last screenful of the conversation
 * from the local history, and that marks it read. Scripts (no terminal) get every message printed
 * all the same, but only the active window's are read; they have no status line, and /win prints.
 */
final class WindowCommands {

    /** How long read marks gather before they go: one READ per conversation, not one per message. */
    static final long READ_DELAY_MILLIS = 500;

    private final ShellIo io;
    private final ChatMode chat;
    private final Notices notices;
    private final Windows windows = new Windows();
    /** Read marks not yet sent: the newest shown id per conversation. */
    private final Map<String, Conversation> pendingConversations = new LinkedHashMap<>();
    private final Map<String, Long> pendingUpTo = new LinkedHashMap<>();
    private final ScheduledExecutorService marks = Executors.newSingleThreadScheduledExecutor(r -> {
        var t = new Thread(r, "read-marks");
        t.setDaemon(true);
        return t;
    });

    WindowCommands(ShellIo io, ChatMode chat, Notices notices) {
        this.io = io;
        this.chat = chat;
        this.notices = notices;
    }

    boolean run(String command, String rest) {
        if (!command.equals("win")) {
            return false;
        }
        switch (rest) {
            case "list" -> list();
            case "close" -> close(active());
            default -> {
                if (rest.startsWith("close ")) {
                    int n = io.number(rest.substring(6).strip(), 99);
                    if (n > 1) {
                        close(windows.get(n), n);
                    } else if (n == 1) {
                        io.say("window.error.main");
                    }
                } else {
                    int n = rest.isEmpty() ? -1 : io.number(rest, 99);
                    if (rest.isEmpty()) {
                        io.say("account.error.usage", "/win N|close [N]|list");
                    } else if (n == 1) {
                        chat.leave();
                        redraw();
                    } else if (n > 1) {
                        Windows.Window w = windows.get(n);
                        if (w == null) {
                            io.say("window.error.none", Integer.toString(n));
                        } else {
                            show(w);
                        }
                    }
                }
            }
        }
        return true;
    }

    /** On the client's event thread: whether to print a message as it arrives (see the class). */
    boolean arrived(HistoryEntry e, boolean caughtUp) {
        Conversation c = Windows.of(e, notices.isMe(e.from()));
        boolean fresh = windows.find(c) == null;
        Windows.Window w = windows.open(c);
        if (fresh && io.console.interactive()) {
            io.say("window.opened", Integer.toString(w.number), Notices.printable(c.format()));
        }
        boolean active = !caughtUp && w == active();
        if (active) {
            read(c, e.id());
        } else {
            windows.unseen(w);
        }
        redraw();
        return caughtUp || active || !io.console.interactive();
    }

    /** {@code /chat X} opened X: its window is the active one now, shown. */
    void chatting(Conversation c) {
        windows.shown(windows.open(c));
        redraw();
    }

    /** A group's rename moves its window along. */
    void groupEvent(ChatEvent e) {
        if (e instanceof ChatEvent.GroupRenamed r) {
            windows.renamed(r.oldName(), r.newName());
            redraw();
        }
    }

    /** Sends the read marks gathered, and waits for them: before /unread, which must count without them. */
    void flush() {
        Map<Conversation, Long> due = new LinkedHashMap<>();
        synchronized (this) {
            pendingUpTo.forEach((key, upTo) -> due.put(pendingConversations.get(key), upTo));
            pendingUpTo.clear();
            pendingConversations.clear();
        }
        if (io.client.isLoggedIn()) {
            due.forEach((c, upTo) -> io.quietly(io.client.markRead(c, upTo)));
        }
    }

    /** The window whose conversation chat mode is in; {@code null} for window 1. */
    private Windows.Window active() {
        return windows.find(chat.current());
    }

    /** Switches to {@code w}: the last screenful of its conversation, read now, and chat mode in it. */
    private void show(Windows.Window w) {
        chat.leave();
        flush();
        Conversation c = w.conversation;
        io.say("window.shown", Integer.toString(w.number), Notices.printable(c.format()));
        List<HistoryEntry> last = io.client.localHistory(c, Math.max(1, io.console.rows() - 2));
        last.forEach(e -> io.console.print(notices.windowLine(e)));
        windows.shown(w);
        if (!last.isEmpty()) {
            chat.markRead(c);
        }
        chat.start(c);
        redraw();
    }

    private void close(Windows.Window w) {
        if (w == null) {
            io.say("window.error.main");
        } else {
            close(w, w.number);
        }
    }

    private void close(Windows.Window w, int n) {
        if (w == null) {
            io.say("window.error.none", Integer.toString(n));
            return;
        }
        if (w == active()) {
            chat.leave();
        }
        windows.close(w);
        io.say("window.closed", Integer.toString(w.number), Notices.printable(w.conversation.format()));
        redraw();
    }

    private void list() {
        Windows.Window active = active();
        io.say("window.list.main", active == null ? "*" : " ");
        for (Windows.Window w : windows.all()) {
            io.say(w.unread > 0 ? "window.list.unread" : "window.list.item", w == active ? "*" : " ",
                    Integer.toString(w.number), Notices.printable(w.conversation.format()), Integer.toString(w.unread));
        }
    }

    /** A message up to {@code id} was shown in {@code c}'s active window: its READ goes soon. */
    private void read(Conversation c, long id) {
        if (c.isLobby() || id <= 0) {
            return;
        }
        boolean first;
        synchronized (this) {
            first = pendingUpTo.isEmpty();
            String key = c.format();
            pendingConversations.put(key, c);
            pendingUpTo.merge(key, id, Math::max);
        }
        if (first) {
            marks.schedule(this::flush, READ_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** The status line as it reads now (a terminal draws only what changes: tests read it here). */
    String status() {
        return windows.status();
    }

    /** The status line on a terminal: {@code [1] [2:bob(3)] [3:#team]}. */
    private void redraw() {
        if (io.console.interactive()) {
            io.console.status("windows", List.of(windows.status()));
        }
    }

    /** At the end: the marks gathered go, and the scheduler stops. */
    void close() {
        flush();
        marks.shutdownNow();
    }
}
