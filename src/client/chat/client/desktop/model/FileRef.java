package chat.client.desktop.model;

/**
 * The file a message offers, as its bubble shows it.
 *
 * @param fileId the server's id of the file (what Save and Cancel name); 0 while my offer is on its way;
 *               negative for a friend's direct offer (the service's id of it: see {@link ChatEvent.PeerOffer})
 * @param name   the file's name as the sender's disk had it (the server refuses names with a path)
 * @param size   bytes
 */
public record FileRef(long fileId, String name, long size) {

    /** Whether it is a friend's direct offer, fetched from their client rather than the server. */
    public boolean isDirect() {
        return fileId < 0;
    }

    /** Whether a thumbnail can be made of it: the image types every JDK reads. */
    public boolean isImage() {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".gif");
    }
}
