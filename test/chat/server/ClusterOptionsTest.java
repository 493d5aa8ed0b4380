package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The cluster's command line: its options as cluster.md gives them, and what is refused at start. */
class ClusterOptionsTest {

    @Test
    void theClusterOptionsAreReadAsTheDesignGivesThem() {
        var s = Server.parse(new String[] {"0", "--db", "jdbc:mysql://127.0.0.1:3306/chat", "--cluster",
                "redis://127.0.0.1:6379/mine", "--node-id", "n1", "--cluster-heartbeat", "250ms", "--cluster-ttl", "1.5s"});
        assertEquals("redis://127.0.0.1:6379/mine", s.cluster().redisUrl());
        assertEquals("n1", s.cluster().nodeId());
        assertEquals(Duration.ofMillis(250), s.cluster().heartbeat());
        assertEquals(Duration.ofMillis(1500), s.cluster().ttl());
        var defaults = Server.parse(new String[] {"0", "--db", "jdbc:mariadb://h/chat", "--cluster", "redis://h:6379"});
        assertEquals(Duration.ofSeconds(1), defaults.cluster().heartbeat());
        assertEquals(Duration.ofSeconds(5), defaults.cluster().ttl());
        assertTrue(defaults.cluster().nodeId().matches("[A-Za-z0-9.-]+-\\d+-[0-9a-f]+"), defaults.cluster().nodeId());
        assertTrue(!defaults.cluster().nodeId().equals(Server.parse(new String[] {"0", "--db", "jdbc:mariadb://h/chat",
                "--cluster", "redis://h:6379"}).cluster().nodeId()), "a new id each start");
        assertNull(Server.parse(new String[] {"0"}).cluster(), "one node by default");
    }

    @Test
    void filesAreKeptInDataFilesUnlessFilesNamesAFolder() {
        assertEquals(Path.of("d", "files"), Server.parse(new String[] {"0", "--data", "d"}).filesFolder());
        var shared = Server.parse(new String[] {"0", "--data", "d", "--files", "/mnt/chat-files"});
        assertEquals(Path.of("/mnt/chat-files"), shared.filesFolder());
    }

    @Test
    void aClusterOnSqliteOrWithBadValuesIsRefusedAtStart() {
        var sqlite = assertThrows(IllegalArgumentException.class,
                () -> Server.parse(new String[] {"0", "--cluster", "redis://127.0.0.1:6379"}));
        assertTrue(sqlite.getMessage().contains("SQLite"), sqlite.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Server.parse(new String[] {"0", "--node-id", "n1"}));
        assertThrows(IllegalArgumentException.class, () -> Server.parse(new String[] {"0", "--db", "jdbc:mysql://h/c",
                "--cluster", "http://h:6379"}));
        assertThrows(IllegalArgumentException.class, () -> Server.parse(new String[] {"0", "--db", "jdbc:mysql://h/c",
                "--cluster", "redis://h:6379", "--cluster-heartbeat", "1s", "--cluster-ttl", "1500ms"}),
                "a ttl under two heartbeats");
        assertThrows(IllegalArgumentException.class, () -> Server.parse(new String[] {"0", "--db", "jdbc:mysql://h/c",
                "--cluster", "redis://h:6379", "--node-id", "no spaces"}));
    }
}
