package chat.server.hub;

import java.util.Collection;
import java.util.Collections;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is logged in, by user id: where to deliver a message or a presence change. Written on the
 * reactor thread; a concurrent map so that workers may ask who is online.
 */
public final class Hub {

    private final ConcurrentHashMap<Long, Session> byUser = new ConcurrentHashMap<>();

    /** The session of {@code userId}, or {@code null} when it is offline. */
    public Session get(long userId) {
        return byUser.get(userId);
    }

    public boolean isOnline(long userId) {
        return byUser.containsKey(userId);
    }

    /** Makes {@code s} its user's session; returns the one it replaces, if any. */
    public Session put(Session s) {
        return byUser.put(s.userId, s);
    }

    /** Removes {@code s} if it is still its user's session (a replaced one is not). */
    public boolean remove(Session s) {
        return byUser.remove(s.userId, s);
    }

    public int size() {
        return byUser.size();
    }

    public Collection<Session> sessions() {
        return Collections.unmodifiableCollection(byUser.values());
    }
}
