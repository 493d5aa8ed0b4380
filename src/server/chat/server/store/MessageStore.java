package chat.server.store;

import static chat.server.store.Rows.MESSAGE_COLUMNS;
import static chat.server.store.Rows.MESSAGE_JOINS;
import static chat.server.store.Rows.MESSAGE_SELECT;
import static chat.server.store.Rows.CHAT_KIND_COUNT;
import static chat.server.store.Rows.CHAT_KINDS;
import static chat.server.store.Rows.eachChatKind;
import static chat.server.store.Rows.TEXT;
import static chat.server.store.Sql.first;
import static chat.server.store.Sql.insert;
import static chat.server.store.Sql.insertAll;
import static chat.server.store.Sql.insertIfAny;
import static chat.server.store.Sql.list;
import static chat.server.store.Sql.number;

import chat.server.store.Store.Kind;
import chat.server.store.Store.Message;
import chat.server.store.Store.Stored;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** Storing text and events, delivering them to each device, history and search. */
final class MessageStore {

    /**
     * What a device has not received ({@link #undelivered(Database.Dialect)}): the three parts of
     * the rule in {@link Store}'s comment, each read from an index and cut at the limit on its own
     * (so that a long backlog of one part is not read whole), then merged. UNION rather than one
     * WHERE with ORs, which neither planner can serve from an index; UNION rather than UNION ALL
     * because a message to myself would be in (a) and (b).
     * <ul>
     *   <li>(a) to me: a range of messages_to in id order. An event I caused on this device is not
     *       mine to get back.
     *   <li>(b) what I sent from my other devices (not device 0: version 1's messages, which the
     *       client that sent them has and a later device starts past): per database, below.
     *   <li>(c) others' messages in my groups since I joined: group_members_user then
     *       messages_group_kind, one branch per chat kind ({@link Rows#eachChatKind}: a
     *       {@code kind IN} would sort the whole backlog), leaving out those from users I blocked,
     *       a look-up in blocks' primary key.
     * </ul>
     */
    private static final String UNDELIVERED_TO_ME = """
                SELECT a.id FROM (
                    SELECT id FROM messages
                    WHERE recipient_id = ? AND id > ? AND NOT (sender_id = ? AND sender_device = ?)
                    ORDER BY id
                    LIMIT ?) a
            """;
    private static final String UNDELIVERED_IN_MY_GROUPS = eachChatKind("""
                SELECT c%2$s.id FROM (
                    SELECT x.id
                    FROM group_members gm
                    JOIN messages x ON x.group_id = gm.group_id AND x.kind = %1$s AND x.id > gm.first_msg_id
                    WHERE gm.user_id = ? AND x.id > ? AND x.sender_id <> ?
                      AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.user_id = gm.user_id AND b.blocked_id = x.sender_id)
                    ORDER BY x.id
                    LIMIT ?) c%2$s""");
    private static final String UNDELIVERED_END = """

            ) mine
            JOIN messages m ON m.id = mine.id
            """ + MESSAGE_JOINS + """
            ORDER BY m.id
            LIMIT ?""";

    /**
     * What a device has not received, on MySQL/MariaDB (the parts: {@link #UNDELIVERED_TO_ME}):
     * (b) is a range of messages_sender_kind (sender, kind, id) per chat kind, in id order. Parameters
     * ({@link #undeliveredParams}): user, cursor, user, device, limit (a); user, cursor, device,
     * limit, once per kind (b); user, cursor, user, limit, once per kind (c); limit.
     */
    static final String UNDELIVERED_MYSQL = MESSAGE_SELECT + "FROM (\n" + UNDELIVERED_TO_ME + "UNION\n"
            + eachChatKind("""
                SELECT b%2$s.id FROM (
                    SELECT id FROM messages
                    WHERE sender_id = ? AND kind = %1$s AND id > ? AND sender_device <> ? AND sender_device <> 0
                    ORDER BY id
                    LIMIT ?) b%2$s""") + "\nUNION\n" + UNDELIVERED_IN_MY_GROUPS + UNDELIVERED_END;

