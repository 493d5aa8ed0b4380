package chat.server;

import chat.testing.Redis;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay to Redis for one node, which a test may cut two ways: {@link #stalled} (nothing
 * passes either way while the sockets stay open: a partition), or {@link #subscriberDown} (the
 * node's subscriber link closed and kept closed while its command link, with the heartbeats that
 * keep it from being reaped, passes: a link names itself first, and the subscriber's name ends
 * in {@code -sub}).
 */
final class RedisRelay implements AutoCloseable {

    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName(Redis.HOST));
    private final List<Socket[]> subscribers = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    /** Nothing passes while set; what was read waits. */
    volatile boolean stalled;
    private volatile boolean subscriberDown;

    RedisRelay(int target) throws IOException {
        daemon(() -> {
            try {
                while (true) {
                    var in = server.accept();
                    var out = new Socket(Redis.HOST, target);
                    sockets.add(in);
                    sockets.add(out);
                    var pair = new Socket[] {in, out};
                    pump(in, out, pair);
                    pump(out, in, null);
                }
            } catch (IOException closed) {
                // closed
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    String url(String prefix) {
        return "redis://" + Redis.HOST + ":" + port() + "/" + prefix;
    }

    /** Cuts the subscriber link, and keeps cutting it while {@code down}. */
    void subscriberDown(boolean down) throws IOException {
        this.subscriberDown = down;
        if (down) {
            for (Socket[] pair : subscribers) {
                pair[0].close();
                pair[1].close();
            }
        }
    }

    /** {@code pair}: the node's side of a connection whose first bytes may name it a subscriber. */
    private void pump(Socket from, Socket to, Socket[] pair) {
        daemon(() -> {
            byte[] buffer = new byte[8192];
            boolean subscriber = false;
            try {
                for (int n; (n = from.getInputStream().read(buffer)) >= 0; ) {
                    if (pair != null && !subscriber
                            && new String(buffer, 0, n, StandardCharsets.ISO_8859_1).contains("-sub\r\n")) {
                        subscriber = true;
                        subscribers.add(pair);
                    }
                    if (subscriber && subscriberDown) {
                        from.close();
                        to.close();
                        return;
                    }
                    while (stalled) {
                        Thread.sleep(10);
                    }
                    to.getOutputStream().write(buffer, 0, n);
                }
                to.close();
            } catch (IOException | InterruptedException closed) {
                // closed
            }
        });
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "redis-relay");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (var socket : sockets) {
            socket.close();
        }
    }
}
