package io.jenkins.plugins.kedroemrs.core.polling;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Drives a {@link Poller} to the end on the calling thread, sleeping between polls: what the CLI does (the Jenkins
 * plugin schedules the same polls on its timer instead). An interrupt (Ctrl-C, an aborted build) ends the sleep
 * with {@link InterruptedException}, so the caller can cancel the remote work.
 */
public final class PollLoop {
    private PollLoop() {
    }

    /** Sleeps for a while; tests and the benchmark pass a fake one that advances a fake clock. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;

        Sleeper REAL = d -> {
            if (!d.isNegative() && !d.isZero()) {
                Thread.sleep(d.toMillis());
            }
        };
    }

    /**
     * Polls from {@code from} (a WAIT outcome, e.g. {@link Poller#start}) until a terminal outcome, calling
     * {@code onPoll} after every poll.
     */
    public static <T> PollOutcome<T> run(Poller<T> poller, PollOutcome<T> from, Supplier<? extends T> probe, Clock clock,
            Sleeper sleeper, Consumer<PollOutcome<T>> onPoll) throws InterruptedException {
        PollOutcome<T> outcome = from;
        while (!outcome.done()) {
            Duration wait = Duration.between(clock.instant(), outcome.state().nextPollAt());
            sleeper.sleep(wait.isNegative() ? Duration.ZERO : wait);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            outcome = poller.poll(outcome.state(), clock.instant(), probe);
            onPoll.accept(outcome);
        }
        return outcome;
    }
}
