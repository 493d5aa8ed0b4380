package chat.server.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Line;
import chat.common.proto.Request;
import chat.server.Await;
import chat.server.Backend;
import chat.server.TestServer;
import chat.server.TextClient;
import chat.server.TextClient.Reply;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One account on several devices: what each receives live, what each catches up on its own, read
 * marks across devices; on both databases.
 */
class DevicesTest {

    /** The next MESSAGE push, ACKed as a client does. */
    static Line message(TextClient c) throws IOException {
        Line m = c.awaitPush("MESSAGE");
        c.send(new Request.Ack(Long.parseLong(m.field(1))));
        return m;
    }

    /** The texts of the MESSAGE pushes among {@code lines}. */
    static List<String> texts(List<Line> lines) {
        return lines.stream().filter(l -> l.command().equals("MESSAGE")).map(l -> l.field(7)).toList();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aMessageReachesEveryDeviceButTheOneThatSentIt(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(TestServer.settings().dbUrl(db.url()));
                var phone = TextClient.loggedIn(server.port(), "alice", "phone");
                var laptop = TextClient.loggedIn(server.port(), "alice", "laptop");
                var bob = TextClient.loggedIn(server.port(), "bob")) {
            FriendsTest.befriend(phone, bob);
            Line request = laptop.awaitPush("FRIEND_REQUEST");
            assertEquals(List.of("alice", "bob"), request.fields().subList(3, 5), "my request, seen on my other device");
            assertEquals("bob", laptop.awaitPush("FRIEND_ADDED").field(3));
            assertEquals(Line.of(null, "PRESENCE", "bob", "1"), laptop.awaitPush("PRESENCE"));

            Reply sent = phone.call(new Request.Msg("bob", "p-1", "from my phone"));
            Line atBob = message(bob);
            Line atLaptop = message(laptop);
            assertEquals(atBob, atLaptop, "the same push on bob's device and on my other one");
            assertEquals(List.of("MESSAGE", sent.field(2), sent.field(3), "alice", "bob", "", "p-1", "from my phone"),
                    atBob.fields());

            assertTrue(bob.call(new Request.Msg("alice", "b-1", "to the account")).ok());
            assertEquals("to the account", message(laptop).field(7));
            Line first = message(phone);
            assertEquals("to the account", first.field(7), "the phone did not get its own message back");

            // A message from the laptop: bob and the phone get it, the laptop does not.
            assertTrue(laptop.call(new Request.Msg("bob", "l-1", "from my laptop")).ok());
            assertEquals("from my laptop", message(bob).field(7));
            assertEquals("from my laptop", message(phone).field(7));
            assertTrue(bob.call(new Request.Msg("alice", "b-2", "marker")).ok());
            assertEquals("marker", message(laptop).field(7), "nothing came to the laptop before bob's marker");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void eachDeviceCatchesUpOnItsOwnExactlyOnce(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(TestServer.settings().dbUrl(db.url()))) {
            try (var phone = TextClient.loggedIn(server.port(), "amy", "phone");
                    var laptop = TextClient.loggedIn(server.port(), "amy", "laptop");
                    var bob = TextClient.loggedIn(server.port(), "ben")) {
                FriendsTest.befriend(bob, phone);
                laptop.catchUpLive();
            }
            try (var bob = TextClient.loggedIn(server.port(), "ben")) {
                for (int i = 1; i <= 3; i++) {
                    assertTrue(bob.call(new Request.Msg("amy", "m" + i, "while away " + i)).ok());
                }
            }
            // The phone comes back first and acknowledges; the laptop still gets all three.
            try (var phone = new TextClient(server.port(), "amy", "phone")) {
                phone.login();
                assertEquals(List.of("while away 1", "while away 2", "while away 3"), texts(phone.catchUp()));
                phone.call(new Request.Ping());
            }
            try (var laptop = new TextClient(server.port(), "amy", "laptop")) {
                laptop.login();
                assertEquals(List.of("while away 1", "while away 2", "while away 3"), texts(laptop.catchUp()));
                laptop.call(new Request.Ping());
            }
            for (String device : List.of("phone", "laptop")) {
                try (var again = new TextClient(server.port(), "amy", device)) {
                    again.login();
                    assertEquals(List.of(), again.catchUp(), device + " got each once");
                }
            }
            // A device seen for the first time starts where the others are: not all history.
            try (var tablet = new TextClient(server.port(), "amy", "tablet")) {
                tablet.login();
                assertEquals(List.of(), tablet.catchUp());
                try (var bob = TextClient.loggedIn(server.port(), "ben")) {
                    assertTrue(bob.call(new Request.Msg("amy", "m4", "new")).ok());
                }
                assertEquals("new", message(tablet).field(7));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void readMarksMoveForwardOnlyAndReachMyOtherDevices(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(TestServer.settings().dbUrl(db.url()));
                var phone = TextClient.loggedIn(server.port(), "rae", "phone");
                var laptop = TextClient.loggedIn(server.port(), "rae", "laptop");
                var sam = TextClient.loggedIn(server.port(), "sam")) {
            FriendsTest.befriend(sam, phone);
            List<Long> ids = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                ids.add(Long.parseLong(sam.call(new Request.Msg("rae", "r" + i, "unread " + i)).field(2)));
            }
            assertEquals("3", unreadFor(laptop, "sam"));

            Reply read = phone.call(new Request.Read("sam", ids.get(1)));
            assertEquals(Long.toString(ids.get(1)), read.field(2));
            assertEquals(Line.of(null, "READ_MARK", "sam", Long.toString(ids.get(1))), laptop.awaitPush("READ_MARK"));
            assertEquals("1", unreadFor(laptop, "sam"), "the mark is the account's");

            Reply back = phone.call(new Request.Read("sam", ids.get(0)));
            assertEquals(Long.toString(ids.get(1)), back.field(2), "a mark never moves backwards");
            Reply newest = phone.call(new Request.Read("sam", 0));
            assertEquals(Long.toString(ids.get(2)), newest.field(2), "no id: up to the newest");
            assertEquals(Long.toString(ids.get(2)), laptop.awaitPush(l -> l.command().equals("READ_MARK")
                    && l.field(2).equals(Long.toString(ids.get(2)))).field(2));
            assertEquals("0", unreadFor(laptop, "sam"));
            assertTrue(phone.pushes().stream().noneMatch(l -> l.command().equals("READ_MARK")),
                    "the device that marked has its reply");
            assertEquals("no-such-user", phone.call(new Request.Read("nobody", 0)).code());
            assertEquals("no-such-group", phone.call(new Request.Read("#nothing", 0)).code());
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aRestartInTheMiddleOfATwoDeviceConversationLosesNothingAndRepeatsNothingAcknowledged(Backend backend)
            throws Exception {
        try (var db = backend.fresh()) {
            var settings = TestServer.settings().dbUrl(db.url()).data(db.data());
            List<Long> toPhone = new ArrayList<>();
            List<Long> toLaptop = new ArrayList<>();
            String phoneToken;
            String laptopToken;
            try (var server = TestServer.start(settings);
                    var phone = TextClient.loggedIn(server.port(), "amy", "phone");
                    var laptop = TextClient.loggedIn(server.port(), "amy", "laptop");
                    var bob = TextClient.loggedIn(server.port(), "bob")) {
                phoneToken = phone.token;
                laptopToken = laptop.token;
                FriendsTest.befriend(bob, phone);
                laptop.catchUpLive();
                for (int i = 1; i <= 4; i++) {
                    long fromBob = Long.parseLong(bob.call(new Request.Msg("amy", "b" + i, "bob " + i)).field(2));
                    toPhone.add(fromBob);
                    toLaptop.add(fromBob);
                    assertEquals(fromBob, Long.parseLong(message(phone).field(1)));
                    long fromPhone = Long.parseLong(phone.call(new Request.Msg("bob", "p" + i, "amy " + i)).field(2));
                    toLaptop.add(fromPhone);
                    assertEquals("amy " + i, message(bob).field(7));
                }
                // The laptop receives all eight live but acknowledges only the first five: then the
                // server goes down.
                for (long id : toLaptop) {
                    assertEquals(id, Long.parseLong(laptop.awaitPush("MESSAGE").field(1)));
                }
                laptop.send(new Request.Ack(toLaptop.get(4)));
                laptop.call(new Request.Ping());
                phone.call(new Request.Ping());
            }
            try (var server = TestServer.start(settings);
                    var phone = new TextClient(server.port(), "amy", "phone");
                    var laptop = new TextClient(server.port(), "amy", "laptop")) {
                assertTrue(phone.resume(phoneToken).ok(), "tokens survive a restart");
                assertTrue(laptop.resume(laptopToken).ok());
                assertEquals(List.of(), phone.catchUp(), "the phone acknowledged everything: nothing again");
                List<Long> again = laptop.catchUp().stream().map(l -> Long.parseLong(l.field(1))).toList();
                assertEquals(toLaptop.subList(5, 8), again, "exactly what the laptop had not acknowledged, in order");
                try (var bob = TextClient.loggedIn(server.port(), "bob")) {
                    long id = Long.parseLong(bob.call(new Request.Msg("amy", "b5", "after the restart")).field(2));
                    assertEquals(id, Long.parseLong(message(phone).field(1)));
                    assertEquals(id, Long.parseLong(message(laptop).field(1)));
                    assertTrue(id > toLaptop.get(7), "ids go on after the restart");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void friendsSeeTheAccountComeWithItsFirstDeviceAndGoWithItsLast(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(TestServer.settings().dbUrl(db.url()));
                var bob = TextClient.loggedIn(server.port(), "bob")) {
            var phone = TextClient.loggedIn(server.port(), "amy", "phone");
            FriendsTest.befriend(bob, phone);
            try (var laptop = TextClient.loggedIn(server.port(), "amy", "laptop")) {
                assertTrue(laptop.call(new Request.Ping()).ok());
            }
            Await.until(() -> server.hub().users().stream().allMatch(u -> u.size() == 1), "the laptop is gone");
            phone.close();
            assertEquals(Line.of(null, "PRESENCE", "amy", "0"), bob.awaitPush("PRESENCE"),
                    "the laptop's coming and going were not announced; the last device's going is");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void livePushesDuringACatchUpFollowItsSynced(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(TestServer.settings().dbUrl(db.url()))) {
            try (var amy = TextClient.loggedIn(server.port(), "amy");
                    var bob = TextClient.loggedIn(server.port(), "bob");
                    var dan = TextClient.loggedIn(server.port(), "dan")) {
                FriendsTest.befriend(bob, amy);
                FriendsTest.befriend(dan, amy);
                amy.catchUpLive();
            }
            try (var bob = TextClient.loggedIn(server.port(), "bob")) {
                for (int i = 0; i <= Messages.PAGE; i++) {
                    bob.send(new Request.Msg("amy", "m" + i, "#" + i));
                }
                bob.call(new Request.Ping());
            }
            try (var amy = new TextClient(server.port(), "amy")) {
                amy.login();
                Line last = null;
                for (int i = 0; i < Messages.PAGE; i++) {
                    last = amy.awaitPush("MESSAGE"); // the first page, not acknowledged yet
                }
                try (var dan = TextClient.loggedIn(server.port(), "dan")) {
                    assertTrue(dan.call(new Request.Ping()).ok()); // dan is online: amy's PRESENCE is held
                    amy.send(new Request.Ack(Long.parseLong(last.field(1))));
                    amy.awaitPush(l -> l.command().equals("PRESENCE") && l.field(1).equals("dan"));
                    int synced = amy.transcript.indexOf("SYNCED");
                    int presence = amy.transcript.indexOf("PRESENCE:dan:1");
                    assertTrue(synced >= 0 && synced < presence, "SYNCED first, then the live push: " + amy.transcript.size());
                }
            }
        }
    }

    /** The unread count of a friend in CONTACTS. */
    private static String unreadFor(TextClient c, String friend) throws IOException {
        return c.call(new Request.Contacts()).items().stream()
                .filter(l -> l.command().equals("FRIEND") && l.field(1).equals(friend))
                .findFirst().orElseThrow().field(4);
    }
}
