package chat.bench;

import static chat.bench.Cells.fmt;
import static chat.bench.Cells.grouped;
import static chat.bench.Cells.pct;
import static chat.bench.Rows.OURS;
import static chat.bench.Rows.failure;
import static chat.bench.Rows.ok;
import static chat.bench.Rows.str;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's part for {@code chat-bench stored} (issue 12): its lines in the targets table and
 * the values of the note {@code stored.md}. The rows are read back through {@link Stored.Outcome}.
 */
final class StoredReport {

    private StoredReport() {}

    /** The figures of a stored row, or null when the run failed before it had any. */
    static Stored.Outcome outcome(Map<String, Object> m) {
        return Rows.figures(Stored.Outcome.class, m, "load_sent");
    }

    /** The suffix of a row run at half the database's ceiling ({@code --rate-share 0.5}): the share goal's. */
    static final String HALF = "-half";

    /**
     * Lines of the targets table: per database the rate goal (its {@code stored-DB} row) and the
     * share goal (its {@code stored-DB-half} row, the load at half the ceiling's rate), then the
     * reads and the catch-up.
     */
    static List<String> targets(Rows rows) {
        var lines = new ArrayList<String>();
        var stored = goalRows(rows);
        for (String db : new String[] {"sqlite", "mariadb"}) {
            var m = rows.find("stored-" + db, OURS);
            if (m != null) {
                var o = outcome(m);
                double goal = db.equals("mariadb") ? Stored.MARIADB_GOAL_PER_S : Stored.SQLITE_GOAL_PER_S;
                lines.add("| Stored private messages, " + dbName(db) + ": at least " + grouped((long) goal)
                        + " a second at a confirm p99 under " + fmt(Stored.CONFIRM_P99_GOAL_MS) + " ms (issue 12) | "
                        + (o == null ? failure(m) : summary(o)) + " | n/a: no accounts | " + rateVerdict(m, o) + " |");
            }
            var half = rows.find("stored-" + db + HALF, OURS);
            if (half != null) {
                var o = outcome(half);
                lines.add("| Stored private messages, " + dbName(db) + ": at least half the database's own ceiling, "
                        + "the load at half its rate kept up with, all stored and delivered (issue 12) | "
                        + (o == null ? failure(half) : halfSummary(o)) + " | n/a: no accounts | "
                        + halfVerdict(half, o) + " |");
            }
        }
        for (String db : new String[] {"sqlite", "mariadb"}) {
            var m = rows.find("pipeline-" + db, OURS);
            if (m != null) {
                var o = outcome(m);
                lines.add("| One pipelining connection, " + dbName(db) + ": at least "
                        + grouped((long) Stored.PIPELINE_GOAL_PER_S) + " stored messages a second, its replies in "
                        + "request order, delivery p99 under " + fmt(Stored.CONFIRM_P99_GOAL_MS) + " ms (issue 12) | "
                        + (o == null ? failure(m) : pipelineSummary(o)) + " | n/a: no accounts | "
                        + pipelineVerdict(m, o) + " |");
            }
        }
        if (!stored.isEmpty()) {
            lines.add("| History page, search and unread counts with 100,000 stored messages: each under "
                    + fmt(Stored.READ_GOAL_MS) + " ms (p99) | " + each(stored, StoredReport::readsSummary)
                    + " | n/a: no accounts | " + each(stored, StoredReport::readsVerdict) + " |");
            lines.add("| A login's catch-up of 10,000 waiting messages: under " + fmt(Stored.CATCH_UP_GOAL_S) + " s | "
                    + each(stored, StoredReport::catchUpSummary) + " | n/a: no accounts | "
                    + each(stored, StoredReport::catchUpVerdict) + " |");
        }
        return lines;
    }

