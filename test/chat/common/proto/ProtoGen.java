package chat.common.proto;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators for the typed protocol: every push, item and result, with the fields people write
 * (Chinese, emoji, ':', '%', newlines, empty) from {@link LineTest#fields()}.
 */
final class ProtoGen {

    private ProtoGen() {}

    static Arbitrary<String> text() {
        return LineTest.fields();
    }

    /** Ids and times: any non-negative long, the bounds often. */
    static Arbitrary<Long> ids() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, Long.MAX_VALUE), Arbitraries.of(0L, 1L, Long.MAX_VALUE));
    }

    static Arbitrary<Integer> counts() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, Integer.MAX_VALUE),
                Arbitraries.of(0, 1, Integer.MAX_VALUE));
    }

    static Arbitrary<Boolean> bits() {
        return Arbitraries.of(true, false);
    }

    static Arbitrary<Conversation> conversations() {
        Arbitrary<String> name = text().filter(s -> !s.isEmpty());
        return Arbitraries.oneOf(
                name.filter(s -> !s.startsWith("#") && !s.startsWith("!")).map(Conversation.Direct::new),
                name.map(Conversation.GroupName::new),
                ids().map(Conversation.GroupId::new),
                Arbitraries.just(Conversation.LOBBY));
    }

    static Arbitrary<ChatMessage> messages() {
        Arbitrary<String> s = text();
        Arbitrary<ChatMessage> direct = Combinators.combine(ids(), ids(), s, s, s, s).as(ChatMessage::direct);
        Arbitrary<ChatMessage> group = Combinators.combine(ids(), ids(), s, ids(), s, s, s).as(ChatMessage::inGroup);
        Arbitrary<ChatMessage> lobby = Combinators.combine(ids(), s, s)
                .as((time, from, text) -> ChatMessage.inGroup(0, time, from, 0, "lobby", "", text));
        return Arbitraries.oneOf(direct, group, lobby);
    }

    static Arbitrary<Push> pushes() {
        Arbitrary<String> s = text();
        Arbitrary<Long> n = ids();
        return Arbitraries.oneOf(List.of(
                messages().map(Push.Message::new),
                Combinators.combine(n, n, s, s).as(Push.FriendRequest::new),
                Combinators.combine(n, n, s).as(Push.FriendAdded::new),
                Combinators.combine(n, n, s).as(Push.FriendRemoved::new),
                Combinators.combine(n, n, s).as(Push.FriendDeclined::new),
                Combinators.combine(n, n, n, s, s, s).as(Push.GroupJoined::new),
                Combinators.combine(n, n, n, s, s, bits(), s).as(Push.GroupLeft::new),
                Combinators.combine(n, n, n, s, s).as(Push.GroupRenamed::new),
                Combinators.combine(n, n, n, s).as(Push.GroupDeleted::new),
                Combinators.combine(n, n, n, s, s).as(Push.GroupJoinRequest::new),
                Combinators.combine(n, n, n, s, s, s).as(Push.GroupRejected::new),
                Combinators.combine(n, n, n, s, s, s).as(Push.GroupInvited::new),
                Combinators.combine(n, n, n, s, s, s).as(Push.GroupInviteDeclined::new),
                Combinators.combine(s, bits()).as(Push.Presence::new),
                Combinators.combine(conversations(), n).as(Push.ReadMark::new),
                Combinators.combine(conversations(), n).as(Push.Delivered::new),
                Arbitraries.just(new Push.Synced()),
                Combinators.combine(Arbitraries.of(Push.Bye.REPLACED, Push.Bye.SHUTDOWN, "someday-new"), s)
                        .as(Push.Bye::new),
                offers().map(Push.File::new),
                Combinators.combine(n, Arbitraries.of(FileStatus.READY, FileStatus.CANCELLED, FileStatus.EXPIRED,
                        FileStatus.FAILED, FileStatus.UPLOADING)).as(Push.FileState::new),
                Combinators.combine(s, s, Arbitraries.integers().between(0, 65535), s,
                        Arbitraries.oneOf(n, Arbitraries.just(Request.FileTran.NO_SIZE)), s).as(Push.FilePeer::new),
                unknownLines().map(Push.Unknown::new)));
    }

    /** File offers, private and in groups, with any name (the parser does not judge names). */
    static Arbitrary<FileOffer> offers() {
        return Combinators.combine(messages().filter(m -> m.id() > 0), ids(), ids(), RequestTest.hashes())
                .as((m, fileId, size, hash) -> new FileOffer(m.id(), m.time(), m.from(), m.to(), m.groupId(),
                        m.clientId(), fileId, m.text(), size, hash));
    }

    static Arbitrary<Item> items() {
        Arbitrary<String> s = text();
        Arbitrary<Long> n = ids();
        Arbitrary<Item.GroupInfo> full = Combinators.combine(n, s, s, bits(), counts(), n, n, n)
                .flatAs((id, name, owner, open, members, unread, lastId, lastTime) -> s.map(
                        preview -> new Item.GroupInfo(id, name, owner, open, members, unread, lastId, lastTime, preview)));
        return Arbitraries.oneOf(List.of(
                Combinators.combine(s, s, bits(), n, n, n, s).as(Item.Friend::new),
                full,
                Combinators.combine(n, s, s, bits(), counts()).as(Item.GroupInfo::brief),
                Combinators.combine(s, bits(), n).as(Item.Pending::new),
                messages().map(Item.Hist::new),
                Combinators.combine(s, bits()).as(Item.User::new),
                Combinators.combine(s, bits(), bits()).as(Item.Member::new),
                Combinators.combine(n, s, s, n).as(Item.JoinRequested::new),
                Combinators.combine(n, s, s, n).as(Item.Invitation::new),
                Combinators.combine(s, n).as(Item.Blocked::new),
                Combinators.combine(conversations(), n).as(Item.UnreadCount::new),
                offers().map(Item.HistFile::new),
                Combinators.combine(n, n, n, s, s, s, n, RequestTest.hashes())
                        .flatAs((fileId, msgId, time, from, to, name, size, hash) -> Combinators.combine(
                                Arbitraries.of(FileStatus.UPLOADING, FileStatus.READY, FileStatus.CANCELLED,
                                        FileStatus.EXPIRED, FileStatus.FAILED), n, n)
                                .as((state, received, expires) -> (Item) new Item.FileInfo(fileId, msgId, time, from, to,
                                        name, size, hash, state, received, expires))),
                Combinators.combine(n, s, s, s, n, n, n).as(Item.ConnectionInfo::new),
                Combinators.combine(Arbitraries.of(Item.BanInfo.ACCOUNT, Item.BanInfo.ADDRESS), s, n, s, s, n)
                        .as(Item.BanInfo::new),
                unknownLines().map(Item.Unknown::new)));
    }

    /** Untagged lines under a name that is nobody's: what a newer server might send. */
    static Arbitrary<Line> unknownLines() {
        Arbitrary<String> name = Arbitraries.strings().withCharRange('A', 'Z').withChars('_').ofMinLength(1).ofMaxLength(20)
                .filter(x -> !Vocabulary.REQUESTS.contains(x) && !Vocabulary.ITEMS.contains(x)
                        && !Vocabulary.PUSHES.contains(x) && !x.equals(Reply.ERR));
        return Combinators.combine(name, text().list().ofMaxSize(6)).as((first, rest) -> {
            var fields = new java.util.ArrayList<String>();
            fields.add(first);
            fields.addAll(rest);
            return new Line(null, fields);
        });
    }

    /** A result with the command that answers with it. */
    record Answer(String command, Replies.Result result) {}

    static Arbitrary<Answer> answers() {
        Arbitrary<String> s = text();
        Arbitrary<Long> n = ids();
        Arbitrary<Integer> port = Arbitraries.integers().between(0, 65535);
        Arbitrary<String> cap = Arbitraries.strings().withCharRange('a', 'z').withChars('-').ofMinLength(1).ofMaxLength(12);
        return Arbitraries.oneOf(List.of(
                Combinators.combine(s, cap.list().ofMaxSize(5)).as((v, caps) -> new Answer("HELLO", new Replies.HelloOk(v, caps))),
                Combinators.combine(port, s, RequestTest.devices(), s)
                        .as((p, name, device, token) -> new Answer("LOGIN", new Replies.LoginOk(p, name, device, token))),
                Combinators.combine(port, s, RequestTest.devices())
                        .as((p, name, device) -> new Answer("RESUME", new Replies.ResumeOk(p, name, device))),
                Combinators.combine(Arbitraries.of("MSG", "GROUP"), n, n, s)
                        .as((command, id, time, clientId) -> new Answer(command, new Replies.SentOk(id, time, clientId))),
                Combinators.combine(Arbitraries.of("REGISTER", "RESIGER"), s)
                        .as((command, name) -> new Answer(command, new Replies.RegisterOk(name))),
                bits().map(b -> new Answer("ADD", new Replies.AddOk(b))),
                bits().map(b -> new Answer("CHECK_NAME", new Replies.CheckNameOk(b))),
                bits().map(b -> new Answer("JOIN", new Replies.JoinOk(b, 7))),
                bits().map(b -> new Answer("INVITE", new Replies.InviteOk(b))),
                Arbitraries.of("anyone", "friends", "nobody").map(p -> new Answer("INVITE_POLICY", new Replies.InvitePolicyOk(p))),
                n.map(id -> new Answer("READ", new Replies.ReadOk(id))),
                s.map(g -> new Answer("CREATE", new Replies.CreateOk(g, 42))),
                s.map(g -> new Answer("RENAME", new Replies.RenameOk(g))),
                Combinators.combine(s, s, port)
                        .as((name, ip, p) -> new Answer("CONNECT_CLIENT", new Replies.ConnectClientOk(name, ip, p))),
                Combinators.combine(n, n, n, s, s, n).as((fileId, msgId, time, clientId, token, offset) ->
                        new Answer("SEND_FILE", new Replies.SendFileOk(fileId, msgId, time, clientId, token, offset))),
                Combinators.combine(s, n).as((token, offset) -> new Answer("FILE_UPLOAD", new Replies.FileUploadOk(token, offset))),
                Combinators.combine(s, n, RequestTest.hashes(), s)
                        .as((token, size, hash, name) -> new Answer("FILE_GET", new Replies.FileGetOk(token, size, hash, name))),
                n.map(id -> new Answer("UPLOAD", new Replies.UploadOk(id))),
                n.map(size -> new Answer("DOWNLOAD", new Replies.DownloadOk(size))),
                n.map(until -> new Answer("BAN", new Replies.BanOk(until)))));
    }
}
