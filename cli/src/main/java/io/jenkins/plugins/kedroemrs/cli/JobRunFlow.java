package io.jenkins.plugins.kedroemrs.cli;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.emrs.JobRunLinks;
import io.jenkins.plugins.kedroemrs.core.emrs.JobRunResult;
import io.jenkins.plugins.kedroemrs.core.emrs.JobRunWatcher;
import io.jenkins.plugins.kedroemrs.core.emrs.JobSubmitter;
import io.jenkins.plugins.kedroemrs.core.emrs.SubmitRequest;
import io.jenkins.plugins.kedroemrs.core.emrs.SubmittedJobRun;
import io.jenkins.plugins.kedroemrs.core.polling.PollLoop;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.emrserverless.EmrServerlessClient;

/** submit's and deploy's second half: submit, wait (cancel on Ctrl-C or timeout), report. */
final class JobRunFlow {
    /** How long a cancelled run may take to reach CANCELLED, on top of its grace period, before the CLI gives up. */
    static final Duration CANCEL_PATIENCE = Duration.ofMinutes(2);
    static final int INTERRUPTED = 130;

    private final AwsClientFactory aws;
    private final EmrServerlessClient emr;
    private final ConsoleProgress progress;

    JobRunFlow(AwsClientFactory aws, ConsoleProgress progress) {
        this.aws = aws;
        this.emr = aws.emrServerless();
        this.progress = progress;
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
        SubmittedJobRun run = new JobSubmitter(emr, aws.s3(), aws.region().id(), progress).submit(request);
        if (!wait) {
            return new Outcome(run, null, Main.OK, null);
        }
        JobRunWatcher watcher = new JobRunWatcher(emr, aws.s3(), progress);
        Duration patience = CANCEL_PATIENCE.plus(cancelGrace == null ? Duration.ZERO : cancelGrace);
        InterruptGuard guard = new InterruptGuard(patience.plusSeconds(30));
        try {
            JobRunResult result;
            int exitCode;
            try {
                result = watcher.await(watcher.begin(run, waitTimeout), PollLoop.Sleeper.REAL);
                exitCode = result.succeeded() ? Main.OK : Main.FAILED;
                if (result.timedOut()) {
                    progress.warn("Cancelling job run " + run.jobRunId() + ", which outlasted the wait (--wait-timeout)");
                    result = watcher.cancelAndAwait(run, cancelGrace, CANCEL_PATIENCE, PollLoop.Sleeper.REAL);
                }
            } catch (InterruptedException e) {
                progress.warn("Interrupted: cancelling job run " + run.jobRunId());
                exitCode = INTERRUPTED;
                try {
                    result = watcher.cancelAndAwait(run, cancelGrace, CANCEL_PATIENCE, PollLoop.Sleeper.REAL);
                } catch (InterruptedException again) {
                    Thread.currentThread().interrupt();
                    throw new EngineException("Interrupted again while cancelling job run " + run.jobRunId()
                            + "; check it in the console: " + run.consoleUrl(), again);
                }
            }
            return new Outcome(run, result, exitCode, guard);
        } catch (RuntimeException | Error e) {
            guard.close();
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
