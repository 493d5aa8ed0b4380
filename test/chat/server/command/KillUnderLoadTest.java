package chat.server.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Line;
import chat.common.proto.Request;
import chat.server.Await;
import chat.server.Backend;
import chat.server.ServerProcess;
import chat.server.TextClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The server killed with SIGKILL while several clients pipeline private and group messages: after
 * a restart on the same data, every message confirmed before the kill reaches its recipient, a
 * client that resends what it had not seen confirmed (with the same client ids) stores nothing
 * twice, and a confirmed one resent gets its original id back. Nothing is confirmed before it
 * is committed, so nothing confirmed is lost with the process.
 */
class KillUnderLoadTest {

    private static final int SENDERS = 3;
    /** Requests each sender plans: every other one a MSG to rita, the rest GROUP to crew. */
    private static final int PER_SENDER = 3_000;
    /** Confirmed messages, all senders together, after which the server is killed. */
    private static final int KILL_AFTER = 600;

    private static String clientId(int i) {
        return (i % 2 == 0 ? "m" : "g") + i;
    }

    private static Request request(int i) {
        return i % 2 == 0 ? new Request.Msg("rita", clientId(i), "private " + i)
                : new Request.Group("crew", clientId(i), "to the crew " + i);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void confirmedMessagesSurviveAKillAndResendsStoreNothingTwice(Backend backend) throws Exception {
        try (var db = backend.fresh()) {
            var server = ServerProcess.start(db);
            List<Map<String, Long>> confirmed = new ArrayList<>(); // per sender: client id -> id
            Map<String, Set<Long>> received;                     // "sender/client id" -> ids rita got
            try {
                List<TextClient> senders = new ArrayList<>();
                var rita = TextClient.loggedIn(server.port, "rita");
                for (int s = 0; s < SENDERS; s++) {
                    var sender = TextClient.loggedIn(server.port, "sender" + s);
                    senders.add(sender);
                    FriendsTest.befriend(sender, rita);
                    if (s == 0) {
                        assertTrue(sender.call(new Request.Create("crew", true)).ok());
                        assertTrue(rita.call(new Request.Join("crew")).ok());
                    } else {
                        assertTrue(sender.call(new Request.Join("crew")).ok());
                    }
                    confirmed.add(new ConcurrentHashMap<>());
                }
                var ritaReads = CompletableFuture.supplyAsync(() -> readUntilCut(rita));
                List<CompletableFuture<?>> flows = new ArrayList<>();
                for (int s = 0; s < SENDERS; s++) {
                    var sender = senders.get(s);
                    var mine = confirmed.get(s);
                    flows.add(CompletableFuture.runAsync(() -> sendUntilCut(sender)));
                    flows.add(CompletableFuture.runAsync(() -> confirmUntilCut(sender, mine)));
                }
                Await.until(() -> confirmed.stream().mapToInt(Map::size).sum() >= KILL_AFTER, Duration.ofSeconds(120),
                        KILL_AFTER + " messages confirmed");
                server.kill();
                for (var f : flows) {
                    f.get(30, TimeUnit.SECONDS);
                }
                received = ritaReads.get(30, TimeUnit.SECONDS);
                int total = confirmed.stream().mapToInt(Map::size).sum();
                System.out.printf("%s: killed with %,d of %,d confirmed%n", backend, total, SENDERS * PER_SENDER);
                assertTrue(total < SENDERS * PER_SENDER, "killed mid-flow");
                for (var c : senders) {
                    c.close();
                }
                rita.close();
            } finally {
                server.kill();
            }

            server = ServerProcess.start(db);
            try (var rita = new TextClient(server.port, "rita")) {
                rita.login();
                for (Line l : rita.catchUp()) {
                    record(received, l);
                }
                // Each sender resends what it had not seen confirmed, and a few confirmed ones.
                for (int s = 0; s < SENDERS; s++) {
                    try (var sender = new TextClient(server.port, "sender" + s)) {
                        sender.login();
                        sender.catchUp();
                        Map<String, Long> mine = confirmed.get(s);
                        List<Integer> again = new ArrayList<>();
                        int confirmedAgain = 0;
                        for (int i = 0; i < PER_SENDER; i++) {
                            if (!mine.containsKey(clientId(i)) || confirmedAgain++ < 10) {
                                again.add(i);
                            }
                        }
                        var all = new StringBuilder();
                        for (int i : again) {
                            all.append(request(i).toLine("r" + i).format()).append('\n');
                        }
                        var sent = CompletableFuture.runAsync(() -> {
                            try {
                                sender.sendRaw(all.substring(0, all.length() - 1));
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        });
                        for (int i : again) {
                            Line reply = PipeliningTest.nextReply(sender);
                            assertEquals("r" + i, reply.tag());
                            assertEquals("true", reply.field(1), reply.toString());
                            Long before = mine.get(clientId(i));
                            if (before != null) {
                                assertEquals(before, Long.parseLong(reply.field(2)), "a confirmed message resent keeps its id");
                            }
                            mine.put(clientId(i), Long.parseLong(reply.field(2)));
                        }
                        sent.get(30, TimeUnit.SECONDS);
                    }
                }
                // Rita has everything once: every planned message, under one id each.
                int planned = SENDERS * PER_SENDER;
                while (received.size() < planned) {
                    Line l = rita.readLine();
                    record(received, l);
                    if (l.command().equals("MESSAGE") && l.tag() == null) {
                        rita.send(new Request.Ack(Long.parseLong(l.field(1))));
                    }
                }
                for (int s = 0; s < SENDERS; s++) {
                    for (var e : confirmed.get(s).entrySet()) {
                        String key = "sender" + s + "/" + e.getKey();
                        assertEquals(Set.of(e.getValue()), received.get(key), key + " reached rita under its one id");
                    }
                }
                assertEquals(planned, received.size());
                for (var e : received.entrySet()) {
                    assertEquals(1, e.getValue().size(), e.getKey() + " stored once: " + e.getValue());
                }
            } finally {
                server.kill();
            }
        }
    }

    /** Rita's MESSAGE pushes until the server dies, ACKed as a client does. */
    private static Map<String, Set<Long>> readUntilCut(TextClient rita) {
        Map<String, Set<Long>> received = new HashMap<>();
        try {
            int n = 0;
            while (true) {
                Line l = rita.readLine();
                if (record(received, l) && ++n % 20 == 0) {
                    rita.send(new Request.Ack(Long.parseLong(l.field(1))));
                }
            }
        } catch (IOException cut) {
            return received;
        }
    }

    private static boolean record(Map<String, Set<Long>> received, Line l) {
        if (!l.command().equals("MESSAGE") || l.tag() != null || l.field(3).equals("rita")) {
            return false;
        }
        received.computeIfAbsent(l.field(3) + "/" + l.field(6), k -> new TreeSet<>()).add(Long.parseLong(l.field(1)));
        return true;
    }

    private static void sendUntilCut(TextClient sender) {
        try {
            PipeliningTest.send(sender, PER_SENDER, KillUnderLoadTest::request);
        } catch (java.io.UncheckedIOException cut) {
            // the server was killed: what was not confirmed is resent after the restart
        }
    }

    private static void confirmUntilCut(TextClient sender, Map<String, Long> confirmed) {
        try {
            while (confirmed.size() < PER_SENDER) {
                Line reply = PipeliningTest.nextReply(sender);
                assertEquals("true", reply.field(1), reply.toString());
                confirmed.put(reply.field(4), Long.parseLong(reply.field(2)));
            }
        } catch (IOException cut) {
            // the server was killed
        }
    }
}
