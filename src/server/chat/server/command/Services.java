package chat.server.command;

import chat.server.hub.Hub;
import chat.server.store.Passwords;
import chat.server.store.Store;
import chat.server.store.Workers;

/** What the commands work with; one of each per server. */
public record Services(Store store, Workers workers, Passwords passwords, Hub hub) {

    long now() {
        return System.currentTimeMillis();
    }
}
