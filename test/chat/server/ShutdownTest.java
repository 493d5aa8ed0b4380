package chat.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Stopping the server closes every connection, whatever protocol it was speaking. */
class ShutdownTest {

    @Test
    void stopClosesEveryone() throws Exception {
        var server = TestServer.start();
        List<LegacyClient> clients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            clients.add(LegacyClient.join(server.port(), "c" + i));
        }
        try (var silent = new Socket("127.0.0.1", server.port())) {
            for (int i = 0; i < 500 && server.reactor().stats().get(5, TimeUnit.SECONDS).connections() < 21; i++) {
                Thread.sleep(10); // until the silent one is accepted, not still in the listen backlog
            }
            clients.get(0).say("before the end");
            server.close();
            assertTrue(server.reactor().awaitTermination(5, TimeUnit.SECONDS));
            for (LegacyClient c : clients) {
                assertTrue(c.awaitClosed(5_000), c.name + " was closed");
                c.close();
            }
            silent.setSoTimeout(5_000);
            assertTrue(silent.getInputStream().read() < 0, "a connection that never spoke is closed too");
        }
    }
}
