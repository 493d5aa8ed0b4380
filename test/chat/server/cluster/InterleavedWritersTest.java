package chat.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.server.store.JdbcStore;
import chat.server.store.Store;
import chat.server.store.Workers;
import chat.testing.MariaDb;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The ordering argument, on a real MariaDB: two nodes' writers (two {@link Workers}, two stores,
 * one database) store messages to bob so that the later id commits first, and bob's device, on
 * node B, must never be able to skip the earlier one.
 *
 * <p>Node A begins storing alice's message (id X) and holds its transaction open; node B stores
 * carol's (id Y &gt; X) and commits. Bob's device, connected to B, takes whatever B pushes and
 * acknowledges it; then it disconnects. A commits X. Bob's device reconnects and catches up from
 * its cursor, as a login does. Without the reorder buffer B pushes Y at once, the device's
 * cursor passes X before X exists, and the catch-up never brings X (checked once by pushing
 * without the buffer: the test failed with "every committed message reaches the device"). With
 * it, Y waits until A's position shows X committed, and the device gets X then Y.
 */
class InterleavedWritersTest {

    @Test
    void aLaterIdCommittedFirstNeverOvertakesTheEarlierOne() throws Exception {
        try (var db = MariaDb.fresh()) {
            var storeA = JdbcStore.open(new chat.server.store.Database(db.url(), null, null), true);
            var storeB = JdbcStore.open(new chat.server.store.Database(db.url(), null, null), true);
            ExecutorService reactor = Executors.newSingleThreadExecutor();
            try {
                run(storeA, storeB, reactor);
            } finally {
                reactor.shutdownNow();
                storeA.close();
                storeB.close();
            }
        }
    }

    private static void run(Store storeA, Store storeB, ExecutorService reactor) throws Exception {
        var alice = storeA.createUser("alice", "alice", "h", 1).orElseThrow();
        var bob = storeA.createUser("bob", "bob", "h", 1).orElseThrow();
        var carol = storeA.createUser("carol", "carol", "h", 1).orElseThrow();
        for (var sender : List.of(alice, carol)) {
            storeA.requestFriend(sender.id(), bob.id(), 1);
            storeA.requestFriend(bob.id(), sender.id(), 2);
        }
        long aliceDevice = storeA.device(alice.id(), "phone", 1).id();
        long carolDevice = storeA.device(carol.id(), "phone", 1).id();

        long newest = storeA.newestMessageId();
        var positionsA = new Positions(newest);
        var positionsB = new Positions(newest);
        positionsA.announced("B", positionsB.own());
        positionsB.announced("A", positionsA.own());
        var releasesB = new Releases(0);
        List<Long> received = new ArrayList<>(); // what bob's device on node B got while connected
        boolean[] connected = {true};

        // Node B releases to bob's device; each node announces its position to the other after
        // its group's callbacks (the hook runs on the reactor after them), as POS does.
        java.util.function.Consumer<Releases.Push> device = p -> {
            if (connected[0]) {
                received.add(p.id());
            }
        };
        Runnable releaseB = () -> releasesB.release(positionsB.safe(), device);
        var workersA = new Workers(reactor, 1, storeA);
        workersA.hooks(positionsA.hooks(() -> {
            positionsB.announced("A", positionsA.own());
            releaseB.run();
        }));
        var workersB = new Workers(reactor, 1, storeB);
        workersB.hooks(positionsB.hooks(() -> {
            positionsA.announced("B", positionsB.own());
            releaseB.run();
        }));
        try {
            var inserted = new CountDownLatch(1);
            var commitA = new CountDownLatch(1);
            var doneA = new CompletableFuture<Long>();
            workersA.transaction("alice's message, held open", () -> {
                long id = storeA.storeFriendMessages(List.of(new Store.Outgoing(alice.id(), "alice", aliceDevice, "bob",
                        "a-1", "from node A", 10))).get(0).stored().message().id();
                inserted.countDown();
                await(commitA);
                return id;
            }, (id, failed) -> {
                // The doorbell: A's push reaches node B's buffer.
                releasesB.add(releasesB.users(id, new long[] {bob.id()}, null, 0, new byte[0]), device);
                releaseB.run();
                doneA.complete(id);
            });
            assertTrue(inserted.await(10, TimeUnit.SECONDS));

            var doneB = new CompletableFuture<Long>();
            workersB.write(() -> storeB.storeFriendMessages(List.of(new Store.Outgoing(carol.id(), "carol", carolDevice,
                    "bob", "c-1", "from node B", 11))).get(0).stored().message().id(), (id, failed) -> {
                        releasesB.add(releasesB.users(id, new long[] {bob.id()}, null, 0, new byte[0]), device);
                        releaseB.run();
                        doneB.complete(id);
                    });
            long y = doneB.get(10, TimeUnit.SECONDS);
            quiesce(reactor);

            // Bob's device acknowledges what it got and goes away.
            long cursor = reactor.submit(() -> received.isEmpty() ? 0L : received.get(received.size() - 1)).get();
            reactor.submit(() -> connected[0] = false).get();

            commitA.countDown();
            long x = doneA.get(10, TimeUnit.SECONDS);
            quiesce(reactor);
            assertTrue(x < y, "the held transaction took the lower id: " + x + ", " + y);

            // It comes back and catches up from its cursor, up to what node B has released.
            long bound = releasesB.released();
            List<Long> all = new ArrayList<>(reactor.submit(() -> List.copyOf(received)).get());
            for (long id : committedTo(storeB, bob.id())) {
                if (id > cursor && id <= bound) {
                    all.add(id);
                }
            }
            assertTrue(bound >= y, "node B released through both: " + bound);
            assertEquals(committedTo(storeB, bob.id()), all.stream().sorted().distinct().toList(),
                    "every committed message reaches the device");
            for (int i = 1; i < all.size(); i++) {
                assertTrue(all.get(i) > all.get(i - 1), "ids reach the device in increasing order: " + all);
            }
        } finally {
            workersA.close();
            workersB.close();
        }
    }

    private static List<Long> committedTo(Store store, long userId) {
        return store.onConnection("reading bob's messages", c -> {
            List<Long> ids = new ArrayList<>();
            try (var ps = c.prepareStatement("SELECT id FROM messages WHERE recipient_id = ? ORDER BY id")) {
                ps.setLong(1, userId);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            return ids;
        });
    }

    /** Lets the reactor run what is queued, and what that queues, for a moment. */
    private static void quiesce(ExecutorService reactor) throws Exception {
        for (int i = 0; i < 5; i++) {
            reactor.submit(() -> {}).get();
            Thread.sleep(50);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
