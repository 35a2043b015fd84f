package io.jenkins.plugins.kedroemrs.jenkins.steps;

import static io.jenkins.plugins.kedroemrs.core.util.Text.orEmpty;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.emrs.EmrsInputs;
import io.jenkins.plugins.kedroemrs.core.emrs.RestartAppOptions;
import io.jenkins.plugins.kedroemrs.jenkins.Failures;
import io.jenkins.plugins.kedroemrs.jenkins.Forms;
import io.jenkins.plugins.kedroemrs.jenkins.Messages;
import io.jenkins.plugins.kedroemrs.jenkins.aws.AwsStep;
import io.jenkins.plugins.kedroemrs.jenkins.aws.AwsStepDescriptor;
import io.jenkins.plugins.kedroemrs.jenkins.emrs.Executions;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code emrsRestartApp}: stops a started EMR Serverless application (whose pre-initialised workers keep the old
 * image), points it at the new image, starts it and checks the digest it resolved. Returns that digest. Waits without
 * holding a thread, resumes after a controller restart; see {@link Executions#restart}.
 *
 * <pre>
 * def digest = emrsRestartApp applicationId: '00fabcdefgh12345', imageUri: image, runningJobs: 'wait'
 * </pre>
 */
public final class EmrsRestartAppStep extends AwsStep {
    static final String FUNCTION = "emrsRestartApp";

    private final String applicationId;
    private String imageUri = "";
    private String expectDigest = "";
    private String releaseLabel = "";
    private String runningJobs = "refuse";
    private boolean leaveStopped;
    private int appTimeout;
    private Integer cancelGracePeriod;

    @DataBoundConstructor
    public EmrsRestartAppStep(String applicationId) {
        this.applicationId = orEmpty(applicationId);
    }

    public String getApplicationId() {
        return applicationId;
    }

    public String getImageUri() {
        return imageUri;
    }

    /** The ECR image to run, best {@code repo@sha256:…}; empty keeps the application's. */
    @DataBoundSetter
    public void setImageUri(String imageUri) {
        this.imageUri = orEmpty(imageUri);
    }

    public String getExpectDigest() {
        return expectDigest;
    }

    @DataBoundSetter
    public void setExpectDigest(String expectDigest) {
        this.expectDigest = orEmpty(expectDigest);
    }

    public String getReleaseLabel() {
        return releaseLabel;
    }

    @DataBoundSetter
    public void setReleaseLabel(String releaseLabel) {
        this.releaseLabel = orEmpty(releaseLabel);
    }

    public String getRunningJobs() {
        return runningJobs;
    }

    /** {@code refuse} (default), {@code wait} or {@code cancel}. */
    @DataBoundSetter
    public void setRunningJobs(String runningJobs) {
        this.runningJobs = orEmpty(runningJobs).isEmpty() ? "refuse" : orEmpty(runningJobs);
    }

    public boolean isLeaveStopped() {
        return leaveStopped;
    }

    @DataBoundSetter
    public void setLeaveStopped(boolean leaveStopped) {
        this.leaveStopped = leaveStopped;
    }

    public int getAppTimeout() {
        return appTimeout;
    }

    /** The longest each application wait may take, in minutes; 0 means 15. */
    @DataBoundSetter
    public void setAppTimeout(int appTimeout) {
        this.appTimeout = appTimeout;
    }

    public Integer getCancelGracePeriod() {
        return cancelGracePeriod;
    }

    /** Seconds a job run cancelled with {@code runningJobs: 'cancel'} may shut down cleanly; empty: the service's default. */
    @DataBoundSetter
    public void setCancelGracePeriod(Integer cancelGracePeriod) {
        this.cancelGracePeriod = cancelGracePeriod;
    }

    /** The engine's options (one mapping for this step, its freestyle build step and the CLI). */
    public RestartAppOptions options() {
        return new RestartAppOptions(applicationId, imageUri, expectDigest, releaseLabel, runningJobs, leaveStopped, appTimeout,
                cancelGracePeriod == null ? null : cancelGracePeriod.longValue());
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        try {
            return Executions.restart(context, options(), awsFields(), FUNCTION);
        } catch (EngineException e) {
            throw Failures.abort(e);
        }
    }

    @Extension
    @Symbol(FUNCTION)
    public static final class DescriptorImpl extends AwsStepDescriptor {

        @Override
        public String getFunctionName() {
            return FUNCTION;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.EmrsRestartAppStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class, EnvVars.class);
        }

        /** The application, the image and what differs from the defaults. */
        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            return new RestartAppOptions(text(namedArgs, "applicationId"), text(namedArgs, "imageUri"), null,
                    text(namedArgs, "releaseLabel"), text(namedArgs, "runningJobs"), flag(namedArgs, "leaveStopped", false), 0,
                    null).summary();
        }

        @POST
        public FormValidation doCheckApplicationId(@QueryParameter String value) {
            return Forms.check(() -> RestartAppOptions.checkApplicationId(value));
        }

        @POST
        public FormValidation doCheckImageUri(@QueryParameter String value) {
            return Forms.check(() -> RestartAppOptions.checkImageUri(value));
        }

        @POST
        public FormValidation doCheckExpectDigest(@QueryParameter String value) {
            return Forms.check(() -> RestartAppOptions.checkExpectDigest(value));
        }

        @POST
        public FormValidation doCheckReleaseLabel(@QueryParameter String value) {
            return Forms.check(() -> RestartAppOptions.checkReleaseLabel(value));
        }

        @POST
        public FormValidation doCheckAppTimeout(@QueryParameter String value) {
            return Forms.check(() -> RestartAppOptions.appTimeout(orZero(EmrsInputs.wholeNumber("app-timeout", value))));
        }

        @POST
        public FormValidation doCheckCancelGracePeriod(@QueryParameter String value) {
            return Forms.check(() -> EmrsInputs.cancelGrace(EmrsInputs.wholeNumber("cancel-grace-period", value)));
        }

        @POST
        public ListBoxModel doFillRunningJobsItems() {
            ListBoxModel m = new ListBoxModel();
            m.add("refuse: fail and change nothing", "refuse");
            m.add("wait: until they end", "wait");
            m.add("cancel: cancel them, then restart", "cancel");
            return m;
        }
    }
}
