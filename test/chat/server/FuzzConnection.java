package chat.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Line;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * One connection of the fuzz campaign ({@link ServerFuzzTest}), from a loopback address of its own
 * (the login throttle counts failures per address): raw bytes out, lines or bytes in, and what it
 * sent before the garbage, so that the test sees the whole stream as the server does.
 */
final class FuzzConnection implements AutoCloseable {
    private final Socket socket = new Socket();
    private final OutputStream out;
    private final BufferedReader in;
    /** What the server got before the garbage (a RESUME, taken or refused, and the ACKs), for telling the protocol. */
    private final ByteArrayOutputStream before = new ByteArrayOutputStream();

    /** Connection {@code n} of a run: from 127.x.y.z, a different address for each n below 254³. */
    FuzzConnection(int port, int n) throws IOException {
        byte[] address = {127, (byte) (1 + n / 254 / 254 % 254), (byte) (1 + n / 254 % 254), (byte) (1 + n % 254)};
        socket.bind(new InetSocketAddress(InetAddress.getByAddress(address), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    void write(byte[] bytes) throws IOException {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException closed) {
            // the server closed it (a line too long, a QUIT, a goodbye): the checks say whether rightly
        }
    }

    /**
     * A line before the garbage: written, and kept, since it decides the protocol as the garbage
     * would have (a RESUME that fails still makes the connection a text one).
     */
    void writeBefore(String line) throws IOException {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        before.writeBytes(bytes);
        write(bytes);
    }

    /** The connection's whole stream, given the garbage: what came before it, then it. */
    byte[] everything(byte[] garbage) {
        var all = new ByteArrayOutputStream();
        all.writeBytes(before.toByteArray());
        all.writeBytes(garbage);
        return all.toByteArray();
    }

    String readLine() throws IOException {
        try {
            return in.readLine();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer within 10 s", e);
        } catch (IOException reset) {
            return null;
        }
    }

    /** Reads the catch-up to SYNCED, ACKing each stored push as a client does. */
    void catchUp() throws IOException {
        while (true) {
            String text = readLine();
            assertTrue(text != null, "the catch-up ended in a close");
            Line l = Line.parse(text);
            if (l.command().equals("SYNCED")) {
                return;
            }
            if (l.tag() == null && l.size() > 2 && l.field(1).matches("[1-9][0-9]*")) {
                writeBefore("ACK:" + l.field(1) + "\n");
            }
        }
    }

    byte[] readAllUntilClosed() {
        var got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = socket.getInputStream().read(buf)) >= 0; ) {
                got.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection within 10 s", e);
        } catch (IOException reset) {
            // closed as well
        }
        return got.toByteArray();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
