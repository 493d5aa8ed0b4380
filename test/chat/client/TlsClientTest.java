package chat.client;

import static chat.client.Device.get;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Conversation;
import chat.server.Backend;
import chat.server.TestServer;
import chat.server.TlsFixture;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The client library over TLS against the real server: trust on first use (asked once,
 * remembered, a changed certificate refused with both fingerprints), chat across a TLS and a
 * plain client, and a file up and down over TLS data connections.
 */
class TlsClientTest {

    @TempDir
    Path dir;

    /** A HostTrust that answers {@code yes} and notes every question. */
    private static final class Asked implements HostTrust {
        final List<String> questions = new CopyOnWriteArrayList<>();
        final boolean yes;

        Asked(boolean yes) {
            this.yes = yes;
        }

        @Override
        public boolean trustFirstSight(String server, String fingerprint) {
            questions.add(server + " " + fingerprint);
            return yes;
        }
    }

    private static String fingerprint(String kind) throws Exception {
        try (InputStream in = Files.newInputStream(TlsFixture.cert(kind))) {
            return KnownHosts.fingerprint((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
    }

    private static ChatClient.Config tls(int port, Path data, HostTrust trust) {
        return Device.config(port, data, Device.FAST).withTls(trust);
    }

    @Test
    void aNewCertificateIsAskedAboutOnceRememberedAndAChangedOneRefused() throws Exception {
        try (var server = TestServer.start(TlsFixture.settings())) {
            String server1 = "127.0.0.1:" + server.port();
            String rsa = fingerprint("rsa");
            Path data = dir.resolve("alice");

            var no = new Asked(false);
            try (var c = ChatClient.create(tls(server.port(), data, no), Runnable::run, e -> {})) {
                IOException refused = assertThrows(IOException.class, c::verifyServer);
                assertTrue(refused.getMessage().contains(rsa), refused.getMessage());
            }
            assertEquals(List.of(server1 + " " + rsa), no.questions);
            assertFalse(Files.exists(data.resolve(KnownHosts.FILE)), "a no is not remembered");

            var yes = new Asked(true);
            try (var alice = new Device("alice", tls(server.port(), data, yes), Runnable::run)) {
                alice.signUp("alice", "alice-pw-1");
                assertTrue(alice.client.usesTls());
            }
            assertEquals(List.of(server1 + " " + rsa), yes.questions, "asked once, on the first connection");
            assertEquals(List.of(server1 + " " + rsa), Files.readAllLines(data.resolve(KnownHosts.FILE)));

            var never = new Asked(false);
            try (var again = new Device("alice again", tls(server.port(), data, never), Runnable::run)) {
                again.await(ChatEvent.ConnectionChanged.class, e -> e.state() == ChatEvent.ConnectionState.ONLINE, "online");
                assertEquals(List.of(), never.questions, "remembered: not asked again");
            }

            // The remembered fingerprint is another one: as if the server's key had changed.
            Files.writeString(data.resolve(KnownHosts.FILE), server1 + " " + fingerprint("ec") + "\n");
            var changedTrust = new Asked(true);
            try (var c = ChatClient.create(tls(server.port(), data, changedTrust), Runnable::run, e -> {})) {
                IOException refused = assertThrows(IOException.class, c::verifyServer);
                CertificateChangedException changed = cause(refused, CertificateChangedException.class);
                assertEquals(fingerprint("ec"), changed.known);
                assertEquals(rsa, changed.presented);
                assertTrue(changed.getMessage().contains(rsa) && changed.getMessage().contains(fingerprint("ec")));
            }
            assertEquals(List.of(), changedTrust.questions, "a changed certificate is refused, never asked about");
            try (var refused = new Device("alice refused", tls(server.port(), data, changedTrust), Runnable::run)) {
                var told = refused.await(ChatEvent.CertificateChanged.class);
                assertEquals(List.of(server1, fingerprint("ec"), rsa, data.resolve(KnownHosts.FILE)),
                        List.of(told.server(), told.known(), told.presented(), told.file()));
                var down = refused.await(ChatEvent.ConnectionChanged.class,
                        e -> e.state() == ChatEvent.ConnectionState.RECONNECTING, "refused");
                assertTrue(down.reason().contains("HAS CHANGED"), down.reason());
            }
        }
    }

    private static void befriend(Device a, String aName, Device b, String bName) {
        assertFalse(get(a.client.friends().add(bName)));
        b.await(ChatEvent.FriendRequested.class);
        get(b.client.friends().accept(aName));
        a.await(ChatEvent.FriendAdded.class);
    }

    /**
     * Across transports: TLS alice and plain carol chat in private; a file goes from alice to bob,
     * both on TLS, up and down over TLS data connections (the library's DataLink).
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void tlsAndPlainClientsChatAndAFileGoesUpAndDownOverTls(Backend backend) throws Exception {
        try (var db = backend.fresh();
                var server = TestServer.start(TlsFixture.settings().dbUrl(db.url()).data(db.data()));
                var alice = new Device("alice", tls(server.port(), dir.resolve("alice"), new Asked(true)), Runnable::run);
                var bob = new Device("bob", tls(server.port(), dir.resolve("bob"), new Asked(true)), Runnable::run);
                var carol = new Device("carol", server.port(), dir.resolve("carol"))) {
            alice.signUp("alice", "alice-pw-1");
            bob.signUp("bob", "bob-pw-1");
            carol.signUp("carol", "carol-pw-1");
            befriend(alice, "alice", carol, "carol");
            befriend(alice, "alice", bob, "bob");

            alice.send("carol", "over TLS 你好");
            assertEquals("over TLS 你好", carol.awaitMessage("over TLS 你好").text());
            carol.send("alice", "in plain text");
            assertEquals("in plain text", alice.awaitMessage("in plain text").text());

            byte[] bytes = new byte[700_000];
            new Random(3).nextBytes(bytes);
            Path sent = Files.createDirectories(dir.resolve("outbox")).resolve("photo.bin");
            Files.write(sent, bytes);
            FileTransfer up = get(alice.client.sendFile(Conversation.parse("bob"), sent, TransferListener.NONE));
            get(up.done());
            var offered = bob.await(ChatEvent.FileOffered.class);
            FileTransfer down = get(bob.client.download(offered.entry().fileId(), dir.resolve("bob-in"), TransferListener.NONE));
            assertArrayEquals(bytes, Files.readAllBytes(get(down.done())));
        }
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + e, e);
    }
}
