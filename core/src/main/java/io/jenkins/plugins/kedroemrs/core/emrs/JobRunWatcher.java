package io.jenkins.plugins.kedroemrs.core.emrs;

import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.aws.AwsErrors;
import io.jenkins.plugins.kedroemrs.core.cost.JobRunCost;
import io.jenkins.plugins.kedroemrs.core.cost.PriceTable;
import io.jenkins.plugins.kedroemrs.core.polling.Acceptor;
import io.jenkins.plugins.kedroemrs.core.polling.PollLoop;
import io.jenkins.plugins.kedroemrs.core.polling.PollOutcome;
import io.jenkins.plugins.kedroemrs.core.polling.PollPolicy;
import io.jenkins.plugins.kedroemrs.core.polling.PollState;
import io.jenkins.plugins.kedroemrs.core.polling.Poller;
import io.jenkins.plugins.kedroemrs.core.polling.RunHistory;
import io.jenkins.plugins.kedroemrs.core.progress.ProgressListener;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleSupplier;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.emrserverless.EmrServerlessClient;
import software.amazon.awssdk.services.emrserverless.model.Architecture;
import software.amazon.awssdk.services.emrserverless.model.JobRun;
import software.amazon.awssdk.services.emrserverless.model.JobRunState;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code emrsSubmit}'s wait: watches a job run until SUCCESS, FAILED or CANCELLED. {@link #poll} is one GetJobRun and
 * a decision — a function of the persisted {@link JobRunWatch} (ids, deadline, attempt, last state) — returning the
 * delay before the next poll; no thread is held in between. Every state change is logged once; throttling, 5xx and
 * network errors that outlast the SDK's retries only postpone the next poll. On FAILED or CANCELLED the end of the
 * driver's stderr is fetched from S3, when the logs go there. {@link #cancel} may be called at any time.
 */
public final class JobRunWatcher {
    public static final Set<JobRunState> TERMINAL = EnumSet.of(JobRunState.SUCCESS, JobRunState.FAILED, JobRunState.CANCELLED);
    /** After a CancelJobRun: a look every second until the service shows the cancel (its deadline is the caller's). */
    static final PollPolicy CANCEL_CONFIRMATION = PollPolicy.builder().fixed(Duration.ofSeconds(1)).timeout(Duration.ofMinutes(1))
            .build();

    private final EmrServerlessClient emr;
    private final S3Client s3;
    private final ProgressListener listener;
    private final Clock clock;
    private final Poller<JobRun> poller;
    private final Poller<JobRun> confirm;
    private final PriceTable prices;
    private final DoubleSupplier random;

    public JobRunWatcher(EmrServerlessClient emr, S3Client s3, ProgressListener listener) {
        this(emr, s3, listener, PollPolicy.JOB_RUN, Clock.systemUTC(), Poller.RANDOM);
    }

    public JobRunWatcher(EmrServerlessClient emr, S3Client s3, ProgressListener listener, PollPolicy policy, Clock clock,
            DoubleSupplier random) {
        this(emr, s3, listener, clock, policy, random, PriceTable.LIST);
    }

    private JobRunWatcher(EmrServerlessClient emr, S3Client s3, ProgressListener listener, Clock clock, PollPolicy policy,
            DoubleSupplier random, PriceTable prices) {
        this.prices = prices;
        this.emr = emr;
        this.s3 = s3;
        this.listener = listener == null ? ProgressListener.NONE : listener;
        this.clock = clock;
        this.poller = new Poller<>(policy, List.of(
                Acceptor.successOn(r -> r.state() == JobRunState.SUCCESS),
                Acceptor.failureOn(r -> r.state() == JobRunState.FAILED || r.state() == JobRunState.CANCELLED,
                        JobRun::stateDetails),
                Acceptor.retryOnException(AwsErrors::isTransient)), JobRun::stateAsString, random);
        this.confirm = new Poller<>(CANCEL_CONFIRMATION, List.of(
                Acceptor.successOn(r -> r.state() == JobRunState.CANCELLING || TERMINAL.contains(r.state())),
                Acceptor.retryOnException(AwsErrors::isTransient)), JobRun::stateAsString, random);
        this.random = random;
    }

    /**
     * The same watcher pricing the runs it sees end by {@code table} (a price file's) instead of the list prices;
     * {@code null} keeps the list prices.
     */
    public JobRunWatcher withPrices(PriceTable table) {
        return new JobRunWatcher(emr, s3, listener, clock, poller.policy(), random, table == null ? PriceTable.LIST : table);
    }

    /** Begins watching a submitted run, giving up after {@code waitTimeout} (the policy's timeout when {@code null}). */
    public WatchStep begin(SubmittedJobRun run, Duration waitTimeout) {
        return begin(run, waitTimeout, null);
    }

