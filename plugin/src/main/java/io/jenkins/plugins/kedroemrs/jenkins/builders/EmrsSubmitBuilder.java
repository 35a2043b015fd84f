package io.jenkins.plugins.kedroemrs.jenkins.builders;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.AbortException;
import hudson.Launcher;
import hudson.model.AbstractBuild;
import hudson.model.BuildListener;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.Builder;
import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.emrs.JobRunResult;
import io.jenkins.plugins.kedroemrs.core.emrs.JobRunWatcher;
import io.jenkins.plugins.kedroemrs.core.emrs.JobSubmitter;
import io.jenkins.plugins.kedroemrs.core.emrs.RunIdentity;
import io.jenkins.plugins.kedroemrs.core.emrs.SubmitAndWait;
import io.jenkins.plugins.kedroemrs.core.emrs.SubmitJobOptions;
import io.jenkins.plugins.kedroemrs.core.emrs.SubmitRequest;
import io.jenkins.plugins.kedroemrs.core.polling.PollLoop;
import io.jenkins.plugins.kedroemrs.core.polling.Poller;
import io.jenkins.plugins.kedroemrs.jenkins.Failures;
import io.jenkins.plugins.kedroemrs.jenkins.JenkinsProgress;
import io.jenkins.plugins.kedroemrs.jenkins.Messages;
import io.jenkins.plugins.kedroemrs.jenkins.VariablesAction;
import io.jenkins.plugins.kedroemrs.jenkins.aws.AwsFields;
import io.jenkins.plugins.kedroemrs.jenkins.emrs.JobRunAction;
import io.jenkins.plugins.kedroemrs.jenkins.emrs.PriceFiles;
import io.jenkins.plugins.kedroemrs.jenkins.emrs.PollPolicies;
import io.jenkins.plugins.kedroemrs.jenkins.kedro.PackageResults;
import io.jenkins.plugins.kedroemrs.jenkins.steps.EmrsSubmitStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.DataBoundConstructor;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code emrsSubmit} as a freestyle build step. A freestyle build has no resumable executions, so it waits in its own
 * thread, as the CLI does (the engine's {@link SubmitAndWait}), and does what AWS CodeBuild's builder means to do on
 * an abort, done right: the interrupt ends the wait, CancelJobRun is sent, the wait goes on until the run is CANCELLED
 * (at most two minutes beyond the grace period), and the build ends ABORTED. The run gets a sidebar entry
 * ({@link JobRunAction}); {@code EMRS_JOB_RUN_ID}, {@code EMRS_JOB_RUN_STATE}, {@code EMRS_JOB_RUN_CONSOLE_URL},
 * {@code EMRS_JOB_RUN_LOGS} and {@code EMRS_APPLICATION_ID} go on to later build steps.
 */
public final class EmrsSubmitBuilder extends Builder {
    private final EmrsSubmitStep step;

    @DataBoundConstructor
    public EmrsSubmitBuilder(EmrsSubmitStep step) {
        this.step = step;
    }

    public EmrsSubmitStep getStep() {
        return step;
    }

    /**
     * Freestyle only (not a {@code SimpleBuildStep}): in a Pipeline this step would hold a thread for the whole wait and
     * be lost on a restart; Pipelines use the real step, which neither does.
     */
    @Override
    public boolean perform(AbstractBuild<?, ?> build, Launcher launcher, BuildListener listener) throws InterruptedException,
            IOException {
        EnvVars env = build.getEnvironment(listener);
        env.overrideAll(build.getBuildVariables());
        FilePath workspace = build.getWorkspace();
        if (workspace == null) {
            throw new AbortException("no workspace for " + build.getFullDisplayName());
        }
        perform(build, workspace, env, listener);
        return true;
    }

    private void perform(Run<?, ?> run, FilePath workspace, EnvVars env, TaskListener listener) throws InterruptedException,
            IOException {
        Path local = Files.createTempDirectory("kedro-emrs-entrypoint");
        try {
            SubmitJobOptions options = step.options().expand(env::expand);
            options.check();
            String priceFile = step.getPriceFile() == null ? null : env.expand(step.getPriceFile());
            String prices = PriceFiles.read(workspace, priceFile); // before any AWS call
            Object packageResult = step.getPackageResult();
            // The build's n-th submission: a freestyle step is not resumed, the identity only has to differ per builder.
            String runId = RunIdentity.jenkins(Jenkins.get().getLegacyInstanceId(), run.getExternalizableId(),
                    run.getStartTimeInMillis(), "freestyle-submit-" + (run.getActions(JobRunAction.class).size() + 1));
            SubmitRequest request = PackageResults.addTo(options.toRequest().runId(runId),
                    PackageResults.remember(packageResult instanceof String s ? env.expand(s) : packageResult), workspace, local).build();
            AwsFields aws = step.awsFields().expand(env);
            try (AwsClientFactory clients = new AwsClientFactory(aws.settings(run, env))) {
                JenkinsProgress progress = new JenkinsProgress(listener, "emrsSubmit");
                String region = clients.region().id();
                SubmitAndWait.Outcome outcome = new SubmitAndWait(
                        new JobSubmitter(clients.emrServerless(), clients.s3(), region, progress),
                        new JobRunWatcher(clients.emrServerless(), clients.s3(), progress, PollPolicies.jobRuns(), Clock.systemUTC(),
                                Poller.RANDOM).withPrices(PriceFiles.table(prices, priceFile)), progress)
                        .run(request, options.waitForRun(), options.waitTimeout(), options.cancelGrace(),
                                submitted -> run.addAction(new JobRunAction(submitted, aws.resolvedWith(clients.settings(), region),
                                        "SUBMITTED")), PollLoop.Sleeper.REAL);
                JobRunResult result = outcome.result();
                JobRunAction action = JobRunAction.of(run, outcome.run().jobRunId());
                if (result != null && action != null) {
                    action.setEnd(result.state(), result.cost());
                }
                run.addAction(new VariablesAction(result != null ? result.toEnvironment() : outcome.run().toEnvironment()));
                if (outcome.interrupted()) {
                    throw new InterruptedException("Aborted; job run " + outcome.run().jobRunId() + " was cancelled ("
                            + result.state() + ")");
                }
                if (!outcome.succeeded()) {
                    throw Failures.abort("Job run " + outcome.run().jobRunId() + (outcome.gaveUp()
                            ? " outlasted the wait (waitTimeout) and was cancelled (" + result.state() + ")"
                            : " ended " + result.state() + (result.stateDetails() != null ? ": " + result.stateDetails() : "")));
                }
            }
        } catch (EngineException e) {
            throw Failures.abort(e);
        } catch (SdkException e) {
            throw Failures.abort(e);
        } finally {
            Util.deleteRecursive(local.toFile());
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepBuilderDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.EmrsSubmitBuilder_DisplayName();
        }
    }
}
