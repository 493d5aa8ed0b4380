package chat.client.desktop.model;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a file stands, as its bubble shows it: the server's state of the offer, and this device's
 * transfer of its bytes (my upload, or my download of someone's offer).
 *
 * @param state    the server's state of the offer; {@link State#UNKNOWN} until told
 * @param transfer this device's transfer of it
 * @param bytes    bytes moved by that transfer so far
 * @param total    the file's size, as the transfer counts it
 * @param rate     the transfer's bytes per second, lately
 * @param path     the file on this device: the one I sent, or where I saved someone's; null when none
 * @param error    why the transfer (or my offer) failed, in the user's language; empty otherwise
 */
public record FileStatus(State state, Transfer transfer, long bytes, long total, double rate, Path path,
        String error) {

    /** The server's states of an offer (the protocol's words, lower case on the wire). */
    public enum State {
        /** Not told yet (a message from history, before the file list came). */
        UNKNOWN,
        /** The sender's bytes are still going up: recipients cannot save it yet. */
        UPLOADING,
        READY,
        /** The sender withdrew it; its bytes are gone. */
        CANCELLED,
        /** Past its days on the server; its bytes are gone. */
        EXPIRED,
        /** The uploaded bytes did not match the offer's SHA-256; the sender may upload again. */
        FAILED;

        /** The state named by the protocol's word; UNKNOWN for a word this client does not know. */
        public static State parse(String wire) {
            try {
                return valueOf(wire.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return UNKNOWN;
            }
        }

        /** Whether the bytes are gone for good. */
        public boolean isFinal() {
            return this == CANCELLED || this == EXPIRED;
        }
    }

    /** This device's part. */
    public enum Transfer {
        NONE,
        /** My bytes are going up. */
        UPLOADING,
        /** Someone's file is coming down to me. */
        DOWNLOADING,
        /** Uploaded (mine) or saved at {@link #path} (someone's). */
        DONE,
        /** Stopped with {@link #error}. */
        FAILED
    }

    public static final FileStatus UNKNOWN = new FileStatus(State.UNKNOWN, Transfer.NONE, 0, 0, 0, null, "");

    public FileStatus {
        error = error == null ? "" : error;
    }

    public FileStatus withState(State s) {
        return new FileStatus(s, transfer, bytes, total, rate, path, error);
    }

    /** A transfer of {@code size} bytes started (or started again). */
    public FileStatus started(Transfer t, long size, Path file) {
        return new FileStatus(state, t, 0, size, 0, file, "");
    }

    public FileStatus progress(long moved, long size, double bytesPerSecond) {
        return new FileStatus(state, transfer, moved, size, bytesPerSecond, path, error);
    }

    /** The transfer finished: every byte moved; {@code file} is where it is here. */
    public FileStatus done(Path file) {
        return new FileStatus(state, Transfer.DONE, total, total, rate, file, "");
    }

    public FileStatus failed(String why) {
        return new FileStatus(state, Transfer.FAILED, bytes, total, 0, path, why);
    }

    /** How far the transfer is, 0 to 1: what the bubble's bar shows. */
    public double fraction() {
        if (transfer == Transfer.DONE) {
            return 1;
        }
        return total <= 0 ? 0 : Math.min(1, (double) bytes / total);
    }
}
