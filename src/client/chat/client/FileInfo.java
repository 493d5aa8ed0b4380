package chat.client;

import chat.common.proto.FileStatus;

/**
 * A file offer as {@link ChatClient#files} lists it ({@code FILE_INFO}): to me or from me.
 *
 * @param fileId    the id {@link ChatClient#download} and {@link ChatClient#cancelFile} take
 * @param messageId the offer's id in the message sequence (its place in the conversation)
 * @param to        the recipient's name, or {@code #group}
 * @param received  bytes the server holds (the upload's progress)
 * @param expiresAt when the server deletes the bytes, milliseconds since 1970 UTC
 */
public record FileInfo(long fileId, long messageId, long time, String from, String to, String name, long size,
        String sha256, FileStatus state, long received, long expiresAt) {

    static FileInfo of(chat.common.proto.Item.FileInfo i) {
        return new FileInfo(i.fileId(), i.messageId(), i.time(), i.from(), i.to(), i.name(), i.size(), i.sha256(),
                i.state(), i.received(), i.expiresAt());
    }
}
