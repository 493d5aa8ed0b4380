package chat.server.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files folder's node markers: a node's marker is found by the others, and an id that is no
 * node's (it may come from Redis) names no file outside the markers' folder.
 */
class SharedFolderTest {

    @TempDir
    Path root;

    @Test
    void aNodeSeesAnotherNodesMarkerAndNotesAFolderWithoutAny() throws Exception {
        var folder = new SharedFolder(root);
        folder.mark("a.mj3x9k2a");
        assertNull(folder.problem(List.of("a.mj3x9k2a")));
        assertTrue(folder.problem(List.of("b.mj3x9k2b")).contains("not the one the other nodes use"));
        folder.unmark("a.mj3x9k2a");
        assertTrue(folder.problem(List.of("a.mj3x9k2a")) != null, "its marker is gone");
    }

    @Test
    void anIdThatIsNoNodesDeletesNothingElse() throws Exception {
        var folder = new SharedFolder(root);
        folder.mark("a.mj3x9k2a");
        Path blob = Files.createDirectories(root.resolve("blobs/ab")).resolve("ab12");
        Files.writeString(blob, "bytes");
        for (String id : List.of("../blobs/ab/ab12", "..", ".", "/etc/passwd", "a/b", "")) {
            assertThrows(IllegalArgumentException.class, () -> folder.unmark(id), id);
        }
        assertEquals("bytes", Files.readString(blob));
        assertTrue(folder.problem(List.of("../blobs/ab/ab12")) != null, "a marker is never looked for outside");
    }
}
