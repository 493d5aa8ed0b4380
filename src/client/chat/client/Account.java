package chat.client;

/** Who this client is logged in as: the account as the server spells it, and this installation's device. */
public record Account(String name, String device) {}
