package chat.client.term;

import chat.client.ChatEvent;
import chat.client.Contacts;
import chat.common.text.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion: the first word of a line from the commands ({@code /jo} → {@code /join}), any
 * other from my friends' names and my groups ({@code #team}). The names come from the library's
 * contact list after each login and after a command of mine that changes it (the server tells
 * only my other devices), and are kept current by the events (a friend added or removed, a group
 * joined, left, renamed or disbanded), on the client's event thread; the line reader asks on
 * its own thread, hence the concurrent map.
 */
final class Completions implements Completer {

    private final Supplier<Set<String>> commands;
    private final Predicate<String> isMe;
    /** A friend: the name, and my alias for them shown beside it (empty: none). */
    private record Known(String name, String alias) {}

    /** My friends by their names' keys. */
    private final Map<String, Known> friends = new ConcurrentHashMap<>();
    /** {@code #team} by the group's id. */
    private final Map<Long, String> groups = new ConcurrentHashMap<>();

    Completions(Supplier<Set<String>> commands, Predicate<String> isMe) {
        this.commands = commands;
        this.isMe = isMe;
    }

    /** After a login: the contact list as the server has it now. */
    void contacts(Contacts c) {
        friends.clear();
        groups.clear();
        c.friends().forEach(f -> friends.put(Names.key(f.name()), new Known(f.name(), f.alias())));
        c.groups().forEach(g -> groups.put(g.id(), "#" + g.name()));
    }

    /** Keeps the names current as things change (event thread). */
    void accept(ChatEvent e) {
        if (e instanceof ChatEvent.FriendAdded a) {
            friends.put(Names.key(a.friend()), new Known(a.friend(), ""));
        } else if (e instanceof ChatEvent.FriendRemoved r) {
            friends.remove(Names.key(r.friend()));
        } else if (e instanceof ChatEvent.GroupJoined j && isMe.test(j.who())) {
            groups.put(j.groupId(), "#" + j.group());
        } else if (e instanceof ChatEvent.GroupLeft l && isMe.test(l.who())) {
            groups.remove(l.groupId());
        } else if (e instanceof ChatEvent.GroupDeleted d) {
            groups.remove(d.groupId());
        } else if (e instanceof ChatEvent.GroupRenamed r) {
            groups.computeIfPresent(r.groupId(), (id, old) -> "#" + r.newName());
        }
    }

    /** What {@code word} may become: a command when it is the line's first word, else a name or a group. */
    List<String> candidates(String word, boolean first) {
        Set<String> all = new TreeSet<>();
        if (first && word.startsWith("/")) {
            commands.get().forEach(c -> all.add("/" + c));
        } else {
            friends.values().forEach(f -> all.add(f.name()));
            all.addAll(groups.values());
        }
        List<String> out = new ArrayList<>();
        for (String c : all) {
            if (c.regionMatches(true, 0, word, 0, word.length())) {
                out.add(c);
            }
        }
        return out;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> out) {
        for (String c : candidates(line.word().substring(0, line.wordCursor()), line.wordIndex() == 0)) {
            Known f = friends.get(Names.key(c));
            String shown = f != null && !f.alias().isEmpty() ? c + " (" + f.alias() + ")" : c;
            out.add(new Candidate(c, shown, null, null, null, null, true));
        }
    }
}
