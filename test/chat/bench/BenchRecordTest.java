package chat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.text.Names;
import chat.common.wire.LegacyRecord;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The generator's check of what comes back: a record as sent, or as our server relays it with the
 * sender's name marked as a legacy client's ({@code ~b00042}), is accepted with its fields; one
 * damaged anywhere is not.
 */
class BenchRecordTest {

    @Test
    void aRecordIsAcceptedAsSentAndWithItsNameMarked() {
        var codec = new BenchRecord();
        ByteBuffer sent = ByteBuffer.allocate(LegacyRecord.SIZE);
        codec.encodeChat(sent, 42, 7, 123_456);
        byte[] record = sent.array().clone();
        assertTrue(codec.verify(ByteBuffer.wrap(record), 0));
        assertEquals(42, codec.sender);
        assertEquals(7, codec.seq);
        assertEquals(123_456, codec.time);

        byte[] marked = record.clone();
        LegacyRecord.markName(marked, (byte) Names.LEGACY_MARK);
        assertEquals('~', marked[LegacyRecord.NAME_OFFSET]);
        codec.sender = -1;
        assertTrue(codec.verify(ByteBuffer.wrap(marked), 0), "marked by our server's relay");
        assertEquals(42, codec.sender);

        for (byte[] r : new byte[][] {record, marked}) {
            byte[] damaged = r.clone();
            damaged[LegacyRecord.TEXT_OFFSET + 20] ^= 1;
            assertFalse(codec.verify(ByteBuffer.wrap(damaged), 0));
            byte[] renamed = r.clone();
            renamed[LegacyRecord.NAME_OFFSET + 3] ^= 1;
            assertFalse(codec.verify(ByteBuffer.wrap(renamed), 0));
        }
    }
}
