package chat.client.desktop.model;

/** A friend request waiting for an answer: to me ({@code incoming}) or from me. */
public record FriendRequest(String name, boolean incoming, long time) {}
