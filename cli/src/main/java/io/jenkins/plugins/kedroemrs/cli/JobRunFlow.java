package io.jenkins.plugins.kedroemrs.cli;

import io.jenkins.plugins.kedroemrs.core.aws.AmbientAws;
import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.cost.PriceTable;
import io.jenkins.plugins.kedroemrs.core.emrs.JobRunLinks;
import io.jenkins.plugins.kedroemrs.core.emrs.JobRunResult;
import io.jenkins.plugins.kedroemrs.core.emrs.JobRunWatcher;
import io.jenkins.plugins.kedroemrs.core.emrs.JobSubmitter;
import io.jenkins.plugins.kedroemrs.core.emrs.SubmitAndWait;
import io.jenkins.plugins.kedroemrs.core.emrs.SubmitRequest;
import io.jenkins.plugins.kedroemrs.core.emrs.SubmittedJobRun;
import io.jenkins.plugins.kedroemrs.core.polling.PollLoop;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.emrserverless.EmrServerlessClient;

/** submit's and deploy's second half: submit, wait (cancel on Ctrl-C or timeout: the engine's {@link SubmitAndWait}), report. */
final class JobRunFlow {
    static final int INTERRUPTED = 130;
    /** About as long as a session from the environment lasts (an assumed role's default): a longer wait may outlive it. */
    static final Duration SESSION_LENGTH = Duration.ofHours(1);

    private final AwsClientFactory aws;
    private final EmrServerlessClient emr;
    private final ConsoleProgress progress;

    private final boolean history;

    private final PriceTable prices;

    /**
     * @param history whether the wait polls by the history of the job's earlier runs (not with --no-history)
     * @param prices  what prices the run's cost ({@code --price-file}); {@code null}: the list prices
     */
    JobRunFlow(AwsClientFactory aws, ConsoleProgress progress, boolean history, PriceTable prices) {
        this.aws = aws;
        this.prices = prices;
        this.emr = aws.emrServerless();
        this.progress = progress;
        this.history = history;
    }

    /**
     * The outcome: the submitted run, how it ended (null with --no-wait), and the exit code. Close it after printing:
     * until then a Ctrl-C that cancelled the run keeps the JVM alive, so the summary is printed in full.
     */
    record Outcome(SubmittedJobRun run, JobRunResult result, int exitCode, InterruptGuard guard) implements AutoCloseable {
        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("jobRun", result != null ? result.toMap() : run.toMap());
            return map;
        }

        @Override
        public void close() {
            if (guard != null) {
                guard.close();
            }
        }
    }

    Outcome run(SubmitRequest request, boolean wait, Duration waitTimeout, Duration cancelGrace) throws IOException {
        if (wait && (waitTimeout == null || waitTimeout.compareTo(SESSION_LENGTH) > 0)
                && AmbientAws.sessionFromEnvironment(aws.settings(), System.getenv())) {
            progress.warn(AmbientAws.sessionWarning("a profile the SDK refreshes (--profile with role_arn, sso_session or "
                    + "credential_process)"));
        }
        Duration patience = SubmitAndWait.CANCEL_PATIENCE.plus(cancelGrace == null ? Duration.ZERO : cancelGrace);
        InterruptGuard[] guard = new InterruptGuard[1];
        try {
            SubmitAndWait.Outcome o = new SubmitAndWait(new JobSubmitter(emr, aws.s3(), aws.region().id(), progress),
                    new JobRunWatcher(emr, aws.s3(), progress).withPrices(prices), progress, history)
                    .run(request, wait, waitTimeout, cancelGrace, run -> {
                        if (wait) {
                            guard[0] = new InterruptGuard(patience.plusSeconds(30));
                        }
                    }, PollLoop.Sleeper.REAL);
            int exitCode = o.interrupted() ? INTERRUPTED : o.succeeded() ? Main.OK : Main.FAILED;
            return new Outcome(o.run(), o.result(), exitCode, guard[0]);
        } catch (RuntimeException | Error e) {
            if (guard[0] != null) {
                guard[0].close();
            }
            throw e;
        }
    }

    /** The human summary on stdout. */
    void print(Outcome o, PrintStream out) {
        SubmittedJobRun run = o.run();
        JobRunResult r = o.result();
        if (r == null) {
            out.printf("Submitted job run %s (\"%s\") on application %s%n", run.jobRunId(), run.name(), run.applicationId());
        } else {
            out.printf("Job run %s %s%s%s%n", run.jobRunId(), r.timedOut() ? "still " + r.state() + " when the wait gave up" : r.state(),
                    r.stateDetails() != null && !r.stateDetails().isBlank() ? ": " + r.stateDetails() : "",
                    r.executionSeconds() != null && r.executionSeconds() > 0 ? " (" + r.executionSeconds() + " s of execution)" : "");
        }
        if (r != null && r.cost() != null) {
            out.println("  cost        " + r.cost().line());
        }
        out.println("  console     " + run.consoleUrl());
        if (run.logLocation() != null) {
            out.println("  logs        " + run.logLocation());
        }
        if (run.cloudWatchLogGroup() != null) {
            out.println("  cloudwatch  " + JobRunLinks.cloudWatchUrl(run.region(), run.cloudWatchLogGroup(),
                    run.cloudWatchStreamPrefix(), run.applicationId(), run.jobRunId()));
        }
        // The Spark UI link carries a one-hour access token: it is fetched on request, never written into a (CI) log.
        out.println("  spark ui    kedro-emrs dashboard --application-id " + run.applicationId() + " --job-run-id " + run.jobRunId()
                + "  (prints a fresh link, valid for one hour)");
        out.println("  run id      " + run.runId() + "  (--run-id " + run.runId() + " submits this same run again)");
    }
}