    /**
     * What a device has not received, on SQLite (the parts: {@link #UNDELIVERED_TO_ME}), which has
     * no messages_sender_kind (see schema.sql): (b) reads messages_pair_kind, which leads with the
     * sender too. What I sent to groups is its range (me, no recipient), one branch per chat kind
     * in id order. What I sent to people is one range (me, person, kind, after the cursor) per
     * account I ever sent a row to (events too: a group I joined sent each member one), found by a
     * walk over the index's distinct recipients ({@code peers}, one look-up each), merged by a
     * sort cut at the limit: SQLite reads each person's range in id order and leaves it once it is
     * past everything the page holds so far (its ORDER BY ... LIMIT over IN ranges), so a page
     * reads about a page a person, not all I sent after the cursor. The cost, against the index
     * that served (b) alone (docs/ARCHITECTURE.md, "SQLite's file and the disk"): a page with
     * nothing left takes a look-up per account I ever sent a row to (1.3 ms for a thousand, 3.7 ms
     * for 2,500, 0.1 ms before), and catching up on 10,000 messages I sent elsewhere 50 to 120 ms
     * (30 to 37 before). What it saves: on SQLite each index that leads with a user costs every
     * stored message a page of its own in its commit, about 8 µs of the one writer's time
     * (issue 12). MySQL's planner reads a whole conversation for such a range (a ref on (sender,
     * recipient), the id only filtered), so there the index stays. The recipients go through
     * {@code IN (SELECT ...)}, which SQLite reads as a list of ranges; as a join it built an
     * automatic index from the whole table.
     * Parameters ({@link #undeliveredParams}): user, user (the walk); user, cursor, user, device,
     * limit (a); user, cursor, device, limit (b, people); user, cursor, device, limit, once per
     * kind (b, groups); user, cursor, user, limit, once per kind (c); limit.
     */
    static final String UNDELIVERED_SQLITE = """
            WITH RECURSIVE peers (r) AS (
                SELECT (SELECT recipient_id FROM messages
                        WHERE sender_id = ? AND recipient_id IS NOT NULL ORDER BY recipient_id LIMIT 1)
                UNION ALL
                SELECT (SELECT n.recipient_id FROM messages n
                        WHERE n.sender_id = ? AND n.recipient_id > peer.r ORDER BY n.recipient_id LIMIT 1)
                FROM peers peer WHERE peer.r IS NOT NULL
            )
            """ + MESSAGE_SELECT + "FROM (\n" + UNDELIVERED_TO_ME + """
                UNION
                SELECT b.id FROM (
                    SELECT x.id FROM messages x
                    WHERE x.sender_id = ? AND x.recipient_id IN (SELECT peer.r FROM peers peer)
                      AND x.kind IN %s AND x.id > ? AND x.sender_device <> ? AND x.sender_device <> 0
                    ORDER BY x.id
                    LIMIT ?) b
                UNION
            """.formatted(CHAT_KINDS) + eachChatKind("""
                SELECT b%2$s.id FROM (
                    SELECT id FROM messages
                    WHERE sender_id = ? AND recipient_id IS NULL AND kind = %1$s AND id > ?
                      AND sender_device <> ? AND sender_device <> 0
                    ORDER BY id
                    LIMIT ?) b%2$s""") + "\nUNION\n" + UNDELIVERED_IN_MY_GROUPS + UNDELIVERED_END;

    /** What a device has not received, on {@code dialect}'s database. */
    static String undelivered(Database.Dialect dialect) {
        return dialect == Database.Dialect.SQLITE ? UNDELIVERED_SQLITE : UNDELIVERED_MYSQL;
    }

    /**
     * The messages between two users, newest first below an id: each direction and kind is a
     * descending range of messages_pair_kind, cut at the limit, then merged. Parameters: me,
     * peer, before, limit, once per kind; peer, me, before, limit, once per kind; limit.
     */
    static final String HISTORY = MESSAGE_SELECT + "FROM (\n" + eachChatKind("""
                SELECT a%2$s.id FROM (
                    SELECT id FROM messages
                    WHERE sender_id = ? AND recipient_id = ? AND kind = %1$s AND id < ?
                    ORDER BY id DESC
                    LIMIT ?) a%2$s""") + "\nUNION\n" + eachChatKind("""
                SELECT b%2$s.id FROM (
                    SELECT id FROM messages
                    WHERE sender_id = ? AND recipient_id = ? AND kind = %1$s AND id < ?
                    ORDER BY id DESC
                    LIMIT ?) b%2$s""") + """

            ) pair
            JOIN messages m ON m.id = pair.id
            """ + MESSAGE_JOINS + """
            ORDER BY m.id DESC
            LIMIT ?""";

    /**
     * A group's messages since I joined, newest first below an id: per kind a descending range of
     * messages_group_kind above my first_msg_id, cut at the limit, then merged. Parameters: me,
     * group, before, limit, once per kind; limit.
     */
    static final String GROUP_HISTORY = MESSAGE_SELECT + "FROM (\n" + eachChatKind("""
                SELECT g%2$s.id FROM (
                    SELECT x.id
                    FROM group_members me
                    JOIN messages x ON x.group_id = me.group_id AND x.kind = %1$s AND x.id > me.first_msg_id
                    WHERE me.user_id = ? AND me.group_id = ? AND x.id < ?
                    ORDER BY x.id DESC
                    LIMIT ?) g%2$s""") + """

            ) mine
            JOIN messages m ON m.id = mine.id
            """ + MESSAGE_JOINS + """
            ORDER BY m.id DESC
            LIMIT ?""";

