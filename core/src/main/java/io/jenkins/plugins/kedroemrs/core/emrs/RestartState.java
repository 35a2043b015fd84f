package io.jenkins.plugins.kedroemrs.core.emrs;

import io.jenkins.plugins.kedroemrs.core.polling.PollState;
import java.io.Serializable;
import java.time.Instant;

/**
 * Where an application restart is, between two polls: all the Jenkins plugin persists of it. Each step is decided
 * from this state and what the service answers now, so a resumed restart carries on from the application's real state.
 *
 * @param phase            the wait in progress: SETTLE (for a transitional state to end), DRAIN (job runs to end),
 *                         AWAIT_STOPPED, AWAIT_STARTED, or DONE
 * @param poll             the wait's poll state
 * @param stateBefore      the application's state when the restart began
 * @param stopped          whether the restart stopped the application
 * @param updated          whether it changed its image or release label
 * @param cancelledJobRuns ids of job runs it cancelled, comma-separated
 * @param startedAt        when the restart began
 */
public record RestartState(String phase, PollState poll, String stateBefore, boolean stopped, boolean updated,
        String cancelledJobRuns, Instant startedAt) implements Serializable {

    RestartState with(String newPhase, PollState newPoll) {
        return new RestartState(newPhase, newPoll, stateBefore, stopped, updated, cancelledJobRuns, startedAt);
    }
}
