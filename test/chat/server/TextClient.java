package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Line;
import chat.common.proto.Request;
import chat.common.proto.Vocabulary;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/**
 * A blocking text-protocol client for tests. {@link #call} sends a tagged request and returns its
 * reply (with the items of a list reply); pushes that arrive meanwhile are kept for {@link #push}.
 */
public final class TextClient implements AutoCloseable {

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;
    private final Deque<Line> pushes = new ArrayDeque<>();
    private int nextTag;
    public final String name;
    public final String device;
    /** The token of the last LOGIN, for RESUME. */
    public String token;

    /** A reply: its first line and, for a list, the items after it. */
    public record Reply(Line line, List<Line> items) {
        public boolean ok() {
            return line.size() > 1 && line.field(1).equals("true");
        }

        /** The error code of a failure reply. */
        public String code() {
            return line.field(line.command().equals("ERR") ? 1 : 2);
        }

        public String field(int i) {
            return line.field(i);
        }
    }

    public TextClient(int port, String name) throws IOException {
        this(port, name, Request.DEFAULT_DEVICE);
    }

    /** A client that logs in as {@code name} from {@code device}. */
    public TextClient(int port, String name, String device) throws IOException {
        this(port, name, device, null);
    }

    /**
     * As above, from the local address {@code from} ({@code 127.0.0.2}: any 127/8 address is this
     * machine on Linux), so that a test has clients at several addresses; null for any.
     */
    public TextClient(int port, String name, String device, String from) throws IOException {
        this(plain(port, from), name, device);
    }

    /** A client on a socket already connected: a TLS one ({@link TlsFixture#connect}). */
    public TextClient(Socket socket, String name, String device) throws IOException {
        this.name = name;
        this.device = device;
        this.socket = socket;
        socket.setSoTimeout(10_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
    }

    private static Socket plain(int port, String from) throws IOException {
        var socket = new Socket();
        if (from != null) {
            socket.bind(new InetSocketAddress(from, 0));
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return socket;
    }

    /** Registers and logs in {@code name} with a password derived from it. */
    public static TextClient loggedIn(int port, String name) throws IOException {
        return loggedIn(port, name, Request.DEFAULT_DEVICE);
    }

    /** As above, from {@code device}; waits for the end of the catch-up ({@code SYNCED}). */
    public static TextClient loggedIn(int port, String name, String device) throws IOException {
        return loggedIn(new TextClient(port, name, device));
    }

    /** Registers (unless the name is taken) and logs in {@code c}; waits for {@code SYNCED}. */
    public static TextClient loggedIn(TextClient c) throws IOException {
        String name = c.name;
        Reply r = c.call(new Request.Register(name, password(name)));
        assertTrue(r.ok() || r.code().equals("name-taken"), r.line().toString());
        c.login();
        c.awaitPush("SYNCED");
        return c;
    }

    public static String password(String name) {
        return "pw-of-" + name + "-123";
    }

    /** LOGIN with this client's device; keeps the token. The catch-up pushes follow. */
    public Reply login() throws IOException {
        Reply r = call(new Request.Login(name, password(name), device));
        assertTrue(r.ok(), r.line().toString());
        token = r.field(5);
        return r;
    }

    /** RESUME with {@code token} and this client's device; the reply, whatever it is. */
    public Reply resume(String token) throws IOException {
        return call(new Request.Resume(name, token, device));
    }

    /**
     * Reads pushes until {@code SYNCED}, ACKing each page's last stored push as a client does, and
     * returns the stored ones, in order (kept pushes first).
     */
    public List<Line> catchUp() throws IOException {
        List<Line> stored = new ArrayList<>();
        while (true) {
            Line l = pushes.isEmpty() ? readLine() : pushes.removeFirst();
            if (l.command().equals("SYNCED")) {
                return stored;
            }
            if (isStored(l)) {
                stored.add(l);
                send(new Request.Ack(Long.parseLong(l.field(1))));
            } else {
                pushes.addLast(l); // a live push: kept for the test
            }
        }
    }

    /** ACKs every stored push received so far (kept ones included), as a client does; keeps them. */
    public void catchUpLive() throws IOException {
        call(new Request.Ping()); // whatever was pushed before the reply is in by now
        long last = 0;
        for (Line l : pushes) {
            if (isStored(l)) {
                last = Math.max(last, Long.parseLong(l.field(1)));
            }
        }
        if (last > 0) {
            send(new Request.Ack(last));
        }
    }

    private static boolean isStored(Line l) {
        return switch (l.command()) {
            case "MESSAGE", "FRIEND_REQUEST", "FRIEND_ADDED", "FRIEND_REMOVED", "FRIEND_DECLINED", "GROUP_JOINED",
                    "GROUP_LEFT", "GROUP_RENAMED", "GROUP_DELETED", "GROUP_JOIN_REQUEST", "FILE",
                    "GROUP_REJECTED", "GROUP_INVITED", "GROUP_INVITE_DECLINED" ->
                    l.tag() == null && l.size() > 2 && !l.field(1).equals("0");
            default -> false;
        };
    }

    /** The port this client's connection leaves from. */
    public int socketPort() {
        return socket.getLocalPort();
    }

    public void sendRaw(String text) throws IOException {
        out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    public Reply call(Request r) throws IOException {
        String tag = "t" + (++nextTag);
        sendRaw(r.toLine(tag).format());
        while (true) {
            Line line = readLine();
            if (!tag.equals(line.tag())) {
                pushes.addLast(line);
                continue;
            }
            List<Line> items = new ArrayList<>();
            if (line.size() == 3 && line.field(1).equals("true") && isList(line.command())) {
                for (int i = Integer.parseInt(line.field(2)); i > 0; i--) {
                    Line item = readLine();
                    assertEquals(tag, item.tag(), "list items carry the request's tag");
                    items.add(item);
                }
            }
            return new Reply(line, items);
        }
    }

    private static boolean isList(String command) {
        return Vocabulary.LISTS.contains(command);
    }

    /** Sends without waiting for any reply (ACK has none). */
    public void send(Request r) throws IOException {
        sendRaw(r.toLine(null).format());
    }

    public Line readLine() throws IOException {
        String text = in.readLine();
        if (text == null) {
            throw new IOException(name + ": connection closed");
        }
        transcript.add(text);
        return Line.parse(text);
    }

    /** Every line received, in order, as it came. */
    public final List<String> transcript = new ArrayList<>();

    /** The first push (kept or arriving) that matches, dropping none of the others. */
    public Line awaitPush(Predicate<Line> match) throws IOException {
        for (var it = pushes.iterator(); it.hasNext(); ) {
            Line l = it.next();
            if (match.test(l)) {
                it.remove();
                return l;
            }
        }
        while (true) {
            Line l = readLine();
            if (match.test(l)) {
                return l;
            }
            pushes.addLast(l);
        }
    }

    public Line awaitPush(String command) throws IOException {
        return awaitPush(l -> l.command().equals(command));
    }

    /** Pushes received so far and not yet taken. */
    public List<Line> pushes() {
        return new ArrayList<>(pushes);
    }

    /** True when nothing more arrives within {@code millis} (kept pushes aside). */
    public boolean quietFor(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            String text = in.readLine();
            if (text != null) {
                pushes.addLast(Line.parse(text));
            }
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } finally {
            socket.setSoTimeout(10_000);
        }
    }

    public boolean closedWithin(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            while (in.readLine() != null) {
                // drain
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
