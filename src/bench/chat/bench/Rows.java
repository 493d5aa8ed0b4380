package chat.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The result rows one or more bench runs collected, as the report finds them: the newest row of
 * each scenario and server, and what a row says about itself (sound, failed, skipped). The
 * account scenarios' figures are read through their records ({@link #figures}); the legacy ones
 * (fan-out, latency, idle) are still read by key ({@link #num}), which a record would catch.
 */
final class Rows {

    static final String OURS = "ours";
    static final String C = "c";

    private final List<Map<String, Object>> results;

    Rows(List<Map<String, Object>> results) {
        this.results = results;
    }

    Map<String, Object> find(String scenario, String label) {
        Map<String, Object> found = null;
        for (var r : results) {
            if (scenario.equals(r.get("scenario")) && label.equals(r.get("label"))) {
                found = r; // the last one wins
            }
        }
        return found;
    }

    List<Map<String, Object>> byKind(String kind, String label) {
        var list = new ArrayList<Map<String, Object>>();
        var seen = new java.util.HashSet<Object>();
        for (var r : results) {
            if (str(r, "scenario").startsWith(kind + "-") && label.equals(r.get("label")) && seen.add(r.get("scenario"))) {
                list.add(find(str(r, "scenario"), label));
            }
        }
        return list;
    }

    static Map<String, Object> orEmpty(Map<String, Object> m) {
        return m == null ? Map.of() : m;
    }

    static boolean ok(Map<String, Object> m) {
        return m != null && Boolean.TRUE.equals(m.get("ok"));
    }

    static double num(Map<String, Object> m, String key) {
        Object v = m == null ? null : m.get(key);
        return v instanceof Double d ? d : Double.NaN;
    }

    static String str(Map<String, Object> m, String key) {
        Object v = m == null ? null : m.get(key);
        return v == null ? "" : v.toString();
    }

    static String who(Map<String, Object> m) {
        return OURS.equals(m.get("label")) ? "ours" : C.equals(m.get("label")) ? "C" : str(m, "label");
    }

    static String failure(Map<String, Object> m) {
        if (m.get("skipped") != null) {
            return "skipped: " + str(m, "skipped");
        }
        return "failed: " + str(m, "error").replace('|', '/');
    }

    /**
     * Reads {@code m} as the record its scenario wrote, or null when it has none ({@code marker}
     * absent: the run failed before it measured). A row that cannot be read (one a partial rerun
     * kept from an older chat-bench, say) becomes a failed row that says why, instead of failing
     * the whole report.
     */
    static <R extends Record> R figures(Class<R> type, Map<String, Object> m, String marker) {
        if (m == null || m.get(marker) == null) {
            return null;
        }
        try {
            return Figures.read(type, m);
        } catch (IllegalArgumentException e) {
            m.put("ok", false);
            m.put("error", "a result row this chat-bench cannot read (" + e.getMessage() + "); run the scenario again");
            return null;
        }
    }
}
