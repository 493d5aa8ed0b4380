package chat.client.desktop;

import chat.client.desktop.model.ChatMessage;
import chat.client.desktop.model.ChatModel;
import chat.client.desktop.model.ChatService.Server;
import chat.client.desktop.model.Conversation;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The desktop client's memory with 50 conversations open, each in its own window with its newest
 * page of messages shown (Chinese and English text), as the launcher runs it (-Xmx256m):
 *
 * <pre>make build && mvn -q test-compile && test/with-display.sh java -Xmx256m \
 *     -cp 'build/classes:build/test-classes:build/lib/*' chat.client.desktop.Footprint</pre>
 *
 * Prints the resident set size (VmRSS) and the heap in use after a full GC. A measurement, not a
 * test: the number belongs in docs/BENCHMARKS.md.
 */
public final class Footprint {

    private static final int CONVERSATIONS = 50;
    private static final int MESSAGES = 200;

    private Footprint() {}

    public static void main(String[] args) throws Exception {
        DemoService demo = new DemoService();
        long now = System.currentTimeMillis();
        long id = 1;
        for (int c = 0; c < CONVERSATIONS; c++) {
            String name = "friend" + c;
            demo.contacts.put(name, Conversation.friend(name, "", c % 2 == 0, 0, "last", now - c * 60_000L));
            List<ChatMessage> list = new ArrayList<>();
            for (int m = 0; m < MESSAGES; m++) {
                String text = m % 3 == 0 ? "你好，这是第 " + m + " 条消息，周末一起去爬山吗？" : "Message number " + m
                        + ": see https://example.org/page/" + m + " for the details we talked about.";
                list.add(new ChatMessage(id++, "", now - (MESSAGES - m) * 60_000L, m % 2 == 0 ? "me" : name, text,
                        ChatMessage.Delivery.STORED));
            }
            demo.history.put(name, list);
        }
        MainWindow main = Gui.onEdt(() -> {
            Text.use(Locale.ENGLISH);
            Theme.LIGHT.install();
            ChatModel model = new ChatModel(demo, App.EDT);
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
        for (int c = 0; c < CONVERSATIONS; c++) {
            String key = "friend" + c;
            Gui.run(() -> main.popOut(key));
        }
        Gui.settle();
        Thread.sleep(1000);
        Gui.settle();
        System.gc();
        Thread.sleep(500);
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        String rss = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("VmRSS")).findFirst().orElse("VmRSS: ?");
        System.out.printf("%d conversations open in their own windows, %d messages each loaded %d: %s; heap used %d MB%n",
                CONVERSATIONS, MESSAGES, ChatModel.PAGE, rss.replaceAll("\\s+", " "), heap.getUsed() >> 20);
        System.exit(0);
    }
}
