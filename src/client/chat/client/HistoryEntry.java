package chat.client;

import chat.common.proto.ChatMessage;
import chat.common.proto.FileOffer;

/**
 * A message in the local history, with where it stands from this device's point of view. A
 * message of mine still {@link DeliveryState#PENDING} has id 0 and this device's time; once the
 * server stored it, its id and time are the server's.
 *
 * <p>A file offer is a message too: {@link #file} is then the offer (and the text its file name);
 * it is {@code null} for a text.
 */
public record HistoryEntry(ChatMessage message, DeliveryState state, FileOffer file) {

    /** A text. */
    public HistoryEntry(ChatMessage message, DeliveryState state) {
        this(message, state, null);
    }

    /** Where a message stands, from this device's point of view. */
    public enum DeliveryState {
        /** Written by me here, not yet confirmed by the server; sent again after a reconnect. */
        PENDING,
        /** Written by me (here or on another device) and stored by the server. */
        SENT,
        /**
         * Written by me to a friend, and received by one of their devices (the server's
         * {@code DELIVERED} receipt, which only an online device of mine hears of). Private
         * messages only.
         */
        DELIVERED,
        /** Written to me, or to a group of mine, by someone else. */
        RECEIVED,
        /** Written by me here and refused by the server (no longer friends, say); never sent again. */
        FAILED
    }

    public long id() { return message.id(); }
    public long time() { return message.time(); }
    public String from() { return message.from(); }
    /** The recipient's name, or {@code #group} with the group's current name. */
    public String to() { return message.to(); }
    public String text() { return message.text(); }
    public boolean isGroup() { return message.isGroup(); }
    /** Whether this is a file offer ({@link #file}). */
    public boolean isFile() { return file != null; }
}
