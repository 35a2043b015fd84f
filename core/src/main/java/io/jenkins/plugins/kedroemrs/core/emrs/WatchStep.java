package io.jenkins.plugins.kedroemrs.core.emrs;

import java.time.Duration;

/** One poll of a job run: poll again after {@link #delay()} with {@link #watch()}, or done with {@link #result()}. */
public record WatchStep(JobRunWatch watch, Duration delay, JobRunResult result) {

    public boolean done() {
        return result != null;
    }
}
