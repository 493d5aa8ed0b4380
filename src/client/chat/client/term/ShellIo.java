package chat.client.term;

import chat.client.ChatClient;
import chat.client.NotConnectedException;
import chat.client.RefusedException;
import chat.client.Texts;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * How the shell's commands wait and speak: each waits up to {@link #READY_WAIT} for the
 * connection and up to {@link #REPLY_WAIT} for its answer, then says why it gave up; arguments
 * are checked, and a usage line printed, in one way for all.
 */
final class ShellIo {

    /** How long a command waits for a connection that is down; a script's first command needs it. */
    static final Duration READY_WAIT = Duration.ofSeconds(5);
    /** How long a command waits for its answer. */
    static final Duration REPLY_WAIT = Duration.ofSeconds(30);

    /** An answer, or none (after saying why). */
    record Outcome<T>(boolean ok, T value) {}

    final Console console;
    final Texts texts;
    final ChatClient client;
    /** The command being run (without its slash) and its words, for {@link Refusals}. */
    private volatile String command = "";
    private volatile String[] words = {};

    ShellIo(Console console, Texts texts, ChatClient client) {
        this.console = console;
        this.texts = texts;
        this.client = client;
    }

    /** The command about to run, {@code msg}, and what followed it: a refusal is worded for them. */
    void running(String command, String rest) {
        this.command = command;
        this.words = rest.isBlank() ? new String[0] : rest.strip().split("\\s+");
    }

    /** {@code r} in the user's words, for the command being run. */
    String explain(RefusedException r) {
        return Refusals.explain(texts, command, words, r);
    }

    /** Waits for the connection, then asks and waits for the answer; {@code then} gets a success. */
    <T> void call(Supplier<CompletableFuture<T>> ask, Consumer<T> then) {
        if (awaitOnline()) {
            Outcome<T> o = outcome(ask.get());
            if (o.ok()) {
                then.accept(o.value());
            }
        }
    }

    /** Waits up to {@link #READY_WAIT} for the connection; says so when it is not there. */
    boolean awaitOnline() {
        boolean online = online();
        if (!online) {
            say("account.error.notConnected");
        }
        return online;
    }

    /** Waits up to {@link #READY_WAIT} for the connection; whether it is there. */
    boolean online() {
        try {
            client.whenOnline().get(READY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The value, or {@code null} after saying why there is none. */
    <T> T await(CompletableFuture<T> future) {
        return outcome(future).value();
    }

    /** Waits up to {@link #REPLY_WAIT} for {@code future}; says why when it fails. */
    <T> Outcome<T> outcome(CompletableFuture<T> future) {
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

    /** Waits for {@code future} and says nothing either way: for courtesies such as read marks. */
    <T> void quietly(CompletableFuture<T> future) {
        try {
            future.get(REPLY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // nothing to say when a courtesy does not happen
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Says why a request failed: the server's message, or the connection's state. */
    void failed(Throwable why) {
        if (why instanceof RefusedException r) {
            console.print(console.colours().error(explain(r)));
        } else if (why instanceof NotConnectedException) {
            say(client.isLoggedIn() ? "account.error.connectionLost" : "account.error.notConnected");
        } else {
            say("account.error.server", Notices.printable(String.valueOf(why)));
        }
    }

    /** A password from the console; {@code null} after saying none was given. */
    String password(String promptKey) {
        String password = console.readPassword(texts.get(promptKey));
        if (password == null || password.isEmpty()) {
            say("account.error.noPassword");
            return null;
        }
        return password;
    }

    /** Exactly one word. */
    void withName(String rest, String usage, Consumer<String> then) {
        if (rest.isEmpty() || rest.contains(" ") || rest.equals("#")) {
            say("account.error.usage", usage);
        } else {
            then.accept(rest);
        }
    }

    /** Exactly two words, as {@code /invite GROUP USER}. */
    void withTwo(String rest, String usage, BiConsumer<String, String> then) {
        String[] parts = rest.split("\\s+");
        if (parts.length != 2 || parts[0].isEmpty() || parts[0].equals("#")) {
            say("account.error.usage", usage);
        } else {
            then.accept(parts[0], parts[1]);
        }
    }

    /** Some text. */
    void withText(String rest, String usage, Consumer<String> then) {
        if (rest.isEmpty()) {
            say("account.error.usage", usage);
        } else {
            then.accept(rest);
        }
    }

    /** {@code s} as a number from 1 to {@code max}, or -1 after saying it is not one. */
    int number(String s, int max) {
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

    /** Says {@code key}'s text; an error's (account.error.*, a refusal) in red on a terminal. */
    void say(String key, Object... args) {
        String line = texts.get(key, args);
        boolean error = key.contains(".error.") || key.endsWith("refused") || key.endsWith("notSent");
        console.print(error ? console.colours().error(line) : line);
    }
}
