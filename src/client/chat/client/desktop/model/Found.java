package chat.client.desktop.model;

/** A message that a search found, with the conversation it is in ({@link Conversation#key()}). */
public record Found(String key, ChatMessage message) {}