    /** The values of the note stored.md: {@code table}, {@code reads} and {@code commands}. */
    static Map<String, String> values(Rows rows) {
        var stored = goalRows(rows);
        var loads = new ArrayList<>(rows.byKind("stored", OURS));
        loads.addAll(rows.byKind("pipeline", OURS));
        var load = new StringBuilder();
        load.append("| Database | Users | Msg/s offered | Window | ACK | Confirmed/s | Confirm p50 / p99 / max ms "
                + "| Delivery p50 / p99 / max ms | Latest send ms | Sent / confirmed / delivered | Lost / dup. / "
                + "out of order | Ceiling rows/s (rows a commit) | Confirmed ÷ ceiling | Server CPU | Writer CPU "
                + "(µs, write calls a message) / reactor / checkpointer | Generator CPU |\n");
        load.append("|---|---:|---:|---:|---|---:|---|---|---:|---|---|---|---:|---:|---|---:|\n");
        var reads = new StringBuilder();
        reads.append("| Database | Stored messages | Requests each | History page (items) p50 / p99 ms | Search p50 / p99 ms "
                + "| Unread counts p50 / p99 ms | Catch-up: messages, s | Bulk insert s |\n");
        reads.append("|---|---:|---:|---|---|---|---|---:|\n");
        var commands = new ArrayList<String>();
        if (stored.isEmpty()) {
            load.append("| not run | | | | | | | | | | | | | | | |\n");
            reads.append("| not run | | | | | | | |\n");
        }
        for (var m : loads) {
            commands.add(Report.command(m));
            boolean pipeline = str(m, "scenario").startsWith("pipeline-");
            boolean half = str(m, "scenario").endsWith(HALF);
            String db = pipeline ? dbName(str(m, "scenario").replace("pipeline-", "")) + ", one connection"
                    : dbName(str(m, "scenario").replace("stored-", "")) + (half ? ", half the ceiling" : "");
            var o = outcome(m);
            if (o == null) {
                load.append("| ").append(db).append(" | ").append(failure(m)).append(" | | | | | | | | | | | | | | |\n");
                if (!pipeline && !half) {
                    reads.append("| ").append(db).append(" | ").append(failure(m)).append(" | | | | | | |\n");
                }
                continue;
            }
            var l = o.load();
            var c = o.ceiling();
            load.append("| " + db + " | " + grouped(o.users()) + " | " + grouped((long) l.rate()) + " | " + l.window()
                    + " | " + (l.ack().equals("read") ? "per read" : "each") + " | " + grouped(Math.round(l.confirmedPerS()))
                    + " | " + fmt(l.confirmP50Ms()) + " / " + fmt(l.confirmP99Ms()) + " / " + fmt(l.confirmMaxMs())
                    + " | " + fmt(l.deliveryP50Ms()) + " / " + fmt(l.deliveryP99Ms()) + " / " + fmt(l.deliveryMaxMs())
                    + " | " + fmt(l.sendLateMaxMs()) + " | " + grouped(l.sent()) + " / " + grouped(l.confirmed()) + " / "
                    + grouped(l.delivered()) + " | " + grouped(l.lost()) + " / " + grouped(l.duplicated()) + " / "
                    + grouped(l.outOfOrder()) + " | " + (c.rows() > 0 ? grouped(Math.round(c.rowsPerS())) + " ("
                            + c.batch() + ")" : "not run") + " | " + share(o) + " | " + pct(l.serverCpuPct()) + " | "
                    + threads(l.threads()) + " | " + pct(l.genCpuPct()) + " |\n");
            if (!ok(m)) {
                load.append("\nThat run was not sound: ").append(failure(m)).append(".\n\n");
            }
            var r = o.reads();
            if (pipeline || half) {
                continue; // a rate only: no reads
            }
            if (!r.ran()) {
                reads.append("| " + db + " | not run | | | | | | |\n");
            } else {
                reads.append("| " + db + " | " + grouped(r.stored()) + " | " + r.requests() + " | " + fmt(r.historyP50Ms())
                        + " / " + fmt(r.historyP99Ms()) + " (" + r.page() + ") | " + fmt(r.searchP50Ms()) + " / "
                        + fmt(r.searchP99Ms()) + " | " + fmt(r.unreadP50Ms()) + " / " + fmt(r.unreadP99Ms()) + " | "
                        + grouped(r.caughtUp()) + " of " + grouped(r.waiting()) + ", " + fmt(r.catchUpS()) + " | "
                        + fmt(r.insertS()) + " |\n");
            }
        }
        return Map.of("table", load.toString().stripTrailing(), "reads", reads.toString().stripTrailing(),
                "commands", Report.commandsBlock(commands));
    }

