package chat.server.hub;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * An account while at least one of its devices is logged in: its sessions (one per device), and
 * what they share. Reactor thread only.
 */
public final class OnlineUser {

    public final long userId;
    /** Friends' user ids: loaded at each login, kept current by the friend commands. */
    public final Set<Long> friends = new HashSet<>();
    /**
     * The users this account blocked: loaded at each login, kept current by BLOCK and UNBLOCK, so
     * that a group message from one of them is not copied to this account's sessions.
     */
    public final Set<Long> blocked = new HashSet<>();
    /** Whether the account is in the lobby with the legacy clients (all its devices are). */
    public boolean inLobby;
    /** Whether its friends were told it came online (once its friend list was loaded). */
    public boolean announced;

    private Session[] sessions = new Session[2];
    private int size;

    OnlineUser(long userId) {
        this.userId = userId;
    }

    public int size() {
        return size;
    }

    public Session get(int i) {
        return sessions[i];
    }

    /** The session that logged in last: whose address CONNECT_CLIENT gives. */
    public Session latest() {
        return sessions[size - 1];
    }

    void add(Session s) {
        if (size == sessions.length) {
            sessions = Arrays.copyOf(sessions, size * 2);
        }
        sessions[size++] = s;
    }

    boolean remove(Session s) {
        for (int i = 0; i < size; i++) {
            if (sessions[i] == s) {
                System.arraycopy(sessions, i + 1, sessions, i, size - i - 1);
                sessions[--size] = null;
                return true;
            }
        }
        return false;
    }
}
