package chat.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import chat.common.proto.ErrorCode;
import chat.common.proto.Line;
import chat.common.proto.ProtocolException;
import chat.common.proto.Replies;
import chat.common.proto.Reply;
import chat.common.proto.Request;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.util.function.LongConsumer;

/**
 * One data connection: a socket of its own to the server (or to a friend's client, for a direct
 * transfer), never the chat connection, so that chat never waits behind a file. Its first line
 * says what it is for ({@code UPLOAD:token:offset} or {@code DOWNLOAD:token:offset}); then raw
 * bytes, and one reply line.
 *
 * <p>Blocking I/O on the transfer's own thread: writes go from the file straight to the socket
 * ({@link FileChannel#transferTo}, which the kernel does without copying), reads time out after
 * {@link #IDLE} without a byte (the server closes an idle data connection after 60 s too).
 * {@link #close} from another thread (a cancel) ends a blocked read or write at once.
 *
 * <p>Over TLS to a server that speaks it (the chat connection does), an {@code SSLSocket}: the
 * file is then copied through its stream, since the kernel cannot encrypt it.
 */
final class DataLink implements AutoCloseable {

    /** No byte for this long: the link is dead though the socket says nothing. */
    static final Duration IDLE = Duration.ofSeconds(70);
    /** Longest reply line accepted on a data connection: a code and a message. */
    private static final int MAX_LINE = 4096;
    /** Bytes written between two progress reports. */
    private static final long CHUNK = 1 << 20;

    private final Socket socket;
    private final WritableByteChannel channel;
    private final InputStream in;

    private DataLink(SocketChannel channel) throws IOException {
        this(channel.socket(), channel);
    }

    private DataLink(Socket socket, WritableByteChannel out) throws IOException {
        this.socket = socket;
        this.channel = out;
        socket.setSoTimeout((int) IDLE.toMillis());
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    }

    /** A data connection to {@code to}, over {@code tls} when it is not null. */
    static DataLink open(ServerAddress to, Duration connectTimeout, Tls tls) throws IOException {
        if (tls != null) {
            Socket s = tls.connect(to, connectTimeout);
            try {
                return new DataLink(s, Channels.newChannel(s.getOutputStream()));
            } catch (IOException | RuntimeException e) {
                s.close();
                throw e;
            }
        }
        SocketChannel c = SocketChannel.open();
        try {
            c.socket().connect(new InetSocketAddress(to.host(), to.port()), (int) connectTimeout.toMillis());
            return new DataLink(c);
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** A connection a friend's client made to my direct-transfer listener. */
    static DataLink accepted(SocketChannel c) throws IOException {
        return new DataLink(c);
    }

    /** Writes {@code r} as the connection's first line. */
    void send(Request r) throws IOException {
        writeLine(r.toLine(null));
    }

    void writeLine(Line line) throws IOException {
        ByteBuffer b = ByteBuffer.wrap((line.format() + "\n").getBytes(UTF_8));
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    /** The next line; {@code null} when the other side closed first. */
    Line readLine() throws IOException {
        var out = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            if (b == '\n') {
                String text = out.toString(UTF_8);
                return Line.parse(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
            }
            if (out.size() >= MAX_LINE) {
                throw new IOException("a line over " + MAX_LINE + " bytes on a data connection");
            }
            out.write(b);
        }
    }

    /**
     * The reply line, typed: {@code type} on success, {@link RefusedException} with the code
     * when it says false, {@link IOException} when the connection ended without one.
     */
    <T extends Replies.Result> T reply(Class<T> type) throws IOException, RefusedException {
        Line line = readLine();
        if (line == null) {
            throw new IOException("the connection closed before the reply");
        }
        Reply reply;
        try {
            reply = Reply.parse(line);
        } catch (ProtocolException e) {
            throw new IOException("not a reply: " + line.format());
        }
        if (reply instanceof Reply.Fail f) {
            throw new RefusedException(f.code(), f.message());
        }
        try {
            return reply.as(type);
        } catch (ProtocolException e) {
            throw new RefusedException(ErrorCode.BAD_REQUEST, "a malformed reply: " + line.format());
        }
    }

    /**
     * Writes bytes {@code from} to {@code to} of {@code file}; {@code moved} hears the position
     * after each chunk. {@code cutAt} (a test's) closes the connection once that position is
     * passed, as a network cut would.
     */
    void sendFile(FileChannel file, long from, long to, LongConsumer moved, long cutAt) throws IOException {
        long at = from;
        while (at < to) {
            long end = Math.min(to, at + CHUNK);
            if (cutAt >= 0 && at < cutAt && end > cutAt) {
                end = cutAt;
            }
            long n = file.transferTo(at, end - at, channel);
            if (n <= 0 && file.size() <= at) {
                throw new java.io.EOFException("the file is shorter than when it was offered");
            }
            at += n;
            moved.accept(at);
            if (at == cutAt) {
                close();
                throw new IOException("cut by the test at " + cutAt);
            }
        }
    }

    /** Reads up to {@code buf.length} bytes of the stream; -1 at its end. */
    int read(byte[] buf, int len) throws IOException {
        return in.read(buf, 0, len);
    }

    /** The address I am at on this link, as a friend's client reaching me would use it. */
    String localIp() throws IOException {
        return socket.getLocalAddress().getHostAddress();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing: nothing more to do
        }
    }
}
