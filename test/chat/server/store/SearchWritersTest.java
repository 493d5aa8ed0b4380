package chat.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.server.Await;
import chat.server.store.Store.Message;
import chat.testing.MariaDb;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SEARCH's index on MariaDB filled by two nodes' writers (two stores in cluster mode, one
 * database): each indexes behind the one mark when idle, and they must not index the same blocks
 * twice (the second's INSERT failed on the first's rows, {@code Duplicate entry ... for key
 * 'PRIMARY'}, logged and tried again every tick).
 */
class SearchWritersTest {

    /** How long a step may take before the test takes it for hung (a loaded machine is slow). */
    private static final long HANG_SECONDS = 120;
    private static final int MESSAGES = 10 * SearchIndex.BLOCK + 5;

    private TwoWriters nodes;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    /** The ids of the messages holding "needle", newest first. */
    private final List<Long> needles = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        nodes = new TwoWriters();
        for (int i = 0; i < MESSAGES; i++) {
            String body = "message " + i + (i % 9 == 0 ? " Needle" : "");
            long id = nodes.nodeA.storeMessage(nodes.bob.id(), nodes.alice.id(), "c" + i, body, i).message().id();
            if (i % 9 == 0) {
                needles.add(0, id);
            }
        }
    }

    @AfterEach
    void close() throws Exception {
        threads.shutdownNow();
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void aWriterFindingAnotherIndexingSkipsItsTurn() throws Exception {
        try (Connection first = nodes.nodeA.database().open(); Connection second = nodes.nodeB.database().open()) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            assertTrue(SearchIndex.catchUpBlocks(first, SearchIndex.BLOCK), "more waits");
            Future<Boolean> secondTurn = threads.submit(() -> SearchIndex.catchUpBlocks(second, SearchIndex.BLOCK));
            // Before: the second read the same mark, and its INSERT of the same block waited for
            // the first's uncommitted rows, then failed on them once they committed.
            Await.until(() -> secondTurn.isDone() || waitingForALock(), Duration.ofSeconds(HANG_SECONDS),
                    "the second writer is done or waits");
            first.commit();
            assertFalse(secondTurn.get(HANG_SECONDS, TimeUnit.SECONDS), "the second skips: the first is indexing");
            second.commit();
        }
        while (nodes.nodeB.indexForSearch(7)) {
            // to the newest whole block
        }
        assertSearchExact();
    }

    @Test
    void twoWritersIndexingAtOnceFailNeitherAndTheIndexIsExact() throws Exception {
        List<Future<Integer>> turns = new ArrayList<>();
        for (JdbcStore node : List.of(nodes.nodeA, nodes.nodeB)) {
            turns.add(threads.submit(() -> {
                int busy = 0;
                for (int i = 0; i < 4 * MESSAGES / SearchIndex.BLOCK; i++) { // one block a turn: enough for one alone
                    busy += node.indexForSearch(5) ? 1 : 0;
                }
                return busy;
            }));
        }
        for (Future<Integer> turn : turns) {
            turn.get(HANG_SECONDS, TimeUnit.SECONDS); // a failed index write throws here
        }
        try (Connection c = nodes.nodeA.database().open()) {
            long newest = MessageStore.newestId(c);
            assertEquals((newest + 1) / SearchIndex.BLOCK * SearchIndex.BLOCK - 1, SearchIndex.mark(c), "caught up");
        }
        assertSearchExact();
    }

    private boolean waitingForALock() throws Exception {
        try (Connection c = nodes.nodeA.database().open()) {
            return MariaDb.lockWaitIn(c);
        }
    }

    /** SEARCH on either node finds every needle, newest first, through the index and the tail. */
    private void assertSearchExact() {
        for (JdbcStore node : List.of(nodes.nodeA, nodes.nodeB)) {
            assertEquals(needles, node.search(nodes.alice.id(), "needle", 1000).stream().map(Message::id).toList());
        }
    }
}
