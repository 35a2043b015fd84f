package io.jenkins.plugins.kedroemrs.core.emrs;

import java.util.Objects;

/**
 * The stable identity of one submission, which {@link JobSubmitter#clientToken} turns into StartJobRun's client
 * token: the same identity always starts at most one job run (the service answers a repeated token with the run it
 * started the first time), a different one a new run.
 *
 * <p>For a Jenkins step the identity must survive a controller restart and a retried call, and differ between any two
 * submissions that should each run: so it is made of the controller (two controllers have the same job names), the
 * build (its full name and number), the build's start time (a job deleted and created again numbers its builds from 1
 * again) and the step within the build (its flow node id in a Pipeline, its place among the build steps in a
 * freestyle job). All of them are saved with the build, none of them changes when the controller restarts.
 */
public final class RunIdentity {
    private RunIdentity() {
    }

    /**
     * @param controller       the controller's instance id
     * @param build            the build, e.g. {@code folder/job#42}
     * @param buildStartMillis when the build started (epoch millis)
     * @param step             the step within the build, e.g. {@code node-17}
     */
    public static String jenkins(String controller, String build, long buildStartMillis, String step) {
        return "jenkins:" + part(controller, "controller") + ":" + part(build, "build") + "@" + buildStartMillis + ":"
                + part(step, "step");
    }

    private static String part(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException("the " + name + " part of a run identity is blank");
        }
        return value.strip();
    }
}
