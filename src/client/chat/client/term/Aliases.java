package chat.client.term;

import chat.client.Texts;
import chat.common.proto.Item;
import chat.common.text.Names;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * My names for my friends ({@code /alias bob Bobby}), so that a friend's name shows with mine
 * before it wherever it is shown: {@code Bobby (bob)} in messages, presence, lists and Tab's
 * choices. Learnt from the server's lists (CONTACTS after a login and after a change of mine,
 * FRIENDS) and from my own /alias at once; the server tells my other devices of an alias only in
 * those lists. Read from the event thread and the line reader's, hence the concurrent map.
 */
final class Aliases {

    private final Texts texts;
    /** Alias by the friend's name key; a friend without one is absent. */
    private final Map<String, String> byKey = new ConcurrentHashMap<>();

    Aliases(Texts texts) {
        this.texts = texts;
    }

    /** The friends as a list from the server has them: every alias replaced. */
    void friends(List<Item.Friend> friends) {
        byKey.clear();
        friends.forEach(f -> set(f.name(), f.alias()));
    }

    /** {@code alias} for {@code friend}; empty clears it. */
    void set(String friend, String alias) {
        if (alias.isEmpty()) {
            byKey.remove(Names.key(friend));
        } else {
            byKey.put(Names.key(friend), alias);
        }
    }

    /** My alias for {@code name}, empty when none. */
    String of(String name) {
        return byKey.getOrDefault(Names.key(name), "");
    }

    /** {@code name} as shown, printable: {@code Bobby (bob)}, or {@code bob} when it has no alias. */
    String shown(String name) {
        String alias = of(name);
        String printable = Notices.printable(name);
        return alias.isEmpty() ? printable : texts.get("account.friend.alias", printable, Notices.printable(alias));
    }
}
