package chat.client.term;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.client.RefusedException;
import chat.client.Texts;
import chat.common.proto.ErrorCode;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Every error code the server can send has words for the user, in each language of the client. */
class RefusalsTest {

    private static final Locale ZH = Locale.forLanguageTag("zh-CN");

    @Test
    void everyErrorCodeHasATextInEveryBundle() {
        for (Locale locale : new Locale[] {Locale.ENGLISH, ZH}) {
            Texts texts = Texts.of(locale);
            for (ErrorCode code : ErrorCode.values()) {
                assertTrue(texts.has(Refusals.key(code)), code + " has no text in " + locale);
                String said = Refusals.explain(texts, "nothing", new String[] {"bob"},
                        new RefusedException(code, "PROTOCOL WORDS"));
                assertFalse(said.isBlank(), code + " in " + locale);
                // the server's English shows only for codes whose detail the client cannot know
                // (a ban's end and reason are the server's to tell)
                boolean detail = code == ErrorCode.BAD_REQUEST || code == ErrorCode.THROTTLED || code == ErrorCode.UNKNOWN
                        || code == ErrorCode.BANNED;
                assertEquals(detail, said.contains("PROTOCOL WORDS"), code + " in " + locale + ": " + said);
            }
        }
    }

    @Test
    void bothBundlesWordTheSameCommandsAndTheChineseOneIsChinese() {
        Texts en = Texts.of(Locale.ENGLISH);
        Texts zh = Texts.of(ZH);
        for (ErrorCode code : ErrorCode.values()) {
            for (String command : new String[] {"msg", "chat", "invite", "kick", "approve", "reject", "create", "rename",
                    "join", "alias", "passwd"}) {
                String key = Refusals.key(code) + "." + command;
                // a per-command text in one bundle and not the other would fall back in one language only
                assertEquals(en.has(key), zh.has(key) && !zh.get(key).equals(en.get(key)), key);
            }
        }
    }

    /** A 1.4 server says how long to wait; a 1.3 server's words show instead. */
    @Test
    void throttledSaysHowLongToWaitInEachLanguage() {
        var throttled = new RefusedException(ErrorCode.THROTTLED, "too many password attempts for this account; try again in 30 s", 30);
        assertEquals("Too many password attempts for dave just now: try again in 30 s."
                + " A device that logged in as dave before gets in without waiting.",
                Refusals.explain(Texts.of(Locale.ENGLISH), "login", new String[] {"dave"}, throttled));
        assertEquals("dave 的密码尝试次数太多: 请在 30 秒后再试. 以前以 dave 登录过的设备不受影响, 可以直接登录.",
                Refusals.explain(Texts.of(ZH), "login", new String[] {"dave"}, throttled));
        assertEquals("Too many names checked or accounts made from your address: try again in 120 s.",
                Refusals.explain(Texts.of(Locale.ENGLISH), "register", new String[] {"dave"},
                        new RefusedException(ErrorCode.THROTTLED, "too many registrations from this address", 120)));
        assertEquals("Too many attempts for now: wait a little and try again (too many failed logins; try again in 8 s).",
                Refusals.explain(Texts.of(Locale.ENGLISH), "", new String[0],
                        new RefusedException(ErrorCode.THROTTLED, "too many failed logins; try again in 8 s")));
    }

    @Test
    void aGroupCommandShowsTheGroupWithItsHashTypedOrNot() {
        Texts en = Texts.of(Locale.ENGLISH);
        var notOwner = new RefusedException(ErrorCode.NOT_OWNER, "only the owner of team can do that");
        assertEquals("Only the owner of #team can do that.", Refusals.explain(en, "kick", new String[] {"team", "bob"}, notOwner));
        assertEquals("Only the owner of #team can do that.", Refusals.explain(en, "kick", new String[] {"#team", "bob"}, notOwner));
        assertEquals("bob is not a member of #team.", Refusals.explain(en, "kick", new String[] {"team", "bob"},
                new RefusedException(ErrorCode.NOT_MEMBER, "bob is not a member of team")));
    }
}
