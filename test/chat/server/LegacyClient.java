package chat.server;

import chat.common.wire.LegacyRecord;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/** A blocking client of the 151-byte protocol, for tests: what it reads is what the server sent. */
public final class LegacyClient implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    public final String name;

    private LegacyClient(Socket socket, String name) throws IOException {
        this.socket = socket;
        this.name = name;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        socket.setSoTimeout(10_000);
    }

    /** Connects without announcing. */
    public static LegacyClient connect(int port, String name) throws IOException {
        return connect(port, name, -1);
    }

    /** Connects with a given receive buffer (set before connecting, so the window is small). */
    public static LegacyClient connect(int port, String name, int receiveBuffer) throws IOException {
        var socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setTcpNoDelay(true);
        return new LegacyClient(socket, name);
    }

    /** Connects and sends the type-1 announce, as the C client does. */
    public static LegacyClient join(int port, String name) throws IOException {
        var c = connect(port, name);
        c.send(LegacyRecord.encode(name, "", LegacyRecord.ONLINE));
        return c;
    }

    public void say(String text) throws IOException {
        send(LegacyRecord.encode(name, text, LegacyRecord.CHAT));
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next record, waiting up to the socket timeout. */
    public LegacyRecord.Message read() throws IOException {
        byte[] rec = new byte[LegacyRecord.SIZE];
        in.readFully(rec);
        return LegacyRecord.decode(java.nio.ByteBuffer.wrap(rec));
    }

    /** The raw next 151 bytes. */
    public byte[] readRaw() throws IOException {
        byte[] rec = new byte[LegacyRecord.SIZE];
        in.readFully(rec);
        return rec;
    }

    /** True when the server has closed the connection (EOF or reset) within the timeout. */
    public boolean awaitClosed(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        try {
            InputStream raw = socket.getInputStream();
            byte[] sink = new byte[8192];
            while (raw.read(sink) >= 0) {
                // drain what was queued before the close
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (EOFException e) {
            return true;
        } catch (IOException e) {
            return true; // connection reset: closed as well
        }
    }

    /** True when nothing arrives within {@code millis}. */
    public boolean quietFor(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            int b = socket.getInputStream().read();
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } finally {
            socket.setSoTimeout(10_000);
        }
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
