package chat.client;

import java.io.IOException;

/** The connection was not there to send on, or went before the reply came. */
public final class NotConnectedException extends IOException {
    private static final long serialVersionUID = 1L;

    public NotConnectedException(String message) {
        super(message);
    }
}
