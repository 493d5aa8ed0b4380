package chat.server.reactor;

import java.lang.management.ManagementFactory;

/** Bytes allocated by the calling thread, where the JVM counts them (HotSpot does). */
public final class ThreadAllocation {

    private static final com.sun.management.ThreadMXBean BEAN = bean();

    private ThreadAllocation() {}

    private static com.sun.management.ThreadMXBean bean() {
        var bean = ManagementFactory.getThreadMXBean();
        if (bean instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported()) {
            sun.setThreadAllocatedMemoryEnabled(true);
            return sun;
        }
        return null;
    }

    /** Bytes the current thread has allocated so far, or -1. */
    public static long current() {
        return BEAN == null ? -1 : BEAN.getCurrentThreadAllocatedBytes();
    }

    /** Bytes thread {@code id} has allocated so far, or -1. */
    public static long of(long threadId) {
        return BEAN == null ? -1 : BEAN.getThreadAllocatedBytes(threadId);
    }
}
