package chat.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster's rows (issue 14): the stored and group scenarios run against cluster nodes, under
 * {@code cluster-*} names, fill the cluster section and two target lines, and no other table.
 */
class ClusterReportTest {

    @TempDir
    Path dir;

    private String report(List<String> resultLines) throws Exception {
        return ReportTest.report(dir, resultLines);
    }

    private static String latencyRow(String scenario, int nodes, double p50, double p99) {
        var load = new Stored.Load(1000, 32, "each", 3, 20, 4.5, 1000, 1000, 2.5, 9.5, 30, p50, p99, 80, 1.5, 23_000,
                23_000, 0, 0, 23_000, 20_000, 20_000, 0, 0, 0, 0, 70, 40, Stored.Threads.NONE);
        var o = new Stored.Outcome("mariadb", 200, load, new StoredReads.Times(0, 0, 0, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, Double.NaN),
                new StoredCeiling.Rate(0, 0, 0, 0));
        return Figures.put(new Result().put("scenario", scenario).put("kind", "stored").put("label", "ours")
                .put("server_cmd", "bin/chat-server 1 --cluster redis://127.0.0.1:2/bench --node-id n1")
                .put("cmd", "bin/chat-bench stored --users 200").put("nodes", nodes), o).put("ok", true).toJson();
    }

    @Test
    void latencyAndGroupRowsFillTheClusterSectionAndTheTargets() throws Exception {
        var g = new GroupFanout.Outcome("mariadb", 2000, 5, 20, 39_980, "each", 3, 20, 95, 39_100, 40.5, 60, 120,
                200, 300, 12, 30, 460, 460, 0, 919_540, 799_600, 799_600, 0, 0, 0, 0, 919_540, 90, 60);
        String group = Figures.put(new Result().put("scenario", "cluster-group-1node").put("kind", "group")
                .put("label", "ours").put("nodes", 1), g).put("ok", true).toJson();
        String failed = "{\"scenario\":\"cluster-group-2nodes\",\"kind\":\"group\",\"label\":\"ours\",\"ok\":false,"
                + "\"error\":\"node n2 did not start\"}";

        String md = report(List.of(latencyRow("cluster-latency-same", 1, 3.1, 14.2),
                latencyRow("cluster-latency-cross", 2, 5.5, 21), group, failed));

        assertTrue(md.contains("## Several nodes (issue 14)"), md);
        assertTrue(md.contains("| cluster-latency-same | 1 | 200 | 1,000 | 1,000 | 2.5 / 9.5 | **3.1 / 14.2** / 80 |"), md);
        assertTrue(md.contains("| cluster-latency-cross | 2 | 200 | 1,000 | 1,000 | 2.5 / 9.5 | **5.5 / 21** / 80 "
                + "| 23,000 / 23,000 / 23,000 | 0 / 0 / 0 | 70% | 40% |"), md);
        assertTrue(md.contains("| cluster-group-1node | 1 | 2,000 | 20 | 39,980 | **39,100** | 40.5 / 120 / 300 "
                + "| 799,600 / 799,600 | 0 / 0 / 0 | 95 | 90% | 60% |"), md);
        assertTrue(md.contains("| cluster-group-2nodes | failed: node n2 did not start |"), md);
        assertTrue(md.contains("| Cluster, cross-node delivery latency beside same-node (issue 14) | same node: delivery "
                + "p50 3.1 ms, p99 14.2 ms; across two nodes: delivery p50 5.5 ms, p99 21 ms |"), md);
        assertTrue(md.contains("(issue 14) | one node: 39,100 deliveries/s (p99 120 ms); two nodes: failed: node n2 did "
                + "not start |"), md);
        assertFalse(md.contains("| MariaDB | 200 |"), "a cluster row in the stored table: " + md);
        assertFalse(md.contains("{{"), "a placeholder left in the report");
    }

    /** Without cluster runs the section says so, and the targets table has no cluster line. */
    @Test
    void withoutRunsTheSectionSaysNotRun() throws Exception {
        String md = report(List.of());
        assertTrue(md.contains("| cluster-latency-cross | not run |"), md);
        assertFalse(md.contains("| Cluster, cross-node"), md);
    }
}
