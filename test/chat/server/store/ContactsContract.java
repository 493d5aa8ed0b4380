package chat.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.server.store.Store.Contacts;
import chat.server.store.Store.Device;
import chat.server.store.Store.FriendContact;
import chat.server.store.Store.Group;
import chat.server.store.Store.GroupContact;
import chat.server.store.Store.Kind;
import chat.server.store.Store.LastMessage;
import chat.server.store.Store.Message;
import chat.server.store.Store.PendingRequest;
import chat.server.store.Store.Unread;
import chat.server.store.Store.User;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Read marks up to an id, the contact list, and the query plans behind them, on each database. */
abstract class ContactsContract extends StoreFixture {

    // Read marks.

    @Test
    void aReadMarkGoesUpToAnIdAndNeverBack() {
        befriend(alice, bob);
        Message m1 = send(bob, alice, "one");
        Message m2 = send(bob, alice, "two");
        Message m3 = send(bob, alice, "three");
        assertEquals(m2.id(), store.markRead(alice.id(), false, bob.id(), m2.id()));
        assertEquals(List.of(new Unread(false, bob.id(), "Bob", 1)), store.unread(alice.id()));
        assertEquals(m2.id(), store.markRead(alice.id(), false, bob.id(), m1.id()), "never backwards");
        assertEquals(m3.id(), store.markRead(alice.id(), false, bob.id(), 0), "0: the newest");
        assertEquals(List.of(), store.unread(alice.id()));

        Message m4 = send(bob, alice, "four");
        assertEquals(m4.id(), store.markRead(alice.id(), false, bob.id(), m4.id() + 1000),
                "past the newest is the newest: a message sent later is still unread");
        Message m5 = send(bob, alice, "five");
        assertEquals(List.of(new Unread(false, bob.id(), "Bob", 1)), store.unread(alice.id()));
        assertEquals(m5.id(), store.markRead(alice.id(), false, bob.id(), 0));
        assertThrows(IllegalArgumentException.class, () -> store.markRead(alice.id(), false, bob.id(), -1));
    }

    @Test
    void aGroupReadMarkGoesUpToAnId() {
        Group rust = group("Rust", bob);
        store.addMember(rust.id(), alice.id(), 1);
        Message g1 = store.storeGroupMessage(bob.id(), 0, rust.id(), "g1", "one", 2).message();
        store.storeGroupMessage(bob.id(), 0, rust.id(), "g2", "two", 3);
        assertEquals(g1.id(), store.markRead(alice.id(), true, rust.id(), g1.id()));
        assertEquals(List.of(new Unread(true, rust.id(), "Rust", 1)), store.unread(alice.id()));
        assertEquals(1, store.contacts(alice.id()).groups().get(0).unread());
    }

    @Test
    void withoutAnIdOrPastTheNewestAMarkGoesToTheConversationsNewestNotTheDatabases() {
        befriend(alice, bob);
        befriend(alice, carol);
        Group rust = group("Rust", bob);
        store.addMember(rust.id(), alice.id(), 1);
        Message fromBob = send(bob, alice, "one");
        Message toBob = send(alice, bob, "two");
        Message inRust = store.storeGroupMessage(bob.id(), 0, rust.id(), "g1", "in the group", 2).message();
        Message fromCarol = send(carol, alice, "newer, elsewhere");
        assertTrue(fromCarol.id() > inRust.id() && inRust.id() > toBob.id() && toBob.id() > fromBob.id());

        assertEquals(toBob.id(), store.markRead(alice.id(), false, bob.id(), 0), "the newest each way, mine too");
        assertEquals(inRust.id(), store.markRead(alice.id(), true, rust.id(), fromCarol.id() + 1000));
        assertEquals(0, store.markRead(carol.id(), false, bob.id(), 0), "a conversation with nothing in it");
    }

    // The contact list.

