package io.refreshorchestrator.local;

/**
 * A cleanup that runs when the JVM exits, so a failing or aborted test run never leaves a service
 * running; cancelled once the owner cleaned up by itself.
 */
final class ShutdownHook {

    private final Thread thread;

    private ShutdownHook(Thread thread) {
        this.thread = thread;
    }

    static ShutdownHook register(String name, Runnable cleanup) {
        var thread = new Thread(cleanup, name);
        Runtime.getRuntime().addShutdownHook(thread);
        return new ShutdownHook(thread);
    }

    /** Unregisters the hook; does nothing when the JVM is already shutting down. */
    void cancel() {
        try {
            Runtime.getRuntime().removeShutdownHook(thread);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to run, and the cleanup it does is idempotent.
        }
    }
}
