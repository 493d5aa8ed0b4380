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
    /** My names for my friends: shown beside theirs, and typing one completes the friend's name. */
    private final Aliases aliases;

    /** My friends' names by their keys. */
    private final Map<String, String> friends = new ConcurrentHashMap<>();
    /** {@code #team} by the group's id. */
    private final Map<Long, String> groups = new ConcurrentHashMap<>();

    Completions(Supplier<Set<String>> commands, Predicate<String> isMe, Aliases aliases) {
        this.commands = commands;
        this.isMe = isMe;
        this.aliases = aliases;
    }

    /** After a login: the contact list as the server has it now. */
    void contacts(Contacts c) {
        friends.clear();
        groups.clear();
        c.friends().forEach(f -> friends.put(Names.key(f.name()), f.name()));
        c.groups().forEach(g -> groups.put(g.id(), "#" + g.name()));
    }

    /** Keeps the names current as things change (event thread). */
    void accept(ChatEvent e) {
        if (e instanceof ChatEvent.FriendAdded a) {
            friends.put(Names.key(a.friend()), a.friend());
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

    /**
     * What {@code word} may become: a command when it is the line's first word, else a friend
     * whose name or my alias for them starts with it ({@code Ro} gives {@code bob} when I call
     * bob Robert), or a group.
     */
    List<String> candidates(String word, boolean first) {
        Set<String> all = new TreeSet<>();
        if (first && word.startsWith("/")) {
            commands.get().forEach(c -> all.add("/" + c));
        } else {
            all.addAll(friends.values());
            all.addAll(groups.values());
        }
        List<String> out = new ArrayList<>();
        for (String c : all) {
            if (startsWith(c, word) || friends.containsKey(Names.key(c)) && startsWith(aliases.of(c), word)) {
                out.add(c);
            }
        }
        return out;
    }

    /** Case aside; an empty alias starts nothing. */
    private static boolean startsWith(String s, String prefix) {
        return !s.isEmpty() && s.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    /**
     * The candidates, already chosen by {@link #candidates}: a friend's shows my alias beside the
     * name ({@code bob (Robert)} in the list; the line gets {@code bob}). JLine's own matching,
     * which knows only the names, is told to take them all ({@link JLineConsole}).
     */
    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> out) {
        for (String c : candidates(line.word().substring(0, line.wordCursor()), line.wordIndex() == 0)) {
            String alias = friends.containsKey(Names.key(c)) ? aliases.of(c) : "";
            String shown = alias.isEmpty() ? c : c + " (" + alias + ")";
            out.add(new Candidate(c, shown, null, null, null, null, true));
        }
    }
}