    @Test
    void contactsListFriendsGroupsAndRequestsWithCountsAndLastMessages() {
        User dave = user("Dave");
        User erin = user("Erin");
        User frank = user("Frank");
        befriend(alice, bob);
        befriend(alice, carol);
        befriend(alice, dave);
        store.setAlias(alice.id(), bob.id(), "老同学");
        send(bob, alice, "first");
        send(bob, alice, "second");
        Message mine = send(alice, bob, "my answer");
        store.storeEvent(Kind.FRIEND_ADDED, bob.id(), 0, 0, List.of(alice.id()), List.of("Bob"), 9);
        Message longOne = send(carol, alice, "😀".repeat(70));
        store.markRead(alice.id(), false, carol.id(), 0);

        Group rust = group("Rust", carol);
        Group go = store.createGroup("Go", "go", bob.id(), false, 100).orElseThrow();
        store.addMember(go.id(), alice.id(), 101);
        store.storeGroupMessage(carol.id(), 0, rust.id(), "r0", "before Alice joined", 102);
        store.addMember(rust.id(), alice.id(), 103);
        store.addMember(rust.id(), bob.id(), 104);
        store.storeGroupMessage(carol.id(), 0, rust.id(), "r1", "hello", 105);
        Message lastInRust = store.storeGroupMessage(bob.id(), 0, rust.id(), "r2", "world", 106).message();
        store.storeEvent(Kind.GROUP_JOINED, bob.id(), 0, rust.id(), store.memberIds(rust.id()),
                List.of("Rust", "Bob", ""), 107);
        Group elsewhere = group("Elsewhere", carol);
        store.storeGroupMessage(carol.id(), 0, elsewhere.id(), "e1", "not Alice's group", 108);

        store.requestFriend(alice.id(), frank.id(), 40);
        store.requestFriend(erin.id(), alice.id(), 50);

        Contacts contacts = store.contacts(alice.id());
        assertEquals(List.of(
                new FriendContact(bob.id(), "Bob", "老同学", 2, last(mine)),
                new FriendContact(carol.id(), "Carol", null, 0,
                        new LastMessage(longOne.id(), longOne.sentAt(), "😀".repeat(Store.PREVIEW_CHARS))),
                new FriendContact(dave.id(), "Dave", null, 0, LastMessage.NONE)), contacts.friends());
        assertEquals(List.of(
                new GroupContact(new Group(go.id(), "Go", bob.id(), "Bob", false, 2), 0, LastMessage.NONE),
                new GroupContact(new Group(rust.id(), "Rust", carol.id(), "Carol", true, 3), 2, last(lastInRust))),
                contacts.groups());
        assertEquals(List.of(new PendingRequest(frank.id(), "Frank", false, 40),
                new PendingRequest(erin.id(), "Erin", true, 50)), contacts.pending());
        assertEquals(contacts.pending(), store.friendRequests(alice.id()));

        assertEquals(new Contacts(List.of(), List.of(), List.of(new PendingRequest(alice.id(), "Alice", true, 40))),
                store.contacts(frank.id()));
    }

    @Test
    void myOwnMessagesAreNotUnreadButMayBeTheLast() {
        befriend(alice, bob);
        Group rust = group("Rust", alice);
        Message sent = send(alice, bob, "only mine");
        Message said = store.storeGroupMessage(alice.id(), 0, rust.id(), "g1", "talking to myself", 1).message();
        Contacts contacts = store.contacts(alice.id());
        assertEquals(List.of(new FriendContact(bob.id(), "Bob", null, 0, last(sent))), contacts.friends());
        assertEquals(0, contacts.groups().get(0).unread());
        assertEquals(last(said), contacts.groups().get(0).last());
    }

    // Query plans: every part reads an index range of messages, never the whole table.

    @Test
    void deliveryHistoryAndContactsReadIndexesNotTheTable() throws Exception {
        Device phone = store.device(alice.id(), "phone", 1);
        befriend(alice, bob);
        befriend(alice, carol);
        Group rust = group("Rust", carol);
        store.addMember(rust.id(), alice.id(), 1);
        for (int i = 0; i < 300; i++) {
            store.storeMessage(bob.id(), 0, carol.id(), "b" + i, "between others " + i, i);
            store.storeGroupMessage(carol.id(), 0, rust.id(), "r" + i, "group " + i, i);
            if (i % 10 == 0) {
                send(bob, alice, "to Alice " + i);
            }
        }
        analyze();
        long a = alice.id();
        assertEquals(1, fullScans("SELECT id FROM messages WHERE body = ?", "group 7").size(),
                "the check sees a full scan where there is one");
        assertEquals(List.of(), fullScans(MessageStore.UNDELIVERED,
                a, 0L, a, phone.id(), 200, a, 0L, phone.id(), 200, a, 0L, a, 200, 200));
        assertEquals(List.of(), fullScans(MessageStore.HISTORY, a, bob.id(), Long.MAX_VALUE, 50,
                bob.id(), a, Long.MAX_VALUE, 50, 50));
        assertEquals(List.of(), fullScans(ContactStore.FRIENDS, a));
        assertEquals(List.of(), fullScans(ContactStore.GROUPS, a));
    }

    private Message send(User from, User to, String text) {
        return store.storeMessage(from.id(), 0, to.id(), "c" + System.nanoTime(), text, 5).message();
    }

    private static LastMessage last(Message m) {
        return new LastMessage(m.id(), m.sentAt(), m.body());
    }
}
