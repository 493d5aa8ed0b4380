package chat.server.command;

import static chat.common.proto.ErrorCode.BAD_REQUEST;
import static chat.common.proto.ErrorCode.NOT_LOGGED_IN;
import static chat.common.proto.ErrorCode.TLS_REQUIRED;

import chat.common.proto.Replies;
import chat.common.proto.Request;
import chat.server.files.DataConnections;
import chat.server.files.Grants;
import chat.server.hub.Rooms;
import chat.server.hub.Session;
import chat.server.legacy.Lobby;
import chat.server.store.Store;
import java.util.List;

/**
 * Hands each request to the command that carries it out. Reactor thread only; the commands send
 * their blocking work to the workers and answer when it returns.
 */
public final class Dispatcher {

    private final Accounts accounts;
    private final Friends friends;
    private final Messages messages;
    private final Groups groups;
    private final Contacts contacts;
    private final Files files;
    private final Retention retention;
    private final Admin admin;
    /** --require-tls: no password or token over plain text. */
    private final boolean requireTls;
    /** HELLO's: 1.4's, and whether this server speaks TLS and requires it. */
    private final List<String> caps;

    /** The server's version, as HELLO tells it. */
    public static final String SERVER_VERSION = "1.4.0";

    /**
     * {@code view} is what the admins' commands see of the server (STATS, CONNECTIONS); {@code bans}
     * the bans in force, which LOGIN and RESUME check too; {@code audit} where admin actions are
     * recorded.
     */
    public Dispatcher(Services services, Rooms rooms, Lobby lobby, Grants grants, ServerView view, Bans bans,
            Audit audit) {
        this.files = new Files(services, rooms, grants);
        this.retention = new Retention(services);
        this.messages = new Messages(services);
        this.groups = new Groups(services, rooms, lobby);
        this.accounts = new Accounts(services, messages, groups, bans);
        this.contacts = new Contacts(services, lobby);
        this.friends = new Friends(services, contacts);
        this.admin = new Admin(services, bans, audit, view, accounts::stats);
        this.requireTls = services.settings().requireTls();
        var caps = new java.util.ArrayList<>(Replies.HelloOk.CAPS_1_4);
        if (services.settings().tlsCert() != null) {
            caps.add(Replies.HelloOk.TLS);
        }
        if (requireTls) {
            caps.add(Replies.HelloOk.TLS_REQUIRED);
        }
        this.caps = List.copyOf(caps);
    }

    /** The requests that carry a password or a token: refused over plain text with --require-tls. */
    static boolean carriesSecret(Request r) {
        return r instanceof Request.Login || r instanceof Request.Register || r instanceof Request.Resume
                || r instanceof Request.Passwd;
    }

    /**
     * Whether a request may be carried out beside the ones before it (see
     * {@link Client#mayStart}): its work is one task for the writer, which runs its queue in
     * order, so it neither overtakes nor is overtaken by theirs (MSG, GROUP, ACK, READ); or it has
     * no work outside the reactor (PING). Everything else waits for the requests before it.
     */
    public static boolean pipelined(Request r) {
        return r instanceof Request.Msg || r instanceof Request.Group || r instanceof Request.Ack
                || r instanceof Request.Read || r instanceof Request.Ping;
    }

    public void dispatch(Client c, String tag, Request r) {
        if (requireTls && !c.connection.isTls() && carriesSecret(r)) {
            c.fail(tag, r.command(), TLS_REQUIRED, "this server takes passwords and tokens over TLS only: connect with TLS");
        } else if (r instanceof Request.Ping) {
            c.ok(tag, "PING");
        } else if (r instanceof Request.Hello hello) {
            hello(c, tag, hello);
        } else if (r instanceof Request.Quit) {
            c.quit(tag);
        } else if (r instanceof Request.Register register) {
            accounts.register(c, tag, register);
        } else if (r instanceof Request.CheckName check) {
            accounts.checkName(c, tag, check);
        } else if (r instanceof Request.Login login) {
            accounts.login(c, tag, login);
        } else if (r instanceof Request.Resume resume) {
            accounts.resume(c, tag, resume);
        } else if (c.session == null) {
            c.fail(tag, r.command(), NOT_LOGGED_IN, "LOGIN first");
        } else {
            dispatchLoggedIn(c, tag, c.session, r);
        }
    }

