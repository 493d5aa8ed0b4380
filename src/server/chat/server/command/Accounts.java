package chat.server.command;

import static chat.common.proto.ErrorCode.ALREADY_LOGGED_IN;
import static chat.common.proto.ErrorCode.AUTH_FAILED;
import static chat.common.proto.ErrorCode.BANNED;
import static chat.common.proto.ErrorCode.BAD_NAME;
import static chat.common.proto.ErrorCode.BAD_PASSWORD;
import static chat.common.proto.ErrorCode.BAD_REQUEST;
import static chat.common.proto.ErrorCode.BUSY;
import static chat.common.proto.ErrorCode.NAME_TAKEN;

import chat.common.proto.Push;
import chat.common.proto.Replies;
import chat.common.proto.Request;
import chat.common.text.LogSafe;
import chat.common.text.Names;
import chat.server.hub.Hub;
import chat.server.hub.OnlineUser;
import chat.server.hub.Session;
import chat.server.store.Store;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

/**
 * REGISTER (and CHECK_NAME before it), LOGIN, RESUME, LOGOUT and PASSWD, and what a session's start and end set off: the
 * hub, presence, the rooms, the catch-up.
 *
 * <p>A login (LOGIN or RESUME) is one writer task once its credentials check out: the device row,
 * the session row, and everything the session starts with (friends, groups, the first page of
 * what waited), read in order with the messages being stored. Its result, back on the reactor,
 * puts the session into the hub and answers, so that whatever is stored after that page reaches
 * the session live or in its next page, never twice.
 *
 * <p>Every password hash (REGISTER, LOGIN, PASSWD) goes through the {@link HashGate} (bounded,
 * per connection and per address, dropped when the connection goes) after the
 * {@link LoginThrottle} or the registration budget has let it; see PROTOCOL.md "Login throttling".
 */
final class Accounts {

    private static final System.Logger LOG = System.getLogger(Accounts.class.getName());

    static final int MIN_PASSWORD = 8;
    static final int MAX_PASSWORD = 1024;
    static final int MAX_DEVICE = 64;

    private final Services services;
    private final Messages messages;
    private final Groups groups;
    private final LoginThrottle throttle;
    private final HashGate hashes;
    private final Bans bans;
    /** REGISTERs per address: --register-limit per --register-window. */
    private final Budgets registrations;
    /** CHECK_NAMEs per address: it tells whether a name exists, as REGISTER does. */
    private final Budgets nameChecks = new Budgets(NAME_CHECKS, NAME_CHECK_SECONDS * 1000L, 100_000);
    /** The other nodes of a cluster, told of each charge to a login budget ({@link Charges#NONE}: one node). */
    private Charges others = Charges.NONE;
    /** When expired sessions were last deleted; a LOGIN or RESUME does it (see {@link #purgeSessions}). */
    private long lastSessionPurge;

    /** Expired sessions are deleted at most once an hour, in batches of this many rows. */
    static final long SESSION_PURGE_MILLIS = 3_600_000;
    static final int SESSION_PURGE_BATCH = 1_000;

    /**
     * CHECK_NAMEs one address may ask: a burst of {@value}, then one every
     * {@value #NAME_CHECK_SECONDS} s; a person choosing a name asks a few times, a list of names
     * being tried asks thousands.
     */
    static final int NAME_CHECKS = 20;
    static final int NAME_CHECK_SECONDS = 3;

    Accounts(Services services, Messages messages, Groups groups, Bans bans) {
        this.services = services;
        this.messages = messages;
        this.groups = groups;
        this.bans = bans;
        var settings = services.settings();
        this.throttle = new LoginThrottle(services.clock());
        this.hashes = new HashGate(services.workers(), settings.hashQueue(), settings.hashPerAddress());
        this.registrations = new Budgets(settings.registerLimit(),
                Math.max(1, settings.registerWindow().toMillis() / settings.registerLimit()), 100_000);
    }

    /** Tells {@code others} (a cluster's other nodes) of every charge to a login budget from now on. */
    void tell(Charges others) {
        this.others = others;
        throttle.tell(others);
    }

