package chat.server.command;

import static chat.common.proto.ErrorCode.BAD_NAME;
import static chat.common.proto.ErrorCode.BAD_REQUEST;
import static chat.common.proto.ErrorCode.FORBIDDEN;
import static chat.common.proto.ErrorCode.NOT_BANNED;
import static chat.common.proto.ErrorCode.NO_SUCH_CONNECTION;
import static chat.common.proto.ErrorCode.NO_SUCH_USER;
import static chat.common.proto.ErrorCode.SELF;

import chat.common.proto.Item;
import chat.common.proto.Push;
import chat.common.proto.Replies;
import chat.common.proto.Request;
import chat.common.text.Names;
import chat.server.hub.Hub;
import chat.server.hub.Session;
import chat.server.reactor.Connection;
import chat.server.store.Store;
import chat.server.store.Store.Ban;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.Supplier;

/**
 * The admins' commands (protocol 1.4): STATS, CONNECTIONS, DISCONNECT, BAN, UNBAN and BANS, for
 * the accounts named by {@code --admins}; anyone else gets {@code forbidden}. What changes
 * something goes to the audit log ({@link Audit}).
 *
 * <p>A ban is stored first, then kept in {@link Bans} and carried out: an account's sessions, on
 * every device, get {@code BYE:banned} and are closed; so is every connection from a banned
 * address (a legacy or data connection is closed without a word: it has no BYE). An admin cannot
 * ban itself or the address it is connected from, nor disconnect its own connection: a slip would
 * lock out the one who could undo it.
 */
final class Admin {

    private static final System.Logger LOG = System.getLogger(Admin.class.getName());

    private final Services services;
    private final Bans bans;
    private final Audit audit;
    private final ServerView view;
    /** STATS's fields from the commands themselves (the password hashers'), after the server's. */
    private final Supplier<List<String>> moreStats;
    private BanPeers peers = BanPeers.NONE;
    /** Changes made to {@link #bans} so far: a reload whose read began before one is stale. */
    private long banChanges;
    /** A reload's read is out; {@link #reloadAgain}: another was asked for meanwhile. */
    private boolean reloading;
    private boolean reloadAgain;

    Admin(Services services, Bans bans, Audit audit, ServerView view, Supplier<List<String>> moreStats) {
        this.services = services;
        this.bans = bans;
        this.audit = audit;
        this.view = view;
        this.moreStats = moreStats;
    }

    /** Whether {@code r} is one of the admins' requests. */
    static boolean handles(Request r) {
        return r instanceof Request.Stats || r instanceof Request.Connections || r instanceof Request.Disconnect
                || r instanceof Request.Ban || r instanceof Request.Unban || r instanceof Request.Bans;
    }

    void dispatch(Client c, String tag, Session me, Request r) {
        if (!services.settings().isAdmin(me.name)) {
            LOG.log(Level.INFO, () -> c + " - " + r.command() + " refused: not an admin");
            c.fail(tag, r.command(), FORBIDDEN, r.command() + " is for the server's admins");
            return;
        }
        if (r instanceof Request.Stats) {
            var fields = new ArrayList<>(view.stats());
            fields.addAll(moreStats.get());
            c.ok(tag, "STATS", fields.toArray(String[]::new));
        } else if (r instanceof Request.Connections) {
            view.everyConnection(items -> c.list(tag, "CONNECTIONS", items));
        } else if (r instanceof Request.Disconnect d) {
            disconnect(c, tag, me, d);
        } else if (r instanceof Request.Ban ban) {
            ban(c, tag, me, ban);
        } else if (r instanceof Request.Unban unban) {
            unban(c, tag, me, unban);
        } else if (r instanceof Request.Bans) {
            c.list(tag, "BANS", bans.all().stream().map(Admin::item).toList());
        } else {
            throw new IllegalStateException("not an admin's request: " + r);
        }
    }

    private static Item.BanInfo item(Ban b) {
        return new Item.BanInfo(b.kind(), b.target(), b.until(), b.reason(), b.by(), b.at());
    }

    private void disconnect(Client c, String tag, Session me, Request.Disconnect r) {
        long id = r.connectionId();
        if (id == view.idOf(c.connection)) {
            c.fail(tag, r.command(), SELF, "that is this connection; QUIT closes it");
            return;
        }
        String who = disconnectHere(id, me.name);
        if (who != null) {
            disconnected(c, tag, me, r, who);
        } else if (!view.disconnectElsewhere(id, me.name, elsewhere -> {
            if (elsewhere != null) {
                disconnected(c, tag, me, r, elsewhere);
            } else {
                c.fail(tag, r.command(), NO_SUCH_CONNECTION, "no open connection #" + id);
            }
        })) {
            c.fail(tag, r.command(), NO_SUCH_CONNECTION, "no open connection #" + id);
        }
    }

