package chat.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A subcommand's options: {@code --name value} pairs, every one with a value. Each read marks
 * the option used, so that a misspelt option is an error rather than a silently ignored default.
 */
final class Args {

    private final Map<String, String> values = new LinkedHashMap<>();
    private final java.util.Set<String> used = new java.util.HashSet<>();

    Args(String[] argv, int from) {
        for (int i = from; i < argv.length; i++) {
            String arg = argv[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException("expected --option, got " + arg);
            }
            if (i + 1 >= argv.length) {
                throw new IllegalArgumentException(arg + " needs a value");
            }
            values.put(arg.substring(2), argv[++i]);
        }
    }

    String str(String name, String fallback) {
        used.add(name);
        return values.getOrDefault(name, fallback);
    }

    String required(String name) {
        String v = str(name, null);
        if (v == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return v;
    }

    int positiveInt(String name, int fallback) {
        String v = str(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("--" + name + " must be a positive integer, not " + v);
    }

    double nonNegative(String name, double fallback) {
        String v = str(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v);
            if (d >= 0 && Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("--" + name + " must be a non-negative number, not " + v);
    }

    boolean flag(String name, boolean fallback) {
        String v = str(name, null);
        if (v == null) {
            return fallback;
        }
        return switch (v) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("--" + name + " must be true or false, not " + v);
        };
    }

    /** Throws on any option no one asked for. Call after reading them all. */
    void checkAllUsed() {
        for (String name : values.keySet()) {
            if (!used.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
        }
    }
}
