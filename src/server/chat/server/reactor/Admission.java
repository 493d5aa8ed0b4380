package chat.server.reactor;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Whether a connection just accepted may stay: at most {@link Limits#maxConnectionsPerAddress}
 * open from one IP address (loopback is not exempt: an attacker on the host is an attacker), and
 * none while fewer than {@link Limits#reservedDescriptors} descriptors are left under the
 * process's limit, so that silent sockets can never take the descriptors the database needs to
 * open its files (issue 13 saw {@code SQLITE_CANTOPEN} in another user's HISTORY).
 *
 * <p>Counting open descriptors lists {@code /proc/self/fd}, a cost that grows with the
 * connections, so it is measured once a second ({@link #measure}) and the connections accepted
 * and closed since are added to the figure. Reactor thread only.
 */
final class Admission {

    /** Why a connection was not taken. */
    enum Verdict { ACCEPT, TOO_MANY_FROM_ADDRESS, DESCRIPTORS_LOW }

    /** The process's open and maximum descriptors; {@code -1} where the platform cannot tell. */
    interface Descriptors {
        long open();

        long max();

        /** The JDK's figures on Unix ({@code com.sun.management.UnixOperatingSystemMXBean}). */
        static Descriptors ofProcess() {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
                return new Descriptors() {
                    public long open() { return os.getOpenFileDescriptorCount(); }
                    public long max() { return os.getMaxFileDescriptorCount(); }
                };
            }
            return new Descriptors() {
                public long open() { return -1; }
                public long max() { return -1; }
            };
        }
    }

    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    private final int maxPerAddress;
    private final int reserve;
    private final Descriptors descriptors;
    private final long maxDescriptors;
    private long measuredOpen;
    /** Connections opened minus closed since {@link #measuredOpen} was read. */
    private long sinceMeasured;

    Admission(int maxPerAddress, int reserve, Descriptors descriptors) {
        this.maxPerAddress = maxPerAddress;
        this.reserve = reserve;
        this.descriptors = descriptors;
        this.maxDescriptors = descriptors.max();
        measure();
    }

    /**
     * The decision, on the figures alone: low when fewer than {@code reserve} descriptors are left
     * under {@code max} with {@code open} in use. Unknown figures ({@code -1}) never refuse.
     */
    static boolean descriptorsLow(long open, long max, int reserve) {
        return open >= 0 && max > 0 && max - open < reserve;
    }

    /** Whether the connection from {@code address}, already accepted (its descriptor counts), may stay. */
    Verdict admit(InetAddress address) {
        if (descriptorsLow(measuredOpen < 0 ? -1 : measuredOpen + sinceMeasured + 1, maxDescriptors, reserve)) {
            return Verdict.DESCRIPTORS_LOW;
        }
        if (perAddress.getOrDefault(address, 0) >= maxPerAddress) {
            return Verdict.TOO_MANY_FROM_ADDRESS;
        }
        return Verdict.ACCEPT;
    }

    void opened(InetAddress address) {
        perAddress.merge(address, 1, Integer::sum);
        sinceMeasured++;
    }

    void closed(InetAddress address) {
        perAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
        sinceMeasured--;
    }

    /** Reads the open descriptors again; once a second. */
    void measure() {
        measuredOpen = descriptors.open();
        sinceMeasured = 0;
    }

    /** Addresses with a connection open, for tests: every close must give its count back. */
    int addresses() {
        return perAddress.size();
    }
}
