package chat.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on a fixed port in front of a server that may move: clients keep one address while
 * a test restarts the server on a new port. {@link #down} stops listening and closes every relayed
 * connection, so that clients see what a stopped server on a fixed port gives (closed connections,
 * then refused ones); {@link #up} listens on the same port again, relaying to the new server.
 * {@link #cut} closes the relayed connections only, as a network failure would.
 */
public final class Relay implements AutoCloseable {

    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final int port;
    private volatile ServerSocket listener;
    private volatile int target;

    public Relay(int target) throws IOException {
        this.target = target;
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        port = listener.getLocalPort();
        var l = listener;
        daemon(() -> acceptLoop(l), "relay");
    }

    public int port() {
        return port;
    }

    /** Stops listening and closes every relayed connection. */
    public void down() throws IOException {
        listener.close();
        cut();
    }

    /** Listens on the same port again, relaying to {@code target}. */
    public void up(int target) throws IOException {
        this.target = target;
        var l = new ServerSocket();
        l.setReuseAddress(true);
        l.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        listener = l;
        daemon(() -> acceptLoop(l), "relay");
    }

    /** Closes every relayed connection. */
    public void cut() {
        for (Socket s : open) {
            close(s);
        }
    }

    private void acceptLoop(ServerSocket listener) {
        while (true) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            Socket server = new Socket();
            try {
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 2_000);
            } catch (IOException e) {
                close(client);
                close(server);
                continue;
            }
            open.add(client);
            open.add(server);
            daemon(() -> pump(client, server), "relay-up");
            daemon(() -> pump(server, client), "relay-down");
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buf = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side went: both go
        } finally {
            close(from);
            close(to);
        }
    }

    private void close(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException e) {
            // closed already
        }
    }

    private static void daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cut();
    }
}
