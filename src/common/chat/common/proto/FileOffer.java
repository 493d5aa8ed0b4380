package chat.common.proto;

import chat.common.text.Names;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A file offered in a conversation, as the stored push {@code FILE} and the history item
 * {@code HIST_FILE} carry it: {@code id:time:from:to:group-id:client-id:file-id:name:size:sha256}.
 * The first six fields are a message's ({@link ChatMessage}): the offer is a message in the one id
 * sequence, acknowledged like one; the last four say which file.
 *
 * @param id     the offer's message id
 * @param fileId the file's id, for FILE_GET, FILE_UPLOAD and FILE_CANCEL
 * @param name   the file's name as the sender gave it ({@link #validName}); never a path on the server
 * @param sha256 64 lower-case hex digits
 */
public record FileOffer(long id, long time, String from, String to, long groupId, String clientId, long fileId,
        String name, long size, String sha256) {

    /** Most UTF-8 bytes of a file name. */
    public static final int MAX_NAME_BYTES = 255;

    public FileOffer {
        if (id < 0 || time < 0 || groupId < ChatMessage.PRIVATE || fileId < 0 || size < 0) {
            throw new IllegalArgumentException("negative id, time, group id, file id or size");
        }
    }

    /** The offer as a message whose text is the file's name: what history and search file it as. */
    public ChatMessage message() {
        return new ChatMessage(id, time, from, to, groupId, clientId, name);
    }

    public boolean isGroup() {
        return groupId != ChatMessage.PRIVATE;
    }

    /** The conversation the offer belongs to, seen by {@code me} (as {@link ChatMessage#conversationFor}). */
    public Conversation conversationFor(String me) {
        if (isGroup()) {
            return Conversation.of(groupId);
        }
        return new Conversation.Direct(Names.key(from).equals(Names.key(me)) ? to : from);
    }

    /**
     * Whether {@code name} may name an offered file: 1 to {@value #MAX_NAME_BYTES} UTF-8 bytes, no
     * {@code /}, {@code \}, NUL or other control character, and not {@code .} or {@code ..}. The server
     * never builds a path from it; a client still cleans it again before writing a file by it.
     */
    public static boolean validName(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..")
                || name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code hash} is a SHA-256 as the protocol writes one: 64 lower-case hex digits. */
    public static boolean validSha256(String hash) {
        if (hash.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = hash.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    static final String SHAPE = "id:time:from:to:group-id:client-id:file-id:name:size:sha256";

    List<String> fields() {
        return List.of(Long.toString(id), Long.toString(time), from, to, isGroup() ? Long.toString(groupId) : "",
                clientId, Long.toString(fileId), name, Long.toString(size), sha256);
    }

    static FileOffer read(Fields f) {
        String group = f.text(4);
        return new FileOffer(f.number(0, "id"), f.number(1, "time"), f.text(2), f.text(3),
                group.isEmpty() ? ChatMessage.PRIVATE : f.number(4, "group-id"), f.text(5),
                f.number(6, "file-id"), f.text(7), f.number(8, "size"), f.text(9));
    }
}