    /** A charge made on another node of the cluster: applied here as if made here, never told on. */
    void chargedElsewhere(Charges.Budget budget, String key, String address, boolean newToAddress) {
        if (throttle.chargedElsewhere(budget, key, address, newToAddress)) {
            return;
        }
        long now = services.now();
        switch (budget) {
            case REGISTER -> registrations.charge(key, now);
            case NAME_CHECK -> nameChecks.charge(key, now);
            default -> throw new AssertionError(budget);
        }
    }

    /** STATS's fields about password hashing ({@link HashGate#stats}). */
    List<String> stats() {
        return hashes.stats();
    }

    /**
     * Answers {@code banned} and returns true when an admin banned the account {@code name}. Asked
     * only once the password or the token has proved who is asking (a ban's reason is not for
     * anyone who types the name), and for LOGIN once more just before the session starts, as for
     * RESUME: a BAN that came while the login was on a worker found no session to close, so it is
     * this check that keeps the account out.
     */
    private boolean banned(Client c, String tag, String command, String name) {
        Store.Ban ban = bans.account(name);
        if (ban == null) {
            return false;
        }
        LOG.log(Level.INFO, () -> c + " - " + command + " as " + name + " refused: banned");
        c.fail(tag, command, BANNED, "this account is banned " + Bans.describe(ban));
        return true;
    }

    static String passwordProblem(String password) {
        return password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD
                ? "a password has " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters"
                : null;
    }

    /** Why a device name is not one, or null: 1 to 64 of A-Z a-z 0-9 - _ . */
    static String deviceProblem(String device) {
        if (device.isEmpty() || device.length() > MAX_DEVICE) {
            return "a device name has 1 to " + MAX_DEVICE + " characters";
        }
        for (int i = 0; i < device.length(); i++) {
            char ch = device.charAt(i);
            if (!(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9'
                    || ch == '-' || ch == '_' || ch == '.')) {
                return "a device name has only letters A-Z, digits, '-', '_' and '.'";
            }
        }
        return null;
    }

    void register(Client c, String tag, Request.Register r) {
        String command = r.command();
        String problem = Names.problem(r.name());
        if (problem != null) {
            c.fail(tag, command, BAD_NAME, problem);
            return;
        }
        problem = passwordProblem(r.password());
        if (problem != null) {
            c.fail(tag, command, BAD_PASSWORD, problem);
            return;
        }
        String address = address(c);
        long wait = registrations.take(address, services.now());
        if (wait > 0) {
            c.throttled(tag, command, "too many registrations from this address", seconds(wait));
            return;
        }
        var s = services;
        boolean admitted = hashes.submit(c, address, () -> s.passwords().hash(r.password()), (hash, hashFailed) -> {
            if (hashFailed == HashGate.DROPPED) {
                registrations.refund(address, s.now()); // nothing was hashed
                return;
            }
            others.charged(Charges.Budget.REGISTER, address, null, false); // a hash ran: it counts everywhere
            if (!c.isOpen()) {
                return; // nobody to tell: no account is made
            }
            if (hashFailed != null) {
                c.failed(tag, command, "hashing a password", hashFailed);
                return;
            }
            s.write(c, () -> s.store().createUser(r.name(), Names.key(r.name()), hash, s.now()),
                    (user, failed) -> {
                        if (failed != null) {
                            c.failed(tag, command, "creating an account", failed);
                        } else if (user.isEmpty()) {
                            c.fail(tag, command, NAME_TAKEN, "the name " + r.name()
                                    + " is taken, or looks like one that is");
                        } else {
                            LOG.log(Level.INFO, () -> c + " - registered " + user.get().name());
                            c.ok(tag, r, new Replies.RegisterOk(user.get().name()));
                        }
                    });
        });
        if (!admitted) {
            registrations.refund(address, s.now());
            busy(c, tag, command);
        }
    }

