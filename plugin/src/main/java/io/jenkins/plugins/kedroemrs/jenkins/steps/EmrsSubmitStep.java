package io.jenkins.plugins.kedroemrs.jenkins.steps;

import static io.jenkins.plugins.kedroemrs.core.util.Text.blankToNull;
import static io.jenkins.plugins.kedroemrs.core.util.Text.lines;
import static io.jenkins.plugins.kedroemrs.core.util.Text.orEmpty;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.emrs.EmrsInputs;
import io.jenkins.plugins.kedroemrs.core.emrs.SubmitJobOptions;
import io.jenkins.plugins.kedroemrs.jenkins.Failures;
import io.jenkins.plugins.kedroemrs.jenkins.Forms;
import io.jenkins.plugins.kedroemrs.jenkins.Messages;
import io.jenkins.plugins.kedroemrs.jenkins.aws.AwsStep;
import io.jenkins.plugins.kedroemrs.jenkins.aws.AwsStepDescriptor;
import io.jenkins.plugins.kedroemrs.jenkins.emrs.Executions;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code emrsSubmit}: uploads the packaged project's entry point to S3, starts the EMR Serverless job run the Kedro
 * guide describes (with the image's custom Python) and waits for it without holding a thread; returns the job run id,
 * its final state and its links. Aborting the build cancels the job run; a controller restart resumes the same run.
 *
 * <pre>
 * def pkg = kedroPackage projectDir: 'spaceflights'
 * def run = emrsSubmit applicationId: '00fabcdefgh12345', executionRoleArn: role, packageResult: pkg,
 *                      codeUri: 's3://bucket/kedro/code', logUri: 's3://bucket/kedro/logs', env: 'emr', pipelines: 'data_processing'
 * echo "job run ${run.jobRunId}: ${run.state} ${run.links.console}"
 * </pre>
 */
public final class EmrsSubmitStep extends AwsStep {
    static final String FUNCTION = "emrsSubmit";

    private final String applicationId;
    private final String executionRoleArn;
    private Object packageResult;
    private String codeUri = "";
    private String entrypointUri = "";
    private String kedroVersion = "";
    private String logUri = "";
    private String cloudWatchLogGroup = "";
    private String cloudWatchStreamPrefix = "";
    private String imagePython = "";
    private String env = "";
    private String runner = SubmitJobOptions.DEFAULT_RUNNER;
    private String pipelines = "";
    private String tags = "";
    private String params = "";
    private String confSource = "";
    private String kedroArgs = "";
    private String sparkConf = "";
    private String sparkSubmitParameters = "";
    private String name = "";
    private int executionTimeout;
    private boolean wait = true;
    private int waitTimeout;
    private Integer cancelGracePeriod;
    private String priceFile;

    @DataBoundConstructor
    public EmrsSubmitStep(String applicationId, String executionRoleArn) {
        this.applicationId = orEmpty(applicationId);
        this.executionRoleArn = orEmpty(executionRoleArn);
    }

    public String getApplicationId() {
        return applicationId;
    }

    public String getExecutionRoleArn() {
        return executionRoleArn;
    }

    public Object getPackageResult() {
        return packageResult;
    }

    /**
     * What {@code kedroPackage} returned (a map), or the path of its {@code kedro-emrs-package.json} (or folder),
     * relative to the workspace.
     */
    @DataBoundSetter
    public void setPackageResult(Object packageResult) {
        this.packageResult = packageResult instanceof String s ? blankToNull(s) : packageResult;
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

    public String getKedroVersion() {
        return kedroVersion;
    }

    @DataBoundSetter
    public void setKedroVersion(String kedroVersion) {
        this.kedroVersion = orEmpty(kedroVersion);
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

    public String getCloudWatchStreamPrefix() {
        return cloudWatchStreamPrefix;
    }

    @DataBoundSetter
    public void setCloudWatchStreamPrefix(String cloudWatchStreamPrefix) {
        this.cloudWatchStreamPrefix = orEmpty(cloudWatchStreamPrefix);
    }

    public String getImagePython() {
        return imagePython;
    }

    @DataBoundSetter
    public void setImagePython(String imagePython) {
        this.imagePython = orEmpty(imagePython);
    }

    public String getEnv() {
        return env;
    }

    @DataBoundSetter
    public void setEnv(String env) {
        this.env = orEmpty(env);
    }

    public String getRunner() {
        return runner;
    }

    @DataBoundSetter
    public void setRunner(String runner) {
        this.runner = orEmpty(runner);
    }

    public String getPipelines() {
        return pipelines;
    }

    /** One per line or comma-separated. */
    @DataBoundSetter
    public void setPipelines(String pipelines) {
        this.pipelines = lines(pipelines);
    }

    public String getTags() {
        return tags;
    }

    @DataBoundSetter
    public void setTags(String tags) {
        this.tags = lines(tags);
    }

    public String getParams() {
        return params;
    }

    /** {@code name=value}, one per line or comma-separated. */
    @DataBoundSetter
    public void setParams(String params) {
        this.params = lines(params);
    }

    public String getConfSource() {
        return confSource;
    }

    @DataBoundSetter
    public void setConfSource(String confSource) {
        this.confSource = orEmpty(confSource);
    }

    public String getKedroArgs() {
        return kedroArgs;
    }

    /** Further {@code kedro run} arguments, one per line. */
    @DataBoundSetter
    public void setKedroArgs(String kedroArgs) {
        this.kedroArgs = lines(kedroArgs);
    }

    public String getSparkConf() {
        return sparkConf;
    }

    /** {@code key=value} Spark properties, one per line. */
    @DataBoundSetter
    public void setSparkConf(String sparkConf) {
        this.sparkConf = lines(sparkConf);
    }

    public String getSparkSubmitParameters() {
        return sparkSubmitParameters;
    }

    @DataBoundSetter
    public void setSparkSubmitParameters(String sparkSubmitParameters) {
        this.sparkSubmitParameters = orEmpty(sparkSubmitParameters);
    }

    public String getName() {
        return name;
    }

    @DataBoundSetter
    public void setName(String name) {
        this.name = orEmpty(name);
    }

    public int getExecutionTimeout() {
        return executionTimeout;
    }

    /** Minutes after which the service cancels the run; 0: the service's default (12 hours). */
    @DataBoundSetter
    public void setExecutionTimeout(int executionTimeout) {
        this.executionTimeout = executionTimeout;
    }

    public boolean isWait() {
        return wait;
    }

    @DataBoundSetter
    public void setWait(boolean wait) {
        this.wait = wait;
    }

    public int getWaitTimeout() {
        return waitTimeout;
    }

    /** Minutes to wait before cancelling the run; 0: the execution timeout + 60, else 13 hours. */
    @DataBoundSetter
    public void setWaitTimeout(int waitTimeout) {
        this.waitTimeout = waitTimeout;
    }

    public String getPriceFile() {
        return priceFile;
    }

    /**
     * A JSON price file in the workspace (e.g. negotiated prices) that prices the run's billed figures instead of the
     * list prices of its region and architecture; read before anything is uploaded or started.
     */
    @DataBoundSetter
    public void setPriceFile(String priceFile) {
        this.priceFile = Util.fixEmptyAndTrim(priceFile);
    }

    public Integer getCancelGracePeriod() {
        return cancelGracePeriod;
    }

    @DataBoundSetter
    public void setCancelGracePeriod(Integer cancelGracePeriod) {
        this.cancelGracePeriod = cancelGracePeriod;
    }

    /** The engine's options (one mapping for this step, its freestyle build step and the CLI). */
    public SubmitJobOptions options() {
        return new SubmitJobOptions(applicationId, executionRoleArn, codeUri, entrypointUri, kedroVersion, logUri, cloudWatchLogGroup,
                cloudWatchStreamPrefix, imagePython, env, runner, pipelines, tags, params, confSource, kedroArgs, sparkConf,
                sparkSubmitParameters, name, executionTimeout, wait, waitTimeout,
                cancelGracePeriod == null ? null : cancelGracePeriod.longValue());
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        try {
            return Executions.submit(context, options(), packageResult, priceFile, awsFields(), FUNCTION);
        } catch (EngineException e) {
            throw Failures.abort(e);
        }
    }

    @Extension
    @Symbol(FUNCTION)
    public static final class DescriptorImpl extends AwsStepDescriptor {

        /** The runner a new form shows (the guide's); an emptied field means none. */
        public String getDefaultRunner() {
            return SubmitJobOptions.DEFAULT_RUNNER;
        }

        @Override
        public String getFunctionName() {
            return FUNCTION;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.EmrsSubmitStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class, EnvVars.class, FlowNode.class);
        }

        /** The application, the pipelines and the environment; never parameters or Spark settings. */
        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            return new SubmitJobOptions(text(namedArgs, "applicationId"), null, null, null, null, null, null, null, null,
                    text(namedArgs, "env"), null, text(namedArgs, "pipelines"), null, null, null, null, null, null, null, 0,
                    flag(namedArgs, "wait", true), 0, null).summary();
        }

        @POST
        public FormValidation doCheckApplicationId(@QueryParameter String value) {
            return Forms.check(() -> SubmitJobOptions.checkApplicationId(value));
        }

        @POST
        public FormValidation doCheckExecutionRoleArn(@QueryParameter String value) {
            return Forms.check(() -> SubmitJobOptions.checkExecutionRoleArn(value));
        }

        @POST
        public FormValidation doCheckCodeUri(@QueryParameter String value,
                @QueryParameter String entrypointUri) {
            return Forms.check(() -> SubmitJobOptions.checkCodeUri(value, entrypointUri));
        }

        @POST
        public FormValidation doCheckEntrypointUri(@QueryParameter String value) {
            return Forms.check(() -> SubmitJobOptions.checkEntrypointUri(value));
        }

        @POST
        public FormValidation doCheckLogUri(@QueryParameter String value) {
            return Forms.check(() -> SubmitJobOptions.checkLogUri(value));
        }

        @POST
        public FormValidation doCheckCloudWatchLogGroup(@QueryParameter String value,
                @QueryParameter String cloudWatchStreamPrefix) {
            return Forms.check(() -> SubmitJobOptions.checkCloudWatch(value, cloudWatchStreamPrefix));
        }

        @POST
        public FormValidation doCheckCloudWatchStreamPrefix(@QueryParameter String value,
                @QueryParameter String cloudWatchLogGroup) {
            return Forms.check(() -> SubmitJobOptions.checkCloudWatch(cloudWatchLogGroup, value));
        }

        @POST
        public FormValidation doCheckImagePython(@QueryParameter String value) {
            return Forms.check(() -> SubmitJobOptions.checkImagePython(value));
        }

        @POST
        public FormValidation doCheckEnv(@QueryParameter String value) {
            return Forms.check(() -> SubmitJobOptions.checkRun(value, null, null, null, null, null, null));
        }

        @POST
        public FormValidation doCheckRunner(@QueryParameter String value) {
            return Forms.check(() -> SubmitJobOptions.checkRun(null, value, null, null, null, null, null));
        }

        @POST
        public FormValidation doCheckPipelines(@QueryParameter String value) {
            return Forms.check(() -> SubmitJobOptions.checkRun(null, null, value, null, null, null, null));
        }

        @POST
        public FormValidation doCheckTags(@QueryParameter String value) {
            return Forms.check(() -> SubmitJobOptions.checkRun(null, null, null, value, null, null, null));
        }

        @POST
        public FormValidation doCheckParams(@QueryParameter String value) {
            return Forms.check(() -> SubmitJobOptions.checkRun(null, null, null, null, value, null, null));
        }

        @POST
        public FormValidation doCheckSparkConf(@QueryParameter String value,
                @QueryParameter String imagePython) {
            return Forms.check(() -> SubmitJobOptions.checkSpark(value, null, imagePython));
        }

        @POST
        public FormValidation doCheckSparkSubmitParameters(@QueryParameter String value,
                @QueryParameter String imagePython) {
            return Forms.check(() -> SubmitJobOptions.checkSpark(null, value, imagePython));
        }

        @POST
        public FormValidation doCheckName(@QueryParameter String value) {
            return Forms.check(() -> SubmitJobOptions.checkName(value));
        }

        @POST
        public FormValidation doCheckExecutionTimeout(@QueryParameter String value) {
            return Forms.check(() -> SubmitJobOptions.checkExecutionTimeout(orZero(EmrsInputs.wholeNumber("execution-timeout",
                    value))));
        }

        @POST
        public FormValidation doCheckWaitTimeout(@QueryParameter String value) {
            return Forms.check(() -> SubmitJobOptions.checkWaitTimeout(orZero(EmrsInputs.wholeNumber("wait-timeout", value))));
        }

        @POST
        public FormValidation doCheckCancelGracePeriod(@QueryParameter String value) {
            return Forms.check(() -> EmrsInputs.cancelGrace(EmrsInputs.wholeNumber("cancel-grace-period", value)));
        }
    }
}
