package chat.client.term;

import chat.client.Connection;
import chat.client.Connection.Reply;
import chat.client.History;
import chat.client.Messages;
import chat.common.proto.ErrorCode;
import chat.common.proto.Line;
import chat.common.proto.Request;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code chat-client HOST PORT}: an account session. Reads commands ({@code /login alice},
 * {@code /msg bob hi}, ... see {@code account.help} in the messages) and runs them one at a time,
 * each waiting for its reply, so that a script's lines happen in order; what the server pushes
 * meanwhile is printed by {@link Notices}. The {@link Connection} underneath reconnects and logs in
 * again by itself; the local {@link History} answers /history even when the server cannot.
 *
 * <p>A command that needs the server waits up to {@link #READY_WAIT} for the connection and up to
 * {@link #REPLY_WAIT} for the reply, then says why it gave up. Success is mostly silent (a sent
 * message prints nothing); failures print the server's message. Group changes the server
 * announces to the group's members, me included (a join to an open group, leave, invite, kick,
 * approve, rename, disband), print nothing here: the announcement, printed by {@link Notices},
 * confirms them, as FRIEND_ADDED confirms /accept.
 *
 * <p>Conversations are a friend's name or {@code #group}; {@code #lobby} is the article's room,
 * shared with its legacy clients, live only: no history, no unread count, nothing waits.
 *
 * <p>What counts as reading a conversation (a {@code READ}, which clears its unread count on the
 * server): opening it with {@code /chat}, showing it with {@code /history} while logged in, and
 * leaving its chat mode (by {@code /chat} alone or with another, {@code /logout} or quitting),
 * since what arrived meanwhile was on the screen. Messages printed outside chat mode, {@code
 * /search} and {@code /unread} do not count; nor does /history offline (nothing reaches the server).
 */
final class AccountShell {

    /** How long a command waits for a connection that is down; a script's first command needs it. */
    static final Duration READY_WAIT = Duration.ofSeconds(5);
    /** How long a command waits for its reply. */
    static final Duration REPLY_WAIT = Duration.ofSeconds(30);
    static final int DEFAULT_HISTORY = 20;
    static final int MAX_HISTORY = 10_000;
    static final int SEARCH_LIMIT = 50;

    private final String host;
    private final int port;
    private final Console console;
    private final Messages messages;
    private final Notices notices;
    private final Connection connection;
    /**
     * The friend or {@code #group} that plain lines go to; {@code null} outside chat mode. Written
     * by the connection's thread too, when a group event ends or renames the chat.
     */
    private volatile String chatting;

    AccountShell(String host, int port, Path dataDir, Connection.Options options, Console console, Messages messages) {
        this.host = host;
        this.port = port;
        this.console = console;
        this.messages = messages;
        this.notices = new Notices(console, messages, host, port);
        this.connection = new Connection(host, port, options, History.under(dataDir, host + "_" + port), notices);
        notices.onGroupEvent(this::groupEvent);
    }

    /** Runs the session until /quit or the end of the input. */
    Client.Exit run() {
        console.print(messages.get("account.connecting", host, Integer.toString(port)));
        connection.start();
        try {
            String line;
            while ((line = console.readLine(prompt())) != null) {
                if (!step(line)) {
                    break;
                }
            }
            String left = chatting;
            chatting = null;
            markRead(left);
        } finally {
            connection.close();
            console.close();
        }
        return Client.Exit.OK;
    }

    private String prompt() {
        String me = connection.account();
        String who = me == null ? "" : me;
        return (chatting == null ? who : who + " -> " + chatting) + "> ";
    }

