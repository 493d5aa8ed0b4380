package chat.client;

import java.util.List;

/** Texts containing a text, newest first; {@code local}: the server could not be asked, so the local history answered. */
public record SearchResult(List<HistoryEntry> entries, boolean local) {
    public SearchResult {
        entries = List.copyOf(entries);
    }
}
