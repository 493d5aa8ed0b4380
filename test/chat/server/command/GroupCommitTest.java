package chat.server.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Line;
import chat.common.proto.Request;
import chat.server.Backend;
import chat.server.TestServer;
import chat.server.TextClient;
import chat.server.reactor.Limits;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Messages stored by the writer's group commit, end to end: several connections pipeline their
 * MSGs at once, so that the writer finds many waiting and stores them in shared transactions, and
 * some of them fail (to someone who is no friend) in the middle of those transactions. Each good
 * one is confirmed, in request order with rising ids, pushed, and stored once; each bad one fails
 * alone.
 */
class GroupCommitTest {

    private static final int SENDERS = 6;
    private static final int PER_SENDER = 40;

    /** Every fourth message goes to a stranger: refused with not-friends. */
    private static boolean bad(int i) {
        return i % 4 == 3;
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void pipelinedMessagesWithFailuresMixedInAreEachConfirmedOrFailedAndNoneLost(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(Limits.DEFAULT, db.url());
                var rita = TextClient.loggedIn(server.port(), "rita");
                var stranger = TextClient.loggedIn(server.port(), "stranger")) {
            List<TextClient> senders = new ArrayList<>();
            try {
                for (int s = 0; s < SENDERS; s++) {
                    var sender = TextClient.loggedIn(server.port(), "sender" + s);
                    senders.add(sender);
                    FriendsTest.befriend(sender, rita);
                }
                // All requests of all senders on the wire before any reply is read.
                for (int s = 0; s < SENDERS; s++) {
                    var all = new StringBuilder();
                    for (int i = 0; i < PER_SENDER; i++) {
                        String to = bad(i) ? "stranger" : "rita";
                        all.append(new Request.Msg(to, "c" + i, "message " + i + " of " + s).toLine("m" + i).format())
                                .append('\n');
                    }
                    senders.get(s).sendRaw(all.substring(0, all.length() - 1));
                }

                Map<Long, String> confirmed = new TreeMap<>(); // id -> "sender/client id"
                for (int s = 0; s < SENDERS; s++) {
                    long lastId = 0;
                    for (Line reply : replies(senders.get(s))) {
                        int i = Integer.parseInt(reply.tag().substring(1));
                        if (bad(i)) {
                            assertEquals(List.of("MSG", "false", "not-friends"), reply.fields().subList(0, 3),
                                    reply.toString());
                            continue;
                        }
                        assertEquals(List.of("MSG", "true"), reply.fields().subList(0, 2), reply.toString());
                        long id = Long.parseLong(reply.field(2));
                        assertTrue(id > lastId, "ids rise in request order: " + reply);
                        lastId = id;
                        assertEquals("c" + i, reply.field(4));
                        confirmed.put(id, "sender" + s + "/c" + i);
                    }
                }
                int good = SENDERS * (PER_SENDER - PER_SENDER / 4);
                assertEquals(good, confirmed.size(), "every good message confirmed once");

                Map<Long, String> pushed = new HashMap<>();
                while (pushed.size() < good) {
                    Line m = rita.awaitPush("MESSAGE");
                    pushed.put(Long.parseLong(m.field(1)), m.field(3) + "/" + m.field(6));
                }
                assertEquals(confirmed, new TreeMap<>(pushed), "each pushed live as confirmed");

                // A new device of rita's gets what is stored: exactly the confirmed ones, in id order.
                try (var tablet = new TextClient(server.port(), "rita", "tablet")) {
                    tablet.login();
                    List<Long> stored = new ArrayList<>();
                    for (Line l : tablet.catchUp()) {
                        if (l.command().equals("MESSAGE")) {
                            stored.add(Long.parseLong(l.field(1)));
                        }
                    }
                    assertEquals(new ArrayList<>(confirmed.keySet()), stored);
                }
                stranger.call(new Request.Ping()); // whatever was pushed to it is read by the reply
                assertTrue(stranger.pushes().stream().noneMatch(l -> l.command().equals("MESSAGE")),
                        stranger.pushes().toString());
            } finally {
                for (TextClient sender : senders) {
                    sender.close();
                }
            }
        }
    }

    /** The {@value #PER_SENDER} tagged replies of a sender, in the order they came; pushes skipped. */
    private static List<Line> replies(TextClient sender) throws java.io.IOException {
        List<Line> replies = new ArrayList<>();
        while (replies.size() < PER_SENDER) {
            Line l = sender.readLine();
            if (l.tag() != null) {
                assertEquals("m" + replies.size(), l.tag(), "replies in request order");
                replies.add(l);
            }
        }
        return replies;
    }
}
