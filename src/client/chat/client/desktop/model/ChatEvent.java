package chat.client.desktop.model;

import java.util.List;

/** What a {@link ChatService} tells the model, on the executor the model gave it (the EDT). */
public sealed interface ChatEvent {

    /** The link changed; {@code detail} says why when it is not plain (a refusal, a BYE reason). */
    record Connection(ConnectionState state, String detail) implements ChatEvent {}

    /**
     * The connection is up on {@code server} ({@code host:port}), one of a cluster's servers:
     * told only when there are several, at the first connection and at each move.
     */
    record OnServer(String server) implements ChatEvent {}

    /** The whole contact list, after sign-in, after a catch-up, or after a change to it. */
    record Contacts(List<Conversation> conversations, List<FriendRequest> requests) implements ChatEvent {}

    /** The invitations to groups waiting for my answer, after each change to the contact list. */
    record Invitations(List<Invitation> invitations) implements ChatEvent {}

    /**
     * A message in conversation {@code key} (a friend's name or {@code !id}): someone else's, or mine
     * from another device, or one of mine whose delivery changed (told apart by its client id).
     */
    record Message(String key, ChatMessage message) implements ChatEvent {}

    /**
     * Older messages of {@code key} that the view may not have yet (the server's page, merged
     * after the local store's was shown): put in place, never counted unread nor notified.
     */
    record Backfill(String key, List<ChatMessage> messages) implements ChatEvent {}

    /** A friend's first device came online or last one went. */
    record Presence(String name, boolean online) implements ChatEvent {}

    /** Another of my devices read conversation {@code key}. */
    record Read(String key) implements ChatEvent {}

    /** The server's state of file {@code fileId} changed: ready, cancelled, expired, or its upload failed. */
    record FileChanged(long fileId, FileStatus.State state) implements ChatEvent {}

    /**
     * A friend's client offers a file directly, on this network (the article's {@code FileTran}):
     * {@code message} is its bubble, its file id negative (the service's own, not the server's:
     * Save fetches it from the friend's client). Nothing is stored: it lasts while the friend's
     * client waits, and is not in the conversation's history.
     */
    record PeerOffer(String key, ChatMessage message) implements ChatEvent {}

    /** Bytes of a transfer on this device moved (told at most about ten times a second). */
    record FileProgress(long fileId, long bytes, long total, double bytesPerSecond) implements ChatEvent {}
}
