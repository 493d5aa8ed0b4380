package chat.client.term;

import chat.client.Connection;
import chat.client.History;
import chat.client.Messages;
import chat.common.proto.Line;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * What the account shell prints on its own: events from the {@link Connection} (messages,
 * presence, friend requests, the connection coming and going), and the formats of the lines that
 * commands print too (friends, messages). Called on the connection's thread; {@link Console#print}
 * puts the lines above the prompt.
 *
 * <p>Formats a script may rely on, the same in every language:
 * <pre>
 *   [alice] hello                             an incoming message
 *   [#team alice] hello                       an incoming message in a group (#lobby: the lobby)
 *   2024-05-01 12:00 [alice] hello            a /history line (local time); " (not sent yet)" may follow
 *   2024-05-01 12:00 [#team alice] hello      a /history #team line
 *   2024-05-01 12:00 [alice -> bob] hello     a /search line (to #team for a group's)
 * </pre>
 *
 * <p>Group events (someone joined, left or was removed, a rename, a disband, a join request) print
 * one line each; those about me are worded for me ("You are now a member of #team."). The shell
 * relies on them to confirm what the server announces to the group, as /accept relies on
 * FRIEND_ADDED.
 */
final class Notices implements Connection.Listener {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final Console console;
    private final Messages messages;
    private final String host;
    private final int port;
    /** The account logged in, to tell group events about me from the others'. */
    private volatile String me;
    /** Told of every group event (the shell leaves a chat the event ends, follows a rename). */
    private volatile java.util.function.Consumer<Line> groupEvents = line -> {};

    Notices(Console console, Messages messages, String host, int port) {
        this.console = console;
        this.messages = messages;
        this.host = host;
        this.port = port;
    }

    @Override
    public void connected() {
        console.print(messages.get("account.connected", host, Integer.toString(port)));
    }

    @Override
    public void disconnected(String reason) {
        console.print(messages.get("account.disconnected", printable(reason)));
    }

    @Override
    public void loggedIn(String account, boolean again) {
        me = account;
        console.print(messages.get(again ? "account.loggedInAgain" : "account.loggedIn", account));
    }

    @Override
    public void loginLost(Connection.Reply why) {
        console.print(messages.get("account.loginLost", printable(why.message())));
    }

    @Override
    public void message(History.Entry m) {
        console.print(incoming(m));
    }

    @Override
    public void sendFailed(History.Entry m, Connection.Reply why) {
        console.print(messages.get("account.refused", m.to(), printable(why.message())));
    }

    @Override
    public void push(Line line, List<Line> items) {
        String name = line.size() > 1 ? printable(line.field(1)) : "";
        switch (line.command()) {
            case "FRIENDS" -> friends(items).forEach(console::print);
            case "PRESENCE" -> console.print(messages.get(
                    line.size() > 2 && line.field(2).equals("1") ? "notice.online" : "notice.offline", name));
            case "REQUEST" -> console.print(messages.get("account.request", name));
            case "FRIEND_ADDED" -> console.print(messages.get("account.friendAdded", name));
            case "FRIEND_REMOVED" -> console.print(messages.get("account.friendRemoved", name));
            case "GROUP_JOINED", "GROUP_LEFT", "GROUP_RENAMED", "GROUP_DELETED", "JOIN_REQUEST" -> {
                String text = group(line);
                if (text == null) {
                    return;
                }
                // a rename applies before it shows, so that a line typed after seeing it goes to
                // the new name; an ending shows before the shell says the chat ended
                boolean rename = line.command().equals("GROUP_RENAMED");
                if (rename) {
                    groupEvents.accept(line);
                }
                console.print(text);
                if (!rename) {
                    groupEvents.accept(line);
                }
            }
            case "BYE" -> {
                if (line.size() < 2) {
                    return; // the answer to our own QUIT
                }
                String why = line.size() > 2 ? printable(line.field(2)) : name;
                console.print(messages.get(name.equals("replaced") ? "account.replaced" : "account.bye", why));
            }
            default -> {
                // SYNCED, and whatever a newer server pushes: nothing to show
            }
        }
    }

    /** A friend list, as the login push and /friends give it ({@code FRIEND:name:alias:online}). */
    List<String> friends(List<Line> items) {
        if (items.isEmpty()) {
            return List.of(messages.get("account.friends.none"));
        }
        var out = new java.util.ArrayList<String>(items.size() + 1);
        out.add(messages.get("account.friends", Integer.toString(items.size())));
        for (Line f : items) {
            String name = printable(f.field(1));
            String alias = f.size() > 2 ? printable(f.field(2)) : "";
            String shown = alias.isEmpty() ? name : messages.get("account.friend.alias", name, alias);
            boolean online = f.size() > 3 && f.field(3).equals("1");
            out.add(messages.get(online ? "account.friend.online" : "account.friend.offline", shown));
        }
        return out;
    }

    /** Called on the connection's thread for each group event: a rename before it is printed, others after. */
    void onGroupEvent(java.util.function.Consumer<Line> then) {
        groupEvents = then;
    }

    /** The line for a group event, or {@code null} for a malformed one. */
    String group(Line line) {
        String g = line.size() > 1 ? printable(line.field(1)) : "";
        String who = line.size() > 2 ? line.field(2) : "";
        String name = printable(who);
        return switch (line.command()) {
            case "GROUP_JOINED" -> line.size() < 3 ? null
                    : isMe(who) ? messages.get("group.joined.me", g) : messages.get("group.joined", g, name);
            case "GROUP_LEFT" -> {
                if (line.size() < 3) {
                    yield null;
                }
                boolean kicked = line.size() > 3 && line.field(3).equals("kicked");
                String key = "group." + (kicked ? "kicked" : "left") + (isMe(who) ? ".me" : "");
                yield messages.get(key, g, name);
            }
            case "GROUP_RENAMED" -> line.size() < 3 ? null : messages.get("group.renamed", g, name);
            case "GROUP_DELETED" -> line.size() < 2 ? null : messages.get("group.deleted", g);
            case "JOIN_REQUEST" -> line.size() < 3 ? null : messages.get("group.request", g, name);
            default -> null;
        };
    }

    /** Whether {@code name} is the account logged in. */
    boolean isMe(String name) {
        String account = me;
        return account != null && chat.common.text.Names.key(account).equals(chat.common.text.Names.key(name));
    }

    /** {@code [alice] hello}, or {@code [#team alice] hello} in a group. */
    static String incoming(History.Entry m) {
        String where = History.isGroup(m.to()) ? printable(m.to()) + " " : "";
        return "[" + where + printable(m.from()) + "] " + printable(m.text());
    }

    /** {@code 2024-05-01 12:00 [alice] hello}, with the state of a message of mine not on the server. */
    String historyLine(History.Entry m) {
        return time(m.time()) + " " + incoming(m) + state(m);
    }

    /** {@code 2024-05-01 12:00 [alice -> bob] hello}. */
    String searchLine(History.Entry m) {
        return time(m.time()) + " [" + printable(m.from()) + " -> " + printable(m.to()) + "] " + printable(m.text()) + state(m);
    }

    private String state(History.Entry m) {
        return switch (m.state()) {
            case PENDING -> messages.get("account.state.pending");
            case FAILED -> messages.get("account.state.failed");
            default -> "";
        };
    }

    private static String time(long millis) {
        return TIME.format(Instant.ofEpochMilli(millis).atZone(ZoneId.systemDefault()));
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
