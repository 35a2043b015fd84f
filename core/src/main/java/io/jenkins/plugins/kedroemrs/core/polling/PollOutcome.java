package io.jenkins.plugins.kedroemrs.core.polling;

import java.time.Duration;
import java.util.Objects;

/**
 * What one poll decided: wait {@link #delay()} and poll again with {@link #state()}, or stop with a terminal status.
 *
 * @param status   WAIT, or how the wait ended
 * @param state    the state to persist (and, for WAIT, to poll with next)
 * @param delay    for WAIT: how long until the next poll; {@link Duration#ZERO} otherwise
 * @param response the last response, or {@code null} when the poll failed with an exception
 * @param error    the exception of the last poll, or {@code null}
 * @param message  why the wait ended (FAILURE, TIMED_OUT), or what went wrong in a retried poll; may be {@code null}
 * @param changed  whether this poll observed a different remote state than the one before (report it once)
 * @param <T>      the response type
 */
public record PollOutcome<T>(Status status, PollState state, Duration delay, T response, Throwable error, String message,
        boolean changed) {

    public enum Status {
        /** Not done: poll again after the delay. */
        WAIT,
        SUCCESS,
        FAILURE,
        /** The deadline passed before an acceptor said SUCCESS or FAILURE. */
        TIMED_OUT
    }

    public PollOutcome {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(state, "state");
        delay = delay == null ? Duration.ZERO : delay;
    }

    public boolean done() {
        return status != Status.WAIT;
    }
}
