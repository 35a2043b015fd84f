package io.jenkins.plugins.kedroemrs.core.polling;

import java.io.Serializable;
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
 */
public record PollState(Instant startedAt, Instant deadline, long attempt, String observed, Instant nextPollAt)
        implements Serializable {

    public PollState {
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(nextPollAt, "nextPollAt");
    }
}
