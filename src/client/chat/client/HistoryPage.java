package chat.client;

import java.util.List;

/**
 * A conversation's newest messages from the local history, oldest first, after the server's were
 * merged in. {@code fromServer}: the server was asked and answered; {@code refusal}: it refused
 * (a group I am no longer in, say), and what the local history kept is shown all the same.
 */
public record HistoryPage(List<HistoryEntry> entries, boolean fromServer, RefusedException refusal) {
    public HistoryPage {
        entries = List.copyOf(entries);
    }
}
