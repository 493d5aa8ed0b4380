package chat.server;

import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) and SIGTERM run an orderly shutdown and exit 0. A JVM shutdown hook would run
 * too, but the JVM then exits with 128 + the signal's number, which service managers and scripts
 * read as a failure; handling the signals ourselves keeps "asked to stop, stopped" a success.
 */
final class Signals {

    private Signals() {}

    static void onTermination(Runnable action) {
        Runnable once = new Runnable() {
            private boolean ran;

            @Override
            public synchronized void run() {
                if (!ran) {
                    ran = true;
                    action.run();
                }
            }
        };
        for (String name : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(name), signal -> new Thread(once, "shutdown").start());
        }
    }
}
