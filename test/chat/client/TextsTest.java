package chat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class TextsTest {

    @Test
    void everyKeyIsInBothLanguages() throws IOException {
        assertEquals(keys("messages.properties"), keys("messages_zh.properties"));
    }

    private static TreeSet<Object> keys(String file) throws IOException {
        try (var in = TextsTest.class.getResourceAsStream(file)) {
            assertNotNull(in, file);
            var properties = new Properties();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return new TreeSet<>(properties.keySet());
        }
    }

    @Test
    void theArticlesNoticesInChineseAndOursInEnglish() {
        var zh = Texts.of(Locale.forLanguageTag("zh-CN"));
        assertEquals("小明 用户上线.", zh.get("notice.online", "小明"));
        assertEquals("小明 用户下线.", zh.get("notice.offline", "小明"));
        assertEquals("服务器断开连接.", zh.get("notice.serverGone"));
        var en = Texts.of(Locale.ENGLISH);
        assertEquals("小明 is online.", en.get("notice.online", "小明"));
        assertEquals("The server closed the connection.", en.get("notice.serverGone"));
    }

    @Test
    void englishIsEnglishEvenUnderAChineseDefaultLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.SIMPLIFIED_CHINESE);
            assertEquals("bob went offline.", Texts.of(Locale.ENGLISH).get("notice.offline", "bob"));
            assertEquals("bob went offline.", Texts.of(Locale.FRENCH).get("notice.offline", "bob"));
            assertEquals("bob 用户下线.", Texts.of(Locale.getDefault()).get("notice.offline", "bob"));
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void argumentsAreNotReadAsPatternsNorNumbersGrouped() {
        var en = Texts.of(Locale.ENGLISH);
        assertEquals("{0}'s 'name' is online.", en.get("notice.online", "{0}'s 'name'"));
        assertEquals("chat-client: cannot connect to h port 18899: x", en.get("error.connect", "h", "18899", "x"));
        assertEquals("usage: chat-client [--lang TAG] [--data DIR] [--tls] (HOST PORT | --server HOST:PORT,...) [NAME]",
                en.get("help").lines().findFirst().orElseThrow());
        assertEquals("  HOST        the server's address", en.get("help").lines().skip(1).findFirst().orElseThrow());
    }
}
