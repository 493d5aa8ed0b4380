package chat.server.legacy;

import static chat.common.wire.LegacyRecord.NAME_OFFSET;
import static chat.common.wire.LegacyRecord.NAME_SIZE;
import static chat.common.wire.LegacyRecord.SIZE;
import static java.nio.charset.StandardCharsets.UTF_8;

import chat.common.text.LogSafe;
import chat.common.text.Names;
import chat.common.wire.LegacyRecord;
import chat.server.reactor.Connection;
import chat.server.reactor.Handler;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The article's group chat: one room of clients speaking 151-byte records. A record from one
 * member goes to every other member; when a member's connection closes, for whatever reason, the
 * others get a went-offline record with its name.
 *
 * <p>Unlike the article's server, a record is relayed only once all 151 bytes have arrived, in the
 * canonical form ({@link LegacyRecord}): stack garbage after a NUL is not passed on. A member's
 * name goes out marked, {@code ~bob} ({@link Names#LEGACY_MARK}), to the other members as to the
 * account users of the lobby: a legacy client has no account, so it must not pass for the account
 * {@code bob}, whatever it calls itself ({@code ~x} shows as {@code ~~x}). A relay allocates
 * nothing: the record is normalised and marked in one scratch array and that array's bytes are
 * copied into each member's outbound buffer. Runs on the reactor thread only.
 *
 * <p>A legacy connection is never idle-timed (the article's client never pings), but one that
 * leaves a record half sent is: when part of a record has waited {@code partialMillis} (the
 * identify timeout) without a whole record arriving, the connection is closed, so that a peer
 * cannot hold a socket for ever by sending a NUL and nothing more.
 */
public final class LegacyRoom implements Handler {

    private static final System.Logger LOG = System.getLogger(LegacyRoom.class.getName());
    private static final byte MARK = (byte) Names.LEGACY_MARK;
    private static final byte[] SERVER_NAME = "server".getBytes(UTF_8);

    private final Online online;
    private final long partialMillis;
    private final byte[] record = new byte[SIZE];
    private Connection[] members = new Connection[64];
    private int size;
    private Listener listener = Listener.NONE;

    /** {@code partialMillis}: how long part of a record may wait for the rest. */
    public LegacyRoom(Online online, long partialMillis) {
        this.online = online;
        this.partialMillis = partialMillis;
    }

    /**
     * Hears what happens in the room, for the account users in the lobby ({@link Lobby}). The names
     * it is told are marked ({@code ~bob}).
     */
    public interface Listener {
        Listener NONE = new Listener() {
            public boolean listening() { return false; }
            public void joined(String name) {}
            public void said(String name, String text) {}
            public void left(String name) {}
        };

        /** False while nobody listens: then the room does not even decode its records. */
        boolean listening();

        void joined(String name);

        void said(String name, String text);

        void left(String name);

        /**
         * A member goes by a name for the first time ({@code from} null) or by another: the member
         * list changed (a record's name is the member's; only ONLINE records are told as joined).
         */
        default void renamed(String from, String to) {}
    }

    public void setListener(Listener listener) {
        this.listener = listener;
    }

    /** Per-connection state: where it sits in the member array and the name it last used, marked. */
    private static final class Member {
        int index;
        final byte[] name = new byte[NAME_SIZE];
        int nameLen = -1;
        /** Since when part of a record has waited for its rest (loop clock), or -1. */
        long partialSince = -1;
    }

    public int size() {
        return size;
    }

    @Override
    public void onRead(Connection c, ByteBuffer in) {
        Member m = (Member) c.attachment();
        if (m == null) {
            m = join(c);
        }
        boolean whole = in.remaining() >= SIZE;
        while (in.remaining() >= SIZE && c.isWritable()) {
            byte type = LegacyRecord.readCanonical(in, record);
            LegacyRecord.markName(record, MARK);
            switch (type) {
                case LegacyRecord.CHAT, LegacyRecord.ONLINE -> {
                    rememberName(c, m);
                    broadcast(c, record);
                    if (listener.listening()) {
                        tell(type, m);
                    }
                }
                case LegacyRecord.OFFLINE -> {
                    rememberName(c, m);
                    c.close("said goodbye"); // the went-offline record goes out from onClose
                    return;
                }
                default -> {
                    reject(c, "protocol error: unknown record type " + (type & 0xFF));
                    return;
                }
            }
        }
        timePartial(c, m, whole, in.hasRemaining());
    }

    /** Starts the clock when part of a record is left waiting, restarts it when a record completes. */
    private static void timePartial(Connection c, Member m, boolean whole, boolean partial) {
        if (!partial) {
            if (m.partialSince >= 0) {
                m.partialSince = -1;
                c.setTicking(false);
            }
        } else if (whole || m.partialSince < 0) {
            m.partialSince = c.lastReadAt();
            c.setTicking(true);
        }
    }

    @Override
    public void onTick(Connection c, long nowMillis) {
        Member m = (Member) c.attachment();
        if (m == null || m.partialSince < 0) {
            return;
        }
        if (c.isReadingHeld()) {
            m.partialSince = nowMillis; // the rest may be waiting unread in the socket
        } else if (nowMillis - m.partialSince >= partialMillis) {
            LOG.log(Level.DEBUG, () -> c + " - part of a record waited " + partialMillis + " ms for the rest");
            c.close("part of a record waited " + partialMillis + " ms for the rest");
        }
    }

    private Member join(Connection c) {
        var m = new Member();
        c.attach(m);
        if (size == members.length) {
            members = Arrays.copyOf(members, size * 2);
        }
        m.index = size;
        members[size++] = c;
        return m;
    }

    private void rememberName(Connection c, Member m) {
        int len = LegacyRecord.fieldLength(record, NAME_OFFSET, NAME_SIZE);
        if (len == m.nameLen && Arrays.equals(record, NAME_OFFSET, NAME_OFFSET + len, m.name, 0, len)) {
            return; // the usual case: the same name as last time, nothing to do
        }
        String from = m.nameLen < 0 ? null : new String(m.name, 0, m.nameLen, UTF_8);
        System.arraycopy(record, NAME_OFFSET, m.name, 0, len);
        m.nameLen = len;
        String name = new String(m.name, 0, len, UTF_8);
        if (listener.listening()) {
            listener.renamed(from, name);
        }
        online.put(c.id(), new Online.Entry(name, Online.Kind.LEGACY, c.remoteAddress(), c.openedAt()));
        LOG.log(Level.DEBUG, () -> c + " - legacy client is " + LogSafe.field(name));
    }

    private void tell(byte type, Member m) {
        String name = new String(m.name, 0, m.nameLen, UTF_8);
        if (type == LegacyRecord.ONLINE) {
            listener.joined(name);
        } else {
            int len = LegacyRecord.fieldLength(record, LegacyRecord.TEXT_OFFSET, LegacyRecord.TEXT_SIZE);
            listener.said(name, new String(record, LegacyRecord.TEXT_OFFSET, len, UTF_8));
        }
    }

    /**
     * Says {@code text} in the room as {@code name}, for an account user in the lobby: as many
     * records as the text needs, each cut on a character boundary at 99 bytes.
     */
    public void sayFor(String name, String text) {
        for (byte[] rec : LegacyRecord.encodeChat(name, text)) {
            broadcast(null, rec);
        }
    }

    /** Tells the room that an account user came into the lobby or left it. */
    public void announce(String name, boolean online) {
        broadcast(null, LegacyRecord.encode(name, "", online ? LegacyRecord.ONLINE : LegacyRecord.OFFLINE));
    }

    /** The names the room's members go by, marked ({@code ~bob}), one per connection, for a member list. */
    public List<String> names() {
        var names = new ArrayList<String>(size);
        for (int i = 0; i < size; i++) {
            Member m = (Member) members[i].attachment();
            if (m.nameLen >= 0) {
                names.add(new String(m.name, 0, m.nameLen, UTF_8));
            }
        }
        return names;
    }

    /** Copies {@code rec} to every member but {@code from}. */
    private void broadcast(Connection from, byte[] rec) {
        Connection[] ms = members;
        for (int i = 0, n = size; i < n; i++) {
            Connection to = ms[i];
            if (to != from) {
                to.write(rec, 0, SIZE);
            }
        }
    }

    private void reject(Connection c, String message) {
        LOG.log(Level.INFO, () -> c + " - " + message);
        byte[] text = message.getBytes(UTF_8);
        byte[] err = new byte[SIZE];
        LegacyRecord.write(err, SERVER_NAME, SERVER_NAME.length, text, 0, text.length, LegacyRecord.CHAT);
        c.write(err);
        c.closeAfterFlush(message);
    }

    @Override
    public void onClose(Connection c) {
        Member m = (Member) c.attachment();
        if (m == null) {
            return;
        }
        int last = --size;
        Connection moved = members[last];
        members[m.index] = moved;
        ((Member) moved.attachment()).index = m.index;
        members[last] = null;
        online.remove(c.id());
        if (m.nameLen >= 0) {
            LegacyRecord.write(record, m.name, m.nameLen, record, 0, 0, LegacyRecord.OFFLINE);
            broadcast(c, record);
            if (listener.listening()) {
                listener.left(new String(m.name, 0, m.nameLen, UTF_8));
            }
        }
    }
}
