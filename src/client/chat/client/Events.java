package chat.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The one way out to the caller: events and the completion of every future the API returns go
 * through the caller's {@link Executor}, in the order they happened, so that a Swing client sees
 * both on its event thread, and a future's callbacks run after the events that came before its
 * reply (LOGIN's future after {@link ChatEvent.LoggedIn}).
 */
final class Events {

    private static final System.Logger LOG = System.getLogger(Events.class.getName());

    private final Executor executor;
    private final Consumer<ChatEvent> listener;

    Events(Executor executor, Consumer<ChatEvent> listener) {
        this.executor = executor;
        this.listener = listener;
    }

    void emit(ChatEvent event) {
        try {
            executor.execute(() -> listener.accept(event));
        } catch (RuntimeException e) {
            // an executor that refuses (shut down): the caller is gone, the connection goes on
            LOG.log(System.Logger.Level.WARNING, "the event executor refused " + event + ": " + e);
        }
    }

    /** Runs {@code task} on the caller's executor, after the events told before it (a transfer's progress). */
    void run(Runnable task) {
        try {
            executor.execute(task);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the event executor refused a task: " + e);
        }
    }

    /** {@code inner}'s outcome, delivered on the caller's executor. */
    <T> CompletableFuture<T> relay(CompletableFuture<T> inner) {
        var outer = new CompletableFuture<T>();
        inner.whenComplete((value, failure) -> {
            Runnable complete = () -> {
                if (failure != null) {
                    outer.completeExceptionally(unwrap(failure));
                } else {
                    outer.complete(value);
                }
            };
            try {
                executor.execute(complete);
            } catch (RuntimeException e) {
                complete.run(); // an executor that refuses: answer on this thread rather than never
            }
        });
        return outer;
    }

    /** The failure itself rather than the CompletionException a chained stage wraps it in. */
    static Throwable unwrap(Throwable t) {
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
