package chat.server.command;

import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Request;
import chat.server.TestServer;
import chat.server.TextClient;
import chat.server.reactor.Limits;
import chat.server.reactor.ThreadAllocation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A group message is encoded once and its bytes copied to each online member: what the reactor
 * thread allocates per message does not grow with the number of members.
 */
class GroupAllocationTest {

    private static final int WARM_UP = 300;
    private static final int MEASURED = 300;
    /**
     * Per message and per extra member. One 16-byte object per recipient would be 16; the slack
     * covers a growing array or a log line spread over the run.
     */
    private static final double BUDGET_PER_RECIPIENT = 2.0;

    @Test
    void bytesPerMessageDoNotGrowWithMembers() throws Exception {
        double small = bytesPerMessage(10);
        double large = bytesPerMessage(150);
        double perRecipient = (large - small) / 140;
        assertTrue(perRecipient < BUDGET_PER_RECIPIENT, String.format(
                "reactor bytes per message: %.0f with 10 members, %.0f with 150: %.2f per extra recipient",
                small, large, perRecipient));
    }

    private static double bytesPerMessage(int members) throws Exception {
        try (var server = TestServer.start(Limits.DEFAULT, null);
                var owner = TextClient.loggedIn(server.port(), "owner")) {
            long reactor = server.reactor().thread().getId();
            owner.call(new Request.Create("g", true));
            List<TextClient> others = new ArrayList<>();
            try {
                for (int i = 1; i < members; i++) {
                    var c = TextClient.loggedIn(server.port(), "m" + i);
                    c.call(new Request.Join("g"));
                    others.add(c);
                }
                send(owner, "w", WARM_UP);
                long before = ThreadAllocation.of(reactor);
                send(owner, "m", MEASURED);
                return (double) (ThreadAllocation.of(reactor) - before) / MEASURED;
            } finally {
                for (TextClient c : others) {
                    c.close();
                }
            }
        }
    }

    /** Sends {@code count} group messages, each answered before the next (pushes accumulate in kernel buffers). */
    private static void send(TextClient owner, String prefix, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            assertTrue(owner.call(new Request.Group("g", prefix + i, "a group message of ordinary length")).ok());
        }
    }
}
