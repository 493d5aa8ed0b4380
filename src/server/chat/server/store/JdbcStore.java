package chat.server.store;

import chat.common.proto.FileStatus;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The server's database. Opening it creates the schema on first start, migrates an older one,
 * refuses an unknown schema version, and clears what a previous run left of the connection table
 * (nobody is online before the server starts). Its work runs on worker threads, never on the
 * reactor thread; each worker gets a connection of its own ({@link ThreadConnections}).
 *
 * <p>The work is done by one class per concern, as {@code command/} is split: {@link AccountStore}
 * (accounts, devices, sessions), {@link FriendStore}, {@link MessageStore} (storing, delivery,
 * history), {@link GroupStore} and {@link ContactStore} (read marks, unread counts, the contact
 * list). This class joins them into one {@link Store}.
 *
 * <p>The SQL is the same for SQLite and MySQL/MariaDB. Where the two would behave differently
 * the difference is kept out of SQL: substrings are found with {@code INSTR} (no LIKE, so a
 * {@code %} or {@code _} in the text is only itself), a key already taken is recognised by
 * {@link SqlErrors}, and the column lengths that MySQL enforces and SQLite ignores are checked
 * in Java ({@link Sql}), so that both refuse the same values.
 */
public final class JdbcStore implements Store {

    private static final System.Logger LOG = System.getLogger(Store.class.getName());

    private final Database database;
    private final ThreadConnections connections;
    private final AccountStore accounts;
    private final FriendStore friends;
    private final MessageStore messages;
    private final GroupStore groups;
    private final ContactStore contacts;
    private final FileStore files;
    private final RetentionStore retention;
    private final BanStore bans;
    private final ReachStore reach;
    /** User id to its default device's id, for the deprecated adapters. */
    private final Map<Long, Long> defaultDevices = new java.util.concurrent.ConcurrentHashMap<>();

    private JdbcStore(Database database, boolean shared) {
        this.database = database;
        this.connections = new ThreadConnections(database);
        var sql = new Sql(database.dialect());
        var unread = UnreadCounts.forWriters(database.dialect(), shared);
        this.accounts = new AccountStore(connections, sql);
        this.friends = new FriendStore(connections, sql);
        this.messages = new MessageStore(connections, sql, unread);
        this.groups = new GroupStore(connections, sql);
        this.contacts = new ContactStore(connections, sql, unread);
        this.files = new FileStore(connections, sql);
        this.retention = new RetentionStore(connections, database.dialect());
        this.bans = new BanStore(connections);
        this.reach = new ReachStore(connections, sql);
    }

    /** Opens {@code database}, creating, migrating or checking its schema. */
    public static JdbcStore open(Database database) {
        return open(database, false);
    }

    /**
     * As {@link #open(Database)}; {@code shared} (cluster mode) leaves the connection table alone:
     * it holds the other nodes' users, and a dead node's rows go when it is reaped. It also counts
     * unread texts for several writers ({@link UnreadCounts.SeveralWriters}).
     */
    public static JdbcStore open(Database database, boolean shared) {
        try (Connection c = database.open()) {
            Schema.ensure(c, database.dialect());
            checkDurability(c, database);
            int stale = shared ? 0 : clearConnections(c);
            if (stale > 0) {
                LOG.log(Level.INFO, database.describe() + " - cleared " + stale + " stale connection rows");
            }
        } catch (SQLException e) {
            throw new StoreException("opening " + database.describe(), e);
        }
        return new JdbcStore(database, shared);
    }

    /**
     * On MySQL/MariaDB, each commit reaches the disk only when the server's
     * {@code innodb_flush_log_at_trx_commit} is 1: the store cannot set it (it is global), so with
     * {@code --durability fsync} it says so at start when it is not.
     */
    private static void checkDurability(Connection c, Database database) throws SQLException {
        if (database.dialect() != Database.Dialect.MYSQL || database.durability() != Database.Durability.FSYNC) {
            return;
        }
        long flush = Sql.number(c, "SELECT @@innodb_flush_log_at_trx_commit");
        if (flush != 1) {
            LOG.log(Level.WARNING, database.describe() + " - durability fsync asked for, but the server has"
                    + " innodb_flush_log_at_trx_commit=" + flush + ": a power loss may undo the last second of"
                    + " commits; set it to 1 on the MariaDB server");
        }
    }

