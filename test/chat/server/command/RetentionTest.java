package chat.server.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Line;
import chat.common.proto.Request;
import chat.server.Backend;
import chat.server.TestServer;
import chat.server.TextClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code --retention-days}: with the server's clock moved on, messages and events past the bound
 * are deleted, newer ones stay, read marks and ids stay right, and a file offer's row goes only
 * once its file has expired. On SQLite the freed pages go back to the disk.
 */
class RetentionTest {

    private static final long DAY = TimeUnit.DAYS.toMillis(1);
    private static final int OLD = 600;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void messagesPastTheBoundAreDeletedAndTheRestStaysRight(Backend backend) throws Exception {
        var clock = new AtomicLong(1_700_000_000_000L);
        long start = clock.get();
        try (var db = backend.fresh();
                var server = TestServer.start(TestServer.settings().dbUrl(db.url()).data(db.data())
                        .retentionDays(30).fileDays(7), clock::get);
                var alice = TextClient.loggedIn(server.port(), "alice");
                var bob = TextClient.loggedIn(server.port(), "bob")) {
            FriendsTest.befriend(alice, bob);
            String text = "old ".repeat(250);
            var received = CompletableFuture.supplyAsync(() -> PipeliningTest.receive(bob, OLD));
            var sent = CompletableFuture.runAsync(() -> PipeliningTest.send(alice, OLD,
                    i -> new Request.Msg("bob", "old" + i, text)));
            for (int i = 0; i < OLD; i++) {
                assertEquals("true", PipeliningTest.nextReply(alice).field(1));
            }
            sent.get(30, TimeUnit.SECONDS);
            assertEquals(null, received.get(30, TimeUnit.SECONDS));
            var offer = alice.call(new Request.SendFile("bob", "f1", "notes.txt", 3, "ab".repeat(32)));
            assertTrue(offer.ok(), offer.line().toString());
            bob.awaitPush("FILE");
            assertTrue(bob.call(new Request.Read("alice", 0)).ok());

            clock.addAndGet(31 * DAY);
            var fresh = alice.call(new Request.Msg("bob", "new1", "new"));
            long newId = Long.parseLong(fresh.field(2));
            server.sweepMessages();

            try (Connection c = DriverManager.getConnection(db.url())) {
                assertEquals(1, count(c, "SELECT COUNT(*) FROM messages WHERE sent_at < " + (start + DAY)),
                        "only the file offer is left of the old rows (its file is not expired yet)");
                assertEquals(1, count(c, "SELECT COUNT(*) FROM files"));
            }
            assertEquals(List.of("new1", "f1"), clientIds(alice.call(new Request.History("bob", 0, 50)).items()));
            var unread = bob.call(new Request.Unread());
            assertEquals(1, unread.items().size(), unread.items().toString());
            assertEquals("1", unread.items().get(0).field(2), "the read mark still counts: " + unread.items());

            server.sweepFiles(); // the offer expires (7 days), then its row may go
            server.sweepMessages();
            try (Connection c = DriverManager.getConnection(db.url())) {
                assertEquals(0, count(c, "SELECT COUNT(*) FROM messages WHERE sent_at < " + (start + DAY)),
                        "messages, events and the expired offer are gone");
                assertEquals(0, count(c, "SELECT COUNT(*) FROM files"));
                assertEquals(1, count(c, "SELECT COUNT(*) FROM messages"));
                if (backend == Backend.SQLITE) {
                    assertEquals(2, count(c, "PRAGMA auto_vacuum"), "a new database vacuums incrementally");
                    assertEquals(0, count(c, "PRAGMA freelist_count"), "the freed pages went back to the disk");
                }
            }
            assertEquals(List.of("new1"), clientIds(alice.call(new Request.History("bob", 0, 50)).items()));
            var later = alice.call(new Request.Msg("bob", "new2", "newer"));
            assertTrue(Long.parseLong(later.field(2)) > newId, "ids go on rising: " + later.line());
        }
    }

    private static List<String> clientIds(List<Line> items) {
        List<String> ids = new ArrayList<>();
        for (Line l : items) {
            ids.add(l.field(6));
        }
        return ids;
    }

    private static long count(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
