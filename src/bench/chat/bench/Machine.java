package chat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What the report says about the machine it runs on (where the bench ran), from /proc. */
final class Machine {

    private Machine() {}

    static String cpuModel() {
        for (String l : readOr("/proc/cpuinfo", "").split("\n")) {
            if (l.startsWith("model name")) {
                return l.substring(l.indexOf(':') + 1).strip();
            }
        }
        return "unknown CPU";
    }

    static String memTotal() {
        for (String l : readOr("/proc/meminfo", "").split("\n")) {
            if (l.startsWith("MemTotal:")) {
                long kb = Long.parseLong(l.replaceAll("\\D", ""));
                return String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
            }
        }
        return "unknown";
    }

    static String readOr(String path, String fallback) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException | RuntimeException e) {
            return fallback;
        }
    }
}
