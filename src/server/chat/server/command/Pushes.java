package chat.server.command;

import chat.common.proto.Line;
import chat.common.wire.LineDecoder;

/** The live pushes the commands send, and how a push becomes bytes on the wire. */
final class Pushes {

    private Pushes() {}

    static byte[] encode(Line line) {
        return LineDecoder.encode(line.format());
    }

    static Line bye(String reason, String message) {
        return Line.of(null, "BYE", reason, message);
    }

    static Line presence(String name, boolean online) {
        return Line.of(null, "PRESENCE", name, online ? "1" : "0");
    }

    static Line readMark(String conversation, long upTo) {
        return Line.of(null, "READ_MARK", conversation, Long.toString(upTo));
    }

    static Line synced() {
        return Line.of(null, "SYNCED");
    }
}
