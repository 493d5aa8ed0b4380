package chat.server.command;

import chat.common.text.Names;
import chat.server.store.Store;
import chat.server.store.Store.Ban;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The bans in force, in memory: read from the store at start, then changed by BAN and UNBAN after
 * the store has them (and, in a cluster, read again after a node may have missed another's). A LOGIN, a RESUME and every accepted connection ask here, so
 * that none costs a database read; a ban past its time is ignored and dropped when met. Reactor
 * thread only.
 */
public final class Bans {

    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    /** What an IP literal is made of: checked before {@link InetAddress#getByName}, which would ask DNS of a name. */
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    /** Account bans by name key; address bans by the address as {@link #normalize} writes it. */
    private final Map<String, Ban> accounts = new HashMap<>();
    private final Map<String, Ban> addresses = new HashMap<>();
    private final LongSupplier clock;

    /** {@code holding}: the bans the store has (past ones are ignored); {@code clock} in ms since 1970. */
    public Bans(List<Ban> holding, LongSupplier clock) {
        this.clock = clock;
        holding.forEach(this::put);
    }

    void put(Ban ban) {
        if (ban.kind().equals(Store.BAN_ACCOUNT)) {
            accounts.put(Names.key(ban.target()), ban);
        } else {
            addresses.put(ban.target(), ban);
        }
    }

    /** Keeps exactly {@code holding} from now on (a reload from the store). */
    void replaceAll(List<Ban> holding) {
        accounts.clear();
        addresses.clear();
        holding.forEach(this::put);
    }

    void remove(Ban ban) {
        if (ban.kind().equals(Store.BAN_ACCOUNT)) {
            accounts.remove(Names.key(ban.target()));
        } else {
            addresses.remove(ban.target());
        }
    }

    /** The ban that keeps the account {@code name} (any spelling) out now, or null. */
    Ban account(String name) {
        return holding(accounts, Names.key(name));
    }

    /** The ban on {@code address} (as {@link #normalize} writes it) now, or null. */
    Ban address(String address) {
        return holding(addresses, address);
    }

    /** Whether a connection from {@code address} is refused: asked at every accept, so a map lookup. */
    public boolean refuses(InetAddress address) {
        return !addresses.isEmpty() && address(Accounts.addressKey(address)) != null;
    }

    private Ban holding(Map<String, Ban> map, String key) {
        Ban ban = map.get(key);
        if (ban != null && !ban.holds(clock.getAsLong())) {
            map.remove(key);
            return null;
        }
        return ban;
    }

    /** Every ban in force, oldest first; those past their time are dropped on the way. */
    List<Ban> all() {
        long now = clock.getAsLong();
        List<Ban> all = new ArrayList<>();
        for (Map<String, Ban> map : List.of(accounts, addresses)) {
            for (Iterator<Ban> it = map.values().iterator(); it.hasNext(); ) {
                Ban ban = it.next();
                if (ban.holds(now)) {
                    all.add(ban);
                } else {
                    it.remove();
                }
            }
        }
        all.sort(Comparator.comparingLong(Ban::at).thenComparing(Ban::kind).thenComparing(Ban::target));
        return all;
    }

    /**
     * What an address ban holds, as the login budgets count addresses ({@link Accounts#addressKey}):
     * an IPv4 address as the server writes a peer's, an IPv6 address as its /64
     * ({@code 2001:db8:0:0::/64}), since one home or machine holds a whole /64 and a ban on one of
     * its addresses would only move the banned host to the next; so two spellings of one address
     * ({@code ::1}, {@code 0:0:0:0:0:0:0:1}) are one ban too, and a zone ({@code %eth0}) is no way
     * round it. Null for anything that is not an IP literal (a host name is never looked up).
     */
    static String normalize(String literal) {
        if (!(IPV4.matcher(literal).matches() || literal.contains(":") && IPV6.matcher(literal).matches())) {
            return null;
        }
        try {
            return Accounts.addressKey(InetAddress.getByName(literal));
        } catch (UnknownHostException e) {
            return null; // 300.1.1.1 and the like
        }
    }

    /** How long a ban lasts, and why, for people: {@code until 2026-11-26 20:05 UTC: spam}. */
    static String describe(Ban ban) {
        String when = ban.until() == 0 ? "for good" : "until " + SHOWN.format(Instant.ofEpochMilli(ban.until()));
        return when + ": " + ban.reason();
    }
}
