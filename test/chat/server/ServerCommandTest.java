package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.wire.LegacyRecord;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code chat-server PORT}, run as its own process, as a user runs it. */
class ServerCommandTest {

    @TempDir
    Path dir;

    private Process launch(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "chat.server.Server"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile())
                .start();
    }

    private String err() throws IOException {
        return Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8);
    }

    @Test
    void withoutAPortItPrintsUsageAndFails() throws Exception {
        Process p = launch();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(Server.Exit.USAGE.status, p.exitValue());
        assertTrue(err().contains("usage: chat-server PORT"), err());
    }

    @Test
    void aBadPortPrintsUsageAndFails() throws Exception {
        Process p = launch("eighty");
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(Server.Exit.USAGE.status, p.exitValue());
        assertTrue(err().contains("PORT must be a number from 0 to 65535, not eighty"), err());
    }

    @Test
    void aPortInUseIsOneLineNotAStackTrace() throws Exception {
        try (var taken = new ServerSocket(0)) {
            Process p = launch(Integer.toString(taken.getLocalPort()), "--data", dir.toString());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(Server.Exit.START_FAILED.status, p.exitValue());
            String err = err().strip();
            assertTrue(err.startsWith("chat-server: cannot listen on port " + taken.getLocalPort()), err);
            assertEquals(1, err.lines().count(), err);
        }
    }

    @Test
    void aPortInUseFailsBeforeTheDatabaseIsOpened() throws Exception {
        Path data = dir.resolve("data");
        try (var taken = new ServerSocket(0)) {
            Process p = launch(Integer.toString(taken.getLocalPort()), "--data", data.toString());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(Server.Exit.START_FAILED.status, p.exitValue());
        }
        assertFalse(Files.exists(data.resolve("chat.db")), "the database was not opened");
    }

    @Test
    void aSecondServerOnTheSameDataDirectoryRefusesItTouchingNothing() throws Exception {
        Path data = dir.resolve("data");
        int port = freePort();
        Process first = launch(Integer.toString(port), "--data", data.toString());
        try {
            awaitListening(port, first);
            var err = dir.resolve("second-err.txt");
            Process second = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "chat.server.Server", "0", "--data", data.toString())
                    .redirectOutput(dir.resolve("second-out.txt").toFile())
                    .redirectError(err.toFile())
                    .start();
            try {
                assertTrue(second.waitFor(30, TimeUnit.SECONDS), "the second server gave up");
            } finally {
                second.destroyForcibly();
            }
            assertEquals(Server.Exit.START_FAILED.status, second.exitValue());
            String message = Files.readString(err, StandardCharsets.UTF_8).strip();
            assertEquals("chat-server: data directory " + data + " is in use by another server", message);
            assertTrue(first.isAlive());
            awaitListening(port, first);
        } finally {
            first.destroy();
            first.waitFor(30, TimeUnit.SECONDS);
        }
        // The lock goes with the process: a server started after the first one stopped runs.
        int thirdPort = freePort();
        Process third = launch(Integer.toString(thirdPort), "--data", data.toString());
        try {
            awaitListening(thirdPort, third);
        } finally {
            third.destroyForcibly();
        }
    }

    @Test
    void theDatabaseAndItsFolderAreReadableByTheServerOnly() throws Exception {
        Path data = dir.resolve("data");
        int port = freePort();
        Process p = launch(Integer.toString(port), "--data", data.toString(), "--pbkdf2-iterations", "1000");
        try (var alice = awaitLoggedIn(port, p)) {
            if (!Files.getFileStore(dir).supportsFileAttributeView("posix")) {
                return; // nothing to check where there are no POSIX permissions
            }
            assertEquals("rwx------", permissions(data));
            // the -wal and -shm files exist while the writer's connection is open (write-ahead logging)
            for (String file : List.of("chat.db", "chat.db-wal", "chat.db-shm", "chat.lock")) {
                assertEquals("rw-------", permissions(data.resolve(file)), file);
            }
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private TextClient awaitLoggedIn(int port, Process p) throws Exception {
        awaitListening(port, p);
        return TextClient.loggedIn(port, "alice");
    }

    private static String permissions(Path p) throws IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static int freePort() throws IOException {
        try (var probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    private void awaitListening(int port, Process p) throws Exception {
        for (int i = 0; i < 600; i++) {
            try (var s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                assertTrue(p.isAlive(), "the server stopped: " + err());
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the server did not come up: " + err());
    }

    @Test
    void sigtermClosesEveryConnectionAndExitsZero() throws Exception {
        int port;
        try (var probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path data = dir.resolve("data");
        Process p = launch(Integer.toString(port), "--data", data.toString());
        try {
            LegacyClient alice = null;
            for (int i = 0; i < 300 && alice == null; i++) {
                try {
                    alice = LegacyClient.join(port, "alice");
                } catch (IOException notYet) {
                    Thread.sleep(50);
                }
            }
            assertTrue(alice != null, "the server came up: " + err());
            try (var bob = LegacyClient.join(port, "bob")) {
                assertEquals(LegacyRecord.ONLINE, alice.read().type());
                p.destroy(); // SIGTERM
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
                assertEquals(0, p.exitValue(), err());
                assertTrue(alice.awaitClosed(5_000));
                assertTrue(bob.awaitClosed(5_000));
            } finally {
                alice.close();
            }
            assertTrue(Files.isDirectory(data), "--data DIR is created");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void optionsAreChecked() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Server.parse(new String[] {"8899", "--max-pending", "-5"}));
        assertEquals("--max-pending must be a positive integer, not -5", e.getMessage());
        assertEquals(8899, Server.parse(new String[] {"8899"}).port());
        assertFalse(Server.parse(new String[] {"--data", "/tmp/x", "1"}).data().toString().isEmpty());
    }

    @Test
    void theSessionAndTimeoutOptionsGoToTheSettings() {
        var defaults = Server.parse(new String[] {"8899"});
        assertEquals(java.time.Duration.ofDays(30), defaults.sessionLifetime());
        assertEquals(java.time.Duration.ofSeconds(10), defaults.identifyTimeout());
        assertEquals(java.time.Duration.ofSeconds(60), defaults.loginTimeout());
        assertFalse(defaults.singleSession());
        var set = Server.parse(new String[] {"8899", "--session-days", "7", "--identify-timeout", "3",
                "--login-timeout", "20", "--single-session"});
        assertEquals(java.time.Duration.ofDays(7), set.sessionLifetime());
        assertEquals(java.time.Duration.ofSeconds(3), set.identifyTimeout());
        assertEquals(java.time.Duration.ofSeconds(20), set.loginTimeout());
        assertTrue(set.singleSession());
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Server.parse(new String[] {"8899", "--login-timeout", "0"}));
        assertEquals("--login-timeout must be a positive integer, not 0", e.getMessage());
    }

    @Test
    void theHashingAndRegistrationLimitsGoToTheSettings() {
        var defaults = Server.parse(new String[] {"8899"});
        assertEquals(64, defaults.hashQueue());
        assertEquals(4, defaults.hashPerAddress());
        assertEquals(5, defaults.registerLimit());
        assertEquals(java.time.Duration.ofMinutes(10), defaults.registerWindow());
        var set = Server.parse(new String[] {"8899", "--hash-queue", "0", "--hash-per-address", "2",
                "--register-limit", "3", "--register-window", "60"});
        assertEquals(0, set.hashQueue(), "0: checks only run, none wait");
        assertEquals(2, set.hashPerAddress());
        assertEquals(3, set.registerLimit());
        assertEquals(java.time.Duration.ofMinutes(60), set.registerWindow());
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Server.parse(new String[] {"8899", "--hash-per-address", "0"}));
        assertEquals("--hash-per-address must be a positive integer, not 0", e.getMessage());
    }

    /** --admins takes names in any spelling, checked as names; none by default. */
    @Test
    void theAdminsOptionNamesAccountsByTheirKey() {
        assertFalse(Server.parse(new String[] {"8899"}).isAdmin("root"));
        var set = Server.parse(new String[] {"8899", "--admins", "Root,小红"});
        assertTrue(set.isAdmin("ROOT"));
        assertTrue(set.isAdmin("小红"));
        assertFalse(set.isAdmin("bob"));
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Server.parse(new String[] {"8899", "--admins", "root,,bob"}));
        assertTrue(e.getMessage().startsWith("admin : "), e.getMessage());
    }

    @Test
    void theConnectionCapPerAddressIsAnOption() {
        assertEquals(32, Server.parse(new String[] {"8899"}).limits().maxConnectionsPerAddress());
        assertEquals(5000, Server.parse(new String[] {"8899", "--max-connections-per-address", "5000"})
                .limits().maxConnectionsPerAddress());
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Server.parse(new String[] {"8899", "--max-connections-per-address", "0"}));
        assertEquals("--max-connections-per-address must be a positive integer, not 0", e.getMessage());
    }

    /** --durability fsync reaches the SQLite connections: synchronous=FULL (2) instead of NORMAL (1). */
    @Test
    void theDurabilityOptionSetsWhatACommitWaitsFor() throws Exception {
        var data = Files.createTempDirectory("chat-durability");
        var normal = Server.parse(new String[] {"8899", "--data", data.toString()});
        assertEquals(chat.server.store.Database.Durability.NORMAL, normal.durability());
        var fsync = Server.parse(new String[] {"8899", "--data", data.toString(), "--durability", "fsync"});
        assertEquals(chat.server.store.Database.Durability.FSYNC, fsync.database().durability());
        assertEquals(1, synchronous(normal.database()));
        assertEquals(2, synchronous(fsync.database()));
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Server.parse(new String[] {"8899", "--durability", "always"}));
        assertEquals("--durability is normal or fsync, not always", e.getMessage());
    }

    @Test
    void theTlsOptionsGoToTheSettingsAndGoTogether() {
        var set = Server.parse(new String[] {"8899", "--tls-cert", "chain.pem", "--tls-key", "key.pem", "--require-tls",
                "--tls-handshake-timeout", "5"});
        assertEquals(Path.of("chain.pem"), set.tlsCert());
        assertEquals(Path.of("key.pem"), set.tlsKey());
        assertTrue(set.requireTls());
        assertEquals(java.time.Duration.ofSeconds(5), set.tlsHandshakeTimeout());
        var defaults = Server.parse(new String[] {"8899"});
        assertEquals(null, defaults.tlsCert());
        assertFalse(defaults.requireTls());
        assertEquals(java.time.Duration.ofSeconds(10), defaults.tlsHandshakeTimeout());
        var alone = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Server.parse(new String[] {"8899", "--tls-cert", "chain.pem"}));
        assertEquals("--tls-cert and --tls-key go together", alone.getMessage());
        var require = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Server.parse(new String[] {"8899", "--require-tls"}));
        assertEquals("--require-tls needs --tls-cert and --tls-key", require.getMessage());
    }

    /** A key that is not PKCS#8, or not the certificate's, fails the start with one line saying what to do. */
    @Test
    void aBadKeyFileIsAOneLineStartFailure() throws Exception {
        Path pkcs1 = dir.resolve("rsa-pkcs1.pem");
        Files.writeString(pkcs1, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        String rsaCert = TlsFixture.cert("rsa").toString();
        String[][] cases = {
            {pkcs1.toString(), "is not PKCS#8; convert it: openssl pkcs8 -topk8 -nocrypt"},
            {TlsFixture.key("ec").toString(), "holds an EC key but " + rsaCert + " certifies an RSA key"},
        };
        for (String[] c : cases) {
            var err = new java.io.ByteArrayOutputStream();
            var exit = Server.run(new String[] {"0", "--bind", "127.0.0.1", "--data", dir.resolve("d").toString(),
                    "--tls-cert", rsaCert, "--tls-key", c[0], "--log-level", "WARNING"},
                    new java.io.PrintStream(new java.io.ByteArrayOutputStream()), new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
            String text = err.toString(StandardCharsets.UTF_8).strip();
            assertEquals(Server.Exit.START_FAILED, exit, text);
            assertTrue(text.startsWith("chat-server: cannot start: ") && text.contains(c[1]), text);
            assertEquals(1, text.lines().count(), text);
        }
    }

    private static int synchronous(chat.server.store.Database database) throws Exception {
        try (var c = database.open(); var s = c.createStatement(); var rs = s.executeQuery("PRAGMA synchronous")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
