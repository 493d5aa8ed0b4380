package chat.client.desktop.model;

/** What the window tells the user about the link to the server; always visible in the main window. */
public enum ConnectionState {
    /** Signing in or resuming, the first time. */
    CONNECTING,
    /** Signed in, caught up: what is shown is what the server has. */
    ONLINE,
    /** The link broke; the library is reconnecting on its own. Typed messages wait. */
    RECONNECTING,
    /** Signed out, or the server refused us (the reason is shown with it). */
    OFFLINE
}
