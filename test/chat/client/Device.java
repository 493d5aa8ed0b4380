package chat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import chat.common.proto.Conversation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One installation of a client in a test: a {@link ChatClient} over its own data folder, whose
 * events are kept in order so that the test can wait for them.
 */
final class Device implements AutoCloseable {

    /** Reconnect quickly, so that tests do not wait out the 1-to-10-second backoff. */
    static final Timings FAST = new Timings(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(30),
            Duration.ofMillis(50), Duration.ofMillis(300));

    /** The longest a test waits for something that should happen. */
    static final long WAIT_SECONDS = 20;

    final String label;
    final Path data;
    final ChatClient client;
    private final LinkedBlockingQueue<ChatEvent> events = new LinkedBlockingQueue<>();
    private final List<ChatEvent> seen = new ArrayList<>();

    Device(String label, int port, Path data) {
        this(label, port, data, Runnable::run);
    }

    Device(String label, int port, Path data, java.util.concurrent.Executor executor) {
        this(label, port, data, executor, FAST);
    }

    Device(String label, int port, Path data, java.util.concurrent.Executor executor, Timings timings) {
        this(label, config(port, data, timings), executor);
    }

    /** A device with a config of the test's (TLS, say), made from {@link #config}. */
    Device(String label, ChatClient.Config config, java.util.concurrent.Executor executor) {
        this.label = label;
        this.data = config.dataDir();
        this.client = ChatClient.create(config, executor, events::add);
        client.connect();
    }

    /** What the other constructors connect with: plain text to 127.0.0.1. */
    static ChatClient.Config config(int port, Path data, Timings timings) {
        return new ChatClient.Config("127.0.0.1", port, data, "test/1.1", "test", timings);
    }

    static <T> T get(CompletableFuture<T> f) {
        try {
            return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no answer within " + WAIT_SECONDS + " s, or a failure", e);
        }
    }

    /** Registers (ignoring a taken name) and logs in. */
    Account signUp(String name, String password) {
        get(client.whenOnline());
        client.register(name, password).exceptionally(e -> name).join();
        return get(client.login(name, password));
    }

    HistoryEntry send(String to, String text) {
        return get(client.send(Conversation.parse(to), text));
    }

    /** Waits for an event that matches, passing over others; returns it. */
    <E extends ChatEvent> E await(Class<E> type, Predicate<E> match, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            long left = deadline - System.nanoTime();
            ChatEvent e;
            try {
                e = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException ex) {
                throw new AssertionError(ex);
            }
            if (e == null) {
                fail(label + ": no " + what + " within " + WAIT_SECONDS + " s; seen: " + seen);
            }
            seen.add(e);
            if (type.isInstance(e) && match.test(type.cast(e))) {
                return type.cast(e);
            }
        }
    }

    <E extends ChatEvent> E await(Class<E> type) {
        return await(type, e -> true, type.getSimpleName());
    }

    /**
     * Waits for the message (received, or my own from another device) with this text, which may
     * have come already: messages from different senders may come in either order.
     */
    HistoryEntry awaitMessage(String text) {
        Predicate<ChatEvent> match = x -> x instanceof ChatEvent.MessageReceived m && m.entry().text().equals(text)
                || x instanceof ChatEvent.OwnMessage o && o.entry().text().equals(text);
        ChatEvent e = all().stream().filter(match).findFirst()
                .orElseGet(() -> await(ChatEvent.class, match::test, "a message \"" + text + "\""));
        return e instanceof ChatEvent.MessageReceived m ? m.entry() : ((ChatEvent.OwnMessage) e).entry();
    }

    /** Every event so far, taken or not (taking none). */
    List<ChatEvent> all() {
        List<ChatEvent> out = new ArrayList<>(seen);
        out.addAll(events);
        return out;
    }

    /** The texts of the local history of {@code conversation}, oldest first. */
    List<String> local(String conversation) {
        return client.localHistory(Conversation.parse(conversation), 1000).stream().map(HistoryEntry::text).toList();
    }

    /** Asserts that the local history of {@code conversation} is exactly {@code texts}. */
    void assertLocal(String conversation, String... texts) {
        assertEquals(List.of(texts), local(conversation), label + "'s local history with " + conversation);
    }

    @Override
    public void close() {
        client.close();
    }
}
