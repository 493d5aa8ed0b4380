package chat.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.server.store.Store.Friend;
import chat.server.store.Store.FriendRequest;
import chat.server.store.Store.Group;
import chat.server.store.Store.Kind;
import chat.server.store.Store.Member;
import chat.server.store.Store.Message;
import chat.server.store.Store.RequestOutcome;
import chat.server.store.Store.Stored;
import chat.server.store.Store.Unread;
import chat.server.store.Store.User;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Store} method of protocol 1.0 promises, run against each database by the
 * subclasses in {@link StoreTest}. Each test gets an empty database. The methods that version 1.1
 * deprecated are tested here as they are now: adapters for each account's {@code default} device.
 */
abstract class StoreContract extends StoreFixture {

    // Accounts.

    @Test
    void createUserAssignsIdsAndIsFoundByKey() {
        assertNotEquals(alice.id(), bob.id());
        assertEquals(new User(alice.id(), "Alice", "hash-Alice"), alice);
        assertEquals(Optional.of(alice), store.userByKey("alice"));
        assertEquals(Optional.empty(), store.userByKey("Alice"), "keys are compared exactly");
        assertEquals(Optional.empty(), store.userByKey("nobody"));
    }

    @Test
    void createUserRefusesATakenKey() {
        assertEquals(Optional.empty(), store.createUser("ALICE", "alice", "other", 2000));
        assertEquals(Optional.of(alice), store.userByKey("alice"), "the first account is untouched");
        var after = store.createUser("Dave", "dave", "h", 3000);
        assertTrue(after.isPresent(), "the store still works after a refused insert");
    }

    @Test
    void chineseNamesRoundTrip() {
        User ming = store.createUser("小明😀", "小明😀", "h", 1).orElseThrow();
        assertEquals(Optional.of(ming), store.userByKey("小明😀"));
        assertEquals(List.of(ming), store.findUsers("明", 10));
    }

    @Test
    void valuesTooLongForTheColumnsAreRefusedOnBothDatabases() {
        String longName = "名".repeat(65);
        assertThrows(IllegalArgumentException.class, () -> store.createUser(longName, longName, "h", 1));
        String fits = "名".repeat(64);
        assertTrue(store.createUser(fits, fits, "h", 1).isPresent(), "64 characters fit, whatever their bytes");
        assertThrows(IllegalArgumentException.class,
                () -> store.storeMessage(alice.id(), bob.id(), "x".repeat(65), "hi", 1));
        assertThrows(IllegalArgumentException.class,
                () -> store.storeMessage(alice.id(), bob.id(), "c1", "字".repeat(21_846), 1));
        assertEquals("字".repeat(21_845), store.storeMessage(alice.id(), bob.id(), "c1", "字".repeat(21_845), 1)
                .message().body());
    }

    @Test
    void markOnlineWritesOneConnectionRowAndTheStatus() throws Exception {
        store.markOnline(alice.id(), "10.0.0.1", 5000, 7000);
        assertEquals(List.of("10.0.0.1:5000@7000"), connectionRows());
        assertEquals(1, status(alice.id()));
        assertEquals(0, status(bob.id()));

        store.markOnline(alice.id(), "10.0.0.2", 6000, 8000); // logged in again: the row is replaced
        assertEquals(List.of("10.0.0.2:6000@8000"), connectionRows());

        store.markOffline(alice.id());
        assertEquals(List.of(), connectionRows());
        assertEquals(0, status(alice.id()));
        store.markOffline(alice.id()); // twice is harmless
        assertEquals(0, status(alice.id()));
    }

    @Test
    void reopeningClearsWhoIsOnline() throws Exception {
        store.markOnline(alice.id(), "10.0.0.1", 5000, 7000);
        JdbcStore.open(store.database()).close();
        assertEquals(List.of(), connectionRows());
        assertEquals(0, status(alice.id()));
    }

    @Test
    void findUsersMatchesSubstringsOfTheKeyByName() {
        User alan = user("Alan");
        User mal = user("Mal");
        assertEquals(List.of(alan, alice, mal), store.findUsers("al", 10));
        assertEquals(List.of(alan, alice), store.findUsers("al", 2));
        assertEquals(List.of(), store.findUsers("al", 0));
        assertEquals(List.of(), store.findUsers("zz", 10));
        assertEquals(List.of(), store.findUsers("AL", 10), "the caller folds the key part");
        assertEquals(List.of(alan, alice, bob, carol, mal), store.findUsers("", 10));
    }

    @Test
    void findUsersTakesWildcardsLiterally() {
        User under = store.createUser("a_b", "a_b", "h", 1).orElseThrow();
        User percent = store.createUser("a%b", "a%b", "h", 1).orElseThrow();
        store.createUser("axb", "axb", "h", 1).orElseThrow();
        assertEquals(List.of(under), store.findUsers("_", 10));
        assertEquals(List.of(under), store.findUsers("a_b", 10));
        assertEquals(List.of(percent), store.findUsers("%", 10));
        assertEquals(List.of(percent), store.findUsers("a%", 10));
    }

