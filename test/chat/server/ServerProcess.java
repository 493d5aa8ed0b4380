package chat.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Request;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real server as a process of its own (bin/chat-server's main), on a database that outlives
 * it: a test can kill it, or count what it holds from outside ({@link #openDescriptors}), with
 * none of the test's own sockets and files mixed in.
 */
public final class ServerProcess {

    public final Process process;
    public final int port;
    /** Its standard output and error, together. */
    public final Path log;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts the server on {@code db} (cheap password hashing, warnings and errors logged, options
     * of the caller's after those) and returns once it answers a CHECK_NAME, which needs the
     * database as well as the socket.
     */
    public static ServerProcess start(Backend.Fresh db, String... options) throws Exception {
        return start(db.url(), db.data(), options);
    }

    /**
     * As above, on the database at {@code url} with the data folder {@code data} (a folder of its
     * own per process: a server locks its folder), so that several servers can share one database.
     */
    public static ServerProcess start(String url, Path data, String... options) throws Exception {
        int port;
        try (var probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path log = Files.createTempFile(data, "server", ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "chat.server.Server", Integer.toString(port),
                "--data", data.toString(), "--db", url, "--pbkdf2-iterations", "1000",
                "--log-level", "WARNING"));
        command.addAll(List.of(options));
        var p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Await.until(() -> {
            assertTrue(p.isAlive(), () -> "the server stopped: " + read(log));
            try (var probe = new TextClient(port, "probe")) {
                // CHECK_NAME reads the database, as REGISTER does, but charges no registration: a
                // probe retried on a slow machine used up the address's five, and the test's own
                // REGISTERs were throttled
                return probe.call(new Request.CheckName("probe")).ok();
            } catch (IOException notYet) {
                return false;
            }
        }, Duration.ofSeconds(90), "the server answers on " + port);
        return new ServerProcess(p, port, log);
    }

    /** What the server has written so far. */
    public String output() {
        return read(log);
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** The file descriptors the server process holds now: sockets, database files, the JVM's own. */
    public long openDescriptors() throws IOException {
        try (var fds = Files.list(Path.of("/proc", Long.toString(process.pid()), "fd"))) {
            return fds.count();
        }
    }

    /** SIGKILL: no shutdown hook, no last flush; what the server said is printed for a failure's reader. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        String said = output();
        if (!said.isBlank()) {
            System.out.println("the server's log:\n" + said);
        }
    }

    /** SIGSTOP: the process freezes where it is, its sockets left open (a hung machine, a long pause). */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT: a paused process goes on. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        var kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        assertTrue(kill.waitFor(30, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + name + " " + process.pid());
    }

    /** SIGTERM: the server shuts down as on Ctrl-C; killed if it has not within 30 s. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }
}
