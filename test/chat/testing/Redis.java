package chat.testing;

import chat.common.wire.Resp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Redis for tests: the one that runs beside them (127.0.0.1:6379; override the port with
 * CHAT_TEST_REDIS_PORT), which tests share and so touch only under a prefix of their own; or a
 * {@link Process redis-server} a test starts for itself, to kill, restart or reconfigure. Without
 * either the test is skipped, or fails under CI=true ({@link Needs}).
 */
public final class Redis {

    public static final String HOST = "127.0.0.1";
    public static final int PORT = Integer.parseInt(System.getenv().getOrDefault("CHAT_TEST_REDIS_PORT", "6379"));

    private Redis() {}

    /** The shared Redis's port, once it answers PING. */
    public static int shared() {
        Needs.require(answers(PORT), "Redis at " + HOST + ":" + PORT + " (set CHAT_TEST_REDIS_PORT to use another port)");
        return PORT;
    }

    /** A key and channel prefix no other test run uses. */
    public static String uniquePrefix(String what) {
        return "test-" + what + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    /** Whether a Redis on {@code port} answers PING. */
    public static boolean answers(int port) {
        try (var cli = new Cli(port)) {
            return new Resp.Simple("PONG").equals(cli.call("PING"));
        } catch (IOException e) {
            return false;
        }
    }

    /** A blocking client, one command at a time: the test's own hands on Redis. */
    public static final class Cli implements AutoCloseable {
        private final Socket socket = new Socket();
        private final InputStream in;
        private final OutputStream out;
        private final Resp.Decoder decoder = new Resp.Decoder();
        private ByteBuffer buffer = ByteBuffer.allocate(1 << 16).flip();

        public Cli(int port) throws IOException {
            socket.connect(new InetSocketAddress(HOST, port), 2000);
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        public Resp.Value call(String... args) throws IOException {
            out.write(Resp.command(args));
            out.flush();
            while (true) {
                Resp.Value v = decoder.next(buffer);
                if (v != null) {
                    return v;
                }
                buffer.compact();
                if (!buffer.hasRemaining()) {
                    buffer = ByteBuffer.allocate(buffer.capacity() * 2).put(buffer.flip());
                }
                int n = in.read(buffer.array(), buffer.position(), buffer.remaining());
                if (n < 0) {
                    throw new IOException("Redis closed the connection");
                }
                buffer.position(buffer.position() + n).flip();
            }
        }

        /** The id of the connection named {@code name} (CLIENT SETNAME), from CLIENT LIST; -1 if none. */
        public long clientId(String name) throws IOException {
            String list = ((Resp.Bulk) call("CLIENT", "LIST")).text();
            for (String line : list.split("\n")) {
                if ((" " + line + " ").contains(" name=" + name + " ")) {
                    for (String field : line.split(" ")) {
                        if (field.startsWith("id=")) {
                            return Long.parseLong(field.substring(3));
                        }
                    }
                }
            }
            return -1;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * A {@code redis-server} of the test's own on a free port, without persistence, which it may
     * kill with SIGKILL and start again on the same port.
     */
    public static final class Server implements AutoCloseable {
        private final int port;
        private final Path dir;
        private Process process;

        private Server(int port, Path dir) {
            this.port = port;
            this.dir = dir;
        }

        /** Starts one; skips (fails in CI) without redis-server on the PATH. */
        public static Server start() throws IOException, InterruptedException {
            Needs.require(Needs.onPath("redis-server"), "redis-server on the PATH");
            int port;
            try (var probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            var server = new Server(port, Files.createTempDirectory("redis-test"));
            server.restart();
            return server;
        }

        public int port() {
            return port;
        }

        /** Its log (what it said since its last start): a client cut for its output buffer is named there. */
        public Path log() {
            return dir.resolve("redis.log");
        }

        /** Starts the process again (after {@link #kill}), empty, and waits until it answers. */
        public void restart() throws IOException, InterruptedException {
            process = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", HOST,
                    "--save", "", "--appendonly", "no", "--dir", dir.toString()))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!answers(port)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("redis-server on port " + port + " did not start: "
                            + Files.readString(dir.resolve("redis.log")));
                }
                Thread.sleep(20);
            }
        }

        /** SIGSTOP ({@code false}) or SIGCONT ({@code true}): a Redis that hangs, its sockets open. */
        public void run(boolean running) throws IOException, InterruptedException {
            Process kill = new ProcessBuilder("kill", running ? "-CONT" : "-STOP", Long.toString(process.pid()))
                    .inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IOException("kill " + (running ? "-CONT " : "-STOP ") + process.pid() + " failed");
            }
        }

        /** SIGKILL, and waits for the process to be gone. */
        public void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }

        @Override
        public void close() throws Exception {
            kill();
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }
}
