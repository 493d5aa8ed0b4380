package chat.server.command;

import chat.common.proto.Item;
import chat.server.reactor.Connection;
import java.util.List;

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
}
