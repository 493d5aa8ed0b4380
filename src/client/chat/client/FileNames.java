package chat.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import chat.common.text.Utf8;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Set;

/**
 * Names of files that others chose, made safe to write here. The server checks a name when it is
 * offered, but a client trusts nobody with its disk: the name is cleaned again (no separator, no
 * control character, no invisible format character, no leading dot, nothing Windows reserves, at
 * most {@link #MAX_BYTES} UTF-8 bytes) and it is only ever a name inside the folder the user picked. A finished download never
 * replaces a file: it takes {@code name (1).ext}, {@code name (2).ext} ... instead.
 */
final class FileNames {

    /**
     * Room left under the usual 255-byte limit for a part's {@code ".<file id>.part"} (a 19-digit
     * id: 25 bytes) and a copy's {@code " (9999)"}.
     */
    static final int MAX_BYTES = 224;
    private static final String FORBIDDEN = "/\\:*?\"<>|";
    private static final Set<String> RESERVED = Set.of("CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4",
            "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8",
            "LPT9");
    /** How many numbered names are tried before giving up (a folder full of copies). */
    private static final int MAX_COPIES = 10_000;

    private FileNames() {}

    /**
     * {@code offered} as a plain file name, never empty, never a path. Format characters
     * (category Cf) are dropped: they are invisible, and a bidi override makes
     * {@code invoice\u202Egpj.exe} look like {@code invoiceexe.jpg} in a file manager.
     */
    static String safe(String offered) {
        var b = new StringBuilder(offered.length());
        offered.codePoints().forEach(cp -> {
            if (Character.getType(cp) == Character.FORMAT) {
                return;
            }
            boolean control = cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0);
            b.appendCodePoint(control || FORBIDDEN.indexOf(cp) >= 0 ? '_' : cp);
        });
        String s = b.toString().strip();
        while (s.endsWith(".")) { // "..", and what Windows drops silently
            s = s.substring(0, s.length() - 1).stripTrailing();
        }
        if (s.startsWith(".")) {
            s = "_" + s.substring(1); // not hidden, and never "." or ".."
        }
        if (s.isEmpty()) {
            return "file";
        }
        String stem = stem(s).toUpperCase(Locale.ROOT);
        if (RESERVED.contains(stem)) {
            s = "_" + s;
        }
        return cut(s);
    }

    /** At most {@link #MAX_BYTES}, the extension kept when it is short. */
    private static String cut(String s) {
        byte[] bytes = s.getBytes(UTF_8);
        if (bytes.length <= MAX_BYTES) {
            return s;
        }
        String ext = extension(s);
        if (ext.getBytes(UTF_8).length > 32) {
            ext = "";
        }
        int room = MAX_BYTES - ext.getBytes(UTF_8).length;
        return new String(Utf8.encodeCut(s.substring(0, s.length() - ext.length()), room), UTF_8) + ext;
    }

    /** {@code ".pdf"} of {@code "report.pdf"}; empty when there is none. */
    static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? "" : name.substring(dot);
    }

    private static String stem(String name) {
        return name.substring(0, name.length() - extension(name).length());
    }

    /**
     * The partial file of a download of {@code safeName} in {@code dir}, tagged with what tells
     * this file from another of the same name ({@code tag}: the file id, or for a friend's direct
     * offer a prefix of its SHA-256): two offers of {@code image.png} saved to one folder at once
     * never append to one part, and a part left by another {@code image.png} is not resumed.
     */
    static Path part(Path dir, String safeName, String tag) {
        return dir.resolve(safeName + "." + tag + ".part");
    }

    /**
     * Moves {@code from} to {@code dir/name}, or to the first free {@code name (n).ext}: a free
     * name is claimed by creating it (which fails when it exists, even if another program makes
     * it at the same moment), then the finished file takes its place.
     */
    static Path moveToFreeName(Path from, Path dir, String name) throws IOException {
        for (int n = 0; n < MAX_COPIES; n++) {
            String candidate = n == 0 ? name : stem(name) + " (" + n + ")" + extension(name);
            Path target = dir.resolve(candidate);
            try {
                Files.createFile(target);
            } catch (FileAlreadyExistsException taken) {
                continue;
            }
            Files.move(from, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        }
        throw new IOException("no free name for " + name + " in " + dir);
    }
}
