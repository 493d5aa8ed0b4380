package chat.client;

import static chat.client.Device.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.ErrorCode;
import chat.common.proto.Item;
import chat.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library's admin facade against the real server, over real sockets (protocol 1.4). */
class AdminClientTest {

    @TempDir
    Path dir;

    @Test
    void anAdminListsConnectionsBansAndLiftsABan() throws Exception {
        try (var server = TestServer.start(TestServer.settings().data(Files.createDirectories(dir.resolve("server")))
                        .admins(List.of("root")));
                var root = new Device("root", server.port(), dir.resolve("root"));
                var bob = new Device("bob", server.port(), dir.resolve("bob"))) {
            root.signUp("root", "root-pw-123");
            bob.signUp("bob", "bob-pw-123");

            var stats = get(root.client.admin().stats());
            assertEquals("2", stats.get("logged_in"), stats.toString());
            List<Item.ConnectionInfo> connections = get(root.client.admin().connections());
            assertEquals(List.of("bob", "root"), connections.stream().map(Item.ConnectionInfo::user).sorted().toList());
            assertTrue(connections.stream().allMatch(c -> c.protocol().equals("text")), connections.toString());

            var refused = assertThrows(ExecutionException.class,
                    () -> bob.client.admin().bans().get(10, TimeUnit.SECONDS));
            assertEquals(ErrorCode.FORBIDDEN, assertInstanceOf(RefusedException.class, refused.getCause()).code());

            long until = get(root.client.admin().ban("bob", 30, "spam"));
            assertTrue(until > System.currentTimeMillis(), "thirty minutes from now");
            var bye = bob.await(ChatEvent.Bye.class);
            assertEquals("banned", bye.reason());
            assertTrue(bye.message().contains("spam"), bye.message());
            List<Item.BanInfo> bans = get(root.client.admin().bans());
            assertEquals(1, bans.size());
            assertEquals(new Item.BanInfo("account", "bob", until, "spam", "root", bans.get(0).at()), bans.get(0));
            assertFalse(bans.get(0).forGood());

            get(root.client.admin().unban("bob"));
            assertEquals(List.of(), get(root.client.admin().bans()));
            get(root.client.admin().banAddress("10.9.8.7", 0, "never here"));
            assertTrue(get(root.client.admin().bans()).get(0).forGood());
            get(root.client.admin().unban("@10.9.8.7"));
        }
    }
}
