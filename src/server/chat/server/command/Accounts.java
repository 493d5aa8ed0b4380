package chat.server.command;

import static chat.common.proto.ErrorCode.ALREADY_LOGGED_IN;
import static chat.common.proto.ErrorCode.AUTH_FAILED;
import static chat.common.proto.ErrorCode.BAD_NAME;
import static chat.common.proto.ErrorCode.BAD_PASSWORD;
import static chat.common.proto.ErrorCode.NAME_TAKEN;
import static chat.common.proto.ErrorCode.NOT_LOGGED_IN;
import static chat.common.proto.ErrorCode.THROTTLED;

import chat.common.proto.Line;
import chat.common.proto.Request;
import chat.common.text.Names;
import chat.server.hub.Session;
import chat.server.store.Store;
import java.lang.System.Logger.Level;
import java.util.List;

/**
 * REGISTER, LOGIN, LOGOUT, and what a login and a logout set off: the connection table, the
 * friend list and presence, the messages that waited.
 */
final class Accounts {

    private static final System.Logger LOG = System.getLogger(Accounts.class.getName());

    static final int MIN_PASSWORD = 8;
    static final int MAX_PASSWORD = 1024;

    private final Services services;
    private final Messages messages;
    private final Groups groups;
    private final LoginThrottle throttle = new LoginThrottle();
    private long lastPurge;

    Accounts(Services services, Messages messages, Groups groups) {
        this.services = services;
        this.messages = messages;
        this.groups = groups;
    }

