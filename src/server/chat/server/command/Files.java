package chat.server.command;

import static chat.common.proto.ErrorCode.BAD_NAME;
import static chat.common.proto.ErrorCode.BAD_REQUEST;
import static chat.common.proto.ErrorCode.CANCELLED;
import static chat.common.proto.ErrorCode.COMPLETE;
import static chat.common.proto.ErrorCode.EXPIRED;
import static chat.common.proto.ErrorCode.NOT_FRIENDS;
import static chat.common.proto.ErrorCode.NOT_MEMBER;
import static chat.common.proto.ErrorCode.NOT_READY;
import static chat.common.proto.ErrorCode.NO_SUCH_FILE;
import static chat.common.proto.ErrorCode.NO_SUCH_USER;
import static chat.common.proto.ErrorCode.OFFLINE;
import static chat.common.proto.ErrorCode.OVER_QUOTA;
import static chat.common.proto.ErrorCode.SELF;
import static chat.common.proto.ErrorCode.TOO_LARGE;

import chat.common.proto.FileOffer;
import chat.common.proto.FileStatus;
import chat.common.proto.Item;
import chat.common.proto.ProtocolException;
import chat.common.proto.Push;
import chat.common.proto.Replies;
import chat.common.proto.Request;
import chat.common.text.Names;
import chat.server.files.DataConnections;
import chat.server.files.Grants;
import chat.server.hub.Hub;
import chat.server.hub.Rooms;
import chat.server.hub.Session;
import chat.server.legacy.Lobby;
import chat.server.store.Store;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * SEND_FILE, FILE_UPLOAD, FILE_GET, FILE_CANCEL, FILES and the article's FileTran: the control of
 * file transfer. The bytes go over data connections ({@link DataConnections}); this class checks
 * who may do what, issues their tokens ({@link Grants}), stores the offers as messages, tells
 * everyone concerned of a file's state ({@code FILE_STATE}), and sweeps out expired offers.
 */
final class Files implements DataConnections.Listener {

    private static final System.Logger LOG = System.getLogger(Files.class.getName());
    static final int LIST_LIMIT = 100;
    private static final int SWEEP_BATCH = 500;
    private static final long DAY_MILLIS = 24L * 60 * 60 * 1000;

    private final Services services;
    private final Rooms rooms;
    private final Grants grants;
    private DataConnections data;

    Files(Services services, Rooms rooms, Grants grants) {
        this.services = services;
        this.rooms = rooms;
        this.grants = grants;
    }

    void setData(DataConnections data) {
        this.data = data;
    }

    private record Offered(Store.StoredFile stored, boolean group) {}

