package chat.server.command;

import chat.common.proto.Item;
import chat.server.reactor.Connection;
import java.util.List;
import java.util.function.Consumer;

/**
 * What an admin can see of the server beyond the commands: its counters and its connections,
 * which the reactor and the protocol handlers know and the commands do not. Reactor thread only.
 */
public interface ServerView {

    /** STATS's fields, {@code name=value} each. */
    List<String> stats();

    /** Every open connection, whatever it speaks. */
    List<Connection> connections();

    /** What CONNECTIONS says of {@code c}. */
    Item.ConnectionInfo describe(Connection c);

    /** Whether {@code c} speaks the text protocol, so that a {@code BYE} can be said to it before it closes. */
    boolean speaksText(Connection c);

    /** The number an admin knows {@code c} by (CONNECTIONS, DISCONNECT): on one node the reactor's own. */
    default long idOf(Connection c) {
        return c.id();
    }

    /** CONNECTIONS's items: on one node this node's, at once; in a cluster every node's, once they answer. */
    default void everyConnection(Consumer<List<Item.ConnectionInfo>> then) {
        then.accept(connections().stream().map(this::describe).toList());
    }

    /**
     * DISCONNECT of connection {@code id} when it is another node's: asks that node and gives
     * {@code then} what was closed ({@code user address}) or null; false (and nothing asked) when
     * {@code id} names no other node's connection (always, on one node).
     */
    default boolean disconnectElsewhere(long id, String admin, Consumer<String> then) {
        return false;
    }
}
