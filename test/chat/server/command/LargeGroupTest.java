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
                for (int i = 0; i < MESSAGES; i++) {
                    var r = owner.call(new Request.Group("big", "b" + i, "broadcast " + i));
                    assertTrue(r.ok(), r.toString());
                    sent.add(r.field(2));
                }
                for (TextClient c : online) {
                    for (int i = 0; i < MESSAGES; i++) {
                        Line m = c.awaitPush(l -> l.command().equals("GROUP"));
                        assertEquals(sent.get(i), m.field(1), c.name + " message " + i);
                    }
                    c.call(new Request.Ping()); // anything sent before the PONG is in pushes() now
                    assertTrue(c.pushes().stream().noneMatch(l -> l.command().equals("GROUP")), c.name + ": no duplicates");
                }
                for (int i = 1; i <= OFFLINE; i++) {
                    try (var c = new TextClient(server.port(), "m" + i)) {
                        c.login();
                        for (int k = 0; k < MESSAGES; k++) {
                            assertEquals("broadcast " + k, c.awaitPush(l -> l.command().equals("GROUP")).field(5));
                        }
                        c.awaitPush("SYNCED");
                        assertTrue(c.pushes().stream().noneMatch(l -> l.command().equals("GROUP")), c.name + ": no duplicates");
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