    @Test
    void negativeLimitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> store.findUsers("a", -1));
        assertThrows(IllegalArgumentException.class, () -> store.undelivered(alice.id(), -1));
        assertThrows(IllegalArgumentException.class, () -> store.history(alice.id(), bob.id(), Long.MAX_VALUE, -1));
        assertThrows(IllegalArgumentException.class, () -> store.search(alice.id(), "a", -1));
        assertThrows(IllegalArgumentException.class, () -> store.groupHistory(1, alice.id(), Long.MAX_VALUE, -1));
    }

    // Friends.

    @Test
    void aRequestWaitsUntilAccepted() {
        assertEquals(RequestOutcome.REQUESTED, store.requestFriend(alice.id(), bob.id(), 10));
        assertEquals(RequestOutcome.ALREADY_REQUESTED, store.requestFriend(alice.id(), bob.id(), 11));
        assertEquals(List.of(new FriendRequest(alice.id(), "Alice", 10)), store.pendingRequests(bob.id()));
        assertEquals(List.of(), store.pendingRequests(alice.id()));
        assertFalse(store.areFriends(alice.id(), bob.id()));

        assertTrue(store.acceptRequest(bob.id(), alice.id(), 20));
        assertTrue(store.areFriends(alice.id(), bob.id()));
        assertTrue(store.areFriends(bob.id(), alice.id()));
        assertEquals(List.of(), store.pendingRequests(bob.id()));
        assertEquals(List.of(new Friend(bob.id(), "Bob", null)), store.friends(alice.id()));
        assertEquals(List.of(new Friend(alice.id(), "Alice", null)), store.friends(bob.id()));
        assertFalse(store.acceptRequest(bob.id(), alice.id(), 21), "the request is gone");
        assertEquals(RequestOutcome.ALREADY_FRIENDS, store.requestFriend(alice.id(), bob.id(), 30));
        assertEquals(RequestOutcome.ALREADY_FRIENDS, store.requestFriend(bob.id(), alice.id(), 30));
        assertEquals(List.of(), store.pendingRequests(alice.id()));
        assertEquals(List.of(), store.pendingRequests(bob.id()));
    }

    @Test
    void requestsCrossingMakeFriendsAndLeaveNoRequest() {
        assertEquals(RequestOutcome.REQUESTED, store.requestFriend(alice.id(), bob.id(), 10));
        assertEquals(RequestOutcome.NOW_FRIENDS, store.requestFriend(bob.id(), alice.id(), 11));
        assertTrue(store.areFriends(alice.id(), bob.id()));
        assertTrue(store.areFriends(bob.id(), alice.id()));
        assertEquals(List.of(), store.pendingRequests(alice.id()));
        assertEquals(List.of(), store.pendingRequests(bob.id()));
        assertEquals(0, count("SELECT COUNT(*) FROM friend_requests"));
        assertEquals(2, count("SELECT COUNT(*) FROM friends"));
    }

    @Test
    void acceptingDropsTheRequestBothWays() throws Exception {
        store.requestFriend(alice.id(), bob.id(), 10);
        // Both waiting at once cannot come from requestFriend; an older server might have left it.
        execute("INSERT INTO friend_requests (from_id, to_id, created_at) VALUES ("
                + bob.id() + ", " + alice.id() + ", 11)");
        assertTrue(store.acceptRequest(bob.id(), alice.id(), 20));
        assertEquals(0, count("SELECT COUNT(*) FROM friend_requests"));
        assertEquals(2, count("SELECT COUNT(*) FROM friends"));
    }

    @Test
    void pendingRequestsAreOldestFirst() {
        store.requestFriend(carol.id(), alice.id(), 20);
        store.requestFriend(bob.id(), alice.id(), 10);
        assertEquals(List.of(new FriendRequest(bob.id(), "Bob", 10), new FriendRequest(carol.id(), "Carol", 20)),
                store.pendingRequests(alice.id()));
    }

    @Test
    void acceptingWithoutARequestDoesNothing() {
        assertFalse(store.acceptRequest(bob.id(), alice.id(), 20));
        store.requestFriend(bob.id(), alice.id(), 10); // the other way round
        assertFalse(store.acceptRequest(bob.id(), alice.id(), 20));
        assertFalse(store.areFriends(alice.id(), bob.id()));
        assertEquals(1, store.pendingRequests(alice.id()).size());
    }

    @Test
    void decliningDropsOnlyThatRequest() {
        store.requestFriend(alice.id(), carol.id(), 10);
        store.requestFriend(bob.id(), carol.id(), 11);
        assertTrue(store.declineRequest(carol.id(), alice.id()));
        assertFalse(store.declineRequest(carol.id(), alice.id()));
        assertFalse(store.areFriends(alice.id(), carol.id()));
        assertEquals(List.of(new FriendRequest(bob.id(), "Bob", 11)), store.pendingRequests(carol.id()));
        assertEquals(RequestOutcome.REQUESTED, store.requestFriend(alice.id(), carol.id(), 12), "may ask again");
    }

    @Test
    void aSelfRequestIsRefusedWithoutWriting() {
        assertThrows(IllegalArgumentException.class, () -> store.requestFriend(alice.id(), alice.id(), 10));
        assertEquals(0, count("SELECT COUNT(*) FROM friend_requests"));
        assertEquals(0, count("SELECT COUNT(*) FROM friends"));
    }

    @Test
    void deletingAFriendEndsBothSidesOnly() {
        befriend(alice, bob);
        befriend(alice, carol);
        assertTrue(store.deleteFriend(bob.id(), alice.id()));
        assertFalse(store.areFriends(alice.id(), bob.id()));
        assertFalse(store.areFriends(bob.id(), alice.id()));
        assertEquals(List.of(new Friend(carol.id(), "Carol", null)), store.friends(alice.id()));
        assertEquals(List.of(new Friend(alice.id(), "Alice", null)), store.friends(carol.id()));
        assertFalse(store.deleteFriend(bob.id(), alice.id()));
        assertFalse(store.deleteFriend(bob.id(), carol.id()));
    }

    @Test
    void friendsAreByNameWithMyAliasOnly() {
        User aaron = user("Aaron");
        befriend(alice, carol);
        befriend(alice, bob);
        befriend(alice, aaron);
        assertTrue(store.setAlias(alice.id(), bob.id(), "老同学"));
        assertEquals(List.of(new Friend(aaron.id(), "Aaron", null), new Friend(bob.id(), "Bob", "老同学"),
                new Friend(carol.id(), "Carol", null)), store.friends(alice.id()));
        assertEquals(List.of(new Friend(alice.id(), "Alice", null)), store.friends(bob.id()), "Bob's side has none");
        assertTrue(store.setAlias(alice.id(), bob.id(), "老同学"), "setting the same alias again still finds the friend");
        assertTrue(store.setAlias(alice.id(), bob.id(), ""));
        assertNull(store.friends(alice.id()).get(1).alias(), "empty clears");
        store.setAlias(alice.id(), bob.id(), "B");
        assertTrue(store.setAlias(alice.id(), bob.id(), null));
        assertNull(store.friends(alice.id()).get(1).alias(), "null clears");
        assertFalse(store.setAlias(bob.id(), carol.id(), "x"), "not friends");
        assertEquals(List.of(), store.friends(user("Zed").id()));
    }

    @Test
    void aNewFriendshipStartsWithoutAnAlias() {
        befriend(alice, bob);
        store.setAlias(alice.id(), bob.id(), "B");
        store.deleteFriend(alice.id(), bob.id());
        befriend(alice, bob);
        assertNull(store.friends(alice.id()).get(0).alias(), "a new friendship starts without an alias");
    }


    // Messages.

    @Test
    void storeMessageReturnsTheStoredRowWithNames() {
        Stored s = store.storeMessage(alice.id(), bob.id(), "c1", "你好, Bob 😀", 5000);
        assertFalse(s.duplicate());
        Message m = s.message();
        assertTrue(m.id() > 0);
        assertEquals(new Message(m.id(), alice.id(), "Alice", bob.id(), "Bob", 0, null, "c1", "你好, Bob 😀", 5000,
                Kind.TEXT, defaultDevice(alice)), m);
        assertFalse(m.isGroup());
        assertEquals(List.of(m), store.undelivered(bob.id(), 10));
    }

    @Test
    void aResendReturnsTheOriginal() {
        Message first = store.storeMessage(alice.id(), bob.id(), "c1", "first", 5000).message();
        Stored again = store.storeMessage(alice.id(), bob.id(), "c1", "changed", 6000);
        assertTrue(again.duplicate());
        assertEquals(first, again.message());
        assertEquals(1, count("SELECT COUNT(*) FROM messages"));

        Stored other = store.storeMessage(bob.id(), alice.id(), "c1", "same client id, other sender", 7000);
        assertFalse(other.duplicate());
        assertTrue(other.message().id() > first.id());
        Stored next = store.storeMessage(alice.id(), bob.id(), "c2", "next", 8000);
        assertFalse(next.duplicate());
        assertTrue(next.message().id() > other.message().id());
    }

    @Test
    void aMessageToNobodyIsNotKept() {
        assertThrows(StoreException.class, () -> store.storeMessage(alice.id(), 9999, "c1", "hi", 1));
        assertEquals(0, count("SELECT COUNT(*) FROM messages"));
        assertFalse(store.storeMessage(alice.id(), bob.id(), "c1", "hi", 1).duplicate(), "nothing was kept");
    }

    @Test
    void undeliveredIsWhatFollowsTheAcknowledgedIdOldestFirst() {
        List<Message> toBob = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            toBob.add(store.storeMessage(alice.id(), bob.id(), "a" + i, "m" + i, i).message());
            store.storeMessage(bob.id(), alice.id(), "b" + i, "reply" + i, i); // not to Bob
            store.storeMessage(carol.id(), alice.id(), "c" + i, "other" + i, i);
        }
        assertEquals(toBob, store.undelivered(bob.id(), 100));
        assertEquals(toBob.subList(0, 2), store.undelivered(bob.id(), 2));

        store.acknowledge(bob.id(), toBob.get(2).id());
        assertEquals(toBob.subList(3, 5), store.undelivered(bob.id(), 100));
        store.acknowledge(bob.id(), toBob.get(0).id()); // a late, older acknowledgement
        assertEquals(toBob.subList(3, 5), store.undelivered(bob.id(), 100), "never moves back");
        assertEquals(toBob.get(2).id(), count("SELECT acked_msg_id FROM devices WHERE user_id = " + bob.id()
                + " AND name = 'default'"));
        store.acknowledge(bob.id(), toBob.get(4).id());
        assertEquals(List.of(), store.undelivered(bob.id(), 100));
        assertEquals(10, store.undelivered(alice.id(), 100).size(), "Alice acknowledged nothing");
        assertEquals(List.of(), store.undelivered(9999, 100), "unknown user");
    }

    @Test
    void acknowledgementsInABatchMoveEachUsersMarkOnlyForward() {
        List<Message> toBob = new ArrayList<>();
        List<Message> toAlice = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            toBob.add(store.storeMessage(alice.id(), bob.id(), "a" + i, "m" + i, i).message());
            toAlice.add(store.storeMessage(bob.id(), alice.id(), "b" + i, "r" + i, i).message());
        }
        store.acknowledge(bob.id(), toBob.get(2).id());
        store.acknowledge(java.util.Map.of(bob.id(), toBob.get(0).id(), alice.id(), toAlice.get(1).id()));
        assertEquals(List.of(), store.undelivered(bob.id(), 100), "an older mark in a batch changes nothing");
        assertEquals(toAlice.subList(2, 3), store.undelivered(alice.id(), 100));
        store.acknowledge(java.util.Map.of());
        assertEquals(toAlice.subList(2, 3), store.undelivered(alice.id(), 100), "an empty batch is nothing");
    }

    @Test
    void historyIsBothDirectionsNewestFirstPagedByBeforeId() {
        List<Message> conversation = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            boolean fromAlice = i % 2 == 0;
            conversation.add(store.storeMessage(fromAlice ? alice.id() : bob.id(), fromAlice ? bob.id() : alice.id(),
                    "h" + i, "line " + i, i).message());
            store.storeMessage(alice.id(), carol.id(), "x" + i, "elsewhere " + i, i);
        }
        List<Message> newestFirst = new ArrayList<>(conversation);
        java.util.Collections.reverse(newestFirst);

        assertEquals(newestFirst, store.history(alice.id(), bob.id(), Long.MAX_VALUE, 100));
        assertEquals(newestFirst, store.history(bob.id(), alice.id(), Long.MAX_VALUE, 100), "the same from Bob");
        List<Message> page1 = store.history(alice.id(), bob.id(), Long.MAX_VALUE, 3);
        assertEquals(newestFirst.subList(0, 3), page1);
        List<Message> page2 = store.history(alice.id(), bob.id(), page1.get(2).id(), 3);
        assertEquals(newestFirst.subList(3, 6), page2);
        List<Message> page3 = store.history(alice.id(), bob.id(), page2.get(2).id(), 3);
        assertEquals(newestFirst.subList(6, 7), page3);
        assertEquals(List.of(), store.history(alice.id(), bob.id(), page3.get(0).id(), 3));
        assertEquals(List.of(), store.history(bob.id(), carol.id(), Long.MAX_VALUE, 3));
    }

    @Test
    void searchIsCaseInsensitiveSubstringOfMyMessagesNewestFirst() {
        Message m1 = store.storeMessage(alice.id(), bob.id(), "1", "Meet at the Cafe", 1).message();
        Message m2 = store.storeMessage(bob.id(), alice.id(), "2", "which CAFÉ? cafeteria?", 2).message();
        store.storeMessage(bob.id(), carol.id(), "3", "cafe without Alice", 3);
        Message m4 = store.storeMessage(carol.id(), alice.id(), "4", "no match here", 4).message();

        assertEquals(List.of(m2, m1), store.search(alice.id(), "cAfE", 10));
        assertEquals(List.of(m2), store.search(alice.id(), "cAfE", 1));
        assertEquals(List.of(m4), store.search(alice.id(), "MATCH", 10));
        assertEquals(List.of(), store.search(alice.id(), "tea party", 10));
        assertEquals(List.of(m4, m2, m1), store.search(alice.id(), "", 10));
    }

    @Test
    void searchFindsChineseText() {
        Message m1 = store.storeMessage(alice.id(), bob.id(), "1", "我们明天去北京吧", 1).message();
        Message m2 = store.storeMessage(bob.id(), alice.id(), "2", "北京太冷了 😀", 2).message();
        store.storeMessage(alice.id(), bob.id(), "3", "上海", 3);
        assertEquals(List.of(m2, m1), store.search(alice.id(), "北京", 10));
        assertEquals(List.of(m2), store.search(bob.id(), "冷了 😀", 10));
        assertEquals(List.of(), store.search(alice.id(), "南京", 10));
    }

    @Test
    void searchTakesWildcardsLiterally() {
        Message percent = store.storeMessage(alice.id(), bob.id(), "1", "100% sure", 1).message();
        Message under = store.storeMessage(alice.id(), bob.id(), "2", "snake_case", 2).message();
        store.storeMessage(alice.id(), bob.id(), "3", "100 x sure, snakeXcase", 3);
        store.storeMessage(alice.id(), bob.id(), "4", "back\\slash", 4);
        assertEquals(List.of(percent), store.search(alice.id(), "%", 10));
        assertEquals(List.of(percent), store.search(alice.id(), "0% s", 10));
        assertEquals(List.of(under), store.search(alice.id(), "_", 10));
        assertEquals(List.of(under), store.search(alice.id(), "e_c", 10));
        assertEquals(1, store.search(alice.id(), "\\", 10).size());
    }

    // Groups.

    @Test
    void createGroupMakesTheOwnerItsFirstMember() {
        Group rust = store.createGroup("Rust 中文", "rust 中文", alice.id(), false, 100).orElseThrow();
        assertTrue(rust.id() > 0);
        assertEquals(new Group(rust.id(), "Rust 中文", alice.id(), "Alice", false, 1), rust);
        assertEquals(Optional.of(rust), store.groupByKey("rust 中文"));
        assertEquals(Optional.empty(), store.groupByKey("Rust 中文"), "keys are compared exactly");
        assertEquals(Optional.empty(), store.groupByKey("nothing"));
        assertTrue(store.isMember(rust.id(), alice.id()));
        assertFalse(store.isMember(rust.id(), bob.id()));
        assertEquals(List.of(new Member(alice.id(), "Alice", true)), store.members(rust.id()));
        assertEquals(List.of(rust), store.groupsOf(alice.id()));
        assertEquals(List.of(), store.groupsOf(bob.id()));

        Group open = store.createGroup("Open", "open", bob.id(), true, 200).orElseThrow();
        assertEquals(new Group(open.id(), "Open", bob.id(), "Bob", true, 1), open);
        assertNotEquals(rust.id(), open.id());
    }

    @Test
    void createGroupRefusesATakenKeyInAnyCase() {
        Group rust = group("Rust", alice);
        assertEquals(Optional.empty(), store.createGroup("RUST", "rust", bob.id(), true, 200));
        assertEquals(Optional.of(rust), store.groupByKey("rust"), "the first group is untouched");
        assertEquals(1, count("SELECT COUNT(*) FROM chat_groups"));
        assertEquals(1, count("SELECT COUNT(*) FROM group_members"), "no membership for the refused group");
        assertEquals(List.of(), store.groupsOf(bob.id()));
        assertTrue(store.createGroup("Go", "go", bob.id(), true, 300).isPresent(), "still works after a refusal");
    }

    @Test
    void aGroupOwnedByNobodyIsNotKept() {
        assertThrows(StoreException.class, () -> store.createGroup("Ghost", "ghost", 9999, true, 1));
        assertEquals(0, count("SELECT COUNT(*) FROM chat_groups"));
        assertEquals(0, count("SELECT COUNT(*) FROM group_members"));
        assertTrue(store.createGroup("Ghost", "ghost", alice.id(), true, 1).isPresent(), "the key is free");
    }

    @Test
    void groupNamesTooLongForTheColumnsAreRefusedOnBothDatabases() {
        String longName = "群".repeat(65);
        assertThrows(IllegalArgumentException.class, () -> store.createGroup(longName, "k", alice.id(), true, 1));
        assertThrows(IllegalArgumentException.class, () -> store.createGroup("n", longName, alice.id(), true, 1));
        String fits = "群".repeat(64);
        Group g = store.createGroup(fits, fits, alice.id(), true, 1).orElseThrow();
        assertEquals(fits, g.name(), "64 characters fit, whatever their bytes");
        assertThrows(IllegalArgumentException.class, () -> store.renameGroup(g.id(), longName, "k"));
        assertThrows(IllegalArgumentException.class, () -> store.renameGroup(g.id(), "n", longName));
        assertThrows(IllegalArgumentException.class,
                () -> store.storeGroupMessage(alice.id(), g.id(), "x".repeat(65), "hi", 1));
        assertThrows(IllegalArgumentException.class,
                () -> store.storeGroupMessage(alice.id(), g.id(), "c1", "字".repeat(21_846), 1));
        assertEquals(Optional.of(g), store.groupByKey(fits), "nothing changed");
    }

    @Test
    void renameGroupChecksTheKeyAgainstOtherGroupsOnly() {
        Group rust = group("Rust", alice);
        Group go = group("Go", bob);
        assertTrue(store.renameGroup(rust.id(), "Rustaceans", "rustaceans"));
        assertEquals(Optional.empty(), store.groupByKey("rust"));
        assertEquals("Rustaceans", store.groupByKey("rustaceans").orElseThrow().name());

        assertTrue(store.renameGroup(rust.id(), "RUSTACEANS", "rustaceans"), "only the case changes: same key");
        assertEquals(new Group(rust.id(), "RUSTACEANS", alice.id(), "Alice", true, 1),
                store.groupByKey("rustaceans").orElseThrow());
        assertTrue(store.renameGroup(rust.id(), "RUSTACEANS", "rustaceans"), "the very same name again");

        assertFalse(store.renameGroup(rust.id(), "GO", "go"), "Bob's group has that key");
        assertEquals("RUSTACEANS", store.groupByKey("rustaceans").orElseThrow().name(), "unchanged");
        assertEquals(Optional.of(go), store.groupByKey("go"), "unchanged");
        assertFalse(store.renameGroup(9999, "Nothing", "nothing"), "no such group");
        assertEquals(Optional.empty(), store.groupByKey("nothing"));
    }

    @Test
    void membersComeAndGo() {
        Group rust = group("Rust", carol);
        assertTrue(store.addMember(rust.id(), bob.id(), 200));
        assertTrue(store.addMember(rust.id(), alice.id(), 300));
        assertFalse(store.addMember(rust.id(), alice.id(), 400), "a member already");
        assertFalse(store.addMember(rust.id(), carol.id(), 400), "the owner is a member already");
        assertEquals(List.of(new Member(alice.id(), "Alice", false), new Member(bob.id(), "Bob", false),
                new Member(carol.id(), "Carol", true)), store.members(rust.id()));
        assertEquals(3, reread(rust).members());

        assertTrue(store.removeMember(rust.id(), bob.id()));
        assertFalse(store.removeMember(rust.id(), bob.id()), "no member now");
        assertFalse(store.isMember(rust.id(), bob.id()));
        assertTrue(store.isMember(rust.id(), alice.id()));
        assertEquals(List.of(), store.groupsOf(bob.id()));
        assertEquals(2, reread(rust).members());

        assertFalse(store.addMember(9999, bob.id(), 500), "no such group");
        assertEquals(0, count("SELECT COUNT(*) FROM group_members WHERE group_id = 9999"));
        assertEquals(List.of(), store.members(9999));
    }

    @Test
    void groupsOfAreByNameWithOwnersAndMemberCounts() {
        Group zeta = group("Zeta", alice);
        Group alpha = group("Alpha", carol);
        Group middle = group("Middle", bob);
        store.addMember(alpha.id(), alice.id(), 200);
        store.addMember(alpha.id(), bob.id(), 200);
        store.addMember(middle.id(), carol.id(), 200);
        assertEquals(List.of(new Group(alpha.id(), "Alpha", carol.id(), "Carol", true, 3),
                new Group(zeta.id(), "Zeta", alice.id(), "Alice", true, 1)), store.groupsOf(alice.id()));
        assertEquals(List.of(new Group(alpha.id(), "Alpha", carol.id(), "Carol", true, 3),
                new Group(middle.id(), "Middle", bob.id(), "Bob", true, 2)), store.groupsOf(bob.id()));
    }

    @Test
    void aJoinRequestWaitsForTheOwner() {
        Group closed = store.createGroup("Closed", "closed", alice.id(), false, 100).orElseThrow();
        assertFalse(store.hasJoinRequest(closed.id(), bob.id()));
        assertTrue(store.requestJoin(closed.id(), bob.id(), 20));
        assertFalse(store.requestJoin(closed.id(), bob.id(), 21), "the same request is waiting");
        assertTrue(store.requestJoin(closed.id(), carol.id(), 10));
        assertTrue(store.hasJoinRequest(closed.id(), bob.id()));
        assertFalse(store.hasJoinRequest(closed.id(), alice.id()));
        assertFalse(store.isMember(closed.id(), bob.id()), "asking is not joining");
        assertEquals(List.of(new FriendRequest(carol.id(), "Carol", 10), new FriendRequest(bob.id(), "Bob", 20)),
                store.joinRequests(closed.id()), "oldest first");

        assertTrue(store.addMember(closed.id(), bob.id(), 30)); // the owner approves
        assertTrue(store.isMember(closed.id(), bob.id()));
        assertFalse(store.hasJoinRequest(closed.id(), bob.id()), "approving drops the request");
        assertEquals(List.of(new FriendRequest(carol.id(), "Carol", 10)), store.joinRequests(closed.id()));
        assertEquals(List.of(), store.joinRequests(9999));

        assertTrue(store.rejectJoin(closed.id(), carol.id())); // the owner turns carol down
        assertFalse(store.rejectJoin(closed.id(), carol.id()), "nothing left to reject");
        assertFalse(store.rejectJoin(closed.id(), alice.id()), "never asked");
        assertFalse(store.hasJoinRequest(closed.id(), carol.id()));
        assertFalse(store.isMember(closed.id(), carol.id()), "rejecting is not approving");
        assertEquals(List.of(), store.joinRequests(closed.id()));
        assertTrue(store.requestJoin(closed.id(), carol.id(), 40), "she may ask again");
    }

    @Test
    void deleteGroupTakesEverythingOfItsOwnWithIt() throws Exception {
        befriend(alice, bob);
        Group doomed = group("Doomed", alice);
        Group kept = group("Kept", alice);
        for (Group g : List.of(doomed, kept)) {
            store.addMember(g.id(), bob.id(), 200);
            store.requestJoin(g.id(), carol.id(), 300);
            store.storeGroupMessage(bob.id(), g.id(), "m" + g.id(), "hello " + g.name(), 400);
            store.markRead(alice.id(), true, g.id());
        }
        Message keptPrivate = store.storeMessage(bob.id(), alice.id(), "p", "private", 500).message();
        store.markRead(alice.id(), false, bob.id());
        // Someone else's mark for a friend whose id happens to be the group's: 'u' is not 'g'.
        execute("INSERT INTO read_marks (user_id, conversation, last_read_id) VALUES ("
                + carol.id() + ", 'u" + doomed.id() + "', 1)");

        store.deleteGroup(doomed.id());

        assertEquals(Optional.empty(), store.groupByKey("doomed"));
        assertFalse(store.isMember(doomed.id(), bob.id()));
        assertFalse(store.hasJoinRequest(doomed.id(), carol.id()));
        for (String table : List.of("messages", "group_members", "group_requests")) {
            assertEquals(0, count("SELECT COUNT(*) FROM " + table + " WHERE group_id = " + doomed.id()), table);
        }
        assertEquals(1, count("SELECT COUNT(*) FROM messages WHERE group_id = " + kept.id()));
        assertEquals(2, count("SELECT COUNT(*) FROM group_members WHERE group_id = " + kept.id()));
        assertEquals(1, count("SELECT COUNT(*) FROM group_requests WHERE group_id = " + kept.id()));
        assertEquals(0, count("SELECT COUNT(*) FROM read_marks WHERE conversation = 'g" + doomed.id() + "'"));
        assertEquals(1, count("SELECT COUNT(*) FROM read_marks WHERE conversation = 'g" + kept.id() + "'"));
        assertEquals(1, count("SELECT COUNT(*) FROM read_marks WHERE conversation = 'u" + bob.id() + "'"));
        assertEquals(1, count("SELECT COUNT(*) FROM read_marks WHERE conversation = 'u" + doomed.id() + "'"));
        assertEquals(List.of(keptPrivate), store.history(alice.id(), bob.id(), Long.MAX_VALUE, 10));
        assertEquals(List.of(reread(kept)), store.groupsOf(bob.id()));
        assertEquals(Optional.of(reread(kept)), store.groupByKey("kept"));
        assertTrue(store.createGroup("DOOMED", "doomed", bob.id(), true, 600).isPresent(), "the key is free again");
        store.deleteGroup(9999); // nothing to delete is no error
    }

    /**
     * An id must never be given out twice, even when the newest messages are deleted with their
     * group: a user who acknowledged them would otherwise never receive the next message.
     */
    @Test
    void idsOfDeletedMessagesAreNotReused() {
        Group g = group("Rust", alice);
        store.addMember(g.id(), bob.id(), 200);
        Message before = store.storeMessage(carol.id(), bob.id(), "p1", "private", 300).message();
        Message last = store.storeGroupMessage(alice.id(), g.id(), "g1", "newest of all", 400).message();
        assertEquals(List.of(before, last), store.undelivered(bob.id(), 10));
        store.acknowledge(bob.id(), last.id());
        store.deleteGroup(g.id());

        Message next = store.storeMessage(carol.id(), bob.id(), "p2", "after the group is gone", 500).message();
        assertTrue(next.id() > last.id(), next.id() + " > " + last.id());
        assertEquals(List.of(next), store.undelivered(bob.id(), 10));
    }

    // Group messages.

    @Test
    void storeGroupMessageReturnsTheStoredRowWithNames() {
        Group rust = group("Rust", alice);
        store.addMember(rust.id(), bob.id(), 200);
        Stored s = store.storeGroupMessage(alice.id(), rust.id(), "c1", "大家好 😀", 5000);
        assertFalse(s.duplicate());
        Message m = s.message();
        assertEquals(new Message(m.id(), alice.id(), "Alice", 0, null, rust.id(), "Rust", "c1", "大家好 😀", 5000,
                Kind.TEXT, defaultDevice(alice)), m);
        assertTrue(m.isGroup());
        assertEquals(List.of(m), store.undelivered(bob.id(), 10));
        assertEquals(List.of(m), store.groupHistory(rust.id(), bob.id(), Long.MAX_VALUE, 10));
    }

    @Test
    void aGroupResendReturnsTheOriginal() {
        Group rust = group("Rust", alice);
        store.addMember(rust.id(), bob.id(), 200);
        Message first = store.storeGroupMessage(alice.id(), rust.id(), "c1", "first", 5000).message();
        Stored again = store.storeGroupMessage(alice.id(), rust.id(), "c1", "changed", 6000);
        assertTrue(again.duplicate());
        assertEquals(first, again.message());
        assertEquals(1, count("SELECT COUNT(*) FROM messages"));

        Stored asPrivate = store.storeMessage(alice.id(), bob.id(), "c1", "a client id is the sender's, once", 7000);
        assertTrue(asPrivate.duplicate(), "one client id sequence per sender, private or group");
        assertEquals(first, asPrivate.message());

        Stored other = store.storeGroupMessage(bob.id(), rust.id(), "c1", "same client id, other sender", 8000);
        assertFalse(other.duplicate());
        assertTrue(other.message().id() > first.id());
    }

    @Test
    void aMessageToNoGroupIsNotKept() {
        assertThrows(StoreException.class, () -> store.storeGroupMessage(alice.id(), 9999, "c1", "hi", 1));
        assertEquals(0, count("SELECT COUNT(*) FROM messages"));
        Group rust = group("Rust", alice);
        assertFalse(store.storeGroupMessage(alice.id(), rust.id(), "c1", "hi", 1).duplicate(), "nothing was kept");
    }

    @Test
    void groupHistoryIsNewestFirstPagedAndStartsWhenIJoined() {
        Group rust = group("Rust", alice);
        Group other = group("Other", alice);
        store.addMember(rust.id(), bob.id(), 200);
        List<Message> all = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            if (i == 3) {
                assertTrue(store.addMember(rust.id(), carol.id(), 300)); // a late joiner
            }
            all.add(store.storeGroupMessage(i % 2 == 0 ? alice.id() : bob.id(), rust.id(), "r" + i, "line " + i, i)
                    .message());
            store.storeMessage(alice.id(), bob.id(), "p" + i, "private " + i, i);
            store.storeGroupMessage(alice.id(), other.id(), "o" + i, "elsewhere " + i, i);
        }
        List<Message> newestFirst = new ArrayList<>(all);
        Collections.reverse(newestFirst);

        assertEquals(newestFirst, store.groupHistory(rust.id(), alice.id(), Long.MAX_VALUE, 100));
        assertEquals(newestFirst, store.groupHistory(rust.id(), bob.id(), Long.MAX_VALUE, 100));
        List<Message> page1 = store.groupHistory(rust.id(), bob.id(), Long.MAX_VALUE, 3);
        assertEquals(newestFirst.subList(0, 3), page1);
        List<Message> page2 = store.groupHistory(rust.id(), bob.id(), page1.get(2).id(), 3);
        assertEquals(newestFirst.subList(3, 6), page2);
        assertEquals(newestFirst.subList(6, 7), store.groupHistory(rust.id(), bob.id(), page2.get(2).id(), 3));

        assertEquals(newestFirst.subList(0, 4), store.groupHistory(rust.id(), carol.id(), Long.MAX_VALUE, 100),
                "Carol sees what was sent after she joined");
        assertEquals(newestFirst.subList(2, 4), store.groupHistory(rust.id(), carol.id(), newestFirst.get(1).id(), 100));
        assertEquals(List.of(), store.groupHistory(rust.id(), carol.id(), newestFirst.get(3).id(), 100));
        assertEquals(List.of(), store.groupHistory(rust.id(), user("Dave").id(), Long.MAX_VALUE, 100), "no member");
        assertEquals(List.of(), store.groupHistory(rust.id(), alice.id(), Long.MAX_VALUE, 0));

        assertEquals(7, store.history(alice.id(), bob.id(), Long.MAX_VALUE, 100).size(), "private only");
        assertTrue(store.history(alice.id(), bob.id(), Long.MAX_VALUE, 100).stream().noneMatch(Message::isGroup));
        store.removeMember(rust.id(), bob.id());
        assertEquals(List.of(), store.groupHistory(rust.id(), bob.id(), Long.MAX_VALUE, 100), "Bob left");
    }

    @Test
    void undeliveredMixesPrivateAndGroupMessagesInIdOrder() {
        Group rust = group("Rust", alice);
        Group go = group("Go", carol);
        Group elsewhere = group("Elsewhere", carol);
        store.addMember(go.id(), bob.id(), 100);
        Message early = store.storeGroupMessage(alice.id(), rust.id(), "early", "before Bob joined", 1).message();
        store.addMember(rust.id(), bob.id(), 200);

        List<Message> toBob = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            toBob.add(store.storeMessage(alice.id(), bob.id(), "p" + i, "private " + i, i).message());
            toBob.add(store.storeGroupMessage(alice.id(), rust.id(), "r" + i, "rust " + i, i).message());
            store.storeGroupMessage(bob.id(), rust.id(), "b" + i, "Bob's own", i);
            store.storeMessage(bob.id(), alice.id(), "q" + i, "to Alice", i);
            toBob.add(store.storeGroupMessage(carol.id(), go.id(), "g" + i, "go " + i, i).message());
            store.storeGroupMessage(carol.id(), elsewhere.id(), "e" + i, "not Bob's group", i);
            store.storeMessage(carol.id(), alice.id(), "c" + i, "not to Bob", i);
        }
        assertFalse(store.undelivered(bob.id(), 100).contains(early));
        assertEquals(toBob, store.undelivered(bob.id(), 100));
        assertEquals(toBob.subList(0, 4), store.undelivered(bob.id(), 4));
        assertEquals(List.of(), store.undelivered(bob.id(), 0));

        store.acknowledge(bob.id(), toBob.get(3).id());
        assertEquals(toBob.subList(4, 9), store.undelivered(bob.id(), 100));

        assertTrue(store.removeMember(go.id(), bob.id()));
        assertEquals(List.of(toBob.get(4), toBob.get(6), toBob.get(7)), store.undelivered(bob.id(), 100),
                "a group Bob left is no longer delivered");

        // Alice owns Rust: she gets Bob's messages there, the private ones, and none of her own.
        List<Message> toAlice = store.undelivered(alice.id(), 100);
        assertEquals(9, toAlice.size());
        assertTrue(toAlice.stream().noneMatch(m -> m.senderId() == alice.id()));
        assertTrue(toAlice.stream().allMatch(m -> m.isGroup() ? m.groupId() == rust.id() : m.recipientId() == alice.id()));
        for (int i = 1; i < toAlice.size(); i++) {
            assertTrue(toAlice.get(i - 1).id() < toAlice.get(i).id(), "ascending ids");
        }
    }

    @Test
    void searchFindsPrivateMessagesAndThoseOfMyGroupsSinceIJoined() {
        Group rust = group("Rust", carol);
        Group go = group("Go", carol);
        Group left = group("Left", carol);
        store.addMember(left.id(), alice.id(), 100);
        store.storeGroupMessage(carol.id(), rust.id(), "0", "topic: before Alice joined", 0);
        store.addMember(rust.id(), alice.id(), 200);
        Message sent = store.storeMessage(alice.id(), bob.id(), "1", "TOPIC sent", 1).message();
        Message received = store.storeMessage(bob.id(), alice.id(), "2", "topic received", 2).message();
        store.storeMessage(bob.id(), carol.id(), "3", "topic between others", 3);
        Message inGroup = store.storeGroupMessage(carol.id(), rust.id(), "4", "Topic in my group", 4).message();
        Message mineInGroup = store.storeGroupMessage(alice.id(), rust.id(), "5", "my own topic in it", 5).message();
        store.storeGroupMessage(carol.id(), go.id(), "6", "topic in a group without me", 6);
        store.storeGroupMessage(carol.id(), left.id(), "7", "topic in a group I left", 7);
        store.removeMember(left.id(), alice.id());

        assertEquals(List.of(mineInGroup, inGroup, received, sent), store.search(alice.id(), "topic", 10));
        assertEquals(List.of(mineInGroup, inGroup), store.search(alice.id(), "topic", 2));
        assertEquals(List.of(inGroup), store.search(alice.id(), "in my group", 10));
        assertEquals(List.of(), store.search(alice.id(), "without me", 10));
        assertEquals(List.of(), store.search(alice.id(), "before Alice", 10));
        assertEquals(3, store.search(carol.id(), "group", 10).size(), "Carol is in every group from the start");
    }

    // Unread counts.

    @Test
    void unreadCountsPerGroupAndPerFriendUntilMarkedRead() {
        User dave = user("Dave");
        befriend(alice, bob);
        befriend(alice, carol);
        Group rust = group("Rust", carol);
        Group go = group("Go", bob);
        store.addMember(go.id(), alice.id(), 100);
        store.storeGroupMessage(carol.id(), rust.id(), "r0", "before Alice joined", 0);
        store.addMember(rust.id(), alice.id(), 200);

        store.storeMessage(bob.id(), alice.id(), "b1", "one", 1);
        store.storeMessage(bob.id(), alice.id(), "b2", "two", 2);
        store.storeMessage(carol.id(), alice.id(), "c1", "one", 3);
        store.storeMessage(alice.id(), bob.id(), "a1", "mine", 4);
        store.storeMessage(bob.id(), carol.id(), "b3", "not to Alice", 5);
        store.storeMessage(dave.id(), alice.id(), "d1", "from no friend", 6);
        store.storeGroupMessage(carol.id(), rust.id(), "r1", "one", 7);
        store.storeGroupMessage(bob.id(), rust.id(), "r2", "two", 8);
        store.storeGroupMessage(carol.id(), rust.id(), "r3", "three", 9);
        store.storeGroupMessage(alice.id(), rust.id(), "r4", "mine", 10);
        store.storeGroupMessage(bob.id(), go.id(), "g1", "one", 11);

        assertEquals(List.of(new Unread(true, go.id(), "Go", 1), new Unread(true, rust.id(), "Rust", 3),
                new Unread(false, bob.id(), "Bob", 2), new Unread(false, carol.id(), "Carol", 1)),
                store.unread(alice.id()));
        assertEquals(List.of(new Unread(false, alice.id(), "Alice", 1)), store.unread(bob.id()),
                "Bob wrote all there is in Go, and is not in Rust");
    }

    @Test
    void markReadClearsOneConversationUntilMoreArrive() {
        befriend(alice, bob);
        befriend(alice, carol);
        Group rust = group("Rust", bob);
        store.addMember(rust.id(), alice.id(), 100);
        store.storeMessage(bob.id(), alice.id(), "b1", "one", 1);
        store.storeMessage(carol.id(), alice.id(), "c1", "one", 2);
        store.storeGroupMessage(bob.id(), rust.id(), "r1", "one", 3);
        store.storeGroupMessage(bob.id(), rust.id(), "r2", "two", 4);

        store.markRead(alice.id(), false, bob.id());
        assertEquals(List.of(new Unread(true, rust.id(), "Rust", 2), new Unread(false, carol.id(), "Carol", 1)),
                store.unread(alice.id()));
        store.markRead(alice.id(), true, rust.id());
        assertEquals(List.of(new Unread(false, carol.id(), "Carol", 1)), store.unread(alice.id()));
        store.markRead(alice.id(), false, carol.id());
        assertEquals(List.of(), store.unread(alice.id()));
        store.markRead(alice.id(), false, carol.id()); // twice is harmless
        assertEquals(1, count("SELECT COUNT(*) FROM read_marks WHERE user_id = " + alice.id()
                + " AND conversation = 'u" + carol.id() + "'"));

        store.storeGroupMessage(bob.id(), rust.id(), "r3", "three", 5);
        store.storeMessage(bob.id(), alice.id(), "b2", "two", 6);
        store.storeMessage(bob.id(), alice.id(), "b3", "three", 7);
        assertEquals(List.of(new Unread(true, rust.id(), "Rust", 1), new Unread(false, bob.id(), "Bob", 2)),
                store.unread(alice.id()), "counting again after the mark");
        store.markRead(alice.id(), false, bob.id());
        store.markRead(alice.id(), true, rust.id());
        assertEquals(List.of(), store.unread(alice.id()));
    }

    @Test
    void aReadMarkNeverMovesBack() throws Exception {
        befriend(alice, bob);
        long far = 1_000_000;
        execute("INSERT INTO read_marks (user_id, conversation, last_read_id) VALUES ("
                + alice.id() + ", 'u" + bob.id() + "', " + far + ")");
        store.storeMessage(bob.id(), alice.id(), "b1", "one", 1);
        store.markRead(alice.id(), false, bob.id());
        assertEquals(far, count("SELECT last_read_id FROM read_marks WHERE user_id = " + alice.id()));
        assertEquals(List.of(), store.unread(alice.id()));
    }

    @Test
    void aRejoinedGroupCountsOnlyWhatCameAfterRejoining() {
        Group rust = group("Rust", bob);
        store.addMember(rust.id(), alice.id(), 100);
        store.storeGroupMessage(bob.id(), rust.id(), "r1", "one", 1);
        store.markRead(alice.id(), true, rust.id()); // the mark stays when she leaves
        store.removeMember(rust.id(), alice.id());
        store.storeGroupMessage(bob.id(), rust.id(), "r2", "while she was away", 2);
        assertEquals(List.of(), store.unread(alice.id()), "no member, no count");
        store.addMember(rust.id(), alice.id(), 300);
        assertEquals(List.of(), store.unread(alice.id()), "her mark is older than her joining");
        store.storeGroupMessage(bob.id(), rust.id(), "r3", "back", 3);
        assertEquals(List.of(new Unread(true, rust.id(), "Rust", 1)), store.unread(alice.id()));
    }

    // Threads.

    @Test
    void oneOfManyRacingRegistrationsWins() throws Exception {
        int threads = 8;
        List<Optional<User>> results = race(threads, i -> store.createUser("Racer" + i, "racer", "h" + i, i));
        List<User> winners = results.stream().flatMap(Optional::stream).toList();
        assertEquals(1, winners.size(), results.toString());
        assertEquals(Optional.of(winners.get(0)), store.userByKey("racer"));
        assertEquals(1, count("SELECT COUNT(*) FROM users WHERE name_key = 'racer'"));
    }

    @Test
    void oneOfManyRacingGroupCreationsWins() throws Exception {
        List<Optional<Group>> results = race(8, i -> store.createGroup("Racers" + i, "racers", alice.id(), true, i));
        List<Group> winners = results.stream().flatMap(Optional::stream).toList();
        assertEquals(1, winners.size(), results.toString());
        assertEquals(Optional.of(winners.get(0)), store.groupByKey("racers"));
        assertEquals(1, count("SELECT COUNT(*) FROM group_members"), "one membership, the winner's");
    }

    @Test
    void racingMarkReadsLeaveOneMark() throws Exception {
        befriend(alice, bob);
        Message last = store.storeMessage(bob.id(), alice.id(), "b1", "one", 1).message();
        race(8, i -> {
            store.markRead(alice.id(), false, bob.id());
            return null;
        });
        assertEquals(1, count("SELECT COUNT(*) FROM read_marks"));
        assertEquals(last.id(), count("SELECT last_read_id FROM read_marks"));
        assertEquals(List.of(), store.unread(alice.id()));
    }

    @Test
    void messagesStoredFromManyThreadsAllArrive() throws Exception {
        int threads = 6;
        int each = 25;
        List<List<Message>> results = race(threads, t -> {
            List<Message> mine = new ArrayList<>();
            for (int i = 0; i < each; i++) {
                Stored s = store.storeMessage(alice.id(), bob.id(), t + "-" + i, "from thread " + t, i);
                assertFalse(s.duplicate());
                mine.add(s.message());
            }
            return mine;
        });
        Set<Long> ids = new HashSet<>();
        results.forEach(list -> list.forEach(m -> ids.add(m.id())));
        assertEquals(threads * each, ids.size(), "ids are distinct");

        List<Message> undelivered = store.undelivered(bob.id(), 1000);
        assertEquals(ids, new HashSet<>(undelivered.stream().map(Message::id).toList()));
        for (int i = 1; i < undelivered.size(); i++) {
            assertTrue(undelivered.get(i - 1).id() < undelivered.get(i).id(), "ascending ids");
        }
        assertTrue(store.openConnections() >= threads, "one connection per thread");
    }

    @Test
    void closeClosesEveryThreadsConnection() throws Exception {
        race(3, i -> store.userByKey("alice"));
        assertTrue(store.openConnections() >= 3);
        store.close();
        assertEquals(0, store.openConnections());
        var e = assertThrows(StoreException.class, () -> store.userByKey("alice"));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    /** Bans (1.4): one per kind and target, the later replacing the earlier; ended ones ignored, then purged. */
    @Test
    void bansAreKeptPerTargetAndEndWithTheirTime() {
        store.putBan(new Store.Ban(Store.BAN_ACCOUNT, "bob", 5_000, "first", "root", 1_000));
        store.putBan(new Store.Ban(Store.BAN_ACCOUNT, "bob", 9_000, "second", "root", 2_000));
        store.putBan(new Store.Ban(Store.BAN_ADDRESS, "10.0.0.7", 0, "for good", "root", 3_000));
        store.putBan(new Store.Ban(Store.BAN_ACCOUNT, "carol", 4_000, "short", "root", 3_500));
        assertEquals(List.of(new Store.Ban(Store.BAN_ACCOUNT, "bob", 9_000, "second", "root", 2_000),
                new Store.Ban(Store.BAN_ADDRESS, "10.0.0.7", 0, "for good", "root", 3_000)), store.bans(4_000),
                "carol's ended at 4,000; bob's second replaced his first");
        assertEquals(1, store.purgeExpiredBans(4_000));
        assertEquals(2, store.bans(0).size(), "purged rows are gone even for an earlier now");
        assertTrue(store.removeBan(Store.BAN_ADDRESS, "10.0.0.7"));
        assertFalse(store.removeBan(Store.BAN_ADDRESS, "10.0.0.7"));
        assertEquals(List.of("bob"), store.bans(4_000).stream().map(Store.Ban::target).toList());
        assertEquals(List.of(), store.bans(9_000), "a ban ends at its time");
    }
}
