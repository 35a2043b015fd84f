package io.jenkins.plugins.kedroemrs.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns Ctrl-C (SIGINT, SIGTERM) into an interrupt of the thread that waits for a job run, and holds the JVM's
 * shutdown until that thread has cancelled the run (or {@code patience} is up), so the job does not keep running
 * and billing after the command is gone. Close it when the wait is over.
 */
final class InterruptGuard implements AutoCloseable {
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicBoolean signalled = new AtomicBoolean();
    private final Thread hook;

    InterruptGuard(Duration patience) {
        Thread waiting = Thread.currentThread();
        this.hook = new Thread(() -> {
            signalled.set(true);
            waiting.interrupt();
            try {
                finished.await(patience.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "kedro-emrs-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void close() {
        finished.countDown();
        if (signalled.get()) {
            return; // Ctrl-C: the hook is running; it returns now that the latch is open, and the JVM exits
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownBegan) {
            // A signal arrived between the check and the removal: as above, the hook ends now and the JVM exits.
            signalled.set(true);
        }
    }
}