    private void disconnected(Client c, String tag, Session me, Request.Disconnect r, String who) {
        audit.record(services.now(), me.name, "disconnect", "#" + r.connectionId() + " " + who, "");
        c.ok(tag, r.command());
    }

    /**
     * Closes this node's connection {@code id} (as CONNECTIONS numbers it) for {@code admin}:
     * what was closed ({@code user address}), or null when there is no such open connection.
     */
    String disconnectHere(long id, String admin) {
        for (Connection target : view.connections()) {
            if (view.idOf(target) == id && target.isWritable()) {
                String who = view.describe(target).user() + " " + target.remoteAddress().getAddress().getHostAddress();
                close(target, Push.Bye.DISCONNECTED, "disconnected by an admin", "disconnected by " + admin);
                return who;
            }
        }
        return null;
    }

    /** Says goodbye when the connection speaks text, then closes it once that is written. */
    private void close(Connection target, String reason, String message, String why) {
        if (view.speaksText(target)) {
            target.write(Hub.encode(new Push.Bye(reason, message)));
        }
        target.closeAfterFlush(why);
    }

    private void ban(Client c, String tag, Session me, Request.Ban r) {
        if (r.reason().isBlank() || r.reason().length() > Request.Ban.MAX_REASON) {
            c.fail(tag, r.command(), BAD_REQUEST, "a ban's reason has 1 to " + Request.Ban.MAX_REASON + " characters");
            return;
        }
        long now = services.now();
        long until = r.minutes() == 0 ? 0 : now + r.minutes() * 60_000;
        if (r.target().startsWith(Request.Ban.ADDRESS_MARK)) {
            String address = address(c, tag, r.command(), r.target());
            if (address == null) {
                return; // answered
            } else if (address.equals(Accounts.addressKey(c.connection.remoteAddress().getAddress()))) {
                c.fail(tag, r.command(), SELF, "you are connected from " + address + "; ban it from elsewhere");
            } else {
                store(c, tag, me, r, new Ban(Store.BAN_ADDRESS, address, until, r.reason(), me.name, now), null);
            }
            return;
        }
        String problem = Names.problem(r.target());
        if (problem != null) {
            c.fail(tag, r.command(), BAD_NAME, problem);
            return;
        }
        if (Names.key(r.target()).equals(Names.key(me.name))) {
            c.fail(tag, r.command(), SELF, "an admin cannot ban itself");
            return;
        }
        var s = services;
        s.read(c, () -> s.store().userByKey(Names.key(r.target())), (user, failed) -> {
            if (c.failed(tag, r.command(), "looking up a user", failed)) {
                return;
            }
            if (user.isEmpty()) {
                c.fail(tag, r.command(), NO_SUCH_USER, "no user " + r.target());
                return;
            }
            store(c, tag, me, r, new Ban(Store.BAN_ACCOUNT, user.get().name(), until, r.reason(), me.name, now),
                    user.get().id());
        });
    }

    /** The address an {@code @address} target names, as bans keep it; null after answering that it is none. */
    private static String address(Client c, String tag, String command, String target) {
        String address = Bans.normalize(target.substring(Request.Ban.ADDRESS_MARK.length()));
        if (address == null) {
            c.fail(tag, command, BAD_REQUEST, "not an IP address: " + target);
        }
        return address;
    }

    /** Stores the ban, then keeps it, carries it out and answers; {@code userId} for an account's. */
    private void store(Client c, String tag, Session me, Request.Ban r, Ban ban, Long userId) {
        var s = services;
        s.write(c, () -> {
            s.store().putBan(ban);
            return null;
        }, (ignored, failed) -> {
            if (c.failed(tag, r.command(), "storing a ban", failed)) {
                return;
            }
            bans.put(ban);
            banChanges++;
            int closed = enforce(ban, userId);
            peers.banned(ban, userId == null ? 0 : userId);
            // The reason is the audit's to log, escaped (Audit.record): it may hold a newline.
            LOG.log(Level.INFO, () -> c + " - banned " + ban.kind() + " " + ban.target() + "; " + closed
                    + " connections closed");
            audit.record(ban.at(), me.name, ban.kind().equals(Store.BAN_ACCOUNT) ? "ban" : "ban-address",
                    ban.target(), (ban.until() == 0 ? "for good" : r.minutes() + " min") + ": " + ban.reason());
            c.ok(tag, r, new Replies.BanOk(ban.until()));
        });
    }

