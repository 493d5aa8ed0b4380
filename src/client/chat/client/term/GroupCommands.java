package chat.client.term;

import chat.common.proto.Conversation;
import chat.common.proto.Item;
import chat.common.proto.Request;

/**
 * The group commands of the account shell: {@code /groups}, {@code /create}, {@code /join},
 * {@code /leave}, {@code /invite}, {@code /kick}, {@code /approve}, {@code /reject}, {@code /rename},
 * {@code /disband}, {@code /members}, {@code /requests}, and the invitations to me:
 * {@code /invitations}, {@code /decline-invite} ({@code /join} accepts one) and {@code /invites}
 * (whose invitations make me a member at once). A change I make prints its confirmation
 * from the answer: the server tells the other members and my other devices, not this one.
 */
final class GroupCommands {

    private final ShellIo io;
    private final ChatMode chat;

    /** My names for friends among the members. */
    private final Aliases aliases;

    GroupCommands(ShellIo io, ChatMode chat, Aliases aliases) {
        this.aliases = aliases;
        this.io = io;
        this.chat = chat;
    }

    /** Runs {@code command} if it is a group command; whether it was. */
    boolean run(String command, String rest) {
        switch (command) {
            case "groups" -> groups();
            case "create" -> create(rest);
            case "join" -> io.withName(rest, "/join GROUP", this::join);
            case "leave" -> io.withName(rest, "/leave GROUP", this::leave);
            case "invite" -> io.withTwo(rest, "/invite GROUP USER", (g, u) -> io.call(() -> io.client.groups().invite(g, u),
                    joined -> io.say(joined ? "group.joined" : "group.invited", shown(g), aliases.shown(u))));
            case "decline-invite" -> io.withName(rest, "/decline-invite GROUP", g -> io.call(
                    () -> io.client.groups().declineInvite(g), ok -> io.say("group.invite.declined.me", shown(g))));
            case "invitations" -> invitations();
            case "invites" -> invites(rest.strip());
            case "kick" -> io.withTwo(rest, "/kick GROUP USER", (g, u) -> io.call(() -> io.client.groups().kick(g, u),
                    ok -> io.say("group.kicked", shown(g), aliases.shown(u))));
            case "approve" -> io.withTwo(rest, "/approve GROUP USER", (g, u) -> io.call(
                    () -> io.client.groups().approve(g, u), ok -> io.say("group.joined", shown(g), aliases.shown(u))));
            case "reject" -> io.withTwo(rest, "/reject GROUP USER", (g, u) -> io.call(() -> io.client.groups().reject(g, u),
                    ok -> io.say("group.rejected.me", shown(g), aliases.shown(u))));
            case "rename" -> io.withTwo(rest, "/rename GROUP NEW", this::rename);
            case "disband" -> io.withName(rest, "/disband GROUP", this::disband);
            case "members" -> io.withName(rest, "/members GROUP", this::members);
            case "requests" -> io.withName(rest, "/requests GROUP", this::requests);
            default -> {
                return false;
            }
        }
        return true;
    }

    /** {@code /groups}: the lobby first when I am in it. */
    private void groups() {
        io.call(() -> io.client.groups().list(), list -> {
            if (list.isEmpty()) {
                io.say("group.list.none");
                return;
            }
            io.say("group.list", Integer.toString(list.size()));
            for (Item.GroupInfo g : list) {
                String members = Integer.toString(g.members());
                if (g.id() == Conversation.LOBBY_ID) {
                    io.say("group.list.lobby", members);
                } else {
                    String kind = io.texts.get(g.open() ? "group.open" : "group.closed");
                    io.say("group.list.item", Notices.printable(g.name()), kind, Notices.printable(g.owner()), members);
                }
            }
        });
    }

    /** {@code /create GROUP [open|closed]}, open by default. */
    private void create(String rest) {
        String[] parts = rest.split("\\s+");
        boolean open = parts.length < 2 || parts[1].equals("open");
        if (parts[0].isEmpty() || parts[0].equals("#") || parts.length > 2
                || (parts.length == 2 && !open && !parts[1].equals("closed"))) {
            io.say("account.error.usage", "/create GROUP [open|closed]");
            return;
        }
        io.call(() -> io.client.groups().create(parts[0], open), name -> io.say("group.created",
                name.isEmpty() ? shown(parts[0]) : Notices.printable(name), io.texts.get(open ? "group.open" : "group.closed")));
    }

    /** {@code /join GROUP}: an open group lets me in, a closed one asks its owner; {@code lobby} is the article's room. */
    private void join(String group) {
        io.call(() -> io.client.groups().join(group), joined -> {
            if (isLobby(group)) {
                io.say("group.lobby.joined");
            } else if (joined) {
                io.say("group.joined.me", shown(group));
            } else {
                io.say("group.requested", shown(group));
            }
        });
    }

    private void leave(String group) {
        io.call(() -> io.client.groups().leave(group), ok -> {
            io.say("group.left.me", shown(group));
            chat.groupGone(group);
        });
    }

    /** {@code /rename GROUP NEW} (owner): my chat in it follows at once, before the next line is read. */
    private void rename(String group, String newName) {
        io.call(() -> io.client.groups().rename(group, newName), spelled -> {
            io.say("group.renamed", shown(group), Notices.printable(spelled));
            chat.groupRenamed(group, spelled);
        });
    }

    private void disband(String group) {
        io.call(() -> io.client.groups().disband(group), ok -> {
            io.say("group.deleted", shown(group));
            chat.groupGone(group);
        });
    }

    private void members(String group) {
        io.call(() -> io.client.groups().members(group), list -> {
            io.say("group.members", shown(group), Integer.toString(list.size()));
            for (Item.Member m : list) {
                String name = aliases.shown(m.name());
                String shown = m.owner() ? io.texts.get("group.member.owner", name) : name;
                io.say(m.online() ? "account.friend.online" : "account.friend.offline", shown);
            }
        });
    }

    private void requests(String group) {
        io.call(() -> io.client.groups().requests(group), list -> {
            if (list.isEmpty()) {
                io.say("group.requests.none", shown(group));
                return;
            }
            io.say("group.requests", shown(group), Integer.toString(list.size()));
            for (Item.JoinRequested q : list) {
                io.say("group.requests.item", Notices.printable(q.name()), shown(group));
            }
        });
    }

    private void invitations() {
        io.call(() -> io.client.groups().invitations(), list -> {
            if (list.isEmpty()) {
                io.say("group.invitations.none");
                return;
            }
            io.say("group.invitations", Integer.toString(list.size()));
            for (Item.Invitation i : list) {
                io.say("group.invitations.item", Notices.printable(i.group()), aliases.shown(i.by()));
            }
        });
    }

    /** {@code /invites [anyone|friends|nobody]}: sets the policy, or shows it. */
    private void invites(String policy) {
        if (!policy.isEmpty() && !Request.InvitePolicy.POLICIES.contains(policy)) {
            io.say("account.error.usage", "/invites [anyone|friends|nobody]");
            return;
        }
        io.call(() -> io.client.groups().invitePolicy(policy), now -> io.say("group.invites." + now));
    }

    /** A group as typed, {@code #team} or {@code team}, for a message that puts its own {@code #} before it. */
    private static String shown(String group) {
        return Notices.printable(group.startsWith("#") ? group.substring(1) : group);
    }

    private static boolean isLobby(String group) {
        try {
            return Conversation.group(group).isLobby();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
