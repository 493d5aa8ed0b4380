package chat.server;

import chat.server.config.Settings;
import chat.server.legacy.Online;
import chat.server.reactor.Limits;
import chat.server.reactor.Reactor;
import chat.server.store.JdbcStore;
import chat.server.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/** A server on a free loopback port, started in this JVM for a test; close() stops it. */
public final class TestServer implements AutoCloseable {

    public static final int TEST_ITERATIONS = 1_000;
    /**
     * The per-address cap of a test server: every test client comes from 127.0.0.1, and some
     * tests open hundreds at once. A test about the cap sets one other than the default.
     */
    public static final int TEST_CONNECTIONS_PER_ADDRESS = 100_000;

    private final Server server;
    private final Path data;
    private boolean deleteOnClose;

    private TestServer(Server server, Path data) {
        this.server = server;
        this.data = data;
    }

    /**
     * Settings for a test: loopback, a free port, warnings only, and cheap password hashing (1,000
     * PBKDF2 iterations instead of 600,000, so that tests can log in by the hundred). Every test
     * client connects from 127.0.0.1, so the per-address limits on hashing and registrations are
     * lifted (the tests of those limits set them back). Change what the test is about, then
     * {@link #start(Settings.Builder)}.
     */
    public static Settings.Builder settings() {
        return Settings.builder().port(0).bind("127.0.0.1").logLevel("WARNING").pbkdf2Iterations(TEST_ITERATIONS)
                .hashQueue(100_000).hashPerAddress(100_000).registerLimit(1_000_000);
    }

    public static TestServer start() throws IOException {
        return start(Limits.DEFAULT);
    }

    public static TestServer start(Limits limits) throws IOException {
        return start(limits, null);
    }

    /** A server on {@code dbUrl} (a fresh SQLite file when null). */
    public static TestServer start(Limits limits, String dbUrl) throws IOException {
        return start(settings().limits(limits).dbUrl(dbUrl));
    }

    /** As above, with an idle timeout and a data folder of the caller's (kept across restarts). */
    public static TestServer start(Limits limits, String dbUrl, long idleMillis, Path data) throws IOException {
        return start(settings().limits(limits).dbUrl(dbUrl).idleTimeout(Duration.ofMillis(idleMillis)).data(data),
                System::currentTimeMillis);
    }

    /** A server with these settings; a fresh data folder, removed at close, unless they name one. */
    public static TestServer start(Settings.Builder settings) throws IOException {
        return start(settings, System::currentTimeMillis);
    }

    /**
     * As above, with a wall clock of the test's ({@code clock}: milliseconds since 1970), so that
     * a test can let a month pass.
     */
    public static TestServer start(Settings.Builder settings, LongSupplier clock) throws IOException {
        return start(settings, clock, UnaryOperator.identity());
    }

    /**
     * As above, with the store seen through {@code wrap}: a test puts a step of its own between
     * two of the server's store calls, to make a race happen every time.
     */
    public static TestServer start(Settings.Builder settings, LongSupplier clock, UnaryOperator<Store> wrap)
            throws IOException {
        if (settings.limits().maxConnectionsPerAddress() == Limits.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS) {
            settings.limits(settings.limits().withMaxConnectionsPerAddress(TEST_CONNECTIONS_PER_ADDRESS));
        }
        boolean temporary = settings.build().data().equals(Path.of("."));
        if (temporary) {
            settings.data(Files.createTempDirectory("chat-test"));
        }
        Settings s = settings.build();
        Logging.configure(s.logLevel()); // one line per warning, and no INFO chatter in test output
        var server = new Server(s, wrap.apply(JdbcStore.open(s.database(), s.cluster() != null)), clock);
        server.start();
        var started = new TestServer(server, s.data());
        started.deleteOnClose = temporary;
        return started;
    }

    /** Expires file offers now, as the hourly sweep does. */
    public void sweepFiles() {
        server.sweepFiles();
    }

    /** Deletes messages past the retention setting now, as the hourly sweep does; returns when done. */
    public void sweepMessages() {
        server.sweepMessages();
    }

    public int port() {
        return server.port();
    }

    /** The server as a cluster node (null without --cluster). */
    public chat.server.cluster.Cluster cluster() {
        return server.cluster();
    }

    /**
     * Freezes the server as SIGSTOP would: its reactor is held by a task that waits, so that it
     * reads, writes and beats no more while its sockets and its database connections stay open.
     * Running the returned task lets it go on.
     */
    public Runnable freeze() throws InterruptedException {
        var frozen = new java.util.concurrent.CountDownLatch(1);
        var thaw = new java.util.concurrent.CountDownLatch(1);
        server.reactor().execute(() -> {
            frozen.countDown();
            try {
                thaw.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        frozen.await();
        return thaw::countDown;
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
