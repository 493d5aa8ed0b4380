package chat.server;

import chat.server.reactor.Limits;
import chat.server.reactor.Reactor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import chat.server.store.Store;

/** A server on a free loopback port, started in this JVM for a test; close() stops it. */
public final class TestServer implements AutoCloseable {

    private final Server server;
    private final Path data;

    private TestServer(Server server, Path data) {
        this.server = server;
        this.data = data;
    }

    public static TestServer start() throws IOException {
        return start(Limits.DEFAULT);
    }

    public static TestServer start(Limits limits) throws IOException {
        Path data = Files.createTempDirectory("chat-test");
        var options = new Server.Options(0, data, "127.0.0.1", limits, "WARNING", null, null, null);
        var server = new Server(options, Store.open(options.database()));
        server.start();
        return new TestServer(server, data);
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
        try (var files = Files.walk(data)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is no test failure
        }
    }
}
