package chat.server.files;

import chat.common.io.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where a relayed file's bytes are: {@code FILES/blobs/ab/<sha256>} once complete (stored once
 * per content), {@code FILES/partial/<file-id>} while uploading ({@code FILES}: {@code --files},
 * by default {@code DATA/files}; one folder the nodes of a cluster share, where the hash names a
 * content and the database's id a file whichever node wrote them). Every path is built from a
 * number or from 64 hex digits the protocol checked, never from a name a user gave, so no file
 * name can reach anything else on disk. Folders 0700, files 0600. Called on the files thread only.
 */
final class Blobs {

    private final Path partial;
    private final Path blobs;

    Blobs(Path root) {
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

    /**
     * Moves a complete upload to its blob; when that content is there already, the upload is
     * dropped. Another node may complete the same content at the same moment: a rename over it is
     * the same bytes, and a move that finds it made meanwhile drops this copy.
     */
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
            try {
                Files.move(partial(fileId), target);
            } catch (FileAlreadyExistsException madeMeanwhile) {
                Files.deleteIfExists(partial(fileId));
            }
        }
    }

    void deletePartial(long fileId) throws IOException {
        Files.deleteIfExists(partial(fileId));
    }

    /**
     * The first step of deleting a blob: it is renamed aside ({@code <sha256>.deleting-<file-id>}),
     * so that an upload of the same content completing now (on another node of a cluster) finds no
     * blob and moves its own bytes in. The caller then asks the database whether a live offer holds
     * the content after all, and {@link #restore}s or {@link #discard}s it. Null when there was no blob.
     */
    Path setAside(String sha256, long fileId) throws IOException {
        Path blob = blob(sha256);
        Path aside = blob.resolveSibling(sha256 + ".deleting-" + fileId);
        try {
            Files.move(blob, aside, StandardCopyOption.ATOMIC_MOVE);
            return aside;
        } catch (NoSuchFileException gone) {
            return null;
        }
    }

    /** A blob set aside is needed after all: back in place, unless an upload has put the same bytes there. */
    void restore(Path aside, String sha256) throws IOException {
        try {
            Files.move(aside, blob(sha256), StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException madeMeanwhile) {
            Files.deleteIfExists(aside);
        }
    }

    void discard(Path aside) throws IOException {
        Files.deleteIfExists(aside);
    }
}
