package chat.server;

import chat.server.reactor.Limits;
import chat.server.reactor.Reactor;
import java.io.IOException;
import java.nio.file.Path;

/** A server on a free loopback port, started in this JVM for a test; close() stops it. */
public final class TestServer implements AutoCloseable {

    private final Server server;

    private TestServer(Server server) {
        this.server = server;
    }

    public static TestServer start() throws IOException {
        return start(Limits.DEFAULT);
    }

    public static TestServer start(Limits limits) throws IOException {
        var options = new Server.Options(0, Path.of(System.getProperty("java.io.tmpdir")), "127.0.0.1", limits, "WARNING");
        var server = new Server(options);
        server.start();
        return new TestServer(server);
    }

    public int port() {
        return server.port();
    }

    public Reactor reactor() {
        return server.reactor();
    }

    public Online online() {
        return server.online();
    }

    @Override
    public void close() throws InterruptedException {
        server.stop();
    }
}
