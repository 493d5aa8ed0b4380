package chat.bench;

import static chat.bench.Cells.fmt;
import static chat.bench.Cells.grouped;
import static chat.bench.Cells.pct;
import static chat.bench.Rows.OURS;
import static chat.bench.Rows.failure;
import static chat.bench.Rows.num;
import static chat.bench.Rows.ok;

import java.util.ArrayList;
import java.util.Map;

/**
 * The report's part for {@code chat-bench tls} (issue 13): the values of the note {@code tls.md},
 * one table row per run (an all-plain baseline and a TLS mix, both our server's).
 */
final class TlsReport {

    private TlsReport() {}

    /** {@code table} and {@code commands}. */
    static Map<String, String> values(Rows rows) {
        var table = new StringBuilder();
        table.append("| Run | Clients (TLS) | TLS handshakes/s (server CPU) | Plain connects/s (server CPU) "
                + "| Fan-out deliveries/s | to plain / to TLS | Server CPU during fan-out |\n");
        table.append("|---|---:|---:|---:|---:|---:|---:|\n");
        var commands = new ArrayList<String>();
        var all = rows.byKind("tls", OURS);
        if (all.isEmpty()) {
            table.append("| not run | | | | | | |\n");
        }
        for (var m : all) {
            commands.add(Report.command(m));
            String run = Rows.str(m, "scenario");
            if (!ok(m) && m.get("deliveries_per_s") == null) {
                table.append("| ").append(run).append(" | ").append(failure(m)).append(" | | | | | |\n");
                continue;
            }
            table.append("| ").append(run).append(ok(m) ? "" : " (" + failure(m) + ")")
                    .append(" | ").append(grouped((long) num(m, "clients"))).append(" (")
                    .append(grouped((long) num(m, "tls_clients"))).append(") | ")
                    .append(fmt(num(m, "tls_connects_per_s"))).append(" (").append(pct(num(m, "tls_server_cpu_pct")))
                    .append(") | ").append(fmt(num(m, "plain_connects_per_s"))).append(" (")
                    .append(pct(num(m, "plain_server_cpu_pct"))).append(") | **")
                    .append(grouped((long) num(m, "deliveries_per_s"))).append("** | ")
                    .append(grouped((long) num(m, "plain_deliveries_per_s"))).append(" / ")
                    .append(grouped((long) num(m, "tls_deliveries_per_s"))).append(" | ")
                    .append(pct(num(m, "server_cpu_pct"))).append(" |\n");
        }
        return Map.of("table", table.toString().stripTrailing(), "commands", Report.commandsBlock(commands).stripTrailing());
    }
}
