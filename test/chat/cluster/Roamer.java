package chat.cluster;

import chat.client.ChatClient;
import chat.client.ChatEvent;
import chat.client.HistoryEntry;
import chat.client.HistoryEntry.DeliveryState;
import chat.client.ServerAddress;
import chat.client.Timings;
import chat.common.proto.Conversation;
import chat.server.TextClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A user on the project's client library with the cluster's server list: when its node goes,
 * the library moves to the next server, logs in again with its token and sends again what was
 * not confirmed, by itself. What it was told is kept for the test to count, as {@link Peer} does.
 */
final class Roamer implements AutoCloseable {

    /** Reconnect quickly, so that the test does not wait out the 1-to-10-second backoff. */
    private static final Timings FAST = new Timings(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(30),
            Duration.ofMillis(50), Duration.ofMillis(300));

    final String name;
    final ChatClient client;
    /** "from/client-id" of every message told -> the ids it was told under. */
    final Map<String, Set<Long>> received = new ConcurrentHashMap<>();
    /** My messages the server stored: client id -> id. */
    final Map<String, Long> confirmed = new ConcurrentHashMap<>();
    /** The servers it moved to. */
    final List<ServerAddress> moves = new CopyOnWriteArrayList<>();
    final Map<String, Boolean> presence = new ConcurrentHashMap<>();

    Roamer(String name, String servers, Path dataDir) throws java.io.IOException {
        this.name = name;
        java.nio.file.Files.createDirectories(dataDir);
        var config = new ChatClient.Config(ServerAddress.list(servers, 0), dataDir, "ctest/1.0", "ctest", FAST);
        client = ChatClient.create(config, Runnable::run, this::event);
        client.connect();
    }

    private void event(ChatEvent e) {
        if (e instanceof ChatEvent.MessageReceived m) {
            received.computeIfAbsent(m.entry().from() + "/" + m.entry().message().clientId(),
                    k -> Collections.synchronizedSet(new TreeSet<>())).add(m.entry().id());
        } else if (e instanceof ChatEvent.MessageStateChanged s) {
            stored(s.entry());
        } else if (e instanceof ChatEvent.ServerChanged s) {
            moves.add(s.server());
        } else if (e instanceof ChatEvent.Presence p) {
            presence.put(p.friend(), p.online());
        }
    }

    private void stored(HistoryEntry entry) {
        if (entry.id() > 0 && (entry.state() == DeliveryState.SENT || entry.state() == DeliveryState.DELIVERED)) {
            confirmed.put(entry.message().clientId(), entry.id());
        }
    }

    /** Registers (a name taken is fine) and logs in. */
    Roamer signUp() throws Exception {
        client.whenOnline().get(Peer.WAIT.toSeconds(), TimeUnit.SECONDS);
        client.register(name, TextClient.password(name)).exceptionally(e -> name).get(Peer.WAIT.toSeconds(), TimeUnit.SECONDS);
        client.login(name, TextClient.password(name)).get(Peer.WAIT.toSeconds(), TimeUnit.SECONDS);
        return this;
    }

    /** Sends a private message; stored now, or later by the library itself ({@link #confirmed} tells). */
    CompletableFuture<HistoryEntry> send(String to, String text) {
        return client.send(Conversation.parse(to), text).whenComplete((entry, failed) -> {
            if (entry != null) {
                stored(entry);
            }
        });
    }

    @Override
    public void close() {
        client.close();
    }
}
