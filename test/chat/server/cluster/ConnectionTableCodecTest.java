package chat.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import chat.common.proto.Item;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A node's connection table as it crosses the bus (TABLE): round trips; a cut one is refused. */
class ConnectionTableCodecTest {

    @Test
    void aTableRoundTripsAndACutOneIsRefused() {
        var items = List.of(new Item.ConnectionInfo(5L << 32 | 17, "bob", "10.0.0.7:5000", "text", 1_700_000_000_000L, 3, 0),
                new Item.ConnectionInfo(5L << 32 | 18, "~小明", "[::1]:6000", "legacy", 1, 0, 12_345));
        byte[] whole = Cluster.encode(items);
        assertEquals(items, Cluster.decode(whole));
        assertEquals(List.of(), Cluster.decode(Cluster.encode(List.of())));
        for (int cut = 0; cut < whole.length; cut++) {
            byte[] part = Arrays.copyOf(whole, cut);
            assertThrows(IllegalArgumentException.class, () -> Cluster.decode(part), "cut at " + cut);
        }
        byte[] longer = Arrays.copyOf(whole, whole.length + 1);
        assertThrows(IllegalArgumentException.class, () -> Cluster.decode(longer));
    }
}
