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
        var dialect = store.database().dialect();
        assertEquals(List.of(), fullScans(MessageStore.undelivered(dialect),
                MessageStore.undeliveredParams(dialect, a, phone.id(), 0L, 200)));
        assertEquals(List.of(), fullScans(MessageStore.HISTORY,
                MessageStore.historyParams(a, bob.id(), Long.MAX_VALUE, 50)));
        assertEquals(List.of(), fullScans(ContactStore.FRIENDS, a));
        assertEquals(List.of(), fullScans(ContactStore.GROUPS, a));
    }

    /**
     * Issue 12's page of a long conversation: with file offers among the text, delivery, a pair's
     * and a group's history each read their index ranges in id order and stop at the limit, on a
     * new database and on one with statistics. A {@code kind IN} on an index that ends (kind, id)
     * read and sorted every message of the conversation instead (SQLite's temp B-tree, MySQL's
     * filesort). Search reads every message (a substring has no index), newest first, unsorted.
     */
    @Test
    void pagesOfTextAndFilesAreReadInIndexOrderNotSorted() throws Exception {
        Device phone = store.device(alice.id(), "phone", 1);
        befriend(alice, bob);
        befriend(carol, bob);
        Group rust = group("Rust", carol);
        store.addMember(rust.id(), alice.id(), 1);
        long a = alice.id();
        long b = bob.id();
        long c = carol.id();
        try (var db = store.database().open();
                var insert = db.prepareStatement("""
                        INSERT INTO messages (sender_id, sender_device, recipient_id, group_id, client_id, body,
                                              sent_at, kind)
                        VALUES (?, 1, ?, ?, ?, ?, ?, ?)""")) {
            db.setAutoCommit(false);
            for (int i = 0; i < 3000; i++) {
                // Bob's inbox is mostly Carol's, so the planners read the pair's own index.
                String kind = i % 100 == 0 ? Kind.FILE.sqlName() : Kind.TEXT.sqlName();
                if (i % 10 == 0) {
                    boolean mine = i % 20 == 0;
                    Sql.bind(insert, mine ? a : b, mine ? b : a, null, "p" + i, "pair " + i, (long) i, kind);
                    insert.addBatch();
                }
                Sql.bind(insert, c, null, rust.id(), "g" + i, "group " + i, (long) i, kind);
                insert.addBatch();
                Sql.bind(insert, c, b, null, "c" + i, "to Bob " + i, (long) i, Kind.TEXT.sqlName());
                insert.addBatch();
            }
            insert.executeBatch();
            db.commit();
        }
        store.storeFileOffer(b, 0, a, 0, "f1", "report.pdf", 10, "ab".repeat(32), false, 5000, 9000);
        store.storeFileOffer(c, 0, 0, rust.id(), "f2", "photo.png", 10, "cd".repeat(32), false, 5000, 9000);
        for (boolean statistics : List.of(false, true)) {
            if (statistics) {
                analyze();
                analyzeSqlite();
                String sorted = "SELECT id FROM messages WHERE sender_id = ? AND recipient_id = ? AND kind IN "
                        + Rows.CHAT_KINDS + " ORDER BY id DESC LIMIT 50";
                assertEquals(1, badSteps(sorted, a, b).stream().filter(step -> step.startsWith("SORT")).count(),
                        "the check sees a sort where there is one" + plan(sorted, a, b));
            }
            for (var query : List.of(
                    new Object[] {"delivery", MessageStore.undelivered(store.database().dialect()),
                        MessageStore.undeliveredParams(store.database().dialect(), a, phone.id(), 0L, 50)},
                    new Object[] {"history", MessageStore.HISTORY, MessageStore.historyParams(a, b, Long.MAX_VALUE, 50)},
                    new Object[] {"group history", MessageStore.GROUP_HISTORY,
                        MessageStore.groupHistoryParams(rust.id(), a, Long.MAX_VALUE, 50)})) {
                Object[] params = (Object[]) query[2];
                assertEquals(List.of(), badSteps((String) query[1], params),
                        query[0] + (statistics ? " with statistics" : "") + plan((String) query[1], params));
            }
            Object[] search = {a, a, a, "pair", 50};
            assertEquals(List.of(), badSteps(SearchIndex.SCAN, search).stream()
                    .filter(step -> step.startsWith("SORT")).toList(), "search" + plan(SearchIndex.SCAN, search));
        }
        List<Message> page = store.history(a, b, Long.MAX_VALUE, 60);
        assertEquals(60, page.size());
        assertEquals("report.pdf", page.get(0).body(), "the newest is the offer");
        assertEquals(List.of("pair 2990", "pair 2980"), page.subList(1, 3).stream().map(Message::body).toList());
        assertEquals(6, page.stream().filter(m -> m.kind() == Kind.FILE).count(), "the offer and pair 2500 to 2900");
        for (int i = 1; i < page.size(); i++) {
            assertTrue(page.get(i).id() < page.get(i - 1).id(), "newest first");
        }
        List<Message> groupPage = store.groupHistory(rust.id(), a, Long.MAX_VALUE, 50);
        assertEquals("photo.png", groupPage.get(0).body());
        assertEquals(49, groupPage.stream().filter(m -> m.body().startsWith("group ")).count());
    }

    private Message send(User from, User to, String text) {
        return store.storeMessage(from.id(), 0, to.id(), "c" + System.nanoTime(), text, 5).message();
    }

    private static LastMessage last(Message m) {
        return new LastMessage(m.id(), m.sentAt(), m.body());
    }
}