    /** IN lists of at most this many ids (SQLite allows 32,766 parameters; MySQL more). */
    private static final int IN_CHUNK = 500;

    private final ThreadConnections connections;
    private final Sql sql;
    private final UnreadCounts.Keeper unread;
    /**
     * MSG's recipients by name key, those a sender was found a friend of ({@link #remember}): an
     * account's name and id never change and accounts are never deleted, so an entry never goes
     * stale (an account made later, or on another node, is read when first named). It spares the
     * batch's first SELECT, one round trip of a few on MariaDB. Cleared when it reaches
     * {@link #MAX_ACCOUNTS}.
     */
    private final Map<String, Store.User> accounts = new java.util.concurrent.ConcurrentHashMap<>();
    /** Entries of {@link #accounts} at most: some MB, for the accounts that write most. */
    private static final int MAX_ACCOUNTS = 100_000;

    MessageStore(ThreadConnections connections, Sql sql, UnreadCounts.Keeper unread) {
        this.connections = connections;
        this.sql = sql;
        this.unread = unread;
    }

    Stored storeMessage(long senderId, long senderDevice, long recipientId, String clientId, String body, long now) {
        return store("storing message " + clientId + " from user " + senderId + " to user " + recipientId,
                "recipient_id", senderId, senderDevice, recipientId, clientId, body, now);
    }

    /** Membership is the caller's to check, as friendship is for {@link #storeMessage}. */
    Stored storeGroupMessage(long senderId, long senderDevice, long groupId, String clientId, String body, long now) {
        return store("storing message " + clientId + " from user " + senderId + " to group " + groupId,
                "group_id", senderId, senderDevice, groupId, clientId, body, now);
    }

    /**
     * Stores a private text message ({@code target} is {@code recipient_id}) or a group one
     * ({@code group_id}). Inserts first and looks for the earlier message only when the key is
     * taken: the common case is one statement, and a resend racing the original is decided by the
     * unique key. A duplicate is returned as it was stored, whichever kind it is.
     */
    private Stored store(String doing, String target, long senderId, long senderDevice, long targetId,
            String clientId, String body, long now) {
        Sql.requireChars("client id", clientId, Sql.MAX_CLIENT_ID);
        Sql.requireBytes("body", body, Sql.MAX_BODY_BYTES);
        return connections.transaction(doing, c -> {
            long id = sql.unlessTaken(() -> insert(c, "INSERT INTO messages (sender_id, sender_device, " + target
                    + ", client_id, body, sent_at, kind) VALUES (?, ?, ?, ?, ?, ?, " + TEXT + ")",
                    senderId, senderDevice, targetId, clientId, body, now), 0L);
            boolean duplicate = id == 0;
            if (duplicate) {
                id = duplicateId(c, senderId, clientId);
            }
            List<Message> found = list(c, MESSAGE_COLUMNS + "WHERE m.id = ?", Rows::message, id);
            // The recipient and the group are outer joins: a name is null when there is none.
            if (found.isEmpty() || !duplicate && (found.get(0).isGroup()
                    ? found.get(0).groupName() == null : found.get(0).recipientName() == null)) {
                // Rolled back by transaction(): a message from or to nobody is not kept.
                throw new StoreException(doing + ": no such sender, recipient or group");
            }
            if (!duplicate) {
                counted(c, found.get(0));
            }
            return new Stored(found.get(0), duplicate);
        });
    }

    /** Counts a text just stored by {@link #store} as unread where it is ({@link UnreadCounts}). */
    private void counted(Connection c, Message m) throws SQLException {
        if (m.isGroup()) {
            unread.groupText(c, m.groupId(), m.senderId(), m.id());
        } else {
            countPrivate(c, m.recipientId(), m.senderId(), m.id());
        }
    }

    /** Counts one private text just stored as unread for its recipient. */
    private void countPrivate(Connection c, long recipientId, long senderId, long id) throws SQLException {
        var texts = unread.texts();
        texts.privateText(recipientId, senderId, id);
        texts.store(c);
    }

