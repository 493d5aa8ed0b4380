package chat.server.cluster;

import chat.common.text.Names;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lobby's members node by node, as each node counts them: a name, and how many of the node's
 * lobby members go by it (a legacy client's name is marked, {@code ~bob}, one per connection, and
 * two connections may share one; an account counts once). A node's own counts are its truth: it
 * writes them to its Redis hash {@code PREFIX:lobby:<node>} and publishes each change
 * (LOBBY_COUNT, the count itself rather than a step, so a lost or repeated message does no lasting
 * harm). The others' are copies: set by those messages, read whole from the hashes when the
 * subscriber link comes up, dropped when the node goes. Reactor thread only.
 */
final class Lobbies {

    private final Map<String, Map<String, Integer>> byNode = new LinkedHashMap<>();

    /** {@code node} has {@code count} lobby members named {@code name} (0: none). */
    void set(String node, String name, int count) {
        Counts.set(byNode, node, name, count, LinkedHashMap::new);
    }

    /** What {@code node} counts now (a copy; empty when none). */
    Map<String, Integer> of(String node) {
        return new HashMap<>(byNode.getOrDefault(node, Map.of()));
    }

    /** Replaces what is known of {@code node} (its hash, read whole). */
    void replace(String node, Map<String, Integer> counts) {
        byNode.remove(node);
        counts.forEach((name, count) -> set(node, name, count));
    }

    /** Forgets {@code node}; returns the names its members went by, one per member. */
    List<String> remove(String node) {
        List<String> members = new ArrayList<>();
        byNode.getOrDefault(node, Map.of()).forEach((name, count) -> {
            for (int i = 0; i < count; i++) {
                members.add(name);
            }
        });
        byNode.remove(node);
        return members;
    }

    /**
     * The members on the nodes other than {@code except}, as {@code MEMBERS:lobby} lists them:
     * legacy clients first, one per connection, then the accounts, once each whatever the number
     * of nodes they are in the lobby on.
     */
    List<String> names(String except) {
        List<String> legacy = new ArrayList<>();
        Set<String> accounts = new LinkedHashSet<>();
        byNode.forEach((node, names) -> {
            if (!node.equals(except)) {
                names.forEach((name, count) -> {
                    if (isLegacy(name)) {
                        for (int i = 0; i < count; i++) {
                            legacy.add(name);
                        }
                    } else {
                        accounts.add(name);
                    }
                });
            }
        });
        legacy.addAll(accounts);
        return legacy;
    }

    /** Legacy clients' names are marked ({@code ~bob}); an account's name never starts so. */
    static boolean isLegacy(String name) {
        return !name.isEmpty() && name.charAt(0) == Names.LEGACY_MARK;
    }
}