    void register(Client c, String tag, Request.Register r) {
        String command = r.command();
        String problem = Names.problem(r.name());
        if (problem != null) {
            c.fail(tag, command, BAD_NAME, problem);
            return;
        }
        if (r.password().length() < MIN_PASSWORD || r.password().length() > MAX_PASSWORD) {
            c.fail(tag, command, BAD_PASSWORD,
                    "a password has " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters");
            return;
        }
        var s = services;
        s.hash(c, () -> s.passwords().hash(r.password()), (hash, hashFailed) -> {
            if (hashFailed != null) {
                c.failed(tag, command, "hashing a password", hashFailed);
                return;
            }
            s.write(c, () -> s.store().createUser(r.name(), Names.key(r.name()), hash, s.now()),
                    (user, failed) -> {
                        if (failed != null) {
                            c.failed(tag, command, "creating an account", failed);
                        } else if (user.isEmpty()) {
                            c.fail(tag, command, NAME_TAKEN, "the name " + r.name() + " is taken");
                        } else {
                            LOG.log(Level.INFO, () -> c + " - registered " + user.get().name());
                            c.ok(tag, command, user.get().name());
                        }
                    });
        });
    }

    void login(Client c, String tag, Request.Login r) {
        if (c.session != null) {
            c.fail(tag, "LOGIN", ALREADY_LOGGED_IN, "already logged in as " + c.session.name + "; LOGOUT first");
            return;
        }
        long now = services.now();
        if (now - lastPurge > 60_000) {
            throttle.purge(now);
            lastPurge = now;
        }
        String addressKey = "address " + c.connection.remoteAddress().getAddress().getHostAddress();
        String accountKey = "account " + Names.key(r.name());
        long wait = Math.max(throttle.waitMillis(addressKey, now), throttle.waitMillis(accountKey, now));
        if (wait > 0) {
            c.fail(tag, "LOGIN", THROTTLED,
                    "too many failed logins; try again in " + ((wait + 999) / 1000) + " s");
            return;
        }
        var s = services;
        s.hash(c, () -> {
            Store.User user = s.store().userByKey(Names.key(r.name())).orElse(null);
            if (user == null) {
                s.passwords().verifyNothing(r.password()); // an unknown name costs what a known one does
                return null;
            }
            return s.passwords().verify(r.password(), user.passwordHash()) ? user : null;
        }, (user, failed) -> {
            if (!c.isOpen()) {
                return;
            }
            if (failed != null) {
                c.failed(tag, "LOGIN", "checking a login", failed);
            } else if (user == null) {
                long at = services.now();
                throttle.failure(addressKey, at);
                throttle.failure(accountKey, at);
                LOG.log(Level.INFO, () -> c + " - failed login as " + r.name());
                c.fail(tag, "LOGIN", AUTH_FAILED, "wrong name or password");
            } else {
                throttle.success(addressKey);
                throttle.success(accountKey);
                begin(c, tag, user);
            }
        });
    }

    private void begin(Client c, String tag, Store.User user) {
        var s = services;
        var session = new Session(user.id(), user.name(), c.connection, s.now());
        Session previous = s.hub().put(session);
        if (previous != null) {
            previous.replaced = true;
            previous.push(Line.of(null, "BYE", "replaced", "logged in again from "
                    + c.connection.remoteAddress().getAddress().getHostAddress() + ":" + c.connection.remoteAddress().getPort()));
            previous.connection.closeAfterFlush("replaced by a new login");
        }
        c.session = session;
        LOG.log(Level.INFO, () -> c + " - logged in" + (previous != null ? ", replacing " + previous.connection : ""));
        var address = c.connection.remoteAddress();
        c.ok(tag, "LOGIN", Integer.toString(address.getPort()), user.name());
        // On the writer, so that the first page of waiting messages is read in order with the
        // messages being stored (see Messages).
        s.write(c, () -> {
            s.store().markOnline(user.id(), address.getAddress().getHostAddress(), address.getPort(), session.since);
            return new Welcome(s.store().friends(user.id()), s.store().pendingRequests(user.id()),
                    s.store().groupsOf(user.id()), s.store().undelivered(user.id(), Messages.PAGE));
        }, (welcome, failed) -> {
            if (failed != null) {
                LOG.log(Level.ERROR, c + " - loading what a login needs failed", failed);
                session.connection.closeAfterFlush("login failed");
                return;
            }
            if (c.session != session || !c.isOpen()) {
                return;
            }
            for (Store.Friend f : welcome.friends) {
                session.friends.add(f.id());
            }
            groups.started(session, welcome.groups);
            c.list(null, "FRIENDS", Friends.friendLines(welcome.friends, s.hub()));
            for (Store.FriendRequest fr : welcome.requests) {
                c.send(Line.of(null, "REQUEST", fr.fromName(), Long.toString(fr.createdAt())));
            }
            if (previous == null) {
                announce(session, true);
            }
            messages.deliverPage(session, welcome.waiting);
        });
    }

    /** What a login sends its client first. */
    private record Welcome(List<Store.Friend> friends, List<Store.FriendRequest> requests,
            List<Store.Group> groups, List<Store.Message> waiting) {}

    void logout(Client c, String tag) {
        if (c.session == null) {
            c.fail(tag, "LOGOUT", NOT_LOGGED_IN, "not logged in");
            return;
        }
        end(c);
        c.ok(tag, "LOGOUT");
    }

    /** Ends the client's session, if any: its logout, or its connection closing. */
    void end(Client c) {
        Session session = c.session;
        if (session == null) {
            return;
        }
        c.session = null;
        groups.ended(session);
        if (!services.hub().remove(session)) {
            return; // replaced by a newer login, which stays online
        }
        LOG.log(Level.INFO, () -> c.connection + " " + session + " - logged out");
        announce(session, false);
        services.workers().write(() -> {
            services.store().markOffline(session.userId);
            return null;
        }, (ignored, failed) -> {
            if (failed != null) {
                LOG.log(Level.ERROR, session + " - marking offline failed", failed);
            }
        });
    }

    /** Tells {@code session}'s online friends that it came or went. */
    private void announce(Session session, boolean online) {
        Line line = Line.of(null, "PRESENCE", session.name, online ? "1" : "0");
        for (long friendId : session.friends) {
            Session friend = services.hub().get(friendId);
            if (friend != null) {
                friend.push(line);
            }
        }
    }
}
