package chat.client;

import static org.junit.jupiter.api.Assertions.fail;

import chat.common.proto.Line;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A server a test speaks for, line by line: it accepts connections and hands each to the test as
 * a {@link Peer}, so that the test can answer, push, go silent or hang up exactly when it wants.
 */
final class FakeServer implements AutoCloseable {

    static final int WAIT_SECONDS = 10;

    private final ServerSocket listener;
    private final LinkedBlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();

    FakeServer() throws IOException {
        this(0);
    }

    /** On {@code port} (0: a free one). */
    FakeServer(int port) throws IOException {
        listener = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        var t = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(listener.accept());
                }
            } catch (IOException e) {
                // closed
            }
        }, "fake-server");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** The next connection, waiting up to {@link #WAIT_SECONDS}. */
    Peer accept() throws IOException, InterruptedException {
        Socket s = accepted.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (s == null) {
            fail("no connection within " + WAIT_SECONDS + " s");
        }
        return new Peer(s);
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

    /** One client connection, from the server's side. */
    static final class Peer implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;

        Peer(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(WAIT_SECONDS * 1000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
        }

        /** The next line the client sends; fails after {@link #WAIT_SECONDS} of silence or at its end. */
        Line read() throws IOException {
            try {
                String text = in.readLine();
                if (text == null) {
                    fail("the client closed the connection");
                }
                return Line.parse(text);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the client sent nothing within " + WAIT_SECONDS + " s", e);
            }
        }

        /** The next line that is not a PING or a HELLO (answering those as a 1.1 server does). */
        Line readSkippingPings() throws IOException {
            while (true) {
                Line l = read();
                switch (l.command()) {
                    case "PING" -> send(Line.of(l.tag(), "PING", "true"));
                    case "HELLO" -> send(Line.of(l.tag(), "HELLO", "true", "fake-1.1", "resume,multi-device,contacts,events"));
                    default -> {
                        return l;
                    }
                }
            }
        }

        void send(Line line) throws IOException {
            out.write((line.format() + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        void send(String tag, String... fields) throws IOException {
            send(Line.of(tag, fields));
        }

        /** Answers a LOGIN as the real server does, with a token and nothing waiting. */
        Line answerLogin() throws IOException {
            Line login = readSkippingPings();
            if (!login.command().equals("LOGIN")) {
                fail("expected LOGIN, got " + login);
            }
            send(login.tag(), "LOGIN", "true", "4242", login.field(1), login.field(3), "ab".repeat(32));
            send(null, "SYNCED");
            return login;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
