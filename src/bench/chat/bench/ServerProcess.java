package chat.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * A server the bench starts and stops itself ({@code chat-bench restart}): {@code sh -c CMD},
 * its output appended to a log file. The command may be a launcher script; the process to watch
 * (CPU time) and to signal is the deepest descendant of the shell when it has one (the JVM that
 * {@code bin/chat-server} execs), else the shell itself (dash execs a lone command in place).
 */
final class ServerProcess {

    /** How long an orderly stop (SIGTERM) may take before the process is killed. */
    private static final long STOP_NANOS = TimeUnit.SECONDS.toNanos(20);

    final String command;
    private final Process shell;
    private final java.util.List<ProcessHandle> watched = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final java.util.Set<ServerProcess> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private ServerProcess(String command, Process shell) {
        this.command = command;
        this.shell = shell;
    }

    /** Starts {@code sh -c command}, its standard output and error appended to {@code log}. */
    static ServerProcess start(String command, Path log) throws IOException {
        Path parent = log.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(log, "=== chat-bench: sh -c " + command + "\n", StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        var pb = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        var p = new ServerProcess(command, pb.start());
        RUNNING.add(p);
        return p;
    }

    /**
     * Kills every server this process started that may still run. The deadline watchdog calls it
     * before it halts the JVM (a halt runs no shutdown hook): a server left behind would hold the
     * port and a core for the scenarios after it.
     */
    static void killAll() {
        for (ServerProcess p : RUNNING) {
            p.shell.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            p.watched.forEach(ProcessHandle::destroyForcibly);
            p.shell.destroyForcibly();
        }
    }

    /** The process that is the server: the shell's deepest descendant, or the shell. */
    ProcessHandle server() {
        ProcessHandle h = shell.toHandle();
        while (true) {
            var child = h.children().filter(ProcessHandle::isAlive).findFirst();
            if (child.isEmpty()) {
                return h;
            }
            h = child.get();
        }
    }

    boolean alive() {
        return shell.isAlive();
    }

    /**
     * Waits until a plain connect to {@code address} succeeds, polling every 20 ms; false when the
     * process exits first or {@code deadline} (System.nanoTime()) passes.
     */
    boolean awaitAccepting(InetSocketAddress address, long deadline) throws InterruptedException {
        while (System.nanoTime() < deadline && shell.isAlive()) {
            try (var s = new Socket()) {
                s.connect(address, 1000);
                return true;
            } catch (IOException refused) {
                Thread.sleep(20);
            }
        }
        return false;
    }

    /**
     * SIGTERM to the server (an orderly shutdown: clients get {@code BYE:shutdown}) and to its
     * shell; {@link #exited} then watches every process that was under the shell at this moment
     * (a killed shell's children are re-parented and no longer its descendants).
     */
    void terminate() {
        ProcessHandle server = server();
        watched.clear();
        watched.add(shell.toHandle());
        shell.toHandle().descendants().forEach(watched::add);
        server.destroy();
        if (server.pid() != shell.pid()) {
            shell.toHandle().destroy();
        }
    }

    /** Whether every process of the last {@link #terminate} (before one: the shell and its descendants) has exited. */
    boolean exited() {
        if (watched.isEmpty()) {
            return !shell.isAlive() && shell.toHandle().descendants().noneMatch(ProcessHandle::isAlive);
        }
        return watched.stream().noneMatch(ProcessHandle::isAlive);
    }

    /**
     * {@link #terminate}, then waits up to 20 s for the exit and kills what is left after that.
     * Returns false if it had to kill.
     */
    boolean stop() throws InterruptedException {
        terminate();
        long deadline = System.nanoTime() + STOP_NANOS;
        while (System.nanoTime() < deadline) {
            if (exited()) {
                RUNNING.remove(this);
                return true;
            }
            Thread.sleep(20);
        }
        kill();
        return false;
    }


    /** SIGKILL to every process of the last {@link #terminate} (or of now, if none). */
    void kill() throws InterruptedException {
        if (watched.isEmpty()) {
            watched.add(shell.toHandle());
            shell.toHandle().descendants().forEach(watched::add);
        }
        watched.forEach(ProcessHandle::destroyForcibly);
        shell.waitFor(5, TimeUnit.SECONDS);
        RUNNING.remove(this);
    }

    /** Exit status of the shell, or -1 while it runs. */
    int exitStatus() {
        return shell.isAlive() ? -1 : shell.exitValue();
    }
}
