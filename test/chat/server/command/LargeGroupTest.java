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
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A 500-member group: every online member receives each message exactly once, in order, and the
 * offline members catch up at login.
 */
class LargeGroupTest {

    private static final int MEMBERS = 500;
    private static final int OFFLINE = 100;
    private static final int MESSAGES = 10;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void everyMemberGetsEveryMessageOnce(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(Limits.DEFAULT, db.url());
                var owner = TextClient.loggedIn(server.port(), "owner")) {
            owner.call(new Request.Create("big", true));
            List<TextClient> online = new ArrayList<>();
            try {
                for (int i = 1; i < MEMBERS; i++) {
                    var c = TextClient.loggedIn(server.port(), "m" + i);
                    assertTrue(c.call(new Request.Join("big")).ok());
                    if (i <= OFFLINE) {
                        c.close();
                    } else {
                        online.add(c);
                    }
                }
                List<String> sent = new ArrayList<>();
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < MESSAGES; i++) {
                    var r = owner.call(new Request.Group("big", "b" + i, "broadcast " + i));
                    assertTrue(r.ok(), r.toString());
                    sent.add(r.field(2));
                    expected.add("broadcast " + i);
                }
                for (TextClient c : online) {
                    for (int i = 0; i < MESSAGES; i++) {
                        Line m = c.awaitPush("MESSAGE");
                        assertEquals(sent.get(i), m.field(1), c.name + " message " + i);
                    }
                    c.call(new Request.Ping()); // anything sent before the reply is in pushes() now
                    assertTrue(c.pushes().stream().noneMatch(l -> l.command().equals("MESSAGE")), c.name + ": no duplicates");
                }
                for (int i = 1; i <= OFFLINE; i++) {
                    try (var c = new TextClient(server.port(), "m" + i)) {
                        c.login();
                        // The catch-up holds the later members' joins too, in pages: ACKs move it on.
                        List<String> texts = DevicesTest.texts(c.catchUp());
                        assertEquals(expected, texts, c.name + ": every message once, in order");
                    }
                }
            } finally {
                for (TextClient c : online) {
                    c.close();
                }
            }
        }
    }
}
