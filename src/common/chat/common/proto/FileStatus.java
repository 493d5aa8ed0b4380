package chat.common.proto;

import java.util.Locale;

/**
 * Where a relayed file is, as {@code FILE_STATE} pushes and {@code FILE_INFO} items say it. An
 * upload is {@link #UPLOADING} until its last byte arrives and its hash matches ({@link #READY}) or
 * not ({@link #FAILED}: the sender may upload again from 0). {@link #CANCELLED} and {@link #EXPIRED}
 * are final: the bytes are gone.
 */
public enum FileStatus {
    UPLOADING,
    READY,
    CANCELLED,
    EXPIRED,
    FAILED,
    /** A newer server's state: never written; a client shows it as not downloadable. */
    UNKNOWN;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the file can never become ready again. */
    public boolean isFinal() {
        return this == CANCELLED || this == EXPIRED;
    }

    public static FileStatus fromWire(String s) {
        for (FileStatus st : values()) {
            if (st != UNKNOWN && st.wire().equals(s)) {
                return st;
            }
        }
        return UNKNOWN;
    }
}
