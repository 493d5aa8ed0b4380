package chat.client.desktop;

import chat.client.Timings;
import chat.client.desktop.model.ChatMessage;
import chat.client.desktop.model.ChatModel;
import chat.client.desktop.model.ChatService;
import chat.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * How long a conversation with 10,000 stored messages takes to open in the desktop client, on the
 * real library and a server in this JVM: from the Enter that opens it to its newest page painted.
 *
 * <pre>make build && mvn -q test-compile && test/with-display.sh java -Xmx256m \
 *     -cp 'build/classes:build/test-classes:build/lib/*' chat.client.desktop.OpenTime</pre>
 *
 * A measurement, not a test (its number belongs in docs/BENCHMARKS.md).
 */
public final class OpenTime {

    private static final int MESSAGES = 10_000;

    private OpenTime() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("chat-open-time");
        Timings timings = new Timings(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofMillis(50), Duration.ofMillis(300));
        try (TestServer server = TestServer.start(TestServer.settings().data(Files.createDirectories(dir.resolve("s"))))) {
            ChatService.Server at = new ChatService.Server("127.0.0.1", server.port());
            LibraryService bob = new LibraryService(dir.resolve("bob"), timings);
            bob.listen(Runnable::run, e -> {});
            LibraryService alice = new LibraryService(dir.resolve("alice"), timings);
            Gui.run(() -> Text.use(Locale.ENGLISH));
            ChatModel model = Gui.onEdt(() -> new ChatModel(alice, App.EDT));
            bob.register(at, "bob", "secret-bob").get(20, TimeUnit.SECONDS);
            bob.login(at, "bob", "secret-bob").get(20, TimeUnit.SECONDS);
            alice.register(at, "alice", "secret-alice").get(20, TimeUnit.SECONDS);
            alice.login(at, "alice", "secret-alice").get(20, TimeUnit.SECONDS);
            Gui.run(() -> model.signedIn("alice"));
            alice.requestFriend("bob").get(20, TimeUnit.SECONDS);
            bob.answerFriend("alice", true).get(20, TimeUnit.SECONDS);
            long t0 = System.nanoTime();
            List<CompletableFuture<ChatMessage>> sent = new ArrayList<>();
            for (int i = 1; i <= MESSAGES; i++) {
                sent.add(bob.send("alice", new ChatMessage(0, "", 0, "bob", "message " + i + " 你好",
                        ChatMessage.Delivery.SENDING)));
                if (sent.size() == 500) {
                    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                    sent.clear();
                }
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            System.out.printf("stored %d messages in %d ms%n", MESSAGES, (System.nanoTime() - t0) / 1_000_000);
            Gui.await("bob in the list", () -> model.conversation("bob") != null);
            for (int run = 1; run <= 3; run++) {
                MainWindow window = Gui.onEdt(() -> {
                    Theme.LIGHT.install();
                    MainWindow w = new MainWindow(model, new MainWindow.Shell() {
                        @Override public void switchTheme(Theme theme) {}
                        @Override public void switchLanguage(Locale locale) {}
                        @Override public void signOut() {}
                    });
                    w.setVisible(true);
                    return w;
                });
                Gui.settle();
                CompletableFuture<Long> shown = new CompletableFuture<>();
                ChatModel.Listener probe = new ChatModel.Listener() {
                    @Override
                    public void messagesChanged(String key) {
                        if (model.messages("bob").size() >= ChatModel.PAGE) {
                            // The rows are in the list now; the repaint is the next EDT event.
                            javax.swing.SwingUtilities.invokeLater(() -> shown.complete(System.nanoTime()));
                        }
                    }
                };
                long start = System.nanoTime();
                Gui.run(() -> {
                    model.addListener(probe);
                    window.open("bob");
                });
                long end = shown.get(30, TimeUnit.SECONDS);
                System.out.printf("run %d: opened a conversation of %d messages, newest %d shown, in %d ms%n", run,
                        MESSAGES, ChatModel.PAGE, (end - start) / 1_000_000);
                // Close it and forget what was loaded, so that the next run loads it again.
                Gui.run(() -> {
                    model.removeListener(probe);
                    window.dispose();
                    model.forget("bob");
                });
            }
            alice.close();
            bob.close();
        }
        System.exit(0);
    }
}
