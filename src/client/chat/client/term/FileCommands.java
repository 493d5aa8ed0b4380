package chat.client.term;

import chat.client.ChatEvent;
import chat.client.FileInfo;
import chat.client.FileTransfer;
import chat.client.HistoryEntry;
import chat.client.RefusedException;
import chat.client.TransferException;
import chat.client.TransferListener;
import chat.common.proto.Conversation;
import chat.common.proto.FileOffer;
import chat.common.proto.FileStatus;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code /send USER|#GROUP PATH}, {@code /files}, {@code /get ID [DIR]}, {@code /cancel ID}, and
 * what the shell prints of files: offers as they come, and the transfers' progress.
 *
 * <p>The article's way where it works: {@code /send} to a friend goes straight to their client
 * when the library finds them online on this network ({@link chat.client.ChatClient#sendDirect}),
 * else through the server, and says which. A friend's direct offer ({@code PeerFileOffered}) is
 * shown with an id of its own, {@code p1}, {@code p2}...; {@code /get p1 [DIR]} (or {@code /get}
 * alone: the latest) fetches it from their client.
 *
 * <p>A transfer runs in the background: the command returns once it has started (the offer is
 * stored, or the download begun), the shell takes the next line, and a line says when the
 * transfer is over. Meanwhile, on a terminal, a status line at the bottom shows each transfer
 * with a bar, its rate and the time left, redrawn in place; without a terminal (a script) a plain
 * progress line is printed every {@link #PLAIN_EVERY_NANOS}. When a script's input ends, the shell
 * waits for its transfers before it quits ({@link #finish}); a person who quits stops them, and
 * an unfinished upload goes on at the next start.
 *
 * <p>Formats a script may rely on, the same in every language:
 * <pre>
 *   [alice] report.pdf (1.2 MB, /get 12)          a file offered to me (in a group: [#team alice])
 * </pre>
 */
final class FileCommands {

    /** How often a script sees a transfer's progress. */
    static final long PLAIN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Cells of the terminal's progress bar. */
    private static final int BAR = 20;
    /** How long /send waits for its offer: the file is hashed first. */
    private static final long START_WAIT_MINUTES = 10;
    /** How long a script's end waits for the transfers it started. */
    private static final long FINISH_WAIT_HOURS = 24;

    private final ShellIo io;
    /** The transfers started here and not over, by a key of their own, with their latest progress. */
    private final Map<Long, Shown> running = new ConcurrentHashMap<>();
    private final AtomicLong keys = new AtomicLong();
    /** File names of the offers seen, to word FILE_STATE (which carries only the id). */
    private final Map<Long, String> names = new ConcurrentHashMap<>();
    /** Friends' direct offers seen, by their number here ({@code p1} is 1). */
    private final Map<Long, ChatEvent.PeerFileOffered> peers = new ConcurrentHashMap<>();
    private final AtomicLong peerIds = new AtomicLong();

    /** A transfer on screen: its latest figures, and when a script last saw a line of them. */
    private static final class Shown {
        final String label;
        volatile FileTransfer transfer;
        volatile long bytes;
        volatile long total;
        volatile double rate;
        volatile long printedAt = System.nanoTime();
        /** A direct send's friend, as shown, until it is said that it went through the server instead. */
        volatile String directTo;

        Shown(String label) {
            this.label = label;
        }
    }

    FileCommands(ShellIo io) {
        this.io = io;
    }

    /** Runs {@code command} if it is one of these; whether it was. */
    boolean run(String command, String rest) {
        switch (command) {
            case "send" -> send(rest);
            case "files" -> io.call(() -> io.client.files(), this::list);
            case "get" -> get(rest);
            case "cancel" -> cancel(rest);
            default -> {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- commands

    /** {@code /send USER|#GROUP PATH}: the path is the rest of the line, spaces and all. */
    private void send(String rest) {
        String[] parts = rest.split("\\s+", 2);
        Conversation to = parts.length < 2 ? null : AccountShell.conversation(parts[0]);
        Path path = to == null ? null : path(parts[1]);
        if (to == null || path == null) {
            io.say("account.error.usage", "/send USER|#GROUP PATH");
            return;
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            io.say("file.error.noFile", Notices.printable(path.toString()));
            return;
        }
        if (io.client.account().isEmpty()) {
            io.say("account.error.notLoggedIn");
            return;
        }
        String shownTo = Notices.printable(to.format());
        String name = Notices.printable(path.getFileName().toString());
        Shown shown = new Shown(name);
        long key = keys.incrementAndGet();
        running.put(key, shown);
        io.say("file.hashing", name);
        var sending = to instanceof Conversation.Direct friend
                ? io.client.sendDirect(friend.name(), path, listener(shown))
                : io.client.sendFile(to, path, listener(shown));
        FileTransfer t = started(sending, name, START_WAIT_MINUTES);
        if (t == null) {
            running.remove(key);
            return;
        }
        shown.transfer = t;
        if (t.isDirect()) {
            shown.directTo = shownTo;
            io.say("file.direct.offered", name, size(t.size()), shownTo);
        } else {
            if (to instanceof Conversation.Direct) {
                io.say("file.relayed", shownTo);
            }
            io.say("file.offered", name, size(t.size()), shownTo, Long.toString(t.fileId()));
        }
        t.done().whenComplete((file, failure) -> {
            running.remove(key);
            redraw();
            fellBack(shown);
            if (failure != null) {
                explain(name, failure);
            } else if (t.isDirect()) {
                io.say("file.direct.sent", name, shownTo);
            } else {
                io.say("file.sent", name, shownTo, Long.toString(t.fileId()));
            }
        });
    }

    /**
     * {@code /get ID [DIR]}: DIR is the rest of the line; without it, ~/Downloads (else the current
     * folder). ID {@code p1} is a friend's direct offer; {@code /get} alone takes the latest.
     */
    private void get(String rest) {
        String[] parts = rest.strip().split("\\s+", 2);
        ChatEvent.PeerFileOffered peer = parts[0].isEmpty() ? latestPeer() : peer(parts[0]);
        long id = peer != null ? 0 : fileId(parts[0]);
        Path dir = parts.length > 1 ? path(parts[1]) : defaultFolder();
        if (peer == null && id < 1 || dir == null) {
            io.say("account.error.usage", "/get ID [DIR]");
            return;
        }
        if (io.client.account().isEmpty()) {
            io.say("account.error.notLoggedIn");
            return;
        }
        Shown shown = new Shown(peer != null ? Notices.printable(peer.fileName()) : names.getOrDefault(id, "#" + id));
        long key = keys.incrementAndGet();
        running.put(key, shown);
        FileTransfer t = peer != null
                ? started(io.client.acceptDirect(peer, dir, listener(shown)), shown.label, 1)
                : started(io.client.download(id, dir, listener(shown)), Long.toString(id), 1);
        if (t == null) {
            running.remove(key);
            return;
        }
        shown.transfer = t;
        String name = Notices.printable(t.name());
        io.say("file.downloading", name, size(t.size()), Notices.printable(dir.toString()));
        t.done().whenComplete((file, failure) -> {
            running.remove(key);
            redraw();
            if (failure == null) {
                io.say("file.saved", name, Notices.printable(file.toString()));
            } else {
                explain(name, failure);
            }
        });
    }

    /** {@code /cancel ID}: a download of it running here stops; else my offer is cancelled on the server. */
    private void cancel(String rest) {
        long id = fileId(rest);
        if (id < 1) {
            io.say("account.error.usage", "/cancel ID");
            return;
        }
        for (Shown s : running.values()) {
            FileTransfer t = s.transfer;
            if (t != null && t.fileId() == id && t.direction() == FileTransfer.Direction.DOWNLOAD) {
                t.cancel();
                return; // its done() says it stopped
            }
        }
        io.call(() -> io.client.cancelFile(id), ok -> io.say("file.cancelled", Long.toString(id)));
    }

    private void list(List<FileInfo> files) {
        if (files.isEmpty()) {
            io.say("file.list.none");
            return;
        }
        io.say("file.list", Integer.toString(files.size()));
        for (FileInfo f : files) {
            names.put(f.fileId(), f.name());
            String state = f.state() == FileStatus.UPLOADING && f.size() > 0
                    ? io.texts.get("file.state.uploading", Long.toString(f.received() * 100 / f.size()))
                    : io.texts.get("file.state." + f.state().wire());
            io.say("file.list.item", Long.toString(f.fileId()), Notices.printable(f.name()), size(f.size()),
                    Notices.printable(f.from()), Notices.printable(f.to()), state);
        }
    }

    // ---------------------------------------------------------------- events

    /** A file event from the library: an offer, a change of state, a friend's direct offer. */
    void event(ChatEvent event) {
        if (event instanceof ChatEvent.FileOffered o) {
            names.put(o.entry().fileId(), o.entry().name());
            io.console.print(offerLine(o.entry().offer(), o.entry().state() == HistoryEntry.DeliveryState.SENT));
        } else if (event instanceof ChatEvent.FileStateChanged c) {
            String name = Notices.printable(names.getOrDefault(c.fileId(), "#" + c.fileId()));
            switch (c.state()) {
                case READY -> io.say("file.ready", name, Long.toString(c.fileId()));
                case CANCELLED, EXPIRED, FAILED -> io.say("file.now." + c.state().wire(), name, Long.toString(c.fileId()));
                default -> {
                    // uploading again, or a newer server's state: nothing to tell
                }
            }
        } else if (event instanceof ChatEvent.PeerFileOffered p) {
            if (p.fileName().isEmpty() || p.size() < 0) {
                io.say("file.peer.bare", Notices.printable(p.from())); // the article's bare form: nothing to check it by
                return;
            }
            long n = peerIds.incrementAndGet();
            peers.put(n, p);
            io.say("file.peer", Notices.printable(p.from()), Notices.printable(p.fileName()), size(p.size()), "p" + n);
        }
    }

    /** The direct offer {@code p3} names, or {@code null}. */
    private ChatEvent.PeerFileOffered peer(String typed) {
        if (!typed.startsWith("p")) {
            return null;
        }
        return peers.get(fileId(typed.substring(1)));
    }

    /** The latest direct offer, or {@code null}. */
    private ChatEvent.PeerFileOffered latestPeer() {
        return peers.get(peerIds.get());
    }

    /** {@code [alice] report.pdf (1.2 MB, /get 12)}; {@code [alice -> bob] ...} for mine from another device. */
    static String offerLine(FileOffer o, boolean mine) {
        String who = o.isGroup() ? Notices.printable(o.to()) + " " + Notices.printable(o.from())
                : mine ? Notices.printable(o.from()) + " -> " + Notices.printable(o.to()) : Notices.printable(o.from());
        return "[" + who + "] " + Notices.printable(o.name()) + suffix(o);
    }

    /** {@code " (1.2 MB, /get 12)"}: how a file shows in a conversation's lines. */
    static String suffix(FileOffer o) {
        return " (" + size(o.size()) + ", /get " + o.fileId() + ")";
    }

    // ---------------------------------------------------------------- progress

    private TransferListener listener(Shown shown) {
        return (bytes, total, rate) -> {
            fellBack(shown);
            shown.bytes = bytes;
            shown.total = total;
            shown.rate = rate;
            if (io.console.interactive()) {
                redraw();
            } else if (System.nanoTime() - shown.printedAt >= PLAIN_EVERY_NANOS && bytes < total) {
                shown.printedAt = System.nanoTime();
                io.console.print(plainLine(shown));
            }
        };
    }

    /**
     * Says once that a direct send goes through the server after all (the friend did not fetch it
     * in time: {@link chat.client.Timings#directFallback}); seen at the upload's first progress, or
     * at its end. Runs on the client's event executor, as progress and completions do.
     */
    private void fellBack(Shown shown) {
        FileTransfer t = shown.transfer;
        String to = shown.directTo;
        if (to != null && t != null && !t.isDirect()) {
            shown.directTo = null;
            io.say("file.direct.fellBack", to);
        }
    }

    /** The terminal's status line: every running transfer, with its bar. */
    private void redraw() {
        if (!io.console.interactive()) {
            return;
        }
        List<String> lines = new ArrayList<>();
        for (Shown s : running.values()) {
            if (s.total > 0) {
                lines.add(barLine(s));
            }
        }
        io.console.status("files", lines);
    }

    /** {@code report.pdf [#########-----------] 45% 12.3 MB/s 0:42 left}. */
    private String barLine(Shown s) {
        int cells = (int) (s.bytes * BAR / Math.max(1, s.total));
        String bar = "#".repeat(cells) + "-".repeat(BAR - cells);
        return s.label + " [" + bar + "] " + io.texts.get("file.progress", percent(s), rate(s.rate), left(s));
    }

    /** {@code report.pdf: 45% of 1.2 GB, 12.3 MB/s, 0:42 left}. */
    private String plainLine(Shown s) {
        return io.texts.get("file.progress.plain", s.label, percent(s), size(s.total), rate(s.rate), left(s));
    }

    private static String percent(Shown s) {
        return Long.toString(s.total == 0 ? 100 : s.bytes * 100 / s.total);
    }

    private static String rate(double bytesPerSecond) {
        return size((long) bytesPerSecond) + "/s";
    }

    private static String left(Shown s) {
        if (s.rate <= 0) {
            return "--:--";
        }
        long seconds = (long) ((s.total - s.bytes) / s.rate);
        return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    /** {@code 512 B}, {@code 1.2 MB}: binary multiples, named as file managers do. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }

    // ---------------------------------------------------------------- the end

    /**
     * The input ended or the user quit: a script waits for its transfers to finish (they are what
     * it asked for); a person is told what stops (uploads go on at the next start).
     */
    void finish(boolean quit) {
        if (running.isEmpty()) {
            return;
        }
        if (quit || io.console.interactive()) {
            io.say("file.stopping", Integer.toString(running.size()));
            return;
        }
        io.say("file.waiting", Integer.toString(running.size()));
        for (Shown s : List.copyOf(running.values())) {
            FileTransfer t = s.transfer;
            if (t != null) {
                try {
                    t.done().handle((p, e) -> null).get(FINISH_WAIT_HOURS, TimeUnit.HOURS);
                } catch (Exception e) {
                    return;
                }
            }
        }
    }

    // ---------------------------------------------------------------- words

    /**
     * Waits for a transfer to start (a send hashes its file first: minutes for a large one);
     * {@code null} after saying why it did not.
     */
    private FileTransfer started(CompletableFuture<FileTransfer> f, String what, long minutes) {
        try {
            return f.get(minutes, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            explain(what, e.getCause());
        } catch (TimeoutException e) {
            io.say("account.error.noReply");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    /** A transfer refused or ended badly, in the user's words where there are some. */
    private void explain(String what, Throwable failure) {
        Throwable why = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (why instanceof RefusedException r) {
            String key = switch (r.code()) {
                case TOO_LARGE -> "file.error.tooLarge";
                case OVER_QUOTA -> "file.error.overQuota";
                case BAD_NAME -> "file.error.badName";
                case NO_SUCH_FILE -> "file.error.noSuchFile";
                case NOT_READY -> "file.error.notReady";
                case CANCELLED -> "file.error.cancelled";
                case EXPIRED -> "file.error.expired";
                default -> "file.error.failed";
            };
            io.say(key, what, Notices.printable(r.getMessage()));
        } else if (why instanceof TransferException t) {
            switch (t.reason()) {
                case HASH_MISMATCH -> io.say("file.error.hashMismatch", what);
                case CANCELLED -> io.say("file.stopped", what);
                case FILE_CHANGED -> io.say("file.error.changed", what);
                default -> io.say("file.error.failed", what, Notices.printable(String.valueOf(t.getMessage())));
            }
        } else {
            io.failed(why);
        }
    }

    private static long fileId(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A path as typed: {@code ~/} is the home folder; {@code null} when it is no path. */
    private static Path path(String typed) {
        String s = typed.strip();
        if (s.isEmpty()) {
            return null;
        }
        if (s.equals("~") || s.startsWith("~/")) {
            s = System.getProperty("user.home") + s.substring(1);
        }
        try {
            return Path.of(s).toAbsolutePath();
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static Path defaultFolder() {
        Path downloads = Path.of(System.getProperty("user.home"), "Downloads");
        return Files.isDirectory(downloads) ? downloads : Path.of("").toAbsolutePath();
    }
}
