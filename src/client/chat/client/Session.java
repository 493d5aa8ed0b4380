package chat.client;

import chat.client.ChatEvent.ConnectionState;
import chat.common.proto.ErrorCode;
import chat.common.proto.Push;
import chat.common.proto.Replies;
import chat.common.proto.Request;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Who is logged in, and logging in again by itself. A login ({@code LOGIN} with this
 * installation's device name) gives a token, kept by {@link Profiles}; every later connection
 * logs in with {@code RESUME} and that token, and with the password only when there is no token
 * or the server refused it (the password is kept in memory only, and only after it worked).
 *
 * <p>States: <b>signed out</b> (no account wanted: connections stay anonymous); <b>wanted</b> (an
 * account should be logged in: each new connection logs in by itself); <b>logged in</b> (this
 * connection is). A login asked for while the connection is down waits for it, its future
 * completed by the answer on the next connection. The session ends without {@link #logout} when
 * the token is refused and no password is known, or on {@code BYE:replaced} (logging in again
 * would throw the other connection of this device out, forever back and forth), {@code
 * BYE:password-changed} or {@code BYE:logged-out}.
 *
 * <p>Threads: connection events come on the transport's reader thread, calls from any thread;
 * the fields are guarded by {@code this}. Nothing blocks: every step is a future's callback.
 */
final class Session {

    /** What a login left: the history to store into and the connection to acknowledge on. */
    record Current(long generation, boolean loggedIn, String account, History history) {}

    private final Requests requests;
    private final Profiles profiles;
    private final Events events;
    private final String clientName;
    /** Told after every login, with its connection: messages typed meanwhile go out. */
    private final Consumer<Long> afterLogin;

    // Guarded by this.
    private long generation;
    private boolean closed;
    private String account;
    private String device;
    private String password;
    private String token;
    private boolean wanted;
    private boolean loggedIn;
    /** RECONNECTING was told since the connection was last online: failed attempts need not say it again. */
    private boolean toldDown;
    private History history;
    private CompletableFuture<Account> waiting;
    private CompletableFuture<Replies.HelloOk> hello = new CompletableFuture<>();
    /** Completed when the connection is online: up, and logged in when an account is wanted (or refused). */
    private CompletableFuture<Void> ready = new CompletableFuture<>();

    Session(Requests requests, Profiles profiles, Events events, String clientName, Consumer<Long> afterLogin) {
        this.requests = requests;
        this.profiles = profiles;
        this.events = events;
        this.clientName = clientName;
        this.afterLogin = afterLogin;
    }

    // ---------------------------------------------------------------- what the caller asks

    /**
     * Logs in; remembers the account so that later connections log in by themselves. When the
     * connection is down, the login waits for it. Logged in as {@code name} already: done at once.
     */
    synchronized CompletableFuture<Account> login(String name, String password) {
        if (loggedIn && isAccount(name)) {
            return CompletableFuture.completedFuture(new Account(account, device));
        }
        return begin(name, password, null);
    }

    /**
     * Logs in with the saved token of {@code name} (or of the account that logged in last, when
     * {@code name} is null), without a password.
     */
    synchronized CompletableFuture<Account> resume(String name) {
        Optional<Profiles.Saved> saved = name == null ? profiles.last() : profiles.token(name);
        if (saved.isEmpty()) {
            return CompletableFuture.failedFuture(new RefusedException(ErrorCode.AUTH_FAILED, "no saved session"));
        }
        if (loggedIn && isAccount(saved.get().account())) {
            return CompletableFuture.completedFuture(new Account(account, device));
        }
        return begin(saved.get().account(), null, saved.get().token());
    }

    /** Whether a session is saved here to be resumed without a password. */
    synchronized Optional<String> savedAccount() {
        return profiles.last().map(Profiles.Saved::account);
    }

    synchronized boolean hasSavedSession(String name) {
        return profiles.token(name).isPresent();
    }

    private CompletableFuture<Account> begin(String name, String password, String token) {
        if (loggedIn && !isAccount(name)) {
            return CompletableFuture.failedFuture(new RefusedException(ErrorCode.ALREADY_LOGGED_IN,
                    "logged in as " + account + ": log out first"));
        }
        if (!isAccount(name)) {
            closeHistory();
        }
        if (history == null && profiles.hasHistory(name)) {
            history = profiles.openHistory(name); // readable offline while the login waits
        }
        account = name;
        device = profiles.device(name);
        this.password = password;
        this.token = token != null ? token : profiles.token(name).map(Profiles.Saved::token).orElse(null);
        if (waiting != null) {
            waiting.completeExceptionally(new NotConnectedException("replaced by another login"));
            waiting = null;
        }
        if (generation == 0) {
            wanted = true;
            waiting = new CompletableFuture<>();
            return waiting;
        }
        if (token == null && password != null) {
            // an explicit password login: the password is what the user just typed, so it goes first
            return login(generation, false);
        }
        return automatic(generation, false);
    }

    /** Logs out (the server revokes the token) and forgets the token here; when down, just forgets. */
    CompletableFuture<Void> logout() {
        long gen;
        boolean onServer;
        synchronized (this) {
            gen = generation;
            onServer = loggedIn;
            endSession(true);
        }
        if (!onServer) {
            return CompletableFuture.completedFuture(null);
        }
        return requests.send(gen, new Request.Logout()).thenApply(a -> null);
    }

    /** Changes the password; the server signs out my other devices, this one stays. */
    CompletableFuture<Void> passwd(String oldPassword, String newPassword) {
        long gen = current().generation();
        return requests.send(gen, new Request.Passwd(oldPassword, newPassword)).thenApply(a -> {
            synchronized (this) {
                if (password != null) {
                    password = newPassword;
                }
            }
            return null;
        });
    }

    /** The HELLO answer of the current connection, or of the next one. */
    synchronized CompletableFuture<Replies.HelloOk> hello() {
        return hello;
    }

    synchronized Current current() {
        return new Current(generation, loggedIn, account, history);
    }

    /** The account logged in or wanted, with its device; empty when signed out. */
    synchronized Optional<Account> account() {
        return wanted || loggedIn ? Optional.of(new Account(account, device)) : Optional.empty();
    }

    /** The history of the account logged in, or last logged in (it stays readable after a logout). */
    synchronized History history() {
        return history;
    }

    synchronized boolean isLoggedIn() {
        return loggedIn;
    }

    // ---------------------------------------------------------------- connection events

    void opened(long gen) {
        boolean login;
        synchronized (this) {
            generation = gen;
            login = wanted;
            var answer = hello;
            requests.send(gen, new Request.Hello(clientName, ChatClient.PROTOCOL_VERSION))
                    .thenApply(a -> a.as(Replies.HelloOk.class))
                    .whenComplete((ok, failed) -> {
                        if (failed != null) {
                            answer.completeExceptionally(Events.unwrap(failed));
                        } else {
                            answer.complete(ok);
                        }
                    });
        }
        if (login) {
            automatic(gen, true);
        } else {
            online();
        }
    }

    /** The connection is online: told once per connection. */
    private void online() {
        CompletableFuture<Void> r;
        synchronized (this) {
            r = ready;
        }
        if (!r.isDone()) {
            synchronized (this) {
                toldDown = false;
            }
            events.emit(new ChatEvent.ConnectionChanged(ConnectionState.ONLINE, ""));
            r.complete(null);
        }
    }

    /** Completed when the connection is online (now, or when it next is). */
    synchronized CompletableFuture<Void> whenOnline() {
        return ready;
    }

    void closed(long gen, String reason) {
        boolean tell;
        synchronized (this) {
            if (gen != generation) {
                return;
            }
            generation = 0;
            loggedIn = false;
            if (hello.isDone()) {
                hello = new CompletableFuture<>();
            }
            if (ready.isDone()) {
                ready = new CompletableFuture<>();
            }
            tell = !closed;
            toldDown |= tell;
        }
        if (tell) {
            events.emit(new ChatEvent.ConnectionChanged(ConnectionState.RECONNECTING, reason));
        }
    }

    /**
     * An attempt to connect failed. The first since the connection was last online (or since the
     * start) is told as RECONNECTING, so that nobody waits in silence for a server that is not
     * there; the attempts after it are not (the backoff tries every few seconds).
     */
    void unreachable(String reason) {
        synchronized (this) {
            if (closed || toldDown) {
                return;
            }
            toldDown = true;
        }
        events.emit(new ChatEvent.ConnectionChanged(ConnectionState.RECONNECTING, reason));
    }

    /** A BYE: after some reasons the session is over (see the class comment). */
    void bye(Push.Bye bye) {
        synchronized (this) {
            switch (bye.reason()) {
                // banned: a login would be refused until the ban ends (the token stays for then);
                // disconnected: an admin closed the connection, and coming back by itself would undo it
                case Push.Bye.REPLACED, Push.Bye.BANNED, Push.Bye.DISCONNECTED -> wanted = false;
                case Push.Bye.PASSWORD_CHANGED, Push.Bye.LOGGED_OUT -> endSession(true);
                default -> {
                    // idle-timeout, shutdown, and what a newer server says: log in again on the next connection
                }
            }
        }
    }

    /** The client is closing: the connection's end is no reconnect. */
    synchronized void closing() {
        closed = true;
    }

    synchronized void close() {
        closed = true;
        ready.completeExceptionally(new NotConnectedException("closed"));
        if (waiting != null) {
            waiting.completeExceptionally(new NotConnectedException("closed"));
            waiting = null;
        }
        closeHistory();
    }

    // ---------------------------------------------------------------- logging in

    /** RESUME with the token when there is one, else LOGIN with the password. */
    private CompletableFuture<Account> automatic(long gen, boolean byItself) {
        String name;
        String t;
        String d;
        synchronized (this) {
            name = account;
            t = token;
            d = device;
            if (t == null) {
                return login(gen, byItself);
            }
        }
        var done = new CompletableFuture<Account>();
        requests.send(gen, new Request.Resume(name, t, d)).whenComplete((answer, failed) -> {
            if (failed == null) {
                var ok = answer.as(Replies.ResumeOk.class);
                done.complete(loggedIn(gen, ok.name(), null, byItself));
                return;
            }
            Throwable why = Events.unwrap(failed);
            if (why instanceof RefusedException r && r.code() == ErrorCode.AUTH_FAILED) {
                boolean withPassword;
                synchronized (this) {
                    profiles.forgetToken(name);
                    token = null;
                    withPassword = password != null;
                }
                if (withPassword) {
                    login(gen, byItself).whenComplete((a, f) -> settle(done, a, f));
                    return;
                }
            }
            refused(gen, why, done);
        });
        return done;
    }

    /** LOGIN with the password in memory. */
    private CompletableFuture<Account> login(long gen, boolean byItself) {
        String name;
        String p;
        String d;
        synchronized (this) {
            name = account;
            p = password;
            d = device;
        }
        var done = new CompletableFuture<Account>();
        if (p == null) {
            refused(gen, new RefusedException(ErrorCode.AUTH_FAILED, "no password"), done);
            return done;
        }
        requests.send(gen, new Request.Login(name, p, d)).whenComplete((answer, failed) -> {
            if (failed == null) {
                var ok = answer.as(Replies.LoginOk.class);
                done.complete(loggedIn(gen, ok.name(), ok.token(), byItself));
            } else {
                refused(gen, Events.unwrap(failed), done);
            }
        });
        return done;
    }

    private static void settle(CompletableFuture<Account> done, Account a, Throwable failed) {
        if (failed != null) {
            done.completeExceptionally(Events.unwrap(failed));
        } else {
            done.complete(a);
        }
    }

    /** A login or resume was answered with success. */
    private Account loggedIn(long gen, String name, String newToken, boolean byItself) {
        Account me;
        CompletableFuture<Account> asked;
        synchronized (this) {
            if (!isAccount(name) || history == null) {
                closeHistory();
                history = profiles.openHistory(name);
            }
            account = name;
            wanted = true;
            loggedIn = true;
            if (newToken != null && !newToken.isEmpty()) {
                token = newToken;
                profiles.saveToken(name, newToken);
            }
            me = new Account(name, device);
            asked = waiting;
            waiting = null;
        }
        online();
        // Before the event: what it sends (the lobby's JOIN, messages typed offline) is on the
        // wire before anyone who saw "logged in" can ask something of the server.
        afterLogin.accept(gen);
        events.emit(new ChatEvent.LoggedIn(me.name(), me.device(), byItself && asked == null));
        if (asked != null) {
            asked.complete(me);
        }
        return me;
    }

    /**
     * A login or resume failed. The connection going: the next one tries again. Throttled, or a
     * server failure, when logging in again by itself: the connection is dropped and the next one
     * tries after the backoff. Otherwise the server said no, and the session ends.
     */
    private void refused(long gen, Throwable why, CompletableFuture<Account> done) {
        if (why instanceof NotConnectedException) {
            done.completeExceptionally(why); // a login still wanted, or waited for, goes on the next connection
            return;
        }
        CompletableFuture<Account> asked;
        boolean lost = false;
        synchronized (this) {
            asked = waiting;
            boolean transientFailure = why instanceof RefusedException r && (r.code() == ErrorCode.THROTTLED
                    || r.code() == ErrorCode.INTERNAL || r.code() == ErrorCode.BUSY);
            if (transientFailure && asked == null && loggedInBefore()) {
                requests.drop(gen);
                done.completeExceptionally(why);
                return;
            }
            waiting = null;
            if (!loggedIn) {
                lost = wanted;
                wanted = false;
                password = null;
            }
        }
        if (lost) {
            String message = why.getMessage() == null ? "" : why.getMessage();
            String reason = why instanceof RefusedException r ? r.code().wire() : "";
            events.emit(new ChatEvent.LoggedOut(reason, message));
        }
        online(); // connected, though not logged in
        done.completeExceptionally(why);
        if (asked != null) {
            asked.completeExceptionally(why);
        }
    }

    /** Whether this account was logged in on an earlier connection (so a failure now is no verdict on the login). */
    private boolean loggedInBefore() {
        return history != null && wanted;
    }

    private void endSession(boolean forgetToken) {
        if (forgetToken && account != null) {
            profiles.forgetToken(account);
        }
        token = null;
        password = null;
        wanted = false;
        loggedIn = false;
        if (waiting != null) {
            waiting.completeExceptionally(new NotConnectedException("logged out"));
            waiting = null;
        }
    }

    private boolean isAccount(String name) {
        return account != null && chat.common.text.Names.key(account).equals(chat.common.text.Names.key(name));
    }

    private void closeHistory() {
        if (history != null) {
            history.close();
            history = null;
        }
    }
}