    void send(Client c, String tag, Session me, Request.SendFile r) {
        var s = services;
        String problem = Messages.problem(r.clientId(), "x");
        if (problem != null) {
            c.fail(tag, "SEND_FILE", BAD_REQUEST, problem);
            return;
        }
        if (!FileOffer.validName(r.name())) {
            c.fail(tag, "SEND_FILE", BAD_NAME, "a file name has 1 to 255 bytes, no / \\ or control characters,"
                    + " and is not . or ..");
            return;
        }
        if (Lobby.isLobby(r.to())) {
            c.fail(tag, "SEND_FILE", BAD_REQUEST, "files are not sent to the lobby");
            return;
        }
        long now = s.now();
        s.transaction(c, "offering a file", () -> {
            // A resend (the MSG rule) is answered from the offer it repeats, before any limit:
            // that offer is counted in the quota already, and was within the limits when made.
            var earlier = s.store().earlierFileOffer(me.userId, r.clientId());
            if (earlier.isPresent()) {
                return new Offered(earlier.get(), earlier.get().message().isGroup());
            }
            if (r.size() > s.settings().fileMaxSize()) {
                throw new ProtocolException(TOO_LARGE, "files are at most " + s.settings().fileMaxSize() + " bytes here");
            }
            Target target = Target.of(s.store(), r.to());
            if (target.group()) {
                if (!s.store().isMember(target.id(), me.userId)) {
                    throw new ProtocolException(NOT_MEMBER, "not a member of " + target.name());
                }
            } else if (target.id() == me.userId) {
                throw new ProtocolException(SELF, "that is you");
            } else if (!s.store().areFriends(me.userId, target.id())) {
                throw new ProtocolException(NOT_FRIENDS, "only friends can send each other files");
            }
            long live = s.store().liveFileBytes(me.userId);
            if (live + r.size() > s.settings().fileQuota()) {
                throw new ProtocolException(OVER_QUOTA, "your offers hold " + live + " of your " + s.settings().fileQuota()
                        + " bytes; cancel some or wait for them to expire");
            }
            boolean ready = s.store().contentReady(me.userId, r.sha256(), r.size());
            var stored = s.store().storeFileOffer(me.userId, me.deviceId, target.group() ? 0 : target.id(),
                    target.group() ? target.id() : 0, r.clientId(), r.name(), r.size(), r.sha256(), ready, now,
                    now + s.settings().fileDays() * DAY_MILLIS);
            return new Offered(stored, target.group());
        }, (offered, failed) -> {
            if (c.failed(tag, "SEND_FILE", "offering a file", failed)) {
                return;
            }
            Store.StoredFile stored = offered.stored();
            Store.FileRow f = stored.file();
            if (f == null) {
                c.fail(tag, "SEND_FILE", BAD_REQUEST, "that client id was a message's");
                return;
            }
            if (f.state().isFinal()) {
                c.fail(tag, "SEND_FILE", f.state() == FileStatus.EXPIRED ? EXPIRED : CANCELLED, "that file is " + f.state().wire());
                return;
            }
            Store.Message m = stored.message();
            String token = grants.issue(f.id(), me.userId, Grants.Direction.UPLOAD, f.size(), f.sha256());
            c.ok(tag, r, new Replies.SendFileOk(f.id(), m.id(), m.sentAt(), m.clientId(), token, f.received()));
            if (!stored.duplicate()) {
                byte[] line = Hub.encode(Events.push(m));
                if (offered.group()) {
                    rooms.publish(m.groupId(), m.id(), line, me);
                } else {
                    s.hub().deliver(m.recipientId(), m.id(), line, null);
                    s.hub().deliver(me.userId, m.id(), line, me);
                }
                if (f.state() == FileStatus.READY) {
                    stateChanged(f, FileStatus.READY);
                }
            }
        });
    }

    /** A file of mine, or no-such-file: nobody learns of others' files by guessing ids. */
    private Store.FileRow mine(long fileId, Session me) {
        return services.store().file(fileId).filter(f -> f.senderId() == me.userId)
                .orElseThrow(() -> new ProtocolException(NO_SUCH_FILE, "no file " + fileId + " of yours"));
    }

    private static void requireLive(Store.FileRow f) {
        if (f.state() == FileStatus.CANCELLED) {
            throw new ProtocolException(CANCELLED, "file " + f.id() + " was cancelled");
        }
        if (f.state() == FileStatus.EXPIRED) {
            throw new ProtocolException(EXPIRED, "file " + f.id() + " has expired");
        }
    }

    void upload(Client c, String tag, Session me, Request.FileUpload r) {
        var s = services;
        s.write(c, () -> {
            Store.FileRow f = mine(r.fileId(), me);
            requireLive(f);
            if (f.state() == FileStatus.READY) {
                throw new ProtocolException(COMPLETE, "the server has all of file " + f.id());
            }
            if (f.state() == FileStatus.FAILED) {
                s.store().fileProgress(f.id(), FileStatus.UPLOADING, 0); // again from 0
                return s.store().file(f.id()).orElseThrow();
            }
            return f;
        }, (f, failed) -> {
            if (!c.failed(tag, "FILE_UPLOAD", "resuming an upload", failed)) {
                String token = grants.issue(f.id(), me.userId, Grants.Direction.UPLOAD, f.size(), f.sha256());
                c.ok(tag, r, new Replies.FileUploadOk(token, f.received()));
            }
        });
    }

    void get(Client c, String tag, Session me, Request.FileGet r) {
        var s = services;
        s.read(c, () -> {
            Store.FileRow f = s.store().file(r.fileId()).orElse(null);
            boolean mayHave = f != null && (f.senderId() == me.userId || f.recipientId() == me.userId
                    || f.isGroup() && s.store().isMember(f.groupId(), me.userId));
            if (!mayHave) {
                throw new ProtocolException(NO_SUCH_FILE, "no file " + r.fileId() + " for you");
            }
            requireLive(f);
            if (f.state() != FileStatus.READY) {
                throw new ProtocolException(NOT_READY, "file " + f.id() + " is " + f.state().wire());
            }
            return f;
        }, (f, failed) -> {
            if (!c.failed(tag, "FILE_GET", "fetching a file", failed)) {
                String token = grants.issue(f.id(), me.userId, Grants.Direction.DOWNLOAD, f.size(), f.sha256());
                c.ok(tag, r, new Replies.FileGetOk(token, f.size(), f.sha256(), f.name()));
            }
        });
    }

