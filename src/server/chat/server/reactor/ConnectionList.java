package chat.server.reactor;

import java.util.Arrays;

/**
 * A growable array of connections for the loop's own bookkeeping: adding, reading by index and
 * clearing allocate nothing once the array has grown, unlike an iterator over a collection.
 */
final class ConnectionList {

    private Connection[] items = new Connection[64];
    private int size;

    int size() {
        return size;
    }

    Connection get(int i) {
        return items[i];
    }

    void add(Connection c) {
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        items[size++] = c;
    }

    /** Empties slot {@code i} (a walk that must not see it twice); {@link #clear} still clears it. */
    void forget(int i) {
        items[i] = null;
    }

    /** Removes the item at {@code i} by moving the last one there; returns the moved one or null. */
    Connection swapRemove(int i) {
        Connection last = items[--size];
        items[size] = null;
        if (i == size) {
            return null;
        }
        items[i] = last;
        return last;
    }

    void clear() {
        Arrays.fill(items, 0, size, null);
        size = 0;
    }
}