    /**
     * CHECK_NAME: what REGISTER would say of a name, asked before the person types a password:
     * {@code bad-name} by the same rules, else whether an account has the name in any spelling.
     * It tells nothing REGISTER's {@code name-taken} does not, so it needs no login either. The
     * lookup reads the name key's and the skeleton's unique indexes (a look-alike of an account
     * is taken too), on a reader: unlike REGISTER it costs no password hash, and it stores nothing.
     * Like REGISTER it tells whether a name exists, so an address may ask {@value #NAME_CHECKS} at
     * once and then one every {@value #NAME_CHECK_SECONDS} s ({@code throttled} beyond), so that no
     * list of names can be tried at speed.
     */
    void checkName(Client c, String tag, Request.CheckName r) {
        String problem = Names.problem(r.name());
        if (problem != null) {
            c.fail(tag, r.command(), BAD_NAME, problem);
            return;
        }
        long wait = nameChecks.take(address(c), services.now());
        if (wait > 0) {
            c.throttled(tag, r.command(), "too many name checks from this address", seconds(wait));
            return;
        }
        others.charged(Charges.Budget.NAME_CHECK, address(c), null, false);
        var s = services;
        s.read(c, () -> s.store().nameTaken(r.name()), (taken, failed) -> {
            if (!c.failed(tag, r.command(), "checking a name", failed)) {
                c.ok(tag, r, new Replies.CheckNameOk(taken));
            }
        });
    }

    /**
     * The client's address as the budgets count it: an IPv4 address, or an IPv6 address's /64
     * (one home or one cloud machine holds a whole /64, and would otherwise be 2^64 addresses).
     */
    static String address(Client c) {
        return addressKey(c.connection.remoteAddress().getAddress());
    }

