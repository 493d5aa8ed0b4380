package chat.client;

import chat.client.HistoryEntry.DeliveryState;
import chat.common.proto.FileOffer;

/**
 * A file offered in a conversation ({@code FILE} push or {@code HIST_FILE} item), with where it
 * stands from this device's point of view ({@code SENT} by me, or {@code RECEIVED}). The local
 * history keeps it as a message of its own kind, in order with the texts (its
 * {@link HistoryEntry#file}); {@link ChatClient#download} takes its {@link #fileId}.
 */
public record FileOfferEntry(FileOffer offer, DeliveryState state) {

    public long fileId() { return offer.fileId(); }
    public long messageId() { return offer.id(); }
    public long time() { return offer.time(); }
    public String from() { return offer.from(); }
    /** The recipient's name, or {@code #group}. */
    public String to() { return offer.to(); }
    public String name() { return offer.name(); }
    public long size() { return offer.size(); }
    public String sha256() { return offer.sha256(); }
    public boolean isGroup() { return offer.isGroup(); }
}
