package io.jenkins.plugins.kedroemrs.jenkins.emrs;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import hudson.model.ItemGroup;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.kedroemrs.jenkins.aws.AwsFields;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.TestExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;
import org.kohsuke.stapler.DataBoundConstructor;
import org.springframework.security.core.Authentication;

/**
 * What every waiting step shares ({@link TimerStepExecution}), through a step of this test ({@code timerProbe}) whose
 * work does what the real steps' work may meet: an {@link Error} that is not a {@link LinkageError}, and a credentials
 * lookup that takes its time (an AssumeRole, a slow credentials provider) while the build is aborted.
 */
@WithJenkins
class TimerStepExecutionTest {

    @Test
    void anErrorInAPieceOfWorkFailsTheStepInsteadOfLeavingItHanging(JenkinsRule r) throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, "error");
        job.setDefinition(new CpsFlowDefinition("timerProbe what: 'error'", true));
        // Without an end the build would wait for onFailure forever: bounded here, so the test fails instead.
        WorkflowRun run = job.scheduleBuild2(0).get(2, TimeUnit.MINUTES);
        r.assertBuildStatus(Result.FAILURE, run);
        r.assertLogContains("AssertionError: an Error that is not a LinkageError", run);
    }

    @Test
    void anAbortDoesNotWaitForASlowCredentialsLookup(JenkinsRule r) throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, "slow");
        job.setDefinition(new CpsFlowDefinition("timerProbe what: 'clients'", true));
        WorkflowRun run = job.scheduleBuild2(0).waitForStart();
        assertThat(SlowCredentials.entered.await(1, TimeUnit.MINUTES)).as("the lookup started").isTrue();
        StepExecution execution = run.getExecution().getCurrentExecutions(true).get(1, TimeUnit.MINUTES).get(0);
        try {
            // stop() is what an abort calls, on the CPS VM thread: it must return while the lookup still runs.
            CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> {
                try {
                    execution.stop(new InterruptedException("aborted"));
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            stop.get(30, TimeUnit.SECONDS);
        } finally {
            SlowCredentials.release.countDown();
        }
        // The piece under way ends the step as it would have anyway (this provider knows no such credentials).
        r.assertBuildStatus(Result.FAILURE, r.waitForCompletion(run));
        r.assertLogContains("no AWS credentials with id \"slow-credentials\"", run);
    }

    /** Looks credentials up slowly (the first lookup waits until the test lets it go). */
    @TestExtension("anAbortDoesNotWaitForASlowCredentialsLookup")
    public static final class SlowCredentials extends CredentialsProvider {
        static final CountDownLatch entered = new CountDownLatch(1);
        static final CountDownLatch release = new CountDownLatch(1);

        @Override
        public <C extends Credentials> List<C> getCredentialsInItemGroup(Class<C> type, ItemGroup itemGroup,
                Authentication authentication, List<DomainRequirement> domainRequirements) {
            if (type.isAssignableFrom(AmazonWebServicesCredentials.class) || AmazonWebServicesCredentials.class.isAssignableFrom(type)) {
                entered.countDown();
                try {
                    release.await(2, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return List.of();
        }
    }

    public static final class ProbeStep extends Step {
        private final String what;

        @DataBoundConstructor
        public ProbeStep(String what) {
            this.what = what;
        }

        public String getWhat() {
            return what;
        }

        @Override
        public StepExecution start(StepContext context) {
            return new Probe(context, what);
        }

        @TestExtension
        public static final class DescriptorImpl extends StepDescriptor {
            @Override
            public String getFunctionName() {
                return "timerProbe";
            }

            @Override
            public Set<? extends Class<?>> getRequiredContext() {
                return Set.of(Run.class, TaskListener.class);
            }
        }
    }

    static final class Probe extends TimerStepExecution {
        private static final long serialVersionUID = 1L;
        private final String what;

        Probe(StepContext context, String what) {
            super(context, new AwsFields("slow-credentials", "us-east-1", null, null), "timerProbe");
            this.what = what;
        }

        @Override
        public boolean start() {
            schedule(Duration.ZERO, () -> {
                if (what.equals("error")) {
                    throw new AssertionError("an Error that is not a LinkageError");
                }
                clients(); // looks the credentials up (slowly), then fails: no such credentials
            });
            return false;
        }

        @Override
        protected void onStop(Throwable cause) {
            fail(new IllegalStateException("stopped: " + cause.getMessage()));
        }

        @Override
        protected void resume() {
        }

        @Override
        protected String status() {
            return "probing";
        }
    }
}
