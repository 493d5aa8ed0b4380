package chat.server.command;

import static chat.common.proto.ErrorCode.NOT_LOGGED_IN;

import chat.common.proto.Line;
import chat.common.proto.Request;
import chat.server.hub.Session;
import java.util.function.Supplier;

/**
 * Hands each request to the command that carries it out. Reactor thread only; the commands send
 * their blocking work to the workers and answer when it returns.
 */
public final class Dispatcher {

    private final Accounts accounts;
    private final Friends friends;
    private final Messages messages;
    private final Supplier<String> stats;

    /** {@code stats} answers STATS (the reactor's counters), on the reactor thread. */
    public Dispatcher(Services services, Supplier<String> stats) {
        this.messages = new Messages(services);
        this.accounts = new Accounts(services, messages);
        this.friends = new Friends(services);
        this.stats = stats;
    }

    public void dispatch(Client c, String tag, Request r) {
        if (r instanceof Request.Ping) {
            c.send(Line.of(tag, "PONG"));
        } else if (r instanceof Request.Stats) {
            c.send(new Line(tag, Line.parse(stats.get()).fields()));
        } else if (r instanceof Request.Quit) {
            c.send(Line.of(tag, "BYE"));
            c.connection.closeAfterFlush("quit");
        } else if (r instanceof Request.Register register) {
            accounts.register(c, tag, register);
        } else if (r instanceof Request.Login login) {
            accounts.login(c, tag, login);
        } else if (c.session == null) {
            c.fail(tag, r.command(), NOT_LOGGED_IN, "LOGIN first");
        } else {
            dispatchLoggedIn(c, tag, c.session, r);
        }
    }

    private void dispatchLoggedIn(Client c, String tag, Session me, Request r) {
        if (r instanceof Request.Logout) {
            accounts.logout(c, tag);
        } else if (r instanceof Request.Msg msg) {
            messages.send(c, tag, me, msg);
        } else if (r instanceof Request.Ack ack) {
            messages.ack(c, tag, me, ack);
        } else if (r instanceof Request.History history) {
            messages.history(c, tag, me, history);
        } else if (r instanceof Request.Search search) {
            messages.search(c, tag, me, search);
        } else if (r instanceof Request.Friends) {
            friends.list(c, tag, me);
        } else if (r instanceof Request.Find find) {
            friends.find(c, tag, me, find);
        } else if (r instanceof Request.Add add) {
            friends.add(c, tag, me, add);
        } else if (r instanceof Request.Accept accept) {
            friends.accept(c, tag, me, accept);
        } else if (r instanceof Request.Decline decline) {
            friends.decline(c, tag, me, decline);
        } else if (r instanceof Request.Del del) {
            friends.delete(c, tag, me, del);
        } else if (r instanceof Request.Alias alias) {
            friends.alias(c, tag, me, alias);
        } else if (r instanceof Request.ConnectClient connect) {
            friends.connectClient(c, tag, me, connect);
        } else {
            throw new IllegalStateException("no command for " + r);
        }
    }

    /** The client's connection closed: its session, if any, ends. */
    public void closed(Client c) {
        accounts.end(c);
    }
}
