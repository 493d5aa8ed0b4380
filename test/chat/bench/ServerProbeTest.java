package chat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.server.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bench's STATS probe against our server: STATS is an admin's, so the probe logs in as one. */
class ServerProbeTest {

    @Test
    void theProbeReadsStatsAsTheBenchAdmin() throws Exception {
        try (var server = TestServer.start(TestServer.settings().admins(List.of(ServerProbe.ADMIN)))) {
            var probe = new ServerProbe(0, new InetSocketAddress("127.0.0.1", server.port()));
            probe.login();
            var first = probe.stats();
            assertEquals("1", first.get("connections"), "the probe's own connection: " + first);
            assertTrue(probe.reactorAllocated() >= 0 || probe.reactorAllocated() == -1);
            assertTrue(probe.stats().containsKey("pending"), "again, by RESUME");
        }
    }

    @Test
    void aServerWithoutTheBenchAdminSaysSo() throws Exception {
        try (var server = TestServer.start(TestServer.settings())) {
            var probe = new ServerProbe(0, new InetSocketAddress("127.0.0.1", server.port()));
            var e = assertThrows(IOException.class, probe::stats);
            assertTrue(e.getMessage().contains("--admins chat-bench"), e.getMessage());
        }
    }
}
