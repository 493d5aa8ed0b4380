package chat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    @TempDir
    Path dir;

    private String report(List<String> resultLines) throws Exception {
        return report(dir, resultLines);
    }

    /** The report written in {@code dir} from {@code resultLines}, with the notes of docs/bench-notes. */
    static String report(Path dir, List<String> resultLines) throws Exception {
        Path results = dir.resolve("results.jsonl");
        Path out = dir.resolve("BENCHMARKS.md");
        Files.write(results, resultLines);
        int status = Report.run(new Args(new String[] {"--results", results.toString(), "--out", out.toString(),
                "--notes", Path.of("docs/bench-notes").toString()}, 0));
        assertEquals(0, status);
        return Files.readString(out);
    }

    private static String restartRow(double allCaughtUp) {
        var o = new Restart.Outcome("sqlite", 2000, 5, 12.5, 2000, 0.8, 1.25, 1.3, 2.75, allCaughtUp, 2.1, 3.05,
                640, 1500, 2000, 0, 0, 0, 0, 0, 31_000, 2, 4.5, 150, 60,
                "writer 2.5 s, reactor 1 s");
        return Figures.put(new Result().put("scenario", "restart-sqlite").put("kind", "restart").put("label", "ours")
                .put("setup_cmd", "bin/chat-server 1 --pbkdf2-iterations 1000").put("server_cmd", "bin/chat-server 1")
                .put("cmd", "bin/chat-bench restart"), o).put("ok", true).toJson();
    }

    private static final String LOGINS = Figures.put(new Result().put("scenario", "logins").put("label", "ours"),
            new Logins.Outcome(8, 4, 100, 200, 19_800, 3, 10, 2, 15, 4.2, 8, 102, 6.8, 0, 571, 708, 720,
                    new ChatWindow(5.84, 10.3, 56.7, 61.9, 198_000, 198_000, 15, 16),
                    new ChatWindow(6.45, 13.6, 20.3, 25, 297_000, 297_000, 119, 13), 6_000, 594_000, 0, 0, 0))
            .put("ok", true).toJson();

    /** The restart row, its verdict against the 10 s goal, and the password estimate derived from logins. */
    @Test
    void theRestartRowSaysWhetherTheGoalIsMetAndWhatPasswordsWouldCost() throws Exception {
        String md = report(List.of(LOGINS, restartRow(3.25)));

        assertTrue(md.contains("## A restart with logged-in clients"), md);
        assertTrue(md.contains("the server restarts while 2,000 clients"), md);
        assertTrue(md.contains("| SQLite | 2,000 | 5 | 0.8 (2,000) | 1.25 | 1.3 / 2.75 | **3.25** |"), md);
        assertTrue(md.contains("- SQLite: writer 2.5 s, reactor 1 s"), md);
        assertTrue(md.contains("≈ 294 s (derived: 2,000 ÷ 6.8 logins/s from `logins`)"), md);
        assertTrue(md.contains("caught up within 10 s (issue 8) | all caught up after 3.25 s"), md);
        assertTrue(md.matches("(?s).*issue 8\\) \\|[^\\n]*\\| yes \\|.*"), md);
        assertFalse(md.contains("{{"), "a placeholder left in the report");
    }

    /** A tls row (what chat-bench tls printed in a quick run) fills the TLS table, beside a failed one. */
    @Test
    void theTlsRowsShowHandshakesAndTheFanOutToEachKind() throws Exception {
        String mix = "{\"scenario\":\"tls-mix\",\"kind\":\"tls\",\"label\":\"ours\",\"server_cmd\":\"bin/chat-server 1\","
                + "\"cmd\":\"bin/chat-bench tls\",\"clients\":100,\"tls_connects_per_s\":412.5,\"tls_server_cpu_pct\":61.2,"
                + "\"plain_connects_per_s\":2955.06,\"plain_server_cpu_pct\":47.6,\"server_cpu_pct\":13.37,"
                + "\"tls_clients\":50,\"deliveries_per_s\":44970.2,\"plain_deliveries_per_s\":22513.7,"
                + "\"tls_deliveries_per_s\":22456.5,\"errors\":0,\"out_of_order\":0,\"ok\":true}";
        String failed = "{\"scenario\":\"tls-baseline\",\"kind\":\"tls\",\"label\":\"ours\",\"ok\":false,"
                + "\"error\":\"server did not start\"}";
        String md = report(List.of(mix, failed));
        assertTrue(md.contains("## TLS beside plain text (issue 13)"), md);
        assertTrue(md.contains("| tls-mix | 100 (50) | 413 (61%) | 2960 (48%) | **44,970** | 22,513 / 22,456 | 13% |"), md);
        assertTrue(md.contains("| tls-baseline | failed: server did not start |"), md);
        assertTrue(md.contains("- tls-mix, ours: server `bin/chat-server 1`, load `bin/chat-bench tls`"), md);
        assertFalse(md.contains("{{"), "a placeholder left in the report");
    }

    @Test
    void aRestartOverTheGoalIsNotMet() throws Exception {
        String md = report(List.of(restartRow(12)));

        assertTrue(md.matches("(?s).*issue 8\\) \\|[^\\n]*\\| \\*\\*no\\*\\* \\|.*"), md);
        assertTrue(md.contains("— (no `logins` figure)"), md);
    }

    /** A run that failed before it measured anything is reported as failed, with its reason. */
    @Test
    void aFailedRestartShowsItsError() throws Exception {
        String md = report(List.of("{\"scenario\":\"restart-sqlite\",\"kind\":\"restart\",\"label\":\"ours\","
                + "\"ok\":false,\"error\":\"the setup server did not accept\"}"));

        assertTrue(md.contains("| SQLite | failed: the setup server did not accept |"), md);
        assertTrue(md.contains("**no run**"), md);
    }

    /** The logins row: its table line and the two target lines, read through Logins.Outcome. */
    @Test
    void theLoginsRowIsReadThroughItsRecord() throws Exception {
        String md = report(List.of(LOGINS));

        assertTrue(md.contains("| 6.8 | 4 | 571 | 708 | 100 | 200 | 5.84 / 6.45 | 10.3 / 13.6 | 56.7 / 20.3 | 61.9 / 25 "
                + "| 0 | 15% / 119% | 16% / 13% |"), md);
        assertTrue(md.contains("| Logins per second (PBKDF2, 600,000 iterations) | 6.8 logins/s (4 at a time, p50 571 ms "
                + "each) |"), md);
        assertTrue(md.contains("p99 13.6 ms with logins, 10.3 ms without (max 25 / 61.9 ms) | n/a: no accounts "
                + "| yes: not stalled |"), md);
        assertTrue(LOGINS.contains("\"base_p99_ms\":10.3") && LOGINS.contains("\"logins_server_cpu_pct\":119"), LOGINS);
    }

    /** A group row, written through its record, comes out in the table and in the target line. */
    @Test
    void aGroupRowIsReadThroughItsRecord() throws Exception {
        var o = new GroupFanout.Outcome("sqlite", 500, 5, 50, 24_950, "each", 3, 20, 3.3, 24_956, 15.5, 20.5, 29.8,
                69.4, 86.4, 12.3, 20, 1150, 1150, 0, 573_850, 499_000, 499_000, 0, 0, 0, 0, 573_850, 54, 45);
        String row = Figures.put(new Result().put("scenario", "group-sqlite").put("kind", "group").put("label", "ours"),
                o).put("ok", true).toJson();

        String md = report(List.of(row));

        assertTrue(md.contains("| SQLite | each | 500 | 50 | 24,950 | 24,956 | 15.5 | 20.5 | 29.8 | 69.4 | 86.4 | 12.3 "
                + "| 499,000 / 499,000 | 0 / 0 | 0 | 3.3 | 54% | 45% |"), md);
        assertTrue(md.contains("| 500-member group fan-out, SQLite | 24,956 deliveries/s, p99 29.8 ms (p50 15.5 ms), "
                + "all delivered | n/a: no groups | all delivered; no numeric target |"), md);
    }

    /** A row kept from an older chat-bench, without a figure the record now has, fails alone. */
    @Test
    void aRowFromAnOlderBenchFailsAloneNotTheReport() throws Exception {
        String old = restartRow(3.25).replace(",\"server_threads_cpu\":\"writer 2.5 s, reactor 1 s\"", "");

        String md = report(List.of(LOGINS, old));

        assertTrue(md.contains("| SQLite | failed: a result row this chat-bench cannot read (the result row lacks "
                + "server_threads_cpu); run the scenario again |"), md);
    }

    /** The prose says how many CPUs this machine has, not a number written into the code. */
    @Test
    void theCoreCountComesFromTheMachine() throws Exception {
        String md = report(List.of(LOGINS));
        int cores = Runtime.getRuntime().availableProcessors();

        assertTrue(md.contains("on this machine of " + cores + " logical CPUs"), md);
        assertTrue(md.contains("The machine has " + cores + " logical CPUs"), md);
    }

    private static String filesRow(long size, double uploadMbPerS, double duringP99Ms) {
        var o = new FileTransfer.Outcome("sqlite", size, 2.5, 450, 3000, 900, 3.1, uploadMbPerS, 2.9, 370, 110, 140, 30,
                120, 900, 200, new ChatWindow(1.2, 3.4, 5, 6, 2000, 2000, 20, 15),
                new ChatWindow(1.5, duringP99Ms, 7, 9, 1200, 1200, 150, 90), 3200, 0, 0, 0,
                "files 2.5 s, reactor 1.1 s");
        return Figures.put(new Result().put("scenario", "files-sqlite").put("kind", "files").put("label", "ours")
                .put("server_cmd", "bin/chat-server 1").put("cmd", "bin/chat-bench files --size 1GiB"), o)
                .put("ok", true).toJson();
    }

    /** A files row: its two tables and issue 11's three target lines, each met here. */
    @Test
    void aFilesRowIsReadThroughItsRecordAndMeetsItsGoals() throws Exception {
        String md = report(List.of(filesRow(1L << 30, 346, 5.1)));

        assertTrue(md.contains("## A file through the server (issue 11)"), md);
        assertTrue(md.contains("| SQLite | 1 GiB | 450 | 3000 | 900 | **346** (3.1) | **370** (2.9) "
                + "| 110 / 140 / +30 | 150% | files 2.5 s, reactor 1.1 s |"), md);
        assertTrue(md.contains("| SQLite | 200 | 1.2 / 1.5 | 3.4 / 5.1 | 6 / 9 | 2,000 / 2,000; 1,200 / 1,200 "
                + "| 0 / 0 | 20% / 150% | 15% / 90% |"), md);
        assertTrue(md.contains("| A 1 GiB file through the server on loopback, SQLite: upload and download at "
                + "least 300 MB/s each (issue 11) | up 346 MB/s, down 370 MB/s (the machine: sha256sum 450, dd read "
                + "3000, dd write with fsync 900 MB/s) | n/a: no files | yes |"), md);
        assertTrue(md.contains("| Server RSS growth during that transfer under 64 MB | +30 MB (110 MB before, "
                + "peak 140 MB) | n/a: no files | yes |"), md);
        assertTrue(md.contains("| Chat p99 of two other users during that transfer within 2× of their p99 without it "
                + "| p99 5.1 ms during, 3.4 ms without (1.5×) | n/a: no files | yes |"), md);
        assertTrue(md.contains("- files-sqlite, ours: server `bin/chat-server 1`, load "
                + "`bin/chat-bench files --size 1GiB`"), md);
        assertFalse(md.contains("{{"), "a placeholder left in the report");
    }

    @Test
    void aSlowUploadAndAStalledChatAreNotMet() throws Exception {
        String md = report(List.of(filesRow(1L << 30, 200, 8)));

        assertTrue(md.matches("(?s).*MB/s each \\(issue 11\\) \\| up 200 MB/s[^\\n]*\\| \\*\\*no\\*\\* \\|.*"), md);
        assertTrue(md.contains("| p99 8 ms during, 3.4 ms without (2.35×) | n/a: no files | **no** |"), md);
    }

    /** Quick mode's smaller file is reported, but not judged against goals stated for 1 GiB. */
    @Test
    void aSmallerFileIsNotJudgedAgainstTheGoals() throws Exception {
        String md = report(List.of(filesRow(128L << 20, 346, 5.1)));

        assertTrue(md.contains("| SQLite | 128 MiB | 450 |"), md);
        assertTrue(md.contains("| n/a: no files | not run at 1 GiB (128 MiB) |"), md);
        assertFalse(md.contains("| n/a: no files | yes |"), md);
    }

    @Test
    void aFailedFilesRunShowsItsError() throws Exception {
        String md = report(List.of("{\"scenario\":\"files-sqlite\",\"kind\":\"files\",\"label\":\"ours\","
                + "\"ok\":false,\"error\":\"the transfer did not finish within 300 s (uploading)\"}"));

        assertTrue(md.contains("| SQLite | failed: the transfer did not finish within 300 s (uploading) |"), md);
        assertTrue(md.contains("MB/s each (issue 11) | failed: the transfer did not finish within 300 s (uploading) "
                + "| n/a: no files | **no run** |"), md);
    }
}