    private static String summary(Stored.Outcome o) {
        var l = o.load();
        return grouped(Math.round(l.confirmedPerS())) + " confirmed/s of " + grouped((long) l.rate())
                + " offered, confirm p99 " + fmt(l.confirmP99Ms()) + " ms, " + (l.allDelivered() ? "all delivered"
                        : grouped(l.lost()) + " lost, " + grouped(l.duplicated()) + " duplicated")
                + "; the database's ceiling " + (o.ceiling().rows() > 0
                        ? grouped(Math.round(o.ceiling().rowsPerS())) + " rows/s (" + share(o) + ")" : "not run");
    }

    private static String halfSummary(Stored.Outcome o) {
        var l = o.load();
        return grouped(Math.round(l.confirmedPerS())) + " confirmed/s of " + grouped((long) l.rate())
                + " offered, " + (o.ceiling().rows() > 0 ? share(o) + " of the database's ceiling of "
                        + grouped(Math.round(o.ceiling().rowsPerS())) + " rows/s measured first" : "no ceiling measured")
                + ", confirm p99 " + fmt(l.confirmP99Ms()) + " ms, " + (l.allDelivered()
                        ? "all delivered" : grouped(l.lost()) + " lost, " + grouped(l.duplicated()) + " duplicated");
    }

    /**
     * Kept up with at half the ceiling: every message stored and delivered once, at half the
     * ceiling's rate or more, delivered within {@link Stored#KEPT_UP_DELIVERY_P99_MS} at p99.
     */
    private static String halfVerdict(Map<String, Object> m, Stored.Outcome o) {
        return verdict(m, o, 0, l -> { // its rate is the share's, whatever the goal's
            var misses = new ArrayList<String>();
            if (!l.allDelivered()) {
                misses.add("not all confirmed and delivered");
            }
            if (!(l.deliveryP99Ms() < Stored.KEPT_UP_DELIVERY_P99_MS)) {
                misses.add("delivery p99 " + fmt(l.deliveryP99Ms()) + " ms: it fell behind");
            }
            if (!(o.ceilingShare() >= Stored.CEILING_SHARE_GOAL)) {
                misses.add(o.ceiling().rows() > 0 ? share(o) + " of the ceiling" : "no ceiling measured");
            }
            return misses;
        });
    }

    private static String pipelineSummary(Stored.Outcome o) {
        var l = o.load();
        return grouped(Math.round(l.confirmedPerS())) + " confirmed/s of " + grouped((long) l.rate())
                + " offered on one connection (up to " + l.window() + " unconfirmed), delivery p99 "
                + fmt(l.deliveryP99Ms()) + " ms, " + grouped(l.outOfOrder()) + " replies out of order, "
                + (l.allDelivered() ? "all delivered" : grouped(l.lost()) + " lost");
    }

    private static String pipelineVerdict(Map<String, Object> m, Stored.Outcome o) {
        return verdict(m, o, Stored.PIPELINE_GOAL_PER_S, l -> {
            var misses = new ArrayList<String>();
            if (!l.allDelivered()) {
                misses.add("not all confirmed in order and delivered");
            }
            if (!(l.deliveryP99Ms() < Stored.CONFIRM_P99_GOAL_MS)) {
                misses.add("delivery p99 " + fmt(l.deliveryP99Ms()) + " ms: it fell behind");
            }
            return misses;
        });
    }

    private static String rateVerdict(Map<String, Object> m, Stored.Outcome o) {
        return verdict(m, o, o == null ? 0 : o.goalPerS(), l -> {
            var misses = new ArrayList<String>();
            if (!l.allDelivered()) {
                misses.add("not all confirmed and delivered");
            }
            if (!(l.confirmP99Ms() < Stored.CONFIRM_P99_GOAL_MS)) {
                misses.add("confirm p99 " + fmt(l.confirmP99Ms()) + " ms");
            }
            return misses;
        });
    }

