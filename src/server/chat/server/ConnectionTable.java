package chat.server;

import chat.common.proto.Item;
import chat.server.cluster.Cluster;
import chat.server.command.Client;
import chat.server.command.ServerView;
import chat.server.legacy.Online;
import chat.server.reactor.Connection;
import chat.server.reactor.Handler;
import chat.server.reactor.Reactor;
import chat.server.text.TextProtocol;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The server's connections as an admin sees them (CONNECTIONS): the reactor knows the sockets,
 * each connection's handler says which protocol it speaks, and the protocol says who is on it.
 * Reactor thread only, like everything it reads.
 */
final class ConnectionTable implements ServerView {

    private final Online online;
    private final LongSupplier clock;
    private final Supplier<List<String>> stats;
    private Reactor reactor;
    private Handler legacy;
    private Handler text;
    private Handler data;
    /** This server as a cluster node: ids are qualified and the table is every node's; null on one node. */
    private Cluster cluster;

    /** {@code clock}: the wall clock in ms since 1970; {@code stats}: STATS's fields. */
    ConnectionTable(Online online, LongSupplier clock, Supplier<List<String>> stats) {
        this.online = online;
        this.clock = clock;
        this.stats = stats;
    }

    /**
     * The reactor and the protocols are made after the commands that use this table (the text
     * protocol needs the dispatcher); nothing asks before the reactor starts.
     */
    void wire(Reactor reactor, Handler legacy, Handler text, Handler data) {
        this.reactor = reactor;
        this.legacy = legacy;
        this.text = text;
        this.data = data;
    }

    /** Makes the table every node's (--cluster). */
    void cluster(Cluster cluster) {
        this.cluster = cluster;
    }

    /** This node's connections as CONNECTIONS lists them. */
    List<Item.ConnectionInfo> here() {
        return connections().stream().map(this::describe).toList();
    }

    @Override
    public long idOf(Connection c) {
        return cluster == null ? c.id() : cluster.qualify(c.id());
    }

    @Override
    public void everyConnection(Consumer<List<Item.ConnectionInfo>> then) {
        if (cluster == null) {
            then.accept(here());
        } else {
            cluster.connections(here(), then);
        }
    }

    @Override
    public boolean disconnectElsewhere(long id, String admin, Consumer<String> then) {
        return cluster != null && cluster.disconnect(id, admin, then);
    }

    @Override
    public List<String> stats() {
        return stats.get();
    }

    @Override
    public List<Connection> connections() {
        return reactor.connections();
    }

    @Override
    public boolean speaksText(Connection c) {
        return c.handler() == text;
    }

    @Override
    public Item.ConnectionInfo describe(Connection c) {
        long monotonicNow = reactor.now();
        // The reactor's clock is monotonic; the wall clock says when that was.
        long since = clock.getAsLong() - (monotonicNow - c.openedAt());
        long idle = Math.max(0, monotonicNow - c.lastReadAt()) / 1000;
        var a = c.remoteAddress();
        return new Item.ConnectionInfo(idOf(c), user(c), a.getAddress().getHostAddress() + ":" + a.getPort(),
                protocol(c), since, idle, c.pendingBytes());
    }

    private String protocol(Connection c) {
        Handler h = c.handler();
        return h == text ? "text" : h == legacy ? "legacy" : h == data ? "data" : "new";
    }

    /** An account's name, a legacy client's marked name, or {@code -}. */
    private String user(Connection c) {
        Handler h = c.handler();
        if (h == text) {
            Client client = TextProtocol.clientOf(c);
            if (client != null && client.session() != null) {
                return client.session().name;
            }
        } else if (h == legacy) {
            Online.Entry entry = online.get(c.id());
            if (entry != null) {
                return entry.name();
            }
        }
        return Item.ConnectionInfo.NOBODY;
    }
}
