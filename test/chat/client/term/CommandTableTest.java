package chat.client.term;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A file of commands adds itself to the shell's table with its names, and is asked in its turn. */
class CommandTableTest {

    @Test
    void aNewGroupOfCommandsRegistersItselfAndIsAskedInItsTurn() {
        var table = new CommandTable();
        List<String> ran = new ArrayList<>();
        table.add((c, rest) -> c.equals("msg") && ran.add("shell " + rest), "msg");
        table.add((c, rest) -> (c.equals("send") || c.equals("get")) && ran.add("files " + c + " " + rest), "send", "get");
        assertTrue(table.run("send", "bob a.txt"));
        assertTrue(table.run("msg", "bob hi"));
        assertFalse(table.run("nope", ""));
        assertEquals(List.of("files send bob a.txt", "shell bob hi"), ran);
        assertEquals(Set.of("msg", "send", "get"), table.names());
        assertThrows(IllegalArgumentException.class, () -> table.add((c, r) -> false, "get"));
    }
}
