package io.jenkins.plugins.kedroemrs.core.emrs;

import io.jenkins.plugins.kedroemrs.core.aws.AwsErrors;
import io.jenkins.plugins.kedroemrs.core.polling.RunHistory;
import io.jenkins.plugins.kedroemrs.core.progress.ProgressListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.emrserverless.EmrServerlessClient;
import software.amazon.awssdk.services.emrserverless.model.JobRunState;
import software.amazon.awssdk.services.emrserverless.model.JobRunSummary;
import software.amazon.awssdk.services.emrserverless.model.ListJobRunsResponse;

/**
 * How long the last successful runs of the same job took, taken once before a wait begins so that it polls sparsely
 * until shortly before the expected end ({@link io.jenkins.plugins.kedroemrs.core.polling.PollPolicy#scheduleFor}).
 * One walk of ListJobRuns on the application: SUCCESS runs created in the last {@link #LOOKBACK}, newest first, at
 * most {@link #MAX_PAGES} pages of {@link #PAGE_SIZE}; those with the same name as the watched run, at most
 * {@value RunHistory#MAX_RUNS}, each from its {@code createdAt} (submission) to its {@code updatedAt} (for a SUCCESS
 * run: its end) — the span a wait that begins at the submission waits through. Throttling is retried by the factory's
 * client; a caller without {@code emr-serverless:ListJobRuns} or any other failure costs one log line and the wait
 * polls without history: the history never fails a submit.
 */
public final class JobRunHistory {
    /** How far back earlier runs count. */
    public static final Duration LOOKBACK = Duration.ofDays(90);
    static final int PAGE_SIZE = 50;
    static final int MAX_PAGES = 4;

    private final EmrServerlessClient emr;
    private final ProgressListener listener;
    private final Clock clock;

    public JobRunHistory(EmrServerlessClient emr, ProgressListener listener, Clock clock) {
        this.emr = emr;
        this.listener = listener == null ? ProgressListener.NONE : listener;
        this.clock = clock;
    }

    /**
     * The earlier successful runs named like {@code run} on its application (not {@code run} itself), newest first;
     * {@code null} when the run has no name or the listing failed (said in one line).
     */
    public RunHistory lookup(SubmittedJobRun run) {
        if (run.name() == null || run.name().isBlank()) {
            return null;
        }
        Instant after = clock.instant().minus(LOOKBACK);
        List<JobRunSummary> same = new ArrayList<>();
        String token = null;
        try {
            for (int page = 0; page < MAX_PAGES && same.size() < RunHistory.MAX_RUNS; page++) {
                String next = token;
                ListJobRunsResponse r = emr.listJobRuns(l -> l.applicationId(run.applicationId()).states(JobRunState.SUCCESS)
                        .createdAtAfter(after).maxResults(PAGE_SIZE).nextToken(next));
                for (JobRunSummary s : r.jobRuns()) {
                    if (run.name().equals(s.name()) && !run.jobRunId().equals(s.id()) && s.state() == JobRunState.SUCCESS
                            && s.createdAt() != null && s.updatedAt() != null && s.updatedAt().isAfter(s.createdAt())) {
                        same.add(s);
                    }
                }
                token = r.nextToken();
                if (token == null || token.isEmpty()) {
                    break;
                }
            }
        } catch (SdkException e) {
            listener.info("Polling without history: could not list the earlier runs of '" + run.name() + "' ("
                    + AwsErrors.describe(e) + ")");
            return null;
        }
        same.sort(Comparator.comparing(JobRunSummary::createdAt).reversed());
        List<Duration> durations = same.stream().limit(RunHistory.MAX_RUNS)
                .map(s -> Duration.between(s.createdAt(), s.updatedAt())).toList();
        return RunHistory.of(run.name(), durations);
    }
}
