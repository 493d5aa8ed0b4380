package chat.client.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.client.desktop.model.ChatEvent;
import chat.client.desktop.model.ChatMessage;
import chat.client.desktop.model.ChatModel;
import chat.client.desktop.model.ChatService.Server;
import chat.client.desktop.model.Conversation;
import chat.client.desktop.model.FileStatus;
import java.awt.Rectangle;
import java.awt.event.KeyEvent;
import java.awt.event.MouseEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The main window and the conversation view on the in-memory service: what the user does and sees. */
class ConversationViewTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private static final long HOUR = 3_600_000;

    private final DemoService demo = new DemoService();
    private ChatModel model;
    private MainWindow window;

    @BeforeEach
    void open() {
        Gui.requireDisplay();
        Times.fix(Clock.fixed(NOW, ZoneOffset.UTC));
        long now = NOW.toEpochMilli();
        demo.contacts.put("bob", Conversation.friend("bob", "Bobby", true, 0, "m120", now - HOUR));
        demo.contacts.put("carol", Conversation.friend("carol", "", false, 0, "", 0));
        List<ChatMessage> bob = new ArrayList<>();
        // 120 messages, one every half hour until an hour ago (from late on the 23rd), alternating senders.
        for (int i = 1; i <= 120; i++) {
            long t = now - (120 - i) * (HOUR / 2) - HOUR;
            bob.add(new ChatMessage(i, "", t, i % 2 == 0 ? "me" : "bob", "m" + i, ChatMessage.Delivery.STORED));
        }
        demo.history.put("bob", bob);
        window = Gui.onEdt(() -> {
            Text.use(Locale.ENGLISH);
            Theme.LIGHT.install();
            model = new ChatModel(demo, App.EDT);
            demo.login(new Server("localhost", 1), "me", "x");
            model.signedIn("me");
            MainWindow w = new MainWindow(model, new MainWindow.Shell() {
                @Override public void switchTheme(Theme theme) {}
                @Override public void switchLanguage(Locale locale) {}
                @Override public void signOut() {}
            });
            w.setVisible(true);
            return w;
        });
        Gui.await("the conversation list", () -> window.items.size() == 2);
    }

    @AfterEach
    void close() {
        Gui.disposeAll();
        Times.fix(Clock.systemDefaultZone());
    }

    private ConversationPanel openConversation(String key) {
        Gui.run(() -> {
            for (int i = 0; i < window.items.size(); i++) {
                if (window.items.get(i).key().equals(key)) {
                    window.list.setSelectedIndex(i);
                }
            }
            window.list.getActionMap().get("open").actionPerformed(null);
        });
        return Gui.onEdt(window::openConversation);
    }

    private static void press(ConversationPanel conv, int modifiers) {
        Gui.run(() -> conv.input.dispatchEvent(new KeyEvent(conv.input, KeyEvent.KEY_PRESSED,
                System.currentTimeMillis(), modifiers, KeyEvent.VK_ENTER, '\n')));
    }

    private static List<Row> rows(ConversationPanel conv) {
        return Gui.onEdt(() -> {
            List<Row> out = new ArrayList<>();
            for (int i = 0; i < conv.list.getModel().getSize(); i++) {
                out.add(conv.list.getModel().getElementAt(i));
            }
            return out;
        });
    }

    private static List<ChatMessage> messages(ConversationPanel conv) {
        return rows(conv).stream().filter(r -> r instanceof Row.Msg).map(r -> ((Row.Msg) r).message()).toList();
    }

    @Test
    void theListIsNewestFirstWithAliases() {
        assertEquals("Bobby", Gui.onEdt(() -> window.items.get(0).title()));
        assertEquals("carol", Gui.onEdt(() -> window.items.get(1).title()), "no message yet: last");
        demo.receive("carol", "carol", "hi there", NOW.toEpochMilli());
        Gui.await("carol moves to the top", () -> window.items.get(0).key().equals("carol"));
        assertEquals(1, Gui.onEdt(() -> window.items.get(0).unread()));
        assertEquals("(1) Chat", Gui.onEdt(window::getTitle), "the unread count is in the title");
    }

    @Test
    void enterSendsAndShiftEnterAddsALine() {
        ConversationPanel conv = openConversation("bob");
        Gui.run(() -> conv.input.setText("line one"));
        press(conv, KeyEvent.SHIFT_DOWN_MASK);
        assertEquals("line one\n", Gui.onEdt(conv.input::getText));
        assertFalse(demo.calls.stream().anyMatch(c -> c.startsWith("send")), "Shift+Enter sends nothing");
        Gui.run(() -> conv.input.append("line two"));
        press(conv, 0);
        assertTrue(demo.calls.contains("send bob line one\nline two"), demo.calls::toString);
        assertEquals("", Gui.onEdt(conv.input::getText));
        Gui.await("my message at the bottom, stored", () -> {
            List<ChatMessage> m = messages(conv);
            ChatMessage last = m.get(m.size() - 1);
            return last.text().equals("line one\nline two") && last.delivery() == ChatMessage.Delivery.STORED;
        });

        Gui.run(() -> conv.input.setText("   "));
        press(conv, 0);
        assertEquals(1, demo.calls.stream().filter(c -> c.startsWith("send")).count(), "blanks are not sent");
    }

    @Test
    void aFailedMessageSaysSoAndAClickSendsItAgain() {
        ConversationPanel conv = openConversation("bob");
        demo.failSends = true;
        Gui.run(() -> conv.input.setText("oops"));
        press(conv, 0);
        Gui.await("the message marked failed", () -> last(conv).delivery() == ChatMessage.Delivery.FAILED);

        demo.failSends = false;
        assertEquals(List.of("Copy text", "Send again"), Gui.onEdt(() -> {
            List<String> items = new ArrayList<>();
            for (java.awt.Component c : conv.menuFor(new Row.Msg(last(conv), true, true)).getComponents()) {
                items.add(((javax.swing.JMenuItem) c).getText());
            }
            return items;
        }), "a failed message's menu");
        Gui.run(() -> {
            int i = conv.list.getModel().getSize() - 1;
            conv.list.ensureIndexIsVisible(i);
            Rectangle r = conv.list.getCellBounds(i, i);
            // My bubble is on the right: click a little inside its right end.
            conv.list.dispatchEvent(new MouseEvent(conv.list, MouseEvent.MOUSE_CLICKED, System.currentTimeMillis(), 0,
                    r.x + r.width - 40, r.y + r.height / 2, 1, false, MouseEvent.BUTTON1));
        });
        Gui.await("stored after the retry", () -> last(conv).delivery() == ChatMessage.Delivery.STORED);
        assertEquals(1, Gui.onEdt(() -> conv.menuFor(new Row.Msg(last(conv), true, true)).getComponentCount()),
                "a stored message's menu has Copy only");
        assertEquals(2, demo.calls.stream().filter(c -> c.equals("send bob oops")).count());
        assertEquals(1, messages(conv).stream().filter(m -> m.text().equals("oops")).count(), "shown once");
    }

    private static ChatMessage last(ConversationPanel conv) {
        List<ChatMessage> m = messages(conv);
        return m.get(m.size() - 1);
    }

    @Test
    void olderPagesLoadWhenScrolledToTheTopWithDaySeparators() {
        ConversationPanel conv = openConversation("bob");
        Gui.await("the newest page", () -> messages(conv).size() == ChatModel.PAGE);
        assertEquals("m120", last(conv).text(), "newest at the bottom");
        Gui.await("scrolled to the bottom", () -> {
            var bar = conv.list.getParent().getParent().getParent() instanceof javax.swing.JScrollPane s
                    ? s.getVerticalScrollBar() : null;
            return bar != null && bar.getValue() + bar.getVisibleAmount() >= bar.getMaximum() - 2;
        });
        for (int expected : new int[] {100, 120}) {
            Gui.run(() -> ((javax.swing.JScrollPane) conv.list.getParent().getParent().getParent())
                    .getVerticalScrollBar().setValue(0));
            Gui.await(expected + " messages after scrolling up", () -> messages(conv).size() == expected);
        }
        List<Row> rows = rows(conv);
        assertTrue(rows.get(0) instanceof Row.Start, "the beginning is marked once everything is loaded");
        List<Long> ids = messages(conv).stream().map(ChatMessage::id).toList();
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(ids.get(i - 1) < ids.get(i), "in order, no duplicates");
        }
        long days = rows.stream().filter(r -> r instanceof Row.Day).count();
        assertEquals(4, days, "one separator per day: the 23rd to the 26th");
        Row.Day first = (Row.Day) rows.stream().filter(r -> r instanceof Row.Day).findFirst().orElseThrow();
        assertEquals(NOW.atZone(ZoneOffset.UTC).toLocalDate().minusDays(3), first.day());
    }

    @Test
    void openingAConversationReadsItAndSearchFilters() {
        demo.receive("carol", "carol", "are you there?", NOW.toEpochMilli());
        Gui.await("unread", () -> model.conversation("carol").unread() == 1);
        openConversation("carol");
        Gui.await("read", () -> model.conversation("carol").unread() == 0);
        assertTrue(demo.calls.contains("read carol"));
        assertEquals("Chat", Gui.onEdt(window::getTitle));

        Gui.run(() -> window.search.setText("bob"));
        assertEquals(List.of("bob"), Gui.onEdt(() -> List.of(window.items.get(0).key())));
        assertEquals(1, Gui.onEdt(window.items::size), "by alias or name");
    }

    @Test
    void aMessageDeliveredTwiceIsShownOnce() {
        ConversationPanel conv = openConversation("bob");
        Gui.await("the newest page", () -> messages(conv).size() == ChatModel.PAGE);
        ChatMessage again = new ChatMessage(120, "", NOW.toEpochMilli(), "bob", "m120", ChatMessage.Delivery.STORED);
        demo.emit(new ChatEvent.Message("bob", again));
        ChatMessage fresh = new ChatMessage(121, "", NOW.toEpochMilli(), "bob", "m121", ChatMessage.Delivery.STORED);
        demo.emit(new ChatEvent.Message("bob", fresh));
        Gui.await("the new one", () -> last(conv).id() == 121);
        assertEquals(1, messages(conv).stream().filter(m -> m.id() == 120).count());
    }

    @Test
    void linksEndBeforePunctuation() {
        Matcher m = MessageCell.LINK.matcher("看这里：https://example.org/a?b=1。然后 (http://x.org/y), done");
        assertTrue(m.find());
        assertEquals("https://example.org/a?b=1", m.group());
        assertTrue(m.find());
        assertEquals("http://x.org/y", m.group());
    }

    @Test
    void theConnectionStateIsAlwaysInView() {
        assertEquals("Online", Gui.onEdt(window.state::text));
        demo.emit(new ChatEvent.Connection(chat.client.desktop.model.ConnectionState.RECONNECTING, "connection lost"));
        Gui.await("reconnecting shown", () -> window.state.text().equals("Reconnecting…"));
        ConversationPanel conv = openConversation("bob");
        assertTrue(Gui.onEdt(() -> Gui.find(conv, "conv.offline", javax.swing.JLabel.class).isVisible()),
                "the conversation says typed messages will wait");
    }

    @Test
    void searchFindsMessagesAcrossConversationsAndOpensOne() {
        demo.receive("carol", "carol", "the m11 files are ready", NOW.toEpochMilli());
        Gui.run(() -> window.getRootPane().getActionMap().get("searchMessages").actionPerformed(null));
        Gui.await("the search dialog", () -> Gui.window("search.dialog") != null);
        java.awt.Container dialog = (java.awt.Container) Gui.window("search.dialog");
        javax.swing.JTextField query = Gui.find(dialog, "search.query", javax.swing.JTextField.class);
        Gui.run(() -> {
            query.setText("m11");
            query.postActionEvent();
        });
        @SuppressWarnings("unchecked")
        javax.swing.JList<chat.client.desktop.model.Found> results = Gui.find(dialog, "search.results", javax.swing.JList.class);
        // m11, m110..m119 with bob, and carol's message: newest first.
        Gui.await("the results", () -> results.getModel().getSize() == 12);
        assertEquals("carol", Gui.onEdt(() -> results.getModel().getElementAt(0).key()));
        Gui.run(() -> {
            results.setSelectedIndex(1);
            results.getActionMap().get("open").actionPerformed(null);
        });
        assertEquals("bob", Gui.onEdt(() -> window.openConversation().key));
    }

    @Test
    void altDownOpensTheNextConversation() {
        openConversation("bob");
        Gui.run(() -> window.getRootPane().getActionMap().get("next").actionPerformed(null));
        assertEquals("carol", Gui.onEdt(() -> window.openConversation().key));
        Gui.run(() -> window.getRootPane().getActionMap().get("previous").actionPerformed(null));
        assertEquals("bob", Gui.onEdt(() -> window.openConversation().key));
    }

    @Test
    void aConversationPopsOutIntoItsOwnWindow() {
        openConversation("bob");
        Gui.run(() -> window.popOut("bob"));
        Gui.await("bob's own window", () -> Gui.window("popout:bob") != null);
        assertEquals(null, Gui.onEdt(window::openConversation), "no longer on the right of the main window");
        java.awt.Container own = (java.awt.Container) Gui.window("popout:bob");
        ConversationPanel conv = Gui.find(own, "conv:bob", ConversationPanel.class);
        Gui.run(() -> conv.input.setText("from the popped-out window"));
        press(conv, 0);
        assertTrue(demo.calls.contains("send bob from the popped-out window"));
        Gui.run(() -> window.open("bob"));
        assertEquals(null, Gui.onEdt(window::openConversation), "opening it again brings its window forward");
    }

    @Test
    void fileBubblesSayTheirStateAndOfferWhatItAllows() {
        long t = NOW.toEpochMilli() - HOUR;
        long ready = demo.offer("carol", "carol", "slides.pdf", 2 * 1024 * 1024, FileStatus.State.READY, t).file().fileId();
        long uploading = demo.offer("carol", "carol", "video.mp4", 50_000_000, FileStatus.State.UPLOADING, t + 1)
                .file().fileId();
        long gone = demo.offer("carol", "carol", "old.zip", 10, FileStatus.State.EXPIRED, t + 2).file().fileId();
        ConversationPanel conv = openConversation("carol");
        Gui.await("the states from the file list", () -> model.fileStatus(gone).state() == FileStatus.State.EXPIRED
                && model.fileStatus(ready).state() == FileStatus.State.READY);
        assertEquals("", status(conv, ready));
        assertEquals("Waiting for carol to finish uploading…", status(conv, uploading));
        assertEquals("Expired: no longer on the server", status(conv, gone));
        assertEquals(List.of(FileBubble.Action.SAVE), actions(conv, ready));
        assertEquals(List.of(), actions(conv, uploading), "nothing to save yet");
        assertEquals(List.of(), actions(conv, gone));

        // Save: a download starts; its progress and rate show under the bar; Stop ends it.
        click(conv, ready, FileBubble.Action.SAVE);
        Gui.await("the download asked for", () -> demo.calls.contains("download " + ready));
        demo.emit(new ChatEvent.FileProgress(ready, 1024 * 1024, 2 * 1024 * 1024, 512 * 1024));
        Gui.await("the progress shown", () -> status(conv, ready).equals("1.0 MB of 2.0 MB · 512 KB/s"));
        assertEquals(0.5, Gui.onEdt(() -> conv.fileBubble(conv.rowOfFile(ready)).barFraction()));
        assertEquals(List.of(FileBubble.Action.STOP), actions(conv, ready));
        click(conv, ready, FileBubble.Action.STOP);
        Gui.await("stopped", () -> demo.calls.contains("stopDownload " + ready)
                && actions(conv, ready).equals(List.of(FileBubble.Action.SAVE)));

        // The sender withdraws it: the server's FILE_STATE reaches the bubble.
        demo.emit(new ChatEvent.FileChanged(ready, FileStatus.State.CANCELLED));
        Gui.await("withdrawn", () -> status(conv, ready).equals("Withdrawn by the sender"));
        assertEquals(List.of(), actions(conv, ready));

        // A file dropped on the conversation is offered; mine shows as uploaded, with Withdraw.
        java.nio.file.Path file = java.nio.file.Path.of("pom.xml").toAbsolutePath();
        boolean taken = Gui.onEdt(() -> conv.list.getTransferHandler().importData(new javax.swing.TransferHandler
                .TransferSupport(conv.list, DesktopFilesTest.fileList(file, file.getParent())))); // a folder is left out
        assertTrue(taken);
        Gui.await("offered", () -> demo.calls.contains("sendFile carol pom.xml"));
        assertEquals(1, demo.calls.stream().filter(c -> c.startsWith("sendFile")).count());
        long mine = Gui.onEdt(() -> messages(conv).get(messages(conv).size() - 1).file().fileId());
        Gui.await("uploaded", () -> status(conv, mine).equals("Uploaded"));
        assertEquals(List.of(FileBubble.Action.OPEN_FOLDER, FileBubble.Action.WITHDRAW), actions(conv, mine));
        assertEquals(1.0, Gui.onEdt(() -> conv.fileBubble(conv.rowOfFile(mine)).barFraction()));
    }

    private static String status(ConversationPanel conv, long fileId) {
        return Gui.onEdt(() -> conv.fileBubble(conv.rowOfFile(fileId)).status());
    }

    private static List<FileBubble.Action> actions(ConversationPanel conv, long fileId) {
        return Gui.onEdt(() -> {
            FileBubble b = conv.fileBubble(conv.rowOfFile(fileId));
            return java.util.Arrays.stream(FileBubble.Action.values())
                    .filter(a -> a != FileBubble.Action.OPEN && b.button(a) != null).toList();
        });
    }

    private static void click(ConversationPanel conv, long fileId, FileBubble.Action action) {
        DesktopFilesTest.click(conv, fileId, action);
    }
}