    /**
     * Begins watching after taking the history of the same job's earlier runs ({@link JobRunHistory}: one ListJobRuns
     * walk; without it, or when it fails, the wait polls as {@link #begin(SubmittedJobRun, Duration)} does).
     */
    public WatchStep beginWithHistory(SubmittedJobRun run, Duration waitTimeout) {
        return begin(run, waitTimeout, new JobRunHistory(emr, listener, clock).lookup(run));
    }

    /**
     * Begins watching a submitted run whose job's earlier runs took {@code history} ({@code null}: unknown); the
     * history is kept in the watch, so a resumed wait keeps its rhythm.
     */
    public WatchStep begin(SubmittedJobRun run, Duration waitTimeout, RunHistory history) {
        Instant now = clock.instant();
        Instant deadline = waitTimeout == null ? poller.policy().deadlineFrom(now) : now.plus(waitTimeout);
        PollOutcome<JobRun> start = poller.start(now, deadline, history);
        String givingUp = "giving up after " + Poller.human(Duration.between(now, deadline));
        PollPolicy.Schedule plan = poller.policy().scheduleFor(history);
        if (plan != null) {
            listener.info("Waiting for job run " + run.jobRunId() + ": expecting " + history.describe() + "; polling "
                    + (plan.sparseUntil().compareTo(plan.denseEvery()) > 0 ? "sparsely until " + Poller.human(plan.sparseUntil())
                            + ", " : "") + "every " + Poller.human(plan.denseEvery()) + " until "
                    + Poller.human(plan.denseUntil()) + ", then less often; " + givingUp);
        } else {
            listener.info("Waiting for job run " + run.jobRunId() + " (first look in " + Poller.human(start.delay())
                    + ", then less often as it runs; " + givingUp + ")"
                    + (history != null ? "; " + history.count() + " earlier successful " + (history.count() == 1 ? "run" : "runs")
                            + " of '" + history.name() + "' in " + JobRunHistory.LOOKBACK.toDays() + " days, "
                            + RunHistory.MIN_RUNS + " needed to poll by them" : ""));
        }
        return new WatchStep(new JobRunWatch(run, start.state()), start.delay(), null);
    }

    /** One poll: GetJobRun, the decision, the log line when the state changed. */
    public WatchStep poll(JobRunWatch watch) {
        SubmittedJobRun run = watch.run();
        Instant now = clock.instant();
        PollOutcome<JobRun> o = poller.poll(watch.poll(), now,
                () -> emr.getJobRun(g -> g.applicationId(run.applicationId()).jobRunId(run.jobRunId())).jobRun());
        JobRunWatch next = new JobRunWatch(run, o.state());
        if (o.changed()) {
            JobRun r = o.response();
            listener.info("Job run " + run.jobRunId() + " is " + r.stateAsString() + " (after "
                    + Poller.human(Duration.between(watch.poll().startedAt(), now)) + ")"
                    + (r.stateDetails() != null && !r.stateDetails().isBlank() ? ": " + r.stateDetails() : ""));
        }
        return switch (o.status()) {
            case WAIT -> {
                if (o.error() != null) {
                    listener.warn("Could not get the job run's state (" + AwsErrors.describe(o.error()) + "); trying again in "
                            + Poller.human(o.delay()));
                }
                yield new WatchStep(next, o.delay(), null);
            }
            case SUCCESS, FAILURE -> {
                if (o.response() == null && AwsErrors.isExpiredCredentials(o.error())) {
                    throw expired("Stopped watching", run, watch.poll().observed(), o.error());
                }
                if (o.response() == null) {
                    throw new EngineException("Could not watch job run " + run.jobRunId() + ": "
                            + AwsErrors.describe(o.error()), o.error());
                }
                yield new WatchStep(next, Duration.ZERO, finish(run, o.response(), o.state()));
            }
            case TIMED_OUT -> {
                listener.warn("Stopped waiting for job run " + run.jobRunId() + ": " + o.message());
                yield new WatchStep(next, Duration.ZERO, new JobRunResult(run, o.state().observed(), null, true, null, null,
                        o.state().attempt(), null));
            }
        };
    }

    /** Polls until the run ends or the wait gives up, sleeping in between; interrupts end the wait (the caller cancels). */
    public JobRunResult await(WatchStep from, PollLoop.Sleeper sleeper) throws InterruptedException {
        WatchStep step = from;
        while (!step.done()) {
            Duration wait = Duration.between(clock.instant(), step.watch().poll().nextPollAt());
            sleeper.sleep(wait.isNegative() ? Duration.ZERO : wait);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            try {
                step = poll(step.watch());
            } catch (EngineException | AbortedException e) {
                // An interrupt during the HTTP call surfaces as the SDK's AbortedException: still an interrupt.
                if (Thread.interrupted() || e instanceof AbortedException || e.getCause() instanceof AbortedException) {
                    InterruptedException interrupted = new InterruptedException("interrupted while polling the job run");
                    interrupted.initCause(e);
                    throw interrupted;
                }
                throw e;
            }
        }
        return step.result();
    }

