package chat.client.term;

import chat.client.ChatEvent;
import chat.client.NameCheck;
import chat.client.NotConnectedException;
import chat.client.RefusedException;
import chat.common.proto.ErrorCode;
import chat.common.text.Names;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code /register}, {@code /login}, {@code /logout}, {@code /passwd}. A login leaves a session
 * token with the client library, so that the next start logs in without the password; on a
 * terminal {@code /login NAME} uses NAME's saved session and asks the password only when there is
 * none or it is refused. A script's password line is read all the same, so that a script reads
 * alike either way.
 */
final class AccountCommands {

    private final ShellIo io;
    private final ChatMode chat;
    private final Notices notices;

    AccountCommands(ShellIo io, ChatMode chat, Notices notices) {
        this.io = io;
        this.chat = chat;
        this.notices = notices;
    }

    /** Runs {@code command} if it is one of these; whether it was. */
    boolean run(String command, String rest) {
        switch (command) {
            case "register" -> io.withName(rest, "/register USER", this::register);
            case "login" -> io.withName(rest, "/login USER", this::login);
            case "logout" -> logout();
            case "passwd" -> passwd(rest);
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code /register NAME}: the name is checked first, its form here and then with the server
     * ({@link chat.client.ChatClient#checkName}, logged in or not), so that a person does not type
     * a password for a name that cannot be had. Then the password, twice on a terminal until the
     * two agree (once from a script, whose password line is read even after a refused name, to
     * keep the script in step). A server too old to check leaves it to REGISTER's {@code name-taken}.
     */
    private void register(String name) {
        if (!nameMayBeHad(name)) {
            if (!io.console.interactive()) {
                io.console.readPassword(io.texts.get("account.password")); // the script's password line
            }
            return;
        }
        String password = newPassword("account.password", "account.password.repeat");
        if (password == null || !io.awaitOnline()) {
            return;
        }
        String spelled = io.await(io.client.register(name, password));
        if (spelled != null) {
            io.say("account.registered", spelled.isEmpty() ? name : spelled);
        }
    }

    /** Whether {@code name} may be registered, as far as can be told; false after saying why not. */
    private boolean nameMayBeHad(String name) {
        String problem = Names.problem(name);
        if (problem != null) {
            io.failed(new RefusedException(ErrorCode.BAD_NAME, problem));
            return false;
        }
        if (!io.awaitOnline()) {
            return false;
        }
        ShellIo.Outcome<NameCheck> check = io.outcome(io.client.checkName(name)); // says why when it fails
        if (check.ok() && check.value() == NameCheck.TAKEN) {
            io.failed(new RefusedException(ErrorCode.NAME_TAKEN, name));
            return false;
        }
        return check.ok();
    }

    /**
     * A new password: on a terminal asked twice ({@code firstKey}, then {@code againKey}) until
     * both agree; from a script, its one line. {@code null} after saying none was given.
     */
    private String newPassword(String firstKey, String againKey) {
        while (true) {
            String password = io.password(firstKey);
            if (password == null || !io.console.interactive()) {
                return password;
            }
            String again = io.password(againKey);
            if (again == null || again.equals(password)) {
                return again;
            }
            io.say("account.error.passwordsDiffer");
        }
    }

    private void login(String name) {
        boolean saved = io.client.hasSavedSession(name);
        String password = null;
        if (!saved || !io.console.interactive()) {
            password = io.password("account.password");
            if (password == null) {
                return;
            }
        }
        if (!io.online()) {
            CompletableFuture<?> later = saved ? io.client.resume(name) : io.client.login(name, password);
            io.say("account.waitingLogin", name);
            later.whenComplete((r, failed) -> {
                if (failed != null && !(failed instanceof NotConnectedException)) {
                    io.say("account.error.server", Notices.printable(String.valueOf(failed.getMessage())));
                }
            });
            return;
        }
        if (saved) {
            ShellIo.Outcome<?> resumed = resume(name);
            if (resumed == null || resumed.ok()) {
                return; // "Logged in as ..." comes from Notices, or the failure was said
            }
            if (password == null) { // the saved session is gone: the password, then
                password = io.password("account.password");
                if (password == null) {
                    return;
                }
            }
        }
        io.await(io.client.login(name, password));
    }

    /** RESUME with the saved session: its outcome, a failed one only for a refused token; null after saying why not. */
    private ShellIo.Outcome<?> resume(String name) {
        CompletableFuture<?> f = io.client.resume(name);
        try {
            f.get(ShellIo.REPLY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return new ShellIo.Outcome<>(true, null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RefusedException r && r.code() == ErrorCode.AUTH_FAILED) {
                return new ShellIo.Outcome<>(false, null);
            }
            io.failed(e.getCause());
        } catch (TimeoutException e) {
            io.say("account.error.noReply");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    /** After each login I asked for, as the server no longer pushes it: the friend list. */
    void loggedIn(ChatEvent.LoggedIn event) {
        if (event.automatic()) {
            return;
        }
        io.client.friends().list().whenComplete((list, failed) -> {
            if (list != null) {
                notices.friends(list).forEach(io.console::print);
            }
        });
    }

    private void logout() {
        chat.leave();
        if (io.outcome(io.client.logout()).ok()) {
            io.say("account.loggedOut");
        }
    }

    /** {@code /passwd}: the old password, then the new one twice on a terminal until both agree (once from a script). */
    private void passwd(String rest) {
        if (!rest.isEmpty()) {
            io.say("account.error.usage", "/passwd");
            return;
        }
        if (!io.client.isLoggedIn()) {
            io.say("account.error.notLoggedIn");
            return;
        }
        String old = io.password("account.password.old");
        String fresh = old == null ? null : newPassword("account.password.new", "account.password.again");
        if (fresh == null) {
            return;
        }
        if (io.outcome(io.client.passwd(old, fresh)).ok()) {
            io.say("account.passwordChanged");
        }
    }
}
