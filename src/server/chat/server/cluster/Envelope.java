package chat.server.cluster;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One message on the cluster's bus (Redis pub/sub): its kind, the node that sent it, that node's
 * sequence number on the channel (a receiver that sees a jump missed something and resyncs), and
 * the kind's fields. Encoded as length-prefixed binary fields, big-endian:
 *
 * <pre>
 *   kind u8 | origin (u16 length, UTF-8) | seq i64 | a i64 | b i64 | ids (u32 count, i64 each)
 *   | text (u32 length, UTF-8) | bytes (u32 length)
 * </pre>
 *
 * What {@code a}, {@code b}, {@code ids}, {@code text} and {@code bytes} hold depends on the kind
 * ({@link Kind}). A payload that does not decode is refused whole ({@link IllegalArgumentException}).
 */
public record Envelope(Kind kind, String origin, long seq, long a, long b, long[] ids, String text, byte[] bytes) {

    /** The bus messages; the fields each uses. */
    public enum Kind {
        /** A node starts: a = its position. Answered by WELCOME from every live node. */
        HELLO,
        /** To a newcomer's inbox: a = the sender's position. */
        WELCOME,
        /** A node's position rose: a = it. */
        POS,
        /** A stored push to accounts on the target node: a = id, b = sender owed a receipt (0: none), ids = users, bytes = line. */
        DELIVER,
        /** A stored group push: a = id, b = sender's user id, ids = [group id], bytes = line. */
        GROUP,
        /** A live push to accounts on the target node: ids = users, bytes = line. */
        NOTIFY,
        /** A live push to a group's (or the lobby's) online members: ids = [group id], bytes = line. */
        GROUP_NOTIFY,
        /** Legacy lobby traffic: a = 0 said, 1 came, 2 went; text = name, bytes = the text said (UTF-8). */
        LOBBY,
        /** An account's sessions on the origin: ids = [user], a = how many (0: none left), text = name. */
        SESSIONS,
        /** A login elsewhere replaces sessions here: ids = [user], a = device id (0: every device). */
        REPLACE,
        /** A node was reaped: text = its id. */
        NODE_DOWN,
        /**
         * A login budget was charged on the origin (never told on by a receiver): a = the budget
         * ({@code Charges.Budget}'s ordinal), b = 1 when the failure was new to the address, text = the
         * key (an account or an address), bytes = the address of a wrong password (UTF-8; else empty).
         */
        CHARGE,
        /** An admin's CONNECTIONS: a = the request's number; every other node answers TABLE to the origin's inbox. */
        CONNECTIONS,
        /** A node's connections, to the asker's inbox: a = the request's number, bytes = the items. */
        TABLE,
        /** An admin's DISCONNECT: a = the qualified connection id, b = the request's number, text = the admin. */
        DISCONNECT,
        /** The owner's answer, to the asker's inbox: a = the request's number, b = 1 closed, text = what. */
        DISCONNECTED,
        /**
         * An admin's BAN or UNBAN: a = the banned account's user id (0: an address), b = 1 lifted,
         * text = the kind, bytes = target, until, reason, by, at (Java's data encoding).
         */
        BAN,
        /** The lobby's members on the origin going by a name: text = the name, a = how many now (0: none). */
        LOBBY_COUNT
    }

    private static final Kind[] KINDS = Kind.values();
    private static final long[] NO_IDS = new long[0];
    private static final byte[] NO_BYTES = new byte[0];
    /** The most ids one envelope may carry (a group's members on one node): far above any real one. */
    static final int MAX_IDS = 1 << 20;

    public Envelope {
        ids = ids == null ? NO_IDS : ids;
        text = text == null ? "" : text;
        bytes = bytes == null ? NO_BYTES : bytes;
    }

    public static Envelope of(Kind kind, String origin, long a, long b, long[] ids, String text, byte[] bytes) {
        return new Envelope(kind, origin, 0, a, b, ids, text, bytes);
    }

    public Envelope withSeq(long seq) {
        return new Envelope(kind, origin, seq, a, b, ids, text, bytes);
    }

    public byte[] encode() {
        byte[] o = origin.getBytes(StandardCharsets.UTF_8);
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        if (o.length > 0xffff) {
            throw new IllegalArgumentException("origin too long");
        }
        ByteBuffer out = ByteBuffer.allocate(1 + 2 + o.length + 8 * 3 + 4 + 8 * ids.length + 4 + t.length + 4
                + bytes.length);
        out.put((byte) kind.ordinal()).putShort((short) o.length).put(o).putLong(seq).putLong(a).putLong(b);
        out.putInt(ids.length);
        for (long id : ids) {
            out.putLong(id);
        }
        out.putInt(t.length).put(t).putInt(bytes.length).put(bytes);
        return out.array();
    }

    public static Envelope decode(byte[] payload) {
        try {
            ByteBuffer in = ByteBuffer.wrap(payload);
            int k = in.get() & 0xff;
            if (k >= KINDS.length) {
                throw new IllegalArgumentException("unknown kind " + k);
            }
            String origin = utf8(in, in.getShort() & 0xffff);
            long seq = in.getLong();
            long a = in.getLong();
            long b = in.getLong();
            int n = in.getInt();
            if (n < 0 || n > MAX_IDS || n > in.remaining() / 8) {
                throw new IllegalArgumentException("bad id count " + n);
            }
            long[] ids = new long[n];
            for (int i = 0; i < n; i++) {
                ids[i] = in.getLong();
            }
            String text = utf8(in, in.getInt());
            int len = in.getInt();
            if (len < 0 || len != in.remaining()) {
                throw new IllegalArgumentException("bad bytes length " + len);
            }
            byte[] bytes = new byte[len];
            in.get(bytes);
            return new Envelope(KINDS[k], origin, seq, a, b, ids, text, bytes);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("cut short");
        }
    }

    private static String utf8(ByteBuffer in, int len) {
        if (len < 0 || len > in.remaining()) {
            throw new IllegalArgumentException("bad length " + len);
        }
        byte[] b = new byte[len];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Envelope e && kind == e.kind && origin.equals(e.origin) && seq == e.seq && a == e.a
                && b == e.b && Arrays.equals(ids, e.ids) && text.equals(e.text) && Arrays.equals(bytes, e.bytes);
    }

    @Override
    public int hashCode() {
        return ((kind.hashCode() * 31 + origin.hashCode()) * 31 + Long.hashCode(seq)) * 31 + Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
        return kind + " from " + origin + " #" + seq + " a=" + a + " b=" + b + " ids=" + Arrays.toString(ids)
                + (text.isEmpty() ? "" : " text=" + text) + (bytes.length == 0 ? "" : " " + bytes.length + " bytes");
    }
}
