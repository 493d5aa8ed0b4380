package chat.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One server to connect to: a host (a name, an IPv4 address, or an IPv6 address without its
 * brackets) and a TCP port. {@link #list} reads the servers of a cluster as people write them,
 * {@code host:port,host:port}, IPv6 in brackets ({@code [::1]:8899}); {@link #toString} writes one
 * back that way.
 */
public record ServerAddress(String host, int port) {

    public ServerAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("a server needs a host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be from 1 to 65535: " + port);
        }
    }

    /**
     * The servers of {@code text}: entries separated by commas (spaces around them are fine), each
     * {@code host:port}, {@code [v6]:port}, or a host alone when {@code defaultPort} is given (1 to
     * 65535; 0: every entry needs its port). The same server twice counts once, where it came
     * first. The message of the {@link IllegalArgumentException} names the entry at fault.
     */
    public static List<ServerAddress> list(String text, int defaultPort) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no server given");
        }
        List<ServerAddress> out = new ArrayList<>();
        for (String entry : text.split(",", -1)) {
            ServerAddress a = parse(entry.strip(), defaultPort);
            if (out.stream().noneMatch(a::same)) {
                out.add(a);
            }
        }
        return List.copyOf(out);
    }

    /** One entry of a {@link #list}. */
    public static ServerAddress parse(String entry, int defaultPort) {
        if (entry.isEmpty()) {
            throw new IllegalArgumentException("an empty entry in the list of servers");
        }
        String host;
        String port;
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("no ] after the IPv6 address: " + entry);
            }
            host = entry.substring(1, close);
            String rest = entry.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw new IllegalArgumentException("a port goes after the ] and a colon: " + entry);
            }
            port = rest.isEmpty() ? null : rest.substring(1);
            if (host.indexOf(':') < 0) {
                throw new IllegalArgumentException("brackets are for IPv6 addresses: " + entry);
            }
        } else {
            int colon = entry.indexOf(':');
            if (colon >= 0 && entry.indexOf(':', colon + 1) >= 0) {
                throw new IllegalArgumentException("an IPv6 address goes in brackets, as in [::1]:8899: " + entry);
            }
            host = colon < 0 ? entry : entry.substring(0, colon);
            port = colon < 0 ? null : entry.substring(colon + 1);
        }
        if (host.isBlank() || host.chars().anyMatch(c -> Character.isWhitespace(c) || c == '/' || c == '@')) {
            throw new IllegalArgumentException("not a host: " + entry);
        }
        if (port == null) {
            if (defaultPort == 0) {
                throw new IllegalArgumentException("no port: " + entry + " (host:port)");
            }
            return new ServerAddress(host, defaultPort);
        }
        return new ServerAddress(host, port(port, entry));
    }

    private static int port(String text, String entry) {
        if (!text.isEmpty() && text.length() <= 5 && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            int p = Integer.parseInt(text);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        }
        throw new IllegalArgumentException("the port is a number from 1 to 65535: " + entry);
    }

    /** Whether this is {@code other}: host names compare without case. */
    boolean same(ServerAddress other) {
        return port == other.port && host.toLowerCase(Locale.ROOT).equals(other.host.toLowerCase(Locale.ROOT));
    }

    /** {@code host:port}, {@code [::1]:8899} for IPv6: as {@link #parse} reads it. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** {@code servers} as {@link #list} reads them: {@code a:1,b:2}. */
    public static String format(List<ServerAddress> servers) {
        return String.join(",", servers.stream().map(ServerAddress::toString).toList());
    }
}
