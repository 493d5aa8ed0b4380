package chat.cluster;

import chat.common.wire.Resp;
import chat.server.ServerProcess;
import chat.testing.MariaDb;
import chat.testing.Redis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * Several nodes of the real server (each its own process, as bin/chat-server runs it) on one
 * MariaDB database of the test's own, coordinated through a redis-server of the test's own
 * ({@link Redis.Server}: killing or restarting it touches nothing else on the machine, the shared
 * Redis on 6379 least of all) under a key prefix of their own: a cluster on one machine, to kill,
 * freeze and cut. Heartbeat and TTL are short (250 ms, 1.5 s), so that a dead node is noticed
 * within two seconds ({@code options} with {@code --cluster-ttl} or {@code --cluster-heartbeat}
 * set others). Without MariaDB or redis-server the test is skipped (fails under CI=true).
 */
final class Cluster implements AutoCloseable {

    static final String HEARTBEAT = "250ms";
    static final String TTL = "1500ms";
    /** What redis-server says as it starts, at its warning level: not worth printing. */
    private static final java.util.regex.Pattern BOOT = java.util.regex.Pattern.compile(
            "oO0OoO0Oo|Redis version|Configuration loaded|Server initialized|overcommit");

    /** One node: its id, its process, its data folder. */
    record Node(String id, ServerProcess server, Path data) {
        int port() {
            return server.port;
        }

        boolean alive() {
            return server.process.isAlive();
        }
    }

    final MariaDb db;
    final Redis.Server redis;
    final String prefix;
    final Path dir;
    private final List<Node> nodes = new ArrayList<>();

    private Cluster(MariaDb db, Redis.Server redis, String prefix, Path dir) {
        this.db = db;
        this.redis = redis;
        this.prefix = prefix;
        this.dir = dir;
    }

    /**
     * A cluster of {@code count} nodes, {@code n1} to {@code nN}: the first starts alone (it makes
     * the schema), the others together. {@code options} go to every node.
     */
    static Cluster start(int count, String... options) throws Exception {
        MariaDb db = MariaDb.fresh();
        Path dir = Files.createTempDirectory("chat-cluster");
        Redis.Server redis;
        try {
            redis = Redis.Server.start();
        } catch (Throwable e) {
            db.close();
            delete(dir);
            throw e;
        }
        String prefix = "ct" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        var cluster = new Cluster(db, redis, prefix, dir);
        try {
            cluster.add("n1", options);
            List<CompletableFuture<Node>> rest = new ArrayList<>();
            for (int i = 2; i <= count; i++) {
                String id = "n" + i;
                var node = new CompletableFuture<Node>();
                rest.add(node);
                new Thread(() -> {
                    try {
                        node.complete(cluster.start(id, options));
                    } catch (Throwable e) {
                        node.completeExceptionally(new IllegalStateException("node " + id + " did not start", e));
                    }
                }, "start-" + id).start();
            }
            Exception failed = null;
            for (var f : rest) {
                try {
                    cluster.nodes.add(f.join());
                } catch (java.util.concurrent.CompletionException e) {
                    failed = new IllegalStateException(e.getCause().getMessage(), e.getCause().getCause());
                }
            }
            if (failed != null) {
                throw failed;
            }
            cluster.nodes.sort(Comparator.comparing(Node::id));
        } catch (Throwable e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** Starts one more node, {@code id} (a restarted node takes a new id, as a process start does). */
    synchronized Node add(String id, String... options) throws Exception {
        Node n = start(id, options);
        nodes.add(n);
        return n;
    }

    private Node start(String id, String... options) throws Exception {
        Path data = Files.createDirectories(dir.resolve(id));
        // every client of the test is on 127.0.0.1: lift the per-address limits, as the bench does
        List<String> all = new ArrayList<>(List.of("--cluster", "redis://" + Redis.HOST + ":" + redis.port() + "/" + prefix,
                "--node-id", id,
                "--register-limit", "100000", "--hash-per-address", "1000", "--max-connections-per-address", "10000"));
        List<String> more = List.of(options);
        if (!more.contains("--cluster-heartbeat")) {
            all.addAll(List.of("--cluster-heartbeat", HEARTBEAT));
        }
        if (!more.contains("--cluster-ttl")) {
            all.addAll(List.of("--cluster-ttl", TTL));
        }
        all.addAll(more);
        if (System.getProperty("cluster.log") != null) { // -Dcluster.log=DEBUG: the nodes' log level, to look into a failure
            all.addAll(List.of("--log-level", System.getProperty("cluster.log")));
        }
        return new Node(id, ServerProcess.start(db.url(), data, all.toArray(String[]::new)), data);
    }

    /** The node {@code n1}, {@code n2}, ... by its number. */
    synchronized Node node(int number) {
        return nodes.stream().filter(n -> n.id().equals("n" + number)).findFirst().orElseThrow();
    }

    /** The list a client with several servers takes: {@code 127.0.0.1:port,...} of the living nodes. */
    synchronized String servers() {
        return nodes.stream().filter(Node::alive).map(n -> "127.0.0.1:" + n.port()).collect(Collectors.joining(","));
    }

    /**
     * {@code node}'s writer connection as registered in {@code cluster_nodes} for a reaper to KILL:
     * "open" when it is a connection open now, else what is wrong (no row: a node that never
     * registered its writer cannot be stopped from committing by a reaper).
     */
    String writerRegistration(Node node) throws java.sql.SQLException {
        try (var c = java.sql.DriverManager.getConnection(db.url());
                var ps = c.prepareStatement("""
                        SELECT n.connection_id, n.reaped_at, p.ID FROM cluster_nodes n
                        LEFT JOIN information_schema.PROCESSLIST p ON p.ID = n.connection_id WHERE n.node_id LIKE ?""")) {
            ps.setString(1, node.id() + ".%");
            try (var rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return "no row in cluster_nodes";
                }
                long connection = rs.getLong(1);
                return rs.getLong(2) != 0 ? "reaped" : rs.getObject(3) == null ? "connection " + connection + " is not open"
                        : "open";
            }
        }
    }

    /** One command to the cluster's Redis, on a connection of its own. */
    Resp.Value redis(String... args) throws IOException {
        try (var cli = new Redis.Cli(redis.port())) {
            return cli.call(args);
        }
    }

    /** What the cluster's Redis logged since it last started. */
    String redisLog() {
        try {
            return Files.readString(redis.log());
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Kills every node (printing what each logged), then Redis, then drops the database. */
    @Override
    public synchronized void close() throws Exception {
        try {
            for (Node n : nodes) {
                n.server().process.descendants().forEach(ProcessHandle::destroyForcibly);
                if (n.alive()) {
                    n.server().process.destroyForcibly();
                }
                n.server().process.waitFor();
                String said = n.server().output();
                if (!said.isBlank()) {
                    System.out.println("node " + n.id() + " (exit " + n.server().process.exitValue() + ") logged:\n" + said);
                }
            }
            String warnings = redisLog().lines().filter(l -> l.contains(" # ") && !BOOT.matcher(l).find())
                    .collect(Collectors.joining("\n"));
            redis.close();
            if (!warnings.isEmpty()) {
                System.out.println("redis-server " + redis.port() + " warned:\n" + warnings);
            }
        } finally {
            db.close();
            delete(dir);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
