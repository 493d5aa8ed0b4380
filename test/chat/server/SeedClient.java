package chat.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One running article's C client ({@code ./app 127.0.0.1 PORT NAME}, compiled by
 * {@code Needs.compileSeedC}): what it prints, line by line, and its keyboard.
 */
public final class SeedClient implements AutoCloseable {

    public final Process process;
    public final OutputStream stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    public SeedClient(Path exe, int port, String name) throws IOException {
        process = new ProcessBuilder(exe.toString(), "127.0.0.1", Integer.toString(port), name)
                .redirectErrorStream(true).start();
        stdin = process.getOutputStream();
        Thread reader = new Thread(() -> {
            try (var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("<read failed: " + e + ">");
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    public void type(String line) throws IOException {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    public String nextLine() throws InterruptedException {
        String line = lines.poll(10, TimeUnit.SECONDS);
        if (line == null) {
            throw new AssertionError("the C client printed nothing within 10 s");
        }
        return line;
    }

    /** Ends its input: the C client closes its socket and exits. */
    public void quit() throws IOException, InterruptedException {
        stdin.close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the C client did not exit at the end of its input");
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