    private record Ended(Store.FileRow file, boolean blobNeeded) {}

    void cancel(Client c, String tag, Session me, Request.FileCancel r) {
        var s = services;
        s.transaction(c, "cancelling a file", () -> {
            Store.FileRow f = mine(r.fileId(), me);
            requireLive(f);
            s.store().cancelFile(f.id());
            return new Ended(f, s.store().contentHeld(f.sha256()));
        }, (ended, failed) -> {
            if (!c.failed(tag, "FILE_CANCEL", "cancelling a file", failed)) {
                c.ok(tag, "FILE_CANCEL");
                end(ended, FileStatus.CANCELLED);
            }
        });
    }

    private void end(Ended ended, FileStatus state) {
        Store.FileRow f = ended.file();
        data.ended(f.id(), state);
        data.deleteBytes(f.id(), f.sha256(), ended.blobNeeded());
        stateChanged(f, state);
    }

    void list(Client c, String tag, Session me) {
        var s = services;
        s.read(c, () -> s.store().files(me.userId, LIST_LIMIT), (files, failed) -> {
            if (c.failed(tag, "FILES", "listing files", failed)) {
                return;
            }
            List<Item> items = new ArrayList<>(files.size());
            for (Store.FileRow f : files) {
                String to = f.isGroup() ? "#" + (f.groupName() == null ? "" : f.groupName()) : f.recipientName();
                items.add(new Item.FileInfo(f.id(), f.messageId(), f.createdAt(), f.senderName(), to == null ? "" : to,
                        f.name(), f.size(), f.sha256(), f.state(), f.received(), f.expiresAt()));
            }
            c.list(tag, "FILES", items);
        });
    }

    /** The article's FileTran: tells a friend's devices where to fetch a file directly. */
    void fileTran(Client c, String tag, Session me, Request.FileTran r) {
        var s = services;
        s.read(c, () -> {
            Store.User to = s.store().userByKey(Names.key(r.name()))
                    .orElseThrow(() -> new ProtocolException(NO_SUCH_USER, "no user " + r.name()));
            if (to.id() == me.userId) {
                throw new ProtocolException(SELF, "that is you");
            }
            if (!s.store().areFriends(me.userId, to.id())) {
                throw new ProtocolException(NOT_FRIENDS, "only friends can send each other files");
            }
            return to;
        }, (to, failed) -> {
            if (c.failed(tag, r.command(), "forwarding FileTran", failed)) {
                return;
            }
            if (!s.hub().isOnline(to.id())) {
                c.fail(tag, r.command(), OFFLINE, to.name() + " is not online");
                return;
            }
            s.hub().notify(to.id(), new Push.FilePeer(me.name, r.ip(), r.port(), r.fileName(), r.size(), r.sha256()), null);
            c.ok(tag, r.command());
        });
    }

    /**
     * Tells the online devices concerned that a file changed state: a private file's sender and
     * recipient, a group file's members (its sender among them while a member).
     */
    @Override
    public void stateChanged(Store.FileRow f, FileStatus state) {
        byte[] line = Hub.encode(new Push.FileState(f.id(), state));
        if (f.isGroup()) {
            rooms.notify(f.groupId(), line, null);
        } else {
            services.hub().notify(f.senderId(), line, null);
            services.hub().notify(f.recipientId(), line, null);
        }
    }

    /**
     * Marks offers past their time expired, ends their transfers, deletes the bytes no live offer
     * needs, and tells whoever is online. Any thread may call it: the work is on the workers and
     * the results on the reactor.
     */
    void sweep() {
        var s = services;
        s.workers().write(() -> {
            List<Ended> ended = new ArrayList<>();
            for (Store.FileRow f : s.store().expireFiles(s.now(), SWEEP_BATCH)) {
                ended.add(new Ended(f, s.store().contentHeld(f.sha256())));
            }
            return ended;
        }, (ended, failed) -> {
            if (failed != null) {
                LOG.log(Level.ERROR, "expiring files failed; the next sweep tries again", failed);
                return;
            }
            for (Ended e : ended) {
                end(e, FileStatus.EXPIRED);
            }
            if (ended.size() == SWEEP_BATCH) {
                sweep();
            }
        });
    }
}
