package chat.client.desktop.model;

/**
 * An invitation to a group waiting for my answer (protocol 1.4): the group's key ({@code !id})
 * and name, who invited me, when. Accepting joins the group; declining tells the inviter.
 */
public record Invitation(String key, String group, String by, long time) {}