    /**
     * "yes", or why not: no run, a run that was not sound, a rate below {@code goal}, or the
     * {@code misses} of a sound run at the goal's rate.
     */
    private static String verdict(Map<String, Object> m, Stored.Outcome o, double goal,
            java.util.function.Function<Stored.Load, List<String>> misses) {
        if (o == null) {
            return "**no run**";
        }
        if (!ok(m)) {
            return "**no**: " + failure(m);
        }
        if (o.load().rate() < goal) {
            return "not run at the goal's rate (" + grouped((long) o.load().rate()) + "/s)";
        }
        List<String> missed = misses.apply(o.load());
        return missed.isEmpty() ? "yes" : "**no**: " + String.join(", ", missed);
    }

    private static String readsSummary(Map<String, Object> m, Stored.Outcome o) {
        var r = o.reads();
        return "p99 history " + fmt(r.historyP99Ms()) + " ms, search " + fmt(r.searchP99Ms()) + " ms, unread "
                + fmt(r.unreadP99Ms()) + " ms (" + grouped(r.stored()) + " stored)";
    }

    private static String readsVerdict(Map<String, Object> m, Stored.Outcome o) {
        var r = o.reads();
        return r.stored() < 100_000 ? "not run at 100,000 (" + grouped(r.stored()) + ")"
                : r.worstP99Ms() < Stored.READ_GOAL_MS ? "yes" : "**no**";
    }

    private static String catchUpSummary(Map<String, Object> m, Stored.Outcome o) {
        var r = o.reads();
        return fmt(r.catchUpS()) + " s for " + grouped(r.caughtUp()) + " of " + grouped(r.waiting());
    }

    private static String catchUpVerdict(Map<String, Object> m, Stored.Outcome o) {
        var r = o.reads();
        return r.waiting() < 10_000 ? "not run at 10,000 (" + grouped(r.waiting()) + ")"
                : r.caughtUp() == r.waiting() && r.catchUpS() < Stored.CATCH_UP_GOAL_S ? "yes" : "**no**";
    }

    /** The rows at the goals' rates ({@code stored-DB}), with the reads: not those at half the ceiling. */
    private static List<Map<String, Object>> goalRows(Rows rows) {
        return rows.byKind("stored", OURS).stream().filter(m -> !str(m, "scenario").endsWith(HALF)).toList();
    }

    /** {@code cell} of each database's row, "SQLite: ...; MariaDB: ...", with a failure for a row without reads. */
    private static String each(List<Map<String, Object>> stored, java.util.function.BiFunction<Map<String, Object>,
            Stored.Outcome, String> cell) {
        var parts = new ArrayList<String>();
        for (var m : stored) {
            var o = outcome(m);
            String db = dbName(str(m, "scenario").replace("stored-", ""));
            parts.add(db + ": " + (o == null ? failure(m) : !o.reads().ran() ? "not run" : cell.apply(m, o)));
        }
        return String.join("; ", parts);
    }

    /** "85% (42 µs, 14.8) / 31% / 11%"; a dash without the server's pid. */
    private static String threads(Stored.Threads t) {
        if (Double.isNaN(t.writerCpuPct())) {
            return "—";
        }
        return pct(t.writerCpuPct()) + " (" + fmt(t.writerCpuUsPerMsg()) + " µs, " + fmt(t.writerWritesPerMsg()) + ") / "
                + pct(t.reactorCpuPct()) + " / " + pct(t.checkpointCpuPct());
    }

    /** Cut, not rounded, to a tenth: a share under the goal must not read as the goal (49.7%, not 50%). */
    private static String share(Stored.Outcome o) {
        double s = o.ceilingShare();
        return Double.isNaN(s) ? "—" : String.format(Locale.ROOT, "%.1f%%", Math.floor(1000 * s) / 10);
    }

    private static String dbName(String db) {
        return db.startsWith("mariadb") ? "MariaDB" : db.startsWith("sqlite") ? "SQLite" : db;
    }
}
