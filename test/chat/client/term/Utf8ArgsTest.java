package chat.client.term;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class Utf8ArgsTest {

    /** A {@code /proc/self/cmdline}: each entry's UTF-8 bytes and a NUL. */
    private static byte[] cmdline(String... entries) {
        var bytes = new ByteArrayOutputStream();
        for (String e : entries) {
            bytes.writeBytes(e.getBytes(UTF_8));
            bytes.write(0);
        }
        return bytes.toByteArray();
    }

    /** What the JVM makes of UTF-8 arguments under an ASCII locale. */
    private static String[] asJvmUnderAscii(String... args) {
        String[] out = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            out[i] = new String(args[i].getBytes(UTF_8), US_ASCII);
        }
        return out;
    }

    @Test
    void recoversUtf8ArgumentsFromTheEndOfTheCommandLine() {
        byte[] raw = cmdline("java", "-jar", "build/chat-client.jar", "--lang", "zh", "host", "8899", "小明 😀", "");
        String[] jvm = asJvmUnderAscii("--lang", "zh", "host", "8899", "小明 😀", "");
        assertArrayEquals(new String[] {"--lang", "zh", "host", "8899", "小明 😀", ""},
                Utf8Args.recover(raw, jvm, US_ASCII));
    }

    @Test
    void leavesTheArgumentsAloneWhenTheCommandLineDoesNotMatchThem() {
        String[] jvm = asJvmUnderAscii("host", "8899", "小明");
        assertSame(jvm, Utf8Args.recover(cmdline("java", "host", "8899", "小红x"), jvm, US_ASCII));
        assertSame(jvm, Utf8Args.recover(cmdline("8899", "小明"), jvm, US_ASCII));
        assertSame(jvm, Utf8Args.recover(new byte[0], jvm, US_ASCII));
    }
}
