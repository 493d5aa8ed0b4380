package chat.bench;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Options every load scenario takes, and what every result line starts with: which scenario,
 * which server, and the commands that produced the figures.
 *
 * @param scenario  a name for the report to group rows by (e.g. {@code fanout-100})
 * @param label     which server this was ({@code ours}, {@code c})
 * @param serverCmd the command that started the server, for the report
 * @param serverPid the server's process id, for its CPU time and memory (0: unknown)
 * @param stats     whether the server answers {@code STATS} (ours does; the C server does not)
 * @param nodes     the nodes of a cluster ({@code --ports P,P,...} on the host; issue 14), which the
 *                  account scenarios spread their clients over ({@link #node}); else {@code address} alone
 */
record Common(InetSocketAddress address, String scenario, String label, String serverCmd, long serverPid,
        boolean stats, String commandLine, List<InetSocketAddress> nodes) {

    static Common parse(Args a, String commandLine) {
        String host = a.str("host", "127.0.0.1");
        int port = a.positiveInt("port", 0);
        if (port == 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be given, 1-65535");
        }
        var address = new InetSocketAddress(host, port);
        List<InetSocketAddress> nodes = new ArrayList<>();
        for (String p : a.str("ports", "").split(",")) {
            if (!p.isBlank()) {
                int n = Integer.parseInt(p.strip());
                if (n < 1 || n > 65535) {
                    throw new IllegalArgumentException("--ports must be ports, 1-65535: " + p);
                }
                nodes.add(new InetSocketAddress(host, n));
            }
        }
        return new Common(address, a.str("scenario", ""), a.str("label", ""), a.str("server-cmd", ""),
                Long.parseLong(a.str("server-pid", "0")), a.flag("stats", false), commandLine,
                nodes.isEmpty() ? List.of(address) : List.copyOf(nodes));
    }

    /**
     * The node client {@code index} connects to: round the list, so that with two nodes the
     * users of a friend pair (2i, 2i+1) are on different nodes, and a group's members are half
     * on each.
     */
    InetSocketAddress node(int index) {
        return nodes.get(index % nodes.size());
    }

    ServerProbe probe() {
        return new ServerProbe(serverPid, stats ? address : null);
    }

    Result result(String kind) {
        return new Result().put("scenario", scenario).put("kind", kind).put("label", label)
                .put("server_cmd", serverCmd).put("cmd", commandLine);
    }
}
