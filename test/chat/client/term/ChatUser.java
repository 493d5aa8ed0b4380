package chat.client.term;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import chat.client.ServerAddress;
import chat.client.Texts;
import chat.server.TestServer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Someone at a terminal: a {@link LegacyChat} session on its own thread, typed into and read. */
final class ChatUser implements AutoCloseable {

    final String name;
    final Keyboard keyboard = new Keyboard();
    final Screen screen = new Screen();
    private final CompletableFuture<Client.Exit> exit = new CompletableFuture<>();

    private ChatUser(String name) {
        this.name = name;
    }

    /** Starts a session of {@code name} against {@code port} on this machine, in {@code locale}. */
    static ChatUser connect(int port, String name, Locale locale) {
        return connect(List.of(new ServerAddress("127.0.0.1", port)), name, locale);
    }

    /** As above, to the first of {@code servers} that answers, moving on when it goes. */
    static ChatUser connect(List<ServerAddress> servers, String name, Locale locale) {
        var user = new ChatUser(name);
        var chat = new LegacyChat(servers, name, new PlainConsole(user.keyboard, user.screen.stream),
                Texts.of(locale));
        var thread = new Thread(() -> {
            try {
                user.exit.complete(chat.run());
            } catch (Throwable e) {
                user.exit.completeExceptionally(e);
            }
        }, "session-" + name);
        thread.setDaemon(true);
        thread.start();
        return user;
    }

    /**
     * Connects {@code name} and waits until the server has it in the room, so that whoever joins
     * after it is announced to it.
     */
    static ChatUser join(TestServer server, String name, Locale locale) {
        int before = server.online().size();
        var user = connect(server.port(), name, locale);
        awaitOnline(server, before + 1);
        return user;
    }

    /** Waits up to {@link Screen#WAIT_SECONDS} for the server to count {@code n} named clients. */
    static void awaitOnline(TestServer server, int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Screen.WAIT_SECONDS);
        while (server.online().size() != n) {
            if (System.nanoTime() > deadline) {
                fail("the server counts " + server.online().size() + " clients online, expected " + n
                        + ": " + server.online().entries());
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    void type(String line) {
        keyboard.type(line);
    }

    void expect(String line) {
        screen.expect(line);
    }

    String next() {
        return screen.next();
    }

    /** How the session ended, waiting up to {@link Screen#WAIT_SECONDS}. */
    Client.Exit awaitExit() {
        try {
            return exit.get(Screen.WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(name + "'s session did not end within " + Screen.WAIT_SECONDS + " s");
        } catch (ExecutionException e) {
            throw new AssertionError(name + "'s session failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Waits for the session to end with {@code expected}, having printed nothing more. */
    void expectExit(Client.Exit expected) {
        assertEquals(expected, awaitExit(), name + "'s exit");
        assertEquals(List.of(), screen.rest(), name + " printed more than the test expected");
    }

    /** Ends the input; a session still running leaves. */
    @Override
    public void close() {
        keyboard.end();
    }
}
