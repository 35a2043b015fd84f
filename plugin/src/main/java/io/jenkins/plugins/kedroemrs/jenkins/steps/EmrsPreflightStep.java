package io.jenkins.plugins.kedroemrs.jenkins.steps;

import static io.jenkins.plugins.kedroemrs.core.util.Text.orEmpty;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.emrs.EmrsInputs;
import io.jenkins.plugins.kedroemrs.core.emrs.SubmitJobOptions;
import io.jenkins.plugins.kedroemrs.core.preflight.PreflightRequest;
import io.jenkins.plugins.kedroemrs.core.validate.ValidateImageOptions;
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
 * {@code emrsPreflight}: the AWS set-up checked in seconds, before anything is built or started (the engine's
 * {@code Preflight}: every call at once). Prints the checks as a table; a FAIL fails the step with the failed checks
 * and their fixes; returns the report (a map: {@code passed}, {@code checks}, {@code account}, …).
 *
 * <pre>
 * emrsPreflight applicationId: '00fabcdefgh12345', executionRoleArn: role, imageUri: image,
 *               codeUri: 's3://bucket/code', logUri: 's3://bucket/logs'
 * </pre>
 */
public final class EmrsPreflightStep extends AwsStep {
    static final String FUNCTION = "emrsPreflight";

    private final String applicationId;
    private String executionRoleArn = "";
    private String imageUri = "";
    private String architecture = "";
    private String repository = "";
    private boolean ensureRepository;
    private boolean pullPolicyByBuild;
    private String codeUri = "";
    private String entrypointUri = "";
    private String logUri = "";
    private String cloudWatchLogGroup = "";
    private String sparkConf = "";
    private String sparkSubmitParameters = "";
    private String junit = "";

    @DataBoundConstructor
    public EmrsPreflightStep(String applicationId) {
        this.applicationId = orEmpty(applicationId);
    }

    public String getApplicationId() {
        return applicationId;
    }

    public String getExecutionRoleArn() {
        return executionRoleArn;
    }

    @DataBoundSetter
    public void setExecutionRoleArn(String executionRoleArn) {
        this.executionRoleArn = orEmpty(executionRoleArn);
    }

    public String getImageUri() {
        return imageUri;
    }

    @DataBoundSetter
    public void setImageUri(String imageUri) {
        this.imageUri = orEmpty(imageUri);
    }

    public String getArchitecture() {
        return architecture;
    }

    @DataBoundSetter
    public void setArchitecture(String architecture) {
        this.architecture = orEmpty(architecture);
    }

    public String getRepository() {
        return repository;
    }

    @DataBoundSetter
    public void setRepository(String repository) {
        this.repository = orEmpty(repository);
    }

    public boolean isEnsureRepository() {
        return ensureRepository;
    }

    @DataBoundSetter
    public void setEnsureRepository(boolean ensureRepository) {
        this.ensureRepository = ensureRepository;
    }

    public boolean isPullPolicyByBuild() {
        return pullPolicyByBuild;
    }

    /** The image build adds the pull statement for this application to the repository policy (emrsBuildImage applicationId). */
    @DataBoundSetter
    public void setPullPolicyByBuild(boolean pullPolicyByBuild) {
        this.pullPolicyByBuild = pullPolicyByBuild;
    }

    public String getCodeUri() {
        return codeUri;
    }

    @DataBoundSetter
    public void setCodeUri(String codeUri) {
        this.codeUri = orEmpty(codeUri);
    }

    public String getEntrypointUri() {
        return entrypointUri;
    }

    @DataBoundSetter
    public void setEntrypointUri(String entrypointUri) {
        this.entrypointUri = orEmpty(entrypointUri);
    }

    public String getLogUri() {
        return logUri;
    }

    @DataBoundSetter
    public void setLogUri(String logUri) {
        this.logUri = orEmpty(logUri);
    }

    public String getCloudWatchLogGroup() {
        return cloudWatchLogGroup;
    }

    @DataBoundSetter
    public void setCloudWatchLogGroup(String cloudWatchLogGroup) {
        this.cloudWatchLogGroup = orEmpty(cloudWatchLogGroup);
    }

    public String getSparkConf() {
        return sparkConf;
    }

    /** {@code key=value} Spark properties, one per line (as emrsSubmit's). */
    @DataBoundSetter
    public void setSparkConf(String sparkConf) {
        this.sparkConf = orEmpty(sparkConf);
    }

    public String getSparkSubmitParameters() {
        return sparkSubmitParameters;
    }

    @DataBoundSetter
    public void setSparkSubmitParameters(String sparkSubmitParameters) {
        this.sparkSubmitParameters = orEmpty(sparkSubmitParameters);
    }

    public String getJunit() {
        return junit;
    }

    /** Also write the checks as JUnit XML to this path in the workspace (for the junit step). */
    @DataBoundSetter
    public void setJunit(String junit) {
        this.junit = orEmpty(junit);
    }

    /** What the engine checks; empty fields are not given. Not checked yet (that needs the step's environment). */
    public PreflightRequest request() {
        return new PreflightRequest(applicationId.strip(), given(executionRoleArn), given(imageUri), given(architecture),
                given(repository), ensureRepository, pullPolicyByBuild, given(codeUri), given(entrypointUri), given(logUri),
                given(cloudWatchLogGroup), SubmitJobOptions.lines(sparkConf), given(sparkSubmitParameters));
    }

    private static String given(String value) {
        return value.isBlank() ? null : value.strip();
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        try {
            return Executions.preflight(context, request(), junit.strip(), awsFields(), FUNCTION);
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
            return Messages.EmrsPreflightStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class, EnvVars.class);
        }

        /** The application and the image or repository. */
        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            String image = text(namedArgs, "imageUri");
            String repository = text(namedArgs, "repository");
            String what = image != null && !image.isBlank() ? " for " + image : repository != null && !repository.isBlank()
                    ? " for " + repository : "";
            return orEmpty(text(namedArgs, "applicationId")) + what;
        }

        @POST
        public FormValidation doCheckApplicationId(@QueryParameter String value) {
            return Forms.check(() -> EmrsInputs.applicationId(value));
        }

        @POST
        public FormValidation doCheckJunit(@QueryParameter String value) {
            return Forms.check(() -> ValidateImageOptions.checkJunit(value));
        }

        @POST
        public FormValidation doCheckExecutionRoleArn(@QueryParameter String value) {
            return value == null || value.isBlank() ? FormValidation.ok() : Forms.check(() -> EmrsInputs.executionRoleArn(value));
        }
    }
}
