package chat.client.term;

import chat.common.proto.Item;

/**
 * {@code /friends}, {@code /find}, {@code /add}, {@code /accept}, {@code /decline}, {@code /del},
 * {@code /alias}, and {@code /block}, {@code /unblock}, {@code /blocks}. A change I make prints its
 * confirmation from the answer: the server tells the other side and my other devices, not this one.
 */
final class FriendCommands {

    private final ShellIo io;
    private final Notices notices;

    FriendCommands(ShellIo io, Notices notices) {
        this.io = io;
        this.notices = notices;
    }

    /** Runs {@code command} if it is one of these; whether it was. */
    boolean run(String command, String rest) {
        switch (command) {
            case "friends" -> io.call(() -> io.client.friends().list(), l -> notices.friends(l).forEach(io.console::print));
            case "find" -> io.withText(rest, "/find TEXT", this::find);
            case "add" -> io.withName(rest, "/add USER", name -> io.call(() -> io.client.friends().add(name),
                    friends -> io.say(friends ? "account.friendAdded" : "account.requested", Notices.printable(name))));
            case "accept" -> io.withName(rest, "/accept USER", name -> io.call(() -> io.client.friends().accept(name),
                    ok -> io.say("account.friendAdded", Notices.printable(name))));
            case "decline" -> io.withName(rest, "/decline USER", name -> io.call(() -> io.client.friends().decline(name),
                    ok -> io.say("account.declined", Notices.printable(name))));
            case "del" -> io.withName(rest, "/del USER", name -> io.call(() -> io.client.friends().delete(name),
                    ok -> {
                        notices.aliases.set(name, "");
                        io.say("account.deleted", Notices.printable(name));
                    }));
            case "alias" -> alias(rest);
            case "block" -> io.withName(rest, "/block USER", name -> io.call(() -> io.client.friends().block(name),
                    ok -> io.say("account.blocked", Notices.printable(name))));
            case "unblock" -> io.withName(rest, "/unblock USER", name -> io.call(() -> io.client.friends().unblock(name),
                    ok -> io.say("account.unblocked", Notices.printable(name))));
            case "blocks" -> io.call(() -> io.client.friends().blocks(), list -> {
                if (list.isEmpty()) {
                    io.say("account.blocks.none");
                    return;
                }
                io.say("account.blocks", Integer.toString(list.size()));
                list.forEach(b -> io.say("account.blocks.item", Notices.printable(b.name())));
            });
            default -> {
                return false;
            }
        }
        return true;
    }

    private void find(String text) {
        io.call(() -> io.client.friends().find(text), users -> {
            if (users.isEmpty()) {
                io.say("account.found.none", Notices.printable(text));
                return;
            }
            io.say("account.found", Integer.toString(users.size()));
            for (Item.User u : users) {
                io.say(u.friend() ? "account.found.friend" : "account.found.user",
                        u.friend() ? notices.aliases.shown(u.name()) : Notices.printable(u.name()));
            }
        });
    }

    private void alias(String rest) {
        String[] parts = rest.split("\\s+", 2);
        if (parts[0].isEmpty()) {
            io.say("account.error.usage", "/alias USER [NAME]");
            return;
        }
        String name = parts[0];
        String alias = parts.length > 1 ? parts[1].strip() : "";
        io.call(() -> io.client.friends().alias(name, alias), ok -> {
            notices.aliases.set(name, alias);
            if (alias.isEmpty()) {
                io.say("account.aliasCleared", name);
            } else {
                io.say("account.aliasSet", name, Notices.printable(alias));
            }
        });
    }
}
