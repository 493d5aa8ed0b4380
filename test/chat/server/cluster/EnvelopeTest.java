package chat.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bus envelope: round trips, and every cut or corrupted payload refused without harm. */
class EnvelopeTest {

    @Test
    void everyKindRoundTrips() {
        var random = new Random(14);
        for (Envelope.Kind kind : Envelope.Kind.values()) {
            for (int i = 0; i < 50; i++) {
                long[] ids = new long[random.nextInt(5)];
                for (int j = 0; j < ids.length; j++) {
                    ids[j] = random.nextLong();
                }
                byte[] bytes = new byte[random.nextInt(40)];
                random.nextBytes(bytes);
                var e = new Envelope(kind, "node-" + i + "-小明", random.nextLong(), random.nextLong(), random.nextLong(),
                        ids, i % 2 == 0 ? "" : "name 🌏 " + i, bytes);
                assertEquals(e, Envelope.decode(e.encode()));
            }
        }
    }

    @Test
    void aCutOrCorruptPayloadIsRefused() {
        var e = new Envelope(Envelope.Kind.DELIVER, "a", 7, 100, 3, new long[] {1, 2},
                "x", "MESSAGE:100\n".getBytes(StandardCharsets.UTF_8));
        byte[] whole = e.encode();
        for (int cut = 0; cut < whole.length; cut++) {
            byte[] part = Arrays.copyOf(whole, cut);
            assertThrows(IllegalArgumentException.class, () -> Envelope.decode(part), "cut at " + cut);
        }
        var random = new Random(1);
        for (int i = 0; i < 2000; i++) {
            byte[] bad = whole.clone();
            bad[random.nextInt(bad.length)] = (byte) random.nextInt();
            try {
                Envelope.decode(bad);
            } catch (IllegalArgumentException expected) {
                // refused: what a node does with it (logged, dropped)
            }
        }
        byte[] kind = whole.clone();
        kind[0] = (byte) 200;
        assertThrows(IllegalArgumentException.class, () -> Envelope.decode(kind));
    }
}