    private static int clearConnections(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            int rows = s.executeUpdate("DELETE FROM connections");
            s.executeUpdate("UPDATE users SET status = 0 WHERE status <> 0");
            return rows;
        }
    }

    @Override
    public Database database() {
        return database;
    }

    @Override
    public <T> T inTransaction(String doing, Supplier<T> work) {
        return connections.inTransaction(doing, work);
    }

    @Override
    public List<Outcome> inBatch(Supplier<Piece> next) {
        return connections.batch(next);
    }

    // Accounts, devices and sessions.

    @Override
    public Optional<User> createUser(String name, String nameKey, String passwordHash, long now) {
        return accounts.createUser(name, nameKey, passwordHash, now);
    }

    @Override
    public Optional<User> userByKey(String nameKey) {
        return accounts.userByKey(nameKey);
    }

    @Override
    public Optional<User> userById(long userId) {
        return accounts.userById(userId);
    }

    @Override
    public void setPasswordHash(long userId, String passwordHash) {
        accounts.setPasswordHash(userId, passwordHash);
    }

    @Override
    public void markOnline(long userId, String ip, int port, long now) {
        accounts.markOnline(userId, ip, port, now);
    }

    @Override
    public void markOffline(long userId) {
        accounts.markOffline(userId);
    }

    @Override
    public List<User> findUsers(String keyPart, int limit) {
        return accounts.findUsers(keyPart, limit);
    }

    @Override
    public Device device(long userId, String name, long now) {
        return accounts.device(userId, name, now);
    }

    @Override
    public List<Device> devices(long userId) {
        return accounts.devices(userId);
    }

    @Override
    public void createSession(String tokenHash, long userId, long deviceId, long now, long expiresAt) {
        accounts.createSession(tokenHash, userId, deviceId, now, expiresAt);
    }

    @Override
    public Optional<SessionRow> sessionByToken(String tokenHash, long now) {
        return accounts.sessionByToken(tokenHash, now);
    }

    @Override
    public boolean extendSession(String tokenHash, long expiresAt) {
        return accounts.extendSession(tokenHash, expiresAt);
    }

    @Override
    public boolean revokeSession(String tokenHash) {
        return accounts.revokeSession(tokenHash);
    }

    @Override
    public int revokeOtherSessions(long userId, String keepHash) {
        return accounts.revokeOtherSessions(userId, keepHash);
    }

    @Override
    public int revokeDeviceSessions(Device device, String keepHash) {
        return accounts.revokeDeviceSessions(device, keepHash);
    }

    @Override
    public List<SessionRow> sessions(long userId, long now) {
        return accounts.sessions(userId, now);
    }

    @Override
    public int purgeExpiredSessions(long now, int batch) {
        return accounts.purgeExpiredSessions(now, batch);
    }

    // Retention.

    @Override
    public Pruned deleteOldMessages(long sentBefore, long afterId, int batch) {
        return retention.deleteOldMessages(sentBefore, afterId, batch);
    }

    @Override
    public void reclaimSpace() {
        retention.reclaimSpace();
    }

    // Friends.

    @Override
    public List<Friend> friends(long userId) {
        return friends.friends(userId);
    }

    @Override
    public boolean areFriends(long userId, long otherId) {
        return friends.areFriends(userId, otherId);
    }

    @Override
    public RequestOutcome requestFriend(long fromId, long toId, long now) {
        return friends.requestFriend(fromId, toId, now);
    }

    @Override
    public List<FriendRequest> pendingRequests(long userId) {
        return friends.pendingRequests(userId);
    }

    @Override
    public List<PendingRequest> friendRequests(long userId) {
        return friends.friendRequests(userId);
    }

    @Override
    public boolean acceptRequest(long userId, long fromId, long now) {
        return friends.acceptRequest(userId, fromId, now);
    }

    @Override
    public boolean declineRequest(long userId, long fromId) {
        return friends.declineRequest(userId, fromId);
    }

    @Override
    public boolean deleteFriend(long userId, long friendId) {
        return friends.deleteFriend(userId, friendId);
    }

    @Override
    public boolean setAlias(long userId, long friendId, String alias) {
        return friends.setAlias(userId, friendId, alias);
    }

    // Messages and events.

    @Override
    public Stored storeMessage(long senderId, long senderDevice, long recipientId, String clientId, String body,
            long now) {
        return messages.storeMessage(senderId, senderDevice, recipientId, clientId, body, now);
    }

    @Override
    public Optional<Stored> storeFriendMessage(long senderId, String senderName, long senderDevice, long recipientId,
            String recipientName, String clientId, String body, long now) {
        return messages.storeFriendMessage(senderId, senderName, senderDevice, recipientId, recipientName, clientId,
                body, now);
    }

    @Override
    public List<Sent> storeFriendMessages(List<Outgoing> outgoing) {
        return messages.storeFriendMessages(outgoing);
    }

    @Override
    @Deprecated
    public Stored storeMessage(long senderId, long recipientId, String clientId, String body, long now) {
        return messages.storeMessage(senderId, defaultDevice(senderId), recipientId, clientId, body, now);
    }

    @Override
    public List<Message> storeEvent(Kind kind, long actorId, long actorDevice, long groupId,
            Collection<Long> recipients, List<String> fields, long now) {
        return messages.storeEvent(kind, actorId, actorDevice, groupId, recipients, fields, now);
    }

    @Override
    public List<Message> undelivered(long userId, long deviceId, int limit) {
        return messages.undelivered(userId, deviceId, limit, 0, Long.MAX_VALUE);
    }

    @Override
    public List<Message> undelivered(long userId, long deviceId, int limit, long after, long upTo) {
        return messages.undelivered(userId, deviceId, limit, after, upTo);
    }

    @Override
    public long newestMessageId() {
        return connections.asItIs("reading the newest message id", MessageStore::newestId);
    }

    @Override
    public void writerHooks(WriterHooks hooks) {
        connections.writerHooks(hooks);
    }

    @Override
    public void serveAsWriter() {
        connections.serveAsWriter();
    }

    @Override
    public <T> T onConnection(String doing, SqlWork<T> work) {
        return connections.autoCommit(doing, work::run);
    }

    @Override
    @Deprecated
    public List<Message> undelivered(long userId, int limit) {
        Sql.requireLimit(limit);
        return messages.undelivered(userId, defaultDevice(userId), limit, 0, Long.MAX_VALUE);
    }

    @Override
    public void acknowledgeDevices(Map<Long, Long> upTo) {
        messages.acknowledgeDevices(upTo);
    }

    @Override
    @Deprecated
    public void acknowledge(long userId, long messageId) {
        messages.acknowledgeDevices(Map.of(defaultDevice(userId), messageId));
    }

    @Override
    @Deprecated
    public void acknowledge(Map<Long, Long> upTo) {
        Map<Long, Long> byDevice = new HashMap<>();
        upTo.forEach((userId, messageId) -> byDevice.put(defaultDevice(userId), messageId));
        messages.acknowledgeDevices(byDevice);
    }

    /**
     * The device that the adapters for callers before protocol 1.1 stand for: each account's
     * {@code default}, created on first use (0, which no device has, for an unknown user). Devices
     * are never deleted, so the id is kept: an adapter costs no write per call.
     */
    private long defaultDevice(long userId) {
        Long known = defaultDevices.get(userId);
        if (known != null) {
            return known;
        }
        if (accounts.userById(userId).isEmpty()) {
            return 0;
        }
        long id = accounts.device(userId, DEFAULT_DEVICE, System.currentTimeMillis()).id();
        defaultDevices.put(userId, id);
        return id;
    }

    @Override
    public List<Message> history(long userId, long peerId, long beforeId, int limit) {
        return messages.history(userId, peerId, beforeId, limit);
    }

    @Override
    public List<Message> search(long userId, String text, int limit) {
        return messages.search(userId, text, limit);
    }

    @Override
    public boolean indexForSearch(int rows) {
        return messages.indexForSearch(rows);
    }

    @Override
    public double checkpoint() {
        if (database.dialect() != Database.Dialect.SQLITE) {
            return -1;
        }
        return connections.autoCommit("checkpointing the WAL", database::checkpoint);
    }

    // Groups.

    @Override
    public Optional<Group> createGroup(String name, String nameKey, long ownerId, boolean open, long now) {
        return groups.createGroup(name, nameKey, ownerId, open, now);
    }

    @Override
    public boolean nameTaken(String name) {
        return accounts.nameTaken(name);
    }

    @Override
    public InvitePolicy invitePolicy(long userId) {
        InvitePolicy p = InvitePolicy.of(accounts.invitePolicy(userId));
        return p == null ? InvitePolicy.FRIENDS : p;
    }

    @Override
    public void setInvitePolicy(long userId, InvitePolicy policy) {
        accounts.setInvitePolicy(userId, policy.wire());
    }

    // Who may reach whom.

    @Override
    public boolean invite(long groupId, long userId, long inviterId, long now) {
        return reach.invite(groupId, userId, inviterId, now);
    }

    @Override
    public Optional<Invitation> invitation(long groupId, long userId) {
        return reach.invitation(groupId, userId);
    }

    @Override
    public boolean dropInvitation(long groupId, long userId) {
        return reach.dropInvitation(groupId, userId);
    }

    @Override
    public List<Invitation> invitations(long userId) {
        return reach.invitations(userId);
    }

    @Override
    public boolean block(long userId, long blockedId, long now) {
        return reach.block(userId, blockedId, now);
    }

    @Override
    public boolean unblock(long userId, long blockedId) {
        return reach.unblock(userId, blockedId);
    }

    @Override
    public boolean isBlocked(long userId, long blockedId) {
        return reach.isBlocked(userId, blockedId);
    }

    @Override
    public List<Blocked> blocked(long userId) {
        return reach.blocked(userId);
    }

    @Override
    public Optional<Group> groupByKey(String nameKey) {
        return groups.groupByKey(nameKey);
    }

    @Override
    public Optional<Group> groupById(long groupId) {
        return groups.groupById(groupId);
    }

    @Override
    public void lockGroup(long groupId) {
        groups.lockGroup(groupId);
    }

    @Override
    public boolean renameGroup(long groupId, String name, String nameKey) {
        return groups.renameGroup(groupId, name, nameKey);
    }

    @Override
    public void deleteGroup(long groupId) {
        groups.deleteGroup(groupId);
    }

    @Override
    public boolean addMember(long groupId, long userId, long now) {
        return groups.addMember(groupId, userId, now);
    }

    @Override
    public boolean removeMember(long groupId, long userId) {
        return groups.removeMember(groupId, userId);
    }

    @Override
    public boolean isMember(long groupId, long userId) {
        return groups.isMember(groupId, userId);
    }

    @Override
    public boolean requestJoin(long groupId, long userId, long now) {
        return groups.requestJoin(groupId, userId, now);
    }

    @Override
    public boolean hasJoinRequest(long groupId, long userId) {
        return groups.hasJoinRequest(groupId, userId);
    }

    @Override
    public boolean rejectJoin(long groupId, long userId) {
        return groups.rejectJoin(groupId, userId);
    }

    @Override
    public List<FriendRequest> joinRequests(long groupId) {
        return groups.joinRequests(groupId);
    }

    @Override
    public List<Group> groupsOf(long userId) {
        return groups.groupsOf(userId);
    }

    @Override
    public List<Member> members(long groupId) {
        return groups.members(groupId);
    }

    @Override
    public List<Long> memberIds(long groupId) {
        return groups.memberIds(groupId);
    }

    @Override
    public Stored storeGroupMessage(long senderId, long senderDevice, long groupId, String clientId, String body,
            long now) {
        return messages.storeGroupMessage(senderId, senderDevice, groupId, clientId, body, now);
    }

    @Override
    @Deprecated
    public Stored storeGroupMessage(long senderId, long groupId, String clientId, String body, long now) {
        return messages.storeGroupMessage(senderId, defaultDevice(senderId), groupId, clientId, body, now);
    }

    @Override
    public List<Message> groupHistory(long groupId, long userId, long beforeId, int limit) {
        return messages.groupHistory(groupId, userId, beforeId, limit);
    }

    // Read marks, unread counts and the contact list.

    @Override
    public long markRead(long userId, boolean group, long peerId, long upToId) {
        return contacts.markRead(userId, group, peerId, upToId);
    }

    @Override
    @Deprecated
    public void markRead(long userId, boolean group, long peerId) {
        contacts.markRead(userId, group, peerId, 0);
    }

    @Override
    public List<Unread> unread(long userId) {
        return contacts.unread(userId);
    }

    @Override
    public Contacts contacts(long userId) {
        return contacts.contacts(userId);
    }

    /** Closes every worker's connection. Call once the workers have stopped. */
    @Override
    public void close() {
        connections.close();
    }

    /** How many per-thread connections are open, for tests. */
    int openConnections() {
        return connections.open();
    }

    // ---- files ----

    @Override
    public Optional<StoredFile> earlierFileOffer(long senderId, String clientId) {
        return files.earlierOffer(senderId, clientId);
    }

    @Override
    public StoredFile storeFileOffer(long senderId, long senderDevice, long recipientId, long groupId, String clientId,
            String name, long size, String sha256, boolean ready, long now, long expiresAt) {
        return files.storeOffer(senderId, senderDevice, recipientId, groupId, clientId, name, size, sha256, ready, now,
                expiresAt);
    }

    @Override
    public Optional<FileRow> file(long fileId) {
        return files.file(fileId);
    }

    @Override
    public long liveFileBytes(long senderId) {
        return files.liveBytes(senderId);
    }

    @Override
    public boolean contentReady(long senderId, String sha256, long size) {
        return files.contentReady(senderId, sha256, size);
    }

    @Override
    public boolean contentHeld(String sha256) {
        return files.contentHeld(sha256);
    }

    @Override
    public void fileProgress(long fileId, FileStatus state, long received) {
        files.progress(fileId, state, received);
    }

    @Override
    public boolean cancelFile(long fileId) {
        return files.cancel(fileId);
    }

    @Override
    public List<FileRow> expireFiles(long now, int batch) {
        return files.expire(now, batch);
    }

    @Override
    public List<FileRow> files(long userId, int limit) {
        return files.files(userId, limit);
    }

    // Bans.

    @Override
    public void putBan(Ban ban) {
        bans.put(ban);
    }

    @Override
    public boolean removeBan(String kind, String target) {
        return bans.remove(kind, target);
    }

    @Override
    public List<Ban> bans(long now) {
        return bans.holding(now);
    }

    @Override
    public int purgeExpiredBans(long now) {
        return bans.purge(now);
    }
}
