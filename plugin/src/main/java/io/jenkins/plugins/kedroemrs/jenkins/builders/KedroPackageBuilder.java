package io.jenkins.plugins.kedroemrs.jenkins.builders;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.AbstractProject;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageOptions;
import io.jenkins.plugins.kedroemrs.core.kedro.PackageResult;
import io.jenkins.plugins.kedroemrs.jenkins.Messages;
import io.jenkins.plugins.kedroemrs.jenkins.VariablesAction;
import io.jenkins.plugins.kedroemrs.jenkins.kedro.PackageForms;
import io.jenkins.plugins.kedroemrs.jenkins.kedro.PackageOnAgent;
import io.jenkins.plugins.kedroemrs.jenkins.steps.KedroPackageStep;
import java.io.IOException;
import jenkins.model.Jenkins;
import jenkins.tasks.SimpleBuildStep;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code kedroPackage} as a freestyle build step. The results are passed on to later build steps as environment
 * variables ({@code KEDRO_WHEEL}, {@code KEDRO_CONF_ARCHIVE}, {@code KEDRO_ENTRYPOINT}, {@code KEDRO_PACKAGE_RESULT},
 * their {@code _SHA256} ..., see {@link PackageResult#toEnvironment()}) through a {@link VariablesAction}.
 * The form and its help are the Pipeline step's.
 */
public final class KedroPackageBuilder extends Builder implements SimpleBuildStep {
    private String projectDir = "";
    private String python = "";
    private String outDir = "";
    private String confDir = "";
    private String confExcludes = "";
    private boolean includeConfLocal;
    private String wheelBuilder = "auto";
    private int timeout = PackageOptions.DEFAULT_TIMEOUT_MINUTES;

    @DataBoundConstructor
    public KedroPackageBuilder() {
    }

    public String getProjectDir() {
        return projectDir;
    }

    @DataBoundSetter
    public void setProjectDir(String projectDir) {
        this.projectDir = trim(projectDir);
    }

    public String getPython() {
        return python;
    }

    @DataBoundSetter
    public void setPython(String python) {
        this.python = trim(python);
    }

    public String getOutDir() {
        return outDir;
    }

    @DataBoundSetter
    public void setOutDir(String outDir) {
        this.outDir = trim(outDir);
    }

    public String getConfDir() {
        return confDir;
    }

    @DataBoundSetter
    public void setConfDir(String confDir) {
        this.confDir = trim(confDir);
    }

    public String getConfExcludes() {
        return confExcludes;
    }

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

    @DataBoundSetter
    public void setTimeout(int timeout) {
        this.timeout = timeout;
    }

    PackageOptions options() {
        return new PackageOptions(projectDir, python, outDir, confDir, confExcludes, includeConfLocal, wheelBuilder, timeout);
    }

    @Override
    public void perform(@NonNull Run<?, ?> run, @NonNull FilePath workspace, @NonNull EnvVars env, @NonNull Launcher launcher,
            @NonNull TaskListener listener) throws InterruptedException, IOException {
        PackageResult result = PackageOnAgent.run(workspace, options(), env, listener, "kedroPackage");
        run.addAction(new VariablesAction(result.toEnvironment()));
        listener.getLogger().println("[kedroPackage] Later build steps see KEDRO_WHEEL, KEDRO_CONF_ARCHIVE, KEDRO_ENTRYPOINT and"
                + " KEDRO_PACKAGE_RESULT");
    }

    private static String trim(String s) {
        return s == null ? "" : s.strip();
    }

    @Extension
    @Symbol("kedroPackageBuilder")
    public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {

        @Override
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.KedroPackageBuilder_DisplayName();
        }

        /** The class whose config.jelly this builder's form includes (a Class, not a name: plugin class loader). */
        public Class<?> getStepClass() {
            return KedroPackageStep.class;
        }

        /** The Pipeline step's help pages per field, so the two forms never drift apart; its own help.html on top. */
        @Override
        public String getHelpFile(String fieldName) {
            if (fieldName == null) {
                return super.getHelpFile(null);
            }
            return Jenkins.get().getDescriptorByType(KedroPackageStep.DescriptorImpl.class).getHelpFile(fieldName);
        }

        @POST
        public FormValidation doCheckProjectDir(@AncestorInPath Item item, @QueryParameter String value) {
            return PackageForms.checkProjectDir(item, value);
        }

        @POST
        public FormValidation doCheckPython(@AncestorInPath Item item, @QueryParameter String value) {
            return PackageForms.checkPython(item, value);
        }

        @POST
        public FormValidation doCheckOutDir(@AncestorInPath Item item, @QueryParameter String value) {
            return PackageForms.checkOutDir(item, value);
        }

        @POST
        public FormValidation doCheckConfDir(@AncestorInPath Item item, @QueryParameter String value) {
            return PackageForms.checkConfDir(item, value);
        }

        @POST
        public FormValidation doCheckConfExcludes(@AncestorInPath Item item, @QueryParameter String value) {
            return PackageForms.checkConfExcludes(item, value);
        }

        @POST
        public FormValidation doCheckTimeout(@AncestorInPath Item item, @QueryParameter String value) {
            return PackageForms.checkTimeout(item, value);
        }

        @POST
        public ListBoxModel doFillWheelBuilderItems(@AncestorInPath Item item) {
            return PackageForms.fillWheelBuilderItems(item);
        }
    }
}
