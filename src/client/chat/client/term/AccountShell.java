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
 * message prints nothing); failures print the server's message.
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
    /** The friend that plain lines go to; {@code null} outside chat mode. */
    private String chatting;

    AccountShell(String host, int port, Path dataDir, Connection.Options options, Console console, Messages messages) {
        this.host = host;
        this.port = port;
        this.console = console;
        this.messages = messages;
        this.notices = new Notices(console, messages, host, port);
        this.connection = new Connection(host, port, options, History.under(dataDir, host + "_" + port), notices);
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
                if (to.length < 2 || to[0].isEmpty() || to[1].isBlank()) {
                    say("account.error.usage", "/msg USER TEXT");
                } else {
                    send(to[0], to[1]);
                }
            }
            case "chat" -> chat(rest);
            case "history" -> history(rest);
            case "search" -> withText(rest, "/search TEXT", this::search);
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
        chatting = null;
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
                say("account.refused", to, Notices.printable(refused.getMessage()));
            } else {
                say("account.queued", to);
            }
        } catch (TimeoutException e) {
            say("account.queued", to);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void chat(String rest) {
        if (rest.isEmpty()) {
            if (chatting != null) {
                say("account.chatEnd", chatting);
                chatting = null;
            }
            return;
        }
        if (rest.contains(" ")) {
            say("account.error.usage", "/chat [USER]");
            return;
        }
        chatting = rest;
        say("account.chatStart", rest);
    }

    /**
     * {@code /history USER [N]}: from the local history; when logged in, the server's newest N
     * (up to a page) are merged in first, so that messages from another device show too.
     */
    private void history(String rest) {
        String[] parts = rest.split("\\s+");
        if (parts[0].isEmpty() || parts.length > 2) {
            say("account.error.usage", "/history USER [N]");
            return;
        }
        String peer = parts[0];
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
        if (connection.isLoggedIn()) {
            Reply r = await(connection.request(new Request.History(peer, 0, Math.min(n, Request.MAX_PAGE))), false);
            if (r != null && !r.ok() && r.code() == ErrorCode.NO_SUCH_USER) {
                failed(r);
                return;
            }
            if (r != null && r.ok()) {
                store(history, r.items());
            }
        }
        try {
            List<History.Entry> entries = history.conversation(peer, n);
            if (entries.isEmpty()) {
                say("account.history.none", Notices.printable(peer));
            }
            entries.forEach(e -> console.print(notices.historyLine(e)));
        } catch (History.HistoryException e) {
            say("account.error.history", e.getMessage());
        }
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
