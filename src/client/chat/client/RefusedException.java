package chat.client;

import chat.common.proto.ErrorCode;

/** The server refused a request: {@link #code} for programs, the message for people. */
public final class RefusedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public RefusedException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
