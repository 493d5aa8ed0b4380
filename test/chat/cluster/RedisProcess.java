package chat.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.server.Await;
import chat.testing.Needs;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server of the test's own, on a free port, without persistence, so that killing it,
 * restarting it empty or squeezing its buffers touches nothing else on the machine (the shared
 * Redis on 6379 least of all). Without redis-server on the PATH the test is skipped, or fails
 * under CI=true ({@link Needs}). {@link #call} speaks RESP over a blocking socket of its own,
 * one connection per call: a tool of the test, not the server's codec under test.
 */
final class RedisProcess implements AutoCloseable {

    /** A reply Redis gave as an error ({@code -ERR ...}). */
    static final class RedisError extends IOException {
        RedisError(String message) {
            super(message);
        }
    }

    final int port;
    final Path log;
    private Process process;

    private RedisProcess(int port, Path log) {
        this.port = port;
        this.log = log;
    }

    /** Starts one in {@code dir} (its log goes there) and returns once it answers PING. */
    static RedisProcess start(Path dir) throws Exception {
        Needs.require(Needs.onPath("redis-server"), "redis-server on the PATH (the cluster tests start their own)");
        int port;
        try (var probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        var redis = new RedisProcess(port, dir.resolve("redis-" + port + ".log"));
        redis.launch();
        return redis;
    }

    private void launch() throws Exception {
        process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Process p = process;
        Await.until(() -> {
            assertTrue(p.isAlive(), () -> "redis-server stopped: " + output());
            try {
                return "PONG".equals(call("PING"));
            } catch (IOException notYet) {
                return false;
            }
        }, Duration.ofSeconds(30), "redis-server answers on " + port);
    }

    /** The URL a node takes with {@code --cluster}, its keys and channels under {@code prefix}. */
    String url(String prefix) {
        return "redis://127.0.0.1:" + port + "/" + prefix;
    }

    /** SIGKILL: every connection to it drops at once, and what it held is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "redis-server killed");
    }

    /** Starts it again on the same port, empty (it keeps nothing on disk). */
    void restart() throws Exception {
        if (process.isAlive()) {
            kill();
        }
        launch();
    }

    /** What it logged (a client cut for its output buffer says so here). */
    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /**
     * One command; the reply as Redis types it: a String (simple or bulk, UTF-8), a Long, null,
     * or a List of those. An error reply throws {@link RedisError}.
     */
    Object call(String... args) throws IOException {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            socket.setSoTimeout(10_000);
            var out = new ByteArrayOutputStream();
            out.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (String a : args) {
                byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
                out.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(bytes);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            OutputStream o = socket.getOutputStream();
            o.write(out.toByteArray());
            o.flush();
            return read(new BufferedInputStream(socket.getInputStream()));
        }
    }

    private static Object read(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new RedisError(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(n + 2);
                if (bytes.length != n + 2) {
                    throw new IOException("Redis closed within a bulk reply");
                }
                return new String(bytes, 0, n, StandardCharsets.UTF_8);
            }
            case '*': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(read(in));
                }
                return items;
            }
            default:
                throw new IOException("not a RESP reply: type " + type + " " + line);
        }
    }

    private static String line(InputStream in) throws IOException {
        var bytes = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\r') {
            if (b < 0) {
                throw new IOException("Redis closed the connection");
            }
            bytes.write(b);
        }
        if (in.read() != '\n') {
            throw new IOException("a RESP line without its LF");
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }
}
