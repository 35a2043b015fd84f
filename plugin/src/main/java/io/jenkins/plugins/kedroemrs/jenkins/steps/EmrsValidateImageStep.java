package io.jenkins.plugins.kedroemrs.jenkins.steps;

import static io.jenkins.plugins.kedroemrs.core.util.Text.blankToNull;
import static io.jenkins.plugins.kedroemrs.core.util.Text.orEmpty;

import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.kedroemrs.core.EngineException;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.core.validate.ReleaseProfiles;
import io.jenkins.plugins.kedroemrs.core.validate.ProjectCheck;
import io.jenkins.plugins.kedroemrs.core.validate.ProjectCheckOptions;
import io.jenkins.plugins.kedroemrs.core.validate.ValidateImageOptions;
import io.jenkins.plugins.kedroemrs.core.validate.ValidationReport;
import io.jenkins.plugins.kedroemrs.jenkins.Failures;
import io.jenkins.plugins.kedroemrs.jenkins.Forms;
import io.jenkins.plugins.kedroemrs.jenkins.Messages;
import io.jenkins.plugins.kedroemrs.jenkins.aws.AwsFields;
import io.jenkins.plugins.kedroemrs.jenkins.aws.AwsForms;
import io.jenkins.plugins.kedroemrs.jenkins.aws.AwsStep;
import io.jenkins.plugins.kedroemrs.jenkins.aws.AwsStepDescriptor;
import io.jenkins.plugins.kedroemrs.jenkins.kedro.PackageResults;
import io.jenkins.plugins.kedroemrs.jenkins.RegistryLogin;
import io.jenkins.plugins.kedroemrs.jenkins.validate.ValidateOnAgent;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code emrsValidateImage}: the EMR Serverless image checks, straight from the registry or a saved tarball, no
 * container runtime. Runs on the agent where the workspace is ({@link ValidateOnAgent}); a registry login is made on
 * the controller ({@link RegistryLogin}). Returns the report as a map; any FAIL fails the step (any WARN too with
 * {@code strict}), after the table of checks is in the build log and the JUnit XML in the workspace.
 *
 * <pre>
 * def report = emrsValidateImage image: "${repo}@${digest}", releaseLabel: 'emr-7.1.0', packageResult: pkg,
 *                                python: '/usr/.pyenv/versions/3.11.9/bin/python', junit: 'reports/image.xml'
 * junit 'reports/image.xml'
 * </pre>
 */
public final class EmrsValidateImageStep extends AwsStep {
    static final String FUNCTION = "emrsValidateImage";

    private final String image;
    private String releaseLabel = "";
    private String architecture = "";
    private String python = "";
    private String packageName = "";
    private Object packageResult;
    private String confDir = "";
    private String junit = "";
    private boolean strict;
    private boolean layerCache = true;
    private String registryCredentialsId = "";
    private boolean projectCheck;
    private String env = "";
    private String pipelines = "";
    private String params = "";

    @DataBoundConstructor
    public EmrsValidateImageStep(String image) {
        this.image = orEmpty(image);
    }

    public String getImage() {
        return image;
    }

    public String getReleaseLabel() {
        return releaseLabel;
    }

    @DataBoundSetter
    public void setReleaseLabel(String releaseLabel) {
        this.releaseLabel = orEmpty(releaseLabel);
    }

    public String getArchitecture() {
        return architecture;
    }

    @DataBoundSetter
    public void setArchitecture(String architecture) {
        this.architecture = orEmpty(architecture);
    }

    public String getPython() {
        return python;
    }

    @DataBoundSetter
    public void setPython(String python) {
        this.python = orEmpty(python);
    }

    public String getPackageName() {
        return packageName;
    }

    /** The project's wheel in the image: {@code name} or {@code name==version}. */
    @DataBoundSetter
    public void setPackageName(String packageName) {
        this.packageName = orEmpty(packageName);
    }

    public Object getPackageResult() {
        return packageResult;
    }

    /** What {@code kedroPackage} returned, or the path of its {@code kedro-emrs-package.json}: the wheel's name and version. */
    @DataBoundSetter
    public void setPackageResult(Object packageResult) {
        this.packageResult = packageResult instanceof String s ? blankToNull(s) : packageResult;
    }

    public String getConfDir() {
        return confDir;
    }

    @DataBoundSetter
    public void setConfDir(String confDir) {
        this.confDir = orEmpty(confDir);
    }

    public String getJunit() {
        return junit;
    }

    /** Also write the checks as JUnit XML to this file in the workspace (for the {@code junit} step). */
    @DataBoundSetter
    public void setJunit(String junit) {
        this.junit = orEmpty(junit);
    }

    public boolean isStrict() {
        return strict;
    }

    @DataBoundSetter
    public void setStrict(boolean strict) {
        this.strict = strict;
    }

    public boolean isLayerCache() {
        return layerCache;
    }

    @DataBoundSetter
    public void setLayerCache(boolean layerCache) {
        this.layerCache = layerCache;
    }

    public String getRegistryCredentialsId() {
        return registryCredentialsId;
    }

    /** A username/password credential for a registry other than ECR. */
    @DataBoundSetter
    public void setRegistryCredentialsId(String registryCredentialsId) {
        this.registryCredentialsId = orEmpty(registryCredentialsId);
    }

    public boolean isProjectCheck() {
        return projectCheck;
    }

    /** Also load the Kedro project inside the image with the agent's container engine (see {@link ProjectCheck}). */
    @DataBoundSetter
    public void setProjectCheck(boolean projectCheck) {
        this.projectCheck = projectCheck;
    }

    public String getEnv() {
        return env;
    }

    /** The job's {@code kedro run --env} the project check creates the session for. */
    @DataBoundSetter
    public void setEnv(String env) {
        this.env = orEmpty(env);
    }

