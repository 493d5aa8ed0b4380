package chat.client.term;

import chat.client.ChatClient;
import chat.client.ChatEvent;
import chat.client.HistoryEntry;
import chat.client.HistoryPage;
import chat.client.Messages;
import chat.client.NotConnectedException;
import chat.client.RefusedException;
import chat.client.SearchResult;
import chat.client.Timings;
import chat.common.proto.Conversation;
import chat.common.proto.ErrorCode;
import chat.common.proto.Item;
import chat.common.proto.Request;
import chat.common.text.Names;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code chat-client HOST PORT}: an account session. Reads commands ({@code /login alice},
 * {@code /msg bob hi}, ... see {@code account.help} in the messages) and runs them one at a time,
 * each waiting for its answer, so that a script's lines happen in order; what the server pushes
 * meanwhile is printed by {@link Notices}. Everything else is the {@link ChatClient}'s: it
 * reconnects and logs in again by itself, keeps the local history, merges the server's into it,
 * and answers from it offline. This class parses commands and prints.
 *
 * <p>At start, a session saved by an earlier run (its token) is resumed without a password. On a
 * terminal, {@code /login NAME} uses NAME's saved session when there is one and asks the password
 * only when there is none or it is refused; a script's password line is read all the same.
 *
 * <p>A command that needs the server waits up to {@link #READY_WAIT} for the connection and up to
 * {@link #REPLY_WAIT} for the answer, then says why it gave up. Success is mostly silent (a sent
 * message prints nothing); failures print the server's message. Changes I make print their
 * confirmation from the answer (the server tells my other devices and the others, not the device
 * that made them).
 *
 * <p>Conversations are a friend's name or {@code #group}; {@code #lobby} is the article's room,
 * shared with its legacy clients, live only: no history, no unread count, nothing waits.
 *
 * <p>What counts as reading a conversation (a {@code READ} up to the newest message shown):
 * opening it with {@code /chat}, showing it with {@code /history} while logged in, and leaving its
 * chat mode (by {@code /chat} alone or with another, {@code /logout} or quitting), since what
 * arrived meanwhile was on the screen. Messages printed outside chat mode, {@code /search} and
 * {@code /unread} do not count; nor does /history offline (nothing reaches the server).
 */
final class AccountShell {

    /** How long a command waits for a connection that is down; a script's first command needs it. */
    static final Duration READY_WAIT = Duration.ofSeconds(5);
    /** How long a command waits for its answer. */
    static final Duration REPLY_WAIT = Duration.ofSeconds(30);
    static final int DEFAULT_HISTORY = 20;
    static final int MAX_HISTORY = 10_000;
    static final int SEARCH_LIMIT = 50;

    private final String host;
    private final int port;
    private final Console console;
    private final Messages messages;
    private final Notices notices;
    private final ChatClient client;
    /**
     * The friend or group that plain lines go to; {@code null} outside chat mode. Written by the
     * client's event thread too, when a group event ends or renames the chat.
     */
    private volatile Conversation chatting;

    AccountShell(String host, int port, Path dataDir, Timings timings, Console console, Messages messages) {
        this.host = host;
        this.port = port;
        this.console = console;
        this.messages = messages;
        this.notices = new Notices(console, messages, host, port);
        var config = new ChatClient.Config(host, port, dataDir, "chat-term/" + ChatClient.PROTOCOL_VERSION, "term",
                timings);
        // Events are printed on the client's own thread, in order; commands wait on this one.
        this.client = ChatClient.create(config, Runnable::run, notices);
        notices.onGroupEvent(this::groupEvent);
        notices.onLogin(this::loggedIn);
    }

    /** Runs the session until /quit or the end of the input. */
    Client.Exit run() {
        say("account.connecting", host, Integer.toString(port));
        if (client.savedAccount().isPresent()) {
            client.resume().whenComplete((account, failed) -> {
                // success is said by Notices; a refusal by Notices (LoggedOut) too
            });
        }
        client.connect();
        try {
            String line;
            while ((line = console.readLine(prompt())) != null) {
                if (!step(line)) {
                    break;
                }
            }
            leaveChat();
        } finally {
            client.close();
            console.close();
        }
        return Client.Exit.OK;
    }

    private String prompt() {
        String who = client.account().map(a -> a.name()).orElse("");
        Conversation c = chatting;
        return (c == null ? who : who + " -> " + shown(c)) + "> ";
    }

    /** Runs one input line; {@code false} to leave. */
    boolean step(String line) {
        if (line.isBlank()) {
            return true;
        }
        if (!line.startsWith("/") || line.startsWith("//")) {
            Conversation c = chatting;
            if (c == null) {
                say("account.error.notChatting");
            } else {
                send(c, line.startsWith("//") ? line.substring(1) : line);
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
            case "passwd" -> passwd(rest);
            case "friends" -> call(() -> client.friends().list(), l -> notices.friends(l).forEach(console::print));
            case "find" -> withText(rest, "/find TEXT", this::find);
            case "add" -> withName(rest, "/add USER", name -> call(() -> client.friends().add(name), friends ->
                    say(friends ? "account.friendAdded" : "account.requested", Notices.printable(name))));
            case "accept" -> withName(rest, "/accept USER", name -> call(() -> client.friends().accept(name),
                    ok -> say("account.friendAdded", Notices.printable(name))));
            case "decline" -> withName(rest, "/decline USER", name -> call(() -> client.friends().decline(name),
                    ok -> say("account.declined", Notices.printable(name))));
            case "del" -> withName(rest, "/del USER", name -> call(() -> client.friends().delete(name),
                    ok -> say("account.deleted", Notices.printable(name))));
            case "alias" -> alias(rest);
            case "msg" -> {
                String[] to = rest.split("\\s+", 2);
                Conversation c = to.length < 2 || to[1].isBlank() ? null : conversation(to[0]);
                if (c == null) {
                    say("account.error.usage", "/msg USER|#GROUP TEXT");
                } else {
                    send(c, to[1]);
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
            case "invite" -> withTwo(rest, "/invite GROUP USER", (g, u) -> call(() -> client.groups().invite(g, u),
                    ok -> say("group.joined", Notices.printable(bare(g)), Notices.printable(u))));
            case "kick" -> withTwo(rest, "/kick GROUP USER", (g, u) -> call(() -> client.groups().kick(g, u),
                    ok -> say("group.kicked", Notices.printable(bare(g)), Notices.printable(u))));
            case "approve" -> withTwo(rest, "/approve GROUP USER", (g, u) -> call(() -> client.groups().approve(g, u),
                    ok -> say("group.joined", Notices.printable(bare(g)), Notices.printable(u))));
            case "rename" -> withTwo(rest, "/rename GROUP NEW", this::rename);
            case "disband" -> withName(rest, "/disband GROUP", this::disband);
            case "members" -> withName(rest, "/members GROUP", this::members);
            case "requests" -> withName(rest, "/requests GROUP", this::requests);
            default -> say("account.error.unknownCommand", "/" + command);
        }
        return true;
    }

    // ---------------------------------------------------------------- the account

    private void register(String name) {
        String password = password("account.password");
        if (password == null || !awaitOnline()) {
            return;
        }
        String spelled = await(client.register(name, password));
        if (spelled != null) {
            say("account.registered", spelled.isEmpty() ? name : spelled);
        }
    }

    /**
     * {@code /login NAME}: NAME's saved session when there is one (on a terminal the password is
     * then not asked; a script's password line is read all the same), else the password.
     */
    private void login(String name) {
        boolean saved = client.hasSavedSession(name);
        String password = null;
        if (!saved || !console.interactive()) {
            password = password("account.password");
            if (password == null) {
                return;
            }
        }
        if (!awaitOnline()) {
            CompletableFuture<?> later = saved ? client.resume(name) : client.login(name, password);
            say("account.waitingLogin", name);
            later.whenComplete((r, failed) -> {
                if (failed != null && !(failed instanceof NotConnectedException)) {
                    say("account.error.server", Notices.printable(String.valueOf(failed.getMessage())));
                }
            });
            return;
        }
        if (saved) {
            try {
                client.resume(name).get(REPLY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                return; // "Logged in as ..." comes from Notices
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RefusedException r) || r.code() != ErrorCode.AUTH_FAILED) {
                    failed(e.getCause());
                    return;
                }
                // the saved session is gone: the password, then
            } catch (TimeoutException e) {
                say("account.error.noReply");
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (password == null) {
                password = password("account.password");
                if (password == null) {
                    return;
                }
            }
        }
        await(client.login(name, password));
    }

    /** After each login, as the server no longer pushes it: the friend list. */
    private void loggedIn(ChatEvent.LoggedIn event) {
        if (event.automatic()) {
            return;
        }
        client.friends().list().whenComplete((list, failed) -> {
            if (list != null) {
                notices.friends(list).forEach(console::print);
            }
        });
    }

    private void logout() {
        leaveChat();
        if (outcome(client.logout()).ok()) {
            say("account.loggedOut");
        }
    }

    /** {@code /passwd}: the old password, then the new one twice on a terminal (once from a script). */
    private void passwd(String rest) {
        if (!rest.isEmpty()) {
            say("account.error.usage", "/passwd");
            return;
        }
        if (!client.isLoggedIn()) {
            say("account.error.notLoggedIn");
            return;
        }
        String old = password("account.password.old");
        String fresh = old == null ? null : password("account.password.new");
        if (fresh == null) {
            return;
        }
        if (console.interactive()) {
            String again = password("account.password.again");
            if (again == null) {
                return;
            }
            if (!again.equals(fresh)) {
                say("account.error.passwordMismatch");
                return;
            }
        }
        if (outcome(client.passwd(old, fresh)).ok()) {
            say("account.passwordChanged");
        }
    }

    // ---------------------------------------------------------------- friends

    private void find(String text) {
        call(() -> client.friends().find(text), users -> {
            if (users.isEmpty()) {
                say("account.found.none", Notices.printable(text));
                return;
            }
            say("account.found", Integer.toString(users.size()));
            for (Item.User u : users) {
                say(u.friend() ? "account.found.friend" : "account.found.user", Notices.printable(u.name()));
            }
        });
    }

    private void alias(String rest) {
        String[] parts = rest.split("\\s+", 2);
        if (parts[0].isEmpty()) {
            say("account.error.usage", "/alias USER [NAME]");
            return;
        }
        String name = parts[0];
        String alias = parts.length > 1 ? parts[1].strip() : "";
        call(() -> client.friends().alias(name, alias), ok -> {
            if (alias.isEmpty()) {
                say("account.aliasCleared", name);
            } else {
                say("account.aliasSet", name, Notices.printable(alias));
            }
        });
    }

    // ---------------------------------------------------------------- messages

    /** Sends {@code text} to {@code to}: silent when the server has it. */
    private void send(Conversation to, String text) {
        if (client.account().isEmpty()) {
            say("account.error.notLoggedIn");
            return;
        }
        try {
            HistoryEntry e = client.send(to, text).get(REPLY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (e.state() == HistoryEntry.DeliveryState.PENDING) {
                say("account.queued", Notices.printable(shown(to)));
            }
        } catch (ExecutionException e) {
            Throwable why = e.getCause();
            if (why instanceof RefusedException r && (to.isLobby() || r.code() == ErrorCode.NO_SUCH_GROUP
                    || r.code() == ErrorCode.NOT_LOGGED_IN)) {
                // the lobby stores nothing, and an unknown group left nothing stored: no event says it
                say("account.refused", Notices.printable(shown(to)), Notices.printable(r.getMessage()));
            } else if (why instanceof NotConnectedException) {
                say(to.isLobby() ? "group.lobby.notSent" : "account.queued", Notices.printable(shown(to)));
            } else if (!(why instanceof RefusedException)) {
                failed(why);
            }
            // any other refusal was printed by Notices (the message is FAILED in the history)
        } catch (TimeoutException e) {
            say(to.isLobby() ? "group.lobby.notSent" : "account.queued", Notices.printable(shown(to)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void chat(String rest) {
        Conversation target = rest.isEmpty() ? null : conversation(rest);
        if (rest.contains(" ") || (!rest.isEmpty() && target == null)) {
            say("account.error.usage", "/chat [USER|#GROUP]");
            return;
        }
        leaveChat();
        if (target == null) {
            return;
        }
        if (!target.isLobby() && client.isLoggedIn()) {
            try {
                client.markRead(target).get(REPLY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RefusedException r
                        && (r.code() == ErrorCode.NO_SUCH_USER || r.code() == ErrorCode.NO_SUCH_GROUP)) {
                    failed(r);
                    return;
                }
            } catch (TimeoutException e) {
                // marking read is a courtesy: the chat opens all the same
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        chatting = target;
        say("account.chatStart", Notices.printable(shown(target)));
    }

    /** Ends chat mode, marking what was on the screen read. */
    private void leaveChat() {
        Conversation left = chatting;
        if (left == null) {
            return;
        }
        chatting = null;
        say("account.chatEnd", Notices.printable(shown(left)));
        markRead(left);
    }

    /** Tells the server {@code c} was read, up to its newest message here; quietly. */
    private void markRead(Conversation c) {
        if (c.isLobby() || !client.isLoggedIn()) {
            return;
        }
        try {
            client.markRead(c).get(REPLY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // marking read is a courtesy: nothing to say when it does not happen
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** On the client's event thread: a group event that ends my chat in that group, or renames it. */
    private void groupEvent(ChatEvent event) {
        Conversation c = chatting;
        if (c == null || !c.isGroup()) {
            return;
        }
        if (event instanceof ChatEvent.GroupRenamed r && isGroup(c, r.groupId(), r.oldName())) {
            chatting = c instanceof Conversation.GroupId ? c : new Conversation.GroupName(r.newName());
            return;
        }
        boolean over = event instanceof ChatEvent.GroupDeleted d && isGroup(c, d.groupId(), d.group())
                || event instanceof ChatEvent.GroupLeft l && isGroup(c, l.groupId(), l.group()) && notices.isMe(l.who());
        if (over) {
            chatting = null;
            say("account.chatEnd", Notices.printable(shown(c)));
        }
    }

    private static boolean isGroup(Conversation c, long id, String name) {
        if (c instanceof Conversation.GroupId g) {
            return g.id() == id;
        }
        return c instanceof Conversation.GroupName g && Names.key(g.name()).equals(Names.key(name));
    }

    /** Whether my chat {@code c} is the group typed as {@code group} ({@code team}, {@code #team}, {@code !42}). */
    private static boolean sameGroup(Conversation c, String group) {
        Conversation typed = Conversation.group(group);
        if (c.isLobby() || typed.isLobby()) {
            return c.isLobby() && typed.isLobby();
        }
        if (c instanceof Conversation.GroupId a && typed instanceof Conversation.GroupId b) {
            return a.id() == b.id();
        }
        return c instanceof Conversation.GroupName a && typed instanceof Conversation.GroupName b
                && Names.key(a.name()).equals(Names.key(b.name()));
    }

    /**
     * {@code /history USER [N]} or {@code /history #GROUP [N]}: when logged in, the server's
     * newest N are merged into the local history first (messages from my other devices, or said
     * in a group before this device knew it); then the local history's newest N.
     */
    private void history(String rest) {
        String[] parts = rest.split("\\s+");
        Conversation c = conversation(parts[0]);
        if (c == null || parts.length > 2) {
            say("account.error.usage", "/history USER|#GROUP [N]");
            return;
        }
        if (c.isLobby()) {
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
        if (client.account().isEmpty()) {
            say("account.error.notLoggedIn");
            return;
        }
        HistoryPage page = await(client.history(c, n));
        if (page == null) {
            return;
        }
        if (page.refusal() != null) {
            failed(page.refusal());
        }
        if (page.entries().isEmpty() && page.refusal() == null) {
            say("account.history.none", Notices.printable(shown(c)));
        }
        page.entries().forEach(e -> console.print(notices.historyLine(e)));
        if (page.fromServer()) {
            markRead(c);
        }
    }

    /** {@code /search TEXT}: the server's answer when logged in, the local history's otherwise. */
    private void search(String text) {
        if (client.account().isEmpty()) {
            say("account.error.notLoggedIn");
            return;
        }
        SearchResult found = await(client.search(text, SEARCH_LIMIT));
        if (found == null) {
            return;
        }
        if (found.entries().isEmpty()) {
            say("account.search.none", Notices.printable(text));
        }
        found.entries().forEach(e -> console.print(notices.searchLine(e)));
    }

    /** {@code /unread}: one line per conversation with unread messages. */
    private void unread() {
        call(() -> client.unread(), counts -> {
            if (counts.isEmpty()) {
                say("unread.none");
                return;
            }
            say("unread", Integer.toString(counts.size()));
            for (Item.UnreadCount u : counts) {
                say("unread.item", Notices.printable(u.conversation().format()), Long.toString(u.count()));
            }
        });
    }

    // ---------------------------------------------------------------- groups

    /** {@code /groups}: the lobby first when I am in it. */
    private void groups() {
        call(() -> client.groups().list(), list -> {
            if (list.isEmpty()) {
                say("group.list.none");
                return;
            }
            say("group.list", Integer.toString(list.size()));
            for (Item.GroupInfo g : list) {
                String members = Integer.toString(g.members());
                if (g.id() == Conversation.LOBBY_ID) {
                    say("group.list.lobby", members);
                } else {
                    String kind = messages.get(g.open() ? "group.open" : "group.closed");
                    say("group.list.item", Notices.printable(g.name()), kind, Notices.printable(g.owner()), members);
                }
            }
        });
    }

    /** {@code /create GROUP [open|closed]}, open by default. */
    private void create(String rest) {
        String[] parts = rest.split("\\s+");
        boolean open = parts.length < 2 || parts[1].equals("open");
        if (parts[0].isEmpty() || parts[0].equals("#") || parts.length > 2
                || (parts.length == 2 && !open && !parts[1].equals("closed"))) {
            say("account.error.usage", "/create GROUP [open|closed]");
            return;
        }
        call(() -> client.groups().create(parts[0], open), name -> say("group.created",
                Notices.printable(name.isEmpty() ? bare(parts[0]) : name), messages.get(open ? "group.open" : "group.closed")));
    }

    /** {@code /join GROUP}: an open group lets me in, a closed one asks its owner; {@code lobby} is the article's room. */
    private void join(String group) {
        String g = bare(group);
        call(() -> client.groups().join(group), joined -> {
            if (Conversation.group(group).isLobby()) {
                say("group.lobby.joined");
            } else if (joined) {
                say("group.joined.me", Notices.printable(g));
            } else {
                say("group.requested", Notices.printable(g));
            }
        });
    }

    private void leave(String group) {
        String g = bare(group);
        call(() -> client.groups().leave(group), ok -> {
            say("group.left.me", Notices.printable(g));
            Conversation c = chatting;
            if (c != null && sameGroup(c, group)) {
                chatting = null;
                say("account.chatEnd", Notices.printable(shown(c)));
            }
        });
    }

    /** {@code /rename GROUP NEW} (owner): my chat in it follows at once, before the next line is read. */
    private void rename(String group, String newName) {
        call(() -> client.groups().rename(group, newName), spelled -> {
            say("group.renamed", Notices.printable(bare(group)), Notices.printable(spelled));
            Conversation c = chatting;
            if (c instanceof Conversation.GroupName n && Names.key(n.name()).equals(Names.key(bare(group)))) {
                chatting = new Conversation.GroupName(spelled);
            }
        });
    }

    private void disband(String group) {
        call(() -> client.groups().disband(group), ok -> {
            say("group.deleted", Notices.printable(bare(group)));
            Conversation c = chatting;
            if (c != null && sameGroup(c, group)) {
                chatting = null;
                say("account.chatEnd", Notices.printable(shown(c)));
            }
        });
    }

    private void members(String group) {
        call(() -> client.groups().members(group), list -> {
            say("group.members", Notices.printable(bare(group)), Integer.toString(list.size()));
            for (Item.Member m : list) {
                String name = Notices.printable(m.name());
                String shown = m.owner() ? messages.get("group.member.owner", name) : name;
                say(m.online() ? "account.friend.online" : "account.friend.offline", shown);
            }
        });
    }

    private void requests(String group) {
        String g = bare(group);
        call(() -> client.groups().requests(group), list -> {
            if (list.isEmpty()) {
                say("group.requests.none", Notices.printable(g));
                return;
            }
            say("group.requests", Notices.printable(g), Integer.toString(list.size()));
            for (Item.JoinRequested q : list) {
                say("group.requests.item", Notices.printable(q.name()), Notices.printable(g));
            }
        });
    }

    // ---------------------------------------------------------------- helpers

    /** A conversation as typed ({@code bob}, {@code #team}, {@code !42}), or {@code null} when it is none. */
    private static Conversation conversation(String typed) {
        if (typed.isEmpty() || typed.equals("#") || typed.equals("!")) {
            return null;
        }
        try {
            return Conversation.parse(typed);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A conversation as people read it: {@code bob}, {@code #team}, {@code !42}. */
    private static String shown(Conversation c) {
        return c.format();
    }

    /** A group as typed, {@code #team} or {@code team}: the name without its {@code #}. */
    private static String bare(String group) {
        return group.startsWith("#") ? group.substring(1) : group;
    }

    /** Waits for the connection, then asks and waits for the answer; {@code then} gets a success. */
    private <T> void call(Supplier<CompletableFuture<T>> ask, Consumer<T> then) {
        if (awaitOnline()) {
            Outcome<T> o = outcome(ask.get());
            if (o.ok()) {
                then.accept(o.value());
            }
        }
    }

    /** An answer, or none (after saying why). */
    private record Outcome<T>(boolean ok, T value) {}

    /** Waits up to {@link #READY_WAIT} for the connection; says so when it is not there. */
    private boolean awaitOnline() {
        try {
            client.whenOnline().get(READY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            say("account.error.notConnected");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** The value, or {@code null} after saying why there is none. */
    private <T> T await(CompletableFuture<T> future) {
        return outcome(future).value();
    }

    /** Waits up to {@link #REPLY_WAIT} for {@code future}; says why when it fails. */
    private <T> Outcome<T> outcome(CompletableFuture<T> future) {
        try {
            return new Outcome<>(true, future.get(REPLY_WAIT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException e) {
            failed(e.getCause());
        } catch (TimeoutException e) {
            say("account.error.noReply");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Outcome<>(false, null);
    }

    /** Says why a request failed: the server's message, or the connection's state. */
    private void failed(Throwable why) {
        if (why instanceof RefusedException r) {
            say(r.code() == ErrorCode.NOT_LOGGED_IN ? "account.error.notLoggedIn" : "account.error.server",
                    Notices.printable(r.getMessage()));
        } else if (why instanceof NotConnectedException) {
            say(client.isLoggedIn() ? "account.error.connectionLost" : "account.error.notConnected");
        } else {
            say("account.error.server", Notices.printable(String.valueOf(why)));
        }
    }

    private String password(String promptKey) {
        String password = console.readPassword(messages.get(promptKey));
        if (password == null || password.isEmpty()) {
            say("account.error.noPassword");
            return null;
        }
        return password;
    }

    private void withName(String rest, String usage, Consumer<String> then) {
        if (rest.isEmpty() || rest.contains(" ") || rest.equals("#")) {
            say("account.error.usage", usage);
        } else {
            then.accept(rest);
        }
    }

    /** Exactly two words, as {@code /invite GROUP USER}. */
    private void withTwo(String rest, String usage, BiConsumer<String, String> then) {
        String[] parts = rest.split("\\s+");
        if (parts.length != 2 || parts[0].isEmpty() || parts[0].equals("#")) {
            say("account.error.usage", usage);
        } else {
            then.accept(parts[0], parts[1]);
        }
    }

    private void withText(String rest, String usage, Consumer<String> then) {
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

    ChatClient client() {
        return client;
    }
}
