package io.jenkins.plugins.kedroemrs.jenkins.emrs;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Run;
import io.jenkins.plugins.kedroemrs.core.aws.AmbientAws;
import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.emrs.JobRunResult;
import io.jenkins.plugins.kedroemrs.core.emrs.JobRunWatch;
import io.jenkins.plugins.kedroemrs.core.emrs.JobRunWatcher;
import io.jenkins.plugins.kedroemrs.core.emrs.JobSubmitter;
import io.jenkins.plugins.kedroemrs.core.emrs.SubmitJobOptions;
import io.jenkins.plugins.kedroemrs.core.emrs.SubmitRequest;
import io.jenkins.plugins.kedroemrs.core.emrs.SubmittedJobRun;
import io.jenkins.plugins.kedroemrs.core.emrs.WatchStep;
import io.jenkins.plugins.kedroemrs.core.polling.Poller;
import io.jenkins.plugins.kedroemrs.core.util.Json;
import io.jenkins.plugins.kedroemrs.jenkins.Failures;
import io.jenkins.plugins.kedroemrs.jenkins.aws.AwsFields;
import io.jenkins.plugins.kedroemrs.jenkins.kedro.PackageResults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * {@code emrsSubmit}'s execution. Every piece runs on the timer (see {@link TimerStepExecution}); what it saves after
 * each piece says where it is:
 *
 * <ol>
 *   <li>STAGING: read the packaging result, copy the entry point from the agent, upload it ({@link JobSubmitter#stage}).
 *       Then the staged request (entry point in S3, run id fixed) is saved before anything is started.</li>
 *   <li>STARTING: StartJobRun ({@link JobSubmitter#start}). Its client token comes from the run identity (controller,
 *       build, build start, flow node): sent again after a restart it returns the same job run, never a second one.</li>
 *   <li>SUBMITTED: the job run is saved first, and only then announced, added to the sidebar and watched.</li>
 *   <li>WATCHING: one GetJobRun per piece, on the engine's job-run rhythm ({@link JobRunWatcher#poll}), which follows
 *       the history of the job's earlier runs taken (one ListJobRuns walk) when the watch began and saved with it.</li>
 *   <li>CANCELLING: after {@link #stop} or when the run outlasted the wait: CancelJobRun, then a look every second
 *       until the service shows CANCELLING, at most {@link #CANCEL_PATIENCE}; then the step fails.</li>
 * </ol>
 * A controller restart resumes from the saved phase with the same job run id.
 */
final class SubmitExecution extends TimerStepExecution {
    private static final long serialVersionUID = 1L;
    static final Duration CANCEL_PATIENCE = Duration.ofSeconds(30);
    static final String STAGING = "STAGING";
    static final String STARTING = "STARTING";
    static final String SUBMITTED = "SUBMITTED";
    static final String WATCHING = "WATCHING";
    static final String CANCELLING = "CANCELLING";

    private final String optionsJson;
    private final String packageResult;
    private final String runId;
    private final String priceFile;
    /** The price file's text, read from the workspace when the step began (null: the list prices). */
    private volatile String pricesJson;
    private volatile String phase = STAGING;
    private volatile String stagedJson;
    private volatile String runJson;
    private volatile String watchJson;
    private volatile String cancelReason;

    SubmitExecution(StepContext context, SubmitJobOptions options, Object packageResult, String priceFile, String runId,
            AwsFields aws, String functionName) {
        super(context, aws, functionName);
        String remembered = PackageResults.remember(packageResult);
        options.checkWith(remembered != null); // every problem at once, before anything runs
        this.optionsJson = Json.write(options);
        this.packageResult = remembered;
        this.runId = runId;
        this.priceFile = priceFile;
    }

    @Override
    public boolean start() {
        schedule(Duration.ZERO, this::stage);
        return false;
    }

    private SubmitJobOptions options() {
        return Json.read(optionsJson, SubmitJobOptions.class, "emrsSubmit options");
    }

    private JobSubmitter submitter() throws Exception {
        AwsClientFactory c = clients();
        return new JobSubmitter(c.emrServerless(), c.s3(), c.region().id(), progress());
    }

    private JobRunWatcher watcher() throws Exception {
        AwsClientFactory c = clients();
        return new JobRunWatcher(c.emrServerless(), c.s3(), progress(), PollPolicies.jobRuns(), Clock.systemUTC(), Poller.RANDOM)
                .withPrices(PriceFiles.table(pricesJson, priceFile));
    }

    private void save() throws Exception {
        getContext().saveState().get(1, TimeUnit.MINUTES);
    }

    /** STAGING: the request with its entry point uploaded, saved before StartJobRun. */
    private void stage() throws Exception {
        if (options().waitForRun() && aws.getCredentialsId() == null
                && AmbientAws.sessionFromEnvironment(null, getContext().get(EnvVars.class))) {
            // withAWS(role: …) / withCredentials: the session is frozen into this wait, and a restart reads the same one again.
            progress().warn(AmbientAws.sessionWarning("credentialsId (a Jenkins AWS credential, refreshed as it runs)"));
        }
        pricesJson = PriceFiles.read(getContext().get(FilePath.class), priceFile); // bad prices fail before any AWS call
        Path local = Files.createTempDirectory("kedro-emrs-entrypoint");
        try {
            SubmitRequest.Builder request = PackageResults.addTo(options().toRequest().runId(runId), packageResult,
                    getContext().get(FilePath.class), local);
            stagedJson = Json.write(submitter().stage(request.build()));
        } finally {
            Util.deleteRecursive(local.toFile());
        }
        phase = STARTING;
        save();
        startJobRun();
    }

    /** STARTING: StartJobRun with the saved request; the job run is saved before anything else. */
    private void startJobRun() throws Exception {
        if (isStopping()) {
            return;
        }
        SubmittedJobRun run = submitter().start(Json.read(stagedJson, SubmitRequest.class, "emrsSubmit request"));
        runJson = Json.write(run);
        phase = SUBMITTED;
        save();
        submitted(run);
    }

    /** SUBMITTED: announce the run, add it to the sidebar, then watch it (or return it). */
    private void submitted(SubmittedJobRun run) throws Exception {
        submitter().announce(run);
        action(run);
        getContext().get(Run.class).save();
        SubmitJobOptions options = options();
        if (!options.waitForRun()) {
            succeed(run.toMap());
            return;
        }
        // The history of the job's earlier runs is taken once, here, and saved with the watch: a resumed wait keeps its rhythm.
        watch(watcher().beginWithHistory(run, options.waitTimeout()));
    }

    private void poll() throws Exception {
        watch(watcher().poll(JobRunWatch.fromJson(watchJson)));
    }

    /** WATCHING: save the watch, poll again later; or end as the run ended. */
    private void watch(WatchStep step) throws Exception {
        String before = watchJson == null ? null : JobRunWatch.fromJson(watchJson).poll().observed();
        watchJson = step.watch().toJson();
        phase = WATCHING;
        String now = step.watch().poll().observed();
        if (step.done() && step.result().cost() != null) {
            action(step.watch().run()).setEnd(step.result().state(), step.result().cost());
            getContext().saveState();
        } else if (now != null && !now.equals(before)) {
            action(step.watch().run()).setState(now);
            getContext().saveState();
        }
        if (!step.done()) {
            schedule(step.delay(), this::poll);
            return;
        }
        JobRunResult result = step.result();
        SubmittedJobRun run = step.watch().run();
        if (result.timedOut()) {
            cancel(run, "Job run " + run.jobRunId() + " outlasted the wait (waitTimeout) while " + result.state()
                    + "; it was cancelled", true, null);
        } else if (result.succeeded()) {
            succeed(result.toMap());
        } else {
            fail(Failures.abort("Job run " + run.jobRunId() + " ended " + result.state()
                    + (result.stateDetails() != null && !result.stateDetails().isBlank() ? ": " + result.stateDetails() : "")));
        }
    }

    private JobRunAction action(SubmittedJobRun run) throws Exception {
        Run<?, ?> build = getContext().get(Run.class);
        JobRunAction a = JobRunAction.of(build, run.jobRunId());
        if (a == null) {
            a = new JobRunAction(run, aws.resolvedWith(clients().settings(), run.region()), "SUBMITTED");
            build.addAction(a);
        }
        return a;
    }

    /**
     * CANCELLING: CancelJobRun (unless it was sent before a restart), then a brief look until the service shows it;
     * then the step fails with {@code cause}, or with {@code reason} when there is none.
     */
    private void cancel(SubmittedJobRun run, String reason, boolean send, Throwable cause) throws Exception {
        cancelReason = reason;
        phase = CANCELLING;
        save();
        JobRunWatcher w = watcher();
        confirm(send ? w.beginCancel(run, options().cancelGrace(), CANCEL_PATIENCE) : w.awaitCancel(run, CANCEL_PATIENCE), cause);
    }

    private void confirm(WatchStep step, Throwable cause) throws Exception {
        watchJson = step.watch().toJson();
        if (!step.done()) {
            scheduleStopWork(step.delay(), () -> confirm(watcher().confirmCancel(JobRunWatch.fromJson(watchJson)), cause));
            return;
        }
        if (step.result().state() != null) {
            action(step.watch().run()).setState(step.result().state());
        }
        fail(cause != null ? cause : Failures.abort(cancelReason));
    }

    @Override
    protected void resume() throws Exception {
        progress().info("Jenkins restarted: carrying on from " + phase
                + (runJson != null ? " with job run " + run().jobRunId() : ""));
        switch (phase) {
            case STAGING -> stage();
            case STARTING -> startJobRun();
            case SUBMITTED -> submitted(run());
            case WATCHING -> poll();
            case CANCELLING -> cancel(run(), cancelReason, false, null);
            default -> fail(new IllegalStateException("emrsSubmit: unknown phase " + phase));
        }
    }

    /**
     * Stops the step: CancelJobRun for a submitted run and a brief look until the service shows CANCELLING, on the
     * timer; the step fails with {@code cause} then. Before StartJobRun, nothing was started and the step just fails.
     */
    @Override
    protected void onStop(Throwable cause) throws Exception {
        if (runJson == null) {
            progress().warn("Stopped before a job run was started" + (STARTING.equals(phase)
                    ? " (StartJobRun was about to be sent with run id " + runId + ": if it was, the console shows that run)" : "")
                    + ".");
            fail(cause);
            return;
        }
        SubmittedJobRun run = run();
        boolean sent = CANCELLING.equals(phase);
        progress().warn("Stopped: cancelling job run " + run.jobRunId());
        cancel(run, "Stopped; job run " + run.jobRunId() + " was cancelled", !sent, cause);
    }

    private SubmittedJobRun run() {
        return Json.read(runJson, SubmittedJobRun.class, "job run");
    }

    @Override
    protected String status() {
        return switch (phase) {
            case STAGING -> "uploading the entry point for run " + runId;
            case STARTING -> "starting the job run (run id " + runId + ")";
            case SUBMITTED -> "job run " + run().jobRunId() + " submitted";
            case CANCELLING -> "cancelling job run " + run().jobRunId()
                    + ": waiting for the service to show CANCELLING";
            default -> JobRunWatch.fromJson(watchJson).status(Instant.now());
        };
    }
}
