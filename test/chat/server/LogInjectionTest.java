package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.wire.LegacyRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What a client chooses (a LOGIN or RESUME name, a line, a legacy name) cannot start a line of
 * the server's log: checked through the server's own logging, as it is configured, at DEBUG, by
 * reading what it wrote.
 */
class LogInjectionTest {

    /** How each event's line starts: its time, then its level. */
    private static final Pattern EVENT = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} [A-Z]+ .*");
    /** Every character a log viewer may start a line at. */
    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|[\n\r\u0085\u2028\u2029]");
    private static final String FORGED = "2026-11-26 03:00:00.000 SEVERE  chat.server.Server - admin password reset";
    /** The same in a field of the text protocol (its colons escaped). */
    private static final String FORGED_FIELD = FORGED.replace(":", "%3A");

    @Test
    void aClientsTextCannotForgeALogLine() throws Exception {
        var captured = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (var server = TestServer.start(TestServer.settings().logLevel("DEBUG"))) {
            try (var c = new TextClient(server.port(), "mallory")) {
                c.sendRaw("LOGIN:alice%0A" + FORGED_FIELD + ":pw"); // the escaped newline, as the issue found it
                c.sendRaw("RESUME:bob%0D" + FORGED_FIELD + ":" + "ab".repeat(32));
                c.sendRaw("NEL\u0085" + FORGED_FIELD + "\u2028" + FORGED_FIELD + "\u2029" + FORGED_FIELD + "\u001b[2J");
                assertEquals("auth-failed", c.readLine().field(2));
                assertEquals("auth-failed", c.readLine().field(2));
                assertEquals("unknown-command", c.readLine().field(1));
            }
            // The first record shows the protocol (a newline before any NUL would be text): the
            // forging name comes second.
            try (var legacy = LegacyClient.join(server.port(), "eve")) {
                legacy.send(LegacyRecord.encode("eve\n" + FORGED.substring(0, 30), "hello", LegacyRecord.CHAT));
                Await.until(() -> captured.toString(StandardCharsets.UTF_8).contains("legacy client is"),
                        "the legacy name logged");
            }
            Await.until(() -> captured.toString(StandardCharsets.UTF_8).contains("failed resume as"),
                    "the failed logins logged");
        } finally {
            System.setErr(stderr);
            Logging.configure("WARNING"); // as the other tests' servers set it
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        List<String> lines = List.of(LINE_BREAK.split(log));
        for (String line : lines) {
            assertTrue(EVENT.matcher(line).matches(), () -> "a line that is no event: [" + line + "] in\n" + log);
        }
        assertTrue(log.contains("failed login as alice\\n" + FORGED + "\n"), log);
        assertTrue(log.contains("failed resume as bob\\r" + FORGED + "\n"), log);
        assertTrue(log.contains("NEL\\u0085" + FORGED + "\\u2028" + FORGED + "\\u2029" + FORGED + "\\u001B[2J"), log);
        assertTrue(log.contains("legacy client is ~eve\\n2026-11-26"), log);
    }
}
