package chat.server.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Request;
import chat.server.Await;
import chat.server.Backend;
import chat.server.TestServer;
import chat.server.TextClient;
import chat.server.TextClient.Reply;
import chat.server.store.Store;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The way to the password hashers (issue 13), through real sockets: a flood of REGISTERs whose
 * connections close costs no hash, a full line answers {@code busy}, and a real login is answered
 * while the flood's work is dropped.
 *
 * <p>To make "while" exact rather than timed, the store is wrapped so that a LOGIN of a
 * {@code blocker} name holds its hasher (the lookup runs on the hasher) until the test lets go:
 * with every hasher held, everything else waits in the gate's line, where the test can see it.
 */
class HashGateTest {

    private final CountDownLatch release = new CountDownLatch(1);

    /** The store, with {@code userByKey("blocker…")} waiting for {@link #release}. */
    private UnaryOperator<Store> holdingBlockers() {
        return real -> (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("userByKey") && ((String) args[0]).startsWith("blocker")) {
                        release.await();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** STATS's numeric {@code name=value} fields, asked by {@code c}, an admin (STATS is theirs). */
    static Map<String, Long> stats(TextClient c) throws Exception {
        Map<String, Long> m = new HashMap<>();
        Reply r = c.call(new Request.Stats());
        assertTrue(r.ok(), r.toString());
        var fields = r.line().fields();
        for (String f : fields.subList(2, fields.size())) {
            String[] nv = f.split("=", 2);
            if (nv[1].matches("\\d+")) {
                m.put(nv[0], Long.parseLong(nv[1]));
            }
        }
        return m;
    }

    /** Holds every hasher with a blocker LOGIN each, from 127.0.0.3; returns their clients. */
    private static List<TextClient> holdEveryHasher(int port, TextClient observer) throws Exception {
        long hashers = stats(observer).get("hashers");
        long started = stats(observer).get("hashes_started");
        List<TextClient> blockers = new ArrayList<>();
        for (int i = 0; i < hashers; i++) {
            var b = new TextClient(port, "blocker" + i, "default", "127.0.0.3");
            b.send(new Request.Login("blocker" + i, "some password"));
            blockers.add(b);
        }
        Await.until(() -> stats(observer).get("hashes_started") == started + hashers, "every hasher is held");
        return blockers;
    }

    /** One connection that sends a line and closes at once, as the flood did. */
    private static void sendAndClose(int port, String line) throws Exception {
        try (var s = new Socket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aFloodOfRegistersThatCloseCostsNoHashAndARealLoginIsAnswered(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(TestServer.settings().dbUrl(db.url()).hashQueue(64).hashPerAddress(4).admins(List.of("observer")),
                        System::currentTimeMillis, holdingBlockers());
                AutoCloseable letGo = release::countDown; // before the server stops, even when an assertion fails
                var observer = TextClient.loggedIn(new TextClient(server.port(), "observer", "default", "127.0.0.9"));
                var rita = new TextClient(server.port(), "rita", "laptop", "127.0.0.2")) {
            assertTrue(rita.call(new Request.Register("rita", TextClient.password("rita"))).ok());
            List<TextClient> blockers = holdEveryHasher(server.port(), observer);
            Map<String, Long> before = stats(observer);

            // An address has at most 4 checks in the line: the fifth is answered busy at once.
            List<TextClient> held = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                var h = new TextClient(server.port(), "held" + i, "default", "127.0.0.4");
                h.send(new Request.Register("held" + i, "password " + i));
                held.add(h);
            }
            try (var fifth = new TextClient(server.port(), "held4", "default", "127.0.0.4")) {
                Reply busy = fifth.call(new Request.Register("held4", "password 4"));
                assertEquals("busy", busy.code(), busy.toString());
            }
            for (var h : held) {
                h.close();
            }

            for (int i = 0; i < 100; i++) {
                sendAndClose(server.port(), "REGISTER:flood" + i + ":password" + i);
            }
            rita.send(new Request.Login("rita", TextClient.password("rita"), "laptop"));
            Await.until(() -> {
                Map<String, Long> now = stats(observer);
                long gone = now.get("hashes_dropped") - before.get("hashes_dropped")
                        + now.get("hashes_refused") - before.get("hashes_refused");
                return gone == 100 + 5 && now.get("hashes_waiting") == 1;
            }, "the flood's checks are all dropped or refused, and rita's waits alone");

            release.countDown();
            var reply = rita.readLine();
            assertEquals(List.of("LOGIN", "true"), reply.fields().subList(0, 2), reply.toString());
            Map<String, Long> after = stats(observer);
            assertEquals(before.get("hashes_started") + 1, after.get("hashes_started"),
                    "after the held ones, only rita's password was hashed");
            try (var sql = DriverManager.getConnection(db.url());
                    var rs = sql.createStatement().executeQuery(
                            "SELECT COUNT(*) FROM users WHERE name LIKE 'flood%' OR name LIKE 'held%'")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "no account of the flood was made");
            }
            for (var b : blockers) {
                assertEquals(List.of("LOGIN", "false", "auth-failed"), b.readLine().fields().subList(0, 3));
                b.close();
            }
        }
    }

    /** Past --hash-queue checks waiting, one more is answered busy; the line then drains in order. */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aFullLineAnswersBusy(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(TestServer.settings().dbUrl(db.url()).hashQueue(2).admins(List.of("observer")),
                        System::currentTimeMillis, holdingBlockers());
                AutoCloseable letGo = release::countDown;
                var observer = TextClient.loggedIn(server.port(), "observer")) {
            List<TextClient> blockers = holdEveryHasher(server.port(), observer);
            var first = new TextClient(server.port(), "first");
            var second = new TextClient(server.port(), "second");
            first.send(new Request.Register("first", "password 1"));
            second.send(new Request.Register("second", "password 2"));
            Await.until(() -> stats(observer).get("hashes_waiting") == 2, "two checks wait");
            try (var third = new TextClient(server.port(), "third")) {
                Reply r = third.call(new Request.Register("third", "password 3"));
                assertEquals("busy", r.code(), r.toString());
                assertEquals("the server is checking too many passwords; try again in a moment", r.field(3));
                release.countDown();
                assertEquals(List.of("REGISTER", "true", "first"), first.readLine().fields());
                assertEquals(List.of("REGISTER", "true", "second"), second.readLine().fields());
                assertTrue(third.call(new Request.Register("third", "password 3")).ok(), "busy was for a moment");
            } finally {
                first.close();
                second.close();
                for (var b : blockers) {
                    b.close();
                }
            }
        }
    }
}
