package chat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ArgsTest {

    @Test
    void sizesTakeBinaryAndDecimalUnits() {
        assertEquals(1L << 30, Args.parseBytes("1GiB"));
        assertEquals(128L << 20, Args.parseBytes("128MiB"));
        assertEquals(64L << 10, Args.parseBytes("64KiB"));
        assertEquals(2_000_000_000L, Args.parseBytes("2GB"));
        assertEquals(5_000_000L, Args.parseBytes("5 MB"));
        assertEquals(1000, Args.parseBytes("1000"));
        assertEquals(7, Args.parseBytes("7B"));
    }

    @Test
    void aSizeThatIsNoneIsRefusedWithTheOptionsName() {
        for (String bad : new String[] {"0", "1.5GiB", "12 parsecs", "-3", "", "99999999999GiB"}) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> new Args(new String[] {"--size", bad}, 0).bytes("size", 1), bad);
            assertTrue(e.getMessage().startsWith("--size must be a size"), e.getMessage());
        }
        assertEquals(42, new Args(new String[] {}, 0).bytes("size", 42));
    }
}
