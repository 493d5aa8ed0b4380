package chat.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.server.store.Store.Device;
import chat.server.store.Store.SessionRow;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Login sessions (only token hashes) and passwords, on each database. */
abstract class SessionContract extends StoreFixture {

    /** A token hash: 64 hex digits, told apart by {@code n}. */
    static String hash(int n) {
        return "%064x".formatted(n);
    }

    @Test
    void aSessionIsFoundByItsHashUntilItExpires() {
        Device phone = store.device(alice.id(), "phone", 1);
        store.createSession(hash(1), alice.id(), phone.id(), 100, 1000);
        var expected = new SessionRow(hash(1), alice.id(), "Alice", phone.id(), "phone", 100, 1000);
        assertEquals(Optional.of(expected), store.sessionByToken(hash(1), 100));
        assertEquals(Optional.of(expected), store.sessionByToken(hash(1), 999));
        assertEquals(Optional.empty(), store.sessionByToken(hash(1), 1000), "expired at its time");
        assertEquals(Optional.empty(), store.sessionByToken(hash(2), 100), "unknown");

        assertTrue(store.extendSession(hash(1), 5000), "sliding expiry");
        assertEquals(5000, store.sessionByToken(hash(1), 1000).orElseThrow().expiresAt());
        assertFalse(store.extendSession(hash(2), 5000));
    }

    @Test
    void aSessionCanBeRevoked() {
        Device phone = store.device(alice.id(), "phone", 1);
        store.createSession(hash(1), alice.id(), phone.id(), 100, 1000);
        assertTrue(store.revokeSession(hash(1)));
        assertEquals(Optional.empty(), store.sessionByToken(hash(1), 100));
        assertFalse(store.revokeSession(hash(1)), "once");
    }

    @Test
    void revokingTheOthersKeepsOneSessionOfTheAccountAndOthersAccounts() {
        Device phone = store.device(alice.id(), "phone", 1);
        Device laptop = store.device(alice.id(), "laptop", 1);
        Device bobs = store.device(bob.id(), "phone", 1);
        store.createSession(hash(1), alice.id(), phone.id(), 100, 1000);
        store.createSession(hash(2), alice.id(), laptop.id(), 200, 1000);
        store.createSession(hash(3), alice.id(), laptop.id(), 300, 1000);
        store.createSession(hash(4), bob.id(), bobs.id(), 100, 1000);
        assertEquals(List.of(hash(3), hash(2), hash(1)),
                store.sessions(alice.id(), 100).stream().map(SessionRow::tokenHash).toList(), "newest first");

        assertEquals(2, store.revokeOtherSessions(alice.id(), hash(1)));
        assertEquals(List.of(hash(1)), store.sessions(alice.id(), 100).stream().map(SessionRow::tokenHash).toList());
        assertTrue(store.sessionByToken(hash(4), 100).isPresent(), "Bob's are not Alice's to revoke");
        assertEquals(1, store.revokeOtherSessions(alice.id(), null), "none kept");
        assertEquals(List.of(), store.sessions(alice.id(), 100));
    }

    @Test
    void revokingADevicesSessionsKeepsOneAndLeavesTheOtherDevices() {
        Device phone = store.device(alice.id(), "phone", 1);
        Device laptop = store.device(alice.id(), "laptop", 1);
        Device bobs = store.device(bob.id(), "phone", 1);
        store.createSession(hash(1), alice.id(), phone.id(), 100, 1000);
        store.createSession(hash(2), alice.id(), phone.id(), 200, 1000);
        store.createSession(hash(3), alice.id(), laptop.id(), 300, 1000);
        store.createSession(hash(4), bob.id(), bobs.id(), 100, 1000);

        assertEquals(1, store.revokeDeviceSessions(phone, hash(2)));
        assertEquals(List.of(hash(3), hash(2)),
                store.sessions(alice.id(), 100).stream().map(SessionRow::tokenHash).toList(), "the laptop's stays");
        assertTrue(store.sessionByToken(hash(4), 100).isPresent(), "another account's device of that name");
        assertEquals(0, store.revokeDeviceSessions(phone, hash(2)), "nothing left to revoke");
    }

    @Test
    void expiredSessionsArePurgedInBatches() {
        Device phone = store.device(alice.id(), "phone", 1);
        for (int i = 1; i <= 5; i++) {
            store.createSession(hash(i), alice.id(), phone.id(), 0, i * 100);
        }
        assertEquals(2, store.purgeExpiredSessions(300, 2));
        assertEquals(1, store.purgeExpiredSessions(300, 2), "the third that expired by 300");
        assertEquals(0, store.purgeExpiredSessions(300, 2));
        assertEquals(List.of(hash(4), hash(5)),
                store.sessions(alice.id(), 0).stream().map(SessionRow::tokenHash).sorted().toList());
    }

    @Test
    void onlyHashesAreTakenAsTokens() {
        assertThrows(IllegalArgumentException.class,
                () -> store.createSession("secret-token", alice.id(), 1, 0, 1));
        assertEquals(0, count("SELECT COUNT(*) FROM sessions"));
    }

    @Test
    void aPasswordHashIsReplaced() {
        store.setPasswordHash(alice.id(), "new-hash");
        assertEquals("new-hash", store.userByKey("alice").orElseThrow().passwordHash());
        assertEquals("hash-Bob", store.userById(bob.id()).orElseThrow().passwordHash(), "no one else's");
        assertEquals(Optional.empty(), store.userById(9999));
    }
}
