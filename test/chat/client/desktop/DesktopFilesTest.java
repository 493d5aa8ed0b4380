package chat.client.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.client.ChatClient;
import chat.client.FileTransfer;
import chat.client.desktop.model.ChatMessage;
import chat.client.desktop.model.FileStatus;
import chat.server.TestServer;
import java.awt.Color;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.datatransfer.DataFlavor;
import java.awt.datatransfer.Transferable;
import java.awt.event.MouseEvent;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import javax.swing.JButton;
import javax.swing.TransferHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files between two desktop apps on the real library and a real server: alice drops a file and an
 * image on her conversation with bob (the drop the file manager makes, through the
 * conversation's TransferHandler); both bubbles fill their bars; bob sees the offers, presses
 * Save in each bubble, and the saved bytes are alice's; the image shows its thumbnail on both
 * sides, made from the file on each one's disk.
 */
class DesktopFilesTest {

    @TempDir
    Path dir;

    private TestServer server;
    private App alice;
    private App bob;

    @BeforeEach
    void setUp() throws Exception {
        server = DesktopFlowTest.startServer(dir);
    }

    @AfterEach
    void tearDown() throws Exception {
        DesktopFlowTest.stopAll(server, alice, bob);
    }

    @Test
    void aFileDroppedOnTheConversationIsSavedByTheFriendAndAnImageShowsItsThumbnail() throws Exception {
        Path bobDownloads = bobSavesTo("bob-downloads");
        alice = DesktopFlowTest.startApp(dir.resolve("alice"));
        bob = DesktopFlowTest.startApp(dir.resolve("bob"));
        DesktopFlowTest.signUp(alice, "alice", server.port());
        DesktopFlowTest.signUp(bob, "bob", server.port());
        Gui.onEdt(() -> alice.model().service().requestFriend("bob")).get(20, TimeUnit.SECONDS);
        Gui.await("the request at bob's", () -> bob.model().requests().size() == 1);
        Gui.onEdt(() -> bob.model().service().answerFriend("alice", true)).get(20, TimeUnit.SECONDS);
        Gui.await("bob in alice's list", () -> DesktopFlowTest.row(alice, "bob") != null);

        // Two files on alice's disk: bytes that are not text (a Chinese name), and a picture.
        Path outbox = Files.createDirectories(dir.resolve("alice-files"));
        byte[] bytes = new byte[3 * 1024 * 1024 + 17];
        new Random(11).nextBytes(bytes);
        Path report = Files.write(outbox.resolve("报告 2024.bin"), bytes);
        Path picture = outbox.resolve("sunset.png");
        BufferedImage red = new BufferedImage(640, 400, BufferedImage.TYPE_INT_RGB);
        var g = red.createGraphics();
        g.setColor(new Color(0xD03020));
        g.fillRect(0, 0, 640, 400);
        g.dispose();
        ImageIO.write(red, "png", picture.toFile());

        ConversationPanel aliceView = DesktopFlowTest.open(alice, "bob");
        assertTrue(Gui.onEdt(() -> Gui.find(aliceView, "conv.attach", JButton.class).isShowing()),
                "the send-a-file button is in the composer");
        boolean taken = Gui.onEdt(() -> aliceView.list.getTransferHandler().importData(
                new TransferHandler.TransferSupport(aliceView.list, fileList(report, picture))));
        assertTrue(taken, "the conversation takes a dropped file list");

        // alice's side: both bubbles, uploaded, their bars full; the picture's thumbnail from her file.
        Gui.await("both offers stored on alice's side", () -> files(aliceView).size() == 2
                && files(aliceView).stream().allMatch(m -> m.delivery() == ChatMessage.Delivery.STORED));
        List<ChatMessage> sent = Gui.onEdt(() -> files(aliceView));
        assertEquals(List.of("报告 2024.bin", "sunset.png"), sent.stream().map(ChatMessage::text).toList());
        long reportId = sent.get(0).file().fileId();
        long pictureId = sent.get(1).file().fileId();
        assertEquals(bytes.length, sent.get(0).file().size());
        for (long id : new long[] {reportId, pictureId}) {
            Gui.await("file " + id + " uploaded", () -> alice.model().fileStatus(id).state() == FileStatus.State.READY
                    && alice.model().fileStatus(id).transfer() == FileStatus.Transfer.DONE);
            assertEquals(1.0, Gui.onEdt(() -> bubble(aliceView, id).barFraction()), "alice's bar reaches 100%");
        }
        assertEquals("Uploaded", Gui.onEdt(() -> bubble(aliceView, reportId).status()));
        Gui.await("the thumbnail of alice's picture", () -> !bubble(aliceView, pictureId).thumbnail().isEmpty());
        assertThumbnailIsRed(aliceView, pictureId);

        // bob's side: the offers, ready; Save in each bubble, pressed with the mouse.
        ConversationPanel bobView = DesktopFlowTest.open(bob, "alice");
        Gui.await("both offers in bob's window", () -> files(bobView).size() == 2);
        assertEquals(List.of("报告 2024.bin", "sunset.png"), Gui.onEdt(() -> files(bobView)).stream()
                .map(ChatMessage::text).toList(), "in the order they were dropped, as on alice's side");
        for (long id : new long[] {reportId, pictureId}) {
            Gui.await("Save on file " + id, () -> bubble(bobView, id).button(FileBubble.Action.SAVE) != null);
            click(bobView, id, FileBubble.Action.SAVE);
        }
        for (long id : new long[] {reportId, pictureId}) {
            Gui.await("file " + id + " saved", () -> bob.model().fileStatus(id).transfer() == FileStatus.Transfer.DONE);
            assertEquals(1.0, Gui.onEdt(() -> bubble(bobView, id).barFraction()), "bob's bar reaches 100%");
            assertNotNull(Gui.onEdt(() -> bubble(bobView, id).button(FileBubble.Action.OPEN_FOLDER)),
                    "a saved file's bubble offers Open folder");
        }
        assertEquals("Saved in bob-downloads", Gui.onEdt(() -> bubble(bobView, reportId).status()));
        Path savedReport = Gui.onEdt(() -> bob.model().fileStatus(reportId).path());
        Path savedPicture = Gui.onEdt(() -> bob.model().fileStatus(pictureId).path());
        assertEquals(bobDownloads.resolve("报告 2024.bin"), savedReport);
        assertEquals(-1, Files.mismatch(report, savedReport), "the saved bytes are alice's");
        assertEquals(-1, Files.mismatch(picture, savedPicture));
        Gui.await("the thumbnail of the saved picture", () -> !bubble(bobView, pictureId).thumbnail().isEmpty());
        assertThumbnailIsRed(bobView, pictureId);
        assertTrue(Gui.onEdt(() -> bubble(bobView, reportId).thumbnail().isEmpty()), "no thumbnail for a .bin");
    }

    /**
     * The article's way into the desktop app: alice's library client sends a file directly (both
     * on loopback) while bob has never opened their conversation; his row shows the offer, and
     * opening it shows the bubble (kept in the model: the local store has no direct offers). Save
     * fetches it from alice's client, the bar fills, Open folder shows, the bytes are alice's, and
     * the server carried none of it.
     */
    @Test
    void aFriendsDirectOfferShowsAsABubbleThatSavesFromTheirClient() throws Exception {
        Path bobDownloads = bobSavesTo("bob-downloads");
        bob = DesktopFlowTest.startApp(dir.resolve("bob"));
        DesktopFlowTest.signUp(bob, "bob", server.port());
        try (ChatClient lib = ChatClient.create(new ChatClient.Config("127.0.0.1", server.port(), dir.resolve("alice"),
                "test/1.2", "test", DesktopFlowTest.FAST), Runnable::run, e -> { })) {
            lib.connect().get(20, TimeUnit.SECONDS);
            lib.register("alice", "alice-pw-1").get(20, TimeUnit.SECONDS);
            lib.login("alice", "alice-pw-1").get(20, TimeUnit.SECONDS);
            lib.friends().add("bob").get(20, TimeUnit.SECONDS);
            Gui.await("alice's request at bob's", () -> bob.model().requests().size() == 1);
            Gui.onEdt(() -> bob.model().service().answerFriend("alice", true)).get(20, TimeUnit.SECONDS);
            Gui.await("alice in bob's list", () -> DesktopFlowTest.row(bob, "alice") != null);

            byte[] bytes = new byte[2 * 1024 * 1024 + 5];
            new Random(7).nextBytes(bytes);
            Path song = Files.write(Files.createDirectories(dir.resolve("alice-files")).resolve("歌 song.flac"), bytes);
            FileTransfer up = lib.sendDirect("bob", song).get(20, TimeUnit.SECONDS);
            assertTrue(up.isDirect(), "both on loopback: direct");

            Gui.await("the offer in bob's row", () -> "歌 song.flac".equals(DesktopFlowTest.row(bob, "alice").preview())
                    && DesktopFlowTest.row(bob, "alice").unread() == 1);
            ConversationPanel bobView = DesktopFlowTest.open(bob, "alice");
            Gui.await("the direct offer's bubble, after the conversation opened", () -> files(bobView).size() == 1);
            ChatMessage offer = files(bobView).get(0);
            long id = offer.file().fileId();
            assertTrue(id < 0, "a direct offer has no server id: " + offer);
            assertEquals(bytes.length, offer.file().size());
            assertEquals("alice", offer.from());
            assertEquals("Straight from alice’s computer, on your network", Gui.onEdt(() -> bubble(bobView, id).status()));

            Gui.await("Save on the direct offer", () -> bubble(bobView, id).button(FileBubble.Action.SAVE) != null);
            click(bobView, id, FileBubble.Action.SAVE);
            Gui.await("the direct offer saved", () -> bob.model().fileStatus(id).transfer() == FileStatus.Transfer.DONE);
            assertEquals(1.0, Gui.onEdt(() -> bubble(bobView, id).barFraction()), "the bar reaches 100%");
            assertNotNull(Gui.onEdt(() -> bubble(bobView, id).button(FileBubble.Action.OPEN_FOLDER)));
            Path saved = Gui.onEdt(() -> bob.model().fileStatus(id).path());
            assertEquals(bobDownloads.resolve("歌 song.flac"), saved);
            assertEquals(-1, Files.mismatch(song, saved), "the saved bytes are alice's");
            assertEquals(song.toAbsolutePath(), up.done().get(20, TimeUnit.SECONDS), "alice's send is done");
            assertTrue(up.isDirect(), "it stayed direct");
            assertEquals(List.of(), lib.files().get(20, TimeUnit.SECONDS), "the server kept nothing");
        }
    }

    /** Sets bob's downloads folder (where Save puts files) to {@code dir/folder}, before his app starts. */
    private Path bobSavesTo(String folder) throws Exception {
        Path downloads = dir.resolve(folder);
        Settings bobSettings = new Settings(dir.resolve("bob"));
        bobSettings.put(Settings.DOWNLOADS, downloads.toString());
        bobSettings.save();
        return downloads;
    }

    /** The file messages the conversation shows, oldest first. */
    private static List<ChatMessage> files(ConversationPanel conv) {
        return Gui.onEdt(() -> {
            List<ChatMessage> out = new java.util.ArrayList<>();
            for (int i = 0; i < conv.list.getModel().getSize(); i++) {
                if (conv.list.getModel().getElementAt(i) instanceof Row.Msg m && m.message().isFile()) {
                    out.add(m.message());
                }
            }
            return out;
        });
    }

    /** The bubble of file {@code fileId} as the list renders it now (call on the EDT). */
    private static FileBubble bubble(ConversationPanel conv, long fileId) {
        int row = conv.rowOfFile(fileId);
        assertTrue(row >= 0, "file " + fileId + " is shown");
        return conv.fileBubble(row);
    }

    /** Clicks the bubble's button as the user does: a mouse click on the list where it is painted. */
    static void click(ConversationPanel conv, long fileId, FileBubble.Action action) {
        Gui.run(() -> {
            int row = conv.rowOfFile(fileId);
            conv.list.ensureIndexIsVisible(row);
            Rectangle button = conv.fileBubble(row).button(action);
            Point origin = conv.cellOrigin(row);
            conv.list.dispatchEvent(new MouseEvent(conv.list, MouseEvent.MOUSE_CLICKED, System.currentTimeMillis(), 0,
                    origin.x + (int) button.getCenterX(), origin.y + (int) button.getCenterY(), 1, false,
                    MouseEvent.BUTTON1));
        });
    }

    /** The middle of the painted thumbnail is the picture's red. */
    private static void assertThumbnailIsRed(ConversationPanel conv, long fileId) {
        int rgb = Gui.onEdt(() -> {
            int row = conv.rowOfFile(fileId);
            Rectangle thumb = bubble(conv, fileId).thumbnail();
            return conv.paintRow(row).getRGB((int) thumb.getCenterX(), (int) thumb.getCenterY());
        });
        Color c = new Color(rgb);
        assertTrue(Math.abs(c.getRed() - 0xD0) < 8 && Math.abs(c.getGreen() - 0x30) < 8 && Math.abs(c.getBlue() - 0x20) < 8,
                "the thumbnail shows the picture: " + c);
    }

    /** What a file manager's drag carries: the JDK's file list. */
    static Transferable fileList(Path... files) {
        List<File> list = java.util.Arrays.stream(files).map(Path::toFile).toList();
        return new Transferable() {
            @Override
            public DataFlavor[] getTransferDataFlavors() {
                return new DataFlavor[] {DataFlavor.javaFileListFlavor};
            }

            @Override
            public boolean isDataFlavorSupported(DataFlavor flavor) {
                return DataFlavor.javaFileListFlavor.equals(flavor);
            }

            @Override
            public Object getTransferData(DataFlavor flavor) {
                return list;
            }
        };
    }
}
