package io.jenkins.plugins.kedroemrs.jenkins.emrs;

import io.jenkins.plugins.kedroemrs.core.polling.PollPolicy;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * The engine's poll policies the waiting steps use: {@link PollPolicy#JOB_RUN} and {@link PollPolicy#APPLICATION}.
 * Tests shorten them (the stand-in service moves one state per poll, so the rhythm only costs time).
 */
@Restricted(NoExternalUse.class)
public final class PollPolicies {
    private static volatile PollPolicy jobRuns = PollPolicy.JOB_RUN;
    private static volatile PollPolicy applications = PollPolicy.APPLICATION;

    private PollPolicies() {
    }

    public static PollPolicy jobRuns() {
        return jobRuns;
    }

    public static PollPolicy applications() {
        return applications;
    }

    /** For tests: poll with these instead (the timeouts of the steps still apply). */
    public static void override(PollPolicy newJobRuns, PollPolicy newApplications) {
        jobRuns = newJobRuns;
        applications = newApplications;
    }

    public static void reset() {
        override(PollPolicy.JOB_RUN, PollPolicy.APPLICATION);
    }
}
