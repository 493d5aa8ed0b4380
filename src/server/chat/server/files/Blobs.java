package chat.server.files;

import chat.common.io.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where a relayed file's bytes are: {@code DATA/files/blobs/ab/<sha256>} once complete (stored once
 * per content), {@code DATA/files/partial/<file-id>} while uploading. Every path is built from a
 * number or from 64 hex digits the protocol checked, never from a name a user gave, so no file
 * name can reach anything else on disk. Folders 0700, files 0600. Called on the files thread only.
 */
final class Blobs {

    private final Path partial;
    private final Path blobs;

    Blobs(Path data) {
        Path root = data.resolve("files");
        this.partial = root.resolve("partial");
        this.blobs = root.resolve("blobs");
        try {
            PrivateFiles.createFolders(partial);
            PrivateFiles.createFolders(blobs);
        } catch (IOException e) {
            throw new UncheckedIOException("creating " + root, e);
        }
    }

    Path partial(long fileId) {
        if (fileId <= 0) {
            throw new IllegalArgumentException("a file id is positive: " + fileId);
        }
        return partial.resolve(Long.toString(fileId));
    }

    Path blob(String sha256) {
        if (!chat.common.proto.FileOffer.validSha256(sha256)) {
            throw new IllegalArgumentException("not a sha256: " + sha256);
        }
        return blobs.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    /** Moves a complete upload to its blob; when that content is there already, the upload is dropped. */
    void complete(long fileId, String sha256) throws IOException {
        Path target = blob(sha256);
        PrivateFiles.createFolders(target.getParent());
        if (Files.exists(target)) {
            Files.deleteIfExists(partial(fileId));
            return;
        }
        try {
            Files.move(partial(fileId), target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial(fileId), target);
        }
    }

    void deletePartial(long fileId) throws IOException {
        Files.deleteIfExists(partial(fileId));
    }

    void deleteBlob(String sha256) throws IOException {
        Files.deleteIfExists(blob(sha256));
    }
}
