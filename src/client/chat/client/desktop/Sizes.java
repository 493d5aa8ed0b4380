package chat.client.desktop;

/** File sizes and rates as people read them: 512 B, 3.4 KB, 12.8 MB/s (powers of 1024, as file managers count). */
final class Sizes {

    private static final String[] UNITS = {"B", "KB", "MB", "GB", "TB"};

    private Sizes() {}

    static String of(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double v = bytes;
        int unit = 0;
        while (v >= 1024 && unit < UNITS.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format(Text.locale(), v < 10 ? "%.1f %s" : "%.0f %s", v, UNITS[unit]);
    }

    static String rate(double bytesPerSecond) {
        return of(Math.round(bytesPerSecond)) + "/s";
    }
}