    public String getPipelines() {
        return pipelines;
    }

    /** The job's pipelines (one per line or comma-separated); empty: {@code __default__}. */
    @DataBoundSetter
    public void setPipelines(String pipelines) {
        this.pipelines = orEmpty(pipelines);
    }

    public String getParams() {
        return params;
    }

    /** The job's {@code key=value} params (runtime parameters the catalog may interpolate). */
    @DataBoundSetter
    public void setParams(String params) {
        this.params = orEmpty(params);
    }

    /** The project check's options. */
    public ProjectCheckOptions projectCheckOptions() {
        return new ProjectCheckOptions(projectCheck, env, pipelines, params);
    }

    /** The engine's options (one mapping for this step, its freestyle build step and the CLI). */
    public ValidateImageOptions options() {
        return new ValidateImageOptions(image, releaseLabel, architecture, python, packageName, confDir, junit, strict);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    /**
     * Validates the image and fails the step unless it passed; returns the report. Shared with the freestyle build step.
     *
     * @param options       already expanded (freestyle variables)
     * @param packageResult what kedroPackage returned, or the path of its result, or {@code null}
     */
    public static ValidationReport validate(Run<?, ?> run, FilePath workspace, EnvVars env, TaskListener listener,
            ValidateImageOptions options, Object packageResult, AwsFields aws, String registryCredentialsId, boolean layerCache,
            ProjectCheckOptions project) throws IOException, InterruptedException {
        try {
            ValidateImageOptions.checkImage(options.image());
            String remembered = PackageResults.remember(packageResult);
            ValidateImageOptions.checkOnePackage(options.packageSpec(), remembered != null);
            project.check(options.python(), remembered != null);
            PackageResult packaged = PackageResults.resolve(remembered, workspace);
            RegistryLogin login = RegistryLogin.forStep(run, registryCredentialsId, options.ecrImage(), aws, env, listener);
            ValidationReport report = ValidateOnAgent.run(workspace,
                    new ValidateOnAgent(options, packaged, login, layerCache, project, env,
                            listener, FUNCTION));
            if (!report.passed()) {
                throw Failures.abort(report.summary());
            }
            return report;
        } catch (EngineException e) {
            throw Failures.abort(e);
        } catch (SdkException e) {
            throw Failures.abort(e);
        }
    }

    /** On a thread of its own (the work is on the agent; an abort interrupts it), not resumable: it takes seconds. */
    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final transient EmrsValidateImageStep step;

        Execution(EmrsValidateImageStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            FilePath workspace = getContext().get(FilePath.class);
            if (workspace == null) {
                throw new AbortException(FUNCTION + " needs a workspace: call it inside node { ... }");
            }
            ValidationReport report = validate(getContext().get(Run.class), workspace, getContext().get(EnvVars.class),
                    getContext().get(TaskListener.class), step.options(), step.packageResult, step.awsFields(),
                    step.registryCredentialsId, step.layerCache, step.projectCheckOptions());
            return new LinkedHashMap<>(report.toMap());
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
            return Messages.EmrsValidateImageStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(FilePath.class, Run.class, TaskListener.class, EnvVars.class);
        }

        /** The image, the release and whether warnings fail. */
        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            return new ValidateImageOptions(text(namedArgs, "image"), text(namedArgs, "releaseLabel"), text(namedArgs, "architecture"),
                    null, null, null, null, flag(namedArgs, "strict", false)).summary();
        }

        @POST
        public FormValidation doCheckImage(@QueryParameter String value) {
            return Forms.check(() -> ValidateImageOptions.checkImage(value));
        }

        @POST
        public FormValidation doCheckReleaseLabel(@QueryParameter String value) {
            return Forms.check(() -> ValidateImageOptions.checkReleaseLabel(value));
        }

        @POST
        public FormValidation doCheckArchitecture(@QueryParameter String value) {
            return Forms.check(() -> ValidateImageOptions.checkArchitecture(value));
        }

        @POST
        public FormValidation doCheckPython(@QueryParameter String value) {
            return Forms.check(() -> ValidateImageOptions.checkPython(value));
        }

        @POST
        public FormValidation doCheckPackageName(@QueryParameter String value,
                @QueryParameter String packageResult) {
            return Forms.check(() -> {
                ValidateImageOptions.checkPackage(value);
                ValidateImageOptions.checkOnePackage(value, blankToNull(packageResult) != null);
            });
        }

        @POST
        public FormValidation doCheckConfDir(@QueryParameter String value) {
            return Forms.check(() -> ValidateImageOptions.checkConfDir(value));
        }

        @POST
        public FormValidation doCheckJunit(@QueryParameter String value) {
            return Forms.check(() -> ValidateImageOptions.checkJunit(value));
        }

        @POST
        public ListBoxModel doFillReleaseLabelItems() {
            ListBoxModel m = new ListBoxModel();
            m.add("(the newest known: " + ReleaseProfiles.latest() + ")", "");
            List<String> known = new java.util.ArrayList<>(ReleaseProfiles.known());
            Collections.reverse(known);
            known.forEach(label -> m.add(label, label));
            return m;
        }

        @POST
        public ListBoxModel doFillArchitectureItems() {
            ListBoxModel m = new ListBoxModel();
            m.add("(not checked against one)", "");
            m.add("X86_64", "X86_64");
            m.add("ARM64", "ARM64");
            return m;
        }

        /** Username/password credentials for a non-ECR registry, with the credentials plugin's permission pattern. */
        @POST
        public ListBoxModel doFillRegistryCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String registryCredentialsId) {
            return AwsForms.fillCredentialsItems(item, registryCredentialsId, StandardUsernamePasswordCredentials.class);
        }
    }
}
