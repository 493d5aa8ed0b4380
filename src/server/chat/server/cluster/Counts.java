package chat.server.cluster;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Counts kept two keys deep (a node's lobby members by name, an account's sessions by node): a
 * count of 0 is no entry, and an outer key with none left goes too.
 */
final class Counts {

    private Counts() {}

    /** Sets {@code counts[outer][inner]} to {@code count}; a new inner map comes from {@code newInner}. */
    static <A, B> void set(Map<A, Map<B, Integer>> counts, A outer, B inner, int count,
            Supplier<Map<B, Integer>> newInner) {
        if (count > 0) {
            counts.computeIfAbsent(outer, o -> newInner.get()).put(inner, count);
            return;
        }
        Map<B, Integer> in = counts.get(outer);
        if (in != null) {
            in.remove(inner);
            if (in.isEmpty()) {
                counts.remove(outer);
            }
        }
    }
}
