package io.jenkins.plugins.kedroemrs.core.emrs;

import io.jenkins.plugins.kedroemrs.core.polling.PollState;
import io.jenkins.plugins.kedroemrs.core.util.Json;
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

    /** The state as one line of JSON, for a step execution to save ({@link #fromJson} reads it back). */
    public String toJson() {
        return Json.write(this);
    }

    public static RestartState fromJson(String json) {
        return Json.read(json, RestartState.class, "restart state");
    }

    /** What the current wait is for, e.g. {@code to stop}. */
    private String awaited() {
        return switch (phase) {
            case ApplicationRestarter.SETTLE -> "to leave the state it was in";
            case ApplicationRestarter.DRAIN -> "to have no running job runs";
            case ApplicationRestarter.AWAIT_STOPPED -> "to stop";
            case ApplicationRestarter.AWAIT_STARTED -> "to start";
            default -> "(restart " + phase + ")";
        };
    }

    /** What is awaited, for a Jenkins step's status: {@code waiting for application 00f… to stop (STOPPING after 4 s, …)}. */
    public String status(String applicationId, Instant now) {
        return "waiting for application " + applicationId + " " + awaited() + " (" + poll.describe(now) + ")";
    }

    /**
     * What an interrupted restart leaves behind, in a sentence for the build log: what was done to the application
     * so far and what happens to it now that nobody waits.
     */
    public String leftBehind(String applicationId) {
        String cancelled = cancelledJobRuns.isEmpty() ? "" : " Job runs " + cancelledJobRuns.replace(",", ", ")
                + " were cancelled.";
        String app = "Application " + applicationId;
        return switch (phase) {
            case ApplicationRestarter.SETTLE -> app + " is left as it was (" + stateBefore + " when the restart began): "
                    + "nothing was changed.";
            case ApplicationRestarter.DRAIN -> app + " is left " + stateBefore + ", not stopped and not updated." + cancelled;
            case ApplicationRestarter.AWAIT_STOPPED -> app + " was asked to stop and stops on its own; it was not updated and "
                    + "will not be started again: run the restart again or start it in the console." + cancelled;
            case ApplicationRestarter.AWAIT_STARTED -> app + " was " + (stopped ? "stopped, " : "") + (updated ? "updated, " : "")
                    + "and asked to start; it finishes starting on its own, but its image digest was not checked." + cancelled;
            default -> app + ": the restart had finished.";
        };
    }
}
