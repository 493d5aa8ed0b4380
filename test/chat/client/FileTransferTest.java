package chat.client;

import static chat.client.Device.get;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Conversation;
import chat.common.proto.ErrorCode;
import chat.common.proto.FileStatus;
import chat.server.Await;
import chat.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File transfer through the client library against the real server (SQLite) over real sockets:
 * to an online friend, to an offline one across a server restart, to a group; an upload and a
 * download cut at a random byte and resumed; a download resumed from a {@code .part} left
 * behind; a blob corrupted on the server's disk caught by the receiver's hash; the size cap and
 * the quota refused before any byte; the article's direct transfer on loopback.
 */
class FileTransferTest {

    /** A few chunks of the data connections' 1 MiB and 256 KiB. */
    private static final int SIZE = 3 * 1024 * 1024 + 12345;

    @TempDir
    Path dir;

    private final Random random = new Random();

    private TestServer server(Path data) throws Exception {
        return TestServer.start(TestServer.settings().data(Files.createDirectories(data)));
    }

    private Path file(String name, int size) throws Exception {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        Path p = Files.createDirectories(dir.resolve("outbox")).resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static void befriend(Device a, Device b) {
        assertFalse(get(a.client.friends().add(b.client.account().orElseThrow().name())));
        b.await(ChatEvent.FriendRequested.class);
        get(b.client.friends().accept(a.client.account().orElseThrow().name()));
        a.await(ChatEvent.FriendAdded.class);
    }

    /** A server, and alice and bob signed up on it and friends. */
    private final class Two implements AutoCloseable {
        final TestServer server;
        final Device alice;
        final Device bob;

        Two(chat.server.config.Settings.Builder settings) throws Exception {
            this(settings, Device.FAST);
        }

        /** {@code aliceTimings}: alice's client's, when a test needs other than the fast ones. */
        Two(chat.server.config.Settings.Builder settings, Timings aliceTimings) throws Exception {
            server = TestServer.start(settings);
            alice = new Device("alice", server.port(), dir.resolve("alice"), Runnable::run, aliceTimings);
            bob = new Device("bob", server.port(), dir.resolve("bob"));
            alice.signUp("alice", "alice-pw-1");
            bob.signUp("bob", "bob-pw-1");
            befriend(alice, bob);
        }

        @Override
        public void close() throws Exception {
            alice.close();
            bob.close();
            server.close();
        }
    }

    private Two friends(chat.server.config.Settings.Builder settings) throws Exception {
        return new Two(settings);
    }

    /** Progress as the listener heard it: (bytes, total) pairs. */
    private static final class Heard implements TransferListener {
        final List<long[]> calls = new CopyOnWriteArrayList<>();

        @Override
        public void progress(long bytes, long total, double bytesPerSecond) {
            calls.add(new long[] {bytes, total});
        }

        long last() {
            return calls.isEmpty() ? -1 : calls.get(calls.size() - 1)[0];
        }
    }

    private static Path done(FileTransfer t) {
        try {
            return t.done().get(Device.WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(t + " did not finish", e);
        }
    }

    private static Throwable failure(FileTransfer t) {
        try {
            t.done().get(Device.WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError(t + " succeeded");
    }

    private static Throwable refusal(java.util.concurrent.CompletableFuture<?> f) {
        try {
            f.get(Device.WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no refusal");
    }

    private static void assertSameBytes(Path expected, Path actual) throws Exception {
        assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(actual), actual + " differs from " + expected);
    }

    @Test
    void aFileGoesToAnOnlineFriendWithProgressAndIsSavedWithoutOverwriting() throws Exception {
        try (var two = friends(TestServer.settings().data(Files.createDirectories(dir.resolve("server"))))) {
            Device alice = two.alice;
            Device bob = two.bob;
            Path sent = file("report 2024.bin", SIZE);
            var heard = new Heard();
            FileTransfer up = get(alice.client.sendFile(Conversation.parse("bob"), sent, heard));
            assertEquals("report 2024.bin", up.name());
            assertEquals(SIZE, up.size());
            assertEquals(FileTransfer.Direction.UPLOAD, up.direction());
            assertEquals(sent.toAbsolutePath(), done(up));
            Await.until(() -> heard.last() == SIZE, "the sender's listener hears the last byte");
            assertTrue(heard.calls.stream().allMatch(c -> c[1] == SIZE), "every call gives the total");

            var offered = bob.await(ChatEvent.FileOffered.class);
            assertEquals(up.fileId(), offered.entry().fileId());
            assertEquals(up.messageId(), offered.entry().messageId(), "the offer's message, from the SEND_FILE reply");
            assertEquals(up.time(), offered.entry().time());
            assertTrue(up.messageId() > 0 && up.time() > 0, up.toString());
            assertEquals("alice", offered.entry().from());
            assertEquals(SIZE, offered.entry().size());
            assertEquals(HistoryEntry.DeliveryState.RECEIVED, offered.entry().state());
            List<HistoryEntry> local = bob.client.localHistory(Conversation.parse("alice"), 10);
            assertTrue(local.get(local.size() - 1).isFile(), "the offer is in the conversation: " + local);
            assertEquals(up.fileId(), local.get(local.size() - 1).file().fileId());
            assertTrue(alice.client.localHistory(Conversation.parse("bob"), 10).get(0).isFile(),
                    "the sender's history has it too");

            Path inbox = dir.resolve("inbox");
            var down = new Heard();
            Path saved = done(get(bob.client.download(offered.entry().fileId(), inbox, down)));
            assertEquals(inbox.resolve("report 2024.bin"), saved);
            assertSameBytes(sent, saved);
            Await.until(() -> down.last() == SIZE, "the receiver's listener hears the last byte");
            assertFalse(Files.exists(inbox.resolve("report 2024.bin." + offered.entry().fileId() + ".part")));

            Path again = done(get(bob.client.download(offered.entry().fileId(), inbox, TransferListener.NONE)));
            assertEquals(inbox.resolve("report 2024 (1).bin"), again, "never overwritten");
            assertSameBytes(sent, again);

            List<FileInfo> files = get(bob.client.files());
            assertEquals(1, files.size());
            assertEquals(FileStatus.READY, files.get(0).state());
            assertEquals(SIZE, files.get(0).received());
        }
    }

    @Test
    void anOfflineFriendGetsTheOfferAfterAServerRestartAndDownloadsIt() throws Exception {
        Path data = dir.resolve("server");
        Path sent = file("holiday.jpg", SIZE);
        long fileId;
        try (var server = server(data)) {
            try (var bob = new Device("bob", server.port(), dir.resolve("bob"))) {
                bob.signUp("bob", "bob-pw-1");
                try (var alice = new Device("alice", server.port(), dir.resolve("alice"))) {
                    alice.signUp("alice", "alice-pw-1");
                    befriend(alice, bob);
                    get(bob.client.logout());
                    FileTransfer up = get(alice.client.sendFile(Conversation.parse("bob"), sent, TransferListener.NONE));
                    done(up);
                    fileId = up.fileId();
                }
            }
        }
        try (var server = server(data);
                var bob = new Device("bob again", server.port(), dir.resolve("bob"))) {
            get(bob.client.whenOnline());
            get(bob.client.login("bob", "bob-pw-1"));
            var offered = bob.await(ChatEvent.FileOffered.class);
            assertEquals(fileId, offered.entry().fileId());
            assertSameBytes(sent, done(get(bob.client.download(fileId, dir.resolve("inbox"), TransferListener.NONE))));
        }
    }

    @Test
    void aFileToAGroupReachesEveryMember() throws Exception {
        try (var server = server(dir.resolve("server"));
                var alice = new Device("alice", server.port(), dir.resolve("alice"));
                var bob = new Device("bob", server.port(), dir.resolve("bob"));
                var carol = new Device("carol", server.port(), dir.resolve("carol"))) {
            alice.signUp("alice", "alice-pw-1");
            bob.signUp("bob", "bob-pw-1");
            carol.signUp("carol", "carol-pw-1");
            get(alice.client.groups().create("team", true));
            assertTrue(get(bob.client.groups().join("team")));
            assertTrue(get(carol.client.groups().join("team")));
            Path sent = file("plan.pdf", SIZE);
            FileTransfer up = get(alice.client.sendFile(Conversation.parse("#team"), sent, TransferListener.NONE));
            done(up);
            for (Device d : List.of(bob, carol)) {
                var offered = d.await(ChatEvent.FileOffered.class);
                assertEquals(up.fileId(), offered.entry().fileId());
                assertTrue(offered.entry().isGroup());
                assertEquals("#team", offered.entry().to());
                assertSameBytes(sent, done(get(d.client.download(up.fileId(), dir.resolve(d.label), TransferListener.NONE))));
            }
        }
    }

    @Test
    void anUploadCutAtARandomByteGoesOnFromWhereTheServerStands() throws Exception {
        try (var two = friends(TestServer.settings().data(Files.createDirectories(dir.resolve("server"))))) {
            Device alice = two.alice;
            Device bob = two.bob;
            Path sent = file("data.bin", SIZE);
            long cut = 1 + random.nextInt(SIZE - 1);
            alice.client.cutNextTransferAt(cut);
            var heard = new Heard();
            FileTransfer up = get(alice.client.sendFile(Conversation.parse("bob"), sent, heard));
            done(up);
            assertEquals(-1, alice.client.pendingCut(), "the upload was cut at " + cut);
            bob.await(ChatEvent.FileStateChanged.class, s -> s.state() == FileStatus.READY, "ready");
            assertSameBytes(sent, done(get(bob.client.download(up.fileId(), dir.resolve("inbox"), TransferListener.NONE))));
        }
    }

    @Test
    void anUploadCutWhenItsClientQuitsGoesOnAtTheNextStart() throws Exception {
        try (var server = server(dir.resolve("server"));
                var bob = new Device("bob", server.port(), dir.resolve("bob"))) {
            bob.signUp("bob", "bob-pw-1");
            Path sent = file("thesis.pdf", SIZE);
            long cut = 1 + random.nextInt(SIZE - 1);
            long fileId;
            try (var alice = new Device("alice", server.port(), dir.resolve("alice"))) {
                alice.signUp("alice", "alice-pw-1");
                befriend(alice, bob);
                alice.client.cutNextTransferAt(cut);
                var quit = new java.util.concurrent.atomic.AtomicBoolean();
                // Device's events run on the transfer's own thread: the client quits right there, at the cut
                TransferListener quitter = (bytes, total, rate) -> {
                    if (bytes == cut && quit.compareAndSet(false, true)) {
                        alice.client.close();
                    }
                };
                FileTransfer up = get(alice.client.sendFile(Conversation.parse("bob"), sent, quitter));
                fileId = up.fileId();
                var stopped = assertInstanceOf(TransferException.class, failure(up));
                assertEquals(TransferException.Reason.CANCELLED, stopped.reason());
            }
            bob.await(ChatEvent.FileOffered.class);
            assertEquals(FileStatus.UPLOADING, get(bob.client.files()).get(0).state());
            try (var again = new Device("alice again", server.port(), dir.resolve("alice"))) {
                get(again.client.resume());
                bob.await(ChatEvent.FileStateChanged.class, s -> s.state() == FileStatus.READY, "ready");
            }
            assertSameBytes(sent, done(get(bob.client.download(fileId, dir.resolve("inbox"), TransferListener.NONE))));
        }
    }

    @Test
    void aDownloadGoesOnFromItsPartAfterACutAndFromAPartLeftBefore() throws Exception {
        try (var two = friends(TestServer.settings().data(Files.createDirectories(dir.resolve("server"))))) {
            Device alice = two.alice;
            Device bob = two.bob;
            Path sent = file("movie.mkv", SIZE);
            FileTransfer up = get(alice.client.sendFile(Conversation.parse("bob"), sent, TransferListener.NONE));
            done(up);

            long cut = 1 + random.nextInt(SIZE - 1);
            bob.client.cutNextTransferAt(cut);
            Path first = dir.resolve("first");
            assertSameBytes(sent, done(get(bob.client.download(up.fileId(), first, TransferListener.NONE))));
            assertEquals(-1, bob.client.pendingCut(), "the download was cut at " + cut);

            // a part from an earlier run: only the rest is fetched
            Path second = Files.createDirectories(dir.resolve("second"));
            int kept = 1 + random.nextInt(SIZE - 1);
            Files.write(second.resolve("movie.mkv." + up.fileId() + ".part"),
                    java.util.Arrays.copyOf(Files.readAllBytes(sent), kept));
            var heard = new Heard();
            assertSameBytes(sent, done(get(bob.client.download(up.fileId(), second, heard))));
            assertEquals(kept, heard.calls.get(0)[0], "the first report is where the part stood");
            assertFalse(Files.exists(second.resolve("movie.mkv." + up.fileId() + ".part")));
        }
    }

    @Test
    void twoFilesOfOneNameSavedToOneFolderKeepTheirOwnParts() throws Exception {
        try (var two = friends(TestServer.settings().data(Files.createDirectories(dir.resolve("server"))))) {
            Device alice = two.alice;
            Device bob = two.bob;
            Path second = Files.move(file("image.png", SIZE),
                    Files.createDirectories(dir.resolve("later")).resolve("image.png"));
            Path first = file("image.png", SIZE);
            FileTransfer one = get(alice.client.sendFile(Conversation.parse("bob"), first, TransferListener.NONE));
            done(one);
            FileTransfer other = get(alice.client.sendFile(Conversation.parse("bob"), second, TransferListener.NONE));
            done(other);

            // both at once into one folder: each writes its own part
            Path inbox = dir.resolve("inbox");
            FileTransfer a = get(bob.client.download(one.fileId(), inbox, TransferListener.NONE));
            FileTransfer b = get(bob.client.download(other.fileId(), inbox, TransferListener.NONE));
            assertSameBytes(first, done(a));
            assertSameBytes(second, done(b));
            assertEquals(java.util.Set.of(inbox.resolve("image.png"), inbox.resolve("image (1).png")),
                    java.util.Set.of(done(a), done(b)));

            // a part the first left behind is not "resumed" by the second, and is still there for the first
            Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
            Path left = Files.write(elsewhere.resolve("image.png." + one.fileId() + ".part"),
                    java.util.Arrays.copyOf(Files.readAllBytes(first), 1 + random.nextInt(SIZE - 1)));
            assertSameBytes(second, done(get(bob.client.download(other.fileId(), elsewhere, TransferListener.NONE))));
            assertTrue(Files.exists(left), "the other file's part is left alone");
            assertSameBytes(first, done(get(bob.client.download(one.fileId(), elsewhere, TransferListener.NONE))));
            assertFalse(Files.exists(left));
        }
    }

    @Test
    void aDownloadCutAgainAndAgainAtOneByteFailsWithAReason() throws Exception {
        Path data = dir.resolve("server");
        try (var two = friends(TestServer.settings().data(Files.createDirectories(data)))) {
            Path sent = file("gone.iso", SIZE);
            FileTransfer up = get(two.alice.client.sendFile(Conversation.parse("bob"), sent, TransferListener.NONE));
            done(up);
            try (Stream<Path> all = Files.walk(data.resolve("files").resolve("blobs"))) {
                for (Path blob : all.filter(Files::isRegularFile).toList()) {
                    Files.delete(blob); // the server answers DOWNLOAD:true, then cannot read a byte
                }
            }
            Throwable why = failure(get(two.bob.client.download(up.fileId(), dir.resolve("inbox"), TransferListener.NONE)));
            var t = assertInstanceOf(TransferException.class, why);
            assertEquals(TransferException.Reason.STALLED, t.reason(), t.getMessage());
            assertTrue(t.getMessage().contains(Transfers.MAX_CUTS_AT_ONE_OFFSET + " times at byte 0"), t.getMessage());
        }
    }

    @Test
    void aLogoutStopsTransfersAndTheNextAccountInheritsNone() throws Exception {
        try (var two = friends(TestServer.settings().data(Files.createDirectories(dir.resolve("server"))))) {
            Device alice = two.alice;
            Device bob = two.bob;
            Path sent = file("diary.txt", 4 * SIZE);
            var once = new java.util.concurrent.atomic.AtomicBoolean();
            // Device's events run on the transfer's own thread: the logout happens before the first byte goes
            TransferListener loggingOut = (bytes, total, rate) -> {
                if (once.compareAndSet(false, true)) {
                    get(alice.client.logout());
                }
            };
            FileTransfer up = get(alice.client.sendFile(Conversation.parse("bob"), sent, loggingOut));
            var stopped = assertInstanceOf(TransferException.class, failure(up));
            assertEquals(TransferException.Reason.CANCELLED, stopped.reason());
            var offer = bob.await(ChatEvent.FileOffered.class);
            FileInfo held = get(bob.client.files()).get(0);
            assertEquals(FileStatus.UPLOADING, held.state(), "no byte went after the logout");
            assertTrue(held.received() < held.size(), held.toString());

            // another account on the same client: nothing of alice's runs as carol
            alice.signUp("carol", "carol-pw-1");
            assertEquals(List.of(), get(alice.client.files()), "carol asked nothing of alice's file");
            get(alice.client.logout());

            // alice again: her upload was kept for her and goes on
            get(alice.client.login("alice", "alice-pw-1"));
            bob.await(ChatEvent.FileStateChanged.class, s -> s.state() == FileStatus.READY, "ready");
            assertSameBytes(sent, done(get(bob.client.download(offer.entry().fileId(), dir.resolve("inbox"),
                    TransferListener.NONE))));
        }
    }

    @Test
    void aCorruptedBlobOnTheServerIsCaughtByTheReceiversHash() throws Exception {
        Path data = dir.resolve("server");
        try (var two = friends(TestServer.settings().data(Files.createDirectories(data)))) {
            Device alice = two.alice;
            Device bob = two.bob;
            Path sent = file("contract.pdf", SIZE);
            FileTransfer up = get(alice.client.sendFile(Conversation.parse("bob"), sent, TransferListener.NONE));
            done(up);
            Path blob;
            try (Stream<Path> all = Files.walk(data.resolve("files").resolve("blobs"))) {
                blob = all.filter(Files::isRegularFile).findFirst().orElseThrow();
            }
            byte[] bytes = Files.readAllBytes(blob);
            int at = random.nextInt(bytes.length);
            bytes[at] ^= 0x01;
            Files.write(blob, bytes);

            Path inbox = dir.resolve("inbox");
            Throwable why = failure(get(bob.client.download(up.fileId(), inbox, TransferListener.NONE)));
            var t = assertInstanceOf(TransferException.class, why);
            assertEquals(TransferException.Reason.HASH_MISMATCH, t.reason(), t.getMessage());
            try (Stream<Path> left = Files.list(inbox)) {
                assertEquals(List.of(), left.toList(), "neither the file nor its part is kept");
            }
        }
    }

    @Test
    void anOversizedFileAndOneOverTheQuotaAreRefusedBeforeAnyByte() throws Exception {
        var settings = TestServer.settings().data(Files.createDirectories(dir.resolve("server")))
                .fileMaxSize(SIZE).fileQuota(SIZE + SIZE / 2);
        try (var two = friends(settings)) {
            Device alice = two.alice;
            Device bob = two.bob;
            Path big = file("big.iso", SIZE + 1);
            var tooLarge = assertInstanceOf(RefusedException.class,
                    refusal(alice.client.sendFile(Conversation.parse("bob"), big, TransferListener.NONE)));
            assertEquals(ErrorCode.TOO_LARGE, tooLarge.code());

            done(get(alice.client.sendFile(Conversation.parse("bob"), file("one.bin", SIZE), TransferListener.NONE)));
            var overQuota = assertInstanceOf(RefusedException.class,
                    refusal(alice.client.sendFile(Conversation.parse("bob"), file("two.bin", SIZE), TransferListener.NONE)));
            assertEquals(ErrorCode.OVER_QUOTA, overQuota.code());
            assertEquals(1, get(bob.client.files()).size(), "bob was offered the one that fit only");
        }
    }

    @Test
    void friendsOnOneMachineSendDirectlyTheArticlesWay() throws Exception {
        try (var two = friends(TestServer.settings().data(Files.createDirectories(dir.resolve("server"))))) {
            Device alice = two.alice;
            Device bob = two.bob;
            Path sent = file("song.flac", SIZE);
            FileTransfer up = get(alice.client.sendDirect("bob", sent));
            assertTrue(up.isDirect(), "both on loopback: direct");
            var offer = bob.await(ChatEvent.PeerFileOffered.class);
            assertEquals("alice", offer.from());
            assertEquals("song.flac", offer.fileName());
            assertEquals(SIZE, offer.size());
            var heard = new Heard();
            FileTransfer down = get(bob.client.acceptDirect(offer, dir.resolve("inbox"), heard));
            assertTrue(down.isDirect());
            assertSameBytes(sent, done(down));
            assertEquals(sent.toAbsolutePath(), done(up));
            assertEquals(List.of(), get(bob.client.files()), "the server kept nothing");
        }
    }

    @Test
    void aFriendWhoDoesNotFetchDirectlyGetsTheFileThroughTheServer() throws Exception {
        var settings = TestServer.settings().data(Files.createDirectories(dir.resolve("server")));
        try (var two = new Two(settings, Device.FAST.withDirectFallback(java.time.Duration.ofMillis(300)))) {
            Device alice = two.alice;
            Device bob = two.bob;
            Path sent = file("song.flac", SIZE);
            var heard = new Heard();
            FileTransfer up = get(alice.client.sendDirect("bob", sent, heard));
            assertTrue(up.isDirect(), "both on loopback: direct first");
            assertEquals(0, up.fileId(), "a direct send has no file on the server");
            var ignored = bob.await(ChatEvent.PeerFileOffered.class); // and bob's client does nothing with it

            var fellBack = alice.await(ChatEvent.DirectFellBack.class);
            assertEquals("bob", fellBack.friend());
            assertSame(up, fellBack.transfer(), "the send's own transfer goes on through the server");
            assertFalse(up.isDirect());
            assertTrue(up.fileId() > 0 && up.messageId() > 0, up.toString());
            assertEquals(sent.toAbsolutePath(), done(up), "done once the server has every byte");
            Await.until(() -> heard.last() == SIZE, "the sender's listener hears the upload's last byte");

            var offered = bob.await(ChatEvent.FileOffered.class);
            assertEquals(up.fileId(), offered.entry().fileId(), "bob is offered it through the server");
            assertEquals("song.flac", offered.entry().name());
            Path saved = done(get(bob.client.download(offered.entry().fileId(), dir.resolve("inbox"), TransferListener.NONE)));
            assertSameBytes(sent, saved);

            // The direct offer is over: alice's client stopped listening when it fell back.
            FileTransfer late = get(bob.client.acceptDirect(ignored, dir.resolve("late"), TransferListener.NONE));
            var why = assertInstanceOf(TransferException.class, failure(late));
            assertEquals(TransferException.Reason.PEER, why.reason());
        }
    }

    @Test
    void directIsForOneNetworkOnly() throws Exception {
        var loopback = java.net.InetAddress.getByName("127.0.0.1");
        var lan = java.net.InetAddress.getByName("192.168.1.20");
        assertTrue(Direct.sameNetwork(loopback, java.net.InetAddress.getByName("127.0.0.1")));
        assertTrue(Direct.sameNetwork(lan, java.net.InetAddress.getByName("192.168.1.77")));
        assertFalse(Direct.sameNetwork(lan, java.net.InetAddress.getByName("192.168.2.20")));
        assertFalse(Direct.sameNetwork(lan, loopback));
        assertFalse(Direct.sameNetwork(lan, java.net.InetAddress.getByName("203.0.113.9")));
    }
}
