package chat.server.files;

import chat.common.io.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Cluster mode: whether the files folder ({@code --files}) is the one the other nodes use. A file
 * uploaded through one node is downloaded through any, so the nodes must share the folder; a node
 * given a folder of its own would accept uploads that the others then cannot serve, and nothing
 * else would say so. Each node leaves an empty marker, {@code FILES/nodes/<node>} (a node's id is
 * of {@code A-Z a-z 0-9 . _ -} and a start stamp, so a plain file name), before it joins; once it
 * has joined it looks for the markers of the live nodes it found. Seeing none of them, its folder
 * is not theirs, and the node refuses to start (only warns when {@code --files} was not given: each
 * node's own {@code DATA/files}, as clusters ran before the option). Seeing some but not all is no proof (a node may be
 * stopping, and the reaper deletes a dead node's marker), so only none counts. The first node of a
 * cluster has nobody to compare with; the second is checked against it. Not the reactor's: the
 * disk may be a slow NFS mount.
 */
public final class SharedFolder {

    static final String MARKERS = "nodes";
    /**
     * What a node's id may be to name a marker: ids also come from Redis (a NODE_DOWN, the reaper's
     * list), and one like {@code ../blobs/ab/...} must not name a file elsewhere.
     */
    private static final Pattern NODE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

    private final Path root;
    private final Path markers;

    public SharedFolder(Path root) {
        this.root = root;
        this.markers = root.resolve(MARKERS);
    }

    /** Leaves this node's marker. */
    public void mark(String node) throws IOException {
        PrivateFiles.createFolders(markers);
        PrivateFiles.createFile(marker(node));
    }

    /** Deletes a node's marker (a node reaped: dead, or fenced). */
    public void unmark(String node) throws IOException {
        Files.deleteIfExists(marker(node));
    }

    /** The marker of {@code node}, a plain name in {@link #markers}; no id of another shape names a file. */
    private Path marker(String node) {
        if (!NODE.matcher(node).matches()) {
            throw new IllegalArgumentException("not a node id: " + node);
        }
        return markers.resolve(node);
    }

    /**
     * Null when the folder holds the marker of at least one of {@code others} (the live nodes
     * other than this one), or when there are none; otherwise what is wrong, for the operator.
     */
    public String problem(Collection<String> others) {
        if (others.isEmpty()) {
            return null;
        }
        List<String> missing = new ArrayList<>();
        for (String node : others) {
            if (!NODE.matcher(node).matches() || !Files.exists(markers.resolve(node))) {
                missing.add(node);
            }
        }
        if (missing.size() < others.size()) {
            return null;
        }
        return "the files folder " + root.toAbsolutePath() + " is not the one the other nodes use: it holds no"
                + " marker of " + missing + " in " + MARKERS + "/; give every node of the cluster the same --files"
                + " folder (a shared mount)";
    }
}
