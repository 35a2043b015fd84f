package io.jenkins.plugins.kedroemrs.bench;

import hudson.EnvVars;
import hudson.Extension;
import hudson.model.TaskListener;
import java.net.URI;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.emrserverless.EmrServerlessClient;
import software.amazon.awssdk.services.emrserverless.model.JobRunState;

/**
 * The benchmark's baseline (not a product): waits for an EMR Serverless job run as pipeline-aws and aws-codebuild wait
 * for theirs, a {@link SynchronousNonBlockingStepExecution} (a thread of its own for every waiting step, for as long as
 * it waits) that loops GetJobRun and {@link Thread#sleep}. AWS settings from the step's environment
 * ({@code AWS_REGION}, {@code AWS_ENDPOINT_URL}, {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}).
 */
public final class ThreadPerWaitStep extends Step {
    private final String applicationId;
    private final String jobRunId;
    private int pollSeconds = 5;

    @DataBoundConstructor
    public ThreadPerWaitStep(String applicationId, String jobRunId) {
        this.applicationId = applicationId;
        this.jobRunId = jobRunId;
    }

    public String getApplicationId() {
        return applicationId;
    }

    public String getJobRunId() {
        return jobRunId;
    }

    public int getPollSeconds() {
        return pollSeconds;
    }

    @DataBoundSetter
    public void setPollSeconds(int pollSeconds) {
        this.pollSeconds = pollSeconds;
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(this, context);
    }

    static final class Execution extends SynchronousNonBlockingStepExecution<String> {
        private static final long serialVersionUID = 1L;
        private final transient ThreadPerWaitStep step;

        Execution(ThreadPerWaitStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected String run() throws Exception {
            EnvVars env = getContext().get(EnvVars.class);
            TaskListener listener = getContext().get(TaskListener.class);
            var builder = EmrServerlessClient.builder().region(Region.of(env.get("AWS_REGION", "us-east-1")))
                    .httpClientBuilder(ApacheHttpClient.builder())
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                            env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"))));
            String endpoint = env.get("AWS_ENDPOINT_URL");
            if (endpoint != null && !endpoint.isBlank()) {
                builder.endpointOverride(URI.create(endpoint));
            }
            try (EmrServerlessClient emr = builder.build()) {
                while (true) {
                    JobRunState state = emr.getJobRun(g -> g.applicationId(step.applicationId).jobRunId(step.jobRunId)).jobRun().state();
                    switch (state) {
                        case SUCCESS, FAILED, CANCELLED -> {
                            listener.getLogger().println("Job run " + step.jobRunId + " is " + state);
                            return state.toString();
                        }
                        default -> Thread.sleep(step.pollSeconds * 1000L);
                    }
                }
            }
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "emrsWaitThreadPerWait";
        }

        @Override
        public String getDisplayName() {
            return "Wait for an EMR Serverless job run, a thread per wait (benchmark baseline)";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(EnvVars.class, TaskListener.class);
        }
    }
}
