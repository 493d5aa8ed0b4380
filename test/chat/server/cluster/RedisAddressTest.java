package chat.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RedisAddressTest {

    @Test
    void parsesHostPortAndPrefixWithDefaults() {
        assertEquals(new RedisAddress("127.0.0.1", 6379, "chat"), RedisAddress.parse("redis://127.0.0.1:6379"));
        assertEquals(new RedisAddress("127.0.0.1", 6379, "chat"), RedisAddress.parse("redis://127.0.0.1"));
        assertEquals(new RedisAddress("127.0.0.1", 6379, "chat"), RedisAddress.parse("redis://127.0.0.1/"));
        assertEquals(new RedisAddress("redis.example.org", 7000, "test-a1:b"),
                RedisAddress.parse("redis://redis.example.org:7000/test-a1:b"));
        assertEquals(new RedisAddress("::1", 6380, "x"), RedisAddress.parse("redis://[::1]:6380/x"));
        assertEquals("redis://[::1]:6380/x", RedisAddress.parse("redis://[::1]:6380/x").toString());
        assertEquals("redis://127.0.0.1:6379/chat", RedisAddress.parse("REDIS://127.0.0.1").toString());
    }

    @Test
    void refusesWhatIsNotARedisUrl() {
        for (String bad : new String[] {"127.0.0.1:6379", "http://127.0.0.1", "redis://", "redis://h:0",
                "redis://h:70000", "redis://user:pw@h", "redis://h/a b", "redis://h/a/b", "redis://h?db=1",
                "redis://h/x#y", "redis:///chat"}) {
            assertThrows(IllegalArgumentException.class, () -> RedisAddress.parse(bad), bad);
        }
    }
}
