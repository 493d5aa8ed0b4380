package chat.server.command;

import chat.server.hub.Hub;
import chat.server.store.Passwords;
import chat.server.store.Store;
import chat.server.store.Workers;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/** What the commands work with; one of each per server. */
public record Services(Store store, Workers workers, Passwords passwords, Hub hub) {

    long now() {
        return System.currentTimeMillis();
    }

    /** Database writes for a client's request: counted as in flight until {@code then} has run. */
    <T> void write(Client c, Supplier<T> work, BiConsumer<T, Throwable> then) {
        workers.write(work, c.track(then));
    }

    <T> void read(Client c, Supplier<T> work, BiConsumer<T, Throwable> then) {
        workers.read(work, c.track(then));
    }

    <T> void hash(Client c, Supplier<T> work, BiConsumer<T, Throwable> then) {
        workers.hash(work, c.track(then));
    }
}