    /** {@link #address}'s key for {@code a}. */
    static String addressKey(InetAddress a) {
        if (a instanceof Inet6Address) {
            byte[] b = a.getAddress();
            var key = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                key.append(Integer.toHexString((b[i] & 0xff) << 8 | b[i + 1] & 0xff)).append(':');
            }
            return key.append(":/64").toString();
        }
        return a.getHostAddress();
    }

    private static long seconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }

    private static void busy(Client c, String tag, String command) {
        c.fail(tag, command, BUSY, "the server is checking too many passwords; try again in a moment");
    }

    /**
     * Asks the throttle for a password check of {@code name}'s account: the check to report on,
     * or null when it has answered {@code throttled}.
     */
    private LoginThrottle.Check mayCheck(Client c, String tag, String command, String name, String address) {
        var reservation = throttle.reserve(Names.key(name), address);
        if (reservation instanceof LoginThrottle.Refusal no) {
            c.throttled(tag, command, "too many password attempts for this account", no.seconds());
            return null;
        }
        return (LoginThrottle.Check) reservation;
    }

    /** Checks what LOGIN and RESUME check first; false when it has answered. */
    private boolean mayStart(Client c, String tag, String command, String device) {
        if (c.session != null) {
            c.fail(tag, command, ALREADY_LOGGED_IN, "already logged in as " + c.session.name + "; LOGOUT first");
            return false;
        }
        String problem = deviceProblem(device);
        if (problem != null) {
            c.fail(tag, command, BAD_REQUEST, problem);
            return false;
        }
        return true;
    }

    void login(Client c, String tag, Request.Login r) {
        if (!mayStart(c, tag, "LOGIN", r.device())) {
            return;
        }
        purgeSessions();
        String address = address(c);
        LoginThrottle.Check check = mayCheck(c, tag, "LOGIN", r.name(), address);
        if (check == null) {
            return;
        }
        var s = services;
        boolean admitted = hashes.submit(c, address, () -> {
            Store.User user = s.store().userByKey(Names.key(r.name())).orElse(null);
            if (user == null) {
                s.passwords().verifyNothing(r.password()); // an unknown name costs what a known one does
                return null;
            }
            return s.passwords().verify(r.password(), user.passwordHash()) ? user : null;
        }, (user, failed) -> {
            check.report(user != null, failed);
            if (!c.isOpen()) {
                return;
            }
            if (failed != null) {
                c.failed(tag, "LOGIN", "checking a login", failed);
            } else if (user == null) {
                LOG.log(Level.INFO, () -> c + " - failed login as " + LogSafe.field(r.name()));
                c.fail(tag, "LOGIN", AUTH_FAILED, "wrong name or password");
            } else if (!banned(c, tag, "LOGIN", user.name())) {
                String token = Tokens.newToken();
                String tokenHash = Tokens.hash(token);
                long now = s.now();
                messages.flushAcks(); // before the catch-up is read, in the writer's order
                s.transaction(c, "starting a session", () -> {
                    // The hash was checked on the hasher; a PASSWD may have committed since. The
                    // writer orders this transaction after it, so the hash read here is the truth:
                    // a login with the password that was changed starts no session.
                    String current = s.store().userById(user.id()).map(Store.User::passwordHash).orElse(null);
                    if (!user.passwordHash().equals(current)) {
                        return null;
                    }
                    Store.Device device = s.store().device(user.id(), r.device(), now);
                    s.store().createSession(tokenHash, user.id(), device.id(), now, now + lifetime());
                    // The device's earlier tokens die: one live token per device, so that a token
                    // left behind on it (a stolen copy) does not outlive its next login.
                    s.store().revokeDeviceSessions(device, tokenHash);
                    return welcome(c, user.id(), user.name(), device, tokenHash, now);
                }, (welcome, startFailed) -> {
                    if (!c.isOpen()) {
                        abandoned(welcome);
                    } else if (startFailed != null) {
                        c.failed(tag, "LOGIN", "starting a session", startFailed);
                    } else if (welcome == null) {
                        LOG.log(Level.INFO, () -> c + " - login as " + LogSafe.field(r.name()) + " lost to a password change");
                        c.fail(tag, "LOGIN", AUTH_FAILED, "wrong name or password");
                    } else if (banned(c, tag, "LOGIN", welcome.userName)) {
                        abandoned(welcome);
                    } else {
                        begin(c, welcome);
                        int port = c.connection.remoteAddress().getPort();
                        c.ok(tag, r, new Replies.LoginOk(port, welcome.userName, welcome.device.name(), token));
                        started(c.session, welcome);
                    }
                });
            }
        });
        if (!admitted) {
            check.cancelled();
            busy(c, tag, "LOGIN");
        }
    }

    /**
     * RESUME: a token instead of a password. No slow hash: the token is 256 random bits, so the
     * check is a SHA-256 and a lookup, on the writer (it extends the token). It is the known
     * device's way in, so it is never refused before its token is checked: no password failure,
     * of the account or of the address, stops a good token. Bad tokens count against their
     * address; past its budget ({@link LoginThrottle#resumeFailed}) a bad one is answered
     * {@code throttled} and costs its connection.
     */
    void resume(Client c, String tag, Request.Resume r) {
        if (!mayStart(c, tag, "RESUME", r.device())) {
            return;
        }
        purgeSessions(); // clients that only RESUME must not keep expired sessions about for ever
        var s = services;
        long now = s.now();
        messages.flushAcks(); // before the catch-up is read, in the writer's order
        s.transaction(c, "resuming a session", () -> {
            if (!Tokens.wellFormed(r.token())) {
                return null;
            }
            String tokenHash = Tokens.hash(r.token());
            Store.SessionRow row = s.store().sessionByToken(tokenHash, now).orElse(null);
            if (row == null || !Names.key(row.userName()).equals(Names.key(r.name()))
                    || !row.deviceName().equals(r.device())) {
                return null;
            }
            s.store().extendSession(tokenHash, now + lifetime());
            Store.Device device = s.store().device(row.userId(), row.deviceName(), now);
            return welcome(c, row.userId(), row.userName(), device, tokenHash, now);
        }, (welcome, failed) -> {
            if (!c.isOpen()) {
                abandoned(welcome);
                return;
            }
            if (c.failed(tag, "RESUME", "resuming a session", failed)) {
                return;
            }
            if (welcome == null) {
                LOG.log(Level.INFO, () -> c + " - failed resume as " + LogSafe.field(r.name()));
                LoginThrottle.Refusal over = throttle.resumeFailed(address(c));
                if (over == null) {
                    c.fail(tag, "RESUME", AUTH_FAILED, "unknown, expired or revoked token");
                } else {
                    c.throttled(tag, "RESUME", "too many bad tokens from this address", over.seconds());
                    c.connection.closeAfterFlush("too many bad tokens");
                }
                return;
            }
            if (banned(c, tag, "RESUME", welcome.userName)) {
                abandoned(welcome);
                return;
            }
            begin(c, welcome);
            c.ok(tag, r, new Replies.ResumeOk(c.connection.remoteAddress().getPort(), welcome.userName,
                    welcome.device.name()));
            started(c.session, welcome);
        });
    }

    /**
     * Deletes expired sessions, at most once an hour, on the writer, a batch per statement so that
     * no statement holds the table long. A LOGIN or RESUME sets it off: a server nobody logs in
     * to grows no new sessions either.
     */
    private void purgeSessions() {
        long now = services.now();
        if (now - lastSessionPurge < SESSION_PURGE_MILLIS) {
            return;
        }
        lastSessionPurge = now;
        services.workers().write(() -> {
            int deleted = 0;
            int n;
            do {
                n = services.store().purgeExpiredSessions(now, SESSION_PURGE_BATCH);
                deleted += n;
            } while (n == SESSION_PURGE_BATCH);
            return deleted;
        }, (deleted, failed) -> {
            if (failed != null) {
                LOG.log(Level.ERROR, "deleting expired sessions failed", failed);
            } else if (deleted > 0) {
                LOG.log(Level.INFO, () -> "deleted " + deleted + " expired sessions");
            }
        });
    }

    private long lifetime() {
        return services.settings().sessionLifetime().toMillis();
    }

    /** What a session starts with; read on the writer, in the login's transaction. */
    private record Welcome(long userId, String userName, Store.Device device, String tokenHash,
            List<Store.Friend> friends, List<Store.Group> groups, Messages.Page waiting,
            List<Store.Blocked> blocked) {}

    private Welcome welcome(Client c, long userId, String userName, Store.Device device, String tokenHash, long now) {
        var store = services.store();
        var address = c.connection.remoteAddress();
        store.markOnline(userId, address.getAddress().getHostAddress(), address.getPort(), now);
        return new Welcome(userId, userName, device, tokenHash, store.friends(userId), store.groupsOf(userId),
                messages.page(userId, device.id(), 0), store.blocked(userId));
    }

    /**
     * The connection closed while its login was with the writer: the connection row the login
     * wrote goes again, unless another device keeps the account online.
     */
    private void abandoned(Welcome w) {
        if (w != null && !services.hub().isOnline(w.userId)) {
            markOffline(w.userId);
        }
    }

    /** The session joins the hub, replacing the same device's (or, single-session, all others). */
    private void begin(Client c, Welcome w) {
        var session = new Session(w.userId, w.userName, w.device.id(), w.device.name(), w.tokenHash,
                c.connection, services.now());
        for (Session old : services.hub().add(session)) {
            LOG.log(Level.INFO, () -> old.connection + " " + old + " - replaced by " + c.connection);
            var a = c.connection.remoteAddress();
            old.connection.write(Hub.encode(new Push.Bye(Push.Bye.REPLACED, "logged in again from "
                    + a.getAddress().getHostAddress() + ":" + a.getPort())));
            old.connection.closeAfterFlush("replaced by a new login");
        }
        c.session = session;
        LOG.log(Level.INFO, () -> c + " - logged in");
    }

    /** After the reply: rooms, presence, then the first page of what waited. */
    private void started(Session session, Welcome w) {
        OnlineUser user = session.user;
        user.friends.clear();
        for (Store.Friend f : w.friends) {
            user.friends.add(f.id());
        }
        user.blocked.clear();
        for (Store.Blocked b : w.blocked) {
            user.blocked.add(b.id());
        }
        groups.started(session, w.groups);
        if (!user.announced) {
            user.announced = true;
            var router = services.hub().router();
            if (router == null || !router.onlineElsewhere(session.userId)) { // else its friends know already
                announce(session, true);
            }
        }
        messages.deliverPage(session, w.waiting);
    }

    /** LOGOUT: the token is revoked first, so that {@code LOGOUT:true} means it is dead. */
    void logout(Client c, String tag, Session me) {
        var s = services;
        s.write(c, () -> s.store().revokeSession(me.tokenHash), (revoked, failed) -> {
            if (!c.failed(tag, "LOGOUT", "revoking a session", failed)) {
                if (c.session == me) {
                    end(c);
                }
                c.ok(tag, "LOGOUT");
            }
        });
    }

    /**
     * PASSWD: the old password checked on the hasher (failures count in the throttle as failed
     * logins do, so that a stolen session cannot guess the password), the new hash stored, every
     * other token revoked, and the account's other connections told and closed.
     */
    void passwd(Client c, String tag, Session me, Request.Passwd r) {
        String problem = passwordProblem(r.newPassword());
        if (problem != null) {
            c.fail(tag, "PASSWD", BAD_PASSWORD, problem);
            return;
        }
        String address = address(c);
        LoginThrottle.Check check = mayCheck(c, tag, "PASSWD", me.name, address);
        if (check == null) {
            return;
        }
        var s = services;
        boolean admitted = hashes.submit(c, address, () -> {
            Store.User user = s.store().userById(me.userId).orElse(null);
            if (user == null || !s.passwords().verify(r.oldPassword(), user.passwordHash())) {
                return null;
            }
            return s.passwords().hash(r.newPassword());
        }, (hash, failed) -> {
            check.report(hash != null, failed);
            if (!c.isOpen() || c.failed(tag, "PASSWD", "checking a password", failed)) {
                return;
            }
            if (hash == null) {
                c.fail(tag, "PASSWD", AUTH_FAILED, "wrong password");
                return;
            }
            s.transaction(c, "changing a password", () -> {
                s.store().setPasswordHash(me.userId, hash);
                return s.store().revokeOtherSessions(me.userId, me.tokenHash);
            }, (revoked, writeFailed) -> {
                if (c.failed(tag, "PASSWD", "changing a password", writeFailed)) {
                    return;
                }
                LOG.log(Level.INFO, () -> c + " - changed password; " + revoked + " other sessions revoked");
                c.ok(tag, "PASSWD");
                for (Session other : s.hub().sessions(me.userId)) {
                    if (other != me) {
                        other.connection.write(Hub.encode(new Push.Bye(Push.Bye.PASSWORD_CHANGED,
                                "the password was changed on another device; log in again")));
                        other.connection.closeAfterFlush("password changed");
                    }
                }
            });
        });
        if (!admitted) {
            check.cancelled();
            busy(c, tag, "PASSWD");
        }
    }

    /** The client's connection closed: its waiting password check is dropped, its session ends. */
    void closed(Client c) {
        hashes.closed(c);
        end(c);
    }

    /** Ends the client's session, if any: its logout, or its connection closing. */
    void end(Client c) {
        Session session = c.session;
        if (session == null) {
            return;
        }
        c.endSession();
        boolean last = services.hub().remove(session);
        groups.ended(session, last);
        if (!last) {
            return; // another device, or the login that replaced this one, stays online
        }
        LOG.log(Level.INFO, () -> c.connection + " " + session + " - logged out");
        if (services.hub().isOnline(session.userId)) {
            return; // a cluster: the account is still online on another node
        }
        if (session.user.announced) {
            announce(session, false);
        }
        markOffline(session.userId);
    }

    private void markOffline(long userId) {
        services.workers().write(() -> {
            services.store().markOffline(userId);
            return null;
        }, (ignored, failed) -> {
            if (failed != null) {
                LOG.log(Level.ERROR, "user #" + userId + " - marking offline failed", failed);
            }
        });
    }

    /** Tells the online friends of {@code session}'s account that it came or went. */
    private void announce(Session session, boolean online) {
        byte[] line = Hub.encode(new Push.Presence(session.name, online));
        for (long friendId : session.user.friends) {
            services.hub().notify(friendId, line, null);
        }
    }
}
