package io.jenkins.plugins.kedroemrs.jenkins.steps;

import static io.jenkins.plugins.kedroemrs.core.util.Text.orEmpty;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageOptions;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.jenkins.Messages;
import io.jenkins.plugins.kedroemrs.jenkins.kedro.PackageForms;
import io.jenkins.plugins.kedroemrs.jenkins.kedro.PackageOnAgent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code kedroPackage}: the wheel, {@code conf-<package>.tar.gz} without {@code conf/local}, and the EMR entry point
 * script, built in the workspace on the agent. Returns the packaging result as a map (paths, sizes, sha256, package
 * name and version, Kedro version) for the later steps.
 *
 * <pre>
 * def pkg = kedroPackage projectDir: 'spaceflights', python: '.venv/bin/python'
 * echo "wheel ${pkg.wheel.path} (sha256 ${pkg.wheel.sha256})"
 * </pre>
 *
 * Every field is optional, so the step has an empty {@code @DataBoundConstructor}.
 */
public final class KedroPackageStep extends Step {
    static final String FUNCTION = "kedroPackage";

    private String projectDir = "";
    private String python = "";
    private String outDir = "";
    private String confDir = "";
    private String confExcludes = "";
    private boolean includeConfLocal;
    private String wheelBuilder = "auto";
    private int timeout = PackageOptions.DEFAULT_TIMEOUT_MINUTES;

    @DataBoundConstructor
    public KedroPackageStep() {
    }

    public String getProjectDir() {
        return projectDir;
    }

    /** The Kedro project, relative to the workspace; empty means the workspace itself. */
    @DataBoundSetter
    public void setProjectDir(String projectDir) {
        this.projectDir = orEmpty(projectDir);
    }

    public String getPython() {
        return python;
    }

    /** The project's interpreter: a name on the step's PATH, or a path relative to the workspace. Empty: python3. */
    @DataBoundSetter
    public void setPython(String python) {
        this.python = orEmpty(python);
    }

    public String getOutDir() {
        return outDir;
    }

    @DataBoundSetter
    public void setOutDir(String outDir) {
        this.outDir = orEmpty(outDir);
    }

    public String getConfDir() {
        return confDir;
    }

    @DataBoundSetter
    public void setConfDir(String confDir) {
        this.confDir = orEmpty(confDir);
    }

    public String getConfExcludes() {
        return confExcludes;
    }

    /** More globs under the conf folder to leave out of the tarball, one per line or comma-separated. */
    @DataBoundSetter
    public void setConfExcludes(String confExcludes) {
        this.confExcludes = confExcludes == null ? "" : confExcludes.replace("\r\n", "\n").strip();
    }

    public boolean isIncludeConfLocal() {
        return includeConfLocal;
    }

    @DataBoundSetter
    public void setIncludeConfLocal(boolean includeConfLocal) {
        this.includeConfLocal = includeConfLocal;
    }

    public String getWheelBuilder() {
        return wheelBuilder;
    }

    @DataBoundSetter
    public void setWheelBuilder(String wheelBuilder) {
        this.wheelBuilder = wheelBuilder == null || wheelBuilder.isBlank() ? "auto" : wheelBuilder.strip();
    }

    public int getTimeout() {
        return timeout;
    }

    /** The longest the wheel build may take, in minutes. */
    @DataBoundSetter
    public void setTimeout(int timeout) {
        this.timeout = timeout;
    }

    /** The step's fields as the engine's options (the freestyle build step expands ${VARIABLES} in them first). */
    public PackageOptions options() {
        return new PackageOptions(projectDir, python, outDir, confDir, confExcludes, includeConfLocal, wheelBuilder, timeout);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    /**
     * Runs the packaging off the CPS thread (it takes seconds to minutes) and waits for it; the work itself happens on
     * the agent. Not resumable across a controller restart: the build process on the agent would be gone anyway, so the
     * step fails and can be retried. {@link SynchronousNonBlockingStepExecution#stop} interrupts the call, which kills
     * the build's process tree on the agent.
     */
    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final transient KedroPackageStep step;

        Execution(KedroPackageStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            FilePath workspace = getContext().get(FilePath.class);
            if (workspace == null) {
                throw new AbortException(FUNCTION + " needs a workspace: call it inside node { ... }");
            }
            TaskListener listener = getContext().get(TaskListener.class);
            EnvVars env = getContext().get(EnvVars.class);
            PackageResult result = PackageOnAgent.run(workspace, step.options(), env, listener, FUNCTION);
            return new LinkedHashMap<>(result.toMap());
        }
    }

    @Extension
    @Symbol(FUNCTION)
    public static final class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return FUNCTION;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.KedroPackageStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(FilePath.class, TaskListener.class, EnvVars.class);
        }

        /** What the stage view and Blue Ocean show next to the step: the project and non-default options. */
        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            return PackageForms.summary(namedArgs);
        }

        @POST
        public FormValidation doCheckProjectDir(@QueryParameter String value) {
            return PackageForms.checkProjectDir(value);
        }

        @POST
        public FormValidation doCheckPython(@QueryParameter String value) {
            return PackageForms.checkPython(value);
        }

        @POST
        public FormValidation doCheckOutDir(@QueryParameter String value) {
            return PackageForms.checkOutDir(value);
        }

        @POST
        public FormValidation doCheckConfDir(@QueryParameter String value) {
            return PackageForms.checkConfDir(value);
        }

        @POST
        public FormValidation doCheckConfExcludes(@QueryParameter String value) {
            return PackageForms.checkConfExcludes(value);
        }

        @POST
        public FormValidation doCheckTimeout(@QueryParameter String value) {
            return PackageForms.checkTimeout(value);
        }

        @POST
        public ListBoxModel doFillWheelBuilderItems() {
            return PackageForms.fillWheelBuilderItems();
        }
    }
}
