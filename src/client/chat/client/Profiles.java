package chat.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import chat.common.io.PrivateFiles;
import chat.common.text.Names;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What this installation keeps per server and account in the client's data directory: the
 * device name (made once, {@code term-7f3a9c}), the session token, the local history, and which
 * account to resume at start. The folder is {@code DATA/SERVER/} (a cluster's: named by the first
 * server of its list, see {@link ChatClient.Config}), readable by its owner only
 * (0700), and the token file is 0600: a token logs in without the password.
 *
 * <pre>
 *   DATA/host_port/user-alice.db       the local history
 *   DATA/host_port/user-alice.device   the device name
 *   DATA/host_port/user-alice.token    the account's name as the server spells it, then the token
 *   DATA/host_port/user-alice.lobby    there while the account is in the lobby (see ChatClient)
 *   DATA/host_port/last                the key of the account to resume at start
 * </pre>
 */
final class Profiles {

    /** A saved session: the account as the server spells it, and its token. */
    record Saved(String account, String token) {}

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final String devicePrefix;

    /** The profiles of {@code server}'s accounts under {@code dataDir}; devices are named {@code prefix-xxxxxx}. */
    Profiles(Path dataDir, String server, String devicePrefix) {
        this.dir = dataDir.resolve(server.replaceAll("[^A-Za-z0-9._-]", "_"));
        this.devicePrefix = devicePrefix;
    }

    Path dir() {
        return dir;
    }

    /** A name may be "." or "..": the prefix keeps every file inside the folder. */
    private Path file(String account, String suffix) {
        return dir.resolve("user-" + Names.key(account) + suffix);
    }

    Path historyFile(String account) {
        return file(account, ".db");
    }

    boolean hasHistory(String account) {
        return Files.exists(historyFile(account));
    }

    /** Opens {@code account}'s history, creating the folder (0700) and the file when missing. */
    History openHistory(String account) {
        ensureDir();
        return History.open(historyFile(account), account);
    }

    /** This installation's device name for {@code account}, made and kept the first time. */
    synchronized String device(String account) {
        Path f = file(account, ".device");
        try {
            if (Files.exists(f)) {
                String name = Files.readString(f, UTF_8).strip();
                if (!name.isEmpty()) {
                    return name;
                }
            }
            ensureDir();
            String name = devicePrefix + "-" + HexFormat.of().formatHex(randomBytes(3));
            write(f, name + "\n", false);
            return name;
        } catch (IOException e) {
            throw new UncheckedIOException("keeping the device name in " + f, e);
        }
    }

    /** The saved session of {@code account}, if any. */
    synchronized Optional<Saved> token(String account) {
        Path f = file(account, ".token");
        try {
            if (!Files.exists(f)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(f, UTF_8);
            if (lines.size() < 2 || lines.get(1).isBlank()) {
                return Optional.empty();
            }
            return Optional.of(new Saved(lines.get(0), lines.get(1).strip()));
        } catch (IOException e) {
            return Optional.empty(); // unreadable: as if none, the password still works
        }
    }

    /** Keeps {@code token} for {@code account} (0600) and makes it the one resumed at start. */
    synchronized void saveToken(String account, String token) {
        ensureDir();
        try {
            write(file(account, ".token"), account + "\n" + token + "\n", true);
            write(dir.resolve("last"), Names.key(account) + "\n", false);
        } catch (IOException e) {
            throw new UncheckedIOException("keeping the session token in " + dir, e);
        }
    }

    /** Forgets {@code account}'s token (logged out, refused, password changed). */
    synchronized void forgetToken(String account) {
        try {
            Files.deleteIfExists(file(account, ".token"));
            Path last = dir.resolve("last");
            if (Files.exists(last) && Files.readString(last, UTF_8).strip().equals(Names.key(account))) {
                Files.delete(last);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("forgetting the session token in " + dir, e);
        }
    }

    /** Whether {@code account} joined the lobby (and has not left it) from this installation. */
    synchronized boolean inLobby(String account) {
        return Files.exists(file(account, ".lobby"));
    }

    /** Remembers whether {@code account} is in the lobby, so that its logins enter it again. */
    synchronized void inLobby(String account, boolean in) {
        Path f = file(account, ".lobby");
        try {
            if (in) {
                ensureDir();
                write(f, "", false);
            } else {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("remembering the lobby in " + f, e);
        }
    }

    /** The session to resume at start: the last account that logged in here and did not log out. */
    synchronized Optional<Saved> last() {
        Path last = dir.resolve("last");
        try {
            if (!Files.exists(last)) {
                return Optional.empty();
            }
            String key = Files.readString(last, UTF_8).strip();
            return key.isEmpty() ? Optional.empty() : token(key);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void ensureDir() {
        try {
            PrivateFiles.createFolders(dir);
            if (POSIX) {
                Files.setPosixFilePermissions(dir, OWNER_DIR);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("creating the data folder " + dir, e);
        }
    }

    /**
     * Writes {@code text} to {@code f} through a temporary file and a rename, so that a crash
     * leaves the old content or the new, never half; {@code secret}: 0600 from the start.
     */
    private static void write(Path f, String text, boolean secret) throws IOException {
        Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (POSIX && secret) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_FILE));
        }
        Files.writeString(tmp, text, UTF_8);
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
