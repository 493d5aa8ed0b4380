package chat.server.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Line;
import chat.common.proto.Request;
import chat.server.Backend;
import chat.server.TestServer;
import chat.server.TextClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Delivery receipts: when a device of the recipient ACKs a private message, the sender's online
 * devices get {@code DELIVERED:recipient:up-to-id}; live, in its catch-up too; not before the ACK.
 */
class DeliveredTest {

    @ParameterizedTest
    @EnumSource(Backend.class)
    void theAckOfARecipientsDeviceTellsTheSendersDevices(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(TestServer.settings().dbUrl(db.url()));
                var una = TextClient.loggedIn(server.port(), "una", "phone");
                var unaLaptop = TextClient.loggedIn(server.port(), "una", "laptop");
                var vic = TextClient.loggedIn(server.port(), "vic")) {
            FriendsTest.befriend(una, vic);
            unaLaptop.catchUpLive();

            // live: no receipt until vic's device ACKs
            String first = una.call(new Request.Msg("vic", "c1", "one")).field(2);
            String second = una.call(new Request.Msg("vic", "c2", "two")).field(2);
            assertEquals(second, vic.awaitPush(l -> l.command().equals("MESSAGE") && l.field(1).equals(second)).field(1));
            una.call(new Request.Ping()); // what was pushed to una before this answer is in
            assertTrue(una.pushes().stream().noneMatch(l -> l.command().equals("DELIVERED")),
                    "no receipt before the ACK: " + una.pushes());
            vic.send(new Request.Ack(Long.parseLong(first)));
            assertEquals(Line.of(null, "DELIVERED", "vic", first), una.awaitPush("DELIVERED"));
            vic.send(new Request.Ack(Long.parseLong(second)));
            assertEquals(Line.of(null, "DELIVERED", "vic", second), una.awaitPush("DELIVERED"));
            assertEquals(Line.of(null, "DELIVERED", "vic", first), unaLaptop.awaitPush("DELIVERED"),
                    "every online device of the sender");
            assertEquals(Line.of(null, "DELIVERED", "vic", second), unaLaptop.awaitPush("DELIVERED"));

            // a message that waited: its receipt comes when vic's next device ACKs it in the catch-up
            vic.close();
            String waited = una.call(new Request.Msg("vic", "c3", "while away")).field(2);
            try (var back = new TextClient(server.port(), "vic")) {
                back.login();
                back.catchUp(); // ACKs each stored push
                assertEquals(Line.of(null, "DELIVERED", "vic", waited), una.awaitPush("DELIVERED"));
                // the receipts are the sender's: vic gets none
                assertTrue(back.pushes().stream().noneMatch(l -> l.command().equals("DELIVERED")), back.pushes().toString());
            }
        }
    }
}
