package chat.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Line;
import chat.common.proto.Request;
import chat.common.proto.Vocabulary;
import chat.server.Await;
import chat.server.TextClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A user of the cluster over the text protocol, as a client behaves: a reader thread per
 * connection takes the replies (by tag) and the pushes, ACKs every stored push as it comes, and
 * keeps what came across connections, for the test to count. A connection lost (its node killed,
 * fenced) is just over: the test moves the user to another node with {@link #resume}, as a client
 * with a server list does.
 *
 * <p>What it checks as it reads, into {@link #problems}: on one connection a stored push never
 * comes twice, and ids only rise (the cluster releases them in order, so that a cumulative ACK
 * never passes a message not yet delivered). A second connection may repeat what the first was
 * sent and whose ACK the dead node never wrote: that is the protocol's at-least-once, which a
 * client absorbs by id; the same client id under two ids would be a message stored twice.
 */
final class Peer implements AutoCloseable {

    /**
     * A reply, a login's SYNCED, a new friend's presence, a lobby line: a bound on a broken
     * cluster only. Wide, since `make test` runs this beside the rest of the suite: with 20 s, 3
     * runs of the class in 8 failed on a wait (TimeoutException) under a load average of 13 on
     * two cores.
     */
    static final Duration WAIT = Duration.ofSeconds(60);

    final String name;
    final String device;
    private volatile Link link;
    private volatile String token;

    /** "from/client-id" of every MESSAGE push (private or group) -> the ids it came under. */
    final Map<String, Set<Long>> received = new ConcurrentHashMap<>();
    /** Order and duplicate faults seen on a connection. */
    final List<String> problems = new CopyOnWriteArrayList<>();
    /** Each friend's last PRESENCE. */
    final Map<String, Boolean> presence = new ConcurrentHashMap<>();
    /** Every PRESENCE, in order, with when it came. */
    final List<Presence> presenceLog = new CopyOnWriteArrayList<>();

    /** A PRESENCE push and when it came (System.nanoTime()). */
    record Presence(String friend, boolean online, long at) {}
    /** Lobby lines that came, "from:text", and arrivals in the lobby, "+name". */
    final List<String> lobby = new CopyOnWriteArrayList<>();
    /** BYE reasons. */
    final List<String> byes = new CopyOnWriteArrayList<>();
    /** My MSG and GROUP requests confirmed: client id -> id. */
    final Map<String, Long> confirmed = new ConcurrentHashMap<>();

    Peer(String name) {
        this(name, "dev-" + name);
    }

    Peer(String name, String device) {
        this.name = name;
        this.device = device;
    }

    /** Registers (a name taken is fine: a node registered it) and logs in on {@code port}; waits for SYNCED. */
    Peer login(int port) throws Exception {
        var l = connect(port);
        Line r = l.call(new Request.Register(name, TextClient.password(name)));
        assertTrue(r.field(1).equals("true") || r.field(2).equals("name-taken"), r.toString());
        Line ok = l.call(new Request.Login(name, TextClient.password(name), device));
        assertEquals("true", ok.field(1), name + " logs in: " + ok);
        token = ok.field(5);
        l.synced.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return this;
    }

    /** Logs in again on {@code port} with the token (RESUME), as a client moving to the next server does. */
    Peer resume(int port) throws Exception {
        var l = connect(port);
        Line ok = l.call(new Request.Resume(name, token, device));
        assertEquals("true", ok.field(1), name + " resumes on " + port + ": " + ok);
        l.synced.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return this;
    }

    private Link connect(int port) throws IOException {
        Link old = link;
        if (old != null) {
            old.close();
        }
        link = new Link(port);
        return link;
    }

    /** Whether the current connection is open (false once its node closed or died). */
    boolean connected() {
        Link l = link;
        return l != null && !l.closed.isDone();
    }

    /** A request and its reply (first line; the items of a list reply are dropped). */
    Line call(Request r) throws Exception {
        return link.call(r);
    }

    /** A request sent at once; the reply completes the future (pipelining). */
    CompletableFuture<Line> send(Request r) throws IOException {
        return link.send(r);
    }

    /** A private message, confirmed: its client id is kept in {@link #confirmed}. */
    CompletableFuture<Line> msg(String to, String clientId, String text) throws IOException {
        return confirming(link.send(new Request.Msg(to, clientId, text)), clientId);
    }

    /** A group message, confirmed like {@link #msg}. */
    CompletableFuture<Line> group(String group, String clientId, String text) throws IOException {
        return confirming(link.send(new Request.Group(group, clientId, text)), clientId);
    }

    private CompletableFuture<Line> confirming(CompletableFuture<Line> reply, String clientId) {
        return reply.thenApply(l -> {
            if (l.field(1).equals("true")) {
                confirmed.put(clientId, Long.parseLong(l.field(2)));
            }
            return l;
        });
    }

    /** Befriends {@code other} (both online): ADD, ACCEPT, and each sees the other online. */
    void befriend(Peer other) throws Exception {
        Line added = call(new Request.Add(other.name));
        assertEquals("true", added.field(1), added.toString());
        Line accepted = other.call(new Request.Accept(name));
        assertEquals("true", accepted.field(1), accepted.toString());
        awaitPresence(other.name, true, WAIT);
        other.awaitPresence(name, true, WAIT);
    }

    void awaitPresence(String friend, boolean online, Duration within) throws Exception {
        Await.until(() -> Boolean.valueOf(online).equals(presence.get(friend)), within,
                () -> name + " sees " + friend + (online ? " online" : " offline") + " (last: " + presence.get(friend) + ")");
    }

    /**
     * Whether {@code friend} was told offline to this user within {@code within} of {@code since}
     * (System.nanoTime()); waits for it until then at most.
     */
    boolean wentOffline(String friend, long since, Duration within) throws InterruptedException {
        long deadline = since + within.toNanos();
        while (true) {
            for (var p : presenceLog) {
                if (p.friend().equals(friend) && !p.online() && p.at() - since >= 0 && p.at() - deadline <= 0) {
                    return true;
                }
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(10);
        }
    }

    /**
     * Waits until every message {@code sender} had confirmed (its client ids starting with
     * {@code prefix}) came to this user, then checks that each came under its one id, and that
     * no fault was seen on a connection.
     */
    void awaitAll(Peer sender, String prefix, Duration within) throws Exception {
        awaitAll(name, received, sender.name, sender.confirmed, prefix, within);
        assertEquals(List.of(), problems, name + "'s connections");
    }

    /**
     * Waits until {@code received} ("from/client-id" -> ids, of {@code recipient}) holds every
     * message of {@code confirmed} (client id -> id, of sender {@code from}) whose client id
     * starts with {@code prefix}, then checks that each came under its one id.
     */
    static void awaitAll(String recipient, Map<String, Set<Long>> received, String from, Map<String, Long> confirmed,
            String prefix, Duration within) throws Exception {
        List<String> wanted = confirmed.keySet().stream().filter(c -> c.startsWith(prefix)).sorted().toList();
        assertTrue(!wanted.isEmpty(), from + " had messages " + prefix + "* confirmed");
        Await.until(() -> wanted.stream().allMatch(c -> received.containsKey(from + "/" + c)), within,
                () -> recipient + " has all " + wanted.size() + " of " + from + "'s confirmed " + prefix + "* messages; missing: "
                        + wanted.stream().filter(c -> !received.containsKey(from + "/" + c)).limit(10).toList());
        for (String c : wanted) {
            assertEquals(Set.of(confirmed.get(c)), received.get(from + "/" + c),
                    recipient + " got " + from + "/" + c + " under its one id");
        }
    }

    /** Every client id that came from {@code from} under more than one id (a message stored twice). */
    List<String> storedTwice() {
        List<String> twice = new ArrayList<>();
        received.forEach((k, ids) -> {
            if (ids.size() > 1) {
                twice.add(k + " " + ids);
            }
        });
        return twice;
    }

    /** Whether {@code l} is a stored push: an id of the one sequence, to ACK. */
    private static boolean isStored(Line l) {
        return l.size() > 2 && !l.field(1).equals("0") && switch (l.command()) {
            case "MESSAGE", "FRIEND_REQUEST", "FRIEND_ADDED", "FRIEND_REMOVED", "FRIEND_DECLINED", "GROUP_JOINED",
                    "GROUP_LEFT", "GROUP_RENAMED", "GROUP_DELETED", "GROUP_JOIN_REQUEST", "FILE", "GROUP_REJECTED",
                    "GROUP_INVITED", "GROUP_INVITE_DECLINED" -> true;
            default -> false;
        };
    }

    @Override
    public void close() {
        Link l = link;
        if (l != null) {
            l.close();
        }
    }

    /** One connection: its socket, its reader thread, the replies it waits for. */
    private final class Link {
        private final Socket socket;
        private final OutputStream out;
        private final AtomicInteger tags = new AtomicInteger();
        private final Map<String, CompletableFuture<Line>> waiting = new ConcurrentHashMap<>();
        final CompletableFuture<Void> synced = new CompletableFuture<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        /** Stored ids pushed on this connection. */
        private final Set<Long> ids = new HashSet<>();
        private long highest;

        Link(int port) throws IOException {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            var reader = new Thread(() -> read(in), "peer-" + name + "-" + port);
            reader.setDaemon(true);
            reader.start();
        }

        Line call(Request r) throws Exception {
            return send(r).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        CompletableFuture<Line> send(Request r) throws IOException {
            String tag = "p" + tags.incrementAndGet();
            var reply = new CompletableFuture<Line>();
            waiting.put(tag, reply);
            if (closed.isDone()) {
                reply.completeExceptionally(new IOException(name + ": connection closed"));
            }
            write(r.toLine(tag).format());
            return reply;
        }

        private void write(String line) throws IOException {
            synchronized (out) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }

        private void read(BufferedReader in) {
            String items = null; // the tag of a list reply whose items are still coming
            int left = 0;
            try {
                String text;
                while ((text = in.readLine()) != null) {
                    Line l = Line.parse(text);
                    if (left > 0 && l.tag() != null && l.tag().equals(items)) {
                        left--;
                        continue;
                    }
                    if (l.tag() != null) {
                        if (l.size() == 3 && l.field(1).equals("true") && Vocabulary.LISTS.contains(l.command())) {
                            items = l.tag();
                            left = Integer.parseInt(l.field(2));
                        }
                        var reply = waiting.remove(l.tag());
                        if (reply != null) {
                            reply.complete(l);
                        }
                        continue;
                    }
                    push(l);
                }
            } catch (IOException | RuntimeException e) {
                // the connection is over (a node killed, fenced, or this peer closed)
            } finally {
                closed.complete(null);
                synced.completeExceptionally(new IOException(name + ": closed before SYNCED"));
                for (var reply : waiting.values()) {
                    reply.completeExceptionally(new IOException(name + ": connection closed"));
                }
            }
        }

        private void push(Line l) {
            switch (l.command()) {
                case "SYNCED" -> synced.complete(null);
                case "PRESENCE" -> {
                    presence.put(l.field(1), l.field(2).equals("1"));
                    presenceLog.add(new Presence(l.field(1), l.field(2).equals("1"), System.nanoTime()));
                }
                case "BYE" -> byes.add(l.field(1));
                default -> {
                    if (l.command().equals("MESSAGE") && l.field(1).equals("0")) {
                        lobby.add(l.field(3) + ":" + l.field(7));
                    } else if (l.command().equals("GROUP_JOINED") && l.field(1).equals("0")) {
                        lobby.add("+" + l.field(5));
                    } else if (isStored(l)) {
                        stored(l, Long.parseLong(l.field(1)));
                    }
                }
            }
        }

        private void stored(Line l, long id) {
            if (!ids.add(id)) {
                problems.add("id " + id + " pushed twice on one connection: " + l);
            } else if (id < highest) {
                problems.add("id " + id + " pushed after " + highest + " on one connection: " + l);
            }
            highest = Math.max(highest, id);
            if (l.command().equals("MESSAGE")) {
                received.computeIfAbsent(l.field(3) + "/" + l.field(6), k -> Collections.synchronizedSet(new TreeSet<>()))
                        .add(id);
            }
            try {
                write(new Request.Ack(id).toLine(null).format());
            } catch (IOException closed) {
                // The node has closed (fenced): what it sent before, its BYE last, is still to be
                // read. Thrown on, this ended the reading there, and the BYE was never seen.
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
