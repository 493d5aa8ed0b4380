package chat.client.term;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.common.wire.LegacyRecord;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The session against a scripted server that checks the bytes the client sends and sends it bytes
 * no real server would: records cut at odd places, garbage after a NUL, unknown types.
 */
class LegacyChatWireTest {

    @Test
    void sendsTheArticlesRecordsWithTheNameCutOnACharacterBoundary() throws Exception {
        String name = "a" + "中".repeat(20); // 61 bytes; 49 would cut the 17th character
        byte[] expectedName = ("a" + "中".repeat(16)).getBytes(StandardCharsets.UTF_8);
        try (var listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                var user = ChatUser.connect(listener.getLocalPort(), name, Locale.ENGLISH);
                var socket = listener.accept()) {
            var in = new DataInputStream(socket.getInputStream());

            byte[] online = readRecord(in);
            assertArrayEquals(field(expectedName, LegacyRecord.NAME_SIZE),
                    Arrays.copyOfRange(online, LegacyRecord.NAME_OFFSET, LegacyRecord.NAME_OFFSET + LegacyRecord.NAME_SIZE));
            assertArrayEquals(new byte[LegacyRecord.TEXT_SIZE],
                    Arrays.copyOfRange(online, LegacyRecord.TEXT_OFFSET, LegacyRecord.TEXT_OFFSET + LegacyRecord.TEXT_SIZE));
            assertEquals(LegacyRecord.ONLINE, online[LegacyRecord.TYPE_OFFSET]);

            user.type("hi 你好");
            byte[] chat = readRecord(in);
            assertArrayEquals(field(expectedName, LegacyRecord.NAME_SIZE),
                    Arrays.copyOfRange(chat, LegacyRecord.NAME_OFFSET, LegacyRecord.NAME_OFFSET + LegacyRecord.NAME_SIZE));
            assertArrayEquals(field("hi 你好".getBytes(StandardCharsets.UTF_8), LegacyRecord.TEXT_SIZE),
                    Arrays.copyOfRange(chat, LegacyRecord.TEXT_OFFSET, LegacyRecord.TEXT_OFFSET + LegacyRecord.TEXT_SIZE));
            assertEquals(LegacyRecord.CHAT, chat[LegacyRecord.TYPE_OFFSET]);

            user.keyboard.end();
            assertEquals(-1, in.read(), "after its last record the client half-closes");
            socket.close();
            user.expectExit(Client.Exit.OK);
        }
    }

    @Test
    void reassemblesRecordsHoweverTheyAreCutAndEndsWhenTheServerCloses() throws Exception {
        var stream = new ByteArrayOutputStream();
        stream.write(LegacyRecord.encode("小明", "第一条 😀", LegacyRecord.CHAT));
        stream.write(withGarbageAfterTheNuls(LegacyRecord.encode("bob", "stack garbage after the NULs", LegacyRecord.CHAT)));
        stream.write(LegacyRecord.encode("carol", "", LegacyRecord.ONLINE));
        stream.write(LegacyRecord.encode("mallory", "\u001b]0;pwned\u0007\u001b[2Jcleared?", LegacyRecord.CHAT));
        stream.write(LegacyRecord.encode("eve", "", (byte) 7));
        stream.write(LegacyRecord.encode("carol", "", LegacyRecord.OFFLINE));
        byte[] bytes = stream.toByteArray();
        // Each piece is written alone, and the next only once the client has shown what the
        // pieces so far complete, so that its reads end inside records. A script entry is where a
        // piece ends (R = record size) and the lines it completes.
        int r = LegacyRecord.SIZE;
        Object[] script = {
            1, List.of(), // inside record 1's name
            r, List.of("小明:第一条 😀"),
            r + 49, List.of(), // record 2's name and the NUL after it
            2 * r + 49, List.of("bob:stack garbage after the NULs"), // and into record 3's name
            4 * r + 1, List.of("carol is online.", "mallory:\uFFFD]0;pwned\uFFFD\uFFFD[2Jcleared?"),
            6 * r - 1, List.of("(eve sent a record of unknown type 7; ignored.)"), // all but a type byte
            6 * r, List.of("carol went offline."),
        };

        try (var listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                var user = ChatUser.connect(listener.getLocalPort(), "me", Locale.ENGLISH)) {
            try (Socket socket = listener.accept()) {
                socket.setTcpNoDelay(true);
                readRecord(new DataInputStream(socket.getInputStream())); // went online
                OutputStream out = socket.getOutputStream();
                int from = 0;
                for (int i = 0; i < script.length; i += 2) {
                    int to = (Integer) script[i];
                    out.write(bytes, from, to - from);
                    out.flush();
                    from = to;
                    for (Object line : (List<?>) script[i + 1]) {
                        user.expect((String) line);
                    }
                }
                assertEquals(bytes.length, from, "the script covers every byte");
            }
            user.expect("The server closed the connection.");
            user.expectExit(Client.Exit.SERVER_GONE);
        }
    }

    private static byte[] readRecord(DataInputStream in) throws IOException {
        byte[] record = new byte[LegacyRecord.SIZE];
        in.readFully(record);
        return record;
    }

    /** {@code bytes} NUL-padded to {@code size}. */
    private static byte[] field(byte[] bytes, int size) {
        return Arrays.copyOf(bytes, size);
    }

    /** What the C client sends: its stack's leftovers after each field's NUL. */
    private static byte[] withGarbageAfterTheNuls(byte[] record) {
        int nameEnd = LegacyRecord.NAME_OFFSET + LegacyRecord.fieldLength(record, LegacyRecord.NAME_OFFSET, LegacyRecord.NAME_SIZE);
        int textEnd = LegacyRecord.TEXT_OFFSET + LegacyRecord.fieldLength(record, LegacyRecord.TEXT_OFFSET, LegacyRecord.TEXT_SIZE);
        for (int i = 0; i < LegacyRecord.TYPE_OFFSET; i++) {
            boolean afterNul = i > nameEnd && i < LegacyRecord.TEXT_OFFSET || i > textEnd;
            if (afterNul) {
                record[i] = (byte) ('A' + i % 26);
            }
        }
        return record;
    }
}
