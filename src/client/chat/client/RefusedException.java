package chat.client;

import chat.common.proto.ErrorCode;

/**
 * The server refused a request: {@link #code} for programs, the message for people, and for
 * {@code throttled} the seconds it asked to wait (1.4).
 */
public final class RefusedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;
    private final long retryAfterSeconds;

    public RefusedException(ErrorCode code, String message) {
        this(code, message, 0);
    }

    public RefusedException(ErrorCode code, String message, long retryAfterSeconds) {
        super(message);
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public ErrorCode code() {
        return code;
    }

    /** The seconds a {@code throttled} refusal asked to wait; 0 when it said none (a 1.3 server). */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
