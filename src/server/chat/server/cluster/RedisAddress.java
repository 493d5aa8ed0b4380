package chat.server.cluster;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where a cluster's Redis is, and the prefix of its keys and channels there:
 * {@code redis://HOST[:PORT][/PREFIX]}, port 6379 and prefix {@code chat} when left out. Several
 * clusters (or tests) share one Redis by taking different prefixes.
 */
public record RedisAddress(String host, int port, String prefix) {

    public static final int DEFAULT_PORT = 6379;
    public static final String DEFAULT_PREFIX = "chat";

    public RedisAddress {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("a Redis address needs a host");
        }
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("Redis port out of range: " + port);
        }
        if (prefix == null || prefix.isEmpty() || !prefix.chars().allMatch(RedisAddress::prefixChar)) {
            throw new IllegalArgumentException("a Redis key prefix is letters, digits and . _ - : only: " + prefix);
        }
    }

    /**
     * Parses {@code redis://HOST[:PORT][/PREFIX]}.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code url}
     */
    public static RedisAddress parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a Redis URL (redis://HOST[:PORT][/PREFIX]): " + url);
        }
        if (!"redis".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getUserInfo() != null
                || uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("not a Redis URL (redis://HOST[:PORT][/PREFIX]): " + url);
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // an IPv6 literal
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        String prefix = path.isEmpty() || path.equals("/") ? DEFAULT_PREFIX : path.substring(1);
        return new RedisAddress(host, uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), prefix);
    }

    private static boolean prefixChar(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
                || c == '-' || c == ':';
    }

    @Override
    public String toString() {
        return "redis://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port + "/" + prefix;
    }
}