    /** Runs one input line; {@code false} to leave. */
    boolean step(String line) {
        if (line.isBlank()) {
            return true;
        }
        if (!line.startsWith("/") || line.startsWith("//")) {
            if (chatting == null) {
                say("account.error.notChatting");
            } else {
                send(chatting, line.startsWith("//") ? line.substring(1) : line);
            }
            return true;
        }
        String[] parts = line.strip().substring(1).split("\\s+", 2);
        String command = parts[0];
        String rest = parts.length > 1 ? parts[1].strip() : "";
        switch (command) {
            case "quit", "exit" -> {
                return false;
            }
            case "help" -> say("account.help");
            case "register" -> withName(rest, "/register USER", this::register);
            case "login" -> withName(rest, "/login USER", this::login);
            case "logout" -> logout();
            case "friends" -> friends();
            case "find" -> withText(rest, "/find TEXT", this::find);
            case "add" -> withName(rest, "/add USER", name -> simple(new Request.Add(name), r ->
                    r.field(2).equals("friends") ? null : messages.get("account.requested", name)));
            case "accept" -> withName(rest, "/accept USER", name -> simple(new Request.Accept(name), r -> null));
            case "decline" -> withName(rest, "/decline USER", name ->
                    simple(new Request.Decline(name), r -> messages.get("account.declined", name)));
            case "del" -> withName(rest, "/del USER", name ->
                    simple(new Request.Del(name), r -> messages.get("account.deleted", name)));
            case "alias" -> alias(rest);
            case "msg" -> {
                String[] to = rest.split("\\s+", 2);
                if (to.length < 2 || to[0].isEmpty() || to[0].equals("#") || to[1].isBlank()) {
                    say("account.error.usage", "/msg USER|#GROUP TEXT");
                } else {
                    send(to[0], to[1]);
                }
            }
            case "chat" -> chat(rest);
            case "history" -> history(rest);
            case "search" -> withText(rest, "/search TEXT", this::search);
            case "unread" -> unread();
            case "groups" -> groups();
            case "create" -> create(rest);
            case "join" -> withName(rest, "/join GROUP", this::join);
            case "leave" -> withName(rest, "/leave GROUP", this::leave);
            case "invite" -> withTwo(rest, "/invite GROUP USER", (g, u) -> simple(new Request.Invite(bare(g), u), r -> null));
            case "kick" -> withTwo(rest, "/kick GROUP USER", (g, u) -> simple(new Request.Kick(bare(g), u), r -> null));
            case "approve" -> withTwo(rest, "/approve GROUP USER", (g, u) -> simple(new Request.Approve(bare(g), u), r -> null));
            case "rename" -> withTwo(rest, "/rename GROUP NEW", this::rename);
            case "disband" -> withName(rest, "/disband GROUP", g -> simple(new Request.Disband(bare(g)), r -> null));
            case "members" -> withName(rest, "/members GROUP", this::members);
            case "requests" -> withName(rest, "/requests GROUP", this::requests);
            default -> say("account.error.unknownCommand", "/" + command);
        }
        return true;
    }

    // ---------------------------------------------------------------- commands

    private void register(String name) {
        String password = password();
        if (password == null) {
            return;
        }
        Reply r = call(new Request.Register(name, password));
        if (r != null && r.ok()) {
            say("account.registered", r.field(2).isEmpty() ? name : r.field(2));
        }
    }

    private void login(String name) {
        String password = password();
        if (password == null) {
            return;
        }
        if (!awaitReady()) {
            CompletableFuture<Reply> later = connection.login(name, password);
            say("account.waitingLogin", name);
            later.whenComplete((r, failed) -> {
                if (r != null && !r.ok()) {
                    say("account.error.server", Notices.printable(r.message()));
                }
            });
            return;
        }
        // "Logged in as ..." comes from Notices, before the friend list the server pushes
        Reply r = await(connection.login(name, password));
        failed(r);
    }

    private void logout() {
        String left = chatting;
        chatting = null;
        markRead(left);
        Reply r = await(connection.logout());
        if (r != null && r.ok()) {
            say("account.loggedOut");
        } else {
            failed(r);
        }
    }

    private void friends() {
        Reply r = call(new Request.Friends());
        if (r != null && r.ok()) {
            notices.friends(r.items()).forEach(console::print);
        }
    }

    private void find(String text) {
        Reply r = call(new Request.Find(text));
        if (r == null || !r.ok()) {
            return;
        }
        if (r.items().isEmpty()) {
            say("account.found.none", Notices.printable(text));
            return;
        }
        say("account.found", Integer.toString(r.items().size()));
        for (Line u : r.items()) {
            boolean friend = u.size() > 2 && u.field(2).equals("1");
            say(friend ? "account.found.friend" : "account.found.user", Notices.printable(u.field(1)));
        }
    }

    private void alias(String rest) {
        String[] parts = rest.split("\\s+", 2);
        if (parts[0].isEmpty()) {
            say("account.error.usage", "/alias USER [NAME]");
            return;
        }
        String name = parts[0];
        String alias = parts.length > 1 ? parts[1].strip() : "";
        simple(new Request.Alias(name, alias), r -> alias.isEmpty()
                ? messages.get("account.aliasCleared", name)
                : messages.get("account.aliasSet", name, Notices.printable(alias)));
    }

