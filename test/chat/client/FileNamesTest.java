package chat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Names others chose, made safe to write here; and a finished download never replaces a file. */
class FileNamesTest {

    @TempDir
    Path dir;

    @Test
    void aNameIsAPlainFileNameWhateverWasOffered() {
        assertEquals("report.pdf", FileNames.safe("report.pdf"));
        assertEquals("报告 2024.pdf", FileNames.safe("报告 2024.pdf"));
        assertEquals("_.._etc_passwd", FileNames.safe("/../etc/passwd"));
        assertEquals("a_b_c", FileNames.safe("a\\b\u0000c"));
        assertEquals("file", FileNames.safe(".."));
        assertEquals("file", FileNames.safe("."));
        assertEquals("file", FileNames.safe("  "));
        assertEquals("_bashrc", FileNames.safe(".bashrc"));
        assertEquals("_CON.txt", FileNames.safe("CON.txt"));
        assertEquals("x_[2Jy", FileNames.safe("x\u001b[2Jy"), "no terminal escapes");
        String longName = "名".repeat(200) + ".txt";
        String cut = FileNames.safe(longName);
        assertTrue(cut.getBytes(StandardCharsets.UTF_8).length <= FileNames.MAX_BYTES, cut);
        assertTrue(cut.endsWith(".txt"), "the extension is kept: " + cut);
        assertFalse(cut.contains("\uFFFD"), "cut at a character boundary");
    }

    @Test
    void invisibleFormatCharactersAreDropped() {
        assertEquals("invoicegpj.exe", FileNames.safe("invoice\u202Egpj.exe"), "no right-to-left override");
        assertEquals("ab.txt", FileNames.safe("a\u200Bb\u2066.txt\uFEFF"), "no zero-width space, isolate or BOM");
        assertEquals("file", FileNames.safe("\u202E\u202D"), "nothing but format characters");
        assertEquals("_exe", FileNames.safe("\u200E.exe"), "dropped before the leading dot is seen");
    }

    @Test
    void aPartIsTaggedWithItsFile() {
        assertEquals(dir.resolve("image.png.12.part"), FileNames.part(dir, "image.png", "12"));
        String longest = FileNames.part(dir, FileNames.safe("名".repeat(200) + ".txt"), Long.toString(Long.MAX_VALUE))
                .getFileName().toString();
        assertTrue(longest.getBytes(StandardCharsets.UTF_8).length <= 255, "within the usual limit: " + longest);
    }

    @Test
    void aFinishedFileTakesTheFirstFreeName() throws Exception {
        Files.writeString(dir.resolve("a.txt"), "mine");
        Files.writeString(dir.resolve("a (1).txt"), "mine too");
        Path part = Files.writeString(dir.resolve("a.txt.part"), "theirs");
        Path saved = FileNames.moveToFreeName(part, dir, "a.txt");
        assertEquals(dir.resolve("a (2).txt"), saved);
        assertEquals("mine", Files.readString(dir.resolve("a.txt")));
        assertEquals("theirs", Files.readString(saved));
        assertFalse(Files.exists(part));
        Path noExt = FileNames.moveToFreeName(Files.writeString(dir.resolve("p"), "x"), dir, "a.txt");
        assertEquals(dir.resolve("a (3).txt"), noExt);
    }
}
