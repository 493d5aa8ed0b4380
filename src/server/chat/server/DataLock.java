package chat.server;

import chat.common.io.PrivateFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The lock a running server holds on its data folder ({@code DIR/chat.lock}), so that a second
 * server started on the same folder refuses it before it opens the database: opening would clear
 * the connection table of the server that is running. The operating system releases the lock
 * when the process ends, however it ends, so a crash leaves nothing to clean up; the file itself
 * stays and is harmless.
 */
final class DataLock implements AutoCloseable {

    static final String FILE = "chat.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock on {@code dir}, or empty when another server (or this one) holds it. */
    static Optional<DataLock> tryLock(Path dir) throws IOException {
        PrivateFiles.createFile(dir.resolve(FILE));
        var channel = FileChannel.open(dir.resolve(FILE), StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return Optional.of(new DataLock(channel, lock));
            }
        } catch (OverlappingFileLockException heldInThisProcess) {
            // as busy as a lock held by another process
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        channel.close();
        return Optional.empty();
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
