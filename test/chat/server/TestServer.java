package chat.server;

import chat.server.reactor.Limits;
import chat.server.reactor.Reactor;
import chat.server.text.TextProtocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import chat.server.store.JdbcStore;

/** A server on a free loopback port, started in this JVM for a test; close() stops it. */
public final class TestServer implements AutoCloseable {

    public static final int TEST_ITERATIONS = 1_000;

    private final Server server;
    private final Path data;
    private boolean deleteOnClose;

    private TestServer(Server server, Path data) {
        this.server = server;
        this.data = data;
    }

    public static TestServer start() throws IOException {
        return start(Limits.DEFAULT);
    }

    public static TestServer start(Limits limits) throws IOException {
        return start(limits, null);
    }

    /**
     * A server on {@code dbUrl} (a fresh SQLite file when null), with cheap password hashing:
     * 1,000 PBKDF2 iterations instead of 600,000, so that tests can log in by the hundred.
     */
    public static TestServer start(Limits limits, String dbUrl) throws IOException {
        Path temp = Files.createTempDirectory("chat-test");
        var server = start(limits, dbUrl, TextProtocol.DEFAULT_IDLE_MILLIS, temp);
        server.deleteOnClose = true;
        return server;
    }

    /** As above, with an idle timeout and a data folder of the caller's (kept across restarts). */
    public static TestServer start(Limits limits, String dbUrl, long idleMillis, Path data) throws IOException {
        var options = new Server.Options(0, data, "127.0.0.1", limits, "WARNING", dbUrl, null, null,
                TEST_ITERATIONS, idleMillis);
        Logging.configure(options.logLevel()); // one line per warning, and no INFO chatter in test output
        var server = new Server(options, JdbcStore.open(options.database()));
        server.start();
        return new TestServer(server, data);
    }

    public int port() {
        return server.port();
    }

    public Reactor reactor() {
        return server.reactor();
    }

    public chat.server.hub.Hub hub() {
        return server.hub();
    }

    public Online online() {
        return server.online();
    }

    @Override
    public void close() throws InterruptedException {
        server.stop();
        if (!deleteOnClose) {
            return;
        }
        try (var files = Files.walk(data)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is no test failure
        }
    }
}
