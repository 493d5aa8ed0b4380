package chat.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The watermark and the reorder buffer as pure logic. */
class PositionsTest {

    @Test
    void whileWritingThePositionIsTheFloorAndIdleItIsTheHighestKnown() {
        var p = new Positions(10);
        assertEquals(10, p.own());
        p.beginWrite();
        p.learn(15); // another node's id, learned while our group is open
        assertEquals(10, p.own(), "our group may hold ids above 10 that are not committed");
        p.beginWrite(); // the next group began before the first one's end ran on the reactor
        p.endWrite(12);
        assertEquals(15, p.own(), "the second group's floor: it began knowing 15");
        p.endWrite(20);
        assertEquals(20, p.own());
    }

    @Test
    void safeIsTheLowestLiveNodeAndNeverHeldByARemovedOne() {
        var p = new Positions(50);
        p.announced("b", 30);
        p.announced("c", 40);
        assertEquals(30, p.safe());
        p.announced("b", 20);
        assertEquals(30, p.safe(), "a position never moves back");
        p.remove("b");
        assertEquals(40, p.safe());
        p.announced("c", 60);
        assertEquals(60, p.own(), "idle, the highest id known anywhere");
        assertEquals(60, p.safe());
    }

    @Test
    void pushesAreReleasedInIdOrderUpToSafeAndTheRingServesACatchUp() {
        var r = new Releases(0, 4);
        List<Long> out = new ArrayList<>();
        r.add(r.users(5, new long[] {1}, null, 0, new byte[0]), p -> out.add(p.id()));
        r.add(r.users(3, new long[] {2}, null, 0, new byte[0]), p -> out.add(p.id()));
        r.add(r.users(4, new long[] {1}, null, 0, new byte[0]), p -> out.add(p.id()));
        r.release(3, p -> out.add(p.id()));
        assertEquals(List.of(3L), out);
        r.release(5, p -> out.add(p.id()));
        assertEquals(List.of(3L, 4L, 5L), out);
        assertEquals(5, r.released());
        r.add(r.users(2, new long[] {1}, null, 0, new byte[0]), p -> out.add(p.id()));
        assertEquals(List.of(3L, 4L, 5L, 2L), out, "a push overtaken by safe goes at once");
        assertEquals(1, r.late());

        var s = new chat.server.hub.Session(1, "one", 1, "d", "t", null, 0);
        List<Long> taken = new ArrayList<>();
        assertTrue(r.since(3, s, p -> taken.add(p.id())));
        assertEquals(List.of(4L, 5L, 2L).stream().filter(id -> id > 3).toList(), taken, "user 1's releases above 3");
        r.release(9, p -> {});
        for (long id = 10; id < 14; id++) {
            r.add(r.users(id, new long[] {1}, null, 0, new byte[0]), p -> {});
            r.release(id, p -> {});
        }
        assertFalse(r.since(3, s, p -> {}), "the ring no longer reaches back to 3");
    }

    @Test
    void aFullBufferDropsPushesFromAnIdUpUntilTheResync() {
        var r = new Releases(0, 4, 2);
        List<Long> out = new ArrayList<>();
        r.add(r.users(5, new long[] {1}, null, 0, new byte[0]), p -> out.add(p.id()));
        r.add(r.users(9, new long[] {1}, null, 0, new byte[0]), p -> out.add(p.id()));
        assertEquals(0, r.dropped());
        r.add(r.users(8, new long[] {1}, null, 0, new byte[0]), p -> out.add(p.id()));
        assertEquals(1, r.waiting(), "9 dropped with 8: it may not reach a session before 8");
        r.add(r.users(7, new long[] {1}, null, 0, new byte[0]), p -> out.add(p.id()));
        r.add(r.users(10, new long[] {1}, null, 0, new byte[0]), p -> out.add(p.id()));
        assertEquals(2, r.waiting(), "7 kept (below 8), 10 dropped");
        assertEquals(10, r.dropped(), "a resync must read up to 10");
        r.release(12, p -> out.add(p.id()));
        assertEquals(List.of(5L, 7L), out);
        r.add(r.users(11, new long[] {1}, null, 0, new byte[0]), p -> out.add(p.id()));
        assertEquals(List.of(5L, 7L), out, "not even late: the resync reads it");
        r.resynced();
        r.add(r.users(13, new long[] {1}, null, 0, new byte[0]), p -> out.add(p.id()));
        r.release(13, p -> out.add(p.id()));
        assertEquals(List.of(5L, 7L, 13L), out, "kept again after the resync");
    }
}
