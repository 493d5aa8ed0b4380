package chat.client;

import chat.common.proto.ErrorCode;
import chat.common.proto.Item;
import chat.common.proto.Replies;
import chat.common.proto.Request;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Groups: {@code client.groups().create("team", true)}. A group is named as the protocol allows:
 * {@code team}, {@code #team} or {@code !42}. What a change does reaches the members (and my other
 * devices) as {@link ChatEvent}s; the device that asked gets the future's answer instead.
 */
public final class Groups {

    private final ChatClient client;

    Groups(ChatClient client) {
        this.client = client;
    }

    /** My groups (the lobby first when I am in it); their ids are remembered here. */
    public CompletableFuture<List<Item.GroupInfo>> list() {
        return client.call(new Request.Groups(), a -> {
            List<Item.GroupInfo> groups = a.items(Item.GroupInfo.class);
            client.bindGroups(groups);
            return groups;
        });
    }

    /** Creates a group I own ({@code open}: anyone may join); its name as the server spells it. */
    public CompletableFuture<String> create(String name, boolean open) {
        return client.call(new Request.Create(bare(name), open), a -> a.as(Replies.CreateOk.class).group());
    }

    /**
     * Joins an open group, or one I was invited to (accepting the invitation) ({@code true}), or
     * asks the owner of a closed one ({@code false}).
     */
    public CompletableFuture<Boolean> join(String group) {
        return client.call(new Request.Join(group), a -> {
            boolean joined = a.as(Replies.JoinOk.class).joined();
            if (joined) {
                client.lobby(group, true); // when it is the lobby: later logins enter it again
            }
            return joined;
        }).whenComplete((joined, failed) -> {
            if (failed != null && Events.unwrap(failed) instanceof RefusedException r && r.code() == ErrorCode.ALREADY_MEMBER) {
                client.lobby(group, true); // another device of mine was first
            }
        });
    }

    public CompletableFuture<Void> leave(String group) {
        return client.<Void>call(new Request.Leave(group), a -> {
            client.left(group);
            client.lobby(group, false);
            return null;
        }).whenComplete((done, failed) -> {
            if (failed != null && Events.unwrap(failed) instanceof RefusedException r && r.code() == ErrorCode.NOT_MEMBER) {
                client.lobby(group, false);
            }
        });
    }

    /**
     * Invites {@code name}: {@code true} when they are a member now (I am their friend, or they
     * take anyone's invitations; a 1.3 server always says so), {@code false} when the invitation
     * waits for their answer ({@link ChatEvent.GroupInviteDeclined} if they decline).
     */
    public CompletableFuture<Boolean> invite(String group, String name) {
        return client.call(new Request.Invite(group, name), a -> a.as(Replies.InviteOk.class).joined());
    }

    /** Turns down an invitation to {@code group}; the inviter is told. {@link #join} accepts one. */
    public CompletableFuture<Void> declineInvite(String group) {
        return client.call(new Request.DeclineInvite(group), a -> null);
    }

    /** The invitations waiting for my answer, oldest first. */
    public CompletableFuture<List<Item.Invitation>> invitations() {
        return client.call(new Request.Invitations(), a -> a.items(Item.Invitation.class));
    }

    /**
     * Sets whose invitations make me a member at once: {@code anyone}, {@code friends} (the
     * default: others' wait for my answer) or {@code nobody} (no one may invite me); an empty
     * policy only asks. The policy now, as the server keeps it for all my devices.
     */
    public CompletableFuture<String> invitePolicy(String policy) {
        return client.call(new Request.InvitePolicy(policy), a -> a.as(Replies.InvitePolicyOk.class).policy());
    }

    public CompletableFuture<Void> kick(String group, String name) {
        return client.call(new Request.Kick(group, name), a -> null);
    }

    /** Lets {@code name}, who asked to join my closed group, in. */
    public CompletableFuture<Void> approve(String group, String name) {
        return client.call(new Request.Approve(group, name), a -> null);
    }

    /** Turns down the request of {@code name} to join my closed group: the request goes, and they are told. */
    public CompletableFuture<Void> reject(String group, String name) {
        return client.call(new Request.Reject(group, name), a -> null);
    }

    /** Who asks to join my closed group. */
    public CompletableFuture<List<Item.JoinRequested>> requests(String group) {
        return client.call(new Request.Requests(group), a -> a.items(Item.JoinRequested.class));
    }

    /** Renames my group; the new name as the server spells it. The local history stays with the group. */
    public CompletableFuture<String> rename(String group, String newName) {
        return client.call(new Request.Rename(group, bare(newName)), a -> {
            String spelled = a.as(Replies.RenameOk.class).newName();
            client.renamed(group, spelled);
            return spelled;
        });
    }

    /** Deletes my group and its messages on the server (the local history keeps them). */
    public CompletableFuture<Void> disband(String group) {
        return client.call(new Request.Disband(group), a -> {
            client.left(group);
            return null;
        });
    }

    /** The members, online or not, the owner marked. */
    public CompletableFuture<List<Item.Member>> members(String group) {
        return client.call(new Request.Members(group), a -> a.items(Item.Member.class));
    }

    /** A new name is a name: {@code #team} is {@code team}. */
    private static String bare(String name) {
        return name.startsWith("#") ? name.substring(1) : name;
    }
}
