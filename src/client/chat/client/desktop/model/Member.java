package chat.client.desktop.model;

/** A group member as the members list shows it. */
public record Member(String name, boolean online, boolean owner) {}
