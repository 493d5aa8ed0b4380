package chat.client;

import chat.common.proto.Item;
import java.util.List;

/** The answer to CONTACTS: my friends, my groups (the lobby when I am in it), and pending friend requests both ways. */
public record Contacts(List<Item.Friend> friends, List<Item.GroupInfo> groups, List<Item.Pending> pending) {
    public Contacts {
        friends = List.copyOf(friends);
        groups = List.copyOf(groups);
        pending = List.copyOf(pending);
    }
}