    private void dispatchLoggedIn(Client c, String tag, Session me, Request r) {
        if (Admin.handles(r)) {
            admin.dispatch(c, tag, me, r);
        } else if (r instanceof Request.Logout) {
            accounts.logout(c, tag, me);
        } else if (r instanceof Request.Passwd passwd) {
            accounts.passwd(c, tag, me, passwd);
        } else if (r instanceof Request.Contacts) {
            contacts.list(c, tag, me);
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
        } else if (r instanceof Request.Group group) {
            groups.send(c, tag, me, group);
        } else if (r instanceof Request.Unread) {
            messages.unread(c, tag, me);
        } else if (r instanceof Request.Read read) {
            messages.read(c, tag, me, read);
        } else if (r instanceof Request.Groups) {
            groups.list(c, tag, me);
        } else if (r instanceof Request.Members members) {
            groups.members(c, tag, me, members);
        } else if (r instanceof Request.Create create) {
            groups.create(c, tag, me, create);
        } else if (r instanceof Request.Rename rename) {
            groups.rename(c, tag, me, rename);
        } else if (r instanceof Request.Disband disband) {
            groups.disband(c, tag, me, disband);
        } else if (r instanceof Request.Invite invite) {
            groups.invite(c, tag, me, invite);
        } else if (r instanceof Request.DeclineInvite decline) {
            groups.declineInvite(c, tag, me, decline);
        } else if (r instanceof Request.Invitations) {
            groups.invitations(c, tag, me);
        } else if (r instanceof Request.InvitePolicy policy) {
            groups.invitePolicy(c, tag, me, policy);
        } else if (r instanceof Request.Block block) {
            friends.block(c, tag, me, block);
        } else if (r instanceof Request.Unblock unblock) {
            friends.unblock(c, tag, me, unblock);
        } else if (r instanceof Request.Blocks) {
            friends.blocks(c, tag, me);
        } else if (r instanceof Request.Join join) {
            groups.join(c, tag, me, join);
        } else if (r instanceof Request.Approve approve) {
            groups.approve(c, tag, me, approve);
        } else if (r instanceof Request.Reject reject) {
            groups.reject(c, tag, me, reject);
        } else if (r instanceof Request.Requests requests) {
            groups.requests(c, tag, me, requests);
        } else if (r instanceof Request.Leave leave) {
            groups.leave(c, tag, me, leave);
        } else if (r instanceof Request.Kick kick) {
            groups.kick(c, tag, me, kick);
        } else if (r instanceof Request.SendFile send) {
            files.send(c, tag, me, send);
        } else if (r instanceof Request.FileUpload upload) {
            files.upload(c, tag, me, upload);
        } else if (r instanceof Request.FileGet get) {
            files.get(c, tag, me, get);
        } else if (r instanceof Request.FileCancel cancel) {
            files.cancel(c, tag, me, cancel);
        } else if (r instanceof Request.Files) {
            files.list(c, tag, me);
        } else if (r instanceof Request.FileTran tran) {
            files.fileTran(c, tag, me, tran);
        } else if (r instanceof Request.Upload || r instanceof Request.Download) {
            c.fail(tag, r.command(), BAD_REQUEST, r.command() + " opens a data connection: only as a new connection's first line");
        } else {
            throw new IllegalStateException("no command for " + r);
        }
    }

    /** HELLO: allowed before login; says who the server is and what it can do. */
    private void hello(Client c, String tag, Request.Hello r) {
        if (r.clientName().isEmpty() || r.clientName().length() > Request.Hello.MAX_CLIENT_NAME) {
            c.fail(tag, "HELLO", BAD_REQUEST, "a client name has 1 to " + Request.Hello.MAX_CLIENT_NAME + " characters");
            return;
        }
        c.ok(tag, r, new Replies.HelloOk(SERVER_VERSION, caps));
    }

    /**
     * The server is stopping, its clients closed: what waits to be written goes to the writer now
     * (the workers finish their queue before the store closes), so that a restart does not deliver
     * again what clients acknowledged. Called on the loop, once it has closed every client.
     */
    public void stopped() {
        messages.flushAcks();
    }

    /** The files' side of the data connections, which tells the commands when an upload ends. */
    public DataConnections.Listener fileListener() {
        return files;
    }

    /** Tells {@code others} (a cluster's other nodes) of every charge to a login budget from now on. */
    public void tellCharges(Charges others) {
        accounts.tell(others);
    }

    /** A charge to a login budget made on another node of the cluster: applied here as if made here. */
    public void chargedElsewhere(Charges.Budget budget, String key, String address, boolean newToAddress) {
        accounts.chargedElsewhere(budget, key, address, newToAddress);
    }

    /**
     * An admin on another node of the cluster closes this node's connection {@code id}: what was
     * closed ({@code user address}), or null when there is none.
     */
    public String disconnectHere(long id, String admin) {
        return this.admin.disconnectHere(id, admin);
    }

    /** Tells {@code peers} (a cluster's other nodes) of every ban and unban made here from now on. */
    public void tellBans(BanPeers peers) {
        this.admin.tell(peers);
    }

    /** A ban made on another node of the cluster ({@code userId}: 0 for an address's): kept and enforced here. */
    public void bannedElsewhere(Store.Ban ban, long userId) {
        this.admin.bannedElsewhere(ban, userId);
    }

    /** A ban lifted on another node of the cluster: lifted here too. */
    public void unbannedElsewhere(Store.Ban ban) {
        this.admin.unbannedElsewhere(ban);
    }

    /** Reads the bans from the store again (a cluster node that may have missed a BAN or UNBAN). */
    public void reloadBans() {
        this.admin.reload();
    }

    /** Wires the data connections in: cancel and expiry end their transfers and delete bytes. */
    public void setDataConnections(DataConnections data) {
        files.setData(data);
    }

    /** Expires the file offers past their time (hourly, and at start); any thread may call it. */
    public void sweepFiles() {
        files.sweep();
    }

    /**
     * Deletes the messages and events past the retention setting (hourly, and at start); waits for
     * the writer, so not on the reactor.
     */
    public void sweepMessages() {
        retention.sweep();
    }

    /** Deletes the bans past their time (hourly); any thread may call it. */
    public void sweepBans() {
        admin.sweep();
    }

    /** The client's connection closed: its session, if any, ends. */
    public void closed(Client c) {
        accounts.closed(c);
    }
}
