package chat.common.proto;

import java.util.Locale;

/**
 * The stable codes of failure replies ({@code COMMAND:false:<code>:<message>}) and of
 * {@code ERR:<code>:<message>} for lines that are no command at all. Clients decide on the code;
 * the message is for people and may change.
 */
public enum ErrorCode {
    UNKNOWN_COMMAND,
    BAD_REQUEST,
    LINE_TOO_LONG,
    NOT_LOGGED_IN,
    ALREADY_LOGGED_IN,
    AUTH_FAILED,
    THROTTLED,
    BAD_NAME,
    BAD_PASSWORD,
    NAME_TAKEN,
    NO_SUCH_USER,
    NOT_FRIENDS,
    ALREADY_FRIENDS,
    NO_REQUEST,
    NO_SUCH_GROUP,
    NOT_MEMBER,
    ALREADY_MEMBER,
    NOT_OWNER,
    OWNER_CANNOT_LEAVE,
    SELF,
    OFFLINE,
    BUSY,
    INTERNAL,
    // files (1.2)
    /** Over the server's --file-max-size. */
    TOO_LARGE,
    /** The sender's live offers would pass --file-quota. */
    OVER_QUOTA,
    /** No such file, or not one this user may touch. */
    NO_SUCH_FILE,
    /** FILE_UPLOAD of a file whose bytes are all there. */
    COMPLETE,
    CANCELLED,
    EXPIRED,
    /** FILE_GET of a file still uploading. */
    NOT_READY,
    /** A data connection's token is unknown, used, expired or for the other direction. */
    BAD_TOKEN,
    /** A data connection's offset is not where the file is. */
    BAD_OFFSET,
    /** The uploaded bytes do not have the offered SHA-256. */
    HASH_MISMATCH,
    // administration (1.4)
    /** An admin's request from an account that is not one (--admins). */
    FORBIDDEN,
    /** LOGIN or RESUME of an account an admin banned; the message says until when and why. */
    BANNED,
    /** UNBAN of a name or address that no ban holds. */
    NOT_BANNED,
    /** DISCONNECT of a connection id that is not open. */
    NO_SUCH_CONNECTION,
    // who may reach whom (1.4)
    /** I blocked that user: ADD or INVITE of them waits for my UNBLOCK. */
    BLOCKED,
    /** INVITE of a user who takes no invitations (policy {@code nobody}). */
    NOT_INVITABLE,
    // TLS (1.4)
    /** LOGIN, REGISTER, RESUME or PASSWD over plain text on a server started with --require-tls. */
    TLS_REQUIRED,
    // connection limits (1.4)
    /**
     * Sent as {@code ERR} to a connection refused at once, before it said anything, because its
     * address has --max-connections-per-address open already; the server then closes it.
     */
    TOO_MANY_CONNECTIONS,
    /**
     * A code this side does not know: a newer peer's. Never written by the server; a client
     * treats it as a plain failure and shows the message.
     */
    UNKNOWN;

    /** The code as written on the wire: lower case, words joined by '-'. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The code written as {@code code}, or {@link #UNKNOWN} for one this version does not know
     * (never {@link #INTERNAL}: that would tell a client to retry what a newer server refused).
     */
    public static ErrorCode fromWire(String code) {
        for (ErrorCode c : values()) {
            if (c.wire().equals(code)) {
                return c;
            }
        }
        return UNKNOWN;
    }
}
