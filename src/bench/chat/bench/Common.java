package chat.bench;

import java.net.InetSocketAddress;

/**
 * Options every load scenario takes, and what every result line starts with: which scenario,
 * which server, and the commands that produced the figures.
 *
 * @param scenario  a name for the report to group rows by (e.g. {@code fanout-100})
 * @param label     which server this was ({@code ours}, {@code c})
 * @param serverCmd the command that started the server, for the report
 * @param serverPid the server's process id, for its CPU time and memory (0: unknown)
 * @param stats     whether the server answers {@code STATS} (ours does; the C server does not)
 */
record Common(InetSocketAddress address, String scenario, String label, String serverCmd, long serverPid,
        boolean stats, String commandLine) {

    static Common parse(Args a, String commandLine) {
        String host = a.str("host", "127.0.0.1");
        int port = a.positiveInt("port", 0);
        if (port == 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be given, 1-65535");
        }
        return new Common(new InetSocketAddress(host, port), a.str("scenario", ""), a.str("label", ""),
                a.str("server-cmd", ""), Long.parseLong(a.str("server-pid", "0")), a.flag("stats", false),
                commandLine);
    }

    ServerProbe probe() {
        return new ServerProbe(serverPid, stats ? address : null);
    }

    Result result(String kind) {
        return new Result().put("scenario", scenario).put("kind", kind).put("label", label)
                .put("server_cmd", serverCmd).put("cmd", commandLine);
    }
}
