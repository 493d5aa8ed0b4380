package chat.server.reactor;

import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import jdk.net.ExtendedSocketOptions;

/**
 * TCP keepalive with short timers on every connection: after {@link #IDLE_SECONDS} without a
 * byte either way the kernel probes the peer every {@link #INTERVAL_SECONDS}, and after
 * {@link #PROBES} unanswered probes the socket fails and the reactor closes the connection. The
 * article's legacy client never pings and the server never times a legacy connection out, so
 * without this a peer that vanished (switched off, unplugged, its process stopped with SIGSTOP)
 * would stay in the room for good; with it, within about a minute, and no protocol change.
 * A text client pings every 30 s anyway, so the probes never start on a live one.
 *
 * <p>The timers are JDK options ({@code jdk.net.ExtendedSocketOptions}, Linux, macOS); where they
 * are missing the kernel's defaults apply (on Linux two hours), which still ends a dead peer
 * eventually.
 */
final class KeepAlive {

    /** Silence before the first probe: longer than a text client's 30 s between pings. */
    static final int IDLE_SECONDS = 30;
    static final int INTERVAL_SECONDS = 10;
    static final int PROBES = 3;

    private KeepAlive() {}

    static void apply(NetworkChannel ch) throws IOException {
        ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        setIfSupported(ch, ExtendedSocketOptions.TCP_KEEPIDLE, IDLE_SECONDS);
        setIfSupported(ch, ExtendedSocketOptions.TCP_KEEPINTERVAL, INTERVAL_SECONDS);
        setIfSupported(ch, ExtendedSocketOptions.TCP_KEEPCOUNT, PROBES);
    }

    private static void setIfSupported(NetworkChannel ch, SocketOption<Integer> option, int value) throws IOException {
        if (ch.supportedOptions().contains(option)) {
            ch.setOption(option, value);
        }
    }
}
