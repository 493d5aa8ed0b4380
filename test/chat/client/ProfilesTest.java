package chat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an installation keeps per server and account: device name, token, which account to resume. */
class ProfilesTest {

    @TempDir
    Path dir;

    @Test
    void theDeviceNameIsMadeOncePerAccountAndKept() {
        var profiles = new Profiles(dir, "example.org_8899", "term");
        String device = profiles.device("alice");
        assertTrue(device.matches("term-[0-9a-f]{6}"), device);
        assertEquals(device, new Profiles(dir, "example.org_8899", "term").device("Alice"), "kept, by the name's key");
        assertNotEquals(device, profiles.device("bob"));
    }

    @Test
    void theTokenIsReadableByItsOwnerOnlyAndForgottenAtLogout() throws Exception {
        var profiles = new Profiles(dir, "example.org_8899", "term");
        profiles.saveToken("Alice", "ab".repeat(32));
        Path token = profiles.dir().resolve("user-alice.token");
        if (Files.getFileStore(token).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(token)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(profiles.dir())));
        }
        assertEquals(Optional.of(new Profiles.Saved("Alice", "ab".repeat(32))), profiles.last());
        assertEquals(Optional.of(new Profiles.Saved("Alice", "ab".repeat(32))), profiles.token("alice"));
        profiles.forgetToken("alice");
        assertEquals(Optional.empty(), profiles.last());
        assertEquals(Optional.empty(), profiles.token("alice"));
    }
}
