package chat.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.server.store.Store.Device;
import chat.server.store.Store.Group;
import chat.server.store.Store.Kind;
import chat.server.store.Store.Message;
import chat.server.store.Store.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Protocol 1.1's delivery: devices and their cursors, events, and what each device of an account
 * receives (the rule in {@link Store}'s comment), on each database.
 */
abstract class DeliveryContract extends StoreFixture {

    // MSG's batch.

    private Store.Outgoing outgoing(User from, String toKey, String clientId, String body) {
        return new Store.Outgoing(from.id(), from.name(), 7, toKey, clientId, body, 500);
    }

    /**
     * A batch as MSG hands it over: each message stored with ids in list order, as if alone, and
     * what is returned is what was stored; the others refused (unknown name, oneself, not a friend)
     * without a row.
     */
    @Test
    void aBatchOfMessagesStoresEachInOrderAndRefusesTheOthers() {
        befriend(alice, bob);
        Device bobs = store.device(bob.id(), "phone", 1);
        Device alices = store.device(alice.id(), "phone", 1);

        List<Store.Sent> sent = store.storeFriendMessages(List.of(outgoing(alice, "bob", "a1", "你好"),
                outgoing(alice, "nobody", "a2", "x"), outgoing(alice, "alice", "a3", "x"),
                outgoing(alice, "carol", "a4", "x"), outgoing(bob, "alice", "b1", "hi"),
                outgoing(alice, "bob", "a5", "again")));

        assertEquals(List.of(Store.Refusal.NO_SUCH_USER, Store.Refusal.SELF, Store.Refusal.NOT_FRIENDS),
                sent.subList(1, 4).stream().map(Store.Sent::refusal).toList());
        List<Message> stored = List.of(sent.get(0).stored().message(), sent.get(4).stored().message(),
                sent.get(5).stored().message());
        assertTrue(stored.get(0).id() < stored.get(1).id() && stored.get(1).id() < stored.get(2).id(),
                stored.toString());
        assertFalse(sent.get(0).stored().duplicate());
        assertEquals(new Message(stored.get(0).id(), alice.id(), "Alice", bob.id(), "Bob", 0, null, "a1", "你好", 500,
                Kind.TEXT, 7, null), stored.get(0));
        assertEquals(List.of(stored.get(0), stored.get(2)), store.undelivered(bob.id(), bobs.id(), 100).stream()
                .filter(m -> m.senderId() == alice.id()).toList(), "stored as returned");
        assertEquals(List.of(stored.get(1)), store.undelivered(alice.id(), alices.id(), 100).stream()
                .filter(m -> m.senderId() == bob.id()).toList());
        assertTrue(store.undelivered(carol.id(), store.device(carol.id(), "phone", 1).id(), 100).isEmpty());
    }

    /**
     * The writer remembers the recipients its batches stored messages to (they skip the look-up
     * by name next time), but never their friendship: once it ends, a MSG to the same name is
     * refused, and once it is back, stored again, to the same account.
     */
    @Test
    void aRememberedRecipientIsStillCheckedForFriendshipEachTime() {
        befriend(alice, bob);
        Message first = store.storeFriendMessages(List.of(outgoing(alice, "bob", "a1", "one"))).get(0).stored()
                .message();
        assertTrue(store.deleteFriend(alice.id(), bob.id()));

        assertEquals(Store.Refusal.NOT_FRIENDS,
                store.storeFriendMessages(List.of(outgoing(alice, "bob", "a2", "two"))).get(0).refusal());
        befriend(alice, bob);
        Message third = store.storeFriendMessages(List.of(outgoing(alice, "bob", "a3", "three"))).get(0).stored()
                .message();
        assertEquals(List.of(bob.id(), "Bob"), List.of(third.recipientId(), third.recipientName()));
        assertTrue(third.id() > first.id());
    }

    /**
     * A resend in a batch (a client id stored before, or twice in the batch) is answered with the
     * message stored first, and the batch's other messages are still stored once each, in order.
     */
    @Test
    void aResendInABatchIsAnsweredWithTheFirstAndTheOthersAreStored() {
        befriend(alice, bob);
        Message first = store.storeFriendMessages(List.of(outgoing(alice, "bob", "a1", "first"))).get(0).stored()
                .message();

        List<Store.Sent> sent = store.storeFriendMessages(List.of(outgoing(alice, "bob", "a2", "two"),
                outgoing(alice, "bob", "a1", "resent"), outgoing(alice, "bob", "a3", "three"),
                outgoing(alice, "bob", "a3", "three again")));

        assertEquals(first, sent.get(1).stored().message());
        assertTrue(sent.get(1).stored().duplicate());
        assertEquals(sent.get(2).stored().message(), sent.get(3).stored().message());
        assertTrue(sent.get(3).stored().duplicate());
        assertFalse(sent.get(0).stored().duplicate() || sent.get(2).stored().duplicate());
        assertTrue(first.id() < sent.get(0).stored().message().id()
                && sent.get(0).stored().message().id() < sent.get(2).stored().message().id());
        Device bobs = store.device(bob.id(), "phone", 1);
        assertEquals(List.of("first", "two", "three"), store.undelivered(bob.id(), bobs.id(), 100).stream()
                .map(Message::body).toList(), "each once");
        assertEquals(List.of(first.id(), sent.get(0).stored().message().id(), sent.get(2).stored().message().id()),
                store.undelivered(bob.id(), bobs.id(), 100).stream().map(Message::id).toList(),
                "the ids answered are the ids stored, past a resend left out between them");
    }

    // Devices.

    @Test
    void aDeviceIsFoundByNameAndTouched() {
        Device phone = store.device(alice.id(), "phone", 10);
        assertEquals(new Device(phone.id(), alice.id(), "phone", 0, 10), phone);
        Device again = store.device(alice.id(), "phone", 20);
        assertEquals(new Device(phone.id(), alice.id(), "phone", 0, 20), again, "the same row, seen later");
        Device bobs = store.device(bob.id(), "phone", 30);
        assertNotEquals(phone.id(), bobs.id(), "device names are per account");
        assertNotEquals(phone.id(), store.device(alice.id(), "Phone", 40).id(), "names are exact");
        assertEquals(List.of("Phone", "phone"), store.devices(alice.id()).stream().map(Device::name).toList());
        assertThrows(StoreException.class, () -> store.device(9999, "phone", 1), "no such user");
        assertThrows(IllegalArgumentException.class, () -> store.device(alice.id(), "x".repeat(65), 1));
    }

    @Test
    void aNewDeviceStartsAtTheMostAdvancedCursorOfTheAccount() {
        List<Message> toAlice = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            toAlice.add(store.storeMessage(bob.id(), 0, alice.id(), "b" + i, "m" + i, i).message());
        }
        Device phone = store.device(alice.id(), "phone", 1);
        assertEquals(0, phone.ackedMsgId(), "an account's first device starts at the beginning");
        assertEquals(toAlice, store.undelivered(alice.id(), phone.id(), 100));
        Device laptop = store.device(alice.id(), "laptop", 2);
        store.acknowledgeDevices(Map.of(phone.id(), toAlice.get(2).id(), laptop.id(), toAlice.get(0).id()));

        Device tablet = store.device(alice.id(), "tablet", 3);
        assertEquals(toAlice.get(2).id(), tablet.ackedMsgId(), "what no device has received yet, not all history");
        assertEquals(toAlice.subList(3, 4), store.undelivered(alice.id(), tablet.id(), 100));
        assertEquals(toAlice.subList(1, 4), store.undelivered(alice.id(), laptop.id(), 100), "each its own cursor");
        assertEquals(toAlice.get(2).id(), store.device(alice.id(), "tablet", 4).ackedMsgId(), "kept when seen again");
    }

    @Test
    void theFirstDeviceOfAnAccountFromVersionOneStartsAtItsOldCursor() throws Exception {
        Message old = store.storeMessage(bob.id(), 0, alice.id(), "b0", "received before 1.1", 1).message();
        Message next = store.storeMessage(bob.id(), 0, alice.id(), "b1", "not yet received", 2).message();
        execute("UPDATE users SET acked_msg_id = " + old.id() + " WHERE id = " + alice.id());
        Device phone = store.device(alice.id(), Store.DEFAULT_DEVICE, 3);
        assertEquals(old.id(), phone.ackedMsgId());
        assertEquals(List.of(next), store.undelivered(alice.id(), phone.id(), 100));
    }

    @Test
    void acknowledgementsArePerDeviceAndNeverMoveBack() {
        Device phone = store.device(bob.id(), "phone", 1);
        Device laptop = store.device(bob.id(), "laptop", 1);
        List<Message> toBob = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            toBob.add(store.storeMessage(alice.id(), 0, bob.id(), "a" + i, "m" + i, i).message());
        }
        store.acknowledgeDevices(Map.of(phone.id(), toBob.get(2).id()));
        assertEquals(toBob.subList(3, 4), store.undelivered(bob.id(), phone.id(), 100));
        assertEquals(toBob, store.undelivered(bob.id(), laptop.id(), 100), "the laptop acknowledged nothing");
        store.acknowledgeDevices(Map.of(phone.id(), toBob.get(0).id(), laptop.id(), toBob.get(1).id()));
        assertEquals(toBob.subList(3, 4), store.undelivered(bob.id(), phone.id(), 100), "a late, older ack");
        assertEquals(toBob.subList(2, 4), store.undelivered(bob.id(), laptop.id(), 100));
        store.acknowledgeDevices(Map.of());
        assertEquals(List.of(), store.undelivered(alice.id(), phone.id(), 100), "another account's device");
        assertEquals(List.of(), store.undelivered(bob.id(), 9999, 100), "no such device");
    }

    /** More devices than one UPDATE takes (MessageStore.ACKS_PER_STATEMENT): each moves to its own mark, never back. */
    @Test
    void manyDevicesAreAcknowledgedAtOnce() {
        List<Message> toBob = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            toBob.add(store.storeMessage(alice.id(), 0, bob.id(), "a" + i, "m" + i, i).message());
        }
        Map<Long, Long> first = new java.util.HashMap<>();
        Map<Long, Long> later = new java.util.HashMap<>();
        Map<Long, Long> expected = new java.util.HashMap<>();
        for (int i = 0; i < 300; i++) {
            long device = store.device(bob.id(), "d" + i, 1).id();
            first.put(device, toBob.get(i % 3).id());
            later.put(device, toBob.get(1).id());
            expected.put(device, toBob.get(Math.max(1, i % 3)).id());
        }
        store.acknowledgeDevices(first);
        store.acknowledgeDevices(later);
        Map<Long, Long> marks = new java.util.HashMap<>();
        store.devices(bob.id()).forEach(d -> marks.put(d.id(), d.ackedMsgId()));
        assertEquals(expected, marks);
    }

    // What each device receives.

    @Test
    void myOwnMessagesReachMyOtherDevicesOnly() {
        Device phone = store.device(alice.id(), "phone", 1);
        Device laptop = store.device(alice.id(), "laptop", 1);
        Device bobs = store.device(bob.id(), "phone", 1);
        Group rust = group("Rust", alice);
        store.addMember(rust.id(), bob.id(), 2);

        Message privately = store.storeMessage(alice.id(), phone.id(), bob.id(), "p1", "from my phone", 3).message();
        Message inGroup = store.storeGroupMessage(alice.id(), phone.id(), rust.id(), "g1", "to Rust", 4).message();
        Message fromLaptop = store.storeMessage(alice.id(), laptop.id(), bob.id(), "p2", "from my laptop", 5).message();
        Message reply = store.storeMessage(bob.id(), bobs.id(), alice.id(), "r1", "reply", 6).message();

        assertEquals(phone.id(), privately.senderDevice());
        assertEquals(List.of(fromLaptop, reply), store.undelivered(alice.id(), phone.id(), 100));
        assertEquals(List.of(privately, inGroup, reply), store.undelivered(alice.id(), laptop.id(), 100));
        assertEquals(List.of(privately, inGroup, fromLaptop), store.undelivered(bob.id(), bobs.id(), 100),
                "the reply came from this very device");
        Device tv = store.device(bob.id(), "tv", 7);
        assertEquals(List.of(privately, inGroup, fromLaptop, reply), store.undelivered(bob.id(), tv.id(), 100),
                "Bob's new device gets his own reply too");
    }

    @Test
    void groupTextFollowsMembershipFromJoiningOn() {
        Device bobs = store.device(bob.id(), "phone", 1);
        Device carols = store.device(carol.id(), "phone", 1);
        Group rust = group("Rust", alice);
        store.addMember(rust.id(), bob.id(), 2);
        Message before = store.storeGroupMessage(alice.id(), 0, rust.id(), "g1", "before Carol", 3).message();
        store.addMember(rust.id(), carol.id(), 4);
        Message after = store.storeGroupMessage(alice.id(), 0, rust.id(), "g2", "after Carol", 5).message();

        assertEquals(List.of(before, after), store.undelivered(bob.id(), bobs.id(), 100));
        assertEquals(List.of(after), store.undelivered(carol.id(), carols.id(), 100));

        // Kicked: the event reaches every member and the kicked one, group text no longer does
        // (not even text sent before the kick that Bob's device had not acknowledged yet).
        store.acknowledgeDevices(Map.of(bobs.id(), before.id()));
        store.removeMember(rust.id(), bob.id());
        List<Message> kick = store.storeEvent(Kind.GROUP_LEFT, alice.id(), 0, rust.id(),
                List.of(alice.id(), carol.id(), bob.id()), List.of("Rust", "Bob", "kicked", "Alice"), 6);
        Message later = store.storeGroupMessage(alice.id(), 0, rust.id(), "g3", "without Bob", 7).message();
        assertEquals(List.of(kick.get(2)), store.undelivered(bob.id(), bobs.id(), 100));
        assertEquals(List.of(after, kick.get(1), later), store.undelivered(carol.id(), carols.id(), 100));
        assertEquals(List.of("Rust", "Bob", "kicked", "Alice"), kick.get(2).eventFields());
    }

    @Test
    void eventsReachTheirRecipientsAndTheActorsOtherDevices() {
        Device phone = store.device(alice.id(), "phone", 1);
        Device laptop = store.device(alice.id(), "laptop", 1);
        Device bobs = store.device(bob.id(), "phone", 1);
        List<Message> added = store.storeEvent(Kind.FRIEND_ADDED, alice.id(), phone.id(), 0,
                List.of(bob.id(), alice.id(), bob.id()), List.of("名字:with%colon"), 50);
        assertEquals(2, added.size(), "each recipient once");
        Message forBob = added.get(0);
        Message forAlice = added.get(1);
        assertTrue(forBob.id() < forAlice.id(), "ids in the order of the recipients");
        assertEquals(new Message(forBob.id(), alice.id(), "Alice", bob.id(), "Bob", 0, null, forBob.clientId(),
                forBob.body(), 50, Kind.FRIEND_ADDED, phone.id()), forBob);
        assertTrue(forBob.isEvent());
        assertFalse(forBob.isGroup());
        assertEquals(List.of("名字:with%colon"), forBob.eventFields());

        assertEquals(List.of(forBob), store.undelivered(bob.id(), bobs.id(), 100));
        assertEquals(List.of(forAlice), store.undelivered(alice.id(), laptop.id(), 100));
        assertEquals(List.of(), store.undelivered(alice.id(), phone.id(), 100), "the device that did it");
        assertEquals(List.of(), store.history(alice.id(), bob.id(), Long.MAX_VALUE, 100), "events are no history");
        assertEquals(List.of(), store.search(bob.id(), "with", 100), "nor found by search");
        assertEquals(List.of(), store.unread(bob.id()), "nor unread");
        assertThrows(IllegalStateException.class,
                () -> store.storeMessage(bob.id(), 0, alice.id(), "t", "text", 1).message().eventFields());
    }

    @Test
    void anEventIsStoredWholeOrNotAtAll() {
        assertThrows(StoreException.class, () -> store.storeEvent(Kind.FRIEND_REMOVED, alice.id(), 0, 0,
                List.of(bob.id(), 9999L), List.of("Bob"), 1));
        assertEquals(0, count("SELECT COUNT(*) FROM messages"));
        assertEquals(List.of(), store.storeEvent(Kind.FRIEND_REMOVED, alice.id(), 0, 0, List.of(), List.of("x"), 1));
        assertThrows(IllegalArgumentException.class,
                () -> store.storeEvent(Kind.TEXT, alice.id(), 0, 0, List.of(bob.id()), List.of("x"), 1));
        assertThrows(IllegalArgumentException.class,
                () -> store.storeEvent(Kind.FRIEND_ADDED, alice.id(), 0, 0, List.of(bob.id()), List.of(), 1));
        // Two events of one actor in the same millisecond: their generated client ids differ.
        store.storeEvent(Kind.FRIEND_REQUEST, alice.id(), 0, 0, List.of(bob.id()), List.of("Alice", "Bob"), 2);
        store.storeEvent(Kind.FRIEND_REQUEST, alice.id(), 0, 0, List.of(bob.id()), List.of("Alice", "Bob"), 2);
        assertEquals(2, count("SELECT COUNT(*) FROM messages WHERE kind = 'friend-request'"));
    }

    @Test
    void disbandEventsOutliveTheGroup() {
        Device bobs = store.device(bob.id(), "phone", 1);
        Group rust = group("Rust", alice);
        store.addMember(rust.id(), bob.id(), 2);
        Message text = store.storeGroupMessage(alice.id(), 0, rust.id(), "g1", "last words", 3).message();
        List<Message> gone = store.inTransaction("disbanding Rust", () -> {
            store.lockGroup(rust.id());
            List<Message> events = store.storeEvent(Kind.GROUP_DELETED, alice.id(), 0, rust.id(),
                    store.memberIds(rust.id()), List.of("Rust"), 4);
            store.deleteGroup(rust.id());
            return events;
        });
        assertEquals(Optional.empty(), store.groupById(rust.id()));
        List<Message> toBob = store.undelivered(bob.id(), bobs.id(), 100);
        assertFalse(toBob.contains(text), "the group's text went with it");
        assertEquals(1, toBob.size());
        Message event = toBob.get(0);
        assertEquals(gone.get(1).id(), event.id());
        assertEquals(Kind.GROUP_DELETED, event.kind());
        assertEquals(rust.id(), event.groupId());
        assertNull(event.groupName(), "the group is gone; its name is in the event");
        assertEquals(List.of("Rust"), event.eventFields());
        assertEquals(2, count("SELECT COUNT(*) FROM messages WHERE group_id = " + rust.id()));
    }

    /**
     * Part (b) of delivery, what I sent from my other devices: to several people, to a group, a
     * file offer, in id order across them, page by page, without what this device sent. On
     * SQLite it is one range of messages_pair_kind per person I wrote to, merged (schema 6).
     */
    @Test
    void whatISentFromElsewhereComesInIdOrderPageByPage() {
        Device phone = store.device(alice.id(), "phone", 1);
        Device laptop = store.device(alice.id(), "laptop", 1);
        befriend(alice, carol);
        User dave = user("Dave");
        befriend(alice, dave);
        Group rust = group("Rust", alice);
        List<Message> fromPhone = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            User to = List.of(bob, carol, dave).get(i % 3);
            fromPhone.add(store.storeMessage(alice.id(), phone.id(), to.id(), "p" + i, "to " + to.name() + " " + i, i)
                    .message());
            if (i % 4 == 0) {
                fromPhone.add(store.storeGroupMessage(alice.id(), phone.id(), rust.id(), "g" + i, "group " + i, i)
                        .message());
            }
            store.storeMessage(alice.id(), laptop.id(), bob.id(), "l" + i, "from the laptop " + i, i);
        }
        fromPhone.add(store.storeFileOffer(alice.id(), phone.id(), carol.id(), 0, "f1", "notes.txt", 10,
                "ab".repeat(32), false, 20, 9000).message());
        List<Message> got = new ArrayList<>();
        long after = 0;
        while (true) {
            List<Message> page = store.undelivered(alice.id(), laptop.id(), 4, after, Long.MAX_VALUE);
            if (page.isEmpty()) {
                break;
            }
            got.addAll(page);
            after = page.get(page.size() - 1).id();
        }
        assertEquals(fromPhone.stream().map(Message::id).toList(), got.stream().map(Message::id).toList());
        assertTrue(store.undelivered(alice.id(), phone.id(), 100).stream()
                .noneMatch(m -> m.senderDevice() == phone.id()), "the phone does not get its own back");
    }

    @Test
    void undeliveredCutsAtTheLimitInIdOrderAcrossItsParts() {
        Device phone = store.device(alice.id(), "phone", 1);
        Device laptop = store.device(alice.id(), "laptop", 1);
        Group rust = group("Rust", bob);
        store.addMember(rust.id(), alice.id(), 2);
        List<Message> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            all.add(store.storeMessage(alice.id(), phone.id(), bob.id(), "a" + i, "sent " + i, i).message());
            all.add(store.storeGroupMessage(bob.id(), 0, rust.id(), "g" + i, "group " + i, i).message());
            all.add(store.storeMessage(bob.id(), 0, alice.id(), "b" + i, "to me " + i, i).message());
        }
        assertEquals(all, store.undelivered(alice.id(), laptop.id(), 100));
        for (int limit : new int[] {0, 1, 2, 4, 7, 15}) {
            assertEquals(all.subList(0, limit), store.undelivered(alice.id(), laptop.id(), limit), "limit " + limit);
        }
        assertThrows(IllegalArgumentException.class, () -> store.undelivered(alice.id(), laptop.id(), -1));
    }

    // The deprecated methods of protocol 1.0.

    @Test
    @SuppressWarnings("deprecation")
    void theOldMethodsActForEachAccountsDefaultDevice() {
        Device phone = store.device(bob.id(), "phone", 1);
        Message m1 = store.storeMessage(alice.id(), bob.id(), "a1", "one", 2).message();
        Message m2 = store.storeMessage(alice.id(), bob.id(), "a2", "two", 3).message();
        Device byDefault = store.device(alice.id(), Store.DEFAULT_DEVICE, 4);
        assertEquals(byDefault.id(), m1.senderDevice(), "sent from Alice's default device");
        assertEquals(List.of(m1, m2), store.undelivered(alice.id(), store.device(alice.id(), "laptop", 5).id(), 10),
                "her other devices get what she sent");
        assertEquals(List.of(), store.undelivered(alice.id(), 10), "her default device does not");

        store.acknowledge(bob.id(), m1.id());
        Device bobsDefault = store.device(bob.id(), Store.DEFAULT_DEVICE, 6);
        assertEquals(m1.id(), bobsDefault.ackedMsgId());
        assertEquals(List.of(m2), store.undelivered(bob.id(), 10));
        assertEquals(List.of(m1, m2), store.undelivered(bob.id(), phone.id(), 10), "the phone has its own cursor");
        store.acknowledge(Map.of(bob.id(), m2.id()));
        assertEquals(List.of(), store.undelivered(bob.id(), bobsDefault.id(), 10));
        assertEquals(List.of(), store.undelivered(9999, 10), "no such user");
    }

    // Transactions.

    @Test
    void workInATransactionCommitsTogetherOrNotAtAll() {
        Group rust = group("Rust", alice);
        var failure = assertThrows(IllegalStateException.class, () -> store.inTransaction("joining", () -> {
            assertTrue(store.addMember(rust.id(), bob.id(), 1));
            store.storeEvent(Kind.GROUP_JOINED, bob.id(), 0, rust.id(), List.of(alice.id(), bob.id()),
                    List.of("Rust", "Bob", ""), 1);
            assertTrue(store.isMember(rust.id(), bob.id()), "the work sees its own writes");
            throw new IllegalStateException("changed my mind");
        }));
        assertEquals("changed my mind", failure.getMessage());
        assertFalse(store.isMember(rust.id(), bob.id()));
        assertEquals(0, count("SELECT COUNT(*) FROM messages"));

        assertThrows(StoreException.class, () -> store.inTransaction("joining", () -> {
            store.addMember(rust.id(), bob.id(), 1);
            return store.storeEvent(Kind.GROUP_JOINED, bob.id(), 0, rust.id(), List.of(9999L), List.of("x"), 1);
        }), "a store call that fails inside ends the whole");
        assertFalse(store.isMember(rust.id(), bob.id()));

        List<Message> joined = store.inTransaction("joining", () -> {
            store.addMember(rust.id(), bob.id(), 1);
            return store.inTransaction("nested", () -> store.storeEvent(Kind.GROUP_JOINED, bob.id(), 0, rust.id(),
                    store.memberIds(rust.id()), List.of("Rust", "Bob", ""), 1));
        });
        assertTrue(store.isMember(rust.id(), bob.id()));
        assertEquals(List.of(alice.id(), bob.id()), joined.stream().map(Message::recipientId).sorted().toList());
        assertEquals(2, count("SELECT COUNT(*) FROM messages"));
    }

    @Test
    void transactionsFromManyThreadsAllCommit() throws Exception {
        Group rust = group("Rust", alice);
        List<User> joiners = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            joiners.add(user("J" + i));
        }
        race(joiners.size(), i -> store.inTransaction("joining", () -> {
            store.addMember(rust.id(), joiners.get(i).id(), i);
            return store.storeEvent(Kind.GROUP_JOINED, joiners.get(i).id(), 0, rust.id(),
                    store.memberIds(rust.id()), List.of("Rust", "J" + i, ""), i);
        }));
        assertEquals(7, store.memberIds(rust.id()).size());
        // The k-th joiner to commit saw k + 1 members (the owner and itself included): 2 + 3 + ... + 7.
        assertEquals(27, count("SELECT COUNT(*) FROM messages WHERE kind = 'group-joined'"));
    }
}