    /** Sends {@code text} to {@code to}: silent when the server has it. */
    private void send(String to, String text) {
        CompletableFuture<History.Entry> sent;
        try {
            sent = connection.sendMessage(to, text);
        } catch (IllegalStateException e) {
            say("account.error.notLoggedIn");
            return;
        } catch (History.HistoryException e) {
            say("account.error.history", e.getMessage());
            return;
        }
        try {
            sent.get(REPLY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Connection.RefusedException refused) {
                say("account.refused", Notices.printable(to), Notices.printable(refused.getMessage()));
            } else {
                say(Connection.isLobby(to) ? "group.lobby.notSent" : "account.queued", Notices.printable(to));
            }
        } catch (TimeoutException e) {
            say(Connection.isLobby(to) ? "group.lobby.notSent" : "account.queued", Notices.printable(to));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void chat(String rest) {
        if (rest.contains(" ") || rest.equals("#")) {
            say("account.error.usage", "/chat [USER|#GROUP]");
            return;
        }
        String left = chatting;
        if (left != null) {
            chatting = null;
            say("account.chatEnd", Notices.printable(left));
            markRead(left);
        }
        if (rest.isEmpty()) {
            return;
        }
        Reply r = markRead(rest);
        if (r != null && !r.ok() && (r.code() == ErrorCode.NO_SUCH_USER || r.code() == ErrorCode.NO_SUCH_GROUP)) {
            failed(r);
            return;
        }
        chatting = rest;
        say("account.chatStart", Notices.printable(rest));
    }

    /**
     * Tells the server that {@code conversation} was read, when logged in and it has an unread
     * count (the lobby has none); the reply, or {@code null} when none was asked for or came.
     */
    private Reply markRead(String conversation) {
        if (conversation == null || Connection.isLobby(conversation) || !connection.isLoggedIn()) {
            return null;
        }
        return await(connection.request(new Request.Read(conversation)), false);
    }

    /** On the connection's thread: a group event that ends my chat in that group, or renames it. */
    private void groupEvent(Line line) {
        String c = chatting;
        if (c == null || !History.isGroup(c) || line.size() < 2 || !sameName(c.substring(1), line.field(1))) {
            return;
        }
        boolean over = switch (line.command()) {
            case "GROUP_RENAMED" -> {
                if (line.size() > 2) {
                    chatting = "#" + line.field(2);
                }
                yield false;
            }
            case "GROUP_DELETED" -> true;
            case "GROUP_LEFT" -> line.size() > 2 && notices.isMe(line.field(2));
            default -> false;
        };
        if (over) {
            chatting = null;
            say("account.chatEnd", Notices.printable(c));
        }
    }

    private static boolean sameName(String a, String b) {
        return chat.common.text.Names.key(a).equals(chat.common.text.Names.key(b));
    }

    /**
     * {@code /history USER [N]} or {@code /history #GROUP [N]}: from the local history; when
     * logged in, the server's newest N (up to a page) are merged in first, so that messages from
     * another device, or said in a group before this client knew it, show too. A group I am no
     * longer in (or that is gone) shows what the local history kept, after the server's error.
     */
    private void history(String rest) {
        String[] parts = rest.split("\\s+");
        if (parts[0].isEmpty() || parts[0].equals("#") || parts.length > 2) {
            say("account.error.usage", "/history USER|#GROUP [N]");
            return;
        }
        String peer = parts[0];
        if (Connection.isLobby(peer)) {
            say("group.lobby.noHistory");
            return;
        }
        int n = DEFAULT_HISTORY;
        if (parts.length == 2) {
            n = number(parts[1], MAX_HISTORY);
            if (n < 0) {
                return;
            }
        }
        History history = connection.history();
        if (history == null) {
            say("account.error.notLoggedIn");
            return;
        }
        boolean refused = false;
        boolean read = false;
        if (connection.isLoggedIn()) {
            Reply r = await(connection.request(new Request.History(peer, 0, Math.min(n, Request.MAX_PAGE))), false);
            if (r != null && !r.ok() && r.code() == ErrorCode.NO_SUCH_USER) {
                failed(r);
                return;
            }
            if (r != null && !r.ok() && (r.code() == ErrorCode.NO_SUCH_GROUP || r.code() == ErrorCode.NOT_MEMBER)) {
                failed(r);
                refused = true;
            }
            if (r != null && r.ok()) {
                store(history, r.items());
                read = true;
            }
        }
        try {
            List<History.Entry> entries = history.conversation(peer, n);
            if (entries.isEmpty() && !refused) {
                say("account.history.none", Notices.printable(peer));
            }
            entries.forEach(e -> console.print(notices.historyLine(e)));
        } catch (History.HistoryException e) {
            say("account.error.history", e.getMessage());
        }
        if (read) {
            markRead(peer);
        }
    }

    // ---------------------------------------------------------------- groups and unread counts

    /** {@code /unread}: {@code UNREAD_COUNT:conversation:count} lines, one per conversation. */
    private void unread() {
        Reply r = call(new Request.Unread());
        if (r == null || !r.ok()) {
            return;
        }
        if (r.items().isEmpty()) {
            say("unread.none");
            return;
        }
        say("unread", Integer.toString(r.items().size()));
        for (Line u : r.items()) {
            say("unread.item", Notices.printable(u.field(1)), u.size() > 2 ? u.field(2) : "?");
        }
    }

    /** {@code /groups}: {@code GROUP_INFO:name:owner:open-or-closed:members}, the lobby first. */
    private void groups() {
        Reply r = call(new Request.Groups());
        if (r == null || !r.ok()) {
            return;
        }
        if (r.items().isEmpty()) {
            say("group.list.none");
            return;
        }
        say("group.list", Integer.toString(r.items().size()));
        for (Line g : r.items()) {
            String name = Notices.printable(g.field(1));
            String members = g.size() > 4 ? g.field(4) : "?";
            if (Connection.isLobby("#" + g.field(1))) {
                say("group.list.lobby", members);
            } else {
                String kind = messages.get(g.size() > 3 && g.field(3).equals("closed") ? "group.closed" : "group.open");
                say("group.list.item", name, kind, Notices.printable(g.size() > 2 ? g.field(2) : ""), members);
            }
        }
    }

    /** {@code /create GROUP [open|closed]}, open by default. */
    private void create(String rest) {
        String[] parts = rest.split("\\s+");
        boolean open = parts.length < 2 || parts[1].equals("open");
        if (parts[0].isEmpty() || parts.length > 2 || (parts.length == 2 && !open && !parts[1].equals("closed"))) {
            say("account.error.usage", "/create GROUP [open|closed]");
            return;
        }
        simple(new Request.Create(bare(parts[0]), open), r -> messages.get("group.created",
                Notices.printable(r.field(2).isEmpty() ? bare(parts[0]) : r.field(2)),
                messages.get(open ? "group.open" : "group.closed")));
    }

    /**
     * {@code /join GROUP}: an open group lets me in (the server's GROUP_JOINED says so), a closed
     * one asks its owner; {@code lobby} is the article's room, which announces nothing to me.
     */
    private void join(String group) {
        String g = bare(group);
        simple(new Request.Join(g), r -> {
            if (Connection.isLobby("#" + g)) {
                return messages.get("group.lobby.joined");
            }
            return r.field(2).equals("requested") ? messages.get("group.requested", Notices.printable(g)) : null;
        });
    }

    /** {@code /leave GROUP}: confirmed by the server's GROUP_LEFT, but for the lobby, which sends none to me. */
    private void leave(String group) {
        String g = bare(group);
        boolean lobby = Connection.isLobby("#" + g);
        Reply r = call(new Request.Leave(g));
        if (r == null || !r.ok() || !lobby) {
            return;
        }
        say("group.left.me", "lobby");
        String c = chatting;
        if (c != null && Connection.isLobby(c)) {
            chatting = null;
            say("account.chatEnd", Notices.printable(c));
        }
    }

    /** {@code /rename GROUP NEW} (owner): my chat in it follows at once, before the next line is read. */
    private void rename(String group, String newName) {
        Reply r = call(new Request.Rename(bare(group), bare(newName)));
        String c = chatting;
        if (r != null && r.ok() && c != null && History.isGroup(c) && sameName(c.substring(1), bare(group))) {
            chatting = "#" + (r.field(2).isEmpty() ? bare(newName) : r.field(2));
        }
    }

    /** {@code /members GROUP}: {@code MEMBER:name:online:owner}. */
    private void members(String group) {
        String g = bare(group);
        Reply r = call(new Request.Members(g));
        if (r == null || !r.ok()) {
            return;
        }
        say("group.members", Notices.printable(g), Integer.toString(r.items().size()));
        for (Line m : r.items()) {
            String name = Notices.printable(m.field(1));
            String shown = m.size() > 3 && m.field(3).equals("1") ? messages.get("group.member.owner", name) : name;
            boolean online = m.size() > 2 && m.field(2).equals("1");
            say(online ? "account.friend.online" : "account.friend.offline", shown);
        }
    }

    /** {@code /requests GROUP} (owner): {@code JOIN_REQUEST:group:name:time}. */
    private void requests(String group) {
        String g = bare(group);
        Reply r = call(new Request.Requests(g));
        if (r == null || !r.ok()) {
            return;
        }
        if (r.items().isEmpty()) {
            say("group.requests.none", Notices.printable(g));
            return;
        }
        say("group.requests", Notices.printable(g), Integer.toString(r.items().size()));
        for (Line q : r.items()) {
            say("group.requests.item", Notices.printable(q.field(2)), Notices.printable(g));
        }
    }

    /** A group as typed, {@code #team} or {@code team}: the name without its {@code #}. */
    private static String bare(String group) {
        return group.startsWith("#") ? group.substring(1) : group;
    }

    /** {@code /search TEXT}: the server's answer when logged in, the local history's otherwise. */
    private void search(String text) {
        History history = connection.history();
        List<History.Entry> found;
        if (connection.isLoggedIn()) {
            Reply r = call(new Request.Search(text, SEARCH_LIMIT));
            if (r == null || !r.ok()) {
                return;
            }
            if (history != null) {
                store(history, r.items());
            }
            found = r.items().stream().filter(l -> l.size() == 6).map(l -> new History.Entry(
                    Long.parseLong(l.field(1)), Long.parseLong(l.field(2)), l.field(3), l.field(4), l.field(5),
                    null, History.State.SENT)).toList();
        } else if (history != null) {
            found = history.search(text, SEARCH_LIMIT);
        } else {
            say("account.error.notLoggedIn");
            return;
        }
        if (found.isEmpty()) {
            say("account.search.none", Notices.printable(text));
        }
        found.forEach(e -> console.print(notices.searchLine(e)));
    }

    /** Keeps {@code HIST:id:time:from:to:text} lines in the local history. */
    private static void store(History history, List<Line> hist) {
        for (Line l : hist) {
            if (l.size() == 6) {
                try {
                    history.addDelivered(Long.parseLong(l.field(1)), Long.parseLong(l.field(2)), l.field(3),
                            l.field(4), l.field(5));
                } catch (NumberFormatException e) {
                    // a malformed line from the server: not kept
                }
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** A request whose success prints {@code success.apply(reply)} (nothing when null). */
    private void simple(Request request, java.util.function.Function<Reply, String> success) {
        Reply r = call(request);
        if (r != null && r.ok()) {
            String text = success.apply(r);
            if (text != null) {
                console.print(text);
            }
        }
    }

    /** Sends {@code r} once the connection is ready; the reply, or {@code null} after saying why not. */
    private Reply call(Request r) {
        if (!awaitReady()) {
            say("account.error.notConnected");
            return null;
        }
        Reply reply = await(connection.request(r));
        failed(reply);
        return reply;
    }

    private boolean awaitReady() {
        try {
            return connection.awaitReady(READY_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Reply await(CompletableFuture<Reply> future) {
        return await(future, true);
    }

    /** The reply, or {@code null} after saying (when {@code loud}) why there is none. */
    private Reply await(CompletableFuture<Reply> future, boolean loud) {
        try {
            return future.get(REPLY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (loud) {
                say(connection.isReady() ? "account.error.connectionLost" : "account.error.notConnected");
            }
        } catch (TimeoutException e) {
            if (loud) {
                say("account.error.noReply");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    /** Prints the server's message when {@code r} is a failure. */
    private void failed(Reply r) {
        if (r != null && !r.ok()) {
            say("account.error.server", Notices.printable(r.message()));
        }
    }

    private String password() {
        String password = console.readPassword(messages.get("account.password"));
        if (password == null || password.isEmpty()) {
            say("account.error.noPassword");
            return null;
        }
        return password;
    }

    private void withName(String rest, String usage, java.util.function.Consumer<String> then) {
        if (rest.isEmpty() || rest.contains(" ")) {
            say("account.error.usage", usage);
        } else {
            then.accept(rest);
        }
    }

    /** Exactly two words, as {@code /invite GROUP USER}. */
    private void withTwo(String rest, String usage, java.util.function.BiConsumer<String, String> then) {
        String[] parts = rest.split("\\s+");
        if (parts.length != 2 || parts[0].isEmpty() || parts[0].equals("#")) {
            say("account.error.usage", usage);
        } else {
            then.accept(parts[0], parts[1]);
        }
    }

    private void withText(String rest, String usage, java.util.function.Consumer<String> then) {
        if (rest.isEmpty()) {
            say("account.error.usage", usage);
        } else {
            then.accept(rest);
        }
    }

    /** {@code s} as a number from 1 to {@code max}, or -1 after saying it is not one. */
    private int number(String s, int max) {
        try {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        say("account.error.number", s, Integer.toString(max));
        return -1;
    }

    private void say(String key, Object... args) {
        console.print(messages.get(key, args));
    }

    Connection connection() {
        return connection;
    }
}
