package io.jenkins.plugins.kedroemrs.core.emrs;

import io.jenkins.plugins.kedroemrs.core.polling.PollState;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.io.Serializable;
import java.time.Instant;

/**
 * A job run being watched, between two polls: the submitted run (ids and log locations, all strings) and the poll
 * state (start, deadline, attempt, last state seen, next poll). All the Jenkins plugin persists of a wait, as the
 * text of {@link #toJson()}.
 */
public record JobRunWatch(SubmittedJobRun run, PollState poll) implements Serializable {

    /** The watch as one line of JSON, for a step execution to save ({@link #fromJson} reads it back). */
    public String toJson() {
        return Json.write(this);
    }

    public static JobRunWatch fromJson(String json) {
        return Json.read(json, JobRunWatch.class, "job run watch");
    }

    /** What is awaited, for a Jenkins step's status: {@code waiting for job run 00f… on application 00e… to end (RUNNING after …)}. */
    public String status(Instant now) {
        return "waiting for job run " + run.jobRunId() + " on application " + run.applicationId() + " to end ("
                + poll.describe(now) + ")";
    }
}
