package io.jenkins.plugins.kedroemrs.core.emrs;

import com.fasterxml.jackson.core.type.TypeReference;
import io.jenkins.plugins.kedroemrs.core.cost.JobRunCost;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import java.util.Map;

/**
 * How a watched job run ended (or how far it got when the wait gave up).
 *
 * @param run                 the submitted run: ids and links
 * @param state               its last state: SUCCESS, FAILED, CANCELLED, or a running state when the wait timed out
 * @param stateDetails        the service's explanation, or {@code null}
 * @param timedOut            whether the wait gave up before the run ended
 * @param executionSeconds    the run's total execution time as the service reports it, or {@code null}
 * @param attempt             the job run attempt the state belongs to (retried runs have several), or {@code null}
 * @param polls               how many times the wait looked
 * @param driverStderrTail    the end of the driver's stderr for a failed or cancelled run whose logs are in S3, or {@code null}
 * @param cost                what the run was billed and cost, for a run that ended; {@code null} for a wait that gave up
 */
public record JobRunResult(SubmittedJobRun run, String state, String stateDetails, boolean timedOut, Long executionSeconds,
        Integer attempt, long polls, String driverStderrTail, JobRunCost cost) {

    /** A result without cost figures (a wait that gave up, a cancel not yet seen through). */
    public JobRunResult(SubmittedJobRun run, String state, String stateDetails, boolean timedOut, Long executionSeconds,
            Integer attempt, long polls, String driverStderrTail) {
        this(run, state, stateDetails, timedOut, executionSeconds, attempt, polls, driverStderrTail, null);
    }

    public boolean succeeded() {
        return !timedOut && "SUCCESS".equals(state);
    }

    /**
     * The run's variables ({@link SubmittedJobRun#toEnvironment()}), {@code EMRS_JOB_RUN_STATE} and, for a run that
     * ended, its cost figures ({@link JobRunCost#toEnvironment()}).
     */
    public Map<String, String> toEnvironment() {
        Map<String, String> env = run.toEnvironment();
        env.put("EMRS_JOB_RUN_STATE", state);
        if (cost != null) {
            env.putAll(cost.toEnvironment());
        }
        return env;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = Json.MAPPER.convertValue(this, new TypeReference<Map<String, Object>>() { });
        map.put("jobRunId", run.jobRunId());
        map.put("applicationId", run.applicationId());
        map.put("links", run.links());
        map.put("run", run.toMap());
        map.put("succeeded", succeeded());
        return map;
    }
}