    /**
     * A private text message between friends: the row is inserted from the friendship's row, so
     * that one statement checks and stores (empty, nothing stored, when they are not friends), and
     * it is not read back, since every column of it is known here (names never change, and the
     * friendship's row says both accounts exist). A resend of a client id is returned as it was
     * stored, as {@link #storeMessage} does.
     */
    Optional<Stored> storeFriendMessage(long senderId, String senderName, long senderDevice, long recipientId,
            String recipientName, String clientId, String body, long now) {
        Sql.requireChars("client id", clientId, Sql.MAX_CLIENT_ID);
        Sql.requireBytes("body", body, Sql.MAX_BODY_BYTES);
        String doing = "storing message " + clientId + " from user " + senderId + " to user " + recipientId;
        return connections.transaction(doing, c -> {
            long id = sql.unlessTaken(() -> insertIfAny(c, """
                    INSERT INTO messages (sender_id, sender_device, recipient_id, client_id, body, sent_at, kind)
                    SELECT ?, ?, ?, ?, ?, ?, %s FROM friends WHERE user_id = ? AND friend_id = ?""".formatted(TEXT),
                    senderId, senderDevice, recipientId, clientId, body, now, senderId, recipientId), -1L);
            if (id == 0) {
                return Optional.<Stored>empty();
            }
            if (id > 0) {
                countPrivate(c, recipientId, senderId, id);
                return Optional.of(new Stored(new Message(id, senderId, senderName, recipientId, recipientName, 0,
                        null, clientId, body, now, Kind.TEXT, senderDevice, null), false));
            }
            return Optional.of(earlier(c, senderId, clientId));
        });
    }

    /** A private text message's row, with the friendship already checked: MSG's batch inserts these. */
    private static final String INSERT_TEXT = """
            INSERT INTO messages (sender_id, sender_device, recipient_id, client_id, body, sent_at, kind)
            VALUES (?, ?, ?, ?, ?, ?, %s)""".formatted(TEXT);
    /** SQLite: {@link #INSERT_TEXT}, storing nothing when the (sender, client id) is taken: a resend. */
    private static final String INSERT_TEXT_UNLESS_TAKEN = INSERT_TEXT + " ON CONFLICT (sender_id, client_id) DO NOTHING";

    /** Messages per round of {@link #storeFriendMessages}: a writer's group at most, so one round. */
    private static final int SEND_ROUND = Workers.MAX_BATCH;

    /**
     * MSG's path (see {@link Store#storeFriendMessages}): per round, one SELECT of the recipients
     * by name, one of the friendships among the senders and recipients, one of the client ids
     * already taken among theirs, then the rows of those that may be stored and are no resend as
     * one batch; each resend (a client id already taken, in the table or earlier in the round) is
     * answered with what was stored first.
     */
    List<Store.Sent> storeFriendMessages(List<Store.Outgoing> outgoing) {
        for (Store.Outgoing o : outgoing) {
            Sql.requireChars("client id", o.clientId(), Sql.MAX_CLIENT_ID);
            Sql.requireBytes("body", o.body(), Sql.MAX_BODY_BYTES);
        }
        if (outgoing.isEmpty()) {
            return List.of();
        }
        return connections.transaction("storing " + outgoing.size() + " messages", c -> {
            List<Store.Sent> sent = new ArrayList<>(outgoing.size());
            for (int from = 0; from < outgoing.size(); from += SEND_ROUND) {
                sent.addAll(sendRound(c, outgoing.subList(from, Math.min(outgoing.size(), from + SEND_ROUND))));
            }
            return sent;
        });
    }

