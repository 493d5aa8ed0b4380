package chat.server.store;

/** A database operation failed; the message says which one. */
public final class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreException(String doing, Throwable cause) {
        super(doing + ": " + cause.getMessage(), cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
