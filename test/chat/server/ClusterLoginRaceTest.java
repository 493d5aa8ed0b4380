package chat.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Request;
import chat.server.store.Store;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Logins at the same moment on two nodes of a cluster, whose writers' transactions run side by side
 * on one MariaDB database. A login writes rows of its own account only (its device, its session,
 * its connection row), so a login of one account must never wait for another's, let alone
 * deadlock with it. Two did: the DELETE of the device's earlier sessions scanned the whole table
 * and locked the row the other node's login had just inserted and not yet committed, each waiting
 * for the other (InnoDB's LATEST DETECTED DEADLOCK: two {@code DELETE FROM sessions WHERE
 * device_id = ...}); under the bench's two-node setup the store's immediate retries met the other
 * node's next group each time, and a client was answered {@code LOGIN:false:internal}.
 *
 * <p>To make "at the same moment" exact rather than timed, node b's store is wrapped so that
 * bob's login stops inside its transaction, its session row inserted, just before it revokes the
 * device's other sessions, until the test lets it go: alice's login on node a runs meanwhile.
 * Before the fix it waited for bob's row (and the client's read timed out); with bob let go, the
 * two deadlocked.
 */
class ClusterLoginRaceTest {

    private static final String HELD_DEVICE = "held";

    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    /** The store, with the login of a device named {@link #HELD_DEVICE} held before its revoke. */
    private UnaryOperator<Store> holdingALogin() {
        return real -> (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("revokeDeviceSessions")
                            && ((Store.Device) args[0]).name().equals(HELD_DEVICE)) {
                        held.countDown();
                        release.await();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aLoginOnOneNodeDoesNotWaitForAnotherAccountsLoginOnTheOther() throws Exception {
        try (var cluster = TestCluster.empty()) {
            var a = cluster.node("a");
            var b = cluster.open(TestServer.start(TestServer.settings().dbUrl(cluster.db.url())
                    .cluster(TestCluster.settings(cluster.redisUrl(), "b")), System::currentTimeMillis, holdingALogin()));
            var bob = cluster.open(new TextClient(b.port(), "bob", HELD_DEVICE));
            var alice = cluster.open(new TextClient(a.port(), "alice"));
            for (TextClient c : new TextClient[] {bob, alice}) {
                var r = c.call(new Request.Register(c.name, TextClient.password(c.name)));
                assertTrue(r.ok(), r.toString());
            }
            var bobsLogin = CompletableFuture.supplyAsync(() -> {
                try {
                    return bob.call(new Request.Login(bob.name, TextClient.password(bob.name), HELD_DEVICE));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try {
                assertTrue(held.await(30, TimeUnit.SECONDS), "bob's login reached its revoke on node b");
                var alicesLogin = alice.call(new Request.Login(alice.name, TextClient.password(alice.name),
                        Request.DEFAULT_DEVICE));
                assertTrue(alicesLogin.ok(), "while bob's login is open on node b: " + alicesLogin);
            } finally {
                release.countDown();
            }
            var bobs = bobsLogin.get(30, TimeUnit.SECONDS);
            assertTrue(bobs.ok(), "bob's, let go: " + bobs);
        }
    }
}
