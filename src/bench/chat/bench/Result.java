package chat.bench;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One run's figures as a flat JSON object, printed on one line so that scripts can collect them
 * ({@code grep '^{'}); {@link Json} reads them back for the report.
 */
final class Result {

    /** Six significant digits: more than any of these measurements can claim. */
    private static final MathContext SIGNIFICANT = new MathContext(6);

    private final Map<String, Object> fields = new LinkedHashMap<>();

    Result put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    Object get(String key) {
        return fields.get(key);
    }

    /** The fields so far, read-only, as {@link Json#parseFlat} would give them back (numbers aside). */
    Map<String, Object> fields() {
        return java.util.Collections.unmodifiableMap(fields);
    }

    String toJson() {
        var sb = new StringBuilder("{");
        for (var e : fields.entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            Json.quote(sb, e.getKey());
            sb.append(':');
            Object v = e.getValue();
            if (v == null) {
                sb.append("null");
            } else if (v instanceof Double d) {
                sb.append(Double.isFinite(d)
                        ? new BigDecimal(d).round(SIGNIFICANT).stripTrailingZeros().toPlainString()
                        : "null");
            } else if (v instanceof Number || v instanceof Boolean) {
                sb.append(v);
            } else {
                Json.quote(sb, v.toString());
            }
        }
        return sb.append('}').toString();
    }
}
