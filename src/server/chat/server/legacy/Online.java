package chat.server.legacy;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Collections;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is in the legacy room: one entry per identified legacy connection, keyed by connection id
 * (accounts are in the hub). The reactor thread writes it; any thread (a status report, a test)
 * may read it, hence a concurrent map.
 */
public final class Online {

    public enum Kind { LEGACY, ACCOUNT }

    /** One connection: the name it goes by, its protocol, its address and since when. */
    public record Entry(String name, Kind kind, InetSocketAddress address, long since) {}

    private final ConcurrentHashMap<Long, Entry> byConnection = new ConcurrentHashMap<>();

    public void put(long connectionId, Entry entry) {
        byConnection.put(connectionId, entry);
    }

    public void remove(long connectionId) {
        byConnection.remove(connectionId);
    }

    public Entry get(long connectionId) {
        return byConnection.get(connectionId);
    }

    public int size() {
        return byConnection.size();
    }

    public Collection<Entry> entries() {
        return Collections.unmodifiableCollection(byConnection.values());
    }
}