    private List<Store.Sent> sendRound(Connection c, List<Store.Outgoing> round) throws SQLException {
        Map<String, Store.User> to = recipients(c, round);
        Set<Friendship> friends = friendships(c, round, to);
        Store.Sent[] sent = new Store.Sent[round.size()];
        List<Integer> stored = new ArrayList<>(round.size());
        List<Object[]> rows = new ArrayList<>(round.size());
        for (int i = 0; i < round.size(); i++) {
            Store.Outgoing o = round.get(i);
            Store.User recipient = to.get(o.recipientKey());
            if (recipient == null) {
                sent[i] = Store.Sent.refused(Store.Refusal.NO_SUCH_USER);
            } else if (recipient.id() == o.senderId()) {
                sent[i] = Store.Sent.refused(Store.Refusal.SELF);
            } else if (!friends.contains(new Friendship(o.senderId(), recipient.id()))) {
                sent[i] = Store.Sent.refused(Store.Refusal.NOT_FRIENDS);
            } else {
                remember(o.recipientKey(), recipient);
                stored.add(i);
                rows.add(new Object[] {o.senderId(), o.senderDevice(), recipient.id(), o.clientId(), o.body(),
                    o.now()});
            }
        }
        if (rows.isEmpty()) {
            return Arrays.asList(sent);
        }
        // Resends (a client id the sender has taken, in the table or earlier in the round) must not
        // fail the others. Those repeated within the round are found here. On SQLite each row is
        // then inserted unless its key is taken (ON CONFLICT DO NOTHING, a statement a row, no
        // round trip): nothing fails, so no savepoint is needed, which there would copy every page
        // the round writes (a page of each index a message) into its journal, a third more work
        // for the writer. (Until issue 12's fifth round a SELECT looked for the taken keys first:
        // a statement more a round, for the index pages the INSERT reads anyway.)
        // On MySQL a savepoint is one round trip and copies nothing, while such a look, a long IN
        // list of pairs, cost the writer a fifth of its time: the round is inserted in a savepoint
        // as one multi-row INSERT, undone when a key is taken, and then stored message by message.
        boolean sqlite = connections.dialect() == Database.Dialect.SQLITE;
        boolean[] resend = sqlite ? repeatsInRound(round, stored) : new boolean[stored.size()];
        List<Object[]> fresh = new ArrayList<>(rows.size());
        int lastFresh = -1;
        for (int k = 0; k < rows.size(); k++) {
            if (!resend[k]) {
                fresh.add(rows.get(k));
                lastFresh = k;
            }
        }
        long[] ids = null;
        boolean oneByOne = false;
        if (sqlite) {
            ids = keysOfStored(Sql.insertEach(c, INSERT_TEXT_UNLESS_TAKEN, fresh), resend);
        } else {
            Savepoint before = fresh.size() > 1 ? c.setSavepoint() : null;
            try {
                ids = fresh.isEmpty() ? new long[0] : insertAll(c, INSERT_TEXT, fresh);
            } catch (SQLException e) {
                if (!sql.isDuplicateKey(e)) {
                    throw e;
                }
                if (before != null) {
                    c.rollback(before);
                    oneByOne = true;
                } else {
                    resend[lastFresh] = true;
                }
            }
        }
        var tally = unread.texts();
        int next = 0;
        for (int k = 0; k < stored.size(); k++) {
            int i = stored.get(k);
            Store.Outgoing o = round.get(i);
            Store.User recipient = to.get(o.recipientKey());
            Stored s = oneByOne ? storeOne(c, o, recipient, rows.get(k))
                    : !resend[k]
                    ? new Stored(new Message(ids[next++], o.senderId(), o.senderName(), recipient.id(), recipient.name(), 0,
                            null, o.clientId(), o.body(), o.now(), Kind.TEXT, o.senderDevice(), null), false)
                    : earlier(c, o.senderId(), o.clientId());
            if (!s.duplicate()) {
                tally.privateText(recipient.id(), o.senderId(), s.message().id());
            }
            sent[i] = new Store.Sent(s, null);
        }
        tally.store(c); // one upsert per (recipient, sender) of the round
        return Arrays.asList(sent);
    }

    /** One message of a round whose batch met a taken client id: stored, or the earlier one found. */
    private Stored storeOne(Connection c, Store.Outgoing o, Store.User recipient, Object[] row) throws SQLException {
        long id = sql.unlessTaken(() -> insert(c, INSERT_TEXT, row), 0L);
        if (id == 0) {
            return earlier(c, o.senderId(), o.clientId());
        }
        return new Stored(new Message(id, o.senderId(), o.senderName(), recipient.id(), recipient.name(), 0, null,
                o.clientId(), o.body(), o.now(), Kind.TEXT, o.senderDevice(), null), false);
    }

    /** A (user, friend) row of the friends table. */
    private record Friendship(long userId, long friendId) {}

    /**
     * For each of the round's rows to store ({@code stored}, indexes into {@code round}), whether
     * its (sender, client id) is on a row before it in the round: a resend of a message the round
     * stores first.
     */
    private static boolean[] repeatsInRound(List<Store.Outgoing> round, List<Integer> stored) {
        Set<ClientKey> keys = new HashSet<>();
        boolean[] repeat = new boolean[stored.size()];
        for (int k = 0; k < stored.size(); k++) {
            Store.Outgoing o = round.get(stored.get(k));
            repeat[k] = !keys.add(new ClientKey(o.senderId(), o.clientId()));
        }
        return repeat;
    }

    /**
     * The keys of the rows stored, in order, from {@link Sql#insertEach}'s keys of the
     * rows not marked in {@code resend}; marks there each row whose key was taken (a resend of a
     * message stored before the round).
     */
    private static long[] keysOfStored(long[] keysOfFresh, boolean[] resend) {
        long[] ids = new long[keysOfFresh.length];
        int n = 0;
        int j = 0;
        for (int k = 0; k < resend.length; k++) {
            if (resend[k]) {
                continue;
            }
            long key = keysOfFresh[j++];
            if (key == 0) {
                resend[k] = true;
            } else {
                ids[n++] = key;
            }
        }
        return Arrays.copyOf(ids, n);
    }

    /** A message's resend key: its sender and the client id the sender gave it. */
    private record ClientKey(long senderId, String clientId) {}

