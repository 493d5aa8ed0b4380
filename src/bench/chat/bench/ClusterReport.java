package chat.bench;

import static chat.bench.Cells.fmt;
import static chat.bench.Cells.grouped;
import static chat.bench.Cells.pct;
import static chat.bench.Rows.OURS;
import static chat.bench.Rows.failure;
import static chat.bench.Rows.num;
import static chat.bench.Rows.ok;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The report's part for the cluster (issue 14): the values of the note {@code cluster.md}, from the
 * {@code cluster-*} runs of {@code bench/run.sh}. Those are the {@code stored} and {@code group}
 * scenarios against cluster nodes ({@code --ports}): private messages between friend pairs on one
 * node and across two (delivery latency), and a 2,000-member group on one node and spread over two
 * (deliveries/s), with the same load each.
 */
final class ClusterReport {

    static final String SAME = "cluster-latency-same";
    static final String CROSS = "cluster-latency-cross";
    static final String GROUP_ONE = "cluster-group-1node";
    static final String GROUP_TWO = "cluster-group-2nodes";

    private ClusterReport() {}

    /** Lines of the targets table (issue 14 has no numeric target: the figures side by side). */
    static List<String> targets(Rows rows) {
        var lines = new ArrayList<String>();
        var same = rows.find(SAME, OURS);
        var cross = rows.find(CROSS, OURS);
        if (same != null || cross != null) {
            lines.add("| Cluster, cross-node delivery latency beside same-node (issue 14) | same node: " + latency(same)
                    + "; across two nodes: " + latency(cross) + " | n/a: no cluster | no numeric target |");
        }
        var one = rows.find(GROUP_ONE, OURS);
        var two = rows.find(GROUP_TWO, OURS);
        if (one != null || two != null) {
            lines.add("| Cluster, deliveries/s of a 2,000-member group spread over two nodes beside one node, same load "
                    + "(issue 14) | one node: " + group(one) + "; two nodes: " + group(two)
                    + " | n/a: no cluster | no numeric target |");
        }
        return lines;
    }

    private static String latency(Map<String, Object> m) {
        if (m == null) {
            return "not run";
        }
        var o = StoredReport.outcome(m);
        if (o == null || !ok(m)) {
            return failure(m);
        }
        var l = o.load();
        return "delivery p50 " + fmt(l.deliveryP50Ms()) + " ms, p99 " + fmt(l.deliveryP99Ms()) + " ms";
    }

    private static String group(Map<String, Object> m) {
        if (m == null) {
            return "not run";
        }
        var o = Report.groupOutcome(m);
        if (o == null || !ok(m)) {
            return failure(m);
        }
        return grouped((long) o.deliveriesPerS()) + " deliveries/s (p99 " + fmt(o.p99Ms()) + " ms)";
    }

    /** {@code latency}, {@code group} and {@code commands}. */
    static Map<String, String> values(Rows rows) {
        var commands = new ArrayList<String>();
        String latency = table(rows, commands, """
                | Run | Nodes | Users | Msg/s offered | Confirmed/s | Confirm p50 / p99 ms \
                | **Delivery p50 / p99** / max ms | Sent / confirmed / delivered | Lost / dup. / out of order \
                | Node 1 CPU | Generator CPU |
                |---|---:|---:|---:|---:|---|---|---|---|---:|---:|
                """, new String[] {SAME, CROSS}, StoredReport::outcome, (m, o) -> {
                    var l = o.load();
                    return nodes(m) + " | " + grouped(o.users()) + " | " + grouped((long) l.rate()) + " | "
                            + grouped(Math.round(l.confirmedPerS())) + " | " + fmt(l.confirmP50Ms()) + " / "
                            + fmt(l.confirmP99Ms()) + " | **" + fmt(l.deliveryP50Ms()) + " / " + fmt(l.deliveryP99Ms())
                            + "** / " + fmt(l.deliveryMaxMs()) + " | " + grouped(l.sent()) + " / "
                            + grouped(l.confirmed()) + " / " + grouped(l.delivered()) + " | " + grouped(l.lost()) + " / "
                            + grouped(l.duplicated()) + " / " + grouped(l.outOfOrder()) + " | " + pct(l.serverCpuPct())
                            + " | " + pct(l.genCpuPct());
                });
        String group = table(rows, commands, """
                | Run | Nodes | Members | Msg/s | Deliveries/s offered | **Deliveries/s** | p50 / p99 / max ms \
                | Received / expected | Gaps / not arrived / dup. | Setup s | Node 1 CPU | Generator CPU |
                |---|---:|---:|---:|---:|---:|---|---|---|---:|---:|---:|
                """, new String[] {GROUP_ONE, GROUP_TWO}, Report::groupOutcome, (m, o) -> nodes(m) + " | "
                        + grouped(o.members()) + " | " + fmt(o.rate()) + " | " + grouped((long) o.offeredDeliveriesPerS())
                        + " | **" + grouped((long) o.deliveriesPerS()) + "** | " + fmt(o.p50Ms()) + " / " + fmt(o.p99Ms())
                        + " / " + fmt(o.maxMs()) + " | " + grouped(o.receivedInWindow()) + " / "
                        + grouped(o.expectedInWindow()) + " | " + grouped(o.lost() - o.notArrived()) + " / "
                        + grouped(o.notArrived()) + " / " + grouped(o.duplicated()) + " | " + fmt(o.setupS()) + " | "
                        + pct(o.serverCpuPct()) + " | " + pct(o.genCpuPct()));
        return Map.of("latency", latency, "group", group, "commands", Report.commandsBlock(commands).stripTrailing());
    }

    /** A run's cells after its name, from its result and its outcome. */
    @FunctionalInterface
    private interface Cells<O> {
        String of(Map<String, Object> m, O outcome);
    }

    /**
     * A table of the runs {@code names}: {@code header} (its two lines), then a row per run, which
     * says "not run", or its failure when it has no {@code outcome}; a run with an outcome that
     * was not sound is followed by a line saying why. Each run's command goes to {@code commands}.
     */
    private static <O> String table(Rows rows, List<String> commands, String header, String[] names,
            Function<Map<String, Object>, O> outcome, Cells<O> cells) {
        long columns = header.lines().findFirst().orElseThrow().chars().filter(ch -> ch == '|').count() - 1;
        String emptyCells = " |".repeat((int) columns - 2) + "\n";
        var table = new StringBuilder(header);
        for (String name : names) {
            var m = rows.find(name, OURS);
            if (m == null) {
                table.append("| ").append(name).append(" | not run |").append(emptyCells);
                continue;
            }
            commands.add(Report.command(m));
            O o = outcome.apply(m);
            if (o == null) {
                table.append("| ").append(name).append(" | ").append(failure(m)).append(" |").append(emptyCells);
                continue;
            }
            table.append("| ").append(name).append(" | ").append(cells.of(m, o)).append(" |\n");
            if (!ok(m)) {
                table.append("\nThat run was not sound: ").append(failure(m)).append(".\n\n");
            }
        }
        return table.toString().stripTrailing();
    }

    /** How many nodes the load's clients were spread over (the cluster may have more: see the note). */
    private static String nodes(Map<String, Object> m) {
        return m.get("nodes") == null ? "?" : Long.toString((long) num(m, "nodes"));
    }
}
