package chat.common.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Example;

/** The three vocabularies share no name, and every record writes a name of its own set. */
class VocabularyTest {

    @Example
    void theThreeSetsArePairwiseDisjoint() {
        assertDisjoint(Vocabulary.REQUESTS, Vocabulary.ITEMS);
        assertDisjoint(Vocabulary.REQUESTS, Vocabulary.PUSHES);
        assertDisjoint(Vocabulary.ITEMS, Vocabulary.PUSHES);
        for (Set<String> set : List.of(Vocabulary.REQUESTS, Vocabulary.ITEMS, Vocabulary.PUSHES)) {
            assertTrue(!set.contains(Reply.ERR), "ERR is in " + set);
        }
        assertTrue(Vocabulary.REQUESTS.containsAll(Vocabulary.LISTS));
    }

    @Example
    void everyRequestWritesARequestName() {
        for (Request r : RequestTest.oneOfEach()) {
            assertTrue(Vocabulary.REQUESTS.contains(r.toLine(null).command()), r::toString);
        }
    }

    /** Every request name is one Request.parse knows (none is unknown-command). */
    @Example
    void everyRequestNameParses() {
        for (String name : Vocabulary.REQUESTS) {
            try {
                Request.parse(Line.of(null, name));
            } catch (ProtocolException e) {
                assertNotEquals(ErrorCode.UNKNOWN_COMMAND, e.code(), name);
            }
        }
    }

    @Example
    void everyPushWritesAPushName() {
        for (Push p : PushTest.oneOfEach()) {
            if (!(p instanceof Push.Unknown)) {
                assertTrue(Vocabulary.PUSHES.contains(p.toLine().command()), p::toString);
            }
        }
    }

    /** Every push name is one Push.parse knows: a bare name is too short, never Unknown. */
    @Example
    void everyPushNameParses() {
        for (String name : Vocabulary.PUSHES) {
            try {
                assertTrue(!(Push.parse(Line.of(null, name)) instanceof Push.Unknown), name);
            } catch (ProtocolException e) {
                assertEquals(ErrorCode.BAD_REQUEST, e.code(), name);
            }
        }
    }

    @Example
    void everyItemWritesAnItemName() {
        for (Item i : ItemTest.oneOfEach()) {
            assertTrue(Vocabulary.ITEMS.contains(i.toLine().command()), i::toString);
        }
    }

    @Example
    void everyItemNameParsesButTheReservedOne() {
        for (String name : Vocabulary.ITEMS) {
            Line bare = Line.of(null, name);
            if (name.equals("SESSION")) {
                assertInstanceOf(Item.Unknown.class, Item.parse(bare));
            } else {
                ProtocolException e = assertThrows(ProtocolException.class, () -> Item.parse(bare), name);
                assertEquals(ErrorCode.BAD_REQUEST, e.code(), name);
            }
        }
    }

    @Example
    void aLineIsToldByItsFirstField() {
        assertEquals(Vocabulary.Kind.REPLY, Vocabulary.kindOf(Line.parse("#1:LOGIN:true:1:alice:default:t")));
        assertEquals(Vocabulary.Kind.REPLY, Vocabulary.kindOf(Line.parse("PING:true")));
        assertEquals(Vocabulary.Kind.REPLY, Vocabulary.kindOf(Line.parse("ERR:busy:x")));
        assertEquals(Vocabulary.Kind.ITEM, Vocabulary.kindOf(Line.parse("#1:FRIEND:bob::1:0:0:0:")));
        assertEquals(Vocabulary.Kind.PUSH, Vocabulary.kindOf(Line.parse("MESSAGE:1:2:bob:alice::c:hi")));
        assertEquals(Vocabulary.Kind.PUSH, Vocabulary.kindOf(Line.parse("TYPING:bob")));
    }

    private static void assertDisjoint(Set<String> a, Set<String> b) {
        Set<String> both = new HashSet<>(a);
        both.retainAll(b);
        assertEquals(Set.of(), both);
    }
}
