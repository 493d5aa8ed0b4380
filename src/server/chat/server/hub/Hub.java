package chat.server.hub;

import chat.common.proto.Push;
import chat.common.wire.LineDecoder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is logged in, by user id, and the one way out to them: every push to an account goes
 * through {@link #deliver} or {@link #notify} here, and every group message through
 * {@link Rooms#publish}, so that a cluster bus has two places to hook into, not forty.
 *
 * <p>An account may be logged in from several devices at once, one session each; a second login
 * of the same device replaces the first. With {@code singleSession} (1.0's rule), a login
 * replaces every other session of the account instead.
 *
 * <p>Written on the reactor thread; the map is concurrent so that other threads may ask who is
 * online.
 */
public final class Hub {

    private final boolean singleSession;
    private final ConcurrentHashMap<Long, OnlineUser> byUser = new ConcurrentHashMap<>();
    /** Cluster mode: the way to the other nodes ({@link Router}); null with one node. */
    private Router router;
    /** Reads a session's catch-up again from its highest pushed id (cluster resync); null until set. */
    private java.util.function.Consumer<Session> resync;

    public Hub(boolean singleSession) {
        this.singleSession = singleSession;
    }

    /** The account of {@code userId} while one of its devices is logged in, else {@code null}. */
    public OnlineUser get(long userId) {
        return byUser.get(userId);
    }

    /** Whether the account has a session here or, in a cluster, on another node. */
    public boolean isOnline(long userId) {
        return byUser.containsKey(userId) || router != null && router.onlineElsewhere(userId);
    }

    /** Cluster mode: pushes go through {@code router} to this node's and the other nodes' sessions. */
    public void setRouter(Router router) {
        this.router = router;
    }

    public Router router() {
        return router;
    }

    /** The highest id a catch-up page may read now (any thread): every id with one node. */
    public long catchUpBound() {
        Router r = router;
        return r == null ? Long.MAX_VALUE : r.catchUpBound();
    }

    /** How a session's catch-up is read again ({@code Messages}); set once at start. */
    public void setResync(java.util.function.Consumer<Session> resync) {
        this.resync = resync;
    }

    /** Cluster mode: reads {@code s}'s catch-up again from its highest pushed id (a doorbell may be lost). */
    public void resync(Session s) {
        if (resync != null) {
            resync.accept(s);
        }
    }

    /**
     * Adds a session; returns the sessions it replaces (the same device's, or with
     * {@code singleSession} all the account's), already out of the hub and marked replaced. The
     * caller says goodbye to them and closes them.
     */
    public List<Session> add(Session s) {
        OnlineUser user = byUser.computeIfAbsent(s.userId, OnlineUser::new);
        List<Session> replaced = List.of();
        for (int i = user.size() - 1; i >= 0; i--) {
            Session old = user.get(i);
            if (singleSession || old.deviceId == s.deviceId) {
                if (replaced.isEmpty()) {
                    replaced = new ArrayList<>(2);
                }
                user.remove(old);
                old.replaced = true;
                replaced.add(old);
            }
        }
        user.add(s);
        s.user = user;
        if (router != null) {
            router.replaceElsewhere(s.userId, singleSession ? 0 : s.deviceId);
            router.sessionsChanged(s.userId, s.name, user.size());
        }
        return replaced;
    }

    /**
     * Removes {@code s}; true when it was its account's last session (the account went offline).
     * False too when it was not there (replaced already).
     */
    public boolean remove(Session s) {
        OnlineUser user = byUser.get(s.userId);
        if (user == null || !user.remove(s)) {
            return false;
        }
        if (router != null) {
            router.sessionsChanged(s.userId, s.name, user.size());
        }
        if (user.size() == 0) {
            byUser.remove(s.userId, user);
            return true;
        }
        return false;
    }

    /** A push as bytes on the wire, newline included: encoded once, copied to each recipient. */
    public static byte[] encode(Push push) {
        return LineDecoder.encode(push.toLine().format());
    }

    /** {@link #deliver(long, long, byte[], Session)} for one push, encoded here. */
    public void deliver(long userId, Push.Stored push, Session except) {
        if (router != null || byUser.containsKey(userId)) {
            deliver(userId, push.id(), encode(push), except);
        }
    }

    /** {@link #notify(long, byte[], Session)} for one push, encoded here. */
    public void notify(long userId, Push push, Session except) {
        if (router != null ? isOnline(userId) : byUser.containsKey(userId)) {
            notify(userId, encode(push), except);
        }
    }

    /** {@link #deliver(long, long, byte[], Session, long)} with no receipt owed. */
    public void deliver(long userId, long id, byte[] line, Session except) {
        deliver(userId, id, line, except, 0);
    }

    /**
     * Copies a stored push (a message or an event, with id {@code id}: {@code line} is encoded,
     * newline included) to every session of the account but {@code except}. Sessions still
     * catching up are skipped: the push is stored, so their catch-up brings it, in order.
     * {@code receiptFrom}, when not 0, is the sender of a private message: the ACK that covers it
     * sends the sender a receipt. In a cluster the push goes through the {@link Router}, which
     * holds it until every id below it is out, then comes back to {@link #deliverHere}.
     */
    public void deliver(long userId, long id, byte[] line, Session except, long receiptFrom) {
        if (router != null) {
            router.deliver(userId, id, line, except, receiptFrom);
        } else {
            deliverHere(userId, id, line, except, receiptFrom);
        }
    }

    /** {@link #deliver(long, long, byte[], Session, long)} to this node's sessions. */
    public void deliverHere(long userId, long id, byte[] line, Session except, long receiptFrom) {
        OnlineUser user = byUser.get(userId);
        if (user == null) {
            return;
        }
        for (int i = 0, n = user.size(); i < n; i++) {
            Session s = user.get(i);
            if (s != except && !s.syncing) {
                s.connection.write(line, 0, line.length);
                s.pushed(id);
                if (receiptFrom != 0) {
                    s.awaitReceipt(id, receiptFrom);
                }
            }
        }
    }

    /**
     * Copies a live push (presence, a read mark: not stored, so no catch-up would bring it) to
     * every session of the account but {@code except}; a session catching up gets it after its
     * {@code SYNCED}.
     */
    public void notify(long userId, byte[] line, Session except) {
        if (router != null) {
            router.notify(userId, line, except);
        } else {
            notifyHere(userId, line, except);
        }
    }

    /** {@link #notify(long, byte[], Session)} to this node's sessions. */
    public void notifyHere(long userId, byte[] line, Session except) {
        OnlineUser user = byUser.get(userId);
        if (user == null) {
            return;
        }
        for (int i = 0, n = user.size(); i < n; i++) {
            Session s = user.get(i);
            if (s != except) {
                s.notify(line);
            }
        }
    }

    /** The sessions of an account, a copy (empty when offline), for the rare loops that close some. */
    public List<Session> sessions(long userId) {
        OnlineUser user = byUser.get(userId);
        if (user == null) {
            return List.of();
        }
        List<Session> all = new ArrayList<>(user.size());
        for (int i = 0; i < user.size(); i++) {
            all.add(user.get(i));
        }
        return all;
    }

    /** Accounts online. */
    public int size() {
        return byUser.size();
    }

    public Collection<OnlineUser> users() {
        return Collections.unmodifiableCollection(byUser.values());
    }
}
