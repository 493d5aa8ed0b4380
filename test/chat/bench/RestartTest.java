package chat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restart scenario end to end, small: a real server (this build's classes, in a JVM of its
 * own, started and stopped by the scenario) on a fresh SQLite database. What it checks is the
 * scenario's bookkeeping and the server's side of it: every client RESUMEs after the restart and
 * gets exactly the messages that waited for it. No figure is asserted: times belong to make bench.
 */
class RestartTest {

    @TempDir
    Path dir;

    private Restart.Outcome run(int clients, int messages) throws Exception {
        int port;
        try (var s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String server = "'" + java + "' -cp '" + System.getProperty("java.class.path") + "' chat.server.Server "
                + port + " --bind 127.0.0.1 --data '" + dir.resolve("data") + "' --pbkdf2-iterations 1000"
                + " --hash-queue 1000 --hash-per-address 1000 --register-limit 1000"; // every client is on 127.0.0.1
        var args = new Args(new String[] {"--port", Integer.toString(port), "--clients", Integer.toString(clients),
                "--messages", Integer.toString(messages), "--setup-cmd", server, "--server-cmd", server,
                "--server-log", dir.resolve("server.log").toString(), "--setup-timeout", "120", "--timeout", "60"}, 0);

        Result r = Restart.result(args, "test");

        assertEquals(Boolean.TRUE, r.get("ok"), () -> r.toJson() + "\n" + log());
        return Figures.read(Restart.Outcome.class, r.fields());
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("server.log"));
        } catch (java.io.IOException e) {
            return "(no server log: " + e + ")";
        }
    }

    /** Every client is back and has its waiting messages once, the friendship events not among them. */
    @Test
    void everyClientResumesAndCatchesUpOnWhatWaited() throws Exception {
        var o = run(20, 3);

        assertEquals(20, o.caughtUp());
        assertEquals(0, o.failures());
        assertEquals(0, o.lost());
        assertEquals(0, o.duplicated());
        assertEquals(0, o.unexpected());
        assertEquals(0, o.eventsInCatchUp(), "the friendship events were acknowledged before the restart");
        assertEquals(20, o.byeShutdown(), "every client read BYE:shutdown before the close");
        assertTrue(o.firstResumeS() <= o.lastResumeS() && o.lastResumeS() <= o.allCaughtUpS(), o::toString);
    }

    /** More messages wait than one page holds (200): the ACK of each page's last brings the next. */
    @Test
    void aCatchUpOfSeveralPagesIsFollowedToTheEnd() throws Exception {
        var o = run(2, 450);

        assertEquals(2, o.caughtUp());
        assertEquals(0, o.lost());
        assertEquals(0, o.duplicated());
    }
}
