package chat.server.cluster;

import chat.server.hub.Session;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * A node's stored pushes on their way to its sessions: the <b>reorder buffer</b>, where a push
 * whose id is above the cluster's safe position waits (by id), and the <b>ring</b> of recent
 * releases, from which a session that was catching up takes what was released while it read.
 * Released in id order, so every session receives ids in increasing order, and when it receives X
 * it has already received every committed id below X addressed to it.
 *
 * <p>Reactor thread only, but {@link #released()}, which the writer and the readers read to bound
 * a catch-up page.
 */
public final class Releases {

    /** A stored push: to accounts ({@code users}) or to a group's members ({@code groupId}). */
    public record Push(long id, long order, long[] users, long groupId, long sender, Session except,
            long receiptFrom, byte[] line) {

        boolean addressedTo(Session s) {
            if (s == except) {
                return false;
            }
            if (users != null) {
                for (long u : users) {
                    if (u == s.userId) {
                        return true;
                    }
                }
                return false;
            }
            return s.groups.contains(groupId) && (s.user == null || !s.user.blocked.contains(sender));
        }
    }

    /** Releases kept for sessions that were catching up: a few seconds of a busy node. */
    static final int RING = 8192;

    private final PriorityQueue<Push> waiting = new PriorityQueue<>((x, y) -> x.id != y.id
            ? Long.compare(x.id, y.id) : Long.compare(x.order, y.order));
    /**
     * Pushes kept waiting at most (Redis down or a node frozen: safe does not rise): past it a
     * push is dropped; the message is in the database, and the node resyncs its sessions.
     */
    static final int WAITING = 100_000;

    private final ArrayDeque<Push> ring = new ArrayDeque<>();
    private final int ringSize;
    private final int maxWaiting;
    /** The highest id dropped with the buffer full; 0: none. */
    private long dropped;
    /**
     * While not 0, the buffer overflowed: every push from this id up is dropped (none may reach a
     * session before the dropped ones, which a resync reads), until {@link #resynced}.
     */
    private long dropFrom;
    /** The highest id that left the ring: a catch-up bounded below it cannot be completed from it. */
    private long evicted;
    private long order;
    private volatile long released;
    private long late;

    public Releases(long released) {
        this(released, RING, WAITING);
    }

    Releases(long released, int ringSize) {
        this(released, ringSize, WAITING);
    }

    Releases(long released, int ringSize, int maxWaiting) {
        this.released = released;
        this.ringSize = ringSize;
        this.maxWaiting = maxWaiting;
    }

    /** The highest id of a push dropped because the buffer was full (0: none): a resync must read past it. */
    public long dropped() {
        return dropped;
    }

    /** Everything up to this id has been released to this node's sessions. */
    public long released() {
        return released;
    }

    /** Pushes that came after their id was released past (a doorbell overtaken): sent at once, out of order. */
    public long late() {
        return late;
    }

    public int waiting() {
        return waiting.size();
    }

    /** A push to accounts. */
    public Push users(long id, long[] users, Session except, long receiptFrom, byte[] line) {
        return new Push(id, order++, users, 0, 0, except, receiptFrom, line);
    }

    /** A push to a group's members. */
    public Push group(long id, long groupId, long sender, Session except, byte[] line) {
        return new Push(id, order++, null, groupId, sender, except, 0, line);
    }

    /**
     * Holds {@code p} until safe reaches it, or sends it at once when its id is released past
     * already; drops it when {@link #WAITING} pushes wait already, and every later one from its
     * id up until {@link #resynced} ({@link #dropped}).
     */
    public void add(Push p, Consumer<Push> out) {
        if (dropFrom != 0 && p.id >= dropFrom) {
            dropped = Math.max(dropped, p.id);
        } else if (p.id <= released) {
            late++;
            out.accept(p);
            keep(p);
        } else if (waiting.size() >= maxWaiting) {
            dropFrom = p.id;
            dropped = Math.max(dropped, p.id);
            waiting.removeIf(w -> w.id >= dropFrom); // after a dropped one: they wait for the resync too
        } else {
            waiting.add(p);
        }
    }

    /**
     * The sessions were read again up to {@link #released}: when that covers every dropped push,
     * pushes are kept again.
     */
    public void resynced() {
        if (dropped <= released) {
            dropFrom = 0;
        }
    }

    /** Safe rose to {@code safe}: every push up to it goes out, in id order. */
    public void release(long safe, Consumer<Push> out) {
        while (!waiting.isEmpty() && waiting.peek().id <= safe) {
            Push p = waiting.poll();
            out.accept(p);
            keep(p);
        }
        if (safe > released) {
            released = safe;
        }
    }

    private void keep(Push p) {
        ring.addLast(p);
        if (ring.size() > ringSize) {
            Push gone = ring.removeFirst();
            if (gone.id > evicted) {
                evicted = gone.id;
            }
        }
    }

    /**
     * The releases with ids above {@code bound} addressed to {@code s}, in order, to {@code out};
     * false (and nothing given) when the ring no longer reaches back to {@code bound}.
     */
    public boolean since(long bound, Session s, Consumer<Push> out) {
        if (evicted > bound) {
            return false;
        }
        for (Iterator<Push> it = ring.iterator(); it.hasNext();) {
            Push p = it.next();
            if (p.id > bound && p.addressedTo(s)) {
                out.accept(p);
            }
        }
        return true;
    }
}
