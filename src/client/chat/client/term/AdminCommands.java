package chat.client.term;

import chat.common.proto.Item;
import java.util.Map;

/**
 * The admins' commands (protocol 1.4): {@code /stats}, {@code /connections}, {@code /disconnect},
 * {@code /ban}, {@code /unban}, {@code /bans}. Anyone may type them; the server answers only its
 * admins, and refuses the others in words ({@code error.code.forbidden}). {@code /help admin}
 * lists them, so that the plain {@code /help} stays about chatting.
 */
final class AdminCommands {

    private final ShellIo io;
    private final Notices notices;

    AdminCommands(ShellIo io, Notices notices) {
        this.io = io;
        this.notices = notices;
    }

    /** Runs {@code command} if it is one of these; whether it was. */
    boolean run(String command, String rest) {
        switch (command) {
            case "stats" -> io.call(() -> io.client.admin().stats(), this::stats);
            case "connections" -> io.call(() -> io.client.admin().connections(), list -> {
                io.say("admin.connections", Integer.toString(list.size()));
                for (Item.ConnectionInfo c : list) {
                    io.say("admin.connection", Long.toString(c.id()), Notices.printable(c.user()), c.address(),
                            c.protocol(), notices.time(c.since()), Long.toString(c.idleSeconds()),
                            Long.toString(c.backlog()));
                }
            });
            case "disconnect" -> io.withName(rest, "/disconnect ID", id -> {
                long n = id(id);
                if (n > 0) {
                    io.call(() -> io.client.admin().disconnect(n), ok -> io.say("admin.disconnected", id));
                }
            });
            case "ban" -> ban(rest);
            case "unban" -> io.withName(rest, "/unban USER|@ADDRESS", target -> io.call(
                    () -> io.client.admin().unban(target), ok -> io.say("admin.unbanned", Notices.printable(target))));
            case "bans" -> io.call(() -> io.client.admin().bans(), list -> {
                if (list.isEmpty()) {
                    io.say("admin.bans.none");
                    return;
                }
                io.say("admin.bans", Integer.toString(list.size()));
                for (Item.BanInfo b : list) {
                    String target = (b.kind().equals(Item.BanInfo.ADDRESS) ? "@" : "") + Notices.printable(b.target());
                    String when = b.forGood() ? io.texts.get("admin.forGood") : io.texts.get("admin.until", notices.time(b.until()));
                    io.say("admin.ban", target, when, Notices.printable(b.reason()), Notices.printable(b.by()),
                            notices.time(b.at()));
                }
            });
            default -> {
                return false;
            }
        }
        return true;
    }

    private void stats(Map<String, String> stats) {
        io.say("admin.stats");
        stats.forEach((name, value) -> io.say("admin.stats.line", name, value));
    }

    /** {@code /ban USER|@ADDRESS MINUTES REASON...}; minutes 0: for good. */
    private void ban(String rest) {
        String[] parts = rest.split("\\s+", 3);
        if (parts.length < 3 || parts[0].isEmpty() || parts[2].isBlank()) {
            io.say("account.error.usage", "/ban USER|@ADDRESS MINUTES REASON");
            return;
        }
        long minutes;
        try {
            minutes = Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            minutes = -1;
        }
        if (minutes < 0) {
            io.say("admin.error.minutes", parts[1]);
            return;
        }
        String target = parts[0];
        long m = minutes;
        io.call(() -> io.client.admin().ban(target, m, parts[2].strip()), until -> {
            if (until == 0) {
                io.say("admin.bannedForGood", Notices.printable(target));
            } else {
                io.say("admin.banned", Notices.printable(target), notices.time(until));
            }
        });
    }

    /** A connection number, or -1 after saying it is none. */
    private long id(String s) {
        try {
            long n = Long.parseLong(s.startsWith("#") ? s.substring(1) : s);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        io.say("admin.error.id", s);
        return -1;
    }
}