    /**
     * The credentials expired under a wait: the job run is not over, only our view of it. Says so, where to see it and
     * how to cancel it, and what credentials last (a build log shows the message, without a stack trace).
     */
    static EngineException expired(String what, SubmittedJobRun run, String lastSeen, Throwable cause) {
        String region = run.region() == null ? "" : " --region " + run.region();
        return new EngineException(what + " job run " + run.jobRunId() + ": the AWS credentials expired ("
                + AwsErrors.describe(cause) + "). The job run is not cancelled: it goes on in EMR Serverless"
                + (lastSeen != null ? " (last seen " + lastSeen + ")" : "") + ". See it at "
                + JobRunLinks.consoleUrl(run.region(), run.applicationId(), run.jobRunId())
                + " ; cancel it there or with: aws emr-serverless cancel-job-run --application-id " + run.applicationId()
                + " --job-run-id " + run.jobRunId() + region + ". Session credentials (AWS_SESSION_TOKEN, withAWS(role: …)) "
                + "last about an hour; for long waits use credentials that refresh (a Jenkins AWS credential, an instance "
                + "profile or IAM role of the machine)", cause);
    }

    /**
     * Asks the service to cancel the run (CancelJobRun); the run goes through CANCELLING to CANCELLED, which the watch
     * then sees. A run that already ended is left alone.
     *
     * @param gracePeriod how long Spark may shut down cleanly before it is killed, or {@code null} for the service's default
     */
    public void cancel(SubmittedJobRun run, Duration gracePeriod) {
        try {
            emr.cancelJobRun(c -> c.applicationId(run.applicationId()).jobRunId(run.jobRunId())
                    .shutdownGracePeriodInSeconds(gracePeriod == null ? null : Math.toIntExact(gracePeriod.toSeconds())));
            listener.info("Cancelling job run " + run.jobRunId()
                    + (gracePeriod != null ? " (grace period " + Poller.human(gracePeriod) + ")" : ""));
        } catch (SdkException e) {
            if (AwsErrors.isExpiredCredentials(e)) {
                throw expired("Could not cancel", run, null, e);
            }
            JobRun now = emr.getJobRun(g -> g.applicationId(run.applicationId()).jobRunId(run.jobRunId())).jobRun();
            if (TERMINAL.contains(now.state())) {
                listener.info("Job run " + run.jobRunId() + " had already ended (" + now.stateAsString() + ")");
                return;
            }
            throw new EngineException("CancelJobRun " + run.jobRunId() + " failed: " + AwsErrors.describe(e), e);
        }
    }

    /**
     * Cancels the run ({@link #cancel}) and begins to confirm it: {@link #confirmCancel} then looks every second until
     * the service shows the run CANCELLING or ended, for at most {@code patience}. For a Jenkins step's {@code stop()},
     * which should end soon and hold no thread: the service finishes the cancel on its own.
     */
    public WatchStep beginCancel(SubmittedJobRun run, Duration gracePeriod, Duration patience) {
        cancel(run, gracePeriod);
        return awaitCancel(run, patience);
    }

    /**
     * Begins to confirm a cancel asked for earlier (e.g. before a controller restart): as {@link #beginCancel}
     * without a second CancelJobRun.
     */
    public WatchStep awaitCancel(SubmittedJobRun run, Duration patience) {
        Instant now = clock.instant();
        PollOutcome<JobRun> start = confirm.start(now, now.plus(patience));
        return new WatchStep(new JobRunWatch(run, start.state()), start.delay(), null);
    }

    /** One look after {@link #beginCancel}: done once the run is CANCELLING or has ended, or the patience is up. */
    public WatchStep confirmCancel(JobRunWatch watch) {
        SubmittedJobRun run = watch.run();
        PollOutcome<JobRun> o = confirm.poll(watch.poll(), clock.instant(),
                () -> emr.getJobRun(g -> g.applicationId(run.applicationId()).jobRunId(run.jobRunId())).jobRun());
        JobRunWatch next = new JobRunWatch(run, o.state());
        return switch (o.status()) {
            case WAIT -> new WatchStep(next, o.delay(), null);
            case SUCCESS -> {
                JobRun r = o.response();
                listener.info("Job run " + run.jobRunId() + " is " + r.stateAsString()
                        + (r.stateDetails() != null && !r.stateDetails().isBlank() ? ": " + r.stateDetails() : ""));
                yield new WatchStep(next, Duration.ZERO, new JobRunResult(run, r.stateAsString(), r.stateDetails(), false,
                        null, r.attempt(), o.state().attempt(), null));
            }
            case FAILURE, TIMED_OUT -> {
                listener.warn("Could not see the cancel of job run " + run.jobRunId() + " take effect (" + o.message()
                        + "); check it in the console: " + run.consoleUrl());
                yield new WatchStep(next, Duration.ZERO, new JobRunResult(run, o.state().observed(), null, true, null, null,
                        o.state().attempt(), null));
            }
        };
    }

