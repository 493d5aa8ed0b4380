package chat.client;

import java.util.ArrayList;
import java.util.List;

/**
 * Which server of the list the transport's next attempt goes to: round robin. Every attempt that
 * failed (refused, unreachable, a TLS failure, closed before a line) and every connection that
 * went (a {@code BYE:shutdown}, a drop) moves on to the next server, so a server that just failed
 * is tried again only after each of the others. The backoff grows only when a whole round of
 * attempts failed in a row: with several servers the next one is tried at once. One server: every
 * attempt is a round, as before there were lists.
 *
 * <p>Used by the transport's reader thread; {@link #connected} is read from any thread.
 */
final class ServerRotation {

    private final List<ServerAddress> servers;
    /** The server the next attempt goes to. Reader thread only. */
    private int next;
    /** Attempts failed since a connection last carried lines. Reader thread only. */
    private int failedInRow;
    /** Why each attempt of this run of failures failed, for people. Reader thread only. */
    private final List<String> reasons = new ArrayList<>();
    /** The server of the connection up now, or of the last one; the first of the list before any. */
    private volatile ServerAddress connected;

    ServerRotation(List<ServerAddress> servers) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no server to connect to");
        }
        this.servers = List.copyOf(servers);
        this.connected = servers.get(0);
    }

    /** The server the next attempt goes to. */
    ServerAddress target() {
        return servers.get(next);
    }

    /** A connection to {@link #target} is up. */
    void opened() {
        connected = target();
    }

    ServerAddress connected() {
        return connected;
    }

    /**
     * The connection to {@link #target}, which carried lines, went: the next attempt goes to the
     * next server (after the transport's first wait, as after any drop).
     */
    void dropped() {
        failedInRow = 0;
        reasons.clear();
        next = (next + 1) % servers.size();
    }

    /**
     * The attempt at {@link #target} failed for {@code reason}: the next goes to the next server.
     * Returns the reasons of the round when this attempt ended a round of failures in a row (every
     * server failed once more: time to wait, and to say so), else null (try the next at once).
     */
    String failed(String reason) {
        reasons.add(servers.size() == 1 ? reason : target() + ": " + reason);
        next = (next + 1) % servers.size();
        failedInRow++;
        if (failedInRow % servers.size() != 0) {
            return null;
        }
        String all = String.join("; ", reasons);
        reasons.clear();
        return all;
    }
}
