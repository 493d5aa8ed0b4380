package chat.testing;

import chat.common.wire.Resp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Redis that runs beside the tests (127.0.0.1:6379), under a key and channel prefix of this
 * test's own, so that tests running at once on the machine share it; {@link #close} deletes the
 * prefix's keys. Without a reachable Redis the test is skipped, or fails under CI=true ({@link Needs}).
 */
public final class LocalRedis implements AutoCloseable {

    public static final String HOST = "127.0.0.1";
    public static final int PORT = 6379;

    private final String prefix;

    private LocalRedis(String prefix) {
        this.prefix = prefix;
    }

    public static LocalRedis fresh() {
        Needs.require(reachable(), "Redis at " + HOST + ":" + PORT);
        return new LocalRedis("t" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE));
    }

    private static boolean reachable() {
        try {
            return "PONG".equals(text(call("PING")));
        } catch (IOException e) {
            return false;
        }
    }

    public String prefix() {
        return prefix;
    }

    /** {@code redis://127.0.0.1:6379/PREFIX}, the value of {@code --cluster}. */
    public String url() {
        return "redis://" + HOST + ":" + PORT + "/" + prefix;
    }

    /** One command on a connection of its own; the reply. */
    public static Resp.Value call(String... args) throws IOException {
        try (var s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, PORT), 2_000);
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            out.write(Resp.command(args));
            out.flush();
            InputStream in = s.getInputStream();
            var decoder = new Resp.Decoder();
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            while (true) {
                int n = in.read(buf.array(), buf.position(), buf.remaining());
                if (n < 0) {
                    throw new IOException("Redis closed the connection");
                }
                buf.position(buf.position() + n);
                buf.flip();
                Resp.Value v = decoder.next(buf);
                buf.compact();
                if (v != null) {
                    return v;
                }
                if (!buf.hasRemaining()) {
                    ByteBuffer bigger = ByteBuffer.allocate(buf.capacity() * 2);
                    buf.flip();
                    bigger.put(buf);
                    buf = bigger;
                }
            }
        }
    }

    public static String text(Resp.Value v) {
        if (v instanceof Resp.Simple s) {
            return s.text();
        }
        if (v instanceof Resp.Bulk b) {
            return b.isNil() ? null : b.text();
        }
        if (v instanceof Resp.Int i) {
            return Long.toString(i.value());
        }
        return v.toString();
    }

    /** The keys under this prefix. */
    public List<String> keys() throws IOException {
        List<String> keys = new ArrayList<>();
        if (call("KEYS", prefix + ":*") instanceof Resp.Array a && !a.isNil()) {
            for (Resp.Value v : a.items()) {
                keys.add(text(v));
            }
        }
        return keys;
    }

    @Override
    public void close() throws IOException {
        for (String key : keys()) {
            call("DEL", key);
        }
    }
}
