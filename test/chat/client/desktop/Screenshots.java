package chat.client.desktop;

import chat.client.desktop.model.ChatMessage;
import chat.client.desktop.model.ChatModel;
import chat.client.desktop.model.ChatService.Server;
import chat.client.desktop.model.Conversation;
import chat.client.desktop.model.FileStatus;
import chat.client.desktop.model.FriendRequest;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.swing.JDialog;
import javax.swing.JFrame;
import javax.swing.JRootPane;

/**
 * {@code make screenshots}: renders the login window, the main window with a conversation, light
 * and dark, English and Chinese, into PNGs for the README. The data are made up here; the
 * windows are the real ones. Window frames are FlatLaf's own, so that the picture shows a title
 * bar without a window manager (Xvfb has none).
 */
public final class Screenshots {

    /** Thursday 26 November 2026, 15:30 in Shanghai: every run draws the same times. */
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-26T07:30:00Z"), ZoneId.of("Asia/Shanghai"));
    private static final long MIN = 60_000;

    private Screenshots() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/screenshots");
        Files.createDirectories(out);
        Times.fix(NOW);
        shoot(out, "login-light.png", Theme.LIGHT, Locale.ENGLISH, Screenshots::login);
        shoot(out, "login-dark.png", Theme.DARK, Locale.ENGLISH, Screenshots::login);
        shoot(out, "main-light.png", Theme.LIGHT, Locale.ENGLISH, () -> main("alex", Locale.ENGLISH));
        shoot(out, "main-dark.png", Theme.DARK, Locale.ENGLISH, () -> main("!7", Locale.ENGLISH));
        shoot(out, "main-zh.png", Theme.LIGHT, Locale.SIMPLIFIED_CHINESE, () -> main("!8", Locale.SIMPLIFIED_CHINESE));
        System.exit(0);
    }

    private interface Maker {
        JFrame make() throws Exception;
    }

    private static void shoot(Path out, String file, Theme theme, Locale locale, Maker maker) throws Exception {
        JFrame frame = Gui.onEdt(() -> {
            Text.use(locale);
            theme.install();
            JFrame.setDefaultLookAndFeelDecorated(true);
            JDialog.setDefaultLookAndFeelDecorated(true);
            JFrame f = maker.make();
            f.setVisible(true);
            return f;
        });
        Gui.settle();
        Thread.sleep(400); // the first paint of a window on a fresh X display comes asynchronously
        Gui.settle();
        BufferedImage image = Gui.onEdt(() -> {
            JRootPane root = frame.getRootPane();
            BufferedImage img = new BufferedImage(root.getWidth(), root.getHeight(), BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            root.printAll(g);
            g.dispose();
            return img;
        });
        ImageIO.write(image, "png", out.resolve(file).toFile());
        System.out.println("wrote " + out.resolve(file));
        Gui.disposeAll();
    }

    private static JFrame login() throws Exception {
        Settings settings = new Settings(Files.createTempDirectory("chat-desktop-shot"));
        settings.put(Settings.SERVER, "chat.example.org");
        settings.put(Settings.PORT, "8899");
        settings.put(Settings.ACCOUNT, "mei");
        LoginWindow w = new LoginWindow(new DemoService(), settings, App.EDT, me -> {});
        w.password.setText("correct horse");
        return w;
    }

    private static JFrame main(String open, Locale locale) {
        boolean zh = locale.getLanguage().equals("zh");
        DemoService demo = new DemoService();
        long now = NOW.millis();
        String me = "mei";
        demo.contacts.put("alex", Conversation.friend("alex", "Alex Chen", true, 0,
                "Sounds good — see you at 6!", now - 4 * MIN));
        demo.contacts.put("!7", Conversation.group(7, "design-team", me, 6, 3,
                "שלום! The right-to-left labels look right now ✔", now - 12 * MIN));
        demo.contacts.put("!8", Conversation.group(8, "周末爬山", "wei", 5, 2,
                "张伟: 周六早上八点地铁站见 🚇", now - 25 * MIN));
        demo.contacts.put("sofia", Conversation.friend("sofia", "", true, 1, "Can you send me the slides?",
                now - 58 * MIN));
        demo.contacts.put("张伟", Conversation.friend("张伟", "", false, 0, "好的，明天见！", now - 26 * 60 * MIN));
        demo.contacts.put("omar", Conversation.friend("omar", "Omar", false, 0, "Thanks for the help 🙏",
                now - 3 * 24 * 60 * MIN));
        demo.contacts.put("!0", Conversation.group(0, "lobby", "", 12, 0, "", 0));
        demo.requests.add(new FriendRequest("lucas", true, now - 30 * MIN));

        List<ChatMessage> alex = new ArrayList<>();
        long y = now - 24 * 60 * MIN;
        alex.add(msg(101, y - 40 * MIN, "alex", "Did you get a chance to look at the prototype?"));
        alex.add(msg(102, y - 38 * MIN, me, "Yes! The new onboarding flow feels so much smoother."));
        alex.add(msg(103, y - 37 * MIN, me, "One thing: the sign-up button is hard to find on small screens."));
        alex.add(msg(104, y - 30 * MIN, "alex", "Good catch, I'll move it above the fold."));
        alex.add(msg(110, now - 22 * MIN, "alex", "Here is the updated build: https://example.org/builds/4812"));
        alex.add(msg(111, now - 21 * MIN, "alex", "Release notes are in the doc.\nLet me know what you think 🙂"));
        alex.add(file(demo, 115, now - 20 * MIN, "alex", "Release notes 4812.pdf", 2_480_000, FileStatus.State.READY));
        alex.add(msg(112, now - 9 * MIN, me, "Looks great. Shipping it to the beta group now."));
        alex.add(msg(113, now - 6 * MIN, "alex", "Dinner later to celebrate? 🍜"));
        alex.add(msg(114, now - 4 * MIN, me, "Sounds good — see you at 6!"));
        demo.history.put("alex", alex);

        List<ChatMessage> design = new ArrayList<>();
        design.add(msg(201, now - 50 * MIN, "nina", "Morning! I pushed the colour tokens for dark mode."));
        design.add(msg(202, now - 48 * MIN, "tom", "Contrast on the secondary text looks much better now."));
        design.add(msg(203, now - 47 * MIN, "tom", "Can we check the badges too?"));
        design.add(msg(204, now - 40 * MIN, me, "On it. I'll post before/after screenshots here."));
        design.add(msg(205, now - 15 * MIN, "nina", "The new icons are in the shared folder: https://example.org/design/icons"));
        design.add(file(demo, 208, now - 14 * MIN, "nina", "icons-rounded.zip", 18_300_000, FileStatus.State.READY));
        design.add(msg(206, now - 13 * MIN, "lea", "Love the rounded set 😍"));
        design.add(msg(207, now - 12 * MIN, "yael", "שלום! The right-to-left labels look right now ✔"));
        demo.history.put("!7", design);

        List<ChatMessage> hike = new ArrayList<>();
        hike.add(msg(301, now - 26 * 60 * MIN, "wei", "这周六去香山爬山，有人一起吗？"));
        hike.add(msg(302, now - 26 * 60 * MIN + 2 * MIN, me, "我去！需要带什么？"));
        hike.add(msg(303, now - 25 * 60 * MIN, "wei", "带水和一点零食就行，山顶风大，记得穿外套。"));
        hike.add(msg(304, now - 40 * MIN, "小雨", "天气预报说周六晴天 ☀️"));
        hike.add(file(demo, 307, now - 32 * MIN, "wei", "香山路线图.pdf", 1_350_000, FileStatus.State.READY));
        hike.add(msg(305, now - 30 * MIN, "张伟", "周六早上八点地铁站见 🚇"));
        hike.add(msg(306, now - 28 * MIN, me, "好的，我会准时到。路线在这里：https://example.org/map/xiangshan"));
        hike.add(new ChatMessage(0, "c1", now - MIN, me, "要不要我带相机？📷", ChatMessage.Delivery.SENDING));
        demo.history.put("!8", hike);
        demo.users.add("lucas");

        ChatModel model = new ChatModel(demo, Runnable::run);
        demo.login(new Server("chat.example.org", 8899), me, "x");
        model.signedIn(me);
        MainWindow w = new MainWindow(model, new MainWindow.Shell() {
            @Override public void switchTheme(Theme theme) {}
            @Override public void switchLanguage(Locale l) {}
            @Override public void signOut() {}
        });
        w.setSize(1180, 760);
        w.open(open);
        if (zh) {
            w.setTitle(Text.get("app.name"));
        }
        return w;
    }

    /** A file offer in the history, in {@code state} on the server. */
    private static ChatMessage file(DemoService demo, long id, long time, String from, String name, long size,
            FileStatus.State state) {
        demo.fileStates.put(id, state);
        return new ChatMessage(id, "", time, from, name, ChatMessage.Delivery.STORED,
                new chat.client.desktop.model.FileRef(id, name, size));
    }

    private static ChatMessage msg(long id, long time, String from, String text) {
        return new ChatMessage(id, "", time, from, text, ChatMessage.Delivery.STORED);
    }
}
