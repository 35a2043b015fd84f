package io.jenkins.plugins.kedroemrs.jenkins.builders;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.Launcher;
import hudson.model.AbstractBuild;
import hudson.model.BuildListener;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.Builder;
import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.aws.AmbientAws;
import io.jenkins.plugins.kedroemrs.core.aws.AwsClientFactory;
import io.jenkins.plugins.kedroemrs.core.emrs.ApplicationRestarter;
import io.jenkins.plugins.kedroemrs.core.emrs.RestartAppOptions;
import io.jenkins.plugins.kedroemrs.core.emrs.RestartResult;
import io.jenkins.plugins.kedroemrs.core.polling.PollLoop;
import io.jenkins.plugins.kedroemrs.core.polling.Poller;
import io.jenkins.plugins.kedroemrs.jenkins.Failures;
import io.jenkins.plugins.kedroemrs.jenkins.JenkinsProgress;
import io.jenkins.plugins.kedroemrs.jenkins.Messages;
import io.jenkins.plugins.kedroemrs.jenkins.VariablesAction;
import io.jenkins.plugins.kedroemrs.jenkins.emrs.PollPolicies;
import io.jenkins.plugins.kedroemrs.jenkins.steps.EmrsRestartAppStep;
import java.io.IOException;
import java.time.Clock;
import org.kohsuke.stapler.DataBoundConstructor;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code emrsRestartApp} as a freestyle build step. A freestyle build has no resumable executions, so it waits in its
 * own thread, as the CLI does; an abort interrupts the wait and the log says what the restart leaves behind. Passes
 * {@code EMRS_APPLICATION_ID}, {@code EMRS_APPLICATION_STATE}, {@code EMRS_IMAGE_URI} and
 * {@code EMRS_RESOLVED_IMAGE_DIGEST} on to later build steps.
 */
public final class EmrsRestartAppBuilder extends Builder {
    private final EmrsRestartAppStep step;

    @DataBoundConstructor
    public EmrsRestartAppBuilder(EmrsRestartAppStep step) {
        this.step = step;
    }

    public EmrsRestartAppStep getStep() {
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
        restart(build, env, listener);
        return true;
    }

    private void restart(Run<?, ?> run, EnvVars env, TaskListener listener) throws InterruptedException, IOException {
        try {
            RestartAppOptions options = step.options().expand(env::expand);
            var request = options.toRequest(AmbientAws.endpointOverridden(env));
            try (AwsClientFactory clients = new AwsClientFactory(step.awsFields().expand(env).settings(run, env))) {
                RestartResult result = new ApplicationRestarter(clients.emrServerless(), clients.region().id(),
                        new JenkinsProgress(listener, "emrsRestartApp"), PollPolicies.applications(), Clock.systemUTC(), Poller.RANDOM)
                        .restart(request, PollLoop.Sleeper.REAL);
                run.addAction(new VariablesAction(result.toEnvironment()));
            }
        } catch (EngineException e) {
            throw Failures.abort(e);
        } catch (SdkException e) {
            throw Failures.abort(e);
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepBuilderDescriptor {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.EmrsRestartAppBuilder_DisplayName();
        }
    }
}