    /**
     * The round's recipients that exist, by name key: from {@link #accounts} when it knows them
     * all, else one SELECT of those it does not know.
     */
    private Map<String, Store.User> recipients(Connection c, List<Store.Outgoing> round) throws SQLException {
        Map<String, Store.User> found = new HashMap<>();
        Set<String> unknown = new LinkedHashSet<>();
        for (Store.Outgoing o : round) {
            Store.User known = accounts.get(o.recipientKey());
            if (known != null) {
                found.put(o.recipientKey(), known);
            } else {
                unknown.add(o.recipientKey());
            }
        }
        if (unknown.isEmpty()) {
            return found;
        }
        Object[] in = Sql.inList(unknown);
        for (Object[] u : list(c, "SELECT name_key, id, name FROM users WHERE name_key IN (" + Sql.marks(in.length)
                + ")", rs -> new Object[] {rs.getString(1), rs.getLong(2), rs.getString(3)}, in)) {
            found.put((String) u[0], new Store.User((Long) u[1], (String) u[2], null));
        }
        return found;
    }

    /**
     * Remembers a recipient that is a friend of a sender in this transaction. Only those: such an
     * account was committed before (its owner logged in to befriend anyone, and a login follows
     * the registration's commit), so the transaction rolling back cannot take it back, where an
     * account found but not a friend may have been registered in this very group.
     */
    private void remember(String key, Store.User recipient) {
        if (accounts.size() >= MAX_ACCOUNTS) {
            accounts.clear(); // the active ones come back at their next message
        }
        accounts.putIfAbsent(key, recipient);
    }

    /**
     * Which of the round's (sender, recipient) pairs are friends: one SELECT of primary-key
     * lookups, {@code (user_id, friend_id) IN ((?, ?), ...)}, one pair each (padded to a power of
     * two with the last, as {@link Sql#inList} pads). Not {@code user_id IN (...) AND friend_id IN
     * (...)}: SQLite read that a hundred times slower for 256 pairs (every friend of every sender,
     * checked against the second list). Not ORed {@code (user_id = ? AND friend_id = ?)} either,
     * which it was: MariaDB's range optimizer took 40 ms over 256 of them (a loaded machine; the
     * row list 7 ms, SQLite about 1.3 ms either way).
     */
    private static Set<Friendship> friendships(Connection c, List<Store.Outgoing> round, Map<String, Store.User> to)
            throws SQLException {
        Set<Friendship> pairs = new LinkedHashSet<>();
        for (Store.Outgoing o : round) {
            Store.User recipient = to.get(o.recipientKey());
            if (recipient != null && recipient.id() != o.senderId()) {
                pairs.add(new Friendship(o.senderId(), recipient.id()));
            }
        }
        if (pairs.isEmpty()) {
            return Set.of();
        }
        var in = Sql.PairList.of(pairs.stream().map(f -> new Object[] {f.userId(), f.friendId()}).toList());
        return new HashSet<>(list(c, "SELECT user_id, friend_id FROM friends WHERE (user_id, friend_id) IN " + in.sql(),
                rs -> new Friendship(rs.getLong(1), rs.getLong(2)), in.params()));
    }

    /** The message the sender already stored with this client id (its key is taken), as a duplicate. */
    private static Stored earlier(Connection c, long senderId, String clientId) throws SQLException {
        long earlier = duplicateId(c, senderId, clientId);
        Message found = first(c, MESSAGE_COLUMNS + "WHERE m.id = ?", Rows::message, earlier)
                .orElseThrow(() -> new SQLException("message " + earlier + " vanished"));
        return new Stored(found, true);
    }

    /** The id of the message the sender already stored with this client id (its key is taken). */
    private static long duplicateId(Connection c, long senderId, String clientId) throws SQLException {
        return first(c, "SELECT id FROM messages WHERE sender_id = ? AND client_id = ?", rs -> rs.getLong(1),
                senderId, clientId)
                .orElseThrow(() -> new SQLException("the key (" + senderId + ", " + clientId
                        + ") was taken, but no message has it"));
    }

