package chat.client.desktop.model;

/** A refused or failed request, with a message for the user (already in their language). */
public final class ChatFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The protocol's error code ({@code auth-failed}, {@code no-such-user}...), or empty. */
    private final String code;

    public ChatFailure(String code, String message) {
        super(message);
        this.code = code == null ? "" : code;
    }

    public String code() {
        return code;
    }

    /** The ChatFailure behind a failed future's exception, or one that wraps what happened. */
    public static ChatFailure of(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ChatFailure f) {
            return f;
        }
        String message = cause.getMessage();
        return new ChatFailure("", message == null || message.isBlank() ? cause.getClass().getSimpleName() : message);
    }
}
