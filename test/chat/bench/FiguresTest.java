package chat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FiguresTest {

    private static Restart.Outcome outcome(double allCaughtUp) {
        return new Restart.Outcome("sqlite", 2000, 5, 12.5, 2000, 0.8, 1.25, 1.3, 2.75, allCaughtUp, 2.1, 3.05,
                640, 1500, 2000, 0, 0, 0, 0, 0, 31_000, 2, 4.5, 150, 60,
                "writer 2.5 s, reactor 1 s");
    }

    /** What a scenario writes into its result line, the report reads back equal, through the JSON text. */
    @Test
    void aRecordSurvivesTheResultLine() {
        var o = outcome(3.25);
        var json = Figures.put(new Result().put("scenario", "restart-sqlite"), o).toJson();

        var back = Figures.read(Restart.Outcome.class, Json.parseFlat(json));

        assertEquals(o, back);
        assertTrue(json.contains("\"all_caught_up_s\":3.25"), json);
        assertTrue(json.contains("\"connected_to_caught_up_p99_ms\":1500"), json);
    }

    /** A figure that was not measured (NaN) is written as null and read back as NaN. */
    @Test
    void aMissingMeasurementStaysMissing() {
        var json = Figures.put(new Result(), outcome(Double.NaN)).toJson();

        assertTrue(json.contains("\"all_caught_up_s\":null"), json);
        assertTrue(Double.isNaN(Figures.read(Restart.Outcome.class, Json.parseFlat(json)).allCaughtUpS()));
    }

    /** A row without one of the record's figures is an error, not a table cell with a dash. */
    @Test
    void aRowThatLacksAFigureIsRefused() {
        var row = Json.parseFlat(Figures.put(new Result(), outcome(3)).toJson());
        row.remove("lost");

        var e = assertThrows(IllegalArgumentException.class, () -> Figures.read(Restart.Outcome.class, row));
        assertTrue(e.getMessage().contains("lost"), e.getMessage());
    }

    /** A record inside a record is written flat, under its component's name, and read back whole. */
    @Test
    void aNestedRecordIsWrittenFlatUnderItsName() {
        var o = new Logins.Outcome(8, 4, 100, 200, 19_800, 3, 10, 2, 15, 4.2, 8, 102, 6.8, 0, 571, 708, 720,
                new ChatWindow(5.84, 10.3, 56.7, 61.9, 198_000, 198_000, 15, 16),
                new ChatWindow(6.45, 13.6, 20.3, 25, 297_000, 297_000, 119, 13), 6_000, 594_000, 0, 0, 0);
        var json = Figures.put(new Result(), o).toJson();

        assertTrue(json.contains("\"base_p99_ms\":10.3,") && json.contains("\"logins_max_ms\":25,"), json);
        assertEquals(o, Figures.read(Logins.Outcome.class, Json.parseFlat(json)));
    }

    @Test
    void componentNamesBecomeSnakeCaseKeys() {
        assertEquals("all_caught_up_s", Figures.key("allCaughtUpS"));
        assertEquals("caught_up_p50_s", Figures.key("caughtUpP50S"));
        assertEquals("db", Figures.key("db"));
    }

    /** The command line in a result can be pasted back into a shell: spaced and special arguments are quoted. */
    @Test
    void commandLinesQuoteWhatTheShellWouldSplit() {
        String line = Bench.commandLine(new String[] {"restart", "--server-cmd",
                "bin/chat-server 9 --db 'jdbc:mysql://h/db?user=root&password='", "--port", "9"});

        assertEquals("bin/chat-bench restart --server-cmd "
                + "'bin/chat-server 9 --db '\\''jdbc:mysql://h/db?user=root&password='\\''' --port 9", line);
    }
}