    /**
     * Cancels and waits until the run has ended (at most the grace period plus {@code patience}), then returns how
     * it ended. For the CLI's Ctrl-C and a timed-out wait.
     */
    public JobRunResult cancelAndAwait(SubmittedJobRun run, Duration gracePeriod, Duration patience, PollLoop.Sleeper sleeper)
            throws InterruptedException {
        cancel(run, gracePeriod);
        Duration limit = patience.plus(gracePeriod == null ? Duration.ZERO : gracePeriod);
        Instant now = clock.instant();
        PollState state = new PollState(now, now.plus(limit), 0, JobRunState.CANCELLING.toString(), now.plusSeconds(1));
        return await(new WatchStep(new JobRunWatch(run, state), Duration.ofSeconds(1), null), sleeper);
    }

    private JobRunResult finish(SubmittedJobRun run, JobRun r, PollState state) {
        Long seconds = r.totalExecutionDurationSeconds() == null ? null : r.totalExecutionDurationSeconds().longValue();
        String tail = null;
        if (r.state() == JobRunState.SUCCESS) {
            listener.info("Job run " + run.jobRunId() + " succeeded" + (seconds != null ? " (" + seconds + " s of execution)" : ""));
        } else {
            listener.warn("Job run " + run.jobRunId() + " ended " + r.stateAsString()
                    + (r.stateDetails() != null && !r.stateDetails().isBlank() ? ": " + r.stateDetails() : ""));
            tail = stderrTail(run);
        }
        JobRunCost cost = cost(run, r);
        listener.info("Job run " + run.jobRunId() + ": " + cost.line());
        listener.link("EMR Serverless job run " + run.jobRunId(), run.consoleUrl());
        return new JobRunResult(run, r.stateAsString(), r.stateDetails(), false, seconds, r.attempt(), state.attempt(), tail, cost);
    }

    /**
     * What an ended run was billed and cost: its figures from {@code r} (the GetJobRun that saw it end), priced for the
     * application's region and architecture (one GetApplication; the service's default X86_64 when it reports none).
     * A failed GetApplication leaves the cost without dollars, said in the line: the cost never fails a wait.
     */
    public JobRunCost cost(SubmittedJobRun run, JobRun r) {
        String architecture;
        try {
            Architecture a = emr.getApplication(g -> g.applicationId(run.applicationId())).application().architecture();
            architecture = a == null || a == Architecture.UNKNOWN_TO_SDK_VERSION ? Architecture.X86_64.toString() : a.toString();
        } catch (SdkException e) {
            return JobRunCost.of(r, run.region(), null, prices).withoutPrice("could not read the application's architecture ("
                    + AwsErrors.describe(e) + ")");
        }
        return JobRunCost.of(r, run.region(), architecture, prices);
    }

    /** Prints and returns the end of the driver's stderr when the run's logs go to S3; {@code null} otherwise. */
    public String stderrTail(SubmittedJobRun run) {
        if (run.logUri() == null) {
            listener.info("The job's logs are not sent to S3 (no log-uri), so its driver output is in the console: "
                    + run.consoleUrl());
            return null;
        }
        S3Location logUri = S3Location.parse(run.logUri(), "log-uri");
        try {
            Optional<DriverLogs.Tail> tail = DriverLogs.tail(s3, logUri, run.applicationId(), run.jobRunId(), DriverLogs.DEFAULT_LINES);
            if (tail.isEmpty()) {
                listener.info("The driver's stderr is not in S3 (yet) at " + JobRunLinks.driverStderr(logUri, run.applicationId(),
                        run.jobRunId()) + "; the service uploads logs shortly after the run ends");
                return null;
            }
            DriverLogs.Tail t = tail.get();
            listener.warn("The driver's stderr ends with (" + t.location() + (t.skipped() > 0 ? ", last " + t.lines().size()
                    + " lines" : "") + "):");
            for (String line : t.lines()) {
                listener.info("| " + line);
            }
            return String.join("\n", t.lines());
        } catch (IOException | SdkException e) {
            listener.warn("Could not read the driver's stderr from " + logUri + ": " + AwsErrors.describe(e));
            return null;
        }
    }
}
