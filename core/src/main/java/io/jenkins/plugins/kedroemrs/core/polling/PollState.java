package io.jenkins.plugins.kedroemrs.core.polling;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Everything a wait needs to carry between two polls, and all the Jenkins plugin persists of it: small, serializable,
 * only instants, a counter and a string. A poll is a function of this state (plus the remote answer and the clock),
 * so a controller that restarts in the middle of a wait resumes it from the saved state without holding a thread.
 *
 * @param startedAt  when the wait began (the delay grows with the time since)
 * @param deadline   when the wait gives up
 * @param attempt    polls made so far
 * @param observed   the last observed remote state (e.g. {@code RUNNING}), or {@code null} before the first poll;
 *                   a change is reported once
 * @param nextPollAt when the next poll is due (a resumed wait re-arms its timer for this instant)
 * @param history    how long the same job's earlier runs took, taken once before the wait began, or {@code null}:
 *                   the rhythm follows it ({@link PollPolicy#scheduleFor}), and a resumed wait keeps it
 */
public record PollState(Instant startedAt, Instant deadline, long attempt, String observed, Instant nextPollAt,
        RunHistory history) implements Serializable {

    public PollState {
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(nextPollAt, "nextPollAt");
    }

    /** A wait without history. */
    public PollState(Instant startedAt, Instant deadline, long attempt, String observed, Instant nextPollAt) {
        this(startedAt, deadline, attempt, observed, nextPollAt, null);
    }

    /**
     * Where the wait is, as seen at {@code now}: {@code RUNNING after 3 min 20 s, 12 polls, next poll in 15 s}.
     * For a Jenkins step's status ({@code getStatus()}), which says what is awaited.
     */
    public String describe(Instant now) {
        Duration next = Duration.between(now, nextPollAt);
        return (observed == null ? "not looked at yet" : observed) + " after " + Poller.human(Duration.between(startedAt, now))
                + ", " + attempt + (attempt == 1 ? " poll" : " polls")
                + (next.isNegative() || next.isZero() ? ", polling now" : ", next poll in " + Poller.human(next))
                + (now.isBefore(deadline) ? ", giving up in " + Poller.human(Duration.between(now, deadline)) : ", deadline passed");
    }
}
