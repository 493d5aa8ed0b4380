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

    /** A size in bytes ({@link #parseBytes}); {@code fallback} when the option is absent. */
    long bytes(String name, long fallback) {
        String v = str(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            return parseBytes(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + name + " " + e.getMessage());
        }
    }

    /**
     * A positive size as people write it: a number of bytes, or with a unit: {@code KiB},
     * {@code MiB}, {@code GiB} (powers of 1024, as a file size is usually meant), or {@code kB},
     * {@code MB}, {@code GB} (powers of 1000, as a rate in MB/s is). {@code 1GiB} is 1,073,741,824.
     */
    static long parseBytes(String text) {
        var m = java.util.regex.Pattern.compile("(\\d+)\\s*(|B|KiB|MiB|GiB|kB|KB|MB|GB)").matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("must be a size such as 1GiB, 128MiB or 1000000, not " + text);
        }
        long unit = switch (m.group(2)) {
            case "KiB" -> 1L << 10;
            case "MiB" -> 1L << 20;
            case "GiB" -> 1L << 30;
            case "kB", "KB" -> 1_000L;
            case "MB" -> 1_000_000L;
            case "GB" -> 1_000_000_000L;
            default -> 1L;
        };
        try {
            long n = Math.multiplyExact(Long.parseLong(m.group(1)), unit);
            if (n > 0) {
                return n;
            }
        } catch (ArithmeticException | NumberFormatException e) {
            // fall through: too large
        }
        throw new IllegalArgumentException("must be a size from 1 byte to 8 EiB, not " + text);
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
