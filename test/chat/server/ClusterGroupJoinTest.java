package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.common.proto.Line;
import chat.common.proto.Request;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A join made on one node is told to every member of the group, on every node; the other nodes
 * read again only the account that joined (its sessions there enter the group's room), not every
 * member told of it. Each of those reads held every delivery of the node while it ran, and a group
 * growing to 2,000 members one join at a time cost the other node a million of them.
 */
class ClusterGroupJoinTest {

    @Test
    void aJoinOnOneNodeIsReadAgainOnTheOtherForTheNewcomerAlone() throws Exception {
        try (var cluster = TestCluster.empty()) {
            var a = cluster.node("a", s -> s.admins(List.of("root")));
            var b = cluster.node("b", s -> s.admins(List.of("root")));
            var root = cluster.login(b, "root");
            var alice = cluster.login(a, "alice");
            var bob = cluster.login(b, "bob");
            var carol = cluster.login(b, "carol");
            var dave = cluster.login(a, "dave");
            var erinOnA = cluster.login(a, "erin", "phone");
            var erinOnB = cluster.login(b, "erin", "laptop");
            assertTrue(alice.call(new Request.Create("team", true)).ok());
            assertTrue(bob.call(new Request.Join("team")).ok()); // on b itself: nothing to read again
            assertTrue(carol.call(new Request.Join("team")).ok());
            joinedSeen(bob, "carol");
            long before = refreshes(root);

            assertTrue(dave.call(new Request.Join("team")).ok()); // no session of dave's on b
            joinedSeen(bob, "dave");
            joinedSeen(carol, "dave");
            assertEquals(before, refreshes(root), "bob and carol are told of dave, and nothing of theirs changed");

            assertTrue(erinOnA.call(new Request.Join("team")).ok());
            joinedSeen(erinOnB, "erin");
            joinedSeen(bob, "erin");
            joinedSeen(carol, "erin");
            assertEquals(before + 1, refreshes(root), "erin's session on b is read again, to enter the room");

            var said = alice.call(new Request.Group("team", "g-1", "hello all"));
            assertTrue(said.ok(), said.toString());
            for (TextClient member : new TextClient[] {bob, carol, erinOnB}) {
                Line got = member.awaitPush(l -> l.command().equals("MESSAGE") && l.fields().contains("hello all"));
                assertEquals(said.field(2), got.field(1), member.name + " gets it on b");
            }
        }
    }

    private static void joinedSeen(TextClient member, String who) throws Exception {
        member.awaitPush(l -> l.command().equals("GROUP_JOINED") && l.fields().contains(who));
    }

    /** STATS's count of local accounts read again for another node's event, asked by an admin. */
    private static long refreshes(TextClient admin) throws Exception {
        var stats = admin.call(new Request.Stats());
        assertTrue(stats.ok(), stats.toString());
        for (String field : stats.line().fields()) {
            if (field.startsWith("cluster_refreshes=")) {
                return Long.parseLong(field.substring(field.indexOf('=') + 1));
            }
        }
        throw new AssertionError("no cluster_refreshes in " + stats);
    }
}
