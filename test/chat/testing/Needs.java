package chat.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from outside the JVM (a C compiler, the article's C sources), and what
 * happens when it is missing: on a developer's machine the test is skipped with the reason, which
 * {@code make test} lists at the end; under {@code CI=true} the test fails, because a CI run that
 * silently checked less than it claims is worse than a red one.
 */
public final class Needs {

    /** Where the article's C programs live, relative to the repository root (Maven's working directory). */
    public static final Path SEED_C_DIR = Path.of("..", "shared", "peers", "seed-c");

    /** Overrides {@link #SEED_C_DIR}, for a checkout that does not sit beside {@code shared/}. */
    public static final String SEED_C_DIR_ENV = "SEED_C_DIR";

    private static final long COMPILE_TIMEOUT_SECONDS = 120;

    private Needs() {}

    /** Whether this is a CI run, where nothing may be skipped. */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Goes on when {@code condition} holds. Otherwise fails under {@code CI=true} and aborts (skips)
     * the test elsewhere, saying {@code what} is missing.
     */
    public static void require(boolean condition, String what) {
        if (condition) {
            return;
        }
        if (inCi()) {
            fail("CI=true, so this test may not be skipped, but it needs " + what);
        }
        Assumptions.abort("needs " + what);
    }

    /** The article's C source {@code file} (such as {@code client_app.c}); required to exist. */
    public static Path seedCSource(String file) {
        String override = System.getenv(SEED_C_DIR_ENV);
        Path dir = override != null && !override.isEmpty() ? Path.of(override) : SEED_C_DIR;
        Path source = dir.resolve(file).toAbsolutePath().normalize();
        require(Files.isRegularFile(source), "the article's C source " + source
                + " (set " + SEED_C_DIR_ENV + " to the seed-c folder to look elsewhere)");
        return source;
    }

    /** Whether {@code command --version} runs and succeeds. */
    public static boolean onPath(String command) {
        try {
            Process p = new ProcessBuilder(command, "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Compiles the article's C program {@code file} with gcc into {@code outDir} and returns the
     * executable. A missing gcc or source skips (fails in CI); a compile error always fails, with
     * gcc's output.
     */
    public static Path compileSeedC(String file, Path outDir) throws IOException, InterruptedException {
        Path source = seedCSource(file);
        require(onPath("gcc"), "gcc, to compile the article's C program " + file);
        String base = file.endsWith(".c") ? file.substring(0, file.length() - 2) : file;
        Path exe = outDir.resolve(base);
        Path log = outDir.resolve(base + ".gcc.log");
        Process gcc = new ProcessBuilder("gcc", "-std=gnu11", "-pthread", "-o", exe.toString(), source.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!gcc.waitFor(COMPILE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            gcc.destroyForcibly();
            fail("gcc " + source + " did not finish in " + COMPILE_TIMEOUT_SECONDS + " s");
        }
        if (gcc.exitValue() != 0 || !Files.isExecutable(exe)) {
            fail("gcc " + source + " failed (exit " + gcc.exitValue() + "):\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        return exe;
    }
}
