package chat.client.term;

import chat.client.ChatEvent;
import chat.client.HistoryEntry;
import chat.client.ServerAddress;
import chat.client.Texts;
import chat.common.proto.Item;
import chat.common.text.Names;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * What the account shell prints on its own: the library's {@link ChatEvent}s (messages, presence,
 * friend and group changes, the connection coming and going), and the formats of the lines that
 * commands print too (friends, messages). Called on the client's event thread; {@link
 * Console#print} puts the lines above the prompt.
 *
 * <p>Formats a script may rely on, the same in every language. Every message starts with its time
 * in the local zone: as it arrives, {@code HH:mm} when it is from today and {@code yyyy-MM-dd
 * HH:mm} when not; in /history and /search always with the date (a record, and told apart from
 * what arrives meanwhile):
 * <pre>
 *   12:00 [alice] hello                       an incoming message
 *   12:00 [#team alice] hello                 an incoming message in a group (#lobby: the lobby)
 *   12:00 [alice -> bob] hello                a message I sent from another device
 *   2024-04-30 23:59 [alice] hello            one that arrives now, written on another day
 *   2024-05-01 12:00 [alice] hello            a /history line; " (not sent yet)" may follow
 *   2024-05-01 12:00 [#team alice] hello      a /history #team line
 *   2024-05-01 12:00 [alice -> bob] hello     a /search line (to #team for a group's)
 *   [alice] report.pdf (1.2 MB, /get 12)      a file offer (see FileCommands), in every line above
 * </pre>
 *
 * <p>The messages that waited for this device while it was away (the catch-up after a login) are
 * held until the library says the catch-up is done, then printed under a header that counts
 * them ({@code — while you were away (2) —}), so that they are not taken for live ones.
 *
 * <p>Group events (someone joined, left or was removed, a rename, a disband, a join request) print
 * one line each; those about me are worded for me ("You are now a member of #team.").
 */
final class Notices implements Consumer<ChatEvent> {

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

    private final Console console;
    private final Texts messages;
    /** The servers given: one, or a cluster's nodes. */
    private final List<ServerAddress> servers;
    /** The server the connection is on (told by the library before ONLINE), and the one last online (event thread only). */
    private ServerAddress on;
    private ServerAddress lastOnline;
    /** Today, and the zone times show in: the system's, or a test's. */
    private final Clock clock;
    /** My names for my friends, shown before theirs. */
    final Aliases aliases;
    /** Whether each friend was last told online (by name key): a reconnect's PRESENCE tells only changes. */
    private final Map<String, Boolean> presence = new ConcurrentHashMap<>();
    /** The catch-up's lines, held until it is done (event thread only). */
    private final List<String> caughtUp = new ArrayList<>();
    /** The account logged in, to tell events about me from the others'. */
    private volatile String me;
    /** After a login timeout, the reconnect that follows is not worth a line. */
    private boolean loginTimedOut;
    /** The changed certificate last warned about: the warning is loud, and said once per change. */
    private String changedShown;
    /** Whether the connection was ever online: until it is, a failure is "cannot reach", not "lost". */
    private volatile boolean everOnline;
    /** Told of every group event: a rename before it is printed, others after. */
    private volatile Consumer<ChatEvent> groupEvents = e -> {};
    /** Told of every file event (offers, their states, direct offers). */
    private volatile Consumer<ChatEvent> fileEvents = e -> {};
    /**
     * Asked of every message as it arrives (and whether it is part of the catch-up) whether to
     * print it: {@link WindowCommands} keeps a message for a window that is not shown off a
     * terminal's screen.
     */
    private volatile BiPredicate<HistoryEntry, Boolean> shown = (e, caughtUp) -> true;
    /** Told after each login, once its line is printed. */
    private volatile Consumer<ChatEvent.LoggedIn> logins = e -> {};

    Notices(Console console, Texts messages, List<ServerAddress> servers, Clock clock) {
        this.console = console;
        this.messages = messages;
        this.servers = List.copyOf(servers);
        this.on = servers.get(0);
        this.clock = clock;
        this.aliases = new Aliases(messages);
    }

    /** The account last logged in (set before its "Logged in" line shows), or null. */
    String loggedInAs() {
        return me;
    }

    boolean everOnline() {
        return everOnline;
    }

    void onGroupEvent(Consumer<ChatEvent> then) {
        groupEvents = then;
    }

    void onFileEvent(Consumer<ChatEvent> then) {
        fileEvents = then;
    }

    void onMessage(BiPredicate<HistoryEntry, Boolean> show) {
        shown = show;
    }

    void onLogin(Consumer<ChatEvent.LoggedIn> then) {
        logins = then;
    }

    @Override
    public void accept(ChatEvent event) {
        if (event instanceof ChatEvent.MessageReceived m) {
            if (shown.test(m.entry(), m.caughtUp())) {
                message(time(m.entry().time()) + " " + incoming(m.entry()), m.caughtUp());
            }
        } else if (event instanceof ChatEvent.OwnMessage m) {
            if (shown.test(m.entry(), m.caughtUp())) {
                message(time(m.entry().time()) + " " + own(m.entry()), m.caughtUp());
            }
        } else if (event instanceof ChatEvent.Delivered d) {
            if (d.newest() != null && isMe(d.newest().from())) {
                console.print(mine(d.newest())); // the newest it covers, now with its two marks
            }
        } else if (event instanceof ChatEvent.Synced) {
            showCaughtUp();
        } else if (event instanceof ChatEvent.MessageStateChanged c) {
            if (c.resent() && c.entry().state() == HistoryEntry.DeliveryState.SENT) {
                console.print(mine(c.entry())); // typed while offline: on the server now
            } else if (c.resent() && c.refusal() != null) { // a send()'s own refusal is said by the shell
                say("account.refused", printable(c.entry().to()),
                        Refusals.explain(messages, "msg", new String[] {c.entry().to()}, c.refusal()));
            }
        } else if (event instanceof ChatEvent.FileOffered || event instanceof ChatEvent.FileStateChanged
                || event instanceof ChatEvent.PeerFileOffered) {
            fileEvents.accept(event);
        } else if (event instanceof ChatEvent.Presence p) {
            // after a reconnect the server tells every friend online again: only a change is news
            if (!Boolean.valueOf(p.online()).equals(presence.put(Names.key(p.friend()), p.online()))) {
                say(p.online() ? "notice.online" : "notice.offline", aliases.shown(p.friend()));
            }
        } else if (event instanceof ChatEvent.FriendRequested r) {
            if (isMe(r.from())) {
                say("account.requested", printable(r.to()));
            } else {
                say("account.request", printable(r.from()));
            }
        } else if (event instanceof ChatEvent.FriendAdded a) {
            say("account.friendAdded", printable(a.friend()));
        } else if (event instanceof ChatEvent.FriendRemoved r) {
            say("account.friendRemoved", aliases.shown(r.friend()));
            aliases.set(r.friend(), ""); // a friend again later starts without it (the server drops it too)
        } else if (event instanceof ChatEvent.FriendDeclined d) {
            say("account.friendDeclined", printable(d.by()));
        } else if (event instanceof ChatEvent.GroupRenamed) {
            groupEvents.accept(event); // applies before it shows: a line typed after seeing it goes to the new name
            console.print(group(event));
        } else if (event instanceof ChatEvent.GroupJoined || event instanceof ChatEvent.GroupLeft
                || event instanceof ChatEvent.GroupDeleted || event instanceof ChatEvent.GroupJoinRequested
                || event instanceof ChatEvent.GroupRejected || event instanceof ChatEvent.GroupInvited
                || event instanceof ChatEvent.GroupInviteDeclined) {
            console.print(group(event));
            groupEvents.accept(event); // an ending shows before the shell says the chat ended
        } else if (event instanceof ChatEvent.CertificateChanged c) {
            if (!c.presented().equals(changedShown)) { // loud, but once: every reconnect attempt tells it
                changedShown = c.presented();
                say("tls.changed", c.server(), c.known(), c.presented(), c.file().toString());
            }
        } else if (event instanceof ChatEvent.ServerChanged s) {
            on = s.server();
        } else if (event instanceof ChatEvent.ConnectionChanged c) {
            boolean quiet = loginTimedOut;
            switch (c.state()) {
                case ONLINE -> {
                    loginTimedOut = false;
                    everOnline = true;
                    boolean moved = lastOnline != null && !lastOnline.equals(on);
                    if (moved) { // said even after a login timeout: where the session is is news
                        say("account.moved", on.host(), Integer.toString(on.port()), lastOnline.toString());
                    } else if (!quiet) {
                        say("account.connected", on.host(), Integer.toString(on.port()));
                    }
                    lastOnline = on;
                }
                case RECONNECTING -> {
                    showCaughtUp(); // the catch-up broke off: what came of it shows all the same
                    if (!everOnline && servers.size() == 1) {
                        say("account.unreachable", on.host(), Integer.toString(on.port()), printable(c.reason()));
                    } else if (!everOnline) {
                        say("account.unreachableList", ServerAddress.format(servers), printable(c.reason()));
                    } else if (!quiet) {
                        say("account.disconnected", printable(c.reason()));
                    }
                }
                default -> {
                    // CONNECTING is said by the shell when it starts; OFFLINE when it ends
                }
            }
        } else if (event instanceof ChatEvent.LoggedIn l) {
            if (!l.automatic()) {
                presence.clear(); // another login, perhaps another account: everything is news
            }
            me = l.account();
            say(l.automatic() ? "account.loggedInAgain" : "account.loggedIn", l.account());
            logins.accept(l);
        } else if (event instanceof ChatEvent.LoggedOut o) {
            say("account.loginLost", printable(o.message()));
        } else if (event instanceof ChatEvent.Bye b && b.reason().equals("login-timeout")) {
            // nobody logged in for a minute: the server closes, the client connects again; nothing to say
            loginTimedOut = true;
        } else if (event instanceof ChatEvent.Bye b) {
            String why = printable(b.message().isEmpty() ? b.reason() : b.message());
            boolean over = b.reason().equals("replaced") || b.reason().equals("password-changed")
                    || b.reason().equals("logged-out") || b.reason().equals("banned") || b.reason().equals("disconnected");
            say(over ? "account.replaced" : "account.bye", why);
        }
        // Synced, ReadMark: nothing to show
    }

    /** A message's line: now, or with the catch-up when it is part of it. */
    private void message(String line, boolean caughtUp) {
        if (caughtUp) {
            this.caughtUp.add(line);
        } else {
            console.print(line);
        }
    }

    /** The catch-up's messages under their header. */
    private void showCaughtUp() {
        if (caughtUp.isEmpty()) {
            return;
        }
        say("account.caughtUp", Integer.toString(caughtUp.size()));
        caughtUp.forEach(console::print);
        caughtUp.clear();
    }

    /** A friend list ({@code FRIEND} items). */
    List<String> friends(List<Item.Friend> items) {
        if (items.isEmpty()) {
            return List.of(messages.get("account.friends.none"));
        }
        var out = new ArrayList<String>(items.size() + 1);
        out.add(messages.get("account.friends", Integer.toString(items.size())));
        aliases.friends(items);
        for (Item.Friend f : items) {
            presence.put(Names.key(f.name()), f.online());
            out.add(messages.get(f.online() ? "account.friend.online" : "account.friend.offline", name(f.name())));
        }
        return out;
    }

    /** The line for a group event. */
    String group(ChatEvent event) {
        if (event instanceof ChatEvent.GroupJoined j) {
            if (isMe(j.who()) && !j.by().isEmpty() && !isMe(j.by())) { // invited, or let in: by whom
                return messages.get("group.joined.me.by", printable(j.group()), name(j.by()));
            }
            return isMe(j.who()) ? messages.get("group.joined.me", printable(j.group()))
                    : messages.get("group.joined", printable(j.group()), name(j.who()));
        }
        if (event instanceof ChatEvent.GroupLeft l) {
            String key = "group." + (l.kicked() ? "kicked" : "left") + (isMe(l.who()) ? ".me" : "");
            return messages.get(key, printable(l.group()), aliases.shown(l.who()));
        }
        if (event instanceof ChatEvent.GroupRenamed r) {
            return messages.get("group.renamed", printable(r.oldName()), printable(r.newName()));
        }
        if (event instanceof ChatEvent.GroupDeleted d) {
            return messages.get("group.deleted", printable(d.group()));
        }
        if (event instanceof ChatEvent.GroupJoinRequested q) {
            return messages.get("group.request", printable(q.group()), printable(q.who()));
        }
        if (event instanceof ChatEvent.GroupRejected r) {
            return isMe(r.by()) ? messages.get("group.rejected.me", printable(r.group()), printable(r.who()))
                    : messages.get("group.rejected", printable(r.group()), aliases.shown(r.by()));
        }
        if (event instanceof ChatEvent.GroupInvited i) {
            return isMe(i.by()) ? messages.get("group.invited", printable(i.group()), aliases.shown(i.who()))
                    : messages.get("group.invited.me", printable(i.group()), aliases.shown(i.by()));
        }
        if (event instanceof ChatEvent.GroupInviteDeclined d) {
            return isMe(d.who()) ? messages.get("group.invite.declined.me", printable(d.group()))
                    : messages.get("group.invite.declined", printable(d.group()), aliases.shown(d.who()));
        }
        throw new IllegalArgumentException("not a group event: " + event);
    }

    /** Whether {@code name} is the account logged in. */
    boolean isMe(String name) {
        String account = me;
        return account != null && Names.key(account).equals(Names.key(name));
    }

    /** {@code [alice] hello}, or {@code [#team alice] hello} in a group. */
    String incoming(HistoryEntry m) {
        String where = m.isGroup() ? printable(m.to()) + " " : "";
        return "[" + where + name(m.from()) + "] " + text(m);
    }

    /** A message's text, or a file offer's name with its size and how to get it. */
    private static String text(HistoryEntry m) {
        return m.isFile() ? printable(m.text()) + FileCommands.suffix(m.file()) : printable(m.text());
    }

    /** A person's name as shown: printable, after my alias for them if any ({@code Bobby (bob)}), in its colour on a terminal. */
    String name(String name) {
        return console.colours().name(name, aliases.shown(name));
    }

    /** A message of mine from another device: {@code [alice -> bob] hello}, in a group as any group message. */
    String own(HistoryEntry m) {
        return m.isGroup() ? incoming(m) : "[" + name(m.from()) + " -> " + name(m.to()) + "] " + text(m);
    }

    /**
     * A message of mine from this device with where it stands: {@code 12:00 [alice -> bob] hi ✓}
     * ({@code …} waiting to be sent, {@code ✓} stored on the server, {@code ✓✓} delivered to a
     * device of bob's; {@code ... v vv} on a terminal that is not UTF-8).
     */
    String mine(HistoryEntry m) {
        return time(m.time()) + " " + own(m) + " " + mark(m.state());
    }

    private String mark(HistoryEntry.DeliveryState state) {
        boolean unicode = console.unicode();
        return switch (state) {
            case PENDING -> unicode ? "\u2026" : "...";
            case SENT -> unicode ? "\u2713" : "v";
            case DELIVERED -> unicode ? "\u2713\u2713" : "vv";
            case FAILED -> messages.get("account.state.failed").strip();
            case RECEIVED -> "";
        };
    }

    /** A message as a window shows it again: as it was shown when it arrived (mine with its mark). */
    String windowLine(HistoryEntry m) {
        return isMe(m.from()) ? mine(m) : time(m.time()) + " " + incoming(m);
    }

    /** {@code 2024-05-01 12:00 [alice] hello}, with the state of a message of mine not on the server. */
    String historyLine(HistoryEntry m) {
        return dateTime(m.time()) + " " + incoming(m) + state(m);
    }

    /** {@code 2024-05-01 12:00 [alice -> bob] hello}. */
    String searchLine(HistoryEntry m) {
        return dateTime(m.time()) + " [" + name(m.from()) + " -> " + name(m.to()) + "] " + text(m)
                + state(m);
    }

    private String state(HistoryEntry m) {
        return switch (m.state()) {
            case PENDING -> messages.get("account.state.pending");
            case FAILED -> messages.get("account.state.failed");
            default -> "";
        };
    }

    private String dateTime(long millis) {
        return DATE_TIME.format(Instant.ofEpochMilli(millis).atZone(clock.getZone()));
    }

    /** {@code HH:mm} for a time today, {@code yyyy-MM-dd HH:mm} for another day, in the clock's zone. */
    String time(long millis) {
        ZonedDateTime at = Instant.ofEpochMilli(millis).atZone(clock.getZone());
        boolean today = at.toLocalDate().equals(LocalDate.now(clock));
        return (today ? TIME : DATE_TIME).format(at);
    }

    /** A notice of mine: in yellow on a terminal, a refusal in red. */
    private void say(String key, Object... args) {
        String line = messages.get(key, args);
        Colours c = console.colours();
        console.print(key.contains("error") || key.contains("refused") ? c.error(line) : c.notice(line));
    }

    /**
     * {@code s} safe for a terminal: a line break in a message continues on an indented line, and
     * other control characters (bar tab) become U+FFFD, so that nobody can move the cursor or clear
     * the screen of the people they write to.
     */
    static String printable(String s) {
        if (s.codePoints().noneMatch(cp -> Character.isISOControl(cp) && cp != '\t')) {
            return s;
        }
        var b = new StringBuilder(s.length() + 8);
        s.codePoints().forEach(cp -> {
            if (cp == '\n') {
                b.append("\n    ");
            } else if (Character.isISOControl(cp) && cp != '\t') {
                b.append('\uFFFD');
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.toString();
    }
}
