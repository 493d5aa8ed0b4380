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
 * @param file     the file this message offers (its text is then the file's name, so that search
 *                 and the conversation list's preview find and show it), or null for a text
 */
public record ChatMessage(long id, String clientId, long time, String from, String text, Delivery delivery,
        FileRef file) {

    /** A text message. */
    public ChatMessage(long id, String clientId, long time, String from, String text, Delivery delivery) {
        this(id, clientId, time, from, text, delivery, null);
    }

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
        return new ChatMessage(serverId, clientId, serverTime, from, text, Delivery.STORED, file);
    }

    /** My file offer, stored by the server as file {@code fileId}. */
    public ChatMessage stored(long serverId, long serverTime, long fileId) {
        return new ChatMessage(serverId, clientId, serverTime, from, text, Delivery.STORED,
                new FileRef(fileId, file.name(), file.size()));
    }

    public ChatMessage failed() {
        return new ChatMessage(id, clientId, time, from, text, Delivery.FAILED, file);
    }

    public ChatMessage sending() {
        return new ChatMessage(id, clientId, time, from, text, Delivery.SENDING, file);
    }

    public boolean isFile() {
        return file != null;
    }
}
