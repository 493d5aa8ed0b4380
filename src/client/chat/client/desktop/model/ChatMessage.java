package chat.client.desktop.model;

/**
 * One message in a conversation view.
 *
 * @param id       the server's id; 0 while my message is still on its way (then clientId names it)
 * @param clientId the id my client gave its own message, so the server's echo replaces the
 *                 pending copy instead of showing twice; empty for others' messages
 * @param time     when the server stored it (ms since 1970); for a pending message, when it was typed
 * @param from     the sender's account name
 * @param text     the text as typed (may hold line breaks, any script, emoji)
 * @param delivery where my message is; others' messages are always {@link Delivery#STORED}
 */
public record ChatMessage(long id, String clientId, long time, String from, String text, Delivery delivery) {

    public enum Delivery {
        /** Typed, not yet confirmed by the server (waits while offline). */
        SENDING,
        /** The server stored it: it reaches the recipient even if they are offline now. */
        STORED,
        /** The server refused it; the user may retry. */
        FAILED
    }

    public ChatMessage {
        clientId = clientId == null ? "" : clientId;
    }

    public ChatMessage stored(long serverId, long serverTime) {
        return new ChatMessage(serverId, clientId, serverTime, from, text, Delivery.STORED);
    }

    public ChatMessage failed() {
        return new ChatMessage(id, clientId, time, from, text, Delivery.FAILED);
    }

    public ChatMessage sending() {
        return new ChatMessage(id, clientId, time, from, text, Delivery.SENDING);
    }
}