    /**
     * One row per recipient, in one transaction. An event has no client id of its own, but the
     * column is part of the resend key: each row gets a random one that no client's can be taken
     * for ({@code ~}, 32 hex digits, {@code .} and the row's place).
     */
    List<Message> storeEvent(Kind kind, long actorId, long actorDevice, long groupId, Collection<Long> recipients,
            List<String> fields, long now) {
        if (kind == Kind.TEXT) {
            throw new IllegalArgumentException("an event is not text");
        }
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("an event has at least one field");
        }
        String body = Message.encodeEventFields(kind, fields);
        Sql.requireBytes("event body", body, Sql.MAX_BODY_BYTES);
        List<Long> to = new ArrayList<>(new LinkedHashSet<>(recipients));
        if (to.isEmpty()) {
            return List.of();
        }
        var random = ThreadLocalRandom.current();
        String event = "~%016x%016x.".formatted(random.nextLong(), random.nextLong());
        String doing = "storing event " + kind.sqlName() + " of user " + actorId + " for " + to.size() + " users";
        List<Object[]> rows = new ArrayList<>(to.size());
        for (int i = 0; i < to.size(); i++) {
            rows.add(new Object[] {actorId, actorDevice, to.get(i), groupId == 0 ? null : groupId, event + i, body, now,
                kind.sqlName()});
        }
        return connections.transaction(doing, c -> {
            // One batch (on MySQL one multi-row INSERT): a join to a group of 2,000 stores 2,000
            // rows, which were as many round trips, holding the writer for each.
            List<Long> ids = new ArrayList<>(to.size());
            for (long id : insertAll(c, """
                    INSERT INTO messages (sender_id, sender_device, recipient_id, group_id, client_id, body,
                                          sent_at, kind)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", rows)) {
                ids.add(id);
            }
            List<Message> stored = byIds(c, ids);
            if (stored.size() != ids.size() || stored.stream().anyMatch(m -> m.recipientName() == null)) {
                // Rolled back by transaction(): an event from or to nobody is not kept.
                throw new StoreException(doing + ": no such actor or recipient");
            }
            return stored;
        });
    }

    /** The messages of these ids, in id order. */
    private static List<Message> byIds(Connection c, List<Long> ids) throws SQLException {
        List<Message> out = new ArrayList<>(ids.size());
        for (int from = 0; from < ids.size(); from += IN_CHUNK) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + IN_CHUNK));
            out.addAll(list(c, MESSAGE_COLUMNS + "WHERE m.id IN (" + Sql.marks(chunk.size()) + ") ORDER BY m.id",
                    Rows::message, chunk.toArray()));
        }
        return out;
    }

    /** The device's cursor is read first: one primary-key lookup, and the big query gets a constant. */
    /**
     * What device {@code deviceId} has not acknowledged, past {@code after} too when that is past
     * its cursor, and only ids up to {@code upTo} (the rows come in id order, so cutting the page
     * at {@code upTo} leaves a short page exactly when everything up to it has been read).
     */
    List<Message> undelivered(long userId, long deviceId, int limit, long afterAtLeast, long upTo) {
        Sql.requireLimit(limit);
        return connections.autoCommit("reading undelivered messages to device " + deviceId + " of user " + userId,
                c -> {
                    var cursor = first(c, "SELECT acked_msg_id FROM devices WHERE id = ? AND user_id = ?",
                            rs -> rs.getLong(1), deviceId, userId);
                    if (cursor.isEmpty()) {
                        return List.<Message>of();
                    }
                    long after = Math.max(cursor.get(), afterAtLeast);
                    var dialect = connections.dialect();
                    List<Message> page = list(c, undelivered(dialect), Rows::message,
                            undeliveredParams(dialect, userId, deviceId, after, limit));
                    if (upTo == Long.MAX_VALUE || page.isEmpty() || page.get(page.size() - 1).id() <= upTo) {
                        return page;
                    }
                    int n = 0;
                    while (n < page.size() && page.get(n).id() <= upTo) {
                        n++;
                    }
                    return page.subList(0, n);
                });
    }

    /** Devices one statement of {@link #acknowledgeDevices} moves at most. */
    private static final int ACKS_PER_STATEMENT = 128;

    /**
     * One UPDATE for up to {@link #ACKS_PER_STATEMENT} devices, each found by its key, where one
     * statement a device was the MariaDB writer's largest cost (a third of its time at 18,000
     * MSGs a second, each of 1,000 devices moved about ten times a second). The condition keeps a
     * cursor from moving backwards: an old ack arriving late changes nothing. The lists are
     * padded as {@link Sql#inList} pads (a WHEN repeated changes nothing), so that few statement
     * texts exist.
     */
    void acknowledgeDevices(Map<Long, Long> upTo) {
        if (upTo.isEmpty()) {
            return;
        }
        connections.transaction("acknowledging messages for " + upTo.size() + " devices", c -> {
            List<Object> devices = new ArrayList<>(upTo.keySet());
            for (int from = 0; from < devices.size(); from += ACKS_PER_STATEMENT) {
                Object[] ids = Sql.inList(devices.subList(from, Math.min(devices.size(), from + ACKS_PER_STATEMENT)));
                String cases = "CASE id" + " WHEN ? THEN ?".repeat(ids.length) + " ELSE acked_msg_id END";
                List<Object> pairs = new ArrayList<>(2 * ids.length);
                for (Object id : ids) {
                    pairs.add(id);
                    pairs.add(upTo.get(id));
                }
                List<Object> params = new ArrayList<>(pairs);
                params.addAll(Arrays.asList(ids));
                params.addAll(pairs);
                Sql.update(c, "UPDATE devices SET acked_msg_id = " + cases + " WHERE id IN ("
                        + Sql.marks(ids.length) + ") AND acked_msg_id < "
                        + cases, params.toArray());
            }
            return null;
        });
    }

    List<Message> history(long userId, long peerId, long beforeId, int limit) {
        Sql.requireLimit(limit);
        return connections.autoCommit("reading the history of users " + userId + " and " + peerId,
                c -> list(c, HISTORY, Rows::message, historyParams(userId, peerId, beforeId, limit)));
    }

    List<Message> groupHistory(long groupId, long userId, long beforeId, int limit) {
        Sql.requireLimit(limit);
        return connections.autoCommit("reading the history of group " + groupId + " for user " + userId,
                c -> list(c, GROUP_HISTORY, Rows::message, groupHistoryParams(groupId, userId, beforeId, limit)));
    }

    /**
     * Through {@link SearchIndex} where it can find the text (the messages after its mark scanned,
     * then the index up to the mark), else by its scan; the same rows either way. The mark is read
     * once: what the index holds up to it stays there (but for deletes), and the tail scan takes
     * every message after it, so a mark moved meanwhile changes nothing. On MySQL the same
     * statement reads the mark and folds the text as the database folds bodies (LOWER), which
     * the trigrams are taken from.
     */
    List<Message> search(long userId, String text, int limit) {
        Sql.requireLimit(limit);
        Database.Dialect dialect = connections.dialect();
        if (!SearchIndex.indexed(dialect, text)) {
            return connections.autoCommit("searching the messages of user " + userId,
                    c -> list(c, SearchIndex.SCAN, Rows::message, userId, userId, userId, text, limit));
        }
        return connections.autoCommit("searching the messages of user " + userId, c -> {
            long mark;
            String folded = null;
            if (dialect == Database.Dialect.SQLITE) {
                mark = SearchIndex.mark(c);
            } else {
                Object[] row = first(c, "SELECT LOWER(?), upto FROM search_mark",
                        rs -> new Object[] {rs.getString(1), rs.getLong(2)}, text)
                        .orElseThrow(() -> new SQLException("search_mark has no row"));
                folded = (String) row[0];
                mark = (Long) row[1];
            }
            List<Message> found = new ArrayList<>(
                    list(c, SearchIndex.TAIL, Rows::message, userId, userId, userId, text, mark, limit));
            if (found.size() < limit) {
                found.addAll(dialect == Database.Dialect.SQLITE
                        ? list(c, SearchIndex.INDEXED, Rows::message, userId, SearchIndex.phrase(text), userId,
                                userId, text, mark, limit - found.size())
                        : SearchIndex.searchGrams(c, userId, text, folded, mark, limit - found.size()));
            }
            return found;
        });
    }

    /**
     * Indexes for SEARCH the next {@code rows} messages past the index's mark, in one transaction
     * ({@link SearchIndex#catchUp} on SQLite, {@link SearchIndex#catchUpBlocks} on MySQL); true
     * when more may wait. Called by the writer between its own transactions ({@link Workers}).
     */
    boolean indexForSearch(int rows) {
        return connections.transaction("indexing messages for search",
                c -> connections.dialect() == Database.Dialect.SQLITE ? SearchIndex.catchUp(c, rows)
                        : SearchIndex.catchUpBlocks(c, rows));
    }

    /** {@link #undelivered(Database.Dialect)}'s parameters, in its order. */
    static Object[] undeliveredParams(Database.Dialect dialect, long userId, long deviceId, long after, int limit) {
        Object[] toMe = {userId, after, userId, deviceId, limit};
        Object[] sent = Sql.times(CHAT_KIND_COUNT, userId, after, deviceId, limit);
        return Sql.params(dialect == Database.Dialect.SQLITE
                        ? Sql.params(userId, userId, toMe, userId, after, deviceId, limit, sent)
                        : Sql.params(toMe, sent),
                Sql.times(CHAT_KIND_COUNT, userId, after, userId, limit),
                limit);
    }

    /** {@link #HISTORY}'s parameters, in its order. */
    static Object[] historyParams(long userId, long peerId, long beforeId, int limit) {
        return Sql.params(Sql.times(CHAT_KIND_COUNT, userId, peerId, beforeId, limit),
                Sql.times(CHAT_KIND_COUNT, peerId, userId, beforeId, limit), limit);
    }

    /** {@link #GROUP_HISTORY}'s parameters, in its order. */
    static Object[] groupHistoryParams(long groupId, long userId, long beforeId, int limit) {
        return Sql.params(Sql.times(CHAT_KIND_COUNT, userId, groupId, beforeId, limit), limit);
    }

    /** The newest message id now stored, 0 when none. */
    static long newestId(Connection c) throws SQLException {
        return number(c, "SELECT MAX(id) FROM messages");
    }
}
