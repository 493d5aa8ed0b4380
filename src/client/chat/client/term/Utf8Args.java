package chat.client.term;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line as UTF-8, whatever the locale the JVM started under.
 *
 * <p>The JVM decodes {@code argv} with the locale's charset. Under {@code LANG=C}, or a
 * {@code zh_CN.UTF-8} the system has not generated (both common on a bare server or in a
 * container), that is ASCII, and {@code chat-client host 8899 小明} would join as
 * {@code ??????}. The C client passes the bytes on as they are; so do we, by reading them again
 * from {@code /proc/self/cmdline} (Linux), where the program's arguments are the last entries.
 * Each entry must decode, in the JVM's charset, to exactly the argument the JVM gave us, or the
 * arguments are left as they are.
 */
final class Utf8Args {

    private static final Path CMDLINE = Path.of("/proc/self/cmdline");

    private Utf8Args() {}

    static String[] of(String[] args) {
        Charset jnu;
        try {
            jnu = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (IllegalArgumentException e) {
            return args;
        }
        if (jnu.equals(UTF_8) || args.length == 0 || !Files.isReadable(CMDLINE)) {
            return args;
        }
        try {
            return recover(Files.readAllBytes(CMDLINE), args, jnu);
        } catch (IOException e) {
            return args;
        }
    }

    /** {@code args} decoded as UTF-8 from the NUL-terminated entries of {@code cmdline}. */
    static String[] recover(byte[] cmdline, String[] args, Charset jnu) {
        List<byte[]> entries = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < cmdline.length; i++) {
            if (cmdline[i] == 0) {
                entries.add(java.util.Arrays.copyOfRange(cmdline, start, i));
                start = i + 1;
            }
        }
        if (entries.size() < args.length) {
            return args;
        }
        List<byte[]> tail = entries.subList(entries.size() - args.length, entries.size());
        String[] utf8 = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            if (!new String(tail.get(i), jnu).equals(args[i])) {
                return args; // not the entries we took them for
            }
            utf8[i] = new String(tail.get(i), UTF_8);
        }
        return utf8;
    }
}
