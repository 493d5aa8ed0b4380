package chat.common.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.Example;

class ErrorCodeTest {

    @Example
    void everyCodeReadsBackFromItsWireForm() {
        for (ErrorCode c : ErrorCode.values()) {
            assertEquals(c, ErrorCode.fromWire(c.wire()), c::wire);
        }
        assertEquals("owner-cannot-leave", ErrorCode.OWNER_CANNOT_LEAVE.wire());
    }

    /** A newer server's code is UNKNOWN, never INTERNAL (which would invite a retry). */
    @Example
    void aCodeThisVersionDoesNotKnowIsUnknown() {
        for (String code : List.of("rate-limited", "", "INTERNAL", "Bad-Request", "bad_request", "internal ", "-")) {
            assertEquals(ErrorCode.UNKNOWN, ErrorCode.fromWire(code), code);
        }
    }
}
