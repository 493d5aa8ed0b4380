package chat.bench;

/**
 * What a timed text-protocol chat message says ({@link GroupFanout}, {@link FileTransfer}):
 * {@code sender.seq.time}, the sender's index, its sequence number, and the message's scheduled
 * send time (System.nanoTime() less the generator's origin), so that a receiver can check the
 * order and time the delivery from the schedule (a late send then counts in full).
 */
record ChatStamp(int sender, long seq, long time) {

    String text() {
        return sender + "." + seq + "." + time;
    }

    /** The stamp a message's text holds, or null when it holds none. */
    static ChatStamp parse(String text) {
        String[] f = text.split("\\.", -1);
        if (f.length != 3) {
            return null;
        }
        try {
            return new ChatStamp(Integer.parseInt(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
