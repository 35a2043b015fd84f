package io.jenkins.plugins.kedroemrs.core.emrs;

import io.jenkins.plugins.kedroemrs.core.polling.PollState;
import java.io.Serializable;

/**
 * A job run being watched, between two polls: the submitted run (ids and log locations, all strings) and the poll
 * state (start, deadline, attempt, last state seen, next poll). All the Jenkins plugin persists of a wait.
 */
public record JobRunWatch(SubmittedJobRun run, PollState poll) implements Serializable {
}
