package chat.client.term;

import chat.client.ChatClient;
import chat.client.ChatEvent;
import chat.client.HistoryEntry;
import chat.client.HistoryPage;
import chat.client.NotConnectedException;
import chat.client.RefusedException;
import chat.client.SearchResult;
import chat.client.ServerAddress;
import chat.client.Texts;
import chat.client.Timings;
import chat.common.proto.Conversation;
import chat.common.proto.ErrorCode;
import chat.common.proto.Item;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code chat-client HOST PORT}: an account session. Reads commands ({@code /login alice},
 * {@code /msg bob hi}, ... see {@code account.help} in the texts) and runs them one at a time,
 * each waiting for its answer, so that a script's lines happen in order; what the server pushes
 * meanwhile is printed by {@link Notices}. Everything else is the {@link ChatClient}'s: it
 * reconnects and logs in again by itself, keeps the local history, merges the server's into it,
 * and answers from it offline. The shell parses commands and prints: the account's in
 * {@link AccountCommands}, friends' in {@link FriendCommands}, groups' in {@link GroupCommands},
 * files' in {@link FileCommands}, messages' here; {@link ShellIo} is how they all wait and speak.
 *
 * <p>At start, a session saved by an earlier run (its token) is resumed without a password.
 *
 * <p>Conversations are a friend's name or {@code #group} ({@code !42} too); {@code #lobby} is the
 * article's room, shared with its legacy clients, live only: no history, no unread count, nothing
 * waits.
 *
 * <p>What counts as reading a conversation (a {@code READ}): a message shown in the active window
 * (chat mode's conversation, see {@link WindowCommands}), batched; opening a conversation with
 * {@code /chat} or {@code /win N} (up to the newest message here, shown again by /win), showing
 * it with {@code /history} while logged in, and leaving its chat mode. A message for another
 * window, {@code /search} and {@code /unread} do not count; nor does /history offline (nothing
 * reaches the server).
 */
final class AccountShell {

    static final int DEFAULT_HISTORY = 20;
    static final int MAX_HISTORY = 10_000;
    static final int SEARCH_LIMIT = 50;

    private final List<ServerAddress> servers;
    private final Console console;
    private final Notices notices;
    private final ChatClient client;
    private final ShellIo io;
    private final ChatMode chat;
    private final AccountCommands account;
    /** Every command but /quit: a new file of commands adds itself here with one line. */
    private final CommandTable commands = new CommandTable();
    private final Completions completions;
    /** Windows, irssi's way: which messages show, which are read. */
    private final WindowCommands windows;
    /** Transfers run in the background; the end of a script waits for them. */
    private final FileCommands files;
    /** With --tls: asks about a new certificate, at start only. */
    private final FirstSight firstSight;
    /** Commands after which the names to complete are asked for again. */
    private static final Set<String> CHANGE_CONTACTS = Set.of("add", "accept", "del", "alias", "create",
            "join", "leave", "disband", "rename");

    AccountShell(String host, int port, Path dataDir, Timings timings, Console console, Texts texts) {
        this(host, port, dataDir, timings, console, texts, Clock.systemDefaultZone());
    }

    /** {@code tls}: speak TLS to the server, asking about a certificate the system does not trust. */
    AccountShell(String host, int port, Path dataDir, Timings timings, Console console, Texts texts, boolean tls) {
        this(host, port, dataDir, timings, console, texts, Clock.systemDefaultZone(), tls);
    }

    /** {@code clock}: what is today, and the zone message times show in. */
    AccountShell(String host, int port, Path dataDir, Timings timings, Console console, Texts texts, Clock clock) {
        this(host, port, dataDir, timings, console, texts, clock, false);
    }

    AccountShell(String host, int port, Path dataDir, Timings timings, Console console, Texts texts, Clock clock,
            boolean tls) {
        this(List.of(new ServerAddress(host, port)), dataDir, timings, console, texts, clock, tls);
    }

    /** On the first of {@code servers} that answers, moving on to the next when it goes (a cluster's nodes). */
    AccountShell(List<ServerAddress> servers, Path dataDir, Timings timings, Console console, Texts texts, Clock clock,
            boolean tls) {
        this.servers = List.copyOf(servers);
        this.console = console;
        this.notices = new Notices(console, texts, servers, clock);
        var plain = new ChatClient.Config(servers, dataDir, "chat-term/" + ChatClient.PROTOCOL_VERSION, "term",
                timings);
        this.firstSight = tls ? new FirstSight(console, texts) : null;
        var config = tls ? plain.withTls(firstSight) : plain;
        this.completions = new Completions(commands::names, notices::isMe, notices.aliases);
        console.completeWith(completions);
        // Events are printed on the client's own thread, in order; commands wait on this one.
        this.client = ChatClient.create(config, Runnable::run, event -> {
            notices.accept(event);
            completions.accept(event);
            if (event instanceof ChatEvent.LoggedIn) {
                refreshCompletions();
            }
        });
        this.io = new ShellIo(console, texts, client);
        this.chat = new ChatMode(io, notices);
        this.account = new AccountCommands(io, chat, notices);
        commands.add(account::run, "register", "login", "logout", "passwd");
        commands.add(new FriendCommands(io, notices)::run, "friends", "find", "add", "accept", "decline", "del", "alias",
                "block", "unblock", "blocks");
        commands.add(new GroupCommands(io, chat, notices.aliases)::run, "groups", "create", "join", "leave", "invite", "kick", "approve",
                "reject", "rename", "disband", "members", "requests", "decline-invite", "invitations", "invites");
        commands.add(this::own, "help", "msg", "chat", "history", "search", "unread");
        this.files = new FileCommands(io);
        notices.onFileEvent(files::event);
        commands.add(files::run, "send", "files", "get", "cancel");
        this.windows = new WindowCommands(io, chat, notices);
        commands.add(windows::run, "win");
        commands.add(new AdminCommands(io, notices)::run, "stats", "connections", "disconnect", "ban", "unban", "bans");
        notices.onMessage(windows::arrived);
        notices.onGroupEvent(event -> {
            chat.groupEvent(event);
            windows.groupEvent(event);
        });
        chat.onPromptChange(() -> console.promptChanged(prompt()));
        notices.onLogin(account::loggedIn);
    }

    /** Runs the session until /quit or the end of the input. */
    Client.Exit run() {
        if (servers.size() == 1) {
            io.say("account.connecting", servers.get(0).host(), Integer.toString(servers.get(0).port()));
        } else {
            io.say("account.connectingList", ServerAddress.format(servers));
        }
        if (firstSight != null) {
            verifyServer();
        }
        if (client.savedAccount().isPresent()) {
            client.resume(); // "Logged in as ..." or why not: Notices says it
        }
        client.connect();
        Client.Exit exit = Client.Exit.OK;
        try {
            String line;
            boolean quit = false;
            while (!quit && (line = console.readLine(prompt())) != null) {
                quit = !step(line);
            }
            files.finish(quit);
            chat.leave();
            windows.close();
            if (!quit && !notices.everOnline() && !io.online()) {
                // The input ended and the server was never reached: nothing typed got through, and
                // a script must be able to tell (waiting a moment first, for input that was empty).
                if (servers.size() == 1) {
                    io.say("account.neverConnected", servers.get(0).host(), Integer.toString(servers.get(0).port()));
                } else {
                    io.say("account.neverConnectedList", ServerAddress.format(servers));
                }
                exit = Client.Exit.CONNECT_FAILED;
            }
        } finally {
            client.close();
            console.close();
        }
        return exit;
    }

    /**
     * With TLS, one handshake before anything else, so that a new certificate's question is asked
     * here, on the input's own thread, before commands are read. Its failures are left to the
     * connection's own attempts, which say why (unreachable, refused, changed).
     */
    private void verifyServer() {
        firstSight.asking(true);
        try {
            client.verifyServer();
        } catch (java.io.IOException | RuntimeException e) {
            // told by the background attempts
        } finally {
            firstSight.asking(false);
        }
    }

    /**
     * {@code alice> }, {@code alice -> #team> }: the name only once the server has accepted it (a
     * /login waiting for its answer, or for the server, shows none), and kept while reconnecting.
     */
    String prompt() {
        String me = notices.loggedInAs();
        String who = client.account().map(a -> a.name()).filter(name -> name.equals(me)).orElse("");
        Conversation c = chat.current();
        return (c == null ? who : who + " -> " + c.format()) + "> ";
    }

    /** Runs one input line; {@code false} to leave. */
    boolean step(String line) {
        if (line.isBlank()) {
            return true;
        }
        if (!line.startsWith("/") || line.startsWith("//")) {
            Conversation c = chat.current();
            Conversation ended = chat.takeEndedByEvent();
            io.running("msg", c == null ? "" : c.format());
            if (c == null && ended != null) {
                io.say("account.error.chatEnded", Notices.printable(ended.format()));
            } else if (c == null) {
                io.say("account.error.notChatting");
            } else {
                send(c, line.startsWith("//") ? line.substring(1) : line);
            }
            return true;
        }
        String[] parts = line.strip().substring(1).split("\\s+", 2);
        String command = parts[0];
        String rest = parts.length > 1 ? parts[1].strip() : "";
        io.running(command, rest);
        if (command.equals("quit") || command.equals("exit")) {
            return false;
        }
        if (!commands.run(command, rest)) {
            io.say("account.error.unknownCommand", "/" + command);
        } else if (CHANGE_CONTACTS.contains(command)) {
            refreshCompletions();
        }
        return true;
    }

    /** Asks for the contact list, for completion; quietly. */
    private void refreshCompletions() {
        client.contacts().thenAccept(c -> {
            notices.aliases.friends(c.friends());
            completions.contacts(c);
        });
    }

    /** The windows' status line: {@code [1] [2:bob(3)]}. */
    String windowStatus() {
        return windows.status();
    }

    Completions completions() {
        return completions;
    }

    /** The shell's own commands: messages and conversations. */
    private boolean own(String command, String rest) {
        switch (command) {
            case "help" -> io.say(rest.equals("admin") ? "admin.help" : "account.help");
            case "msg" -> {
                String[] to = rest.split("\\s+", 2);
                Conversation c = to.length < 2 || to[1].isBlank() ? null : conversation(to[0]);
                if (c == null) {
                    io.say("account.error.usage", "/msg USER|#GROUP TEXT");
                } else {
                    send(c, to[1]);
                }
            }
            case "chat" -> chat(rest);
            case "history" -> history(rest);
            case "search" -> io.withText(rest, "/search TEXT", this::search);
            case "unread" -> unread();
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Sends {@code text} to {@code to}: silent when the server has it. */
    private void send(Conversation to, String text) {
        if (client.account().isEmpty()) {
            io.say("account.error.notLoggedIn");
            return;
        }
        String shown = Notices.printable(to.format());
        try {
            HistoryEntry e = client.send(to, text).get(ShellIo.REPLY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (!to.isLobby()) {
                console.print(notices.mine(e)); // with its mark: … waiting, ✓ stored
            }
            if (e.state() == HistoryEntry.DeliveryState.PENDING) {
                io.say("account.queued", shown);
            }
        } catch (ExecutionException e) {
            Throwable why = e.getCause();
            if (why instanceof RefusedException r) {
                io.say("account.refused", shown, Refusals.explain(io.texts, "msg", new String[] {to.format()}, r));
            } else if (why instanceof NotConnectedException && to.isLobby()) {
                io.say("group.lobby.notSent", shown);
            } else if (why instanceof NotConnectedException) {
                // not kept (a group this device does not know yet): say why it did not go
                io.say("account.refused", shown, Notices.printable(why.getMessage()));
            } else {
                io.failed(why);
            }
        } catch (TimeoutException e) {
            io.say(to.isLobby() ? "group.lobby.notSent" : "account.queued", shown);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code /chat [USER|#GROUP]}: leaves the chat I am in, and opens another (marking it read). */
    private void chat(String rest) {
        Conversation target = rest.isEmpty() ? null : conversation(rest);
        if (rest.contains(" ") || (!rest.isEmpty() && target == null)) {
            io.say("account.error.usage", "/chat [USER|#GROUP]");
            return;
        }
        chat.leave();
        if (target == null) {
            return;
        }
        if (!target.isLobby() && client.isLoggedIn()) {
            try {
                client.markRead(target).get(ShellIo.REPLY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RefusedException r
                        && (r.code() == ErrorCode.NO_SUCH_USER || r.code() == ErrorCode.NO_SUCH_GROUP)) {
                    io.failed(r);
                    return;
                }
            } catch (TimeoutException e) {
                // marking read is a courtesy: the chat opens all the same
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        chat.start(target);
        windows.chatting(target);
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
            io.say("account.error.usage", "/history USER|#GROUP [N]");
            return;
        }
        if (c.isLobby()) {
            io.say("group.lobby.noHistory");
            return;
        }
        int n = DEFAULT_HISTORY;
        if (parts.length == 2) {
            n = io.number(parts[1], MAX_HISTORY);
            if (n < 0) {
                return;
            }
        }
        if (client.account().isEmpty()) {
            io.say("account.error.notLoggedIn");
            return;
        }
        HistoryPage page = io.await(client.history(c, n));
        if (page == null) {
            return;
        }
        if (page.refusal() != null) {
            io.failed(page.refusal());
        } else if (page.entries().isEmpty()) {
            io.say("account.history.none", Notices.printable(c.format()));
        }
        page.entries().forEach(e -> console.print(notices.historyLine(e)));
        if (page.fromServer()) {
            chat.markRead(c);
        }
    }

    /** {@code /search TEXT}: the server's answer when logged in, the local history's otherwise. */
    private void search(String text) {
        if (client.account().isEmpty()) {
            io.say("account.error.notLoggedIn");
            return;
        }
        SearchResult found = io.await(client.search(text, SEARCH_LIMIT));
        if (found == null) {
            return;
        }
        if (found.entries().isEmpty()) {
            io.say("account.search.none", Notices.printable(text));
        }
        found.entries().forEach(e -> console.print(notices.searchLine(e)));
    }

    /** {@code /unread}: one line per conversation with unread messages. */
    private void unread() {
        windows.flush(); // what the screen showed is read first
        io.call(() -> client.unread(), counts -> {
            if (counts.isEmpty()) {
                io.say("unread.none");
                return;
            }
            io.say("unread", Integer.toString(counts.size()));
            for (Item.UnreadCount u : counts) {
                io.say("unread.item", Notices.printable(u.conversation().format()), Long.toString(u.count()));
            }
        });
    }

    /** A conversation as typed ({@code bob}, {@code #team}, {@code !42}), or {@code null} when it is none. */
    static Conversation conversation(String typed) {
        if (typed.isEmpty() || typed.equals("#") || typed.equals("!")) {
            return null;
        }
        try {
            return Conversation.parse(typed);
        } catch (RuntimeException e) {
            return null;
        }
    }

    ChatClient client() {
        return client;
    }
}
