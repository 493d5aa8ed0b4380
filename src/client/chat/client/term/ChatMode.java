package chat.client.term;

import chat.client.ChatEvent;
import chat.common.proto.Conversation;
import chat.common.text.Names;

/**
 * Chat mode: the friend or group that plain lines go to, if any. Leaving it marks the
 * conversation read (what arrived meanwhile was on the screen). A group event can end it (I left,
 * was removed, the group was disbanded) or rename it; those come on the client's event thread,
 * hence the volatile.
 */
final class ChatMode {

    private final ShellIo io;
    private final Notices notices;
    private volatile Conversation chatting;
    /** A chat an event ended while a line was being typed: the next plain line is told so, not lost in silence. */
    private volatile Conversation endedByEvent;
    /** Shows the prompt again, once chat mode changed on the event thread. */
    private volatile Runnable promptChanged = () -> {};

    ChatMode(ShellIo io, Notices notices) {
        this.io = io;
        this.notices = notices;
    }

    void onPromptChange(Runnable then) {
        promptChanged = then;
    }

    /**
     * The chat that an event ended since the last plain line or /chat, taken once: a plain line
     * typed while the prompt still showed it is answered with why it did not go.
     */
    Conversation takeEndedByEvent() {
        Conversation c = endedByEvent;
        endedByEvent = null;
        return c;
    }

    /** Where plain lines go; {@code null} outside chat mode. */
    Conversation current() {
        return chatting;
    }

    void start(Conversation c) {
        endedByEvent = null;
        chatting = c;
        io.say("account.chatStart", Notices.printable(c.format()));
    }

    /** Ends chat mode, marking what was on the screen read. */
    void leave() {
        Conversation left = chatting;
        if (left == null) {
            return;
        }
        chatting = null;
        io.say("account.chatEnd", Notices.printable(left.format()));
        markRead(left);
    }

    /** Tells the server {@code c} was read, up to its newest message here; quietly. */
    void markRead(Conversation c) {
        if (!c.isLobby() && io.client.isLoggedIn()) {
            io.quietly(io.client.markRead(c));
        }
    }

    /** I left the group typed as {@code group}, or disbanded it: a chat in it ends. */
    void groupGone(String group) {
        Conversation c = chatting;
        if (c != null && sameGroup(c, group)) {
            chatting = null;
            io.say("account.chatEnd", Notices.printable(c.format()));
        }
    }

    /** I renamed the group typed as {@code group}: a chat in it follows at once, before the next line is read. */
    void groupRenamed(String group, String newName) {
        Conversation c = chatting;
        if (c instanceof Conversation.GroupName && sameGroup(c, group)) {
            chatting = new Conversation.GroupName(newName);
        }
    }

    /** On the client's event thread: a group event that ends my chat in that group, or renames it. */
    void groupEvent(ChatEvent event) {
        Conversation c = chatting;
        if (c == null || !c.isGroup()) {
            return;
        }
        if (event instanceof ChatEvent.GroupRenamed r && is(c, r.groupId(), r.oldName())) {
            chatting = c instanceof Conversation.GroupId ? c : new Conversation.GroupName(r.newName());
            promptChanged.run();
            return;
        }
        boolean over = event instanceof ChatEvent.GroupDeleted d && is(c, d.groupId(), d.group())
                || event instanceof ChatEvent.GroupLeft l && is(c, l.groupId(), l.group()) && notices.isMe(l.who());
        if (over) {
            chatting = null;
            endedByEvent = c;
            promptChanged.run(); // before the line below, whose printing redraws the prompt
            io.say("account.chatEnd", Notices.printable(c.format()));
        }
    }

    /** Whether {@code c} is group {@code id}, called {@code name}. */
    private static boolean is(Conversation c, long id, String name) {
        if (c instanceof Conversation.GroupId g) {
            return g.id() == id;
        }
        return c instanceof Conversation.GroupName g && Names.key(g.name()).equals(Names.key(name));
    }

    /** Whether {@code c} is the group typed as {@code group} ({@code team}, {@code #team}, {@code !42}). */
    private static boolean sameGroup(Conversation c, String group) {
        Conversation typed;
        try {
            typed = Conversation.group(group);
        } catch (RuntimeException e) {
            return false; // not a group's name at all (the server said so already)
        }
        if (c.isLobby() || typed.isLobby()) {
            return c.isLobby() && typed.isLobby();
        }
        if (c instanceof Conversation.GroupId a && typed instanceof Conversation.GroupId b) {
            return a.id() == b.id();
        }
        return c instanceof Conversation.GroupName a && typed instanceof Conversation.GroupName b
                && Names.key(a.name()).equals(Names.key(b.name()));
    }
}