    /**
     * Closes this node's connections that {@code ban} shuts out: the sessions of account
     * {@code userId} (null: an address's ban, every connection from it). Returns how many.
     */
    private int enforce(Ban ban, Long userId) {
        String why = Bans.describe(ban);
        int cut = 0;
        if (userId != null) {
            for (Session session : services.hub().sessions(userId)) {
                close(session.connection, Push.Bye.BANNED, "this account is banned " + why, "banned");
                cut++;
            }
        } else {
            for (Connection target : view.connections()) {
                if (target.isWritable() && Accounts.addressKey(target.remoteAddress().getAddress()).equals(ban.target())) {
                    close(target, Push.Bye.BANNED, "this address is banned " + why, "address banned");
                    cut++;
                }
            }
        }
        return cut;
    }

    /** Tells {@code peers} (a cluster's other nodes) of every ban and unban made here from now on. */
    void tell(BanPeers peers) {
        this.peers = peers;
    }

    /**
     * A ban made on another node of the cluster ({@code userId}: the account's, 0 for an
     * address's): kept here too, and this node's connections it shuts out are closed.
     */
    void bannedElsewhere(Ban ban, long userId) {
        bans.put(ban);
        banChanges++;
        int closed = enforce(ban, userId == 0 ? null : userId);
        LOG.log(Level.INFO, () -> "banned on another node: " + ban.kind() + " " + ban.target() + "; " + closed
                + " connections closed here");
    }

    /** A ban lifted on another node of the cluster: lifted here too. */
    void unbannedElsewhere(Ban ban) {
        bans.remove(ban);
        banChanges++;
    }

    /** A ban read from the store, with its account's id (null: an address's ban, or an account gone). */
    private record Held(Ban ban, Long userId) {}

    /**
     * Reads the bans from the store again and keeps exactly those, closing the connections that a
     * ban found only now shuts out: in a cluster, a BAN or UNBAN another node published while this
     * one's subscriber link was down never reached it, and the store has it. A change made or
     * heard while the read is out may be newer than what it read: the read is then made again.
     */
    void reload() {
        if (reloading) {
            reloadAgain = true;
            return;
        }
        reloading = true;
        long changesBefore = banChanges;
        var s = services;
        s.workers().read(() -> {
            List<Held> held = new ArrayList<>();
            for (Ban ban : s.store().bans(s.now())) {
                Long userId = ban.kind().equals(Store.BAN_ACCOUNT)
                        ? s.store().userByKey(Names.key(ban.target())).map(Store.User::id).orElse(null)
                        : null;
                held.add(new Held(ban, userId));
            }
            return held;
        }, (held, failed) -> {
            reloading = false;
            if (failed != null) {
                LOG.log(Level.ERROR, "reading the bans again failed; the next resync reads them", failed);
            } else if (reloadAgain || banChanges != changesBefore) {
                reloadAgain = false;
                reload();
            } else {
                reloaded(held);
            }
        });
    }

    private void reloaded(List<Held> held) {
        var before = new HashSet<>(bans.all());
        List<Ban> now = new ArrayList<>(held.size());
        held.forEach(h -> now.add(h.ban()));
        bans.replaceAll(now);
        int closed = 0;
        for (Held h : held) {
            if (!before.contains(h.ban()) && (h.ban().kind().equals(Store.BAN_ADDRESS) || h.userId() != null)) {
                closed += enforce(h.ban(), h.userId());
            }
        }
        int cut = closed;
        LOG.log(Level.INFO, () -> "bans read again: " + now.size() + " in force; " + cut + " connections closed");
    }

    private void unban(Client c, String tag, Session me, Request.Unban r) {
        Ban ban;
        if (r.target().startsWith(Request.Ban.ADDRESS_MARK)) {
            String address = address(c, tag, r.command(), r.target());
            if (address == null) {
                return; // answered
            }
            ban = bans.address(address);
        } else {
            ban = bans.account(r.target());
        }
        if (ban == null) {
            c.fail(tag, r.command(), NOT_BANNED, r.target() + " is not banned");
            return;
        }
        var s = services;
        s.write(c, () -> s.store().removeBan(ban.kind(), ban.target()), (removed, failed) -> {
            if (c.failed(tag, r.command(), "lifting a ban", failed)) {
                return;
            }
            bans.remove(ban);
            banChanges++;
            peers.unbanned(ban);
            audit.record(s.now(), me.name, ban.kind().equals(Store.BAN_ACCOUNT) ? "unban" : "unban-address",
                    ban.target(), "");
            c.ok(tag, r.command());
        });
    }

    /** Deletes the bans past their time from the store (hourly); the memory drops them as it meets them. */
    void sweep() {
        long now = services.now();
        services.workers().write(() -> services.store().purgeExpiredBans(now), (n, failed) -> {
            if (failed != null) {
                LOG.log(Level.ERROR, "deleting ended bans failed", failed);
            } else if (n > 0) {
                LOG.log(Level.INFO, () -> "deleted " + n + " ended bans");
                bans.all();
            }
        });
    }
}
