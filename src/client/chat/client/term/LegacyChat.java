package chat.client.term;

import chat.client.ServerAddress;
import chat.client.Texts;
import chat.common.wire.LegacyRecord;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One session of the article's group chat, as its C client holds it: connect, announce the name
 * in a went-online record, send each input line as chat records, print what the others send.
 *
 * <p>Two threads. The one that calls {@link #run} reads the socket and prints; a daemon thread
 * reads the input and sends. Both go through a {@link Console}: on a terminal a line that arrives
 * while one is being typed prints above it (JLine's {@code printAbove}), and the half-typed line
 * stays as it was below; from a script, plain lines. The session ends when
 * <ul>
 *   <li>the input ends or says {@value #QUIT}: we half-close (our last records still reach the
 *       server, which then tells the others we went offline and closes its side), print whatever
 *       was still on its way to us, and return {@link Client.Exit#OK};
 *   <li>the server closes the connection: we print the server-gone notice and return {@link
 *       Client.Exit#SERVER_GONE}. The input thread may still be blocked in a read nothing can
 *       interrupt (a terminal); being a daemon, it does not keep the JVM alive.
 * </ul>
 *
 * <p>Given a list of servers (the nodes of a cluster), the session starts on the first that
 * answers; when that server closes the connection, it moves on to the next that answers, in the
 * list's order from there, announces the name there again (a went-online record), says so, and
 * goes on; only when none answers is the server gone. The room has no history and no receipts:
 * what was on its way when the server went is lost, as it would be for the C client.
 *
 * <p>Differences from the C client, on purpose: records are reassembled however TCP splits them
 * (the C client drops a short read and is out of step from then on); a line longer than a record
 * holds goes out as several records cut on character boundaries (the C client's {@code fgets}
 * cuts every 99 bytes, through a character if need be); an empty line sends nothing (the C client
 * sends a record with empty text, which the others print as {@code name:}); control characters in
 * what others send are shown as U+FFFD rather than passed to the terminal; a record of an unknown
 * type is shown as a note (the C client prints nothing).
 */
final class LegacyChat {

    /** The input line that leaves, as end of input does. */
    static final String QUIT = "/quit";

    /** Generous for a remote server; an unreachable address fails sooner or later anyway. */
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    /** After we half-close, how long the server gets to close its side before we stop waiting. */
    private static final long LINGER_MILLIS = 2_000;

    /** Room for several records a read, so a burst of messages takes few system calls. */
    private static final int READ_BUFFER_BYTES = 16 * LegacyRecord.SIZE;

    private final List<ServerAddress> servers;
    private final String name;
    private final Console console;
    private final Texts messages;

    /** Set by the input thread before it half-closes: from then on an end of stream is ours. */
    private volatile boolean leaving;
    /** The connection now: another after a move. */
    private volatile SocketChannel channel;
    /** Which of {@link #servers} the connection is to. */
    private int on;
    private final CountDownLatch received = new CountDownLatch(1);

    LegacyChat(String host, int port, String name, Console console, Texts messages) {
        this(List.of(new ServerAddress(host, port)), name, console, messages);
    }

    /** On the first of {@code servers} that answers, moving on when it goes (see the class comment). */
    LegacyChat(List<ServerAddress> servers, String name, Console console, Texts messages) {
        this.servers = List.copyOf(servers);
        this.name = name;
        this.console = console;
        this.messages = messages;
    }

    /**
     * Runs the session until the input ends or the server goes.
     *
     * @throws IOException when no connection could be made (nothing was sent, nothing printed):
     *     the first server's failure; once connected, every failure ends the session with a
     *     notice instead
     */
    Client.Exit run() throws IOException {
        channel = connectFirst();
        try {
            announce();
            var sender = new Thread(this::sendLines, "chat-input");
            sender.setDaemon(true);
            sender.start();
            while (true) {
                receive(channel);
                if (leaving) {
                    received.countDown();
                    return Client.Exit.OK;
                }
                if (!moveOn()) {
                    received.countDown();
                    print(messages.get("notice.serverGone"));
                    return Client.Exit.SERVER_GONE;
                }
            }
        } finally {
            channel.close();
        }
    }

    /** The went-online record that starts a session on a server. */
    private void announce() {
        try {
            send(channel, LegacyRecord.encode(name, "", LegacyRecord.ONLINE));
        } catch (IOException e) {
            // Gone already: receive() sees it and says so.
        }
    }

    /** The first server of the list that answers; when none does, the first one's failure. */
    private SocketChannel connectFirst() throws IOException {
        IOException first = null;
        for (int i = 0; i < servers.size(); i++) {
            try {
                SocketChannel c = connect(servers.get(i));
                on = i;
                return c;
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        throw first;
    }

    /**
     * The server went: connects to the next of the list that answers (each other one tried once,
     * in order), announces the name there and says so; false when none answers (or only one
     * server was given).
     */
    private boolean moveOn() {
        for (int k = 1; k < servers.size() && !leaving; k++) {
            int i = (on + k) % servers.size();
            try {
                SocketChannel next = connect(servers.get(i));
                SocketChannel gone = channel;
                channel = next;
                on = i;
                closeQuietly(gone);
                print(messages.get("notice.moved", servers.get(i).toString()));
                announce();
                return true;
            } catch (IOException e) {
                // the next one, then
            }
        }
        return false;
    }

    private static SocketChannel connect(ServerAddress to) throws IOException {
        var address = new InetSocketAddress(to.host(), to.port());
        if (address.isUnresolved()) {
            throw new UnknownHostException(to.host());
        }
        SocketChannel channel = SocketChannel.open();
        try {
            channel.socket().connect(address, CONNECT_TIMEOUT_MILLIS);
            channel.socket().setTcpNoDelay(true); // a chat line is a record: send it now
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The receiving side: reassembles records from whatever the reads return, prints them, until the stream ends. */
    private void receive(SocketChannel from) {
        ByteBuffer in = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
        try {
            while (from.read(in) >= 0) {
                in.flip();
                while (in.remaining() >= LegacyRecord.SIZE) {
                    show(LegacyRecord.decode(in));
                }
                in.compact(); // a partial record waits for the rest
            }
        } catch (IOException e) {
            // Reset by the server, or closed by us after LINGER_MILLIS: run() tells them apart.
        }
    }

    private void show(LegacyRecord.Message m) {
        String who = printable(m.name());
        print(switch (m.type()) {
            case LegacyRecord.CHAT -> who + ":" + printable(m.text()); // the C client's format, in every language
            case LegacyRecord.ONLINE -> messages.get("notice.online", who);
            case LegacyRecord.OFFLINE -> messages.get("notice.offline", who);
            default -> messages.get("notice.unknownType", who, Integer.toString(m.type() & 0xFF));
        });
    }

    private void print(String line) {
        console.print(line);
    }

    /**
     * The sending side, on its own thread: one input line, one or more chat records, on the
     * connection of the moment. A line that meets a broken connection is lost; with other servers
     * to move to, the next line goes on the next connection.
     */
    private void sendLines() {
        while (true) {
            String line = console.readLine(""); // no prompt, as the C client; null: the input ended
            if (line == null || line.equals(QUIT)) {
                break;
            }
            if (line.isEmpty()) {
                continue; // see the class comment
            }
            try {
                for (byte[] record : LegacyRecord.encodeChat(name, line)) {
                    send(channel, record);
                }
            } catch (IOException e) {
                if (servers.size() == 1) {
                    return; // the connection broke: receive() sees it too and reports it
                }
            }
        }
        leave(channel);
    }

    /**
     * Half-closes and waits for the server to close its side. Closing at once could lose what we
     * just sent: a socket closed with unread input sends a reset, not an orderly end.
     */
    private void leave(SocketChannel channel) {
        leaving = true;
        try {
            channel.shutdownOutput();
            if (received.await(LINGER_MILLIS, TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (IOException e) {
            // Broken already; closing below ends receive() in any case.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // Nothing left to do for it.
        }
    }

    private static void send(SocketChannel channel, byte[] record) throws IOException {
        ByteBuffer src = ByteBuffer.wrap(record);
        while (src.hasRemaining()) {
            channel.write(src);
        }
    }

    /**
     * {@code s} with control characters (bar tab) replaced by U+FFFD, so that a peer cannot move
     * the cursor, clear the screen or retitle the window of everyone in the room.
     */
    static String printable(String s) {
        if (s.codePoints().noneMatch(LegacyChat::isHostile)) {
            return s;
        }
        var b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> b.appendCodePoint(isHostile(cp) ? 0xFFFD : cp));
        return b.toString();
    }

    private static boolean isHostile(int cp) {
        return Character.isISOControl(cp) && cp != '\t';
    }
}
