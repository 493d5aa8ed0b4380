package chat.server.cluster;

import chat.server.store.WriteHooks;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The watermark that keeps message ids in order across nodes (Synapse's multi-writer stream
 * positions). Ids come from the database's one auto-increment, so a new id is above every id
 * allocated before it, but two nodes' transactions commit in any order: id 101 of node B may be
 * committed and pushed while id 100 of node A is not committed yet.
 *
 * <p>A node's <b>position</b> P means: every id up to P that this node will ever commit is
 * committed, and its doorbells are published. While its writer has a group open, P is the
 * {@code floor}, the highest id known anywhere when the group began (the group's ids are all
 * above it); when idle, P is {@code knownMax}, the highest id known to exist (anything the node
 * commits later gets a higher id). P only rises. <b>safe</b> is the lowest P of the live nodes,
 * this one's included: every id up to safe is committed wherever it will be, so a push up to safe
 * may go out without overtaking one that is still to come.
 *
 * <p>Thread-safe: the writer begins groups, the reactor ends them (after their callbacks) and
 * learns the other nodes' positions.
 */
public final class Positions implements WriteHooks {

    private long knownMax;
    /** The floors of the groups begun and not yet ended, oldest first (at most two: one ending, one begun). */
    private final ArrayDeque<Long> floors = new ArrayDeque<>(4);
    /** The other live nodes' last announced positions. */
    private final Map<String, Long> others = new HashMap<>();

    public Positions(long knownMax) {
        this.knownMax = knownMax;
    }

    @Override
    public synchronized void beginWrite() {
        floors.addLast(knownMax);
    }

    @Override
    public synchronized void endWrite(long newestId) {
        floors.pollFirst();
        learn(newestId);
    }

    /** An id that exists somewhere (a doorbell's, or a position another node announced). */
    public synchronized void learn(long id) {
        if (id > knownMax) {
            knownMax = id;
        }
    }

    /**
     * The writer's hooks for this node: groups begin and end here, and {@code afterEnd} runs (on
     * the reactor, after the group's callbacks) once its end is counted: release what safe now
     * allows, announce the position.
     */
    public WriteHooks hooks(Runnable afterEnd) {
        return new WriteHooks() {
            @Override
            public void beginWrite() {
                Positions.this.beginWrite();
            }

            @Override
            public void endWrite(long newestId) {
                Positions.this.endWrite(newestId);
                afterEnd.run();
            }
        };
    }

    /** This node's position P. */
    public synchronized long own() {
        Long floor = floors.peekFirst();
        return floor == null ? knownMax : floor;
    }

    public synchronized long knownMax() {
        return knownMax;
    }

    /** A node's announced position (HELLO, WELCOME, POS); it never moves back. Adds the node if new. */
    public synchronized void announced(String node, long position) {
        others.merge(node, position, Math::max);
        learn(position);
    }

    /** Whether the node is counted. */
    public synchronized boolean has(String node) {
        return others.containsKey(node);
    }

    /** The node is gone (reaped, or left): it no longer holds safe back. */
    public synchronized void remove(String node) {
        others.remove(node);
    }

    /** The lowest position of the live nodes, this one's included. */
    public synchronized long safe() {
        long safe = own();
        for (long p : others.values()) {
            if (p < safe) {
                safe = p;
            }
        }
        return safe;
    }

    /** The other nodes counted, for logs and tests. */
    public synchronized Map<String, Long> others() {
        return Map.copyOf(others);
    }
}
